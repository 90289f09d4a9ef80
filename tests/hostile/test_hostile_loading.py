"""Loading hostile files: valid quotes anchor on their own characters, bad files cost nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_files import LONG_LINE_QUOTE

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import AnchorStatus, Library
from briefing_tui.core.library.text import is_clean

# Each valid quote and the whole sanitised line it ends: what sits before it in the file
# (escape sequences, markup, controls, invisible characters) shows exactly as given here.
QUOTED_LINES = {
    "sources/terminal.txt": [
        "Clipboard BEL \u241b Harbour one: the harbour reopened at dawn.",
        "Clipboard ST \u241b Harbour two: the council voted nine to two.",
        "Title \u241b Harbour three: ferries resumed on Tuesday.",
        "Link \u241bclick\u241b Harbour four: pilots boarded the tanker.",
        "Clear \u241b\u241b Harbour five: the fog lifted by noon.",
        "Report \u241b Harbour six: cranes moved four hundred boxes.",
        "Reset \u241b Harbour seven: the night shift was cancelled.",
        "DCS \u241b Harbour eight: tugs stood by in the bay.",
        "C1 \u241b \u241b \u241b Harbour nine: the lighthouse was repaired.",
    ],
    "sources/markup.txt": [
        "[@click=app.quit]quit[/] Bridge one: the mayor opened the bridge.",
        "[bold]bold[/bold] Bridge two: traffic crossed within the hour.",
        "[link=https://hostile-link.example]link[/link] Bridge three: cyclists got a lane.",
        "[/ Bridge four: the toll was dropped.",
        "x[/ Bridge five: engineers praised the steel.",
        ":smile: Bridge six: a band played on the deck.",
        "[red on white]ansi[/] $accent {braces} Bridge seven: the ribbon was blue.",
        "Bridge eight: the old ferry retired.",
    ],
    "sources/unicode.txt": [
        "HIDDEN-AFTER-CR River one: the levee held.",
        "NUL here\u2400 River two: pumps ran all night.",
        "Bidi HOSTILE-RLO River three: the gauge read four metres.",
        "Isolate x River four: volunteers filled sandbags.",
        "Zerowidthjoinerword River five: the school reopened.",
        "Delete \u2421 and backspace \u2408 River six: the bridge stayed shut.",
    ],
    "sources/bom_front_matter.txt": [
        "Body after a BOM and CRLF front matter. Meadow one: the hay was in.",
    ],
    "sources/hostile_front_matter.txt": [
        "The body still opens. Field one: the front matter was refused.",
    ],
}


@pytest.fixture(scope="module")
def loading_cwd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty working directory to load from, where a payload's marker would appear."""
    return tmp_path_factory.mktemp("cwd")


@pytest.fixture(scope="module")
def library(hostile_library: Path, loading_cwd: Path) -> Library:
    """The hostile library loaded in-process."""
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(loading_cwd)
        return load_library(hostile_library)


def test_bad_briefs_do_not_stop_the_valid_ones(library: Library) -> None:
    titles = {brief.path: brief.title for brief in library.briefs}
    assert titles["briefs/escapes.yaml"] == "Harbour after terminal escapes"
    assert titles["briefs/markup.yaml"].startswith("Bridge and river")
    assert titles["briefs/long_line.yaml"] == "A one-megabyte line"
    assert library.problems.errors >= 20


@pytest.mark.parametrize("path", sorted(QUOTED_LINES))
def test_valid_quotes_anchor_exactly_on_their_own_characters(library: Library, path: str) -> None:
    text = library.sources[path].text
    found = []
    for brief in library.briefs:
        for brief_source in brief.sources:
            if brief_source.source.path != path:
                continue
            for passage in brief.passages_in(brief_source.key):
                assert passage.anchor.status is AnchorStatus.EXACT
                span = passage.span
                assert span is not None and text[span.start : span.end] == passage.quote
                line_start = text.rfind("\n", 0, span.start) + 1
                found.append(text[line_start : span.end])
    assert sorted(set(found)) == sorted(QUOTED_LINES[path])


def test_sources_are_sanitised_and_keep_their_metadata(library: Library) -> None:
    assert all(is_clean(source.text) for source in library.sources.values())
    terminal = library.sources["sources/terminal.txt"]
    assert terminal.meta.outlet == "Hostile Wire"
    assert terminal.text.endswith("Unterminated \u241b")
    bom = library.sources["sources/bom_front_matter.txt"]
    assert bom.meta.title == "BOM before front matter"
    assert bom.body_line == 5
    assert library.sources["sources/unicode.txt"].text.startswith("CRLF line one\nBare CR")
    refused = library.sources["sources/hostile_front_matter.txt"]
    assert (refused.meta.title, refused.meta.outlet, refused.body_line) == (None, None, 5)


def test_brief_strings_are_sanitised_but_markup_stays_literal(library: Library) -> None:
    brief = next(b for b in library.briefs if b.path == "briefs/hostile_strings.yaml")
    assert brief.title == "Brief strings \u241b with [@click=app.quit]markup[/]"
    assert brief.summary == "Summary \u241b and HOSTILE-BRIEF-RLO [bold]x[/"
    claim = brief.claims[0]
    assert claim.text == "Claim \u241b\u241b[@click=app.quit]quit[/]"
    assert claim.note == "Note \u241b x[/"
    assert claim.passages[0].note == "Passage note \u241b :smile:"
    assert brief.sources[0].meta.outlet == "Outlet \u241bx\u241b"


def test_a_quote_at_the_end_of_a_one_megabyte_line_anchors(library: Library) -> None:
    brief = next(b for b in library.briefs if b.path == "briefs/long_line.yaml")
    (passage,) = brief.passages()
    text = library.sources["sources/long_line.txt"].text
    assert passage.span is not None
    assert text[passage.span.start : passage.span.end] == LONG_LINE_QUOTE
    assert passage.span.end == len(text) - 1


def test_nothing_is_read_from_outside_or_executed(library: Library, loading_cwd: Path) -> None:
    assert all(not path.startswith("..") and "outside" not in path for path in library.sources)
    assert all("OUTSIDE-SECRET" not in source.text for source in library.sources.values())
    assert list(loading_cwd.iterdir()) == []
