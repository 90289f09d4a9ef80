"""Badges and source details: glyphs and words, never colour alone; unknowns said so."""

from __future__ import annotations

from dataclasses import replace

from briefing_tui.core.library.model import Library, SourceMeta
from briefing_tui.ui.labels import badge_text, source_details, source_position


def test_badges_count_the_passages_of_each_stance(library: Library) -> None:
    corroborated, contested, single = library.briefs[0].claims
    assert badge_text(corroborated) == "✔2"
    assert badge_text(contested) == "✔1 ✖1 ○1"
    assert badge_text(single) == "✔2"  # one of them orphaned: counted, as the panel lists it


def test_a_source_is_named_by_outlet_then_title_then_file_and_unknowns_said(
    library: Library,
) -> None:
    alpha, beta, gamma = library.briefs[0].sources
    assert source_details(alpha).plain == (
        "Alpha Wire · Leaders meet in Washington · 2025-02-07 · report · sources/alpha.txt"
    )
    assert source_details(beta).plain == "Beta Times · date unknown · analysis · sources/beta.md"
    assert source_details(gamma).plain == (
        "Preview of the summit · date unknown · preview · sources/gamma.txt"
    )
    nameless = replace(gamma, meta=SourceMeta())
    assert nameless.label == "gamma.txt"
    assert source_details(nameless).plain == "gamma.txt · no outlet or title stated · date unknown"


def test_source_position_counts_from_one(library: Library) -> None:
    brief = library.briefs[0]
    assert source_position(brief, "b") == "source 2 of 3 · Beta Times"
    assert source_position(brief, "c") == "source 3 of 3 · Preview of the summit"
