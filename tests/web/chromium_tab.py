"""A real browser tab on `briefing serve`: Debian's chromium driven by playwright.

What the tab draws is read from the WebSocket frames it receives, decoded with pyte: the
terminal renders to a WebGL canvas, whose text the page's DOM does not hold.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import TracebackType
from urllib.parse import parse_qs, urlsplit

from playwright.async_api import Page, Route, WebSocket, async_playwright
from web_helpers import ScreenFeed

# The system's chromium, never one playwright would download (it cannot, here).
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
NO_CHROMIUM = "no chromium binary (apt-get install chromium): the real-browser test needs one"
# Flags this machine's chromium needs: its closed network refuses anything else it would try.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-unsafe-swiftshader",  # WebGL (the terminal's renderer) in software
]
LOCAL = ("127.0.0.1", "localhost")
VIEWPORT = {"width": 1280, "height": 800}


class ChromiumTab:
    """One chromium page with a fresh profile; every request off this machine is aborted."""

    def __init__(self, profile: Path) -> None:
        self.profile = profile
        self.feed = ScreenFeed()
        self.blocked: list[str] = []  # requests for anything off this machine
        self.console: list[str] = []
        self.errors: list[str] = []
        self.popups = 0

    async def __aenter__(self) -> ChromiumTab:
        self._playwright = await async_playwright().start()
        self.context = await self._playwright.chromium.launch_persistent_context(
            str(self.profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport=VIEWPORT,  # type: ignore[arg-type]
        )
        self.page = self.context.pages[0] if self.context.pages else await self.context.new_page()
        await self.context.route("**/*", self._route)
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("websocket", self._watch)
        self.context.on("page", self._count_popup)
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.context.close()
        await self._playwright.stop()

    async def _route(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL:
            await route.continue_()
        else:
            self.blocked.append(route.request.url)
            await route.abort()

    def _count_popup(self, page: Page) -> None:
        self.popups += 1

    def _watch(self, socket: WebSocket) -> None:
        """Decode what the terminal's WebSocket carries, at the size the page asks for."""
        query = parse_qs(urlsplit(socket.url).query)
        self.feed.resize(int(query["width"][0]), int(query["height"][0]))
        socket.on("framereceived", self._received)
        socket.on("framesent", self._sent)

    def _received(self, payload: bytes | str) -> None:
        if isinstance(payload, bytes):
            self.feed.feed(payload)

    def _sent(self, payload: bytes | str) -> None:
        message = json.loads(payload)
        if message[0] == "resize":
            self.feed.resize(message[1]["width"], message[1]["height"])

    async def open(self, url: str, ready_text: str) -> None:
        """Load the page, wait until the terminal shows ready_text, and give it the keyboard."""
        await self.page.goto(url)
        await self.feed.wait_for_text(ready_text)
        await self.page.locator(".xterm-helper-textarea").focus()

    async def cell_centre(self, row: int, column: int) -> tuple[float, float]:
        """Where on the page a terminal cell is drawn."""
        box = await self.page.locator(".xterm-screen").bounding_box()
        assert box is not None
        width = box["width"] / self.feed.screen.columns
        height = box["height"] / self.feed.screen.lines
        return box["x"] + (column + 0.5) * width, box["y"] + (row + 0.5) * height

    async def find(self, text: str) -> tuple[int, int]:
        """The row and column where text first shows on the screen."""
        for row, line in enumerate(self.feed.lines):
            if text in line:
                return row, line.index(text)
        raise AssertionError(f"{text!r} is not on the screen:\n{self.feed.text}")
