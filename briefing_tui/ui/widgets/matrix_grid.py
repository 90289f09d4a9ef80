"""The claim × source grid: claims down the side, source files across, drawn line by line."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing_tui.core.library.model import ClaimStatus, Stance
from briefing_tui.core.library.text import one_line
from briefing_tui.core.matrix import GLYPHS, SILENT, Cell, Matrix, Row
from briefing_tui.ui.labels import STATUS_GLYPHS

STATUS_WIDTH = max(len(status) for status in ClaimStatus)
LABEL_CELLS = 12  # the most a column's label takes in the header; the cell line says it all
# The claim column never scrolls sideways. It takes what the source columns leave, up to
# CLAIM_CELLS[1]; when they do not fit, a share of the width, and CLAIM_CELLS[0] at least.
CLAIM_SHARE = 0.4
CLAIM_CELLS = (30, 90)
CURSOR_MARK = "▶"
GLYPH_CELLS = {stance: cell_len(glyph) for stance, glyph in GLYPHS.items()}
# Narrower, the claim column shows the status by its glyph alone (the cell line says it).
STATUS_WORDS_FROM = 44


@dataclass(frozen=True, slots=True)
class Heading:
    """A topic's heading line in the whole-library grid."""

    title: str
    claims: int


GridLine = int | Heading  # a row of the matrix, or the heading of a topic's rows


def fit(text: str, cells: int) -> str:
    """Text cut (with an ellipsis) or padded to exactly `cells` terminal cells."""
    if cells <= 0:
        return ""
    if cell_len(text) > cells:
        text = set_cell_size(text, cells - 1).rstrip() + "…"
    return set_cell_size(text, cells)


class MatrixGrid(ScrollView, can_focus=True):
    """A claim × source matrix: a fixed claim column, source columns that scroll sideways.

    Only the lines and columns in view are drawn, so a library of thousands of claims and
    hundreds of sources opens as fast as a topic. The cursor moves over the cells of the
    sources of each claim's topic; Enter (or a click on the cursor's cell) chooses it.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "choose", "Open", id="matrix.open", tooltip="Open this cell in the reader"
        ),
        Binding("up", "move(-1)", "Up", show=False),
        Binding("down", "move(1)", "Down", show=False),
        Binding("left", "across(-1)", "Left", show=False),
        Binding("right", "across(1)", "Right", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("home", "end(-1)", "First claim", show=False),
        Binding("end", "end(1)", "Last claim", show=False),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "matrix-grid--header",
        "matrix-grid--heading",
        "matrix-grid--cursor",
        "matrix-grid--cursor-row",
        "matrix-grid--silent",
        *(f"matrix-grid--{stance}" for stance in Stance),
        *(f"matrix-grid--{status}" for status in ClaimStatus),
    }

    DEFAULT_CSS = """
    MatrixGrid {
        background: $surface;
        color: $foreground;
        scrollbar-size: 1 1;
        & > .matrix-grid--header { text-style: bold underline; background: $panel; }
        & > .matrix-grid--heading { text-style: bold; background: $boost; }
        & > .matrix-grid--cursor { text-style: bold reverse; }
        & > .matrix-grid--cursor-row { text-style: bold; }
        & > .matrix-grid--silent { color: $text-muted; }
        & > .matrix-grid--supports { color: $text-success; }
        & > .matrix-grid--conflicts { color: $text-error; text-style: bold; }
        & > .matrix-grid--context { color: $text-primary; }
        & > .matrix-grid--corroborated { color: $text-success; }
        & > .matrix-grid--contested { color: $text-error; }
        & > .matrix-grid--single-source { color: $text-muted; }
    }
    """

    class CursorMoved(Message):
        """The cursor is on another cell: a row and a column of the matrix (None: nowhere)."""

        def __init__(self, row: int | None, column: int | None) -> None:
            super().__init__()
            self.row = row
            self.column = column

    class CellChosen(Message):
        """A cell was chosen: a row and a column of the matrix."""

        def __init__(self, row: int, column: int) -> None:
            super().__init__()
            self.row = row
            self.column = column

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._matrix = Matrix((), ())
        self._lines: Sequence[GridLine] = ()
        self._columns: Sequence[int] = ()
        self._line_of: dict[int, int] = {}
        self._rows: list[int] = []  # the lines that are rows, not headings
        self._widths: list[int] = []
        self._starts: list[int] = [0]
        self._line = 0  # the cursor's line (a row line, when there is one)
        self._position: int | None = None  # the cursor's column, as a position in view
        self._styles: dict[str, Style] = {}
        self._measured: tuple[Matrix, dict[int, int]] | None = None

    # What is shown

    def show(
        self,
        matrix: Matrix,
        lines: Sequence[GridLine],
        columns: Sequence[int],
        cursor: tuple[int, int | None] | None = None,
    ) -> None:
        """Show these lines and columns of a matrix, the cursor on a (row, column) if given."""
        self._matrix, self._lines, self._columns = matrix, lines, columns
        self._line_of = {line: n for n, line in enumerate(lines) if isinstance(line, int)}
        self._rows = sorted(self._line_of.values())
        widest = self._widest(matrix)
        self._widths = [
            max(6, min(LABEL_CELLS, cell_len(one_line(matrix.columns[c].label))), widest.get(c, 0))
            + 2
            for c in columns
        ]
        self._starts = [0]
        for width in self._widths:
            self._starts.append(self._starts[-1] + width)
        line = self._line_of.get(cursor[0], -1) if cursor is not None else -1
        wanted = cursor[1] if cursor is not None else None
        self._line = line if line >= 0 else next(iter(self._rows), 0)
        position = columns.index(wanted) if wanted in columns else None
        self._position = self._allowed_position(position)
        self.scroll_to(0, 0, animate=False, immediate=True)
        self._layout()
        self._reveal()
        self.refresh()
        self._announce()

    def _widest(self, matrix: Matrix) -> dict[int, int]:
        """The widest cell of each column, in cells, measured once per matrix."""
        if self._measured is not None and self._measured[0] is matrix:
            return self._measured[1]
        widest: dict[int, int] = {}
        for (_, column), cell in matrix.cells.items():
            counts: dict[Stance, int] = {}
            for passage in cell.passages:
                counts[passage.stance] = counts.get(passage.stance, 0) + 1
            # As cell.mark() draws it, "✔2 ✖1", without building the string.
            width = sum(GLYPH_CELLS[stance] + len(str(n)) for stance, n in counts.items())
            widest[column] = max(widest.get(column, 0), width + len(counts) - 1)
        self._measured = (matrix, widest)
        return widest

    @property
    def lines(self) -> Sequence[GridLine]:
        """The lines shown: rows of the matrix and topic headings."""
        return self._lines

    @property
    def columns(self) -> Sequence[int]:
        """The columns of the matrix shown, in order."""
        return self._columns

    @property
    def cursor(self) -> tuple[int | None, int | None]:
        """The matrix row and column under the cursor (None for either when there is none)."""
        line = self._lines[self._line] if self._line < len(self._lines) else None
        row = line if isinstance(line, int) else None
        column = self._columns[self._position] if self._position is not None else None
        return row, column

    @property
    def claim_cells(self) -> int:
        """The width of the claim column at the current size."""
        width = self.scrollable_content_region.width
        least = min(width, max(CLAIM_CELLS[0], int(width * CLAIM_SHARE)))
        return max(least, min(width - self._starts[-1], CLAIM_CELLS[1]))

    def _layout(self) -> None:
        self.virtual_size = Size(self.claim_cells + self._starts[-1], len(self._lines) + 1)

    def on_resize(self, event: events.Resize) -> None:
        """Lay the grid out again for the new size, keeping the cursor in view."""
        self._layout()
        self._reveal()

    def notify_style_update(self) -> None:
        """Forget looked-up styles when the theme or styles change."""
        super().notify_style_update()
        self._styles.clear()

    def _style(self, name: str) -> Style:
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"matrix-grid--{name}")
        return style

    # The cursor

    def _allowed(self, line: int) -> list[int]:
        """The positions of the columns the cursor may take on a line: its topic's sources."""
        row = self._lines[line] if line < len(self._lines) else None
        if not isinstance(row, int):
            return []
        own = self._matrix.rows[row].columns
        return [p for p, column in enumerate(self._columns) if column in own]

    def _allowed_position(self, wanted: int | None) -> int | None:
        """The allowed position on the cursor's line nearest the one wanted."""
        allowed = self._allowed(self._line)
        if not allowed:
            return None
        if wanted is None:
            return allowed[0]
        return min(allowed, key=lambda p: (abs(p - wanted), p))

    def _move_to(self, line: int, position: int | None) -> None:
        if line == self._line and position == self._position:
            return
        self._line = line
        self._position = self._allowed_position(position)
        self._reveal()
        self.refresh()
        self._announce()

    def _announce(self) -> None:
        row, column = self.cursor
        self.post_message(self.CursorMoved(row, column))

    def _reveal(self) -> None:
        """Scroll so the cursor's cell (and its topic's heading, above a first row) shows."""
        region = self.scrollable_content_region
        if not region.height or not self._lines:
            return
        body = max(1, region.height - 1)
        top = round(self.scroll_y)
        line = self._line
        wanted_top = line - 1 if line and isinstance(self._lines[line - 1], Heading) else line
        if wanted_top < top:
            top = wanted_top
        elif line >= top + body:
            top = line - body + 1
        left = round(self.scroll_x)
        if self._position is not None:
            view = max(1, region.width - self.claim_cells)
            start, end = self._starts[self._position], self._starts[self._position + 1]
            if start < left:
                left = start
            elif end > left + view:
                left = end - view
        self.scroll_to(left, top, animate=False, immediate=True)

    def _nearest_row(self, line: int) -> int:
        """The row line nearest a line (the one above, on a tie)."""
        rows = self._rows
        at = bisect_left(rows, line)
        candidates = rows[max(0, at - 1) : at + 1]
        return min(candidates, key=lambda n: (abs(n - line), n))

    def action_move(self, step: int) -> None:
        """Move the cursor to the next (or previous) claim."""
        rows = self._rows
        if rows:
            at = bisect_left(rows, self._line)
            self._move_to(rows[max(0, min(len(rows) - 1, at + step))], self._position)

    def action_page(self, step: int) -> None:
        """Move the cursor a page of claims up or down."""
        body = max(1, self.scrollable_content_region.height - 2)
        if self._rows:
            self._move_to(self._nearest_row(self._line + step * body), self._position)

    def action_end(self, step: int) -> None:
        """Move the cursor to the first (or last) claim."""
        rows = self._rows
        if rows:
            self._move_to(rows[0] if step < 0 else rows[-1], self._position)

    def action_across(self, step: int) -> None:
        """Move the cursor to the next (or previous) source of the claim's topic."""
        allowed = self._allowed(self._line)
        if not allowed or self._position is None:
            return
        index = max(0, min(len(allowed) - 1, allowed.index(self._position) + step))
        self._move_to(self._line, allowed[index])

    def action_choose(self) -> None:
        """Choose the cell under the cursor."""
        row, column = self.cursor
        if row is not None and column is not None:
            self.post_message(self.CellChosen(row, column))

    def on_click(self, event: events.Click) -> None:
        """Put the cursor on the clicked cell; a click on the cursor's cell chooses it."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y < 1:
            return
        line = round(self.scroll_y) + offset.y - 1
        if line >= len(self._lines) or not isinstance(self._lines[line], int):
            return
        position = self._position
        x = offset.x - self.claim_cells
        if x >= 0:
            position = bisect_right(self._starts, round(self.scroll_x) + x) - 1
            if position not in self._allowed(line):
                return
        if (line, position) == (self._line, self._position):
            self.action_choose()
        else:
            self._move_to(line, position)

    # Drawing

    def render_line(self, y: int) -> Strip:
        """The header at the top, then the lines in view."""
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width, base)
        index = round(self.scroll_y) + y - 1
        if index >= len(self._lines):
            return Strip.blank(width, base)
        line = self._lines[index]
        if isinstance(line, Heading):
            noun = "claim" if line.claims == 1 else "claims"
            text = f" {one_line(line.title)} ({line.claims} {noun})"
            return Strip([Segment(fit(text, width), base + self._style("heading"))], width)
        return self._row(index, line, width, base)

    def _in_view(self, width: int) -> range:
        """The positions of the columns that show at least in part, scrolled as they are."""
        left = round(self.scroll_x)
        view = max(0, width - self.claim_cells)
        first = max(0, bisect_right(self._starts, left) - 1)
        last = bisect_left(self._starts, left + view)
        return range(first, min(last, len(self._columns)))

    def _header(self, width: int, base: Style) -> Strip:
        style = base + self._style("header")
        # Over the row labels: "▶ ✔ corroborated  12. text", or "▶ ✔  12. text" when narrow.
        status = f"  {'status':<{STATUS_WIDTH}}" if self._status_words else " "
        label = fit(f"  {status}     claim", self.claim_cells)
        pieces = []
        shown = self._in_view(width)
        for position in shown:
            text = one_line(self._matrix.columns[self._columns[position]].label)
            cut = " " + fit(text, self._widths[position] - 2) + " "
            marked = style + self._style("cursor") if position == self._position else style
            pieces.append(Segment(cut, marked))
        return self._join(Strip([Segment(label, style)]), pieces, shown, width, style)

    def _row(self, index: int, row_number: int, width: int, base: Style) -> Strip:
        row = self._matrix.rows[row_number]
        on_cursor = index == self._line
        line_style = base + self._style("cursor-row") if on_cursor else base
        label = self._row_label(row, on_cursor, line_style)
        pieces: list[Segment] = []
        shown = self._in_view(width)
        for position in shown:
            column = self._columns[position]
            cell_width = self._widths[position]
            if column not in row.columns:
                pieces.append(Segment(" " * cell_width, base))  # not a source of its topic
                continue
            cell = self._matrix.cell(row_number, column)
            cursor = on_cursor and position == self._position
            pieces.extend(self._cell(cell, cell_width, base, cursor))
        return self._join(label, pieces, shown, width, base)

    @property
    def _status_words(self) -> bool:
        """Whether the claim column has room for the status in words beside its glyph."""
        return self.claim_cells >= STATUS_WORDS_FROM

    def _row_label(self, row: Row, on_cursor: bool, style: Style) -> Strip:
        status = row.status
        glyph = STATUS_GLYPHS[status]
        mark = f"{glyph} {status:<{STATUS_WIDTH}}" if self._status_words else glyph
        number = f" {row.claim_index + 1:>2}. "
        rest = self.claim_cells - 2 - cell_len(mark) - len(number)
        return Strip(
            [
                Segment(f"{CURSOR_MARK if on_cursor else ' '} ", style),
                Segment(mark, style + self._style(str(status))),
                Segment(number + fit(one_line(row.text), max(0, rest)), style),
            ]
        ).adjust_cell_length(self.claim_cells, style)

    def _cell(self, cell: Cell, width: int, base: Style, cursor: bool) -> list[Segment]:
        """A cell's glyphs and counts (or the silent mark), one space either side."""
        over = self._style("cursor") if cursor else Style()
        if cell.silent:
            return [
                Segment(" " + fit(SILENT, width - 2) + " ", base + self._style("silent") + over)
            ]
        segments = [Segment(" ", base + over)]
        used = 1
        for stance in Stance:
            count = cell.count(stance)
            if not count:
                continue
            text = f"{' ' if used > 1 else ''}{GLYPHS[stance]}{count}"
            segments.append(Segment(text, base + self._style(str(stance)) + over))
            used += cell_len(text)
        segments.append(Segment(" " * (width - used), base + over))
        return segments

    def _join(
        self, label: Strip, pieces: list[Segment], shown: range, width: int, style: Style
    ) -> Strip:
        """The fixed claim column, then the columns in view, scrolled sideways to fit."""
        view = max(0, width - self.claim_cells)
        if pieces:
            skip = round(self.scroll_x) - self._starts[shown.start]
            cells = Strip(pieces).crop(skip, skip + view)
        else:
            cells = Strip([])
        return Strip.join([label, cells]).adjust_cell_length(width, style)
