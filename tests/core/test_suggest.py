"""Suggestions of unquoted evidence: words, figures, exclusions, and YAML that anchors exactly."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from builders import write_library
from hypothesis import example, given
from hypothesis import strategies as st

from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import AnchorStatus, Brief, Claim, Library
from briefing_tui.core.library.yamlsafe import parse_yaml
from briefing_tui.core.suggest import (
    NOTE_PREFIX,
    SuggestedStance,
    Suggestion,
    SuggestionIndex,
    stem,
    suggest_for_claim,
    suggestion_index,
    terms,
    yaml_key,
    yaml_scalar,
)

WIRE = """\
---
outlet: Example Wire
---
The U.S. keeps approximately 54,000 troops in Japan, officials said.
Tariffs on steel imports were discussed at length by both trade ministers.
The weather in Washington was cold and grey all week.
Both sides agreed to review the tariff schedule for steel.
The talks moved on to energy and shipbuilding.
Both sides agreed to review the tariff schedule for steel.
"""
POST = """\
Roughly 55,000 personnel are stationed in Japan, according to the Pentagon.
Trading partners worry about new tariffs on steel from Japan.
The Pentagon declined to comment further.
"""
OTHER = "An unrelated essay says steel tariffs were not discussed by the ministers at all.\n"
SOURCES: dict[str, str | bytes] = {
    "seeds/wire.txt": WIRE,
    "seeds/post.md": POST,
    "seeds/other.txt": OTHER,
}
BRIEF = """\
title: Forces and trade
sources:
  wire: seeds/wire.txt
  post: seeds/post.md
claims:
  - id: troops
    text: About 54,000 U.S. troops are stationed in Japan.
    passages:
      - source: wire
        quote: The U.S. keeps approximately 54,000 troops in Japan
  - id: tariffs
    text: The trade ministers discussed steel tariffs and the tariff schedule.
    passages:
      - source: wire
        quote: Tariffs on steel imports were discussed
  - id: comment
    text: The Pentagon declined to comment.
    passages:
      - source: post
        quote: The Pentagon declined to comment further.
"""
# Another brief names the third source, so that the library holds it.
READING = """\
title: Reading list
sources:
  other: seeds/other.txt
"""


def _library(root: Path, brief: str = BRIEF) -> Library:
    write_library(root, {"forces.yaml": brief, "reading.yaml": READING}, SOURCES)
    return load_library(root)


def _claim(library: Library, key: str) -> tuple[Brief, Claim]:
    brief = next(b for b in library.briefs if b.path == "briefs/forces.yaml")
    claim = brief.claim(key)
    assert claim is not None
    return brief, claim


def test_stems_meet_across_forms_and_spellings() -> None:
    assert stem("trade") == stem("trading") == stem("traded") == stem("trades")
    assert stem("tariff") == stem("tariffs")
    assert stem("defence") == stem("defense")
    assert stem("investment") == stem("investments") == stem("invest")
    assert stem("planned") == stem("plan")
    assert stem("us") == "us"


def test_terms_leave_out_stop_words_letters_and_zeros() -> None:
    assert [term for term, _ in terms("The U.S. and a 54,000 000 Tariffs")] == ["54", "tariff"]


def test_a_differing_count_is_a_possible_conflict(tmp_path: Path) -> None:
    library = _library(tmp_path)
    brief, claim = _claim(library, "troops")
    found = suggest_for_claim(library, brief, claim)
    first = found[0]
    assert first.quote.startswith("Roughly 55,000 personnel are stationed in Japan")
    assert first.source_key == "post" and first.declared
    assert first.stance is SuggestedStance.CONFLICTS
    assert "possible conflict: roughly 55,000 personnel vs about 54,000 U.S. troops" in (
        first.reasons
    )
    assert first.reasons[0].startswith("shares ")
    assert "stance: context" in first.yaml()
    assert "possible conflict" in first.note and first.note.startswith(NOTE_PREFIX)


def test_a_sentence_a_passage_quotes_is_never_suggested(tmp_path: Path) -> None:
    library = _library(tmp_path)
    brief, claim = _claim(library, "tariffs")
    found = suggest_for_claim(library, brief, claim, limit=10)
    quotes = [s.quote for s in found]
    assert not any("54,000" in q or "Tariffs on steel imports" in q for q in quotes)
    # The repeated sentence is suggested once, at its first place, with context to choose it.
    repeated = [s for s in found if s.quote.startswith("Both sides agreed")]
    assert len(repeated) == 1
    assert repeated[0].span.start == WIRE.split("---\n", 2)[2].index("Both sides agreed")
    assert repeated[0].prefix or repeated[0].suffix


def test_other_sources_only_with_all_sources(tmp_path: Path) -> None:
    library = _library(tmp_path)
    brief, claim = _claim(library, "tariffs")
    paths = {s.source_path for s in suggest_for_claim(library, brief, claim, limit=10)}
    assert "seeds/other.txt" not in paths
    wider = suggest_for_claim(library, brief, claim, limit=10, all_sources=True)
    outside = [s for s in wider if s.source_path == "seeds/other.txt"]
    assert outside and not outside[0].declared
    assert outside[0].source_key == "other"
    assert outside[0].source_entry() == "  other: 'seeds/other.txt'\n"


def test_the_limit_is_kept(tmp_path: Path) -> None:
    library = _library(tmp_path)
    brief, claim = _claim(library, "tariffs")
    assert len(suggest_for_claim(library, brief, claim, limit=1)) == 1


def _paste(brief: str, claim_key: str, suggestion: Suggestion) -> str:
    """The brief with the suggestion's passage added to the claim (and its source, if new)."""
    lines = brief.splitlines(keepends=True)
    start = next(n for n, line in enumerate(lines) if line.strip() == f"- id: {claim_key}")
    end = next(
        (n for n in range(start + 1, len(lines)) if lines[n].startswith("  - id:")), len(lines)
    )
    lines[end:end] = [suggestion.yaml()]
    if not suggestion.declared:
        lines.insert(lines.index("sources:\n") + 1, suggestion.source_entry())
    return "".join(lines)


def _round_trip(root: Path, brief: str, claim_key: str, suggestion: Suggestion) -> None:
    """Pasted into the brief, the suggestion anchors exactly at its own span, with no warning."""
    pasted = _paste(brief, claim_key, suggestion)
    (root / "briefs" / "forces.yaml").write_text(pasted, encoding="utf-8")
    library = load_library(root)
    assert [d.format() for d in library.diagnostics] == []
    _, claim = _claim(library, claim_key)
    added = claim.passages[-1]
    assert added.quote == suggestion.quote
    assert added.anchor.status is AnchorStatus.EXACT
    assert added.span == suggestion.span
    assert added.note == suggestion.note


def test_every_suggestion_pasted_anchors_exactly(tmp_path: Path) -> None:
    library = _library(tmp_path)
    for key in ("troops", "tariffs"):
        brief, claim = _claim(library, key)
        for suggestion in suggest_for_claim(library, brief, claim, limit=10, all_sources=True):
            _round_trip(tmp_path, BRIEF, key, suggestion)


def test_the_second_of_two_equal_sentences_anchors_at_its_own_place(tmp_path: Path) -> None:
    # The first copy is quoted, so the second is the one suggested; alone, its quote would
    # anchor at the first copy.
    brief = BRIEF.replace(
        "        quote: Tariffs on steel imports were discussed\n",
        "        quote: Tariffs on steel imports were discussed\n"
        "      - source: wire\n        quote: Both sides agreed to review the tariff schedule\n"
        "        suffix: ' for steel.\n\n    The talks'\n",
    )
    text = WIRE.split("---\n", 2)[2]
    second = text.rindex("Both sides agreed")
    library = _library(tmp_path, brief)
    assert not library.diagnostics
    found_brief, claim = _claim(library, "tariffs")
    found = suggest_for_claim(library, found_brief, claim, limit=10)
    copy = next(s for s in found if s.quote.startswith("Both sides agreed"))
    assert copy.span.start == second
    anchor = SourceMatcher(text).anchor(copy.quote, copy.prefix, copy.suffix)
    assert anchor.status is AnchorStatus.EXACT and anchor.span == copy.span
    _round_trip(tmp_path, brief, "tariffs", copy)


def test_the_index_keeps_unchanged_sources_across_a_reload(tmp_path: Path) -> None:
    library = _library(tmp_path)
    first = suggestion_index(library)
    assert suggestion_index(library) is first
    wire = library.sources["seeds/wire.txt"]
    indexed = first.source(wire)
    reloaded = Library(library.root, library.briefs, dict(library.sources))
    again = SuggestionIndex(reloaded, reuse=first)
    assert again.source(wire) is indexed
    changed = Library(library.root, library.briefs, {})
    assert SuggestionIndex(changed, reuse=first).source(wire) is not indexed


def test_a_claim_sharing_nothing_gets_nothing(tmp_path: Path) -> None:
    brief = BRIEF.replace(
        "text: The trade ministers discussed steel tariffs and the tariff schedule.",
        "text: Zebras graze quietly.",
    ).replace("quote: Tariffs on steel imports were discussed", "quote: The weather in Washington")
    library = _library(tmp_path, brief)
    found_brief, claim = _claim(library, "tariffs")
    assert suggest_for_claim(library, found_brief, claim) == []


@given(st.text(max_size=60))
@example("a\u2028b\u2029c\x85d")  # line breaks to YAML, though not to str.splitlines alone
def test_yaml_scalars_read_back_as_written(text: str) -> None:
    scalar = yaml_scalar(text)
    assert parse_yaml(f"value: {scalar}\n")["value"] == text
    assert yaml.safe_load(f"value: {scalar}\n")["value"] == text


@given(st.text(min_size=1, max_size=20))
@example("\u2028")
def test_yaml_keys_read_back_as_written(key: str) -> None:
    assert str(parse_yaml(f"{yaml_key(key)}: x\n").popitem()[0]) == key


@pytest.mark.parametrize(
    ("key", "written"),
    [("gmi", "gmi"), ("000-9a", "000-9a"), ("yes", "'yes'"), ("0x1", "'0x1'"), ("2024", "'2024'")],
)
def test_plain_keys_stay_plain(key: str, written: str) -> None:
    assert yaml_key(key) == written


def test_the_snippet_has_the_readme_layout(tmp_path: Path) -> None:
    library = _library(tmp_path)
    brief, claim = _claim(library, "troops")
    note = (
        'suggested by briefing suggest: shares "stationed", "japan"; '
        "possible conflict: roughly 55,000 personnel vs about 54,000 U.S. troops"
    )
    assert suggest_for_claim(library, brief, claim)[0].yaml() == (
        "      - source: post\n"
        "        quote: 'Roughly 55,000 personnel are stationed in Japan, according to the"
        " Pentagon.'\n"
        "        stance: context\n"
        f"        note: '{note}'\n"
    )
