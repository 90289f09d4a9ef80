"""The bookmarks screen and the note editor, each on a small host app, driven by the Pilot."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixture_library import build_library
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widgets import OptionList, Static

from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.places import Place, passage_place
from briefing_tui.core.state import MAX_NOTE_CHARS, Kind, StateStore
from briefing_tui.ui.screens.bookmarks import BookmarksScreen
from briefing_tui.ui.screens.note import NoteArea, NoteScreen

SIZE = (110, 30)
ALPHA = "sources/alpha.txt"


class Host(App[None]):
    """An app that shows one screen and keeps what it dismisses with."""

    def __init__(self, screen: Screen[Any]) -> None:
        super().__init__()
        self.shown = screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        self.push_screen(self.shown, self.results.append)


@pytest.fixture
def library() -> Library:
    return build_library()


@pytest.fixture
def store(library: Library) -> StateStore:
    """A bookmark on a passage, a note on a claim, and a bookmark whose claim is gone."""
    store = StateStore.open(library.root)
    summit = library.briefs[0]
    tariffs = summit.claims[1]
    store.toggle_bookmark(passage_place(summit, tariffs.passages[1]), "Tariffs were discussed")
    store.set_note(Place(summit.path, claim="article-5"), summit.claims[0].text, "Check Article 5")
    store.toggle_bookmark(Place(summit.path, claim="gone"), "A claim deleted since")
    return store


def prompts(app: App[None]) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def status_of(app: App[None]) -> str:
    return str(app.screen.query_one("#bookmarks-status", Static).render())


# The bookmarks screen


async def test_the_list_shows_topic_source_quote_and_note(
    library: Library, store: StateStore
) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE):
        assert prompts(app) == [
            "★ bookmark · Security and trade · Beta Times · sources/beta.md:2\n"
            "“Tariffs were discussed at length.”",
            "✎ note · Security and trade · claim 1\n"
            "“Article 5 covers the islands.”\n"
            "your note: Check Article 5",
            "★ bookmark · missing: its claim is no longer in its topic "
            "(was in briefs/01-summit.yaml, claim gone)\n"
            "“A claim deleted since”",
        ]
        title = str(app.screen.query_one("#bookmarks-title", Static).render())
        assert title.startswith("2 bookmarks, 1 note (Enter opens")


async def test_enter_closes_with_the_place_to_open(library: Library, store: StateStore) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.results == [
            Place("briefs/01-summit.yaml", "a", "sources/alpha.txt", "article-5")
        ]


async def test_enter_on_a_passage_opens_it(library: Library, store: StateStore) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        summit = library.briefs[0]
        assert app.results == [passage_place(summit, summit.claims[1].passages[1])]


async def test_a_bookmark_whose_passage_moved_opens_where_it_is_now(library: Library) -> None:
    store = StateStore.open(library.root)
    summit = library.briefs[0]
    passage = summit.claims[1].passages[0]
    assert passage.span is not None
    # Saved before text was added above the passage: its span was further up.
    before = Place(summit.path, "a", "sources/alpha.txt", "tariffs", Span(3, 47))
    store.toggle_bookmark(before, "Tariffs were not discussed, officials said.")
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        assert "moved: its passage moved in its source" in prompts(app)[0]
        await pilot.press("enter")
        await pilot.pause()
        assert app.results == [passage_place(summit, passage)]


async def test_a_missing_bookmark_does_not_open(library: Library, store: StateStore) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "enter")
        await pilot.pause()
        assert app.results == [] and isinstance(app.screen, BookmarksScreen)
        assert status_of(app) == (
            "Missing: its claim is no longer in its topic; only its quote is left."
        )


async def test_d_removes_at_once_says_so_and_puts_it_back(
    library: Library, store: StateStore
) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("d")
        assert prompts(app)[0] == (
            "★ bookmark removed (d puts it back) · Tariffs were discussed at length."
        )
        assert status_of(app) == "Removed the bookmark; d puts it back."
        assert [a.kind for a in store.annotations()] == [Kind.NOTE, Kind.BOOKMARK]
        await pilot.press("enter")
        assert app.results == [] and status_of(app) == "Removed: d puts it back."
        await pilot.press("d")
        assert status_of(app) == "The bookmark is back."
        assert len(store.annotations()) == 3
        assert prompts(app)[0].startswith("★ bookmark · Security and trade")
        await pilot.press("down", "delete")
        assert [a.kind for a in store.annotations()] == [Kind.BOOKMARK, Kind.BOOKMARK]
        assert store.unsaved


async def test_escape_closes_with_nothing(library: Library, store: StateStore) -> None:
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("escape")
        await pilot.pause()
        assert app.results == [None]


async def test_with_nothing_saved_the_list_says_so(library: Library) -> None:
    app = Host(BookmarksScreen(library, StateStore.open(library.root)))
    async with app.run_test(size=SIZE) as pilot:
        assert prompts(app) == []
        title = str(app.screen.query_one("#bookmarks-title", Static).render())
        assert title == "No bookmarks or notes yet (Esc closes)."
        await pilot.press("d")
        assert status_of(app) == "Nothing to remove."


async def test_notes_and_quotes_are_shown_as_text(library: Library, tmp_path: Path) -> None:
    store = StateStore.open(library.root)
    summit = library.briefs[0]
    store.set_note(Place(summit.path, claim="tariffs"), "q", "[@click=app.quit]x[/] \x1b[2Jgone")
    app = Host(BookmarksScreen(library, store))
    async with app.run_test(size=SIZE) as pilot:
        (prompt,) = prompts(app)
        assert prompt.endswith("your note: [@click=app.quit]x[/] ␛gone")
        view = app.screen.query_one(OptionList)
        drawn = "".join(view.render_line(y).text for y in range(view.size.height))
        assert "[@click=app.quit]x[/]" in drawn and "\x1b" not in drawn
        column = drawn.index("[@click") % view.size.width
        await pilot.click(OptionList, offset=(column + 3, 2))
        await pilot.pause()
        # The click chose the entry, as any click on it does; the markup did nothing.
        assert app.is_running and app.results == [Place(summit.path, "a", ALPHA, "tariffs")]


# The note editor


def area_of(app: App[None]) -> NoteArea:
    return app.screen.query_one(NoteArea)


async def test_the_editor_opens_with_the_note_and_saves_with_ctrl_s() -> None:
    app = Host(NoteScreen("Tariffs were not discussed.", "First thought"))
    async with app.run_test(size=SIZE) as pilot:
        about = str(app.screen.query_one("#note-about", Static).render())
        assert about == "Your note on: Tariffs were not discussed."
        assert area_of(app).text == "First thought"
        await pilot.press("space", "a", "enter", "b")
        assert isinstance(app.screen, NoteScreen)  # Enter starts a new line
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["First thought a\nb"]


async def test_escape_cancels_the_editor() -> None:
    app = Host(NoteScreen("a claim", "kept as it was"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x", "escape")
        await pilot.pause()
        assert app.results == [None]


async def test_an_emptied_note_saves_as_empty_text() -> None:
    app = Host(NoteScreen("a claim", "ab"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("backspace", "backspace", "ctrl+s")
        await pilot.pause()
        assert app.results == [""]


async def test_a_pasted_escape_sequence_is_shown_inert_and_kept_sanitised() -> None:
    app = Host(NoteScreen("a claim"))
    async with app.run_test(size=SIZE) as pilot:
        area = area_of(app)
        app.post_message(events.Paste("before \x1b]52;c;SGVsbG8=\x07\x1b[31mred\u202e after\x00"))
        await pilot.pause()
        assert area.text == "before ␛␛red after␀"
        app.copy_to_clipboard("\x1b]0;title\x07 clipboard")
        await pilot.press("ctrl+v")
        assert area.text == "before ␛␛red after␀␛ clipboard"
        drawn = "".join(area.render_line(y).text for y in range(area.size.height))
        assert "\x1b" not in drawn and "␛␛red" in drawn
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.results == ["before ␛␛red after␀␛ clipboard"]


async def test_a_note_too_long_is_not_saved_and_the_editor_says_why() -> None:
    app = Host(NoteScreen("a claim", "x" * MAX_NOTE_CHARS))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y", "ctrl+s")
        await pilot.pause()
        assert app.results == [] and isinstance(app.screen, NoteScreen)
        problem = str(app.screen.query_one("#note-problem", Static).render())
        assert problem == "Too long to keep: 10,001 characters, at most 10,000."
        await pilot.press("backspace", "ctrl+s")
        await pilot.pause()
        assert app.results == ["x" * MAX_NOTE_CHARS]
