"""Snapshots of the views over the reader: the claim matrix and compare (review the SVGs)."""

from __future__ import annotations

from fixture_library import build_library

from briefing_tui.ui.app import make_app

SIZE = (120, 40)


def test_matrix_screen(snap_compare) -> None:  # noqa: ANN001 (plugin fixture)
    app = make_app(build_library())
    assert snap_compare(app, press=["down", "down", "enter", "m"], terminal_size=SIZE)


def test_compare_screen(snap_compare) -> None:  # noqa: ANN001
    app = make_app(build_library())
    assert snap_compare(app, press=["down", "down", "enter", "equals_sign"], terminal_size=SIZE)
