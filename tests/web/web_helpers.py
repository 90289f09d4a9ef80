"""`briefing serve` in a child process, and a browser tab played by aiohttp with pyte."""

from __future__ import annotations

import asyncio
import codecs
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

import aiohttp
import pyte

COLS, ROWS = 120, 40
ENTER, ESCAPE = "\r", "\x1b"
WAIT_S = 30.0


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def children_of(pid: int) -> list[int]:
    """The live child processes of a process, from /proc (psutil is not a dependency)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text(encoding="utf-8")
        except OSError:  # it ended while we looked
            continue
        fields = dict(line.split(":\t", 1) for line in status.splitlines() if ":\t" in line)
        if fields.get("PPid", "").strip() == str(pid) and not fields["State"].startswith("Z"):
            found.append(int(entry.name))
    return found


def is_running(pid: int) -> bool:
    """Whether a process exists and is not a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text(encoding="utf-8")
    except OSError:
        return False
    return "\nState:\tZ" not in status


def wait_until(condition: Callable[[], bool], limit_s: float = WAIT_S) -> bool:
    """Poll a condition until it holds or the time is up; whether it held."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def files_under(folder: Path) -> list[str]:
    """Every file and folder below a folder, as relative paths."""
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*"))


class ServedReader:
    """`python -m briefing_tui serve` (or another serve command) on a free loopback port."""

    def __init__(
        self, base: Path, library: Path | None = None, *, serve: list[str] | None = None
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.websocket_url = f"ws://127.0.0.1:{self.port}/ws"
        # HOME, the working folder and TMPDIR are fresh, so whatever is left behind shows.
        self.home, self.cwd, self.tmp = base / "home", base / "cwd", base / "tmp"
        for folder in (self.home, self.cwd, self.tmp):
            folder.mkdir(parents=True)
        self.state = self.home / ".local" / "state"
        self.cache = self.home / ".cache"
        self.log = base / "serve.log"
        # The readers' state and cache go to this HOME's XDG folders, not the tests' ones.
        inherited = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
        env = {
            **inherited,
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "XDG_STATE_HOME": str(self.state),
            "XDG_CACHE_HOME": str(self.cache),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_DATA_HOME": str(self.home / ".local" / "share"),
        }
        # Fresh: every tab of every test starts on the first topic, whatever the last one read.
        serve = serve or [sys.executable, "-m", "briefing_tui", "serve", "--fresh"]
        argv = [*serve, "--port", str(self.port)]
        if library is not None:
            argv.append(str(library))
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                argv, cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        self._wait_ready()

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"briefing serve ended: {self.output()}")
            try:
                with urllib.request.urlopen(self.url, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                time.sleep(0.05)
        raise RuntimeError(f"briefing serve did not answer in {WAIT_S} s: {self.output()}")

    def output(self) -> str:
        """What the server has printed so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def readers(self) -> list[int]:
        """The reader processes the server runs now."""
        return children_of(self.process.pid)

    def left_behind(self) -> list[str]:
        """Anything in the working folder or TMPDIR, files in HOME outside state and cache."""
        home = [
            name
            for name in files_under(self.home)
            if not (self.home / name).is_dir()
            and not (self.home / name).is_relative_to(self.state)
            and not (self.home / name).is_relative_to(self.cache)
        ]
        return home + files_under(self.cwd) + files_under(self.tmp)

    def stop(self) -> int:
        """Stop the server as Ctrl+C would, killing it if it will not; its exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                return self.process.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.wait()


class ScreenFeed:
    """The terminal stream a browser tab receives, decoded into a pyte screen."""

    def __init__(self, cols: int = COLS, rows: int = ROWS) -> None:
        self.screen = pyte.Screen(cols, rows)
        self._stream = pyte.Stream(self.screen)
        self._decode = codecs.getincrementaldecoder("utf-8")(errors="replace").decode
        self.raw = bytearray()
        self.changed = asyncio.Event()
        self.ended = False  # the tab was closed: nothing more will be drawn

    def feed(self, data: bytes) -> None:
        """Draw bytes of the stream."""
        self.raw += data
        self._stream.feed(self._decode(data))
        self.changed.set()

    def resize(self, cols: int, rows: int) -> None:
        """Follow the terminal's new size."""
        self.screen.resize(rows, cols)

    @property
    def lines(self) -> list[str]:
        """The screen's rows as text."""
        return list(self.screen.display)

    @property
    def text(self) -> str:
        """The screen as text, one row a line."""
        return "\n".join(self.screen.display)

    def count(self, text: str) -> int:
        """How many rows show the text."""
        return sum(text in line for line in self.screen.display)

    async def wait_for(
        self, condition: Callable[[ScreenFeed], bool], limit_s: float = WAIT_S
    ) -> str:
        """Wait until the screen meets the condition; the screen then (AssertionError if never)."""
        deadline = asyncio.get_running_loop().time() + limit_s
        while not condition(self):
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0 or self.ended:
                why = "the tab was closed" if self.ended else f"not within {limit_s} s"
                raise AssertionError(
                    f"the screen never showed what was awaited ({why}):\n{self.text}"
                )
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), remaining)
            except TimeoutError:
                pass
        return self.text

    async def wait_for_text(self, text: str, limit_s: float = WAIT_S) -> str:
        """Wait until some row shows the text."""
        return await self.wait_for(lambda feed: feed.count(text) > 0, limit_s)


class BrowserTab:
    """What a browser tab does over the WebSocket: textual-serve's messages, read with pyte."""

    def __init__(
        self,
        client: aiohttp.ClientSession,
        url: str,
        *,
        origin: str | None,
        cols: int = COLS,
        rows: int = ROWS,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.client, self.url, self.origin = client, url, origin
        self.cols, self.rows = cols, rows
        self.headers = dict(headers or {})
        self.feed = ScreenFeed(cols, rows)
        self.messages: list[object] = []
        self.closed = asyncio.Event()
        self._socket: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None

    async def __aenter__(self) -> BrowserTab:
        if self.origin is not None:
            self.headers["Origin"] = self.origin
        self._socket = await self.client.ws_connect(
            f"{self.url}?width={self.cols}&height={self.rows}", headers=self.headers
        )
        await self.send("resize", {"width": self.cols, "height": self.rows})
        self._reader = asyncio.create_task(self._read())
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _read(self) -> None:
        assert self._socket is not None
        async for message in self._socket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.feed.feed(message.data)
            elif message.type == aiohttp.WSMsgType.TEXT:
                self.messages.append(json.loads(message.data))
        self.closed.set()
        self.feed.ended = True
        self.feed.changed.set()

    async def send(self, kind: str, data: object = None) -> None:
        """One message as the page's script sends it."""
        assert self._socket is not None
        await self._socket.send_str(json.dumps([kind] if data is None else [kind, data]))

    async def press(self, *keys: str) -> None:
        """Keys as xterm.js sends them: one stdin message each."""
        for key in keys:
            await self.send("stdin", key)

    async def type(self, text: str) -> None:
        """Type text, a character at a time."""
        await self.press(*text)

    async def wait_closed(self, limit_s: float = WAIT_S) -> None:
        """Wait for the server to close the tab."""
        await asyncio.wait_for(self.closed.wait(), limit_s)

    async def close(self) -> None:
        """Close the tab, as a browser does."""
        if self._socket is not None:
            await self._socket.close()
        if self._reader is not None:
            await self._reader


# A library folder whose name a shell would run, if the server ever let one read it unquoted.
HOSTILE_FOLDER = "lib; touch PWNED-semicolon $(touch PWNED-subst) `touch PWNED-tick` 'q\" x"
HOSTILE_URL = "https://evil.example/steal?c=1"
HOSTILE_HTML = "<img src=x onerror=alert(1)>"
HOSTILE_MARKUP = "[@click=app.quit]quit[/]"
HOSTILE_SOURCE = (
    "---\ntitle: A hostile page\noutlet: Evil Outlet\nurl: https://evil.example/front-matter\n"
    "---\n"
    f"Read on at {HOSTILE_URL} today.\n"
    f"Raw HTML: {HOSTILE_HTML} end.\n"
    "Script: <script>alert(2)</script> end.\n"
    f"Markup: {HOSTILE_MARKUP} end.\n"
    "Hyperlink: \x1b]8;;https://evil.example/osc8\x1b\\osc8 text\x1b]8;;\x1b\\ end.\n"
    "Clipboard: \x1b]52;c;SE9TVElMRQ==\x07 end.\n"
)
HOSTILE_TITLE = "A page with a link <b>in</b> it"
HOSTILE_BRIEF = f"""\
title: "{HOSTILE_TITLE}"
sources:
  page: sources/page.txt
claims:
  - text: The page points elsewhere.
    passages:
      - source: page
        quote: "Read on at {HOSTILE_URL} today."
"""


def write_hostile_library(base: Path) -> Path:
    """A one-brief library of hostile text, in a folder with a hostile name."""
    root = base / HOSTILE_FOLDER
    (root / "briefs").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / "sources" / "page.txt").write_text(HOSTILE_SOURCE, encoding="utf-8")
    (root / "briefs" / "page.yaml").write_text(HOSTILE_BRIEF, encoding="utf-8")
    return root
