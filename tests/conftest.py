"""Every test: the search index cache goes to a folder of its own, never the user's."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from briefing_tui.core.search.cache import CACHE_ENV


def pytest_configure(config: pytest.Config) -> None:
    """Processes started outside any test (servers of a session) also cache elsewhere."""
    os.environ[CACHE_ENV] = tempfile.mkdtemp(prefix="briefing-test-cache-")


@pytest.fixture(autouse=True)
def own_cache_folder(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """A fresh, empty cache folder for each test, so no test sees another's index."""
    folder = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv(CACHE_ENV, str(folder))
    return folder
