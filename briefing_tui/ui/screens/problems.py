"""The problems screen: what went wrong while loading, file by file."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import DataTable, Static

from briefing_tui.core.model import Diagnostic, Level

# DataTable renders Rich renderables: cells are Rich Text, which never parses markup.
LEVEL_LABELS = {Level.ERROR: ("✖ error", "bold red"), Level.WARNING: ("⚠ warning", "yellow")}


class ProblemsScreen(ModalScreen[None]):
    """A table of the loading diagnostics: level, file, line and message."""

    BINDINGS = [Binding("escape,q,e", "dismiss", "Close", id="problems.close")]

    DEFAULT_CSS = """
    ProblemsScreen {
        align: center middle;
        #problems { width: 95%; height: 90%; border: thick $warning; background: $surface; }
        #problems-title { padding: 0 1; text-style: bold; }
        DataTable { height: 1fr; }
    }
    """

    def __init__(self, diagnostics: tuple[Diagnostic, ...]) -> None:
        super().__init__()
        self._diagnostics = diagnostics

    def compose(self) -> ComposeResult:
        """A summary line and the table."""
        errors = sum(1 for d in self._diagnostics if d.level is Level.ERROR)
        warnings = len(self._diagnostics) - errors
        if self._diagnostics:
            title = (
                f"Problems found while loading: {errors} errors, {warnings} warnings (Esc closes)"
            )
        else:
            title = "No problems were found while loading. (Esc closes)"
        with Vertical(id="problems"):
            yield Static(Content(title), id="problems-title")
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Fill the table."""
        table = self.query_one(DataTable)
        table.add_columns("Level", "File", "Line", "Message")
        for diagnostic in self._diagnostics:
            label, style = LEVEL_LABELS[diagnostic.level]
            where = "" if diagnostic.line is None else str(diagnostic.line)
            if diagnostic.line is not None and diagnostic.column is not None:
                where += f":{diagnostic.column}"
            table.add_row(
                Text(label, style=style),
                Text(diagnostic.path),
                Text(where),
                Text(diagnostic.message),
            )
        table.focus()
