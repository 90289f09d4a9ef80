"""Search opened while the index is still being built, and hits that passages quote."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from builders import library_of, named
from builders import source as builders_source
from reader_helpers import status, until, where
from textual import events
from textual.widgets import Input, Static

from briefing_tui.core.library.loader import Reading, load_library
from briefing_tui.core.library.model import Brief, Library
from briefing_tui.core.search import cache
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.ui import app as app_module
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.search import RESULT_LIMIT, SearchScreen

SIZE = (120, 40)


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Index builds wait until the gate opens (as a large library's build takes seconds)."""
    opened = threading.Event()
    real = cache.open_index

    def gated(*args: Any, **kwargs: Any) -> SearchIndex:
        opened.wait(timeout=20)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache, "open_index", gated)
    yield opened
    opened.set()  # never leave a builder waiting


def search_status(app: Any) -> str:
    return str(app.screen.query_one("#search-status", Static).render())


async def test_keys_typed_right_after_slash_go_to_the_box_while_indexing(
    gate: threading.Event,
) -> None:
    library = load_library()
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"quota")
        await pilot.pause()
        assert app.is_running  # the q did not reach the reader
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert screen.query_one(Input).value == "quota"
        assert search_status(app).startswith("indexing the library…")
        assert screen.hits == ()
        gate.set()
        await until(pilot, lambda: bool(screen.hits))
        expected = SearchIndex.build(library).search("quota", limit=RESULT_LIMIT)
        assert list(screen.hits) == expected
        assert search_status(app) == f"{len(expected)} results"
        await pilot.press("escape")
        assert "Indexing" not in status(app)


async def test_keys_arriving_all_at_once_with_slash_go_to_the_box(gate: threading.Event) -> None:
    # As a paste or a terminal delivers them: all queued before the app handles the first.
    app = BriefingApp(load_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for key, character in [("slash", "/"), *((c, c) for c in "quota")]:
            app.post_message(events.Key(key, character))
        await pilot.pause()
        await pilot.pause()
        assert app.is_running
        assert isinstance(app.screen, SearchScreen)
        assert app.screen.query_one(Input).value == "quota"


async def test_search_closed_before_the_index_is_ready_leaves_no_message(
    gate: threading.Event,
) -> None:
    app = BriefingApp(load_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", *"ledger", "escape")
        assert not isinstance(app.screen, SearchScreen) and app.is_running
        gate.set()
        await until(pilot, lambda: app.search_index is not None)
        await pilot.pause()
        assert "ndexing" not in status(app)
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        assert search_status(app) == ""  # ready at once: nothing to wait for


async def test_a_letter_that_reaches_the_screen_goes_into_the_box() -> None:
    app = BriefingApp(load_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        box = app.screen.query_one(Input)
        box.blur()
        await pilot.press(*"jap")
        assert box.value == "jap" and box.has_focus


async def test_a_quoted_sentence_opens_at_its_passage_in_the_claim_that_quotes_it() -> None:
    library = load_library()
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.search_index is not None)
        index = app.search_index
        assert index is not None
        hit = next(h for h in index.search("55,000") if h.kind.value == "text")
        assert hit.quotes and hit.claim is not None
        app.open_hit(library, hit)
        await pilot.pause()
        place = app.reader.place
        assert place is not None and place.brief == "briefs/03-forces-command.yaml"
        assert place.claim == "troop-numbers" and place.passage is not None
        here = where(app)
        assert here is not None
        passage = library.briefs[2].claims[0].passages[1]
        assert passage.span == place.passage and passage.stance == "conflicts"
        assert "claim 1" in status(app)


async def test_a_quoted_sentence_opens_in_the_current_topic_when_it_quotes_it() -> None:
    library = load_library()
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.search_index is not None)
        index = app.search_index
        assert index is not None
        # A sentence several topics quote: open it from a topic that quotes it, not the first.
        quoted = next(
            h
            for h in index.search("kind:text", limit=5000)
            if len({q.brief for q in h.quotes}) >= 2
        )
        second = library.briefs[quoted.quotes[-1].brief]
        app.reader.open_claim(second, None)
        await pilot.pause()
        app.open_hit(library, quoted)
        await pilot.pause()
        place = app.reader.place
        assert place is not None and place.brief == second.path and place.passage is not None
        others = len({q.brief for q in quoted.quotes} - {second.index})
        assert f"also quoted in {others} other topic" in status(app)


class CountingBuilds(BriefingApp):
    """The app, counting the index builds it starts, by the library each is for."""

    # Textual looks for a relative CSS path beside the module that defines the class.
    CSS_PATH = Path(app_module.__file__).with_name("briefing.tcss")

    def __init__(self, library: Library) -> None:
        super().__init__(library)
        self.builds: list[Library] = []

    def _build_index(self, build: Any, library: Library) -> Any:
        self.builds.append(library)
        return super()._build_index(build, library)


class SearchingAtMount(CountingBuilds):
    """A `/` handled before the first paint's indexing begins, as a fast typist's can be."""

    def on_mount(self) -> None:  # runs before BriefingApp.on_mount, which Textual calls next
        self.open_search()


async def test_a_search_opened_before_indexing_begins_builds_the_index_once(
    gate: threading.Event,
) -> None:
    app = SearchingAtMount(load_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"quota")
        await pilot.pause()
        gate.set()
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: bool(screen.hits))
        # Two builds at once would each take the other's time (they share the GIL).
        assert len(app.builds) == 1 and app.builds[0] is app.library


async def test_a_search_opened_right_after_a_reload_searches_the_new_library() -> None:
    before = load_library()
    app = CountingBuilds(before)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: app.search_index is not None)
        source = named("wire", builders_source("seeds/wire.txt", "Zanzibar cloves arrived."))
        brief = Brief(0, "briefs/new.yaml", "New", (source,))
        after = library_of(brief)
        app.show_reading(Reading(after))
        app.open_search()  # before the repaint after which the new library is indexed
        await pilot.press(*"zanzibar")
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        await until(pilot, lambda: bool(screen.hits))
        assert len(app.builds) == 2 and app.builds[1] is after
