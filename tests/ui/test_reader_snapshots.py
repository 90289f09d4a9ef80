"""Snapshots of the reader's main screens on the fixture library (review the SVGs on change)."""

from __future__ import annotations

from fixture_library import build_library

from briefing_tui.ui.app import BriefingApp

SIZE = (120, 40)


def test_main_screen(snap_compare) -> None:  # noqa: ANN001 (plugin fixture)
    assert snap_compare(BriefingApp(build_library()), terminal_size=SIZE)


def test_claim_panel_with_a_contested_claim(snap_compare) -> None:  # noqa: ANN001
    app = BriefingApp(build_library())
    assert snap_compare(app, press=["down", "down", "enter", "x"], terminal_size=SIZE)


def test_help_screen(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(BriefingApp(build_library()), press=["question_mark"], terminal_size=SIZE)


def test_problems_screen(snap_compare) -> None:  # noqa: ANN001
    assert snap_compare(BriefingApp(build_library()), press=["e"], terminal_size=SIZE)
