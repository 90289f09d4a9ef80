"""Each tab has its own reader process, which ends with the tab; nothing is left behind."""

from __future__ import annotations

import asyncio
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from textual_serve.download_manager import DownloadManager
from web_helpers import BrowserTab, ServedReader, is_running, wait_until

from briefing_tui.core.library.loader import load_library
from briefing_tui.web import server as web_server
from briefing_tui.web.server import ReaderSession, end_process

CYCLES = 20
AT_ONCE = 4


async def test_twenty_tabs_opened_and_closed_leave_no_process_and_no_file(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    title = load_library().briefs[0].title
    seen: set[int] = set()

    async def one_tab(number: int) -> None:
        async with BrowserTab(client, served.websocket_url, origin=served.url) as tab:
            # Half the tabs close once the reader shows, half at once, while it still starts.
            if number % 2:
                await tab.feed.wait_for_text(title)
                seen.update(served.readers())

    for first in range(0, CYCLES, AT_ONCE):
        await asyncio.gather(*(one_tab(number) for number in range(first, first + AT_ONCE)))
    assert len(seen) >= CYCLES // 2  # each tab that waited saw a reader of its own
    assert wait_until(lambda: not served.readers())
    assert served.left_behind() == []


async def test_each_tab_has_a_reader_of_its_own(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    title = load_library().briefs[0].title
    async with (
        BrowserTab(client, served.websocket_url, origin=served.url) as one,
        BrowserTab(client, served.websocket_url, origin=served.url) as other,
    ):
        await one.feed.wait_for_text(title)
        await other.feed.wait_for_text(title)
        before = other.feed.count(load_library().briefs[1].title)
        await one.press("]")
        await one.feed.wait_for(lambda feed: feed.count(load_library().briefs[1].title) > before)
        assert other.feed.count(load_library().briefs[1].title) == before
        assert wait_until(lambda: len(served.readers()) == 2)


async def test_stopping_the_server_closes_every_tab_and_ends_its_reader(
    tmp_path: Path, client: aiohttp.ClientSession
) -> None:
    server = ServedReader(tmp_path)
    title = load_library().briefs[0].title
    tabs = [BrowserTab(client, server.websocket_url, origin=server.url) for _ in range(2)]
    try:
        for tab in tabs:
            await tab.__aenter__()
            await tab.feed.wait_for_text(title)
        readers = server.readers()
        assert len(readers) == 2
        assert await asyncio.to_thread(server.stop) == 0
        for tab in tabs:
            await tab.wait_closed()
        assert not any(is_running(pid) for pid in readers)
    finally:
        for tab in tabs:
            await tab.close()
        server.stop()
    assert "Traceback" not in server.output()


async def test_stopping_the_server_just_after_tabs_closed_still_ends_their_readers(
    tmp_path: Path, client: aiohttp.ClientSession
) -> None:
    server = ServedReader(tmp_path)
    tabs = [BrowserTab(client, server.websocket_url, origin=server.url) for _ in range(AT_ONCE)]
    try:
        for tab in tabs:
            await tab.__aenter__()
        assert wait_until(lambda: len(server.readers()) == AT_ONCE)
        readers = server.readers()
        for tab in tabs:
            await tab.close()
        # The tabs are closed while their readers still start, and the server stops meanwhile.
        assert await asyncio.to_thread(server.stop) == 0
        assert not any(is_running(pid) for pid in readers)
    finally:
        for tab in tabs:
            await tab.close()
        server.stop()
    output = server.output()
    assert "Traceback" not in output and "would not end" not in output, output


IGNORING_SIGTERM = "import signal, sys, time; signal.signal(signal.SIGTERM, signal.SIG_IGN)"


async def ignore(data: bytes | str) -> None:
    pass


async def tab_gone(data: bytes | str) -> None:
    raise ConnectionResetError("the tab has closed")


async def close() -> None:
    pass


async def started_session(
    code: str, monkeypatch: pytest.MonkeyPatch, send: Callable[[Any], Awaitable[None]]
) -> ReaderSession:
    """A tab's session running a stand-in "reader" (Python code), with short grace times."""
    monkeypatch.setattr(web_server, "QUIT_GRACE_S", 0.3)
    monkeypatch.setattr(web_server, "KILL_GRACE_S", 0.3)
    session = ReaderSession(
        "exec " + shlex.join([sys.executable, "-c", code]),
        write_bytes=send,
        write_str=send,
        close=close,
        download_manager=DownloadManager(),
    )
    await session.start(80, 24)
    assert session.process is not None
    return session


async def test_a_reader_that_will_not_quit_is_ended(monkeypatch: pytest.MonkeyPatch) -> None:
    # A "reader" that ignores the quit message and SIGTERM, and never writes a byte.
    session = await started_session(IGNORING_SIGTERM + "; time.sleep(60)", monkeypatch, ignore)
    assert session.process is not None and session.process.returncode is None
    await asyncio.wait_for(session.stop(), 5)
    assert session.process.returncode == -9  # SIGKILL: it ignored SIGTERM
    await session.stop()  # a second stop (tab closed and server stopping) does nothing more
    await end_process(None)


async def test_a_reader_whose_output_nobody_reads_still_ends(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # The tab has gone (sending to it fails), and the "reader" goes on writing: the output piles
    # up unread, which stops asyncio reading its pipe, and so seeing it close, at all.
    chatty = (
        IGNORING_SIGTERM + "; out = sys.stdout.buffer"
        "\nout.write(b'__GANGLION__\\n'); packet = b'x' * 65536"
        "\nwhile True: out.write(b'D' + len(packet).to_bytes(4, 'big') + packet); out.flush()"
    )
    session = await started_session(chatty, monkeypatch, tab_gone)
    assert session.process is not None
    await asyncio.sleep(0.5)  # long enough to fill every buffer between it and the server
    await asyncio.wait_for(session.stop(), 5)
    assert session.process.returncode is not None
    assert "would not end" not in caplog.text
