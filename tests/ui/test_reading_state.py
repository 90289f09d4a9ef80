"""The reader remembers: last place, bookmarks, notes, citations and YAML passages to copy."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import write_library
from reader_helpers import PassageRef, claim_header, status, until, where
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from briefing_tui.cli import main
from briefing_tui.core.library.loader import LibraryReader, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.state import Kind, StateStore
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.bookmarks import BookmarksScreen
from briefing_tui.ui.screens.note import NoteScreen
from briefing_tui.ui.screens.search import SearchScreen
from briefing_tui.ui.widgets.source_view import SourceView

SIZE = (120, 40)
SOURCE = (
    "A long sentence that was hard-wrapped\nacross two lines of the file.\n"
    "The talks lasted two hours.\n"
    "Japan will invest one trillion dollars, officials said. The talks lasted two hours.\n"
)
BRIEF = """\
title: Summit
sources:
  wire: seeds/wire.txt
claims:
  - id: invest
    text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A library of one brief on disk."""
    return write_library(tmp_path / "lib", {"summit.yaml": BRIEF}, {"seeds/wire.txt": SOURCE})


def app_on(root: Path, *, fresh: bool = False) -> BriefingApp:
    """The app as the CLI makes it, with the reading state of the test's own folder."""
    reader = LibraryReader(locate_library(root))
    library = reader.read().library
    return BriefingApp(library, reader, store=StateStore.open(library.root), fresh=fresh)


async def source_at_top(app: BriefingApp, pilot: Pilot[None]) -> SourceView:
    """The source view, focused and scrolled to the top of its text."""
    view = app.query_one(SourceView)
    view.focus()
    view.scroll_to_offset(0)
    await pilot.pause()
    return view


async def test_star_bookmarks_the_passage_and_b_lists_it_and_goes_there(
    library: Library, tmp_path: Path
) -> None:
    store = StateStore.open(tmp_path)
    app = BriefingApp(library, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "asterisk")
        assert status(app).startswith("Bookmarked: “Tariffs were not discussed")
        (bookmark,) = store.annotations(Kind.BOOKMARK)
        assert bookmark.quote == "Tariffs were not discussed, officials said."
        await pilot.press("right_square_bracket", "B")
        assert isinstance(app.screen, BookmarksScreen)
        await pilot.press("enter")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 0)
        assert status(app) == "bookmark · supports claim 2 · Alpha Wire · line 3"
        await pilot.press("asterisk")
        assert status(app).startswith("Bookmark removed")
        assert store.annotations(Kind.BOOKMARK) == []


async def test_a_note_is_written_shown_in_the_panel_as_the_readers_and_kept(
    library: Library, tmp_path: Path
) -> None:
    store = StateStore.open(tmp_path)
    app = BriefingApp(library, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "a")
        assert isinstance(app.screen, NoteScreen)
        await pilot.press(*"check the wire", "ctrl+s")
        assert not isinstance(app.screen, NoteScreen)
        assert status(app) == "Note kept"
        (note,) = store.annotations(Kind.NOTE)
        assert note.text == "check the wire"
        options = app.query_one("#claim-passages", OptionList)
        prompts = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert any("✎ your note: check the wire" in prompt for prompt in prompts)
        assert "note: The outlets disagree." in claim_header(app)  # the curator's, apart


async def test_search_finds_the_readers_note_and_opens_it(library: Library, tmp_path: Path) -> None:
    store = StateStore.open(tmp_path)
    app = BriefingApp(library, store=store)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "n", "a", *"ask the embassy", "ctrl+s")  # claim 3, in Alpha
        await pilot.press("right_square_bracket", "slash", *"embasy kind:note")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: bool(screen.hits))
        (hit,) = screen.hits
        assert hit.by_reader and hit.text == "ask the embassy"
        shown = str(screen.query_one("#search-results", OptionList).get_option_at_index(0).prompt)
        assert shown.startswith("your note Security and trade › claim 3 › Alpha Wire")
        preview = str(screen.query_one("#search-preview", Static).render())
        assert preview.startswith("your note · Security and trade › claim 3")
        await pilot.press("enter")
        assert where(app) is not None and where(app).passage == PassageRef(0, 2, 0)
        assert status(app).startswith("search: your note · ")


async def test_y_copies_a_citation_and_shift_y_a_yaml_passage(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("y")
        assert status(app).startswith("Select a passage")
        await pilot.press("n", "y")
        assert app.clipboard == (
            "“Article 5 applies to the islands”\n"
            "— Alpha Wire, “Leaders meet in Washington”, 2025-02-07, sources/alpha.txt:2"
        )
        assert status(app).startswith("Copied the citation: “Article 5 applies")
        await pilot.press("Y")
        assert app.clipboard.startswith("      - source: a\n        quote: ")
        assert status(app).startswith("Copied the YAML passage")


async def test_keys_that_remember_say_so_without_a_store(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "asterisk")
        assert status(app).startswith("Bookmarks and notes are off")


async def test_the_reader_comes_back_where_it_left_unless_fresh(root: Path) -> None:
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "n")
        left = where(app)
        assert left is not None and left.passage is not None
        await pilot.press("q")
    again = app_on(root)
    async with again.run_test(size=SIZE):
        assert where(again) == left
        assert status(again).startswith("Back where you left this library")
    fresh = app_on(root, fresh=True)
    async with fresh.run_test(size=SIZE):
        assert where(fresh) is not None and where(fresh).claim is None


async def test_v_selects_text_across_a_line_break_and_its_yaml_anchors_exactly(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = app_on(root, fresh=True)
    async with app.run_test(size=SIZE) as pilot:
        view = await source_at_top(app, pilot)
        await pilot.press("v")
        assert view.selection is None and status(app).startswith("Selecting: arrows")
        await pilot.press("right_parenthesis")
        assert view.selection == (0, SOURCE.index("\nThe talks"))
        assert status(app).endswith("Y a YAML passage · Esc ends")
        await pilot.press("Y")
        snippet = app.clipboard
    brief = root / "briefs" / "summit.yaml"
    brief.write_text(BRIEF + snippet + "\n", encoding="utf-8")
    assert main(["check", "--strict", str(root)]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


async def test_a_selection_of_a_repeated_quote_gets_the_context_that_singles_it_out(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = app_on(root, fresh=True)
    async with app.run_test(size=SIZE) as pilot:
        view = await source_at_top(app, pilot)
        first = SOURCE.index("The talks")
        await pilot.press("v", "right_parenthesis")
        await pilot.press("escape")
        assert view.selection is None  # escape ends a selection
        # "The talks lasted two hours." is the third display line, and occurs twice.
        sentence = len("The talks lasted two hours.")
        await pilot.mouse_down(SourceView, offset=(2, 2))
        await pilot.hover(SourceView, offset=(2 + sentence, 2))
        await pilot.mouse_up(SourceView, offset=(2 + sentence, 2))
        assert view.selection == (first, first + sentence)
        await pilot.press("Y")
        snippet = app.clipboard
        await pilot.press("escape")
        assert view.selection is None
    assert "prefix:" in snippet or "suffix:" in snippet
    (root / "briefs" / "summit.yaml").write_text(BRIEF + snippet + "\n", encoding="utf-8")
    assert main(["check", "--strict", str(root)]) == 0
    capsys.readouterr()


async def test_a_drag_with_the_mouse_selects_text(root: Path) -> None:
    app = app_on(root, fresh=True)
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(SourceView)
        view.scroll_to_offset(0)
        await pilot.pause()
        await pilot.mouse_down(SourceView, offset=(2, 0))  # the first line, after the gutter
        await pilot.hover(SourceView, offset=(11, 0))
        await until(pilot, lambda: view.selection is not None)
        await pilot.mouse_up(SourceView, offset=(11, 0))
        assert view.selection == (0, 9)
        assert SOURCE[0:9] == "A long se"
