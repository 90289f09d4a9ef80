"""Fixtures for the reader's tests: the fixture library, and a library without briefs."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_library import build_library

from briefing_tui.core.library.model import Library


@pytest.fixture
def library() -> Library:
    """The fixture library."""
    return build_library()


@pytest.fixture
def empty_library() -> Library:
    """A library without any brief."""
    return Library(Path("/empty"))
