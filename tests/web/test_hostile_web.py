"""The untrusted-text rules hold in the browser: no live link, no HTML, no escape, no shell."""

from __future__ import annotations

from collections.abc import Iterator

import aiohttp
import pytest
from web_helpers import (
    HOSTILE_HTML,
    HOSTILE_MARKUP,
    HOSTILE_TITLE,
    HOSTILE_URL,
    BrowserTab,
    ServedReader,
    wait_until,
    write_hostile_library,
)

# Sequences in the hostile source that Textual itself never writes here.
INJECTED = (b"\x1b]8;", b"\x1b]52;", b"evil.example/osc8", b"SE9TVElMRQ==")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedReader]:
    """A server on the hostile library, whose folder name is a shell command line."""
    base = tmp_path_factory.mktemp("hostile-web")
    server = ServedReader(base, write_hostile_library(base))
    yield server
    assert server.stop() == 0
    assert "Traceback" not in server.output()
    # Had a shell split the folder name and run its commands, these files would exist.
    assert list(base.rglob("PWNED*")) == []


async def test_hostile_text_reaches_the_browser_as_plain_text(
    hostile: ServedReader, client: aiohttp.ClientSession
) -> None:
    async with BrowserTab(client, hostile.websocket_url, origin=hostile.url) as tab:
        # The title shows, so the hostile folder name reached the reader as one argument.
        await tab.feed.wait_for_text(HOSTILE_TITLE)
        screen = await tab.feed.wait_for_text(HOSTILE_URL)
        assert HOSTILE_HTML in screen
        assert HOSTILE_MARKUP in screen
        await tab.press("q")
        await tab.wait_closed()
        for sequence in INJECTED:
            assert sequence not in tab.feed.raw
    assert wait_until(lambda: not hostile.readers())
    assert hostile.left_behind() == []


async def test_the_page_holds_nothing_from_the_library(
    hostile: ServedReader, client: aiohttp.ClientSession
) -> None:
    async with client.get(hostile.url + "/") as response:
        page = await response.text()
    for text in ("evil.example", "PWNED", "<b>in</b>", "alert("):
        assert text not in page
