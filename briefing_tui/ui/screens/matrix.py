"""The claim × source matrix: what each source file says on each claim, per topic or library."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing_tui.core.library.model import Brief, Library, Stance
from briefing_tui.core.library.text import escape_name
from briefing_tui.core.matrix import GLYPHS, SILENT, Cell, Matrix, build_matrix
from briefing_tui.core.places import Place, locate, passage_place, source_place
from briefing_tui.ui.labels import STANCE_STYLES, STATUS_GLYPHS, STATUS_STYLES, source_position
from briefing_tui.ui.widgets.matrix_grid import GridLine, Heading, MatrixGrid
from briefing_tui.ui.widgets.status import StatusLine

LEGEND = Content.assemble(
    *(
        part
        for stance in Stance
        for part in ((f"{GLYPHS[stance]} {stance}", STANCE_STYLES[stance]), "  ")
    ),
    (f"{SILENT} silent", "$text-muted"),
)


def cell_summary(cell: Cell) -> Content:
    """A cell in words: each stance's glyph, count and name, or that the source is silent."""
    if cell.silent:
        return Content.styled(f"{SILENT} silent on this claim", "$text-muted")
    parts = [
        Content.styled(f"{GLYPHS[stance]} {cell.count(stance)} {stance}", STANCE_STYLES[stance])
        for stance in Stance
        if cell.count(stance)
    ]
    orphans = sum(1 for passage in cell.passages if passage.span is None)
    summary = Content(", ").join(parts)
    if orphans:
        summary += Content.styled(f" ({orphans} not found in the text)", "$text-warning")
    return summary


def lines_of(
    library: Library,
    matrix: Matrix,
    *,
    grouped: bool,
    contested_first: bool,
    silent_only: bool,
    only: int | None,
) -> list[GridLine]:
    """The grid's lines: each topic's rows (after the heading, when grouped), sorted, filtered."""
    lines: list[GridLine] = []
    numbers = {brief.path: brief.index + 1 for brief in library.briefs} if grouped else {}
    for path, rows in matrix.groups():
        chosen = rows
        if only is not None:
            # One source's column: the claims of the topics that read that source.
            chosen = tuple(r for r in chosen if only in matrix.rows[r].columns)
            if silent_only:
                chosen = tuple(r for r in chosen if matrix.cell(r, only).silent)
        elif silent_only:
            chosen = matrix.silent_on(chosen)
        if contested_first:
            chosen = matrix.contested_first(chosen)
        if not chosen:
            continue
        if grouped:
            number = f"{numbers[path]}. " if path in numbers else ""
            lines.append(Heading(number + matrix.rows[chosen[0]].brief_title, len(chosen)))
        lines.extend(chosen)
    return lines


class MatrixScreen(Screen[tuple[Place, str] | None]):
    """Claims against source files, each cell a source's stances; Enter opens it in the reader."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="matrix.help",
            tooltip="Show the keys of this view",
        ),
        Binding("escape", "close", "Back", id="matrix.close", tooltip="Back to the reader"),
        Binding(
            "t",
            "scope",
            "Topic/all",
            id="matrix.scope",
            tooltip="Show this topic, or the whole library grouped by topic",
        ),
        Binding(
            "s",
            "sort",
            "Contested",
            id="matrix.sort",
            tooltip="Put contested claims first (within each topic), or back in brief order",
        ),
        Binding(
            "g",
            "silent",
            "Silent",
            id="matrix.silent",
            tooltip="Only claims a source of their topic is silent on (gaps), or every claim",
        ),
        Binding(
            "o",
            "one_source",
            "One source",
            id="matrix.one-source",
            tooltip="Only the source under the cursor, or every source again",
        ),
    ]

    CSS = """
    MatrixScreen {
        #matrix-bar { height: 1; background: $panel; }
        #matrix-title { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
        #matrix-legend { width: auto; padding: 0 1; }
        #matrix-grid { height: 1fr; }
        #matrix-cell {
            height: 2; padding: 0 1; background: $panel;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
    }
    MatrixScreen.-slim #matrix-legend { display: none; }
    """
    # Below 100 columns the legend gives its room to the title (the cell line names stances).
    HORIZONTAL_BREAKPOINTS = [(0, "-slim"), (100, "-roomy")]

    def __init__(self, library: Library, place: Place) -> None:
        super().__init__()
        self.library = library
        located = locate(library, place)
        assert located is not None, "the matrix opens on a place of its library"
        self.brief: Brief = located.brief
        self.whole = False
        self.contested_first = False
        self.silent_only = False
        self.only: str | None = None  # the file of the one source shown, if any
        self._topic = build_matrix(library, [self.brief])
        self._library_matrix: Matrix | None = None
        row = next((n for n, r in enumerate(self._topic.rows) if r.claim_key == place.claim), None)
        column = self._topic.column_of.get(place.source_path or "")
        self._start = (row, column) if row is not None else None

    @property
    def matrix(self) -> Matrix:
        """The matrix shown: this topic's, or the whole library's."""
        if not self.whole:
            return self._topic
        if self._library_matrix is None:
            self._library_matrix = build_matrix(self.library)
        return self._library_matrix

    @property
    def grid(self) -> MatrixGrid:
        """The grid of cells."""
        return self.query_one(MatrixGrid)

    def compose(self) -> ComposeResult:
        """What is shown and the legend, the grid, the cursor's cell in words, the status line."""
        with Horizontal(id="matrix-bar"):
            yield Static(id="matrix-title", markup=False)
            yield Static(LEGEND, id="matrix-legend")
        yield MatrixGrid(id="matrix-grid")
        yield Static(id="matrix-cell", markup=False)
        yield StatusLine(id="matrix-status")
        yield Footer()

    def on_mount(self) -> None:
        """Show the topic with the cursor on the reader's claim and source."""
        self.refill(self._start)
        self.grid.focus()
        self.say("Enter opens a cell in the reader · t the whole library · Esc back")

    def refill(self, cursor: tuple[int, int | None] | None) -> None:
        """Show the matrix as the scope, order and filters say, the cursor on a cell."""
        matrix = self.matrix
        only = matrix.column_of.get(self.only) if self.only is not None else None
        lines = lines_of(
            self.library,
            matrix,
            grouped=self.whole,
            contested_first=self.contested_first,
            silent_only=self.silent_only,
            only=only,
        )
        columns = [only] if only is not None else list(range(len(matrix.columns)))
        self.grid.show(matrix, lines, columns, cursor)
        self.query_one("#matrix-title", Static).update(self._title(matrix, lines))

    def _title(self, matrix: Matrix, lines: list[GridLine]) -> Content:
        shown = sum(1 for line in lines if isinstance(line, int))
        claims = f"{shown} of {len(matrix.rows)}" if shown != len(matrix.rows) else f"{shown}"
        sources = len(matrix.columns)
        noun = "source" if sources == 1 else "sources"
        if self.whole:
            topics = len(matrix.groups())
            where = Content(
                f"whole library │ {claims} claims in {topics} topics × {sources} {noun}"
            )
        else:
            brief = self.brief
            where = Content.assemble(
                f"topic {brief.index + 1}/{len(self.library.briefs)} ",
                (brief.title, "bold"),
                f" │ {claims} claims × {sources} {noun}",
            )
        parts = [Content.styled("Claim matrix", "bold"), where]
        if self.contested_first:
            parts.append(Content("contested first"))
        if self.silent_only:
            parts.append(Content("only claims a source is silent on"))
        if self.only is not None:
            column = matrix.columns[matrix.column_of[self.only]]
            parts.append(Content.assemble("only ", column.label))
        return Content(" │ ").join(parts)

    def say(self, message: str | Content) -> None:
        """Tell the reader what happened."""
        self.query_one(StatusLine).say(message)

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        self.query_one(StatusLine).say(message, refused=True)
        self.app.bell()

    # The cursor's cell

    @on(MatrixGrid.CursorMoved)
    def describe_cell(self, event: MatrixGrid.CursorMoved) -> None:
        """Say in full which claim and source the cursor is on, and what the source says."""
        cell_line = self.query_one("#matrix-cell", Static)
        if event.row is None:
            cell_line.update(Content("No claims to show."))
            return
        matrix = self.matrix
        row = matrix.rows[event.row]
        status = Content.styled(
            f"{STATUS_GLYPHS[row.status]} {row.status}", STATUS_STYLES[row.status]
        )
        first = Content.assemble(f"claim {row.claim_index + 1} · ", status, " · ", row.text)
        if self.whole:
            first = Content.assemble(row.brief_title, " · ", first)
        if event.column is None:
            second = Content("This topic has no sources.")
        else:
            column = matrix.columns[event.column]
            second = Content.assemble(
                (column.label, "bold"),
                " · ",
                (escape_name(column.path), "$text-muted"),
                " · ",
                cell_summary(matrix.cell(event.row, event.column)),
            )
        cell_line.update(Content("\n").join([first, second]))

    @on(MatrixGrid.CellChosen)
    def open_cell(self, event: MatrixGrid.CellChosen) -> None:
        """Open the cell's first passage in the reader; a silent cell opens its source."""
        matrix = self.matrix
        row = matrix.rows[event.row]
        brief = self.library.brief_at(row.brief_path)
        if brief is None:
            return
        claim = brief.claims[row.claim_index]
        path = matrix.columns[event.column].path
        key = next(s.key for s in brief.sources if s.source.path == path)
        cell = matrix.cell(event.row, event.column)
        anchored = [p for p in cell.passages if p.span is not None]
        where = f"matrix: claim {claim.index + 1} · {source_position(brief, key)}"
        if anchored:
            passage = claim.passages[anchored[0].passage_index]
            said = f"{where} · {GLYPHS[passage.stance]} {passage.stance}"
            self.dismiss((passage_place(brief, passage), said))
        elif cell.passages:
            said = f"{where} · its quotes on this claim were not found in the text"
            self.dismiss((source_place(brief, key, claim), said))
        else:
            said = f"{where} · {SILENT} silent on this claim"
            self.dismiss((source_place(brief, key, claim), said))

    # Actions

    def cursor_names(self) -> tuple[tuple[str, str] | None, str | None]:
        """The cursor's claim (brief path, claim key) and source file, to find them again."""
        row, column = self.grid.cursor
        matrix = self.matrix
        claim = (
            (matrix.rows[row].brief_path, matrix.rows[row].claim_key) if row is not None else None
        )
        return claim, (matrix.columns[column].path if column is not None else None)

    def cursor_at(
        self, claim: tuple[str, str] | None, path: str | None
    ) -> tuple[int, int | None] | None:
        """The cell of the shown matrix with this claim and source file, if it has them."""
        matrix = self.matrix
        row = next(
            (n for n, r in enumerate(matrix.rows) if (r.brief_path, r.claim_key) == claim), None
        )
        if row is None:
            return None
        return row, matrix.column_of.get(path) if path is not None else None

    def action_scope(self) -> None:
        """Switch between this topic and the whole library, keeping the cursor's cell."""
        claim, path = self.cursor_names()
        self.whole = not self.whole
        self.refill(self.cursor_at(claim, path))
        matrix = self.matrix
        if self.whole:
            topics = len(matrix.groups())
            self.say(f"whole library · {len(matrix.rows)} claims in {topics} topics")
        else:
            self.say(f"this topic · {len(matrix.rows)} claims")

    def action_sort(self) -> None:
        """Put contested claims first, or back in their brief's order."""
        claim, path = self.cursor_names()
        self.contested_first = not self.contested_first
        self.refill(self.cursor_at(claim, path))
        self.say("contested claims first" if self.contested_first else "claims in brief order")

    def action_silent(self) -> None:
        """Show only the claims a source is silent on, or every claim again."""
        claim, path = self.cursor_names()
        if not self.silent_only:
            matrix = self.matrix
            only = matrix.column_of.get(self.only) if self.only is not None else None
            lines = lines_of(
                self.library,
                matrix,
                grouped=False,
                contested_first=False,
                silent_only=True,
                only=only,
            )
            if not lines:
                self.refuse(
                    "That source speaks on every claim of its topics"
                    if only is not None
                    else "Every source speaks on every claim of its topic"
                )
                return
        self.silent_only = not self.silent_only
        self.refill(self.cursor_at(claim, path))
        self.say("only claims a source is silent on" if self.silent_only else "every claim")

    def action_one_source(self) -> None:
        """Show only the source under the cursor, or every source again."""
        claim, path = self.cursor_names()
        if self.only is None:
            if path is None:
                self.refuse("No source under the cursor")
                return
            self.only = path
            column = self.matrix.columns[self.matrix.column_of[path]]
            self.say(Content.assemble("only ", column.label, " · o again shows every source"))
        else:
            self.only = None
            self.say("every source")
        self.refill(self.cursor_at(claim, path))

    def action_help(self) -> None:
        """List the keys of this view."""
        from briefing_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings))

    def action_close(self) -> None:
        """Go back to the reader, where it was."""
        self.dismiss(None)
