"""What search indexes: units of source text, claims, notes and titles, and their kinds."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

from briefing_tui.core.library.model import Brief, Library, Span, Stance
from briefing_tui.core.search.query import lowercase

MAX_UNIT_CHARS = 320  # longer sentences and lines are cut at a space (or anywhere) below this

_NO_STANCES: frozenset[Stance] = frozenset()
_NON_SPACE = re.compile(r"\S")
# Units end at blank lines and at sentence ends: . ! ? or … (with closing quotes or
# brackets) before white space, except after a one-letter word, so that "U.S. President"
# and "D.C." stay whole. A single line break does not end a unit: hard-wrapped sentences
# stay whole. The character class comes first so that the scan rejects most positions at once.
_BREAK = re.compile(r"(?P<sentence>[.!?…](?<!\b\w\.)[\"'”’)\]]*)\s+|\n[^\S\n]*\n\s*")


class HitKind(StrEnum):
    """What kind of unit a search hit is."""

    TEXT = "text"
    CLAIM = "claim"
    NOTE = "note"
    TITLE = "title"
    SUMMARY = "summary"
    SOURCE = "source"


# Kind and brevity order units that match equally well: a title before a long sentence.
_KIND_WEIGHT = {
    HitKind.TITLE: 1.0,
    HitKind.CLAIM: 0.8,
    HitKind.SOURCE: 0.7,
    HitKind.SUMMARY: 0.6,
    HitKind.NOTE: 0.5,
    HitKind.TEXT: 0.3,
}


@dataclass(frozen=True, slots=True)
class Unit:
    """One searchable piece of a library: its text, folded text, and where it belongs."""

    kind: HitKind
    text: str
    folded: str
    briefs: tuple[int, ...]  # the brief it belongs to, or the briefs that cite its source
    sources: tuple[str, ...]  # the source it is text of, names, or notes a passage of
    stances: frozenset[Stance]
    source_path: str | None = None
    span: Span | None = None
    claim: int | None = None
    passage: int | None = None  # position of the passage in its claim (passage notes)

    @property
    def rank(self) -> float:
        """A static score in [0, 1): kind first, then brevity."""
        return 0.5 * _KIND_WEIGHT[self.kind] + 0.49 * 60 / (60 + len(self.text))


def searched(text: str) -> str:
    """Text as search compares it: lower case, line breaks as spaces, offsets unchanged."""
    # A phrase then matches across a hard wrap.
    return lowercase(text).replace("\n", " ")


def text_units(text: str) -> list[Span]:
    """Split source text into sentences of at most MAX_UNIT_CHARS, ended by blank lines too."""
    spans: list[Span] = []
    start = 0
    for brk in _BREAK.finditer(text):
        end = brk.end("sentence") if brk.start("sentence") >= 0 else brk.start()
        if end > start:
            _add_bounded(text, start, end, spans)
        start = brk.end()
    if start < len(text):
        _add_bounded(text, start, len(text), spans)
    return spans


def _add_bounded(text: str, start: int, end: int, spans: list[Span]) -> None:
    if end - start <= MAX_UNIT_CHARS and not (text[start].isspace() or text[end - 1].isspace()):
        spans.append(Span(start, end))
        return
    while (first := _NON_SPACE.search(text, start, end)) is not None:
        start = first.start()
        cut = end
        if end - start > MAX_UNIT_CHARS:
            window = (start + MAX_UNIT_CHARS // 2, start + MAX_UNIT_CHARS)
            cut = max(text.rfind(" ", *window), text.rfind("\n", *window))
            if cut <= start:
                cut = start + MAX_UNIT_CHARS
        stop = cut
        while text[stop - 1].isspace():
            stop -= 1
        spans.append(Span(start, stop))
        start = cut


def collect_units(library: Library) -> Iterator[Unit]:
    """Every unit of a library: source sentences and titles, then each brief's own units."""
    cited_by: defaultdict[str, list[int]] = defaultdict(list)
    quoted: defaultdict[str, list[tuple[Span, Stance]]] = defaultdict(list)
    for brief in library.briefs:
        for named in brief.sources:
            if brief.index not in cited_by[named.source.path]:
                cited_by[named.source.path].append(brief.index)
        for passage in brief.passages():
            quoting = brief.source(passage.source_key)
            if quoting is not None and passage.span is not None:
                quoted[quoting.source.path].append((passage.span, passage.stance))
    for path in sorted(library.sources):
        source = library.sources[path]
        briefs = tuple(cited_by.get(path, ()))
        yield from _source_units(source.text, path, briefs, quoted.get(path, []))
        title = " — ".join(t for t in (source.meta.title, source.meta.outlet) if t) or path
        yield _unit(HitKind.SOURCE, title, briefs, (path,), source_path=path)
    for brief in library.briefs:
        yield from _brief_units(brief)


def _unit(
    kind: HitKind,
    text: str,
    briefs: tuple[int, ...],
    sources: tuple[str, ...] = (),
    stances: frozenset[Stance] = frozenset(),
    **where: object,
) -> Unit:
    text = text.strip()
    return Unit(kind, text, searched(text), briefs, sources, stances, **where)  # type: ignore[arg-type]


def _source_units(
    text: str, path: str, briefs: tuple[int, ...], quoted: list[tuple[Span, Stance]]
) -> Iterator[Unit]:
    spans = text_units(text)
    starts = [span.start for span in spans]
    stances: defaultdict[int, set[Stance]] = defaultdict(set)
    for quote, stance in quoted:
        index = max(bisect_right(starts, quote.start) - 1, 0)
        while index < len(spans) and spans[index].start < quote.end:
            if spans[index].end > quote.start:
                stances[index].add(stance)
            index += 1
    folded = searched(text)
    sources = (path,)
    for index, (start, end) in enumerate(spans):
        yield Unit(
            HitKind.TEXT,
            text[start:end],
            folded[start:end],
            briefs,
            sources,
            frozenset(stances[index]) if index in stances else _NO_STANCES,
            source_path=path,
            span=spans[index],
        )


def _brief_units(brief: Brief) -> Iterator[Unit]:
    # Titles, summaries and claims are no source's text: source: and kind: filters, which
    # select source text, leave them out.
    own = (brief.index,)
    yield _unit(HitKind.TITLE, brief.title, own)
    if brief.summary:
        yield _unit(HitKind.SUMMARY, brief.summary, own)
    for claim in brief.claims:
        stances = frozenset(p.stance for p in claim.passages)
        yield _unit(HitKind.CLAIM, claim.text, own, (), stances, claim=claim.index)
        if claim.note:
            yield _unit(HitKind.NOTE, claim.note, own, (), stances, claim=claim.index)
        for number, passage in enumerate(claim.passages):
            if not passage.note:
                continue
            named = brief.source(passage.source_key)
            path = named.source.path if named is not None else None
            yield _unit(
                HitKind.NOTE,
                passage.note,
                own,
                (path,) if path else (),
                frozenset({passage.stance}),
                source_path=path,
                claim=claim.index,
                passage=number,
            )
