"""Suggested passages in the reader: from the palette, copied as YAML, shown in their source."""

from __future__ import annotations

from builders import Quote, claim, library_of, named, source
from reader_helpers import status, until, where
from textual.widgets import OptionList

from briefing_tui.core.library.model import Brief, Library
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.screens.suggestions import SuggestionsScreen

TEXT = (
    "The talks lasted two hours in Washington.\n"
    "Tariffs on steel were not discussed at the talks in Washington.\n"
    "A reporter asked about baseball.\n"
)


def talks() -> Library:
    wire = named("wire", source("s/wire.txt", TEXT, outlet="Wire"))
    lasted = claim(0, "The talks in Washington lasted two hours.", Quote(wire, "The talks lasted"))
    return library_of(Brief(0, "briefs/talks.yaml", "Talks", (wire,), (lasted,)))


async def test_the_palette_opens_suggestions_for_the_chosen_claim() -> None:
    library = talks()
    app = BriefingApp(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("down", "enter")  # the claim
        await pilot.press("ctrl+p", *"suggest passages")
        await until(
            pilot,
            lambda: (
                "Suggest passages"
                in str(app.screen.query_one(OptionList).get_option_at_index(0).prompt)
            ),
        )
        await pilot.press("enter")
        assert isinstance(app.screen, SuggestionsScreen)
        await until(pilot, lambda: app.screen.highlighted is not None)
        suggestion = app.screen.highlighted
        assert suggestion is not None and suggestion.quote.startswith("Tariffs on steel")
        await pilot.press("Y")
        assert app.clipboard.startswith("      - source: wire\n")
        assert "quote: 'Tariffs on steel were not discussed at the talks in Washington.'" in (
            app.clipboard
        )
        await pilot.press("enter")
        assert not isinstance(app.screen, SuggestionsScreen)
        assert where(app) is not None and where(app).span == suggestion.span
        assert status(app) == "suggested · Wire · line 2"


async def test_suggestions_need_a_chosen_claim() -> None:
    app = BriefingApp(talks())
    async with app.run_test(size=(120, 40)):
        app.reader.action_suggest()
        assert status(app) == "Choose a claim first: suggestions are for one claim"
