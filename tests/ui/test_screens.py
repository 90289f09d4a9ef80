"""Help, problems, the command palette, search, and libraries that are empty or broken."""

from __future__ import annotations

from pathlib import Path

from reader_helpers import PassageRef, shown, status, until, where
from textual.command import CommandPalette
from textual.widgets import Input, OptionList, Static

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.search.index import HitKind, SearchHit
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.help import HelpScreen
from briefing_tui.ui.screens.problems import ProblemsScreen
from briefing_tui.ui.screens.search import SearchScreen
from briefing_tui.ui.widgets.source_view import SourceView

SIZE = (120, 40)


def problems_listed(app: BriefingApp) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_help_groups_the_keys_by_where_they_work_with_the_legend(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        groups = app.screen.groups()
        assert list(groups)[0] == "Reading" and list(groups)[-1] == "Anywhere"
        assert "In the topics" in groups
        reading = dict((what, keys) for keys, what in groups["Reading"])
        assert reading["Go to the next topic (brief); from the last, round to the first"] == "]"
        assert reading["Back to where the last jump left"] == "b / alt+←"
        assert [keys for keys, _ in groups["Reading"][:6]] == ["? / f1", "/", "n", "p", "x", "c"]
        anywhere = [what for _, what in groups["Anywhere"]]
        assert "Focus Next" in anywhere and "Copy selected text" in anywhere
        assert ("↓", "Cursor Down") in groups["In the topics"]
        legend = str(app.screen.query_one(".help-legend", Static).render())
        assert "✔ supports · ✖ conflicts · ○ context" in legend
        assert "● corroborated: 2+ sources support · ▲ contested: one conflicts" in legend
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_help_wraps_long_descriptions_in_80_columns(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        rows = app.screen.query(".help-what")
        assert all(row.region.right <= 80 for row in rows)
        assert any(row.size.height > 1 for row in rows)  # wrapped, not cut


async def test_enter_on_a_problem_opens_its_brief_or_says_why_not(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_square_bracket", "e", "enter")  # the summit brief's warning
        assert not isinstance(app.screen, ProblemsScreen)
        assert where(app) is not None and where(app).brief == 0
        await pilot.press("e", "down", "enter")  # the broken brief, which did not load
        assert status(app) == "briefs/03-broken.yaml did not load: fix it, then reload (r)"


async def test_problems_screen_lists_the_diagnostics(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, ProblemsScreen)
        assert problems_listed(app) == [
            "⚠ warning  briefs/01-summit.yaml:41:11\nquote not found in a",
            "✖ error  briefs/03-broken.yaml:1:1\nexpected a mapping, found a list",
        ]
        await pilot.press("escape")
        assert not isinstance(app.screen, ProblemsScreen)


def palette_prompts(app: BriefingApp) -> list[str]:
    """The first line of each entry the command palette lists."""
    options = app.screen.query_one(OptionList)
    return [
        str(options.get_option_at_index(i).prompt).splitlines()[0]
        for i in range(options.option_count)
    ]


async def test_palette_offers_topics_and_claims(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"tariffs")
        await until(pilot, lambda: "claim: Tariffs were not discussed." in palette_prompts(app))
        await pilot.press("enter")
        assert where(app) is not None and where(app).claim == 1


async def test_palette_runs_the_reader_s_actions(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p", *"problems")
        await until(pilot, lambda: palette_prompts(app)[:1] == ["action: Problems"])
        options = app.screen.query_one(OptionList)
        first = str(options.get_option_at_index(0).prompt).splitlines()
        assert first == ["action: Problems", "Problems found while loading the library (e)"]
        await pilot.press("enter")
        assert isinstance(app.screen, ProblemsScreen)


async def test_palette_shows_titles_literally(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"islands")
        await until(pilot, lambda: "topic: The [bold]islands[/]" in palette_prompts(app))


async def test_an_empty_library_says_how_to_add_a_brief(empty_library: Library) -> None:
    app = BriefingApp(empty_library)
    async with app.run_test(size=SIZE) as pilot:
        message = shown(app, "#empty")
        assert "No briefs to show in /empty." in message
        assert "briefing check /empty" in message
        assert {b.binding.action for b in app.screen.active_bindings.values()} >= {"help"}
        assert "n" not in app.screen.active_bindings
        assert "slash" not in app.screen.active_bindings
        await pilot.press("n", "right_square_bracket", "slash")
        assert where(app) is None
        await pilot.press("e")
        assert isinstance(app.screen, ProblemsScreen)
        assert problems_listed(app) == []


async def test_a_broken_brief_does_not_stop_the_others(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    (tmp_path / "a.txt").write_text("The sky is blue today.\n", encoding="utf-8")
    (tmp_path / "briefs" / "01-good.yaml").write_text(
        "title: Weather\nsources:\n  a: a.txt\nclaims:\n  - text: The sky is blue.\n"
        "    passages:\n      - source: a\n        quote: The sky is blue\n",
        encoding="utf-8",
    )
    (tmp_path / "briefs" / "02-broken.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    library = load_library(tmp_path)
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        assert [b.title for b in library.briefs] == ["Weather"]
        assert "topic 1/1 Weather" in shown(app, "#where")
        assert shown(app, "#problems-count") == "⚠ 1 problem (e)"
        await pilot.press("n")
        assert where(app) is not None and where(app).passage == PassageRef(0, 0, 0)
        await pilot.press("e")
        assert any("briefs/02-broken.yaml:1" in problem for problem in problems_listed(app))


async def test_search_opens_a_text_hit_in_its_source(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()  # the index is built in a worker started after the first paint
        await app.workers.wait_for_complete()
        assert app.search_index is not None
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        text = library.sources["sources/gamma.txt"].text
        start = text.index("[@click")
        hit = SearchHit(
            HitKind.TEXT,
            text[start:],
            (0,),
            1.0,
            None,
            "sources/gamma.txt",
            Span(start, len(text) - 1),
        )
        app.screen.dismiss(hit)
        await pilot.pause()
        assert where(app) is not None and where(app).source_key == "c"
        assert where(app).span == Span(start, len(text) - 1)
        assert status(app) == "search: text · topic 1 of 2 · source 3 of 3 · Preview of the summit"
        await pilot.press("b")
        assert where(app).source_key == "a" and where(app).span is None


async def test_next_passage_after_a_search_hit_starts_from_the_hit(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        text = library.sources["sources/alpha.txt"].text
        start = text.index("\tTariffs")
        span = Span(start, text.index("\n", start))
        app.open_hit(
            library,
            SearchHit(
                HitKind.TEXT, text[span.start : span.end], (1,), 1.0, 0, "sources/alpha.txt", span
            ),
        )
        await pilot.press("n")
        assert where(app) is not None and where(app).passage == PassageRef(0, 1, 0)
        await pilot.press("b", "p")
        assert where(app).passage == PassageRef(0, 0, 0)


async def test_search_typed_query_opens_a_claim(library: Library) -> None:
    app = BriefingApp(library)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        app.screen.query_one(Input).value = "statement islands expected"
        await app.screen.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("enter")
        assert where(app) is not None and where(app).brief == 1
        assert app.query_one(SourceView).text == library.sources["sources/gamma.txt"].text
