"""Only the server's own page may open a reader: the Origin and Host checks."""

from __future__ import annotations

import aiohttp
import pytest
from web_helpers import BrowserTab, ServedReader, wait_until

from briefing_tui.core.library.loader import load_library


async def test_the_servers_page_by_either_loopback_name_opens_a_reader(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    # The other tests connect as http://127.0.0.1:PORT; a reader may also type localhost.
    origin = f"http://localhost:{served.port}"
    url = f"ws://localhost:{served.port}/ws"
    async with BrowserTab(client, url, origin=origin) as tab:
        await tab.feed.wait_for_text(load_library().briefs[0].title)


@pytest.mark.parametrize(
    "origin",
    [
        None,
        "null",  # a file:// page or a sandboxed frame
        "http://evil.example",
        "http://evil.example:{port}",
        "http://127.0.0.1:{other}",  # another local server's page
        "http://127.0.0.1:{port}.evil.example",
        "http://127.0.0.1:{port}/ws",
        "ws://127.0.0.1:{port}",
    ],
)
async def test_a_foreign_or_missing_origin_is_refused(
    served: ServedReader, client: aiohttp.ClientSession, origin: str | None
) -> None:
    shown = origin and origin.format(port=served.port, other=served.port + 1)
    assert wait_until(lambda: not served.readers())  # the readers of earlier tests have ended
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with BrowserTab(client, served.websocket_url, origin=shown):
            pass
    assert refused.value.status == 403
    assert served.readers() == []


async def test_a_page_renamed_to_loopback_is_refused(
    served: ServedReader, client: aiohttp.ClientSession
) -> None:
    # DNS rebinding: evil.example made to resolve to 127.0.0.1 is same-origin with its
    # own page, so its Origin matches its Host; only the Host tells it apart.
    rebound = f"evil.example:{served.port}"
    assert wait_until(lambda: not served.readers())
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        async with BrowserTab(
            client, served.websocket_url, origin=f"http://{rebound}", headers={"Host": rebound}
        ):
            pass
    assert refused.value.status == 421
    for path in ("/", "/download/0123456789abcdef"):
        async with client.get(served.url + path, headers={"Host": rebound}) as response:
            assert response.status == 421
    assert served.readers() == []
