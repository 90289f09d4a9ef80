"""Badges and source details: glyphs and words, never colour alone; unknowns said so."""

from __future__ import annotations

from briefing_tui.core.library.model import Library
from briefing_tui.ui.labels import badge_text, source_details, source_position


def test_badges_carry_a_glyph_and_counts(library: Library) -> None:
    corroborated, contested, single = library.briefs[0].claims
    assert badge_text(corroborated) == "✔ 2"
    assert badge_text(contested) == "✖ 1 vs 1"
    assert badge_text(single) == "• 2"


def test_unknown_metadata_is_said_to_be_unknown(library: Library) -> None:
    alpha, beta, gamma = library.briefs[0].sources
    assert source_details(alpha).plain == (
        "Alpha Wire · Leaders meet in Washington · 2025-02-07 · report · sources/alpha.txt"
    )
    assert source_details(beta).plain == (
        "Beta Times · title unknown · date unknown · analysis · sources/beta.md"
    )
    assert source_details(gamma).plain.startswith("outlet unknown · Preview of the summit")


def test_source_position_counts_from_one(library: Library) -> None:
    brief = library.briefs[0]
    assert source_position(brief, "b") == "source 2 of 3 · Beta Times"
    assert source_position(brief, "c") == "source 3 of 3 · Preview of the summit"
