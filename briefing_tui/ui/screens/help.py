"""The help screen: every key that is active where help was asked for, from the bindings."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static


class HelpScreen(ModalScreen[None]):
    """A table of keys, actions and descriptions built from the active bindings."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close", id="help.close")]

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        #help {
            width: 90%; max-width: 110; height: 90%; border: thick $primary; background: $surface;
        }
        #help-title { padding: 0 1; text-style: bold; }
        DataTable { height: 1fr; }
    }
    """

    def __init__(self, bindings: dict[str, ActiveBinding]) -> None:
        super().__init__()
        self._shown_bindings = bindings

    def compose(self) -> ComposeResult:
        """A title and the table of keys."""
        with Vertical(id="help"):
            yield Static(
                Content("Keys (Esc closes; ctrl+p opens the command palette)"), id="help-title"
            )
            yield DataTable(cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        """Fill the table: the screen's keys first, then the app's, then the focused pane's."""
        table = self.query_one(DataTable)
        table.add_columns("Key", "Where", "What it does")
        rows: dict[tuple[str, str], list[str]] = {}
        details: dict[tuple[str, str], ActiveBinding] = {}
        # The screen's own keys (the reading keys) first, then the app's, then the pane's.
        ordered = sorted(
            self._shown_bindings.items(),
            key=lambda item: (not isinstance(item[1].node, Screen), item[1].node is not self.app),
        )
        for key, active in ordered:
            binding = active.binding
            if not binding.description:
                continue
            where = (binding.action, binding.description)
            rows.setdefault(where, []).append(
                self.app.get_key_display(Binding(key, binding.action))
            )
            details.setdefault(where, active)
        for where, keys in rows.items():
            active = details[where]
            # The screen's own keys work wherever its focus is.
            place = (
                "anywhere"
                if active.node is self.app or isinstance(active.node, Screen)
                else (active.node.id or type(active.node).__name__)
            )
            table.add_row(
                Text(" / ".join(dict.fromkeys(keys)), style="bold"),
                Text(place, style="dim"),
                Text(active.binding.tooltip or active.binding.description),
            )
        table.focus()
