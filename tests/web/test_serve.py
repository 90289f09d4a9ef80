"""`briefing serve` as a browser tab sees it: the terminal stream over the WebSocket, via pyte."""

from __future__ import annotations

import aiohttp
import pytest
from web_helpers import ENTER, ESCAPE, BrowserTab, ServedReader, wait_until

from briefing_tui.core.library.loader import load_library

# A typo on purpose: the search is typo-tolerant, and the hit names the brief on investment.
QUERY, FOUND = "trilion", "trillion"


@pytest.fixture(scope="module")
def titles() -> list[str]:
    """The bundled library's topic titles, read from the library, not written down here."""
    return [brief.title for brief in load_library().briefs]


async def test_the_first_topic_shows_then_keys_move_on_and_search_opens_a_result(
    served: ServedReader, client: aiohttp.ClientSession, titles: list[str]
) -> None:
    hit_topic = next(title for title in titles if FOUND in title)
    async with BrowserTab(client, served.websocket_url, origin=served.url) as tab:
        await tab.feed.wait_for_text(titles[0])
        before = tab.feed.count(titles[1])
        await tab.press("]")
        await tab.feed.wait_for(lambda feed: feed.count(titles[1]) > before)
        await tab.press("/")
        # The search screen's own hint: keys typed before it opens would go to the reader.
        await tab.feed.wait_for_text("Esc close")
        await tab.type(QUERY)
        await tab.feed.wait_for(lambda feed: QUERY in feed.text and FOUND in feed.text)
        await tab.press(ENTER)
        screen = await tab.feed.wait_for(
            lambda feed: "Esc close" not in feed.text and feed.count("search:") == 1
        )
        assert hit_topic in screen


async def test_the_mouse_and_the_palette_work_as_in_a_terminal(
    served: ServedReader, client: aiohttp.ClientSession, titles: list[str]
) -> None:
    async with BrowserTab(client, served.websocket_url, origin=served.url) as tab:
        await tab.feed.wait_for_text(titles[2])
        # A click on the third topic in the sidebar, as xterm.js reports it (SGR, 1-based).
        row = next(n for n, line in enumerate(tab.feed.lines) if titles[2] in line)
        column = tab.feed.lines[row].index(titles[2])
        before = tab.feed.count(titles[2])
        await tab.press(f"\x1b[<0;{column + 2};{row + 1}M", f"\x1b[<0;{column + 2};{row + 1}m")
        await tab.feed.wait_for(lambda feed: feed.count(titles[2]) > before)
        await tab.press("\x10")  # Ctrl+P
        await tab.feed.wait_for_text("Search for commands")
        await tab.press(ESCAPE)
        await tab.feed.wait_for(lambda feed: "Search for commands" not in feed.text)


async def test_quitting_in_the_browser_ends_the_tab_and_its_reader(
    served: ServedReader, client: aiohttp.ClientSession, titles: list[str]
) -> None:
    async with BrowserTab(client, served.websocket_url, origin=served.url) as tab:
        await tab.feed.wait_for_text(titles[0])
        # Earlier tests' readers may still be ending; this tab's is the one left.
        assert wait_until(lambda: len(served.readers()) == 1)
        await tab.press("q")
        await tab.wait_closed()
    assert wait_until(lambda: not served.readers())
