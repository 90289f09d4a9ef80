"""The claim × source matrix: each source file's stances on each claim, per topic or library."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import PurePosixPath

from briefing_tui.core.library.model import Brief, ClaimStatus, Library, SourceMeta, Span, Stance
from briefing_tui.core.library.text import escape_name

GLYPHS: Mapping[Stance, str] = {
    Stance.SUPPORTS: "✔",
    Stance.CONFLICTS: "✖",
    Stance.CONTEXT: "○",
}
SILENT = "—"
# For an output that cannot encode the glyphs (an ASCII terminal or pipe).
ASCII_GLYPHS: Mapping[Stance, str] = {
    Stance.SUPPORTS: "+",
    Stance.CONFLICTS: "x",
    Stance.CONTEXT: "o",
}
ASCII_SILENT = "-"


def file_label(metas: Iterable[SourceMeta], path: str) -> str:
    """A source file's label: its outlet, else its title, else its file name (never a key)."""
    known = tuple(metas)
    for name in ("outlet", "title"):
        value = next((getattr(meta, name) for meta in known if getattr(meta, name)), None)
        if value:
            return str(value)
    return escape_name(PurePosixPath(path).name)


@dataclass(frozen=True, slots=True)
class Column:
    """A source file: its library-relative path, its label and the keys briefs give it."""

    path: str
    label: str
    keys: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Row:
    """A claim: its brief, its position there, its id (if any), text and status.

    `columns` are the columns of the brief's sources: a source outside them cannot speak
    on the claim, so only these are silent in a sense worth showing.
    """

    brief_path: str
    brief_title: str
    claim_index: int
    claim_key: str  # the claim's stable name: its id, or a key derived from its text
    claim_id: str | None
    text: str
    status: ClaimStatus
    columns: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class CellPassage:
    """A passage in a cell: its position in the claim, its source key, stance and span.

    The span is None for an orphan (its quote was not found): it counts, with no offsets.
    """

    passage_index: int
    source_key: str
    stance: Stance
    span: Span | None


@dataclass(frozen=True, slots=True)
class Cell:
    """What one source file says on one claim: its passages, none when it is silent."""

    passages: tuple[CellPassage, ...] = ()

    @property
    def silent(self) -> bool:
        """Whether the source says nothing about the claim."""
        return not self.passages

    def count(self, stance: Stance) -> int:
        """How many of the cell's passages take the stance."""
        return sum(1 for passage in self.passages if passage.stance is stance)

    def mark(self, glyphs: Mapping[Stance, str] = GLYPHS, silent: str = SILENT) -> str:
        """The cell as glyphs and counts ("✔2 ✖1"), or the silent mark."""
        if self.silent:
            return silent
        counts = ((glyphs[stance], self.count(stance)) for stance in Stance)
        return " ".join(f"{glyph}{count}" for glyph, count in counts if count)


SILENT_CELL = Cell()


@dataclass(frozen=True, slots=True)
class Matrix:
    """Claims (rows, grouped by brief) against source files (columns), cells sparse."""

    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    cells: Mapping[tuple[int, int], Cell] = field(default_factory=dict)
    column_of: Mapping[str, int] = field(default_factory=dict)

    def cell(self, row: int, column: int) -> Cell:
        """The cell of a row and a column (the silent cell when the source says nothing)."""
        return self.cells.get((row, column), SILENT_CELL)

    def contested_first(self, rows: Iterable[int] | None = None) -> tuple[int, ...]:
        """Rows (all, or these) with contested claims first, otherwise in their order."""
        chosen = range(len(self.rows)) if rows is None else rows
        return tuple(
            sorted(chosen, key=lambda row: self.rows[row].status is not ClaimStatus.CONTESTED)
        )

    def silent_columns(self, row: int) -> tuple[int, ...]:
        """The columns of the row's brief that say nothing about its claim."""
        return tuple(c for c in self.rows[row].columns if (row, c) not in self.cells)

    def silent_on(self, rows: Iterable[int] | None = None) -> tuple[int, ...]:
        """Rows (all, or these) whose claim one or more of its brief's sources is silent on."""
        chosen = range(len(self.rows)) if rows is None else rows
        return tuple(row for row in chosen if self.silent_columns(row))

    def column_rows(self, path: str, rows: Iterable[int] | None = None) -> tuple[int, ...]:
        """Rows (all, or these) on which the source file at this path says something."""
        column = self.column_of.get(path)
        chosen = range(len(self.rows)) if rows is None else rows
        return tuple(row for row in chosen if (row, column) in self.cells)

    def groups(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        """The rows of each brief, as (brief path, rows), in library order."""
        grouped: dict[str, list[int]] = {}
        for number, row in enumerate(self.rows):
            grouped.setdefault(row.brief_path, []).append(number)
        return tuple((path, tuple(rows)) for path, rows in grouped.items())


def build_matrix(library: Library, briefs: Iterable[Brief] | None = None) -> Matrix:
    """The matrix of these briefs (default: the whole library); one column per source file.

    Two keys of a brief that name one file are one column, and their passages add up in
    one cell. A passage whose source could not be loaded has no file, so no column.
    """
    chosen = library.briefs if briefs is None else tuple(briefs)
    column_of: dict[str, int] = {}
    metas: list[list[SourceMeta]] = []
    keys: list[dict[str, None]] = []
    for brief in chosen:
        for brief_source in brief.sources:
            column = column_of.setdefault(brief_source.source.path, len(column_of))
            if column == len(metas):
                metas.append([])
                keys.append({})
            metas[column].append(brief_source.meta)
            keys[column][brief_source.key] = None
    columns = tuple(
        Column(path, file_label(metas[column], path), tuple(keys[column]))
        for path, column in column_of.items()
    )
    rows: list[Row] = []
    cells: dict[tuple[int, int], Cell] = {}
    for brief in chosen:
        column_by_key = {bs.key: column_of[bs.source.path] for bs in brief.sources}
        brief_columns = tuple(dict.fromkeys(column_by_key.values()))
        for index, claim in enumerate(brief.claims):
            row = len(rows)
            rows.append(
                Row(
                    brief.path,
                    brief.title,
                    index,
                    claim.key,
                    claim.id,
                    claim.text,
                    claim.status,
                    brief_columns,
                )
            )
            grouped: dict[int, list[CellPassage]] = {}
            for position, passage in enumerate(claim.passages):
                place = column_by_key.get(passage.source_key)
                if place is not None:
                    grouped.setdefault(place, []).append(
                        CellPassage(position, passage.source_key, passage.stance, passage.span)
                    )
            for column, passages in grouped.items():
                cells[row, column] = Cell(tuple(passages))
    return Matrix(columns, tuple(rows), cells, column_of)
