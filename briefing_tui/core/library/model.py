"""The immutable library model: sources, briefs, claims, passages and diagnostics."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import NamedTuple

from briefing_tui.core.library.text import WrittenText


class Stance(StrEnum):
    """How a passage bears on its claim."""

    SUPPORTS = "supports"
    CONFLICTS = "conflicts"
    CONTEXT = "context"

    @property
    def opposite(self) -> Stance | None:
        """The stance that conflicts with this one (context has none)."""
        return {Stance.SUPPORTS: Stance.CONFLICTS, Stance.CONFLICTS: Stance.SUPPORTS}.get(self)


class AnchorStatus(StrEnum):
    """How (and whether) a quote was found in its source."""

    EXACT = "exact"
    NORMALISED = "normalised"
    APPROXIMATE = "approximate"
    AMBIGUOUS = "ambiguous"
    ORPHANED = "orphaned"


class ClaimStatus(StrEnum):
    """What the passages of a claim add up to."""

    CORROBORATED = "corroborated"
    CONTESTED = "contested"
    SINGLE_SOURCE = "single-source"


class Level(StrEnum):
    """Severity of a diagnostic."""

    ERROR = "error"
    WARNING = "warning"


class Span(NamedTuple):
    """A half-open range of code-point offsets into a source's text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found while loading, located in a file where possible."""

    path: str
    level: Level
    message: str
    line: int | None = None
    column: int | None = None

    def format(self) -> str:
        """Render as `file:line:col: level: message` (parts that are unknown are left out)."""
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.level}: {self.message}"


META_KEYS = ("title", "outlet", "author", "published", "url", "kind", "note")


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """What a source states about itself; None means unknown, never guessed."""

    title: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    url: str | None = None
    kind: str | None = None
    note: str | None = None

    def merged(self, overrides: Mapping[str, str]) -> SourceMeta:
        """This metadata with a brief's overrides laid over it."""
        values = {key: getattr(self, key) for key in META_KEYS}
        values.update({k: v for k, v in overrides.items() if k in META_KEYS})
        return SourceMeta(**values)


@dataclass(frozen=True, slots=True)
class Source:
    """A source file: its sanitised body text and its front-matter metadata."""

    path: str  # posix path relative to the library root
    text: str  # sanitised body after the front matter; every offset counts into this
    meta: SourceMeta = field(default_factory=SourceMeta)
    body_line: int = 1  # line of the file on which the body starts
    # The body as written (newlines normalised), kept only where sanitising changed it.
    written: WrittenText | None = field(default=None, repr=False, compare=False)

    def line_at(self, offset: int) -> int:
        """The line of the file on which a text offset lies."""
        return self.body_line + self.text.count("\n", 0, offset)

    @property
    def body(self) -> str:
        """The body as written, newlines normalised: what exported offsets count into."""
        return self.text if self.written is None else self.written.text

    def body_span(self, span: Span) -> Span:
        """A span of the text as the span of the body as written that it shows."""
        return span if self.written is None else Span(*self.written.span(*span))


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a quote was found: its span (None when orphaned), status and score (0-100)."""

    status: AnchorStatus
    span: Span | None = None
    score: float = 100.0
    occurrences: int = 1
    closest: str | None = None  # for an orphan: the nearest text found, to show the curator


@dataclass(frozen=True, slots=True, eq=False)
class Passage:
    """A quote from one source that bears on a claim; each passage is its own identity."""

    claim: str  # the key of its claim
    source_key: str
    quote: str
    stance: Stance
    anchor: Anchor
    prefix: str | None = None
    suffix: str | None = None
    note: str | None = None
    line: int | None = None  # line in the brief file
    source_path: str | None = None  # the source file's path (None when it could not be read)

    @property
    def span(self) -> Span | None:
        """The anchored span in the source, if the quote was found."""
        return self.anchor.span


@dataclass(frozen=True, slots=True)
class Claim:
    """A statement that matters, with the passages that support or conflict with it."""

    index: int  # position in its brief, for display ("claim 2 of 7"); places use `key`
    key: str  # the id, or one derived from the text when the brief gives none
    text: str
    passages: tuple[Passage, ...]
    id: str | None = None
    note: str | None = None
    line: int | None = None

    @property
    def status(self) -> ClaimStatus:
        """Corroborated, contested or single-source, from the passages' stances.

        Two keys of a brief naming one file are one source: files are counted, not keys
        (a passage whose file is unknown counts by its key).
        """
        if any(p.stance is Stance.CONFLICTS for p in self.passages):
            return ClaimStatus.CONTESTED
        supporting = {
            ("file", p.source_path) if p.source_path is not None else ("key", p.source_key)
            for p in self.passages
            if p.stance is Stance.SUPPORTS
        }
        if len(supporting) >= 2:
            return ClaimStatus.CORROBORATED
        return ClaimStatus.SINGLE_SOURCE

    def count(self, stance: Stance) -> int:
        """How many passages take the given stance."""
        return sum(1 for p in self.passages if p.stance is stance)

    def corroborating(self, passage: Passage) -> tuple[Passage, ...]:
        """The other passages of this claim with the same stance (context has none)."""
        if passage.stance is Stance.CONTEXT:
            return ()
        return tuple(p for p in self.passages if p.stance is passage.stance and p is not passage)

    def conflicting(self, passage: Passage) -> tuple[Passage, ...]:
        """The passages of this claim with the opposite stance."""
        opposite = passage.stance.opposite
        return tuple(p for p in self.passages if opposite is not None and p.stance is opposite)


@dataclass(frozen=True, slots=True)
class BriefSource:
    """A source as a brief names it: its key, the file, and the metadata with overrides."""

    key: str
    source: Source
    meta: SourceMeta

    @property
    def label(self) -> str:
        """A short human name: outlet, else title, else the file's name (never the key alone)."""
        return self.meta.outlet or self.meta.title or self.source.path.rpartition("/")[2]


@dataclass(frozen=True, slots=True)
class Brief:
    """One topic: its claims and the sources they quote."""

    index: int  # position in the library, for display ("topic 3 of 10"); places use `path`
    path: str  # posix path relative to the library root
    title: str
    sources: tuple[BriefSource, ...]
    claims: tuple[Claim, ...] = ()
    summary: str | None = None
    tags: tuple[str, ...] = ()
    stale: bool = False  # its file no longer loads: this is its last good version

    def claim(self, key: str) -> Claim | None:
        """The claim with this key, if any."""
        return next((c for c in self.claims if c.key == key), None)

    def source(self, key: str) -> BriefSource | None:
        """The brief's source with this key, if any."""
        return next((s for s in self.sources if s.key == key), None)

    def source_label(self, key: str) -> str:
        """The label of the source with this key, or say it could not be read."""
        source = self.source(key)
        return source.label if source else f"{key} (not read)"

    def passages(self) -> Iterator[Passage]:
        """Every passage of every claim, in brief order."""
        for claim in self.claims:
            yield from claim.passages

    def passages_in(self, source_key: str) -> tuple[Passage, ...]:
        """The anchored passages in one source, in text order."""
        found = [p for p in self.passages() if p.source_key == source_key and p.span]
        # A stable sort: passages on the same span stay in brief order.
        return tuple(sorted(found, key=lambda p: p.span or Span(0, 0)))


@dataclass(frozen=True, slots=True)
class ProblemCounts:
    """How many problems a reading found, beyond the diagnostics it keeps to show."""

    errors: int = 0
    warnings: int = 0
    files_cut: int = 0  # files with more than MAX_DIAGNOSTICS_PER_FILE problems

    @classmethod
    def of(cls, diagnostics: Iterable[Diagnostic]) -> ProblemCounts:
        """The counts of these diagnostics, all of them shown."""
        levels = Counter(d.level for d in diagnostics)
        return cls(levels[Level.ERROR], levels[Level.WARNING])


@dataclass(frozen=True, slots=True)
class Library:
    """Everything loaded from a library root, plus the problems found on the way."""

    root: Path
    briefs: tuple[Brief, ...] = ()
    sources: Mapping[str, Source] = field(default_factory=dict)
    diagnostics: tuple[Diagnostic, ...] = ()
    counts: ProblemCounts | None = None  # the true counts, when more were found than are kept

    def brief_at(self, path: str) -> Brief | None:
        """The brief loaded from this library-relative path, if any."""
        return next((b for b in self.briefs if b.path == path), None)

    @property
    def problems(self) -> ProblemCounts:
        """How many problems loading found: all of them, not only the diagnostics kept."""
        return self.counts if self.counts is not None else ProblemCounts.of(self.diagnostics)
