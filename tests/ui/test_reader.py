"""The reader driven by keys: topics, claims, jumps across sources, history and the ends."""

from __future__ import annotations

from builders import Quote, claim, library_of, named, source
from reader_helpers import PassageRef, claim_header, shown, status, where

from briefing_tui.core.library.model import Brief, Library
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.source_tabs import SourceTabs
from briefing_tui.ui.widgets.source_view import SourceView
from briefing_tui.ui.widgets.topics import TopicTree

SIZE = (120, 40)


async def test_opens_on_the_first_topic_with_its_first_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE):
        assert where(app) is not None and where(app).brief == 0 and where(app).source_key == "a"
        assert isinstance(app.focused, TopicTree)
        location = shown(app, "#where")
        assert "topic 1/2 Security and trade" in location
        assert "source 1/3 Alpha Wire" in location
        assert shown(app, "#problems-count") == "⚠ 2 problems (e)"
        assert app.query_one(SourceView).text == library.sources["sources/alpha.txt"].text
        assert "What the outlets say" in claim_header(app)


async def test_arrows_and_enter_choose_a_claim(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
        assert where(app) is not None
        assert where(app).claim == 1 and where(app).passage == PassageRef(0, 1, 0)
        assert "Tariffs were not discussed." in claim_header(app)
        assert "contested" in claim_header(app)
        assert status(app) == "claim 2 · source 1 of 3 · Alpha Wire"


async def test_topic_keys_move_between_topics_and_wrap_round_at_the_ends(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket")
        assert where(app) is not None and where(app).brief == 1
        assert where(app).source_key == "c"
        # Titles are shown as written: markup in a title stays literal.
        assert "The [bold]islands[/]" in shown(app, "#where")
        tree = app.query_one(TopicTree)
        assert tree.cursor_node is not None and tree.cursor_node.data is not None
        assert tree.cursor_node.data.brief == "briefs/02-islands.yaml"
        await pilot.press("right_square_bracket")
        assert where(app).brief == 0
        assert status(app) == "topic 1 of 2 (wrapped) · Security and trade"
        await pilot.press("left_square_bracket")
        assert where(app).brief == 1
        assert status(app) == "topic 2 of 2 (wrapped) · The [bold]islands[/]"


async def test_next_and_previous_passage_walk_the_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n")
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 0)
        assert status(app) == (
            "first passage in this source · supports claim 1 · Alpha Wire · line 2"
        )
        await pilot.press("n", "n")
        assert where(app).passage == PassageRef(0, 2, 0)
        await pilot.press("n")
        assert where(app).passage == PassageRef(0, 0, 0)
        assert status(app).startswith("next passage (wrapped to the first in this source) · ")
        await pilot.press("p")
        assert where(app).passage == PassageRef(0, 2, 0)
        assert status(app).startswith("previous passage (wrapped to the last in this source)")


async def test_conflicting_and_corroborating_cross_sources(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 0)
        await pilot.press("x")
        assert where(app).source_key == "b" and where(app).passage == PassageRef(0, 1, 1)
        assert status(app) == "conflicting 1 of 1 · Beta Times · line 2"
        view = app.query_one(SourceView)
        assert view.text == library.sources["sources/beta.md"].text
        assert "source 2/3 Beta Times" in shown(app, "#where")
        tabs = app.query_one(SourceTabs).render()
        active = [tabs.plain[span.start : span.end] for span in tabs.spans if span.start < 40]
        assert active == [" 2 Beta Times "]
        await pilot.press("x")  # the only conflicting passage: the jump says it came round
        assert where(app).passage == PassageRef(0, 1, 1)
        assert status(app) == "conflicting 1 of 1 (wrapped to the first) · Beta Times · line 2"
        await pilot.press("c")
        assert where(app).passage == PassageRef(0, 1, 1)
        assert status(app) == "No other passage of this claim conflicts with it"


async def test_corroborating_cycles_between_sources(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter", "c")
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 1)
        assert status(app) == "corroborating 1 of 1 · Beta Times · line 1"
        await pilot.press("b", "c")  # from alpha's passage again: on to beta's
        assert where(app).passage == PassageRef(0, 0, 1) and where(app).source_key == "b"


async def test_context_passages_have_no_partners(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("s", "s", "n")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 2)
        await pilot.press("x")
        assert where(app).passage == PassageRef(0, 1, 2)
        assert "context passage" in status(app)


async def test_back_and_forward_retrace_the_jumps(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "x")
        assert where(app) is not None and where(app).source_key == "b"
        await pilot.press("b")
        assert where(app).source_key == "a" and where(app).passage == PassageRef(0, 1, 0)
        assert app.query_one(SourceView).text == library.sources["sources/alpha.txt"].text
        await pilot.press("b", "b", "b")
        assert where(app).passage is None
        assert status(app) == "Nothing to go back to"
        await pilot.press("f", "f", "f")
        assert where(app).source_key == "b" and where(app).passage == PassageRef(0, 1, 1)
        await pilot.press("f")
        assert status(app) == "Nothing to go forward to"


async def test_choosing_a_passage_in_the_claim_panel_jumps_to_it(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "tab", "tab")
        assert app.focused is not None and app.focused.id == "claim-passages"
        await pilot.press("down", "enter")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 1)
        assert where(app).source_key == "b"


async def test_an_orphaned_passage_is_listed_and_refused(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "down", "enter")
        passages = claim_header(app)
        assert "Investment will reach one trillion dollars." in passages
        options = app.query_one("#claim-passages")
        assert "orphaned" in str(options.get_option("passage-1").prompt)
        await pilot.press("tab", "tab", "down", "enter")
        assert where(app) is not None and where(app).passage == PassageRef(0, 2, 0)
        assert status(app).startswith("Orphaned: this quote was not found in source 1 of 3")


async def test_clicking_a_highlighted_passage_selects_it(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # laid out at the final width, so the text is wrapped for good
        view = app.query_one(SourceView)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        row = next(y for y, line in enumerate(lines) if "Tariffs were not discussed" in line)
        column = lines[row].index("Tariffs were not discussed") + 3
        assert await pilot.click(SourceView, offset=(column, row))
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 0)
        assert view.has_focus


async def test_clicking_a_source_tab_shows_that_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # laid out at the final width, so the tabs are drawn for good
        tabs = app.query_one(SourceTabs).render().plain
        assert await pilot.click(SourceTabs, offset=(tabs.index("Preview") + 1, 0))
        assert where(app) is not None and where(app).source_key == "c"
        assert app.query_one(SourceView).text == library.sources["sources/gamma.txt"].text


async def test_clicking_a_claim_in_the_sidebar_opens_it(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        assert await pilot.click(TopicTree, offset=(8, 1))
        assert where(app) is not None and where(app).claim == 0


async def test_with_nothing_selected_jumps_start_from_the_topic_or_the_source(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 0)
        assert status(app) == (
            "first passage in conflict in this topic · supports claim 2 · Alpha Wire · line 3"
        )
        await pilot.press("x")  # from the selected passage, on to its partner
        assert where(app).passage == PassageRef(0, 1, 1)
        await pilot.press("right_square_bracket", "c")
        assert where(app).brief == 1 and where(app).passage is None
        assert status(app) == "No passages corroborate each other in this topic"
        await pilot.press("x")
        assert status(app) == "No conflicts in this topic"
        await pilot.press("left_square_bracket", "p")
        assert where(app).passage == PassageRef(0, 2, 0)  # the last in alpha's text
        assert status(app).startswith("last passage in this source · ")


async def test_s_and_shift_s_and_numbers_choose_sources_and_say_when_they_wrap(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("S")
        assert where(app) is not None and where(app).source_key == "c"
        assert status(app) == "source 3 of 3 · Preview of the summit (wrapped)"
        await pilot.press("2")
        assert where(app).source_key == "b"
        assert status(app) == "source 2 of 3 · Beta Times"
        await pilot.press("9")
        assert where(app).source_key == "b"
        assert status(app) == "This topic has 3 sources"


async def test_back_and_forward_say_where_they_landed(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("n", "n", "x", "b")
        assert status(app) == "back · supports claim 2 · Alpha Wire · line 3"
        await pilot.press("f")
        assert status(app) == "forward · conflicts claim 2 · Beta Times · line 2"


async def test_a_topic_opens_its_source_at_its_first_passage_with_its_claims_in_view() -> None:
    debris = "".join(f"Menu item {n}\n" for n in range(200))
    wire = named("w", source("s/wire.txt", debris + "The evidence is here.\n"))
    topics = [
        Brief(
            0,
            f"briefs/{n:02d}.yaml",
            f"Topic {n}",
            (wire,),
            tuple(
                claim(k, f"Claim {n}.{k}", Quote(wire, "The evidence is here.")) for k in range(4)
            ),
        )
        for n in range(12)
    ]
    app = BriefingApp(library_of(*topics))
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(8):
            await pilot.press("right_square_bracket")
        view = app.query_one(SourceView)
        assert view.wrapped is not None
        line = view.wrapped.line_of(wire.source.text.index("The evidence"))
        assert view.scroll_y <= line < view.scroll_y + view.scrollable_content_region.height
        tree = app.query_one(TopicTree)
        node = tree.cursor_node
        assert node is not None and node.data is not None and node.data.brief == "briefs/08.yaml"
        last_claim = node.children[-1].line
        top, height = tree.scroll_y, tree.scrollable_content_region.height
        assert top <= node.line and last_claim < top + height
