"""Where the reader stands, where each jump lands, and the history of jumps (no Textual)."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from briefing_tui.core.library.model import Brief, Claim, Library, Passage, PassageRef, Span, Stance

if TYPE_CHECKING:
    from briefing_tui.core.search.index import SearchHit


@dataclass(frozen=True, slots=True)
class Place:
    """A position in the library: topic, source shown, claim and the selected span."""

    brief: int
    source_key: str | None = None
    claim: int | None = None
    passage: PassageRef | None = None
    span: Span | None = None  # a selected span that is not a passage (a search hit)


class JumpKind(StrEnum):
    """The kinds of jump the reader offers, named as the status line says them."""

    NEXT = "next passage"
    PREVIOUS = "previous passage"
    CORROBORATING = "corroborates"
    CONFLICTING = "conflicts"


@dataclass(frozen=True, slots=True)
class Jump:
    """Where a jump lands (None when there is nowhere to go) and why."""

    target: Passage | None
    reason: str


def topic_place(library: Library, index: int) -> Place:
    """A topic with its first source shown and nothing selected."""
    brief = library.briefs[index]
    return Place(index, brief.sources[0].key if brief.sources else None)


def claim_place(library: Library, index: int, claim: int, shown: str | None) -> Place:
    """A claim with its first anchored passage selected, in the shown source if it has one."""
    anchored = _anchored(library.briefs[index].claims[claim].passages)
    first = next((p for p in anchored if p.source_key == shown), anchored[0] if anchored else None)
    if first is None:
        return Place(index, shown or topic_place(library, index).source_key, claim)
    return Place(index, first.source_key, claim, first.ref)


def source_position(brief: Brief, key: str) -> str:
    """Where a source sits in its brief, e.g. "source 2 of 3 · Outlet"."""
    keys = [s.key for s in brief.sources]
    name = brief.source_label(key)
    return f"source {keys.index(key) + 1} of {len(keys)} · {name}" if key in keys else name


class History:
    """Back and forward stacks of places, as in a web browser."""

    def __init__(self, limit: int = 500) -> None:
        self._back: list[Place] = []
        self._forward: list[Place] = []
        self._limit = limit

    @property
    def can_go_forward(self) -> bool:
        """Whether there is a place to go forward to."""
        return bool(self._forward)

    def record(self, left: Place) -> None:
        """Remember the place being left by a new jump; a new jump forgets the forward stack."""
        if not self._back or self._back[-1] != left:
            self._back.append(left)
            del self._back[: -self._limit]
        self._forward.clear()

    def back(self, current: Place) -> Place | None:
        """The previous place, remembering the current one for forward."""
        if not self._back:
            return None
        self._forward.append(current)
        return self._back.pop()

    def forward(self, current: Place) -> Place | None:
        """The place gone back from, remembering the current one for back."""
        if not self._forward:
            return None
        self._back.append(current)
        return self._forward.pop()


def _anchored(passages: Sequence[Passage]) -> list[Passage]:
    return [p for p in passages if p.span is not None]


def next_in_source(
    passages: Sequence[Passage], current: PassageRef | None, offset: int, forward: bool
) -> Passage | None:
    """The passage after (or before) the current one in text order, else from `offset`."""
    # `passages` are one source's anchored passages in text order (`Brief.passages_in`).
    refs = [p.ref for p in passages]
    if current in refs:
        index = refs.index(current) + (1 if forward else -1)
        return passages[index] if 0 <= index < len(passages) else None
    starts = [p.span.start for p in passages if p.span is not None]
    index = bisect_left(starts, offset)
    if forward:
        return passages[index] if index < len(passages) else None
    return passages[index - 1] if index > 0 else None


def _cyclic_after(candidates: Sequence[Passage], after: int) -> Passage | None:
    """The first candidate after position `after` in the claim's order, wrapping round."""
    if not candidates:
        return None
    ordered = sorted(candidates, key=lambda p: p.ref.passage)
    return next((p for p in ordered if p.ref.passage > after), ordered[0])


def related(claim: Claim, current: Passage | None, kind: JumpKind) -> Jump:
    """The next corroborating or conflicting passage of a claim, cycling in claim order."""
    conflicting = kind is JumpKind.CONFLICTING
    if current is None:
        stance = Stance.CONFLICTS if conflicting else Stance.SUPPORTS
        target = _cyclic_after(_anchored([p for p in claim.passages if p.stance is stance]), -1)
        if target is not None:
            return Jump(target, kind.value)
        return Jump(None, f"No passage in this claim {stance}")
    if current.stance is Stance.CONTEXT:
        return Jump(None, "A context passage neither corroborates nor conflicts with others")
    found = _anchored(claim.conflicting(current) if conflicting else claim.corroborating(current))
    target = _cyclic_after(found, current.ref.passage)
    if target is not None:
        return Jump(target, kind.value)
    if conflicting:
        return Jump(None, "Nothing in this claim conflicts with this passage")
    verb = "supports" if current.stance is Stance.SUPPORTS else "conflicts with"
    return Jump(None, f"No other passage of this claim {verb} it")


def first_with_partner(brief: Brief, kind: JumpKind) -> Jump:
    """The topic's first passage, in brief order, with a conflicting (or corroborating) partner."""
    conflicting = kind is JumpKind.CONFLICTING
    for claim in brief.claims:
        for passage in _anchored(claim.passages):
            partners = claim.conflicting(passage) if conflicting else claim.corroborating(passage)
            if _anchored(partners):
                what = "passage in conflict" if conflicting else "corroborated passage"
                return Jump(passage, f"first {what} in this topic")
    if conflicting:
        return Jump(None, "No conflicts in this topic")
    return Jump(None, "No passages corroborate each other in this topic")


def in_source(
    brief: Brief, source_key: str, current: PassageRef | None, offset: int | None, kind: JumpKind
) -> Jump:
    """The next or previous passage in one source; with nothing to start from, the first or last."""
    passages = brief.passages_in(source_key)
    forward = kind is JumpKind.NEXT
    if not passages:
        return Jump(None, "This source has no passages in this topic")
    if current is None and offset is None:
        if forward:
            return Jump(passages[0], "first passage in this source")
        return Jump(passages[-1], "last passage in this source")
    target = next_in_source(passages, current, offset or 0, forward)
    if target is not None:
        return Jump(target, kind.value)
    return Jump(
        None, "No next passage in this source" if forward else "No previous passage in this source"
    )


def _topic_reading(
    library: Library, path: str, current: Place | None, hint: int | None
) -> int | None:
    """The topic to read a source in: the current one, the hit's, else the first using it."""

    def uses(index: int) -> bool:
        return any(s.source.path == path for s in library.briefs[index].sources)

    candidates = [current.brief if current else None, hint, *range(len(library.briefs))]
    return next((i for i in candidates if i is not None and uses(i)), None)


def hit_place(library: Library, hit: SearchHit, current: Place | None) -> Place | None:
    """Where a search hit opens: its span in a source, its passage, claim or topic."""
    if hit.passage is not None:
        passage = library.passage(hit.passage)
        if passage.span is not None:
            return Place(hit.passage.brief, passage.source_key, hit.passage.claim, hit.passage)
    if hit.source_path is not None and hit.claim is None:
        brief = _topic_reading(library, hit.source_path, current, hit.brief)
        if brief is None:
            return None
        key = next(s.key for s in library.briefs[brief].sources if s.source.path == hit.source_path)
        return Place(brief, key, span=hit.span)
    if hit.brief is None:
        return None
    if hit.claim is None:
        return topic_place(library, hit.brief)
    return claim_place(library, hit.brief, hit.claim, None)
