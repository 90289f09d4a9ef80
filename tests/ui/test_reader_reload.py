"""The reader screen owns its keys, and keeps its place when the library is read again."""

from __future__ import annotations

import gc
import os
import shutil
import weakref
from pathlib import Path

import pytest
from builders import write_library
from reader_helpers import shown, status, until, where
from textual.screen import Screen

from briefing_tui.core.library.cache import cache_file
from briefing_tui.core.library.loader import LibraryReader, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.help import HelpScreen
from briefing_tui.ui.widgets.topics import TopicTree

SIZE = (120, 40)
SOURCE = "The talks lasted two hours.\nJapan will invest one trillion dollars.\n"
BRIEF = """\
title: Summit
sources:
  wire: seeds/wire.txt
claims:
  - id: invest
    text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars.
"""
LENGTH = """\
  - id: length
    text: The talks lasted two hours.
    passages:
      - source: wire
        quote: The talks lasted two hours.
"""


def save(file: Path, text: str) -> None:
    """Save as an editor does: a temporary file renamed over the old one."""
    temporary = file.with_name(f".{file.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, file)


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A library of one brief on disk."""
    return write_library(tmp_path / "lib", {"summit.yaml": BRIEF}, {"seeds/wire.txt": SOURCE})


def app_on(root: Path, *, watch: bool = False, library_cache: bool = False) -> BriefingApp:
    """The app as the CLI makes it: the reader that loaded the library reads it again."""
    reader = LibraryReader(locate_library(root))
    return BriefingApp(reader.read().library, reader, watch=watch, library_cache=library_cache)


@pytest.mark.parametrize("cover", [Screen, lambda: HelpScreen({})])
async def test_the_reader_s_keys_do_nothing_under_another_screen(
    library: Library, cover: type[Screen[None]]
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        before = where(app)
        assert before is not None and before.passage is not None
        await app.push_screen(cover())
        await pilot.press("n", "n", "x", "right_square_bracket", "b")
        assert where(app) == before
        app.pop_screen()
        await pilot.press("n")
        assert where(app) != before


async def test_r_reloads_and_keeps_the_claim_though_its_position_changed(root: Path) -> None:
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
        assert where(app) is not None and where(app).claim == 0
        edited = BRIEF.replace("claims:\n", "claims:\n" + LENGTH)  # a claim before it
        save(root / "briefs" / "summit.yaml", edited)
        await pilot.press("r")
        await until(pilot, lambda: status(app).startswith("reloaded"))
        assert status(app) == "reloaded: 1 brief changed · 0 problems"
        assert where(app) is not None and where(app).claim == 1  # the same claim, "invest"
        assert app.reader.place is not None and app.reader.place.claim == "invest"
        assert "claim 2/2" in shown(app, "#where")


async def test_watch_follows_a_save_and_a_broken_edit_keeps_the_last_good_brief(
    root: Path,
) -> None:
    app = app_on(root, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        brief = root / "briefs" / "summit.yaml"
        save(brief, BRIEF.replace("title: Summit", "title: Summit, edited"))
        await until(pilot, lambda: "Summit, edited" in shown(app, "#where"))
        assert status(app) == "reloaded: 1 brief changed · 0 problems"
        save(brief, "title: [half typed\n")
        await until(pilot, lambda: "kept as last loaded" in status(app))
        tree = app.query_one(TopicTree)
        assert "(stale)" in str(tree.root.children[0].label)
        assert "Summit, edited" in shown(app, "#where")
        assert shown(app, "#problems-count") == "⚠ 2 problems (e)"


async def test_a_vanished_library_folder_is_said_and_costs_nothing_else(root: Path) -> None:
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        before = where(app)
        shutil.rmtree(root)
        await pilot.press("r")
        await until(pilot, lambda: status(app).startswith("Cannot reload"))
        assert "the folder is gone" in status(app)
        assert where(app) == before


class Cycle:
    """An object in a reference cycle (as a widget and its parent): only the collector frees it."""

    def __init__(self) -> None:
        self.me = self


async def test_what_the_reader_holds_stays_out_of_full_collections_until_a_reload(
    root: Path,
) -> None:
    cycle = Cycle()
    freed = weakref.ref(cycle)
    app = app_on(root)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.search_index is not None)
        brief = app.library.briefs[0]
        assert not any(tracked is brief for tracked in gc.get_objects())  # frozen
        del cycle
        gc.collect()
        assert freed() is not None  # garbage from before the freeze waits for the next reload
        index = app.search_index
        await pilot.press("r")
        await until(pilot, lambda: app.search_index not in (None, index))
        assert freed() is None
        assert not any(tracked is app.library.briefs[0] for tracked in gc.get_objects())
    assert gc.get_freeze_count() == 0  # handed back when the app ends


async def test_the_collector_paused_for_start_up_runs_again_once_the_reader_is_drawn(
    root: Path,
) -> None:
    app = app_on(root)
    gc.disable()  # as `briefing` does before it loads the library
    try:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, gc.isenabled)
            assert "Enter chooses a topic" in status(app)
    finally:
        gc.enable()


async def test_the_library_is_never_written_out_as_text_at_start_or_reload(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A worker described by its arguments' repr would spell out every source's text.
    written: list[str] = []
    monkeypatch.setattr(Library, "__repr__", lambda library: written.append("repr") or "Library")
    app = app_on(root, library_cache=True)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.search_index is not None)
        await app.workers.wait_for_complete()  # the library cache's worker among them
        assert cache_file(locate_library(root)).exists()
        index = app.search_index
        await pilot.press("r")
        await until(pilot, lambda: app.search_index not in (None, index))
    assert written == []
