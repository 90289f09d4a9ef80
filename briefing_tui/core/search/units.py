"""What search indexes (source sentences, claims, notes, titles), kept as columns of numbers.

No object per unit: a library of 300,000 sentences would spend most of its index on them.
Units are numbered best static rank first; their folded text lies in stretches of joined
text (one per CHUNK_UNITS units, each unit between two line breaks), and everything else
about a unit is a number in an array: its kind and the sources, briefs and stances it
shares with units alike (its group), its span and line in its source, its claim and passage.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum

from briefing_tui.core.library.model import Brief, Library, Span, Stance
from briefing_tui.core.search.query import Term, TermKind, fold

MAX_UNIT_CHARS = 320  # longer sentences and lines are cut at a space (or anywhere) below this
CHUNK_UNITS = 1024  # units per stretch of joined text: a wide character widens only its own
NONE = -1  # in the claim and passage columns: the unit has none
# Units are most of the work of building an index, their words the rest.
UNITS_SHARE = 0.7

Progress = Callable[[float], None]  # told the fraction of an index built so far

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


KINDS = tuple(HitKind)  # a kind's code in the kind column is its position here

# Kind and brevity order units that match equally well: a title before a long sentence.
_KIND_WEIGHT = {
    HitKind.TITLE: 1.0,
    HitKind.CLAIM: 0.8,
    HitKind.SOURCE: 0.7,
    HitKind.SUMMARY: 0.6,
    HitKind.NOTE: 0.5,
    HitKind.TEXT: 0.3,
}


def rank_of(kind: HitKind, length: int) -> float:
    """A unit's static score in [0, 1): kind first, then brevity."""
    return 0.5 * _KIND_WEIGHT[kind] + 0.49 * 60 / (60 + length)


@dataclass(frozen=True, slots=True)
class Group:
    """What units alike share: kind, briefs, the source they are text of, and stances."""

    kind: HitKind
    briefs: tuple[int, ...]  # the brief it belongs to, or the briefs that cite its source
    sources: tuple[str, ...]  # the source it is text of, names, or notes a passage of
    stances: frozenset[Stance]

    @property
    def source_path(self) -> str | None:
        """The source a hit of this group opens in."""
        return self.sources[0] if self.sources else None


@dataclass(frozen=True, slots=True)
class Quoting:
    """A passage whose quote covers a unit of source text: brief, claim, and passage in it."""

    brief: int
    claim: int
    passage: int


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


@dataclass(slots=True)
class Columns:
    """The arrays that describe units, one entry per unit, in unit order."""

    starts: array[int]  # where the unit's text starts in its chunk (after a line break)
    lengths: array[int]
    groups: array[int]  # position in the group table
    spans: array[int]  # text units: where the unit starts in its source's text
    lines: array[int]  # text units: the line of the source file it starts on
    claims: array[int]  # claims and notes: the claim's position in its brief, else NONE
    passages: array[int]  # passage notes: the passage's position in its claim, else NONE

    @classmethod
    def empty(cls) -> Columns:
        """Columns without units."""
        return cls(*(array("i") for _ in range(7)))


class Units:
    """Every unit of a library, best static rank first, and its text, folded and as written."""

    def __init__(
        self,
        chunks: list[str],
        columns: Columns,
        table: list[Group],
        quotes: dict[int, tuple[Quoting, ...]],
        written: Mapping[int, str],
        source_texts: Mapping[str, str] | None = None,
        originals: Callable[[int], str] | None = None,
    ) -> None:
        self.chunks = chunks  # "\n" + unit + "\n" + unit + ... + "\n", folded
        self.columns = columns
        self.table = table
        self.quotes = quotes  # text units that passages quote
        # The text as written: from the library's sources (a text unit is a span of one) and
        # `written` for the others; or, without a library, `originals` gives the chunk of
        # written text laid out as the folded one.
        self._written = written
        self._source_texts = source_texts
        self._originals = originals

    def __len__(self) -> int:
        """How many units there are."""
        return len(self.columns.starts)

    def group(self, number: int) -> Group:
        """What a unit shares with units alike."""
        return self.table[self.columns.groups[number]]

    def kind(self, number: int) -> HitKind:
        """A unit's kind."""
        return self.table[self.columns.groups[number]].kind

    def rank(self, number: int) -> float:
        """A unit's static score (see rank_of)."""
        return rank_of(self.kind(number), self.columns.lengths[number])

    def folded(self, number: int) -> str:
        """A unit's text as search compares it."""
        start = self.columns.starts[number]
        return self.chunks[number // CHUNK_UNITS][start : start + self.columns.lengths[number]]

    def text(self, number: int) -> str:
        """A unit's text as written."""
        start, length = self.columns.starts[number], self.columns.lengths[number]
        if self._originals is not None:
            return self._originals(number // CHUNK_UNITS)[start : start + length]
        written = self._written.get(number)
        if written is not None:
            return written
        path = self.group(number).source_path
        assert path is not None and self._source_texts is not None
        at = self.columns.spans[number]
        return self._source_texts[path][at : at + length]

    def span(self, number: int) -> Span | None:
        """A text unit's span in its source's text."""
        if self.kind(number) is not HitKind.TEXT:
            return None
        start = self.columns.spans[number]
        return Span(start, start + self.columns.lengths[number])

    def holds(self, number: int, term: Term) -> bool:
        """Whether a substring-kind term holds in a unit (without cutting its text out)."""
        chunk = self.chunks[number // CHUNK_UNITS]
        start = self.columns.starts[number]
        end = start + self.columns.lengths[number]
        text = term.text
        if term.kind is TermKind.PREFIX:
            return chunk.startswith(text, start, end)
        if term.kind is TermKind.SUFFIX:
            return chunk.endswith(text, start, end)
        if term.kind is TermKind.WHOLE:
            return end - start == len(text) and chunk.startswith(text, start, end)
        return chunk.find(text, start, end) >= 0

    def scan(self, term: Term) -> Iterator[int]:
        """The units a substring-kind term holds in, in order, found by C code in the chunks."""
        # A unit sits between line breaks, and no term holds a line break (see query.fold).
        needle = term.text
        if term.kind in (TermKind.PREFIX, TermKind.WHOLE):
            needle = "\n" + needle
        if term.kind in (TermKind.SUFFIX, TermKind.WHOLE):
            needle += "\n"
        starts, lengths = self.columns.starts, self.columns.lengths
        for number, chunk in enumerate(self.chunks):
            first = number * CHUNK_UNITS
            last = min(first + CHUNK_UNITS, len(starts))
            at = chunk.find(needle)
            while at >= 0:
                # The unit holding the first character that must lie in a unit.
                inside = at + 1 if term.kind in (TermKind.PREFIX, TermKind.WHOLE) else at
                unit = bisect_right(starts, inside, first, last) - 1
                yield unit
                at = chunk.find(needle, starts[unit] + lengths[unit])


class _Builder:
    """Units gathered in library order, then laid out best rank first."""

    def __init__(self) -> None:
        self.keys = array("d")  # minus the rank: sorting puts the best first
        self.columns = Columns.empty()
        self.texts: list[str] = []  # per source or own unit: the text units lie in
        self.origin = array("i")  # per unit: which of `texts`
        self.written: dict[int, str] = {}
        self.quotes: dict[int, tuple[Quoting, ...]] = {}
        self.table: list[Group] = []
        self._group_ids: dict[Group, int] = {}

    def group_id(self, group: Group) -> int:
        """The position of a group in the table, added when new."""
        known = self._group_ids.get(group)
        if known is None:
            known = self._group_ids[group] = len(self.table)
            self.table.append(group)
        return known

    def add_source(
        self,
        text: str,
        body_line: int,
        briefs: tuple[int, ...],
        path: str,
        quoted: list[tuple[Span, Stance, Quoting]],
    ) -> None:
        """Add a source's sentences, with the stances and passages that cover each."""
        spans = text_units(text)
        starts = [span.start for span in spans]
        stances: defaultdict[int, set[Stance]] = defaultdict(set)
        quoting: defaultdict[int, list[Quoting]] = defaultdict(list)
        for quote, stance, where in quoted:
            index = max(bisect_right(starts, quote.start) - 1, 0)
            while index < len(spans) and spans[index].start < quote.end:
                if spans[index].end > quote.start:
                    stances[index].add(stance)
                    quoting[index].append(where)
                index += 1
        origin = len(self.texts)
        self.texts.append(text)  # the library's own string: folded a unit at a time, no copy
        plain = self.group_id(Group(HitKind.TEXT, briefs, (path,), frozenset()))
        columns, first = self.columns, len(self.keys)
        line, counted = body_line, 0
        for index, (start, end) in enumerate(spans):
            line += text.count("\n", counted, start)
            counted = start
            self.keys.append(-rank_of(HitKind.TEXT, end - start))
            columns.starts.append(start)
            columns.lengths.append(end - start)
            columns.spans.append(start)
            columns.lines.append(line)
            self.origin.append(origin)
            if index in stances:
                group = Group(HitKind.TEXT, briefs, (path,), frozenset(stances[index]))
                columns.groups.append(self.group_id(group))
            else:
                columns.groups.append(plain)
        for index, found in quoting.items():
            self.quotes[first + index] = tuple(found)
        columns.claims.extend(array("i", [NONE]) * len(spans))
        columns.passages.extend(array("i", [NONE]) * len(spans))

    def add_own(self, text: str, group: Group, claim: int = NONE, passage: int = NONE) -> None:
        """Add a unit that is its own text: a title, summary, claim or note."""
        text = text.strip()
        self.written[len(self.keys)] = text
        self.keys.append(-rank_of(group.kind, len(text)))
        columns = self.columns
        columns.starts.append(0)
        columns.lengths.append(len(text))
        columns.spans.append(0)
        columns.lines.append(0)
        columns.claims.append(claim)
        columns.passages.append(passage)
        columns.groups.append(self.group_id(group))
        self.origin.append(len(self.texts))
        self.texts.append(text)

    def add_brief(self, brief: Brief) -> None:
        """Add a brief's title, summary, claims and notes."""
        # Titles, summaries and claims are no source's text: source: and kind: filters, which
        # select source text, leave them out.
        own = (brief.index,)
        self.add_own(brief.title, Group(HitKind.TITLE, own, (), frozenset()))
        if brief.summary:
            self.add_own(brief.summary, Group(HitKind.SUMMARY, own, (), frozenset()))
        for claim in brief.claims:
            stances = frozenset(p.stance for p in claim.passages)
            self.add_own(claim.text, Group(HitKind.CLAIM, own, (), stances), claim.index)
            if claim.note:
                self.add_own(claim.note, Group(HitKind.NOTE, own, (), stances), claim.index)
            for number, passage in enumerate(claim.passages):
                if not passage.note:
                    continue
                named = brief.source(passage.source_key)
                paths = (named.source.path,) if named is not None else ()
                group = Group(HitKind.NOTE, own, paths, frozenset({passage.stance}))
                self.add_own(passage.note, group, claim.index, number)

    def laid_out(self, source_texts: Mapping[str, str]) -> Units:
        """The units best rank first (ties in library order), their text in chunks."""
        order = sorted(range(len(self.keys)), key=self.keys.__getitem__)
        old = self.columns
        columns = Columns(*(array("i", map(column.__getitem__, order)) for column in _fields(old)))
        renumbered = array("i", bytes(4 * len(order)))
        for new, number in enumerate(order):
            renumbered[number] = new
        chunks: list[str] = []
        texts, origin = self.texts, self.origin
        for first in range(0, len(order), CHUNK_UNITS):
            parts = []
            at = 1
            for new in range(first, min(first + CHUNK_UNITS, len(order))):
                start, length = columns.starts[new], columns.lengths[new]
                parts.append(fold(texts[origin[order[new]]][start : start + length]))
                columns.starts[new] = at
                at += length + 1
            chunks.append("\n" + "\n".join(parts) + "\n")
        written = {renumbered[n]: text for n, text in self.written.items()}
        quotes = {renumbered[n]: found for n, found in self.quotes.items()}
        return Units(chunks, columns, self.table, quotes, written, source_texts)


def _fields(columns: Columns) -> tuple[array[int], ...]:
    return (
        columns.starts,
        columns.lengths,
        columns.groups,
        columns.spans,
        columns.lines,
        columns.claims,
        columns.passages,
    )


def collect_own(units: Iterable[tuple[str, Group, int, int]]) -> Units:
    """Units that are their own text, each given with its group, claim and passage."""
    builder = _Builder()
    for text, group, claim, passage in units:
        builder.add_own(text, group, claim, passage)
    return builder.laid_out({})


def collect_units(library: Library, progress: Progress | None = None) -> Units:
    """Every unit of a library: source sentences and titles, then each brief's own units."""
    cited_by: defaultdict[str, list[int]] = defaultdict(list)
    quoted: defaultdict[str, list[tuple[Span, Stance, Quoting]]] = defaultdict(list)
    for brief in library.briefs:
        for named in brief.sources:
            if brief.index not in cited_by[named.source.path]:
                cited_by[named.source.path].append(brief.index)
        for claim in brief.claims:
            for number, passage in enumerate(claim.passages):
                quoting = brief.source(passage.source_key)
                if quoting is not None and passage.span is not None:
                    where = Quoting(brief.index, claim.index, number)
                    quoted[quoting.source.path].append((passage.span, passage.stance, where))
    builder = _Builder()
    for done, path in enumerate(sorted(library.sources)):
        if progress is not None and done % 64 == 0:
            progress(UNITS_SHARE * done / len(library.sources))
        source = library.sources[path]
        briefs = tuple(cited_by.get(path, ()))
        builder.add_source(source.text, source.body_line, briefs, path, quoted.get(path, []))
        title = " — ".join(t for t in (source.meta.title, source.meta.outlet) if t) or path
        builder.add_own(title, Group(HitKind.SOURCE, briefs, (path,), frozenset()))
    for brief in library.briefs:
        builder.add_brief(brief)
    return builder.laid_out({path: source.text for path, source in library.sources.items()})
