"""Fixtures for the browser tests: `briefing serve` on the bundled library, and a client."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import aiohttp
import pytest
from web_helpers import ServedReader, wait_until


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedReader]:
    """One server on the bundled library for these tests; stopped (and checked) after."""
    server = ServedReader(tmp_path_factory.mktemp("serve"))
    yield server
    # The last tabs' readers end on their own once closed; stopping the server meanwhile
    # would end them from a closing event loop, which cannot see them end.
    wait_until(lambda: not server.readers())
    status = server.stop()
    output = server.output()
    assert status == 0, output
    assert "Traceback" not in output, output


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    """An HTTP and WebSocket client, closed after the test."""
    async with aiohttp.ClientSession() as session:
        yield session
