"""A snapshot of the search screen with results, over a small fixed library."""

from __future__ import annotations

from pathlib import Path

from builders import Quote, claim, library_of, named
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

from briefing_tui.core.library.model import (
    Brief,
    Library,
    Source,
    SourceMeta,
)
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.ui.screens.search import SearchScreen

TEXT = (
    "The leaders met in Washington on February 7, 2025.\n"
    "They reaffirmed that Article 5 of the treaty applies to the Senkaku Islands, "
    "which Japan administers.\n"
    "Japan will invest one trillion dollars in the United States.\n"
)
QUOTE = "Article 5 of the treaty applies to the Senkaku Islands"


def snapshot_library() -> Library:
    """One brief, one source, one claim with a passage and a note."""
    source = Source("seeds/wire.txt", TEXT, SourceMeta(title="Leaders meet", outlet="Wire"))
    wire = named("wire", source)
    note = "The Senkaku wording matches the joint statement."
    senkaku = claim(0, "Article 5 covers the Senkaku Islands.", Quote(wire, QUOTE, note=note))
    brief = Brief(
        0,
        "briefs/senkaku.yaml",
        "Senkaku Islands and Article 5",
        (wire,),
        (senkaku,),
        summary="What the sources say about the treaty and the islands.",
    )
    return library_of(brief, root=Path("/snapshot"))


class Host(App[None]):
    """A bare app that opens the search screen."""

    def on_mount(self) -> None:
        library = snapshot_library()
        self.push_screen(SearchScreen(SearchIndex.build(library), library))


async def search_senkau(pilot: Pilot[None]) -> None:
    # A blinking cursor would make the snapshot depend on when it is taken.
    pilot.app.screen.query_one(Input).cursor_blink = False
    await pilot.press(*"senkau")
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_search_screen_with_results(snap_compare) -> None:  # noqa: ANN001 (plugin fixture)
    assert snap_compare(Host(), terminal_size=(100, 30), run_before=search_senkau)
