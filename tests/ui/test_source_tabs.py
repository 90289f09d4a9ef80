"""The source tabs: a topic with thousands of sources draws only the tabs in view."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult

from briefing_tui.core.library.model import Brief, BriefSource, Source, SourceMeta
from briefing_tui.ui.widgets import source_tabs
from briefing_tui.ui.widgets.source_tabs import SourceTabs

WIDTH = 80
SOURCES = 5000


def many_sources(count: int) -> Brief:
    """A brief naming `count` sources, each with an outlet as its label."""
    sources = tuple(
        BriefSource(f"s{n}", Source(f"sources/s{n}.txt", "x"), SourceMeta(outlet=f"Outlet {n}"))
        for n in range(count)
    )
    return Brief(0, "briefs/many.yaml", "Many", sources)


class TabsApp(App[None]):
    """Only the tabs, at a known width; it keeps the sources chosen by a click."""

    def __init__(self) -> None:
        super().__init__()
        self.chosen: list[str] = []

    def compose(self) -> ComposeResult:
        yield SourceTabs(id="tabs")

    def on_source_tabs_source_chosen(self, message: SourceTabs.SourceChosen) -> None:
        self.chosen.append(message.key)


@pytest.mark.parametrize("active", [0, 1, 2500, SOURCES - 1])
async def test_a_topic_of_thousands_of_sources_draws_only_the_tabs_in_view(
    monkeypatch: pytest.MonkeyPatch, active: int
) -> None:
    brief = many_sources(SOURCES)
    labelled: list[int] = []
    label = source_tabs._label

    def counted(position: int, sources: tuple[BriefSource, ...]) -> str:
        labelled.append(position)
        return label(position, sources)

    monkeypatch.setattr(source_tabs, "_label", counted)
    app = TabsApp()
    async with app.run_test(size=(WIDTH + 2, 10)) as pilot:
        tabs = app.query_one(SourceTabs)
        tabs.show(brief, f"s{active}")
        await pilot.pause()
        labelled.clear()
        line = tabs.render().plain.split("\n")[0]
        assert len(labelled) < 40  # measured and drawn: the tabs in view, never all 5,000
        assert f" {active + 1} Outlet {active} " in line
        assert line.startswith("‹ ") == (active > 1)
        assert len(line) <= WIDTH + len(f" │  {SOURCES} Outlet {SOURCES - 1} ")


async def test_tabs_scroll_only_as_far_as_the_active_one_needs() -> None:
    brief = many_sources(30)
    app = TabsApp()
    async with app.run_test(size=(WIDTH + 2, 10)) as pilot:
        tabs = app.query_one(SourceTabs)
        tabs.show(brief, "s3")
        await pilot.pause()
        assert tabs.render().plain.startswith(" 1 Outlet 0  │  2 Outlet 1 ")
        tabs.show(brief, "s20")
        line = tabs.render().plain.split("\n")[0]
        # As far back as fits: "‹ " and four tabs of 14 cells with three separators.
        assert line.startswith("‹  18 Outlet 17  │ ") and " 21 Outlet 20 " in line[:WIDTH]


async def test_a_click_on_a_tab_in_view_chooses_its_source() -> None:
    brief = many_sources(SOURCES)
    app = TabsApp()
    async with app.run_test(size=(WIDTH + 2, 10)) as pilot:
        tabs = app.query_one(SourceTabs)
        tabs.show(brief, "s4000")
        await pilot.pause()
        line = tabs.render().plain.split("\n")[0]
        column = line.index(" 4000 Outlet 3999 ") + 2
        assert await pilot.click(SourceTabs, offset=(column + 1, 0))  # + 1: the padding
        await pilot.pause()
    assert app.chosen == ["s3999"]
