"""The topics sidebar: its share of the width, the highlighted claim read in full, and a long
library shown as an outline whose topics list their claims once expanded."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import Quote, claim, library_of, named, source
from reader_helpers import status, where

from briefing_tui.core.library.model import Brief, Library
from briefing_tui.core.places import claim_place
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.source_view import SourceView
from briefing_tui.ui.widgets.status import StatusLine
from briefing_tui.ui.widgets.topics import EXPANDED_LINES, TopicNode, TopicTree

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
    app = BriefingApp(library)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()  # the width breakpoint applies once the screen is sized
        assert topics_width[0] <= app.query_one(TopicTree).outer_size.width <= topics_width[1]
        assert source_width[0] <= app.query_one(SourceView).outer_size.width <= source_width[1]


async def test_highlighting_a_claim_shows_it_in_full_without_choosing_it(library: Library) -> None:
    brief = library.briefs[0]
    claims = (brief.claims[0], replace(brief.claims[1], text=LONG_CLAIM), *brief.claims[2:])
    library = replace(library, briefs=(replace(brief, claims=claims), *library.briefs[1:]))
    app = BriefingApp(library)
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
    app = BriefingApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("right_square_bracket")
        assert status(app) == "topic 2 of 2 · The [bold]islands[/]"
        await pilot.press("up")
        assert status(app) == "claim 3 of 3 · ✔2 Investment will reach one trillion dollars."


def long_library(topics: int = 60, claims: int = 9) -> Library:
    """A library with more topics and claims than the sidebar expands at start."""
    wire = named("w", source("s/wire.txt", "The evidence is here.\n"))
    return library_of(
        *(
            Brief(
                0,
                f"briefs/{n:02d}.yaml",
                f"Topic {n}",
                (wire,),
                tuple(
                    claim(k, f"Claim {n}.{k}", Quote(wire, "The evidence is here."))
                    for k in range(claims)
                ),
            )
            for n in range(topics)
        )
    )


def expanded(tree: TopicTree) -> list[int]:
    """The positions of the topics expanded, each with its claims listed."""
    return [
        n
        for n, node in enumerate(tree.root.children)
        if node.is_expanded and len(node.children) == 9
    ]


async def test_a_small_library_opens_with_every_topic_expanded(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(120, 40)):
        tree = app.query_one(TopicTree)
        assert all(node.is_expanded for node in tree.root.children)
        assert [len(node.children) for node in tree.root.children] == [3, 1]


async def test_a_long_library_opens_as_an_outline_with_the_topic_read_expanded() -> None:
    library = long_library()
    assert len(library.briefs) * 10 > EXPANDED_LINES
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(TopicTree)
        assert expanded(tree) == [0]
        assert all(not node.children for node in tree.root.children[1:])  # made when expanded
        await pilot.press("right_square_bracket")
        assert expanded(tree) == [0, 1]
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.brief == "briefs/01.yaml"
        top, height = tree.scroll_y, tree.scrollable_content_region.height
        assert top <= node.line and node.children[-1].line < top + height


async def test_a_topic_of_the_outline_lists_its_claims_when_expanded_or_chosen() -> None:
    app = BriefingApp(long_library())
    async with app.run_test(size=(80, 24)) as pilot:
        tree = app.query_one(TopicTree)
        await pilot.press(*["down"] * 10, "space")  # topic 1: expanded by its key
        await pilot.pause()
        assert expanded(tree) == [0, 1]
        await pilot.press(*["down"] * 10, "enter")  # topic 2: chosen
        assert expanded(tree) == [0, 1, 2]
        assert where(app) is not None and where(app).brief == 2


async def test_a_claim_of_a_collapsed_topic_is_shown_inside_it() -> None:
    library = long_library()
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)):
        brief = library.briefs[40]
        app.reader.go(claim_place(brief, brief.claims[5], None))
        tree = app.query_one(TopicTree)
        node = tree.cursor_node
        assert node is not None and node.data == TopicNode(brief.path, brief.claims[5].key)
        assert expanded(tree) == [0, 40]


async def test_a_reload_of_the_outline_relabels_collapsed_topics_and_relists_open_ones() -> None:
    library = long_library()
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        first, second = library.briefs[0], library.briefs[1]
        changed = (
            replace(first, title="Topic 0, edited", claims=first.claims[:2]),
            replace(second, title="Topic 1, edited"),
        )
        app.reader.show_library(replace(library, briefs=(*changed, *library.briefs[2:])))
        await pilot.pause()
        tree = app.query_one(TopicTree)
        topics = tree.root.children
        assert [str(node.label) for node in topics[:2]] == ["Topic 0, edited", "Topic 1, edited"]
        assert len(topics[0].children) == 2 and not topics[1].children
        await pilot.press("right_square_bracket")
        assert len(topics[1].children) == 9
