"""Every test here keeps its reading state in a folder of its own, never the user's."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.state import STATE_DIR_VARIABLE


@pytest.fixture(autouse=True)
def state_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The state folder of this test: $BRIEFING_STATE_DIR points into tmp_path."""
    folder = tmp_path / "state"
    monkeypatch.setenv(STATE_DIR_VARIABLE, str(folder))
    return folder
