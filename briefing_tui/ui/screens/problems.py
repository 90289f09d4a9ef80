"""The problems screen: what went wrong while loading, file by file."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing_tui.core.library.model import Diagnostic, Level, ProblemCounts
from briefing_tui.ui.labels import plural

LEVEL_LABELS = {
    Level.ERROR: ("✖ error", "$text-error bold"),
    Level.WARNING: ("⚠ warning", "$text-warning bold"),
}


def problem_line(diagnostic: Diagnostic) -> Content:
    """Level, file and line, then the whole message (wrapped, never cut)."""
    label, style = LEVEL_LABELS[diagnostic.level]
    where = diagnostic.path
    if diagnostic.line is not None:
        where += f":{diagnostic.line}"
        if diagnostic.column is not None:
            where += f":{diagnostic.column}"
    return Content.assemble((label, style), "  ", (where, "bold"), "\n", diagnostic.message)


class ProblemsScreen(ModalScreen[Diagnostic | None]):
    """The loading diagnostics, one problem per entry; Enter dismisses with the one chosen."""

    BINDINGS = [Binding("escape,q,e", "dismiss", "Close", id="problems.close")]

    DEFAULT_CSS = """
    ProblemsScreen {
        align: center middle;
        #problems { width: 95%; height: 90%; border: thick $warning; background: $surface; }
        #problems-title { padding: 0 1; text-style: bold; }
        OptionList { height: 1fr; }
    }
    """

    def __init__(self, diagnostics: tuple[Diagnostic, ...], counts: ProblemCounts) -> None:
        super().__init__()
        self._diagnostics = diagnostics
        self._counts = counts

    def compose(self) -> ComposeResult:
        """A summary line and the list of problems."""
        counts = self._counts
        if self._diagnostics:
            title = (
                f"Problems found while loading: {plural(counts.errors, 'error')},"
                f" {plural(counts.warnings, 'warning')} (Enter opens the brief, Esc closes)"
            )
        else:
            title = "No problems were found while loading. (Esc closes)"
        with Vertical(id="problems"):
            yield Static(Content(title), id="problems-title")
            yield OptionList(*(Option(problem_line(d)) for d in self._diagnostics))

    def on_mount(self) -> None:
        """Let the arrow keys scroll the problems."""
        self.query_one(OptionList).focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._diagnostics[event.option_index])
