"""Places in a library, named so they survive edits and reloads; jumps; the history of jumps.

A place names its brief by path, its claim by key (the claim's id, or one derived from its
text), its source by key and path, and a selected passage by its claim and its span. Lists
and their indexes are never part of a place: one brief that stops loading must not move
every place after it. `settle` finds a place again in a newly loaded library, or the
nearest one that still exists.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING

from briefing_tui.core.library.model import (
    Brief,
    BriefSource,
    Claim,
    Library,
    Passage,
    Span,
    Stance,
)

if TYPE_CHECKING:
    from briefing_tui.core.search.index import SearchHit


@dataclass(frozen=True, slots=True)
class Place:
    """A position in a library: topic, source shown, claim and what is selected."""

    brief: str  # the brief's library-relative path
    source: str | None = None  # the key of the source shown
    source_path: str | None = None  # its file, to find it again if the key is renamed
    claim: str | None = None  # the key of the chosen claim
    passage: Span | None = None  # the selected passage: of the claim, in the source, here
    span: Span | None = None  # a selected span that is not a passage (a search hit)


@dataclass(frozen=True, slots=True)
class Located:
    """What a place names, in one loaded library."""

    brief: Brief
    source: BriefSource | None
    claim: Claim | None
    passage: Passage | None


def topic_place(brief: Brief) -> Place:
    """A topic with its first source shown and nothing selected."""
    first = brief.sources[0] if brief.sources else None
    return Place(brief.path, *_source_names(first))


def source_place(brief: Brief, key: str, claim: Claim | None = None) -> Place:
    """One source of a topic shown, with a claim chosen (or none) and nothing selected."""
    return Place(brief.path, *_source_names(brief.source(key)), claim.key if claim else None)


def passage_place(brief: Brief, passage: Passage) -> Place:
    """A passage selected in its source, its claim chosen."""
    names = _source_names(brief.source(passage.source_key))
    return Place(brief.path, *names, passage.claim, passage.span)


def claim_place(brief: Brief, claim: Claim, shown: str | None) -> Place:
    """A claim with its first anchored passage selected, in the shown source if it has one."""
    anchored = _anchored(claim.passages)
    first = next((p for p in anchored if p.source_key == shown), anchored[0] if anchored else None)
    if first is None:
        fallback = shown if shown is not None and brief.source(shown) else None
        return source_place(brief, fallback, claim) if fallback else _with_claim(brief, claim)
    return passage_place(brief, first)


def _with_claim(brief: Brief, claim: Claim) -> Place:
    return replace(topic_place(brief), claim=claim.key)


def _source_names(source: BriefSource | None) -> tuple[str | None, str | None]:
    return (source.key, source.source.path) if source else (None, None)


def locate(library: Library, place: Place) -> Located | None:
    """The objects a place names in this library (None when its brief is not there)."""
    brief = library.brief_at(place.brief)
    if brief is None:
        return None
    source = brief.source(place.source) if place.source is not None else None
    claim = brief.claim(place.claim) if place.claim is not None else None
    passage = None
    if claim is not None and place.passage is not None:
        passage = next(
            (p for p in claim.passages if p.source_key == place.source and p.span == place.passage),
            None,
        )
    return Located(brief, source, claim, passage)


def settle(library: Library, place: Place) -> Place | None:
    """The place in this library, or the nearest that exists (None: there are no briefs).

    The same claim when it is still there, else its topic; the same topic, else the first.
    A passage whose quote moved is found again by its claim and source, nearest first.
    """
    brief = library.brief_at(place.brief)
    if brief is None:
        return topic_place(library.briefs[0]) if library.briefs else None
    source = _same_source(brief, place)
    claim = brief.claim(place.claim) if place.claim is not None else None
    settled = Place(brief.path, *_source_names(source), claim.key if claim else None)
    if source is None:
        return settled
    if claim is not None and place.passage is not None:
        candidates = [p for p in _anchored(claim.passages) if p.source_key == source.key]
        if candidates:
            start = place.passage.start
            nearest = min(candidates, key=lambda p: abs(p.span.start - start if p.span else 0))
            return replace(settled, passage=nearest.span)
        return claim_place(brief, claim, source.key)
    if place.span is not None and place.span.end <= len(source.source.text):
        return replace(settled, span=place.span)
    return settled


def _same_source(brief: Brief, place: Place) -> BriefSource | None:
    """The brief's source a place shows: by key and file, else by file, by key, or the first."""
    by_key = brief.source(place.source) if place.source is not None else None
    if by_key is not None and by_key.source.path == place.source_path:
        return by_key
    by_path = next((s for s in brief.sources if s.source.path == place.source_path), None)
    return by_path or by_key or (brief.sources[0] if brief.sources else None)


class History:
    """Back and forward stacks of places, as in a web browser."""

    def __init__(self, limit: int = 500, back: tuple[Place, ...] = ()) -> None:
        self._back: list[Place] = list(back[-limit:])
        self._forward: list[Place] = []
        self._limit = limit

    @property
    def places(self) -> tuple[Place, ...]:
        """The places to go back to, oldest first (what a saved history keeps)."""
        return tuple(self._back)

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


class JumpKind(StrEnum):
    """The kinds of jump the reader offers, named as the status line and the keys say them."""

    NEXT = "next passage"
    PREVIOUS = "previous passage"
    CORROBORATING = "corroborating"
    CONFLICTING = "conflicting"


@dataclass(frozen=True, slots=True)
class Jump:
    """Where a jump lands (None when there is nowhere to go) and why, in words."""

    target: Passage | None
    reason: str


def _anchored(passages: Sequence[Passage]) -> list[Passage]:
    return [p for p in passages if p.span is not None]


def _position(passages: Sequence[Passage], passage: Passage) -> int:
    """Where a passage sits in a sequence, by identity (-1 when absent)."""
    return next((n for n, p in enumerate(passages) if p is passage), -1)


def partners(claim: Claim, origin: Passage | None, kind: JumpKind) -> list[Passage]:
    """What `x` (conflicting) or `c` (corroborating) goes through from a passage, claim order.

    From no passage: the claim's conflicting (or supporting) passages. From a passage: the
    claim's passages of the opposite (or the same) stance; a context passage has none.
    """
    conflicting = kind is JumpKind.CONFLICTING
    if origin is None:
        stance = Stance.CONFLICTS if conflicting else Stance.SUPPORTS
        return [p for p in claim.passages if p.stance is stance]
    return list(claim.conflicting(origin) if conflicting else claim.corroborating(origin))


def related(claim: Claim, origin: Passage | None, current: Passage | None, kind: JumpKind) -> Jump:
    """The next of the origin's partners after the current passage, wrapping round.

    Pressed again and again, the jump visits every partner of the origin in turn ("conflicting
    2 of 2"), and says when it comes round to the first again.
    """
    every = partners(claim, origin, kind)
    found = _anchored(every)
    if not found:
        return Jump(None, _no_partner(origin, kind, orphans=len(every)))
    at = _position(found, current) if current is not None else -1
    index = (at + 1) % len(found)
    wrapped = " (wrapped to the first)" if at >= 0 and index == 0 else ""
    return Jump(found[index], f"{kind} {index + 1} of {len(found)}{wrapped}")


def _no_partner(origin: Passage | None, kind: JumpKind, orphans: int) -> str:
    """Why a claim offers nothing to jump to, orphaned quotes said as such."""
    if orphans:
        quotes = "quote was" if orphans == 1 else f"{orphans} quotes were"
        return f"The {kind} {quotes} not found in the source (see the claim panel)"
    if origin is None:
        verb = "conflicts" if kind is JumpKind.CONFLICTING else "supports"
        return f"No passage in this claim {verb}"
    if origin.stance is Stance.CONTEXT:
        return "A context passage neither corroborates nor conflicts with others"
    if kind is JumpKind.CONFLICTING:
        return "Nothing in this claim conflicts with this passage"
    verb = "supports" if origin.stance is Stance.SUPPORTS else "conflicts with"
    return f"No other passage of this claim {verb} it"


def first_with_partner(brief: Brief, kind: JumpKind) -> Jump:
    """The topic's first passage, in brief order, with a conflicting (or corroborating) partner."""
    conflicting = kind is JumpKind.CONFLICTING
    for claim in brief.claims:
        for passage in _anchored(claim.passages):
            if _anchored(partners(claim, passage, kind)):
                what = "passage in conflict" if conflicting else "corroborated passage"
                return Jump(passage, f"first {what} in this topic")
    if conflicting:
        return Jump(None, "No conflicts in this topic")
    return Jump(None, "No passages corroborate each other in this topic")


def in_source(
    brief: Brief, source_key: str, current: Passage | None, offset: int | None, kind: JumpKind
) -> Jump:
    """The next or previous passage in one source, wrapping round at either end.

    From the current passage, or from `offset` (a selected search hit); with neither, the
    first or the last.
    """
    passages = brief.passages_in(source_key)
    forward = kind is JumpKind.NEXT
    if not passages:
        return Jump(None, "This source has no passages in this topic")
    if current is None and offset is None:
        if forward:
            return Jump(passages[0], "first passage in this source")
        return Jump(passages[-1], "last passage in this source")
    at = _position(passages, current) if current is not None else -1
    if at >= 0:
        index = at + (1 if forward else -1)
    else:
        starts = [p.span.start for p in passages if p.span is not None]
        index = bisect_left(starts, offset or 0) - (0 if forward else 1)
    if 0 <= index < len(passages):
        return Jump(passages[index], kind.value)
    if forward:
        return Jump(passages[0], "next passage (wrapped to the first in this source)")
    return Jump(passages[-1], "previous passage (wrapped to the last in this source)")


def _topic_reading(
    library: Library, path: str, current: Place | None, hint: int | None
) -> Brief | None:
    """The topic to read a source in: the current one, the hit's, else the first using it."""
    current_brief = library.brief_at(current.brief) if current else None
    hinted = library.briefs[hint] if hint is not None else None
    candidates = [current_brief, hinted, *library.briefs]
    return next(
        (b for b in candidates if b and any(s.source.path == path for s in b.sources)), None
    )


def hit_place(library: Library, hit: SearchHit, current: Place | None) -> Place | None:
    """Where a search hit opens: its passage, its span in a source, its claim or topic.

    Text that passages quote opens at the passage that quotes it in the current topic,
    else in the first topic that does, its claim chosen.
    """
    quoting = [
        (library.briefs[q.brief], library.briefs[q.brief].claims[q.claim].passages[q.passage])
        for q in hit.quotes
    ]
    quoting = [(b, p) for b, p in quoting if p.span is not None]
    if quoting:
        here = [(b, p) for b, p in quoting if current is not None and b.path == current.brief]
        return passage_place(*(here or quoting)[0])
    brief = library.briefs[hit.brief] if hit.brief is not None else None
    claim = brief.claims[hit.claim] if brief is not None and hit.claim is not None else None
    if claim is not None and hit.passage is not None:
        passage = claim.passages[hit.passage]
        if brief is not None and passage.span is not None:
            return passage_place(brief, passage)
    if hit.source_path is not None and (claim is None or hit.span is not None):
        reading = _topic_reading(library, hit.source_path, current, hit.brief)
        if reading is None:
            return None
        key = next(s.key for s in reading.sources if s.source.path == hit.source_path)
        return replace(source_place(reading, key), span=hit.span)
    if brief is None:
        return None
    if claim is None:
        return topic_place(brief)
    return claim_place(brief, claim, None)
