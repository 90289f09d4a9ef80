"""The figures view, driven by keys: each claim's figures, the differences, Enter, o, t, Esc."""

from __future__ import annotations

import re
from pathlib import Path

from builders import Quote, claim, library_of, named, source
from reader_helpers import PassageRef, status, until, where
from textual.command import CommandPalette
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Brief, Library, Span, Stance
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.figures import FiguresScreen
from briefing_tui.ui.screens.reader import ReaderScreen

SIZE = (120, 40)
NORTH = (
    "About 54,000 U.S. troops are stationed in Japan.\n"
    "The talks lasted 110 minutes.\n"
    "The leaders met on February 7, 2025.\n"
)
SOUTH = "Some 55,000 U.S. personnel serve in Japan.\nThe summit was held on February 7, 2025.\n"


def figures_library() -> Library:
    """Two topics whose sources give figures: troops differ, dates agree, budgets differ."""
    n = named("n", source("news/north.txt", NORTH, outlet="North News"))
    s = named("s", source("news/south.txt", SOUTH, outlet="South Post"))
    troops = claim(
        0,
        "About 54,000 troops are in Japan.",
        Quote(n, "About 54,000 U.S. troops are stationed in Japan"),
        Quote(s, "55,000 U.S. personnel serve in Japan", Stance.CONFLICTS),
    )
    met = claim(
        1,
        "They met on February 7, 2025.",
        Quote(n, "The leaders met on February 7, 2025"),
        Quote(s, "held on February 7, 2025"),
        Quote(n, "The talks lasted", Stance.CONTEXT),  # its figure is beside the quote
    )
    wire = named("w", source("news/wire.txt", "The budget is $23 billion.\n", outlet="[b]Wire[/b]"))
    desk = named("d", source("news/desk.txt", "The budget is $95.2 billion.\n", outlet="Desk"))
    budget = claim(
        0,
        "The budget is $23 billion.",
        Quote(wire, "The budget is $23 billion"),
        Quote(desk, "The budget is $95.2 billion", Stance.CONFLICTS),
    )
    return library_of(
        Brief(0, "briefs/forces.yaml", "Forces", (n, s), (troops, met)),
        Brief(1, "briefs/money.yaml", "Money", (wire, desk), (budget,)),
        root=Path("/figures"),
    )


def figures_screen(app: BriefingApp) -> FiguresScreen:
    """The figures screen, which must be the one shown."""
    assert isinstance(app.screen, FiguresScreen)
    return app.screen


def prompts(options: OptionList) -> list[str]:
    """The text of every entry of a list."""
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


def highlighted(options: OptionList) -> str:
    """The text of the entry under the cursor."""
    assert options.highlighted is not None
    return str(options.get_option_at_index(options.highlighted).prompt)


def view_status(app: BriefingApp) -> str:
    """The figures screen's status line."""
    return str(app.screen.query_one("#figures-status", Static).render())


async def open_figures(pilot: Pilot[None]) -> FiguresScreen:
    """Press # and wait for the library's figures to be compared."""
    await pilot.press("number_sign")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(pilot.app, BriefingApp)
    return figures_screen(pilot.app)


async def test_hash_lists_each_claim_s_figures_with_differences_marked() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_figures(pilot)
        assert prompts(screen.figures_list) == [
            "claim 1: About 54,000 troops are in Japan.\n≠ differs in count of people",
            "≠ differs ✔ North News: about 54,000 U.S. troops  north.txt:1",
            "≠ differs ✖ South Post (conflicts): some 55,000 U.S. personnel  south.txt:1",
            "claim 2: They met on February 7, 2025.",
            "          ○ North News (context): 110 minutes  north.txt:2, beside the quote",
            "= agrees  ✔ North News: February 7, 2025  north.txt:3",
            "= agrees  ✔ South Post: February 7, 2025  south.txt:2",
        ]
        assert screen.figures_list.highlighted == 1
        assert app.focused is screen.figures_list
        title = str(screen.query_one("#figures-title", Static).render())
        assert title == "Figures │ topic 1/2 Forces │ 1 difference in this topic │ 2 in the library"


async def test_the_differences_list_gathers_the_whole_library_s() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_figures(pilot)
        listed = prompts(screen.differences_list)
        assert len(listed) == 2
        assert listed[0].splitlines() == [
            "≠ count of people · topic 1 · claim 1: About 54,000 troops are in Japan.",
            "  ⏎ ✔ North News: about 54,000 U.S. troops  north.txt:1",
            "  o ✖ South Post (conflicts): some 55,000 U.S. personnel  south.txt:1",
        ]
        # A source's name is shown as written: markup in it stays literal.
        assert listed[1].splitlines()[1] == "  ⏎ ✔ [b]Wire[/b]: $23 billion  wire.txt:1"
        heading = str(screen.query_one("#figures-differences-heading", Static).render())
        assert heading == "Differences across the library: 2 in 2 claims"


async def test_enter_opens_a_figure_s_passage_in_the_reader() -> None:
    library = figures_library()
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot)
        await pilot.press("down", "enter")  # South Post's 55,000
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 1)
        assert status(app) == (
            "figures: claim 1 · source 2 of 2 · South Post · some 55,000 U.S. personnel"
        )


async def test_a_figure_beside_the_quote_opens_selected_in_its_source() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot)
        await pilot.press("down", "down", "enter")  # the heading of claim 2 is passed over
        here = where(app)
        assert here is not None and (here.brief, here.source_key, here.claim) == (0, "n", 1)
        start = NORTH.index("110 minutes")
        assert here.passage is None and here.span == Span(start, start + len("110 minutes"))


async def test_o_opens_the_other_side_of_a_difference() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_figures(pilot)
        await pilot.press("tab")
        assert app.focused is screen.differences_list
        await pilot.press("down", "o")  # the budgets: Desk's side
        assert where(app) is not None and where(app).passage == PassageRef(1, 0, 1)
        assert status(app) == "figures: claim 1 · source 2 of 2 · Desk · $95.2 billion"
        await open_figures(pilot)
        await pilot.press("tab", "enter")  # the troops: North News's side
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 0)


async def test_o_on_a_figure_opens_the_one_it_differs_from() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        await open_figures(pilot)
        await pilot.press("down", "down", "down", "o")  # an agreeing date
        assert view_status(app) == "No other source gives a figure that differs from this one"
        await pilot.press("home", "o")
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 1)


async def test_t_lists_the_figures_of_the_whole_library() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_figures(pilot)
        await pilot.press("down", "t")
        listed = prompts(screen.figures_list)
        assert listed[0].startswith("Forces · claim 1: About 54,000 troops are in Japan.")
        assert listed[-3].startswith("Money · claim 1: The budget is $23 billion.")
        assert highlighted(screen.figures_list).startswith("≠ differs ✖ South Post")
        assert view_status(app) == "figures of the whole library"
        await pilot.press("t")
        assert len(prompts(screen.figures_list)) == 7


async def test_escape_returns_to_the_reader_where_it_was() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        before = where(app)
        await open_figures(pilot)
        await pilot.press("down", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) == before


async def test_a_topic_without_figures_says_so(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_figures(pilot)
        assert screen.has_class("-stacked")
        assert prompts(screen.figures_list) == ["No passage of this topic gives a figure."]
        await pilot.press("enter", "o")
        assert view_status(app) == "No figure chosen"


async def test_the_palette_offers_the_figures() -> None:
    app = BriefingApp(figures_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"figures")
        assert isinstance(app.screen, CommandPalette)

        def first_entry() -> str:
            options = app.screen.query_one(OptionList)
            if not options.option_count:
                return ""
            return str(options.get_option_at_index(0).prompt).splitlines()[0]

        await until(pilot, lambda: first_entry() == "action: Figures")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, FiguresScreen))


HOSTILE = Path(__file__).parent.parent / "hostile" / "library"
# What must never reach the terminal: escape, C0/C1 controls (bar tab and newline), bidi.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_hostile_figures_are_listed_as_plain_text() -> None:
    app = BriefingApp(load_library(HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_figures(pilot)
        await pilot.press("t")
        listed = prompts(screen.figures_list) + prompts(screen.differences_list)
        assert len(listed) > 1
        headings = [str(w.render()) for w in screen.query(Static) if w.id]
        assert not UNSAFE.search("\n".join(listed + headings))
