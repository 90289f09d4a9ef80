"""The reader's split of the height: the source keeps the larger share on short terminals."""

from __future__ import annotations

import pytest
from textual.widgets import Footer

from briefing_tui.core.library.model import Library
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.claim_panel import ClaimPanel
from briefing_tui.ui.widgets.source_view import SourceView


@pytest.mark.parametrize(
    ("size", "source_rows", "claim_rows"),
    [((80, 24), (12, 14), (6, 8)), ((120, 40), (18, 20), (14, 15))],
)
async def test_source_and_claim_panel_share_the_height(
    library: Library,
    size: tuple[int, int],
    source_rows: tuple[int, int],
    claim_rows: tuple[int, int],
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=size) as pilot:
        await pilot.press("down", "down", "enter")  # a claim with three passages
        assert source_rows[0] <= app.query_one(SourceView).outer_size.height <= source_rows[1]
        assert claim_rows[0] <= app.query_one(ClaimPanel).outer_size.height <= claim_rows[1]


async def test_wide_terminals_keep_the_claim_panel_beside_the_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        source, claim = app.query_one(SourceView).region, app.query_one(ClaimPanel).region
        assert claim.x > source.right - 1 and claim.height >= 55


async def test_the_reading_keys_come_first_in_the_footer_and_show_in_80_columns(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(Footer)
        # Footer keys by their type's name: the class itself is not public.
        shown = [key for key in footer.query("FooterKey") if 0 < key.region.right <= 80]
        actions = [str(getattr(key, "action", "")) for key in shown]
        assert actions[:6] == [
            "help",
            "search",
            "jump('next')",
            "jump('previous')",
            "jump('conflicting')",
            "jump('corroborating')",
        ]
