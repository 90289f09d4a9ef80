"""The reader in a real browser: Debian's chromium, driven by playwright, fully offline."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

pytest.importorskip("playwright.async_api", reason="playwright (the test extra) is not installed")

import stand_in  # noqa: E402
from chromium_tab import CHROMIUM, NO_CHROMIUM, ChromiumTab  # noqa: E402
from playwright.async_api import Download  # noqa: E402
from playwright.async_api import TimeoutError as PlaywrightTimeout  # noqa: E402
from web_helpers import (  # noqa: E402
    HOSTILE_HTML,
    HOSTILE_TITLE,
    HOSTILE_URL,
    ServedReader,
    write_hostile_library,
)

from briefing_tui.core.library.loader import load_library  # noqa: E402

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason=NO_CHROMIUM)

LINK_REFUSED = "briefing: a link in the text was not opened"
CLICKS = 5


def assert_offline_and_clean(tab: ChromiumTab) -> None:
    """Nothing was asked of another machine, and the page's script broke no rule."""
    assert tab.blocked == []
    assert tab.errors == []
    assert not [line for line in tab.console if "Content Security Policy" in line]


async def test_the_reader_in_chromium(served: ServedReader, tmp_path: Path) -> None:
    titles = [brief.title for brief in load_library().briefs]
    async with ChromiumTab(tmp_path / "profile") as tab:
        await tab.open(served.url, titles[0])
        before = tab.feed.count(titles[1])
        await tab.page.keyboard.press("]")
        await tab.feed.wait_for(lambda feed: feed.count(titles[1]) > before)
        await tab.page.keyboard.press("/")
        await tab.feed.wait_for_text("Esc close")
        await tab.page.keyboard.type("trilion")
        await tab.feed.wait_for_text("trillion")
        await tab.page.keyboard.press("Enter")
        screen = await tab.feed.wait_for(
            lambda feed: "Esc close" not in feed.text and feed.count("search:") == 1
        )
        assert next(title for title in titles if "trillion" in title) in screen
        shot = await tab.page.screenshot(path=tmp_path / "reader.png")
        assert shot.startswith(b"\x89PNG")
        assert_offline_and_clean(tab)


async def click_the_link_until_refused(tab: ChromiumTab, x: float, y: float) -> None:
    """Click the link xterm.js sees at (x, y) until the page's guard refuses to open it."""
    # xterm.js forgets a link when its row is redrawn, and the reader redraws on hover and
    # click; a click between a redraw and the link's re-detection falls on no link.
    for _ in range(CLICKS):
        await tab.page.mouse.move(0, 0)
        await tab.page.mouse.move(x, y)
        await tab.page.locator(".xterm-screen.xterm-cursor-pointer").wait_for(state="attached")
        try:
            async with tab.page.expect_console_message(
                lambda message: message.text == LINK_REFUSED, timeout=5_000
            ):
                await tab.page.mouse.click(x, y)
        except PlaywrightTimeout:
            continue
        return
    raise AssertionError(f"{CLICKS} clicks on the link never reached the page's guard")


async def test_a_hostile_source_shows_no_live_link_and_injects_no_html(tmp_path: Path) -> None:
    server = ServedReader(tmp_path / "served", write_hostile_library(tmp_path))
    try:
        async with ChromiumTab(tmp_path / "profile") as tab:
            await tab.open(server.url, HOSTILE_TITLE)
            await tab.feed.wait_for_text(HOSTILE_URL)
            assert HOSTILE_HTML in tab.feed.text  # shown as written, on the terminal's canvas
            row, column = await tab.find(HOSTILE_URL)
            await click_the_link_until_refused(tab, *await tab.cell_centre(row, column + 12))
            assert tab.popups == 0
            assert len(tab.context.pages) == 1
            dom = await tab.page.content()
            assert "evil.example" not in dom and "alert(" not in dom
            assert await tab.page.locator("img, iframe, object, embed, a").count() == 0
            assert_offline_and_clean(tab)
    finally:
        server.stop()


async def clipboard_holds(tab: ChromiumTab, text: str) -> None:
    """Return once the browser's clipboard holds text (xterm.js writes it after drawing)."""
    while await tab.page.evaluate("navigator.clipboard.readText()") != text:
        await asyncio.sleep(0.05)


async def test_a_copy_reaches_the_browser_clipboard_and_a_delivered_file_downloads(
    tmp_path: Path,
) -> None:
    # The plumbing the reader's copy and export use, shown with a stand-in app: Textual's
    # copy_to_clipboard (OSC 52) and deliver_text, through our page, its checks and its CSP.
    server = ServedReader(tmp_path / "served", serve=[sys.executable, stand_in.__file__, "serve"])
    try:
        async with ChromiumTab(tmp_path / "profile") as tab:
            await tab.context.grant_permissions(["clipboard-read", "clipboard-write"])
            await tab.open(server.url, stand_in.READY)
            await tab.page.keyboard.press("c")
            await tab.feed.wait_for_text(stand_in.COPIED)
            await asyncio.wait_for(clipboard_holds(tab, stand_in.COPY_TEXT), 30)
            downloaded: asyncio.Future[tuple[str, str]] = asyncio.Future()

            async def keep(download: Download) -> None:
                path = await download.path()
                if not downloaded.done():
                    downloaded.set_result((download.suggested_filename, path.read_text()))

            # The page opens the download's URL in a new tab, whose download event comes to
            # that tab (or, by some browsers' choice, to the page itself).
            tab.page.on("download", keep)
            tab.context.on("page", lambda page: page.on("download", keep))
            await tab.page.keyboard.press("d")
            name, text = await asyncio.wait_for(downloaded, 30)
            assert (name, text) == (stand_in.FILE_NAME, stand_in.FILE_TEXT)
            assert_offline_and_clean(tab)
    finally:
        server.stop()
