"""The search screen, driven as a person would: type, move, open, close."""

from __future__ import annotations

import threading

import pytest
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Static

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.search.hits import hit_label
from briefing_tui.core.search.index import SearchHit, SearchIndex
from briefing_tui.core.search.query import Query
from briefing_tui.ui.screens.search import RESULT_LIMIT, SearchScreen

_NOT_CLOSED = object()


class Host(App[None]):
    """A bare app that opens the search screen and keeps what it dismisses with."""

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.index = SearchIndex.build(library)
        self.chosen: object = _NOT_CLOSED

    def on_mount(self) -> None:
        self.push_screen(SearchScreen(self.index, self.library), self.record)

    def record(self, hit: SearchHit | None) -> None:
        self.chosen = hit

    @property
    def search(self) -> SearchScreen:
        assert isinstance(self.screen, SearchScreen)
        return self.screen


@pytest.fixture(scope="module")
def bundled() -> Library:
    return load_library()


async def settle(pilot: Pilot[None]) -> None:
    """Let pending input reach the screen, the search workers finish, and results show."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def type_query(pilot: Pilot[None], query: str) -> None:
    await pilot.press(*query)
    await settle(pilot)


def preview_text(screen: SearchScreen) -> str:
    return str(screen.query_one("#search-preview", Static).visual)


async def test_results_appear_as_you_type(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "senkau")
        screen = app.search
        assert list(screen.hits) == app.index.search("senkau", limit=RESULT_LIMIT)
        assert screen.hits and "Senkaku" in screen.hits[0].text
        assert screen.query_one("#search-results", OptionList).option_count == len(screen.hits)
        status = str(screen.query_one("#search-status", Static).visual)
        assert status == f"{len(screen.hits)} results"


class GatedIndex(SearchIndex):
    """An index whose searches wait for a gate: results come back after later keys."""

    def __init__(self, library: Library) -> None:
        built = SearchIndex.build(library)
        super().__init__(built.units, built.vocabulary, built.labels, built.catalog)
        self.gate = threading.Event()

    def search(self, query: str | Query, limit: int = 50) -> list[SearchHit]:
        """Search once the gate opens."""
        self.gate.wait(timeout=10)
        return super().search(query, limit)


async def test_only_the_latest_query_is_shown(bundled: Library) -> None:
    app = Host(bundled)
    app.index = index = GatedIndex(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press(*"sen")
        await pilot.pause()  # the key reached the screen, whose search waits at the gate
        await pilot.press("backspace", "backspace", "backspace")  # an empty query: no search
        await pilot.pause()
        index.gate.set()  # the search for "sen" now finishes, after the box was cleared
        await settle(pilot)
        assert app.search.query_one(Input).value == ""
        assert app.search.hits == ()
        assert app.search.query_one("#search-results", OptionList).option_count == 0
        await pilot.press(*"investor")
        await settle(pilot)
        assert list(app.search.hits) == index.search("investor", limit=RESULT_LIMIT)


async def test_arrows_move_through_results_and_the_preview_follows(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "article 5")
        screen = app.search
        assert screen.highlighted_hit == screen.hits[0]
        await pilot.press("down", "down")
        assert screen.highlighted_hit == screen.hits[2]
        assert preview_text(screen).startswith(hit_label(app.index.catalog, screen.hits[2]))
        await pilot.press("up")
        assert screen.highlighted_hit == screen.hits[1]
        await pilot.press("up", "up")
        assert screen.highlighted_hit == screen.hits[0]
        assert screen.query_one(Input).has_focus


async def test_enter_dismisses_with_the_highlighted_hit(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "trilion")
        expected = app.search.hits[1]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.chosen == expected
        assert not isinstance(app.screen, SearchScreen)


async def test_clicking_a_result_dismisses_with_it(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "senkaku")
        expected = app.search.hits[0]
        assert await pilot.click("#search-results", offset=(4, 0))
        await pilot.pause()
        assert app.chosen == expected


async def test_escape_dismisses_with_none(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "senkaku")
        await pilot.press("escape")
        await pilot.pause()
        assert app.chosen is None


async def test_enter_without_results_keeps_the_screen_open(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "zzzqqq")
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.search.hits == ()
        assert app.chosen is _NOT_CLOSED


async def test_clearing_the_query_clears_the_results(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "japan")
        assert app.search.hits
        await pilot.press(*["backspace"] * 5)
        await settle(pilot)
        assert app.search.hits == ()
        assert preview_text(app.search) == ""


async def test_markup_in_results_and_preview_stays_literal(library: Library) -> None:
    app = Host(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "'click")
        screen = app.search
        assert screen.hits
        assert "[@click=app.quit]not a link[/]" in preview_text(screen)
        prompt = screen.query_one(OptionList).get_option_at_index(0).prompt
        assert "[@click=app.quit]not a link[/]" in str(prompt)


async def test_a_claim_preview_lists_its_passages_with_stance_in_words(bundled: Library) -> None:
    app = Host(bundled)
    async with app.run_test(size=(120, 40)) as pilot:
        await type_query(pilot, "kind:claim stance:conflicts")
        screen = app.search
        hit = screen.hits[0]
        assert hit.brief is not None and hit.claim is not None
        claim = bundled.briefs[hit.brief].claims[hit.claim]
        preview = preview_text(screen)
        assert "✖ conflicts · " in preview
        assert all(f"“{passage.quote}”" in preview for passage in claim.passages)
