"""Suggested passages for a claim: sentences its sources hold that no passage quotes yet."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from briefing_tui.core.library.model import Brief, Claim, Library, Stance
from briefing_tui.core.suggest import SuggestedStance, Suggestion, suggest_for_claim
from briefing_tui.ui.labels import STANCE_STYLES, cut

LIMIT = 20
LABEL_CHARS = 50


def suggestion_line(library: Library, suggestion: Suggestion) -> Content:
    """A suggestion as two or three lines: where, the sentence, and why."""
    source = library.sources.get(suggestion.source_path)
    meta = source.meta if source else None
    label = (meta.outlet or meta.title if meta else None) or suggestion.source_path
    where = f"{cut(label, LABEL_CHARS)}, line {suggestion.line} · score {suggestion.score:.1f}"
    if not suggestion.declared:
        where += " · not yet a source of this brief"
    conflict = suggestion.stance is SuggestedStance.CONFLICTS
    style = STANCE_STYLES[Stance.CONFLICTS if conflict else Stance.CONTEXT]
    mark = Content.styled("✖ possible conflict" if conflict else "○ related", style)
    return Content.assemble(
        mark,
        " · ",
        (where, "bold"),
        "\n“",
        suggestion.quote,
        "”\n",
        ("; ".join(suggestion.reasons), "$text-muted"),
    )


class SuggestionsScreen(ModalScreen[Suggestion | None]):
    """Suggestions for one claim; Enter shows the sentence in its source, Y copies its YAML."""

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Close", id="suggestions.close"),
        Binding(
            "Y",
            "copy_yaml",
            "Copy YAML",
            id="suggestions.copy-yaml",
            tooltip="Copy the highlighted suggestion as a YAML passage to paste into the brief",
        ),
    ]

    DEFAULT_CSS = """
    SuggestionsScreen {
        align: center middle;
        #suggestions { width: 94%; height: 90%; border: thick $primary; background: $surface; }
        #suggestions-title { padding: 0 1; text-style: bold; }
        #suggestions-status { height: 1; padding: 0 1; color: $text-muted; }
        OptionList { height: 1fr; }
    }
    """

    def __init__(self, library: Library, brief: Brief, claim: Claim) -> None:
        super().__init__()
        self._library = library
        self._brief = brief
        self._claim = claim
        self._suggestions: list[Suggestion] = []

    def compose(self) -> ComposeResult:
        """The claim, a status line, the suggestions and the keys."""
        with Vertical(id="suggestions"):
            title = Content.assemble("Suggested passages for: ", (self._claim.text, "italic"))
            yield Static(title, id="suggestions-title")
            yield Static(Content("Looking through the sources…"), id="suggestions-status")
            yield OptionList(id="suggestions-list")
        yield Footer()

    def on_mount(self) -> None:
        """Find the suggestions off the UI thread: the first call indexes the sources."""
        self.query_one(OptionList).focus()
        self._find()

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def _find(self) -> list[Suggestion]:
        return suggest_for_claim(self._library, self._brief, self._claim, LIMIT)

    @on(Worker.StateChanged)
    def _found(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "suggest":
            return
        status = self.query_one("#suggestions-status", Static)
        if event.state is WorkerState.ERROR:
            status.update(Content(f"No suggestions: {event.worker.error}"))
            return
        if event.state is not WorkerState.SUCCESS:
            return
        found: list[Suggestion] | None = event.worker.result
        self._suggestions = found or []
        options = self.query_one(OptionList)
        options.add_options(Option(suggestion_line(self._library, s)) for s in self._suggestions)
        count = len(self._suggestions)
        if count:
            options.highlighted = 0
            words = f"{count} sentence{'s' * (count != 1)} no passage quotes yet"
            status.update(Content(f"{words} · Enter shows it in its source · Y copies its YAML"))
        else:
            status.update(Content("Nothing unquoted in this topic's sources bears on the claim."))

    @property
    def highlighted(self) -> Suggestion | None:
        """The suggestion under the cursor."""
        index = self.query_one(OptionList).highlighted
        return self._suggestions[index] if index is not None else None

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._suggestions[event.option_index])

    def action_copy_yaml(self) -> None:
        """Copy the highlighted suggestion's YAML passage, and say so."""
        suggestion = self.highlighted
        status = self.query_one("#suggestions-status", Static)
        if suggestion is None:
            status.update(Content("Nothing to copy yet."))
            return
        snippet = suggestion.yaml()
        if not suggestion.declared:
            snippet = f"# add under sources:\n#{suggestion.source_entry()}{snippet}"
        self.app.copy_to_clipboard(snippet)
        status.update(Content(f"Copied the YAML passage from line {suggestion.line}."))
