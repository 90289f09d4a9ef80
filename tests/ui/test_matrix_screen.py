"""The claim matrix, driven by keys: open, move, sort, filter, the whole library, Enter, Esc."""

from __future__ import annotations

import re
from pathlib import Path

from builders import Quote, claim, library_of, named, source
from reader_helpers import PassageRef, status, until, where
from textual.command import CommandPalette
from textual.widgets import OptionList, Static

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Brief, Library, Stance
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.help import HelpScreen
from briefing_tui.ui.screens.matrix import MatrixScreen
from briefing_tui.ui.screens.reader import ReaderScreen
from briefing_tui.ui.widgets.matrix_grid import Heading, MatrixGrid

SIZE = (120, 40)


def matrix_screen(app: BriefingApp) -> MatrixScreen:
    """The matrix screen, which must be the one shown."""
    assert isinstance(app.screen, MatrixScreen)
    return app.screen


def grid_lines(app: BriefingApp) -> list[str]:
    """The text of every line the grid shows, header first."""
    grid = app.screen.query_one(MatrixGrid)
    return [grid.render_line(y).text for y in range(grid.scrollable_content_region.height)]


def cell_line(app: BriefingApp) -> str:
    """What the line under the grid says about the cursor's cell."""
    return str(app.screen.query_one("#matrix-cell", Static).render())


def title(app: BriefingApp) -> str:
    """The matrix screen's title line."""
    return str(app.screen.query_one("#matrix-title", Static).render())


def view_status(app: BriefingApp) -> str:
    """The matrix screen's own status line."""
    return str(app.screen.query_one("#matrix-status", Static).render())


def cursor_names(app: BriefingApp) -> tuple[int | None, str | None]:
    """The cursor's claim (by its index in its brief) and source file."""
    screen = matrix_screen(app)
    row, column = screen.grid.cursor
    matrix = screen.matrix
    index = matrix.rows[row].claim_index if row is not None else None
    return index, matrix.columns[column].path if column is not None else None


async def test_m_opens_the_topic_s_claims_against_its_sources(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        screen = matrix_screen(app)
        assert list(screen.grid.lines) == [0, 1, 2]
        header, *rows = grid_lines(app)
        for label in ("Alpha Wire", "Beta Times", "Preview of…"):
            assert label in header
        article, tariffs, investment = rows[:3]
        assert "● corroborated" in article and "Article 5 covers the islands." in article
        # The silent source reads as such, and a cell shows glyph and count.
        assert article.split("islands.")[1].split() == ["✔1", "✔1", "—"]
        assert "▲ contested" in tariffs and tariffs.split("discussed.")[1].split() == [
            "✔1",
            "✖1",
            "○1",
        ]
        # Two passages from one source add up in one cell (one of them is an orphan).
        assert "· single-source" in investment and "✔2" in investment
        assert "topic 1/2 Security and trade │ 3 claims × 3 sources" in title(app)


async def test_the_cursor_starts_on_the_reader_s_claim_and_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter", "s")  # claim 2, then the next source
        assert where(app) is not None and where(app).source_key == "b"
        await pilot.press("m")
        assert cursor_names(app) == (1, "sources/beta.md")
        lines = cell_line(app).splitlines()
        assert lines[0] == "claim 2 · ▲ contested · Tariffs were not discussed."
        assert lines[1] == "Beta Times · sources/beta.md · ✖ 1 conflicts"


async def test_enter_opens_the_cell_s_passage_in_the_reader(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "down", "right", "enter")
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 1)
        assert status(app) == "matrix: claim 2 · source 2 of 3 · Beta Times · ✖ conflicts"
        await pilot.press("b")  # the jump is in the history
        assert where(app).passage is None


async def test_enter_on_a_silent_cell_opens_that_source_in_that_topic(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "right", "right")
        assert cursor_names(app) == (0, "sources/gamma.txt")
        assert cell_line(app).splitlines()[1].endswith("— silent on this claim")
        await pilot.press("enter")
        here = where(app)
        assert here is not None and (here.brief, here.source_key, here.claim) == (0, "c", 0)
        assert here.passage is None
        assert status(app) == (
            "matrix: claim 1 · source 3 of 3 · Preview of the summit · — silent on this claim"
        )


async def test_escape_returns_to_the_reader_where_it_was(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "down", "enter")
        before = where(app)
        await pilot.press("m", "down", "right", "escape")
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) == before


async def test_contested_first_keeps_the_cursor_on_its_claim(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "s")
        screen = matrix_screen(app)
        assert list(screen.grid.lines) == [1, 0, 2]
        assert cursor_names(app)[0] == 0  # still on claim 1, now the second line
        assert "contested first" in title(app)
        assert view_status(app) == "contested claims first"
        await pilot.press("s")
        assert list(screen.grid.lines) == [0, 1, 2]
        assert view_status(app) == "claims in brief order"


async def test_silent_shows_only_claims_a_source_is_silent_on(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "down", "g")
        screen = matrix_screen(app)
        assert list(screen.grid.lines) == [0, 2]  # every source speaks on the tariffs
        assert "only claims a source is silent on" in title(app)
        assert "2 of 3 claims" in title(app)
        await pilot.press("g")
        assert list(screen.grid.lines) == [0, 1, 2]
        assert cursor_names(app)[0] == 0


def speaking_library() -> Library:
    """One topic in which both sources speak on the one claim."""
    a = named("a", source("a.txt", "The sky is blue.\n", outlet="[@click=app.quit]A[/]"))
    b = named("b", source("b.txt", "The sky is blue today.\n", outlet="B"))
    sky = claim(0, "The sky is blue.", Quote(a, "The sky is blue"), Quote(b, "The sky is blue"))
    return library_of(Brief(0, "briefs/sky.yaml", "Sky", (a, b), (sky,)), root=Path("/sky"))


async def test_silent_is_refused_when_every_source_speaks() -> None:
    app = BriefingApp(speaking_library())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "g")
        assert view_status(app) == "Every source speaks on every claim of its topic"
        assert not matrix_screen(app).silent_only
        # A source's name is shown as written: markup in it does nothing.
        assert "[@click=app…" in grid_lines(app)[0]
        assert cell_line(app).splitlines()[1].startswith("[@click=app.quit]A[/] · a.txt")


async def test_one_source_shows_only_its_column(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "right", "o")
        screen = matrix_screen(app)
        beta = screen.matrix.column_of["sources/beta.md"]
        assert list(screen.grid.columns) == [beta]
        assert "only Beta Times" in title(app)
        header = grid_lines(app)[0]
        assert "Beta Times" in header and "Alpha Wire" not in header
        await pilot.press("g")  # with one source: the claims it is silent on
        assert list(screen.grid.lines) == [2]
        await pilot.press("g", "o")
        assert list(screen.grid.columns) == [0, 1, 2]
        assert cursor_names(app)[1] == "sources/beta.md"


async def test_t_shows_the_whole_library_grouped_by_topic(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "down", "t")
        screen = matrix_screen(app)
        assert list(screen.grid.lines) == [
            Heading("1. Security and trade", 3),
            0,
            1,
            2,
            Heading("2. The [bold]islands[/]", 1),
            3,
        ]
        assert cursor_names(app)[0] == 1
        assert "whole library │ 4 claims in 2 topics × 3 sources" in title(app)
        lines = grid_lines(app)
        assert lines[1].strip() == "1. Security and trade (3 claims)"
        assert lines[5].strip() == "2. The [bold]islands[/] (1 claim)"  # literal, not markup
        # Beta is not a source of the islands topic: no cell there, and the cursor skips it.
        assert lines[6].split("expected.")[1].split() == ["—", "✔1"]
        await pilot.press("right", "down", "down")
        assert cursor_names(app) == (0, "sources/alpha.txt")
        assert screen.grid.cursor[0] == 3
        await pilot.press("enter")
        here = where(app)
        assert here is not None and (here.brief, here.source_key, here.claim) == (1, "a", 0)
        await pilot.press("m")
        assert not matrix_screen(app).whole  # each opening starts on the topic
        assert list(matrix_screen(app).grid.lines) == [0]
        await pilot.press("t")  # the whole library, the cursor still on the islands claim
        assert matrix_screen(app).grid.cursor == (3, 0)


def wide_library() -> Library:
    """One topic quoted by nine sources: more columns than 80 columns hold."""
    sources = [
        named(
            f"s{n}", source(f"s{n}.txt", f"Source {n} says the sky is blue.\n", outlet=f"Out {n}")
        )
        for n in range(9)
    ]
    quotes = [Quote(s, "the sky is blue", Stance.SUPPORTS) for s in sources]
    sky = claim(0, "The sky is blue over the whole of the country today.", *quotes)
    return library_of(Brief(0, "briefs/sky.yaml", "Sky", tuple(sources), (sky,)))


async def test_in_80_columns_the_columns_scroll_and_the_claim_stays() -> None:
    app = BriefingApp(wide_library())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("m")
        grid = matrix_screen(app).grid
        first = grid_lines(app)[1]
        assert first.startswith("▶ ●  1. The sky is blue")  # the status as a glyph alone
        assert "Out 8" not in grid_lines(app)[0]
        await pilot.press(*["right"] * 8)
        assert grid.scroll_x > 0
        header, row = grid_lines(app)[:2]
        assert "Out 8" in header and "Out 0" not in header
        assert row.startswith(first[: grid.claim_cells])
        assert cursor_names(app)[1] == "s8.txt"
        assert "Out 8 · s8.txt · ✔ 1 supports" in cell_line(app)


async def test_clicking_a_cell_moves_the_cursor_and_a_second_click_opens_it(
    library: Library,
) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m")
        header = grid_lines(app)[0]
        x = header.index("Beta Times")
        await pilot.click(MatrixGrid, offset=(x, 2))  # the second claim's line
        assert cursor_names(app) == (1, "sources/beta.md")
        await pilot.click(MatrixGrid, offset=(x, 2))
        assert isinstance(app.screen, ReaderScreen)
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 1)


async def test_the_palette_and_help_offer_the_matrix(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"claim matrix")
        assert isinstance(app.screen, CommandPalette)

        def first_entry() -> str:
            options = app.screen.query_one(OptionList)
            if not options.option_count:
                return ""
            return str(options.get_option_at_index(0).prompt).splitlines()[0]

        await until(pilot, lambda: first_entry() == "action: Claim matrix")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, MatrixScreen))
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_the_matrix_key_is_hidden_without_briefs(empty_library: Library) -> None:
    app = BriefingApp(empty_library)
    async with app.run_test(size=SIZE) as pilot:
        assert "m" not in app.screen.active_bindings
        await pilot.press("m")
        assert isinstance(app.screen, ReaderScreen)


async def test_page_home_and_end_move_through_the_claims(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "t", "end")
        grid = matrix_screen(app).grid
        assert grid.cursor[0] == 3
        await pilot.press("home")
        assert grid.cursor[0] == 0
        await pilot.press("pagedown")
        assert grid.cursor[0] == 3
        await pilot.press("pageup", "up")
        assert grid.cursor[0] == 0


HOSTILE = Path(__file__).parent.parent / "hostile" / "library"
# What must never reach the terminal: escape, C0/C1 controls (bar tab and newline), bidi.
UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


async def test_hostile_names_and_claims_are_drawn_as_plain_text() -> None:
    app = BriefingApp(load_library(HOSTILE))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("m", "t")
        grid = matrix_screen(app).grid
        drawn = []
        body = grid.scrollable_content_region.height - 1
        for top in range(0, len(grid.lines), body):
            grid.scroll_to(y=top, animate=False, immediate=True)
            drawn += grid_lines(app)
        drawn.append(cell_line(app))
        text = "\n".join(drawn)
        assert not UNSAFE.search(text)
        assert "Bridge and river after markup and invisible characters" in text
        assert "Brief strings ␛ with [@click=app.quit]markup[/]" in text
