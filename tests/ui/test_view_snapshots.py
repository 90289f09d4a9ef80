"""Snapshots of the three views: the claim matrix, compare and figures (review the SVGs)."""

from __future__ import annotations

from fixture_library import build_library
from test_figures_screen import figures_library
from textual.pilot import Pilot

from briefing_tui.ui.app import BriefingApp

SIZE = (120, 40)


def test_matrix_screen(snap_compare) -> None:  # noqa: ANN001 (plugin fixture)
    app = BriefingApp(build_library())
    assert snap_compare(app, press=["down", "down", "enter", "m"], terminal_size=SIZE)


def test_compare_screen(snap_compare) -> None:  # noqa: ANN001
    app = BriefingApp(build_library())
    assert snap_compare(app, press=["down", "down", "enter", "equals_sign"], terminal_size=SIZE)


async def open_figures(pilot: Pilot[None]) -> None:
    """Open the figures and wait until the whole library's are compared."""
    await pilot.press("number_sign")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_figures_screen(snap_compare) -> None:  # noqa: ANN001
    app = BriefingApp(figures_library())
    assert snap_compare(app, run_before=open_figures, terminal_size=SIZE)
