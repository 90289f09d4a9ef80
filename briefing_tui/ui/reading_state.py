"""What the reader keeps for its reader: the last place, bookmarks, notes, and copies out.

The reader screen's keys call these; the store (core/state.py) holds and saves them. Without
a store (`--no-state`, or a test), nothing is remembered and the keys say so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual.app import App

from briefing_tui.core.library.model import Brief, Claim, Library, Stance
from briefing_tui.core.places import History, Located, Place, settle
from briefing_tui.core.state import Annotation, Kind, StateError, StateStore, same_target
from briefing_tui.ui.labels import cut

if TYPE_CHECKING:
    from briefing_tui.core.library.model import Span
    from briefing_tui.core.search.own_notes import OwnNote

QUOTE_SHOWN = 50  # of a copied or bookmarked text, in the status line
NO_STATE = "Bookmarks and notes are off (the reader was started with --no-state)"


class Reader(Protocol):
    """What of the reader screen its reading state uses."""

    library: Library
    place: Place | None
    history: History

    @property
    def app(self) -> App[object]:
        """The app the reader runs in."""
        ...

    def located(self) -> Located | None:
        """What the current place names."""
        ...

    def go(self, place: Place, *, record: bool = True) -> None:
        """Show a place."""
        ...

    def top_offset(self) -> int:
        """The text offset at the top of the source view."""
        ...

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll the source view so a text offset is at its top."""
        ...

    def say(self, message: str) -> None:
        """Tell the reader what happened."""
        ...

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        ...

    def say_where(self, said: str) -> None:
        """Say what brought the reader here, and where here is."""
        ...


class ReadingState:
    """The reader's state: what it restores on opening, remembers, bookmarks and copies."""

    def __init__(self, reader: Reader, store: StateStore | None) -> None:
        self.reader = reader
        self.store = store

    # The last place

    def restore(self) -> bool:
        """Go back where the reader left this library, as far as it still exists."""
        last = self.store.last if self.store is not None else None
        if last is None:
            return False
        reader = self.reader
        place = settle(reader.library, last.place)
        if place is None:
            return False
        reader.history = History(back=tuple(last.history))
        reader.go(place, record=False)
        if place.source_path == last.place.source_path:
            reader.scroll_to_offset(last.top)
        return True

    def remember(self) -> None:
        """Keep the current place, scroll and history in the store (saved with the next save)."""
        reader = self.reader
        if self.store is not None and reader.place is not None:
            self.store.remember(reader.place, reader.top_offset(), reader.history.places)

    def save(self) -> None:
        """Write what changed; a failure is said, and the changes kept for the next save."""
        if self.store is None:
            return
        self.remember()
        try:
            self.store.save()
        except StateError as error:
            self.reader.refuse(str(error))
        self.tell_notice()

    def tell_notice(self) -> None:
        """Say once what the store has to say about its file (set aside as corrupt, say)."""
        notice = self.store.take_notice() if self.store is not None else None
        if notice is not None:
            self.reader.refuse(notice)

    # What the keys act on

    def target(self) -> tuple[Place, str] | None:
        """The selected passage or text, else the chosen claim, with its quote (None: nothing)."""
        reader = self.reader
        located = reader.located()
        if reader.place is None or located is None:
            return None
        if located.passage is not None:
            return reader.place, located.passage.quote
        if reader.place.span is not None and located.source is not None:
            span = reader.place.span
            return reader.place, located.source.source.text[span.start : span.end]
        if located.claim is not None:
            plain = Place(reader.place.brief, claim=located.claim.key)
            return plain, located.claim.text
        return None

    def toggle_bookmark(self) -> None:
        """Bookmark the selection (or the claim), or remove its bookmark."""
        target = self.target()
        if self.store is None:
            self.reader.refuse(NO_STATE)
        elif target is None:
            self.reader.refuse("Select a passage or choose a claim to bookmark it")
        else:
            record = self.store.toggle_bookmark(*target)
            done = "Bookmark removed" if record.deleted else "Bookmarked"
            self.reader.say(f"{done}: “{cut(target[1], QUOTE_SHOWN)}” (B lists them)")
            self.save()

    def edit_note(self) -> None:
        """Open the note editor on the selection (or the claim)."""
        target, store = self.target(), self.store
        if store is None:
            self.reader.refuse(NO_STATE)
            return
        if target is None:
            self.reader.refuse("Select a passage or choose a claim to write a note on it")
            return
        from briefing_tui.ui.screens.note import NoteScreen

        place, quote = target
        existing = store.at(Kind.NOTE, place)

        def keep(text: str | None) -> None:
            if text is None:
                return
            try:
                note = store.set_note(place, quote, text)
            except StateError as error:
                self.reader.refuse(str(error))
                return
            self.reader.say("Note kept" if note is not None else "Note removed")
            self.save()
            self.reader.go(self.reader.place or place, record=False)  # the panel shows it

        screen = NoteScreen(quote, existing.text if existing is not None else "")
        self.reader.app.push_screen(screen, keep)

    def show_bookmarks(self) -> None:
        """List the bookmarks and notes; the one chosen opens."""
        store = self.store
        if store is None:
            self.reader.refuse(NO_STATE)
            return
        from briefing_tui.ui.screens.bookmarks import BookmarksScreen

        def open_place(place: Place | None) -> None:
            self.save()  # removals made on the list
            if place is not None:
                self.reader.go(place)
                self.reader.say_where("bookmark")

        self.reader.app.push_screen(BookmarksScreen(self.reader.library, store), open_place)

    def notes_on(self, brief: Brief, claim: Claim | None) -> tuple[Annotation, ...]:
        """The reader's notes on a claim and on its passages."""
        if self.store is None or claim is None:
            return ()
        return tuple(
            note
            for note in self.store.annotations(Kind.NOTE)
            if note.place.brief == brief.path and note.place.claim == claim.key
        )

    def searchable_notes(self) -> list[OwnNote]:
        """The reader's notes as search finds them, in the library as it is now."""
        if self.store is None:
            return []
        from briefing_tui.core.annotations import resolve_all, searchable_notes

        notes = self.store.annotations(Kind.NOTE)
        return searchable_notes(resolve_all(self.reader.library, notes))

    def note_at(self, notes: tuple[Annotation, ...], place: Place) -> Annotation | None:
        """The note among these whose target is this place."""
        return next((note for note in notes if same_target(note.place, place)), None)

    # Copies out

    def copy_citation(self, selection: Span | None) -> None:
        """Copy the selected text or passage as a citation."""
        found = self._copied_source(selection)
        if found is None:
            return
        located, span = found
        assert located.source is not None
        # Imported at the first copy: citations bring the anchoring and YAML modules, which
        # a reader opened from the library cache has no other use for.
        from briefing_tui.core.citations import citation, span_citation

        if located.passage is not None and selection is None:
            text = citation(located.brief, located.passage)
        else:
            text = span_citation(located.source, span)
        self._copy(text, "citation")

    def copy_yaml(self, selection: Span | None) -> None:
        """Copy the selected text or passage as a YAML passage for the current claim."""
        found = self._copied_source(selection)
        if found is None:
            return
        located, span = found
        assert located.source is not None
        passage = located.passage if selection is None else None
        stance = passage.stance if passage is not None else Stance.SUPPORTS
        note = passage.note if passage is not None else None
        from briefing_tui.core.citations import yaml_passage

        try:
            text = yaml_passage(located.brief, located.source.key, span, stance, note)
        except ValueError as error:
            self.reader.refuse(f"Nothing to copy: {error}")
            return
        self._copy(text, "YAML passage")

    def _copied_source(self, selection: Span | None) -> tuple[Located, Span] | None:
        """What a copy takes: the selection, else the selected passage or text, in its source."""
        reader = self.reader
        located = reader.located()
        if reader.place is None or located is None or located.source is None:
            reader.refuse("Nothing selected to copy")
            return None
        span = selection or reader.place.passage or reader.place.span
        if span is None:
            reader.refuse("Select a passage (n, p, x, c) or some text (v) to copy it")
            return None
        return located, span

    def _copy(self, text: str, what: str) -> None:
        # Only text the app made from sanitised sources reaches the clipboard.
        self.reader.app.copy_to_clipboard(text)
        first = text.splitlines()[0] if text else ""
        self.reader.say(f"Copied the {what}: {cut(first, QUOTE_SHOWN)}")
