"""Comparing two sources, driven by keys: the pair, its facing, x c n p o w, Tab and Esc."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from builders import Quote, claim, library_of, named, source
from reader_helpers import PassageRef, passage_at, status, until, where
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Brief, Library, Passage, Stance
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.compare import CompareScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.source_view import SourceView

SIZE = (120, 40)


def compare_screen(app: BriefingApp) -> CompareScreen:
    """The compare screen, which must be the one shown."""
    assert isinstance(app.screen, CompareScreen)
    return app.screen


def view_status(app: BriefingApp) -> str:
    """The compare screen's status line."""
    return str(app.screen.query_one("#compare-status", Static).render())


def header(app: BriefingApp, side: str) -> str:
    """A pane's header."""
    return str(app.screen.query_one(f"#compare-{side}-header", Static).render())


def row_of(view: SourceView, passage: Passage) -> int:
    """The row of the view on which a passage starts."""
    assert view.wrapped is not None and passage.span is not None
    return view.wrapped.line_of(passage.span.start) - round(view.scroll_y)


def gutter(view: SourceView, passage: Passage) -> str:
    """The gutter glyph drawn on the first line of a passage."""
    return view.render_line(row_of(view, passage)).text[0]


def pair(app: BriefingApp, library: Library) -> tuple[PassageRef, PassageRef]:
    """The pair shown, as positions in the library."""
    shown = compare_screen(app).pair
    refs = []
    for passage in (shown.left, shown.right):
        brief = next(b for b in library.briefs if any(p is passage for p in b.passages()))
        claim_ = next(c for c in brief.claims if any(p is passage for p in c.passages))
        refs.append(PassageRef(brief.index, claim_.index, claim_.passages.index(passage)))
    return refs[0], refs[1]


async def test_equals_opens_the_passage_beside_its_conflicting_partner(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign")  # claim 2, Alpha's passage
        screen = compare_screen(app)
        assert pair(app, library) == (PassageRef(0, 1, 0), PassageRef(0, 1, 1))
        assert screen.left.text == library.sources["sources/alpha.txt"].text
        assert screen.right.text == library.sources["sources/beta.md"].text
        assert header(app, "left").startswith("✔ supports · Alpha Wire · Leaders meet")
        assert header(app, "right").startswith("✖ conflicts · Beta Times · date unknown")
        assert view_status(app) == "conflicts · source 2 of 3 · Beta Times"
        title = str(screen.query_one("#compare-title", Static).render())
        assert "claim 2 of 3 · ▲ contested · Tariffs were not discussed." in title
        assert screen.has_class("-side-by-side")
        assert screen.left.region.y == screen.right.region.y  # side by side


async def test_only_the_claim_s_passages_are_marked_in_both_panes(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign")
        screen = compare_screen(app)
        assert gutter(screen.left, passage_at(library, PassageRef(0, 1, 0))) == "▶"
        assert gutter(screen.right, passage_at(library, PassageRef(0, 1, 1))) == "▶"
        # Article 5 is quoted for another claim: not marked here.
        assert gutter(screen.left, passage_at(library, PassageRef(0, 0, 0))) == " "
        assert gutter(screen.right, passage_at(library, PassageRef(0, 0, 1))) == " "
        await pilot.press("o")  # the preview, whose passage is context
        assert gutter(screen.right, passage_at(library, PassageRef(0, 1, 2))) == "▶"
        await pilot.press("w")
        assert gutter(screen.right, passage_at(library, PassageRef(0, 1, 0))) == "▶"


async def test_x_c_and_o_move_the_right_pane(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign", "x")
        assert pair(app, library)[1] == PassageRef(0, 1, 1)
        assert view_status(app) == "conflicts · 1 of 1 · source 2 of 3 · Beta Times"
        await pilot.press("c")
        assert view_status(app) == "No other source agrees with this passage"
        await pilot.press("o")
        assert pair(app, library)[1] == PassageRef(0, 1, 2)
        assert view_status(app) == (
            "source 2 of 2 quoting this claim · context · source 3 of 3 · Preview of the summit"
        )
        await pilot.press("o")
        assert pair(app, library)[1] == PassageRef(0, 1, 1)
        await pilot.press("w", "x")  # Beta conflicts with the claim; Alpha supports it
        assert pair(app, library) == (PassageRef(0, 1, 1), PassageRef(0, 1, 0))
        assert view_status(app) == "conflicts · 1 of 1 · source 1 of 3 · Alpha Wire"


async def test_n_and_p_move_the_pair_along_the_left_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign", "n")
        # Alpha's next passage is the investment claim, which no other source quotes.
        assert view_status(app) == "No next passage in this source that another source also quotes"
        await pilot.press("p")
        assert pair(app, library) == (PassageRef(0, 0, 0), PassageRef(0, 0, 1))
        assert view_status(app) == (
            "previous passage · claim 1 · corroborates · source 2 of 3 · Beta Times"
        )
        title = str(compare_screen(app).query_one("#compare-title", Static).render())
        assert "claim 1 of 3" in title
        await pilot.press("n")
        assert pair(app, library) == (PassageRef(0, 1, 0), PassageRef(0, 1, 1))


async def test_clicking_a_passage_puts_it_in_its_pane(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign", "o")
        screen = compare_screen(app)
        row = row_of(screen.right, passage_at(library, PassageRef(0, 1, 2)))
        await pilot.click("#compare-right", offset=(4, row))
        assert view_status(app) == "chosen · context · source 3 of 3 · Preview of the summit"
        await pilot.press("w")  # the context passage on the left: clicking it keeps the pair
        await pilot.click("#compare-left", offset=(4, row_of(screen.left, screen.pair.left)))
        assert pair(app, library) == (PassageRef(0, 1, 2), PassageRef(0, 1, 0))


async def test_tab_moves_the_focus_between_the_panes(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign")
        screen = compare_screen(app)
        assert app.focused is screen.left
        await pilot.press("tab")
        assert app.focused is screen.right
        await pilot.press("tab")
        assert app.focused is screen.left


async def test_the_panes_select_no_text_to_copy(library: Library) -> None:
    # Copying out (y, Y, *) is the reader's: comparing offers no selection it could not use.
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign")
        screen = compare_screen(app)
        await pilot.press("v", "right", "right")
        await pilot.mouse_down(screen.left, offset=(4, 1))
        await pilot.hover(screen.left, offset=(12, 1))
        await pilot.mouse_up(screen.left, offset=(12, 1))
        assert screen.left.selection is None
        assert isinstance(app.screen, CompareScreen)


async def test_escape_returns_to_the_reader_at_the_left_pane_s_passage(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "equals_sign", "w", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 1)
        assert status(app) == "compare: back at claim 2 · source 2 of 3 · Beta Times"
        await pilot.press("b")
        assert where(app).passage == PassageRef(0, 1, 0)


async def test_with_nothing_selected_it_opens_on_the_topic_s_first_conflict(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("equals_sign")
        assert pair(app, library) == (PassageRef(0, 1, 0), PassageRef(0, 1, 1))


async def test_a_topic_without_two_sources_on_a_claim_has_nothing_to_compare(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "equals_sign")
        assert isinstance(app.screen, ReaderScreen)
        assert (
            status(app) == "No two sources quote the same claim in this topic: nothing to compare"
        )
        await pilot.press("left_square_bracket", "down", "down", "down", "enter")
        assert where(app) is not None and where(app).claim == 2  # quoted by Alpha alone
        await pilot.press("equals_sign")
        assert status(app) == "No other source quotes this claim: nothing to compare it with"


FILLER = "".join(f"Line {n} of a long report, which says little of interest.\n" for n in range(80))


def deep_library() -> Library:
    """Two long sources quoting one claim at different depths: the panes must scroll."""
    north = named(
        "north",
        source("north.txt", FILLER[:2000] + "The troops number 54,000.\n" + FILLER, outlet="North"),
    )
    south = named(
        "south",
        source("south.txt", FILLER[:900] + "The troops number 55,000.\n" + FILLER, outlet="South"),
    )
    troops = claim(
        0,
        "There are 54,000 troops.",
        Quote(north, "The troops number 54,000.", Stance.SUPPORTS),
        Quote(south, "The troops number 55,000.", Stance.CONFLICTS),
    )
    brief = Brief(0, "briefs/troops.yaml", "Troops", (north, south), (troops,))
    return library_of(brief, root=Path("/deep"))


@pytest.mark.parametrize(("size", "layout"), [((120, 40), "-side-by-side"), ((80, 24), "-stacked")])
async def test_the_two_passages_face_each_other(size: tuple[int, int], layout: str) -> None:
    app = BriefingApp(deep_library())
    async with app.run_test(size=size) as pilot:
        await pilot.press("equals_sign")
        screen = compare_screen(app)
        await until(pilot, lambda: screen.left.wrapped is not None)
        await pilot.pause()
        assert screen.has_class(layout)
        left, right = screen.pair.left, screen.pair.right
        height = screen.left.scrollable_content_region.height
        assert row_of(screen.left, left) == row_of(screen.right, right) == height // 3
        assert screen.left.scroll_y > 0 and screen.right.scroll_y > 0
        if layout == "-stacked":
            assert screen.right.region.y >= screen.left.region.bottom
            assert screen.left.region.width == screen.right.region.width
        else:
            assert screen.left.region.y == screen.right.region.y


async def test_facing_survives_a_resize() -> None:
    app = BriefingApp(deep_library())
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("equals_sign")
        screen = compare_screen(app)
        await pilot.resize_terminal(80, 24)
        await until(pilot, lambda: screen.has_class("-stacked"))
        await pilot.pause()
        await pilot.pause()
        assert row_of(screen.left, screen.pair.left) == row_of(screen.right, screen.pair.right)


async def test_the_palette_offers_compare(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"compare sources")
        assert isinstance(app.screen, CommandPalette)

        def first_entry() -> str:
            options = app.screen.query_one(OptionList)
            if not options.option_count:
                return ""
            return str(options.get_option_at_index(0).prompt).splitlines()[0]

        await until(pilot, lambda: first_entry() == "action: Compare sources")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, CompareScreen))


HOSTILE = Path(__file__).parent.parent / "hostile" / "library"
# What must never reach the terminal: escape, C0/C1 controls (bar tab and newline), bidi.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_hostile_sources_are_compared_as_plain_text() -> None:
    library = load_library(HOSTILE)
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        brief = next(b for b in library.briefs if b.title.startswith("Bridge and river"))
        app.reader.open_claim(brief, brief.claim("river"))
        await pilot.press("equals_sign")
        screen = compare_screen(app)
        await pilot.pause()
        drawn = [
            str(widget.render())
            for widget in screen.query(Static)
            if widget.id and widget.id.startswith("compare-")
        ]
        for view in (screen.left, screen.right):
            height = view.scrollable_content_region.height
            drawn += [view.render_line(y).text for y in range(height)]
        text = "\n".join(drawn)
        assert not UNSAFE.search(text)
        assert "River two: pumps ran all night." in text
        assert "Meadow one" in text
