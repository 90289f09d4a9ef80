"""The topics sidebar: its share of the width, and the highlighted claim read in full."""

from __future__ import annotations

from dataclasses import replace

import pytest
from reader_helpers import status, where

from briefing_tui.core.library.model import Library
from briefing_tui.ui.app import make_app
from briefing_tui.ui.widgets.source_view import SourceView
from briefing_tui.ui.widgets.status import StatusLine
from briefing_tui.ui.widgets.topics import TopicTree

LONG_CLAIM = (
    "The leaders met on February 7, 2025 in Washington, D.C., and agreed that Article 5 of "
    "the treaty covers the islands administered by Japan, a point both statements repeat."
)


@pytest.mark.parametrize(
    ("size", "topics_width", "source_width"),
    [
        ((80, 24), (30, 30), (48, 50)),
        ((120, 40), (40, 45), (70, 80)),
        ((200, 60), (50, 60), (85, 100)),
    ],
)
async def test_sidebar_takes_a_share_of_the_width(
    library: Library,
    size: tuple[int, int],
    topics_width: tuple[int, int],
    source_width: tuple[int, int],
) -> None:
    app = make_app(library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()  # the width breakpoint applies once the screen is sized
        assert topics_width[0] <= app.query_one(TopicTree).outer_size.width <= topics_width[1]
        assert source_width[0] <= app.query_one(SourceView).outer_size.width <= source_width[1]


async def test_highlighting_a_claim_shows_it_in_full_without_choosing_it(library: Library) -> None:
    brief = library.briefs[0]
    claims = (brief.claims[0], replace(brief.claims[1], text=LONG_CLAIM), *brief.claims[2:])
    library = replace(library, briefs=(replace(brief, claims=claims), *library.briefs[1:]))
    app = make_app(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("down", "down")
        assert where(app) is not None and where(app).claim is None  # nothing chosen
        line = app.query_one(StatusLine)
        assert status(app) == f"claim 2 of 3 · ✔1 ✖1 ○1 {LONG_CLAIM}"
        assert line.size.height == 3  # wrapped, not cut
        await pilot.press("enter")
        assert where(app).claim == 1
        assert status(app) == "claim 2 · source 1 of 3 · Alpha Wire"
        assert line.size.height == 1


async def test_the_cursor_following_a_jump_says_nothing_more(library: Library) -> None:
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        assert status(app) == "topic 2 of 2 · The [bold]islands[/]"
        await pilot.press("up")
        assert status(app) == "claim 3 of 3 · ✔2 Investment will reach one trillion dollars."
