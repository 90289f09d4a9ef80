"""What every test shares: the reading state and caches go to a folder of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def private_state_and_cache(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point BRIEFING_STATE_DIR and BRIEFING_CACHE_DIR away from the user's own folders."""
    folder = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("BRIEFING_STATE_DIR", str(folder / "state"))
    monkeypatch.setenv("BRIEFING_CACHE_DIR", str(folder / "cache"))
    return folder
