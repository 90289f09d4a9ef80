"""The help screen: the legend, then every key active where help was asked for, from the bindings.

Keys are grouped by where they work, named as a reader would name the place ("Reading", "In
the topics"), the reader's own keys first and Textual's general keys last; descriptions wrap.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from briefing_tui.ui.labels import STANCE_LEGEND, STATUS_LEGEND

READING = "Reading"
ANYWHERE = "Anywhere"


def place_of(node: DOMNode, binding: Binding) -> str:
    """Where a binding works, as a reader names it: its widget's (or container's) HELP_NAME.

    Textual's own keys (focus, copy, quit), which have no id, work anywhere.
    """
    if isinstance(node, Screen) and binding.id is None:
        return ANYWHERE
    for ancestor in (node, *node.ancestors):
        name = getattr(ancestor, "HELP_NAME", None)
        if isinstance(name, str):
            return name
        if isinstance(ancestor, Screen):
            break
    return ANYWHERE


class HelpScreen(ModalScreen[None]):
    """The legend and a list of keys, grouped by where they work, built from the bindings."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #help {
            width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface;
        }
        #help-title { padding: 0 1; text-style: bold; }
        #help-keys { height: 1fr; padding: 0 1; }
        .help-heading { margin-top: 1; text-style: bold; color: $text-primary; }
        .help-row { height: auto; }
        .help-key { width: 18; text-style: bold; }
        .help-what { width: 1fr; }
        .help-legend { color: $text-muted; }
    }
    """

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        self._shown_bindings = bindings

    def groups(self) -> dict[str, list[tuple[str, str]]]:
        """(keys, description) rows by the place they work in: reading keys first."""
        keys: dict[tuple[str, str], list[str]] = {}
        places: dict[tuple[str, str], str] = {}
        for key, active in self._shown_bindings.items():
            binding = active.binding
            if not binding.description:
                continue
            place = ANYWHERE if active.node is self.app else place_of(active.node, binding)
            what = binding.tooltip or binding.description
            row = (place, what)
            keys.setdefault(row, []).append(self.app.get_key_display(Binding(key, binding.action)))
            places[row] = place
        grouped: dict[str, list[tuple[str, str]]] = {}
        for row, names in keys.items():
            grouped.setdefault(places[row], []).append((" / ".join(dict.fromkeys(names)), row[1]))
        order = [READING, *sorted(set(grouped) - {READING, ANYWHERE}), ANYWHERE]
        return {place: grouped[place] for place in order if place in grouped}

    def compose(self) -> ComposeResult:
        """A title, the legend, then the keys by place."""
        with Vertical(id="help"):
            yield Static(
                Content("Keys (Esc closes; ctrl+p opens the command palette)"), id="help-title"
            )
            with VerticalScroll(id="help-keys"):
                yield Static(Content(f"{STANCE_LEGEND}\n{STATUS_LEGEND}"), classes="help-legend")
                for place, rows in self.groups().items():
                    yield Static(Content(place), classes="help-heading")
                    for names, what in rows:
                        with Horizontal(classes="help-row"):
                            yield Static(Content(names), classes="help-key")
                            yield Static(Content(what), classes="help-what")

    def on_mount(self) -> None:
        """Let the arrow keys scroll the list."""
        self.query_one("#help-keys", VerticalScroll).focus()
