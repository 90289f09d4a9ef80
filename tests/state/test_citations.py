"""Citations and YAML passages: what `y` and `Y` copy, and that a pasted passage anchors exactly."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import yaml
from builders import Quote, claim, named, source, write_library

from briefing_tui.cli import main
from briefing_tui.core.citations import citation, span_citation, yaml_passage
from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import AnchorStatus, Brief, Span, Stance

WIRE = source(
    "sources/wire.txt",
    "The leaders met on Friday.\nThey agreed\non tariffs.\n",
    outlet="Example Wire",
    title="Leaders meet",
    published="2025-02-07",
)
UNTITLED = source("sources/notes/untitled.md", "Only text here.\n")
TITLED = source("sources/titled.txt", "A titled source.\n", title="A title \x1b[31m")


def brief_of(*quotes: Quote) -> Brief:
    return Brief(
        0,
        "briefs/x.yaml",
        "X",
        tuple({q.source.key: q.source for q in quotes}.values()),
        (claim(0, "A claim.", *quotes, id="c"),),
    )


def test_a_citation_gives_the_quote_outlet_title_date_and_file_line() -> None:
    wire = named("w", WIRE)
    brief = brief_of(Quote(wire, "They agreed\non tariffs."))
    assert citation(brief, brief.claims[0].passages[0]) == (
        "“They agreed on tariffs.”\n— Example Wire, “Leaders meet”, 2025-02-07, sources/wire.txt:2"
    )


def test_a_citation_names_the_title_or_the_file_never_the_briefs_key_alone() -> None:
    titled, untitled = named("private-key", TITLED), named("another-key", UNTITLED)
    brief = brief_of(Quote(titled, "A titled source."), Quote(untitled, "Only text here."))
    first, second = brief.claims[0].passages
    assert citation(brief, first) == "“A titled source.”\n— A title ␛, sources/titled.txt:1"
    assert (
        citation(brief, second) == "“Only text here.”\n— untitled.md, sources/notes/untitled.md:1"
    )
    assert "key" not in citation(brief, first) + citation(brief, second)


def test_a_citation_of_an_orphaned_quote_says_it_was_not_found() -> None:
    brief = brief_of(Quote(named("w", WIRE), "Not in the \x1b]0;text\x07"))
    assert citation(brief, brief.claims[0].passages[0]) == (
        "“Not in the ␛”\n— Example Wire, “Leaders meet”, 2025-02-07, "
        "sources/wire.txt (the quote was not found in this source)"
    )


def test_a_citation_of_any_span_of_a_source() -> None:
    wire = named("w", WIRE)
    assert span_citation(wire, Span(4, 11)) == (
        "“leaders”\n— Example Wire, “Leaders meet”, 2025-02-07, sources/wire.txt:1"
    )


def test_a_yaml_passage_is_one_list_item_with_source_quote_stance_and_note() -> None:
    wire = named("w", WIRE)
    brief = brief_of(Quote(wire, "The leaders"))
    text = yaml_passage(brief, "w", Span(0, 26), Stance.CONFLICTS, note="says Friday")
    assert yaml.safe_load(text) == [
        {
            "source": "w",
            "quote": "The leaders met on Friday.",
            "stance": "conflicts",
            "note": "says Friday",
        }
    ]
    assert text.startswith("      - source: w\n")  # at the README's indentation
    assert "prefix" not in text and "suffix" not in text  # the quote occurs once


def test_a_yaml_passage_leaves_out_white_space_at_the_ends_of_the_span() -> None:
    brief = brief_of(Quote(named("w", WIRE), "The leaders"))
    (entry,) = yaml.safe_load(yaml_passage(brief, "w", Span(26, 39), "context"))
    assert entry == {"source": "w", "quote": "They agreed", "stance": "context"}


@pytest.mark.parametrize(
    ("key", "span", "stance", "message"),
    [
        ("nope", Span(0, 3), "supports", "no source 'nope'"),
        ("w", Span(0, 999), "supports", "outside the source's text"),
        ("w", Span(5, 2), "supports", "outside the source's text"),
        ("w", Span(26, 27), "supports", "no text to quote"),
        ("w", Span(0, 3), "agrees", "not a valid Stance"),
    ],
)
def test_a_yaml_passage_refuses_what_cannot_be_quoted(
    key: str, span: Span, stance: str, message: str
) -> None:
    brief = brief_of(Quote(named("w", WIRE), "The leaders"))
    with pytest.raises(ValueError, match=message):
        yaml_passage(brief, key, span, stance)


# Round trips through `briefing check`: pasted into a brief, every passage anchors exactly.

HARD_SOURCE = (
    "---\ntitle: A hard source\noutlet: Wire\n---\n"
    "The talks lasted two hours. The talks lasted two hours.\n"
    'He said: "yes" — #1 - it\'s done & {done}.\n'
    "A quote that crosses\r\na line break, and ends here.\n"
    "\tTabbed line with a colon: here\n"
    "Escape \x1b[31mred\x1b[0m text, zero\u200bwidth, NUL \x00 and bell \x07 here.\n"
    "- leading dash line\n"
    "ha ha ha ha ha ha\n"
    "'single' and \"double\" quotes, and a trailing space \n"
    "The talks lasted two hours.\n"
)
BRIEF = """\
title: Round trip
sources:
  wire: seeds/hard.txt
claims:
  - id: copied
    text: Everything copied from the reader.
    passages:
{passages}
"""


def occurrences(text: str, quote: str) -> list[Span]:
    spans, start = [], text.find(quote)
    while start >= 0:
        spans.append(Span(start, start + len(quote)))
        start = text.find(quote, start + 1)
    return spans


def stripped(text: str, span: Span) -> Span:
    """The span without the white space at its ends, as the loader strips a quote."""
    quote = text[span.start : span.end]
    start = span.start + len(quote) - len(quote.lstrip())
    return Span(start, start + len(quote.strip()))


def test_pasted_yaml_passages_anchor_exactly_where_they_were_copied(tmp_path: Path) -> None:
    root = write_library(tmp_path / "lib", {}, {"seeds/hard.txt": HARD_SOURCE})
    (root / "briefs" / "x.yaml").write_text(
        BRIEF.format(passages="      - source: wire\n        quote: The talks"), encoding="utf-8"
    )
    brief = load_library(root).briefs[0]
    text = brief.sources[0].source.text
    assert "\u241bred\u241b text, zerowidth, NUL \u2400 and bell \u2407" in text  # sanitised
    wanted = [
        *occurrences(text, "The talks lasted two hours."),  # three times
        *occurrences(text, "ha ha")[1:4],  # overlapping repeats
        occurrences(text, "crosses\na line break")[0],
        occurrences(text, "\u241bred\u241b text, zerowidth, NUL \u2400 and bell \u2407")[0],
        occurrences(text, 'He said: "yes" — #1 - it\'s done & {done}.')[0],
        occurrences(text, "\tTabbed line with a colon: here")[0],
        occurrences(text, "- leading dash line")[0],
        occurrences(text, "'single' and \"double\" quotes, and a trailing space \n")[0],
    ]
    assert len(wanted) == 12
    snippets = [yaml_passage(brief, "wire", span, note="n: #1") for span in wanted]
    passages = "".join(textwrap.indent(s, " " * 6) for s in snippets)
    (root / "briefs" / "x.yaml").write_text(BRIEF.format(passages=passages), encoding="utf-8")

    assert main(["check", str(root), "--strict"]) == 0
    (claimed,) = load_library(root).briefs[0].claims
    assert [p.anchor.status for p in claimed.passages] == [AnchorStatus.EXACT] * len(wanted)
    assert [p.span for p in claimed.passages] == [stripped(text, span) for span in wanted]
    assert {p.note for p in claimed.passages} == {"n: #1"}


def test_a_quote_no_context_can_single_out_gets_the_widest_context_tried() -> None:
    periodic = named("p", source("sources/p.txt", "tick tock " * 200))
    brief = brief_of(Quote(periodic, "tick"))
    start = len("tick tock ") * 100
    (entry,) = yaml.safe_load(yaml_passage(brief, "p", Span(start, start + 4)))
    assert entry["quote"] == "tick"
    assert len(entry["prefix"]) > 384 and len(entry["suffix"]) > 384


def test_a_matcher_given_is_reused_and_gives_the_same_passage() -> None:
    wire = named("w", source("sources/r.txt", "Same line.\nSame line.\nOther.\n"))
    brief = brief_of(Quote(wire, "Same line."))
    matcher = SourceMatcher(wire.source.text)
    span = Span(11, 21)
    assert yaml_passage(brief, "w", span, matcher=matcher) == yaml_passage(brief, "w", span)
    assert yaml.safe_load(yaml_passage(brief, "w", span))[0]["prefix"] == "Same line.\n"
