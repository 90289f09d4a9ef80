"""What every test shares: the reading state and the search cache go to folders of their own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from briefing_tui.core.library.cachefiles import CACHE_ENV
from briefing_tui.core.state import STATE_DIR_VARIABLE


def pytest_configure(config: pytest.Config) -> None:
    """Processes started outside any test (servers of a session) keep off the user's too."""
    os.environ[STATE_DIR_VARIABLE] = tempfile.mkdtemp(prefix="briefing-test-state-")
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="briefing-test-cache-")


@pytest.fixture(autouse=True)
def own_state_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty state folder for each test, so no test reads another's place."""
    folder = tmp_path_factory.mktemp("state")
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(folder))
    return folder


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty cache folder for each test, so no test sees another's index."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder
