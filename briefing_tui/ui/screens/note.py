"""The note editor: the reader's own note on a passage or claim, kept apart from the curator's.

Enter starts a new line; Ctrl+S saves and Escape cancels. The screen dismisses with the
text to keep (empty: remove the note) or None when cancelled. Whatever is typed or pasted
is sanitised as it comes in, so a pasted escape sequence shows as `␛` and does nothing.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea
from textual.widgets.text_area import Edit, EditResult

from briefing_tui.core.library.text import one_line
from briefing_tui.core.state import MAX_NOTE_CHARS, clean_text

ABOUT_CHARS = 200  # how much of the passage or claim the title line shows


class NoteArea(TextArea):
    """A text area that keeps its text inert: every edit (typing, pasting) is sanitised."""

    def edit(self, edit: Edit) -> EditResult:
        """Apply an edit, its text made safe first."""
        cleaned = clean_text(edit.text)
        if cleaned != edit.text:
            edit = Edit(
                cleaned, edit.from_location, edit.to_location, edit.maintain_selection_offset
            )
        return super().edit(edit)


class NoteScreen(ModalScreen[str | None]):
    """Write or change the reader's note on a passage or claim."""

    BINDINGS = [
        Binding(
            "ctrl+s", "save", "Save", id="note.save", tooltip="Keep the note (empty: remove it)"
        ),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
    ]

    DEFAULT_CSS = """
    NoteScreen {
        align: center middle;
        #note { width: 90%; max-width: 100; height: auto; max-height: 90%;
                border: thick $accent; background: $surface; }
        #note-about, #note-hint, #note-problem { padding: 0 1; }
        #note-about { text-style: bold; }
        #note-hint { color: $text-muted; }
        #note-problem { color: $text-error; }
        NoteArea { height: 10; }
    }
    """

    def __init__(self, about: str, text: str = "") -> None:
        super().__init__()
        self._about = about
        self._text = clean_text(text)

    def compose(self) -> ComposeResult:
        """What the note is on, the editor, and how to save or cancel."""
        with Vertical(id="note"):
            yield Static(
                Content.assemble("Your note on: ", one_line(self._about, ABOUT_CHARS)),
                id="note-about",
            )
            yield NoteArea(self._text, soft_wrap=True, id="note-text")
            yield Static(
                Content(
                    "Ctrl+S saves · Esc cancels · Enter starts a new line · "
                    "an empty note is removed"
                ),
                id="note-hint",
            )
            yield Static(id="note-problem")

    def on_mount(self) -> None:
        """Type straight away, after the existing text."""
        area = self.query_one(NoteArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        """Keep the note, unless it is too long to keep."""
        text = self.query_one(NoteArea).text
        if len(text) > MAX_NOTE_CHARS:
            self.query_one("#note-problem", Static).update(
                Content(f"Too long to keep: {len(text):,} characters, at most {MAX_NOTE_CHARS:,}.")
            )
            self.app.bell()
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        """Close without changing the note."""
        self.dismiss(None)
