"""The `briefing serve` server: textual-serve with one reader process per tab, for its own page.

textual-serve runs a command per WebSocket and relays the terminal stream to xterm.js in the
page. This subclass adds what a reader of untrusted text on a shared machine needs: the page
is ours and loads nothing from outside the machine, only that page may open a reader (the
Origin and Host checks), and a tab's reader process ends when the tab does.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import logging
import re
import secrets
import shlex
import socket
import sys
from asyncio.subprocess import Process
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import WSCloseCode, WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.server import Server

log = logging.getLogger("briefing.serve")

TEMPLATES = Path(__file__).parent / "templates"
PAGE = "reader.html"
# How long a reader may take to quit once its tab has closed, then to die once told to.
QUIT_GRACE_S = 5.0
KILL_GRACE_S = 2.0
# Seconds between WebSocket pings: a tab that vanished without closing is noticed.
HEARTBEAT_S = 15.0
MAX_CELLS = 1000
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
WILDCARD_HOSTS = frozenset({"", "0.0.0.0", "::"})
# What a Host header may hold: a name or address and a port, nothing for a header to break on.
_NETLOC = re.compile(r"[A-Za-z0-9.\-]+(?::[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](?::[0-9]{1,5})?")


def is_loopback(host: str) -> bool:
    """Whether an address or name to listen on is reachable only from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def netloc(host: str, port: int) -> str:
    """host:port as a URL writes it: an IPv6 address in brackets, port 80 left out."""
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return host if port == 80 else f"{host}:{port}"


def allowed_hosts(host: str, port: int) -> frozenset[str] | None:
    """The Host headers of this server's own page (None: any, when listening everywhere)."""
    if host in WILDCARD_HOSTS:
        return None
    names = {host, *LOOPBACK_NAMES} if is_loopback(host) else {host}
    return frozenset(netloc(name, port).lower() for name in names)


def app_command(
    path: Path | None, python: str = sys.executable, options: Sequence[str] = ()
) -> str:
    """The shell command textual-serve runs for each tab: this Python running the reader."""
    # textual-serve hands the command to /bin/sh, so every word is quoted (a library path with
    # spaces, `;` or `$(…)` stays one argument), and `exec` makes the reader the process
    # itself: ending that process ends the reader, not a shell left waiting for it.
    words = [python, "-m", "briefing_tui", *options]
    if path is not None:
        words += ["--", str(path)]
    return "exec " + shlex.join(words)


def check_address(host: str, port: int) -> None:
    """Raise OSError now if the server could not listen on host:port."""
    # aiohttp reports a failed bind only after start-up has begun, in its own words.
    found = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    for family, kind, protocol, _, address in found:
        with socket.socket(family, kind, protocol) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)


def _cells(value: object, default: int) -> int:
    """A terminal size in cells from the browser, kept within sane bounds."""
    try:
        return max(1, min(MAX_CELLS, int(str(value))))
    except ValueError:
        return default


async def end_process(process: Process | None) -> None:
    """Wait for a process to end; terminate it, then kill it, if it will not."""
    if process is None:
        return
    # Once its tab has gone nobody reads the reader's output, and asyncio stops reading a pipe
    # whose buffer is full: the reader blocks writing, and wait() (which also waits for the
    # pipes to close) never returns. Reading the output away lets both go on.
    streams = (process.stdout, process.stderr)
    drains = [asyncio.create_task(_discard(stream)) for stream in streams if stream is not None]
    try:
        for signal_it in (None, process.terminate, process.kill):
            if signal_it is not None:
                with contextlib.suppress(ProcessLookupError):
                    signal_it()
            try:
                await asyncio.wait_for(process.wait(), KILL_GRACE_S)
                return
            except TimeoutError:
                continue
        log.error("reader process %s would not end", process.pid)
    finally:
        for drain in drains:
            drain.cancel()
        await asyncio.gather(*drains, return_exceptions=True)


async def _discard(stream: asyncio.StreamReader) -> None:
    """Read a stream to its end, keeping nothing."""
    while await stream.read(1 << 16):
        pass


class ReaderSession(AppService):
    """One tab's reader: textual-serve's app service, made sure to end its process."""

    process: Process | None = None
    _stopping: asyncio.Future[None] | None = None

    async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
        """Start the reader and keep its process."""
        # Overrides a private method of AppService, the one place the process is in hand:
        # textual-serve asks the app to quit when its tab closes but never makes sure it did.
        self.process = await super()._open_app_process(width, height)
        return self.process

    async def stop(self) -> None:
        """Ask the reader to quit, and end its process if it does not (once, however called)."""
        if self._stopping is None:
            self._stopping = asyncio.ensure_future(self._stop())
        # Shielded: a handler cancelled at shutdown must not leave the process half-ended.
        await asyncio.shield(self._stopping)

    async def _stop(self) -> None:
        try:
            await asyncio.wait_for(super().stop(), QUIT_GRACE_S)
        except TimeoutError:
            log.warning("a reader did not quit within %s s: ending it", QUIT_GRACE_S)
        await end_process(self.process)


class BriefingServer(Server):
    """textual-serve's server with our page, the Origin and Host checks and sure clean-up."""

    def __init__(self, command: str, *, host: str, port: int, label: str) -> None:
        super().__init__(command, host=host, port=port, title="briefing", templates_path=TEMPLATES)
        self.label = label
        self.url = f"http://{netloc(host, port)}"
        self.allowed_hosts = allowed_hosts(host, port)
        self.sessions: dict[web.WebSocketResponse, ReaderSession] = {}

    def initialize_logging(self) -> None:
        """textual-serve's logging, without a line for every request."""
        super().initialize_logging()
        logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

    async def on_startup(self, app: web.Application) -> None:
        """Say what is served where (instead of textual-serve's banner)."""
        print(f"briefing: serving {self.label} at {self.url} (Ctrl+C to stop)", flush=True)

    async def on_shutdown(self, app: web.Application) -> None:
        """Close every tab and end its reader before the server goes."""
        sessions = list(self.sessions.items())
        for websocket, _ in sessions:
            await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")
        await asyncio.gather(*(session.stop() for _, session in sessions))

    # Checks

    def check_host(self, request: web.Request) -> None:
        """Refuse a request not addressed to this server by one of its names."""
        # A page on another site can point its own name at 127.0.0.1 (DNS rebinding) and so
        # be same-origin with "its" server: only the Host header tells such requests apart.
        host = request.host
        if _NETLOC.fullmatch(host) is None:
            raise web.HTTPBadRequest(text="briefing: bad Host header\n")
        if self.allowed_hosts is not None and host.lower() not in self.allowed_hosts:
            raise web.HTTPMisdirectedRequest(text="briefing: not this server's address\n")

    def origin_allowed(self, request: web.Request) -> bool:
        """Whether a WebSocket comes from this server's own page."""
        origin = request.headers.get("Origin")
        if not origin:
            return False
        parts = urlsplit(origin)
        return (
            parts.scheme in ("http", "https")
            and parts.netloc.lower() == request.host.lower()
            and not parts.path
            and not parts.query
        )

    # Handlers (each overrides textual-serve's of the same name, which its routes call)

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        """Our page: it loads only this server's statics and connects only to this server."""
        self.check_host(request)
        nonce = secrets.token_urlsafe(16)
        scheme = "wss" if request.secure else "ws"
        context = {
            "nonce": nonce,
            "static_url": "/static/",
            "websocket_url": f"{scheme}://{request.host}/ws",
            "font_size": max(6, min(64, _cells(request.query.get("fontsize", "16"), 16))),
        }
        response = aiohttp_jinja2.render_template(PAGE, request, context)
        response.headers.update(page_headers(nonce, f"{scheme}://{request.host}"))
        return response

    async def handle_download(self, request: web.Request) -> web.StreamResponse:
        """A file the reader delivers (`App.deliver_text`), for this server's page only."""
        self.check_host(request)
        return await super().handle_download(request)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: check its page's origin, run a reader for it, end the reader with the tab."""
        self.check_host(request)
        if not self.origin_allowed(request):
            # A web page elsewhere on this machine must not be able to drive the reader.
            raise web.HTTPForbidden(text="briefing: the reader answers only its own page\n")
        websocket = web.WebSocketResponse(heartbeat=HEARTBEAT_S)
        await websocket.prepare(request)

        async def close() -> None:
            await websocket.close()

        session = ReaderSession(
            self.command,
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=self.debug,
        )
        self.sessions[websocket] = session
        watcher: asyncio.Task[None] | None = None
        try:
            width = _cells(request.query.get("width", "80"), 80)
            height = _cells(request.query.get("height", "24"), 24)
            await session.start(width, height)
            watcher = asyncio.create_task(_close_when_ended(session, websocket))
            await _relay(websocket, session)
        except Exception as error:  # one broken tab must not take the server down
            log.error("tab ended by %s: %s", type(error).__name__, error)
        finally:
            self.sessions.pop(websocket, None)
            if watcher is not None:
                watcher.cancel()
            await session.stop()
            await websocket.close()
        return websocket


def page_headers(nonce: str, socket_origin: str) -> dict[str, str]:
    """Headers that keep the page offline, unframed and free of injected script."""
    policy = "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            # xterm.js and its style loader add <style> elements of their own.
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "img-src 'self'",
            f"connect-src 'self' {socket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            # Framed by another page, the reader would pass the Origin check for it.
            "frame-ancestors 'none'",
        ]
    )
    return {
        "Content-Security-Policy": policy,
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
        "Cache-Control": "no-store",
    }


async def _relay(websocket: web.WebSocketResponse, session: ReaderSession) -> None:
    """Pass the page's messages to the reader until the tab closes."""
    # textual-serve's own loop asserts on the shape of each message; a bad one ends nothing.
    async for message in websocket:
        if message.type != WSMsgType.TEXT:
            continue
        try:
            envelope = json.loads(message.data)
        except ValueError:
            continue
        if not isinstance(envelope, list) or not envelope:
            continue
        kind, data = envelope[0], envelope[1] if len(envelope) > 1 else None
        if kind == "stdin" and isinstance(data, str):
            await session.send_bytes(data.encode("utf-8", "replace"))
        elif kind == "resize" and isinstance(data, dict):
            width, height = _cells(data.get("width"), 80), _cells(data.get("height"), 24)
            await session.set_terminal_size(width, height)
        elif kind == "ping" and isinstance(data, str):
            await websocket.send_json(["pong", data])
        elif kind == "blur":
            await session.blur()
        elif kind == "focus":
            await session.focus()


async def _close_when_ended(session: ReaderSession, websocket: web.WebSocketResponse) -> None:
    """Close the tab's socket when its reader ends on its own (quit, or failed to start)."""
    if session.process is not None:
        await session.process.wait()
        await websocket.close()
