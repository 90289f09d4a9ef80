"""The bookmarks screen: the reader's bookmarks and notes, found again in the library as it is.

Enter dismisses with the chosen place (the reader opens it); `d` or Delete removes the
highlighted entry at once and says so in the list (pressed again, it puts it back); Escape
closes. Entries whose topic, claim or source is gone are listed as missing, with the quote
they were made on. Changes go to the store; the reader saves it when the screen closes.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from briefing_tui.core.annotations import Resolved, Status, resolve_all
from briefing_tui.core.citations import source_credit
from briefing_tui.core.library.model import Library
from briefing_tui.core.library.text import one_line
from briefing_tui.core.places import Place
from briefing_tui.core.state import Annotation, Kind, StateStore

QUOTE_CHARS = 300  # of a quote or note, on its line of the list
KIND_MARKS = {Kind.BOOKMARK: ("★ bookmark", "$text-accent bold"), Kind.NOTE: ("✎ note", "bold")}


def entry_prompt(item: Resolved) -> Content:
    """An entry: kind, topic and source (or why it is missing), its quote, and the note."""
    annotation = item.annotation
    mark, style = KIND_MARKS[annotation.kind]
    head: list[str | tuple[str, str]] = [(mark, style), " · "]
    if item.status is Status.MISSING:
        head += [("missing", "$text-error bold"), f": {item.remark} (was in {_was(annotation)})"]
    else:
        assert item.brief is not None  # found or moved: in a topic of this library
        head.append((one_line(item.brief.title), "bold"))
        if item.source is not None and item.span is not None:
            head.append(f" · {source_credit(item.source)} · {item.source.source.path}:{item.line}")
        elif item.claim is not None:
            head.append(f" · claim {item.claim.index + 1}")
        if item.status is Status.MOVED:
            head.append((f" · moved: {item.remark}", "$text-warning"))
    lines = [Content.assemble(*head)]
    quote = item.quote
    if quote:
        lines.append(Content.styled(f"“{one_line(quote, QUOTE_CHARS)}”", "italic"))
    if annotation.kind is Kind.NOTE:
        # Marked as the reader's own, so it never passes for the curator's note.
        lines.append(
            Content.assemble(
                ("your note: ", "$text-accent"), one_line(annotation.text, QUOTE_CHARS)
            )
        )
    return Content("\n").join(lines)


def removed_prompt(item: Resolved) -> Content:
    """An entry just removed, saying how to put it back."""
    annotation = item.annotation
    mark = KIND_MARKS[annotation.kind][0]
    what = one_line(annotation.text or item.quote, QUOTE_CHARS)
    return Content.assemble(
        (f"{mark} removed", "$text-muted strike"), " (d puts it back) · ", (what, "$text-muted")
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _was(annotation: Annotation) -> str:
    place = annotation.place
    parts = [place.brief]
    if place.claim is not None:
        parts.append(f"claim {place.claim}")
    if place.source_path is not None and (place.passage or place.span):
        parts.append(place.source_path)
    return one_line(", ".join(parts))


class BookmarksScreen(ModalScreen[Place | None]):
    """Bookmarks and notes by topic; Enter opens one, d removes it, Escape closes."""

    BINDINGS = [
        Binding("escape,q", "dismiss", "Close", id="bookmarks.close"),
        Binding(
            "d,delete",
            "remove",
            "Remove",
            id="bookmarks.remove",
            tooltip="Remove the highlighted bookmark or note (again: put it back)",
        ),
    ]

    DEFAULT_CSS = """
    BookmarksScreen {
        align: center middle;
        #bookmarks { width: 95%; height: 90%; border: thick $accent; background: $surface; }
        #bookmarks-title, #bookmarks-status { padding: 0 1; }
        #bookmarks-title { text-style: bold; }
        OptionList { height: 1fr; }
    }
    """

    def __init__(self, library: Library, store: StateStore) -> None:
        super().__init__()
        self._store = store
        self._entries = {r.annotation.id: r for r in resolve_all(library, store.annotations())}
        self._removed: dict[str, Annotation] = {}

    def compose(self) -> ComposeResult:
        """A title, the entries, and a line saying what the last key did."""
        bookmarks = sum(1 for r in self._entries.values() if r.annotation.kind is Kind.BOOKMARK)
        notes = len(self._entries) - bookmarks
        title = (
            f"{_count(bookmarks, 'bookmark')}, {_count(notes, 'note')} "
            "(Enter opens · d removes · Esc closes)"
            if self._entries
            else "No bookmarks or notes yet (Esc closes)."
        )
        with Vertical(id="bookmarks"):
            yield Static(Content(title), id="bookmarks-title")
            yield OptionList(*(Option(entry_prompt(r), id=i) for i, r in self._entries.items()))
            yield Static(id="bookmarks-status")

    def on_mount(self) -> None:
        """Let the arrow keys move through the entries."""
        self.query_one(OptionList).focus()

    def say(self, message: str, *, refused: bool = False) -> None:
        """Tell the reader what the last key did (a refusal rings the bell)."""
        shown = Content.styled(message, "$text-warning") if refused else Content(message)
        self.query_one("#bookmarks-status", Static).update(shown)
        if refused:
            self.app.bell()

    @on(OptionList.OptionSelected)
    def open_entry(self, event: OptionList.OptionSelected) -> None:
        """Close with the chosen entry's place, unless it is removed or missing."""
        identifier = event.option_id
        entry = self._entries.get(identifier or "")
        if identifier in self._removed or entry is None:
            self.say("Removed: d puts it back.", refused=True)
        elif entry.place is None:
            self.say(f"Missing: {entry.remark}; only its quote is left.", refused=True)
        else:
            self.dismiss(entry.place)

    def action_remove(self) -> None:
        """Remove the highlighted entry, or put back the one just removed."""
        options = self.query_one(OptionList)
        option = options.highlighted_option
        if option is None or option.id is None:
            self.say("Nothing to remove.", refused=True)
            return
        identifier = option.id
        entry = self._entries[identifier]
        kind = entry.annotation.kind.value
        if identifier in self._removed:
            self._store.restore(self._removed.pop(identifier))
            options.replace_option_prompt(identifier, entry_prompt(entry))
            self.say(f"The {kind} is back.")
            return
        removed = self._store.remove(identifier)
        if removed is None:  # another reader removed it since the list was made
            self.say(f"This {kind} was already removed.", refused=True)
            return
        self._removed[identifier] = removed
        options.replace_option_prompt(identifier, removed_prompt(entry))
        self.say(f"Removed the {kind}; d puts it back.")
