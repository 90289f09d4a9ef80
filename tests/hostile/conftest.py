"""Fixtures for the hostile-input tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_files import build_hostile_library


@pytest.fixture(scope="module")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The full hostile library, built once per test module (tests must not change it)."""
    return build_hostile_library(tmp_path_factory.mktemp("hostile"))
