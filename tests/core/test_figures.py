"""Figures in text: formats, normalised values, qualifiers, non-figures, and comparison."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_tui.core import figures as figures_module
from briefing_tui.core.figures import (
    Figure,
    FigureKind,
    compare_figures,
    consistent,
    extract_figures,
    sentence_around,
)
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Span
from tests.core.conftest import LibraryMaker


def only(text: str) -> Figure:
    """The one figure in text."""
    figures = extract_figures(text)
    assert len(figures) == 1, figures
    return figures[0]


@pytest.mark.parametrize(
    ("text", "written", "kind", "value", "unit", "qualifier"),
    [
        ("54,000", "54,000", FigureKind.COUNT, 54000, None, None),
        ("over 55,000", "55,000", FigureKind.COUNT, 55000, None, "over"),
        ("$1 trillion", "$1 trillion", FigureKind.MONEY, 1e12, "USD", None),
        ("$95.2 billion", "$95.2 billion", FigureKind.MONEY, 95.2e9, "USD", None),
        ("31%", "31%", FigureKind.PERCENT, 31, "%", None),
        ("2.1%", "2.1%", FigureKind.PERCENT, 2.1, "%", None),
        ("$2.1 trillion", "$2.1 trillion", FigureKind.MONEY, 2.1e12, "USD", None),
        ("1.5 million", "1.5 million", FigureKind.COUNT, 1.5e6, None, None),
        ("850,000", "850,000", FigureKind.COUNT, 850000, None, None),
        ("110 minutes", "110 minutes", FigureKind.DURATION, 110, "minutes", None),
        ("11:55 a.m.", "11:55 a.m.", FigureKind.TIME, "11:55", None, None),
        ("February 7, 2025", "February 7, 2025", FigureKind.DATE, "2025-02-07", None, None),
        (
            "6-8 February, 2025",
            "6-8 February, 2025",
            FigureKind.DATE_RANGE,
            ("2025-02-06", "2025-02-08"),
            None,
            None,
        ),
        ("2023-24", "2023-24", FigureKind.YEAR_RANGE, ("2023", "2024"), None, None),
        ("over 170 times", "170 times", FigureKind.COUNT, 170, "times", "over"),
        # Beyond the list: other spellings of the same kinds.
        ("54 000", "54 000", FigureKind.COUNT, 54000, None, None),
        ("54\u202f000", "54\u202f000", FigureKind.COUNT, 54000, None, None),
        ("US$5bn", "US$5bn", FigureKind.MONEY, 5e9, "USD", None),
        ("¥1.5 trillion", "¥1.5 trillion", FigureKind.MONEY, 1.5e12, "JPY", None),
        ("20 billion dollars", "20 billion dollars", FigureKind.MONEY, 20e9, "USD", None),
        ("3 million yen", "3 million yen", FigureKind.MONEY, 3e6, "JPY", None),
        ("$1 Trillion Investment", "$1 Trillion", FigureKind.MONEY, 1e12, "USD", None),
        ("12 percent", "12 percent", FigureKind.PERCENT, 12, "%", None),
        ("2 percentage points", "2 percentage points", FigureKind.PERCENT, 2, "pp", None),
        ("a 5-year plan", "5-year", FigureKind.DURATION, 5, "years", None),
        ("3 p.m.", "3 p.m.", FigureKind.TIME, "15:00", None, None),
        ("12:30 a.m.", "12:30 a.m.", FigureKind.TIME, "00:30", None, None),
        ("7 February 2025", "7 February 2025", FigureKind.DATE, "2025-02-07", None, None),
        ("Feb. 7, 2025", "Feb. 7, 2025", FigureKind.DATE, "2025-02-07", None, None),
        ("2025-02-07", "2025-02-07", FigureKind.DATE, "2025-02-07", None, None),
        ("February 2025", "February 2025", FigureKind.DATE, "2025-02", None, None),
        ("on February 8,", "February 8", FigureKind.DATE, "--02-08", None, None),
        (
            "February 6-8, 2025",
            "February 6-8, 2025",
            FigureKind.DATE_RANGE,
            ("2025-02-06", "2025-02-08"),
            None,
            None,
        ),
        ("2025-2030", "2025-2030", FigureKind.YEAR_RANGE, ("2025", "2030"), None, None),
        ("In 2023, vessels", "2023", FigureKind.YEAR, "2023", None, None),
    ],
)
def test_formats_are_normalised_to_a_value_and_unit(
    text: str,
    written: str,
    kind: FigureKind,
    value: object,
    unit: str | None,
    qualifier: str | None,
) -> None:
    figure = only(text)
    assert (figure.text, figure.kind, figure.value, figure.unit, figure.qualifier) == (
        written,
        kind,
        value,
        unit,
        qualifier,
    )
    assert text[figure.span.start : figure.span.end] == written


def test_a_percent_change_and_its_base_year_are_two_figures() -> None:
    percent, year = extract_figures("an 8.2% increase from 2024")
    assert (percent.kind, percent.value, percent.unit) == (FigureKind.PERCENT, 8.2, "%")
    assert (year.kind, year.value) == (FigureKind.YEAR, "2024")


def test_equal_numbers_written_differently_are_equal() -> None:
    assert only("54,000").value == only("54 000").value == only("54\u00a0000").value
    assert only("$95.2 billion").value == 95_200_000_000


@pytest.mark.parametrize(
    "text",
    [
        "Crew-10",
        "F-35",
        "G7",
        "Article 5",
        "the F-35A",
        "a 5G network",
        "No. 4",
        "the 1990s",
        "version 1.5.2",
        "Resolution 2231",
        "page 12",
        "#3",
        "the 2nd round",
        "2025-02",
    ],
)
def test_identifiers_and_labels_are_not_figures(text: str) -> None:
    assert extract_figures(text) == ()


def test_a_negative_number_is_skipped_rather_than_read_without_its_sign() -> None:
    assert extract_figures("growth of -0.3% and (-5 jobs)") == ()
    assert extract_figures("-5%") == ()


def test_invalid_dates_and_times_are_not_figures() -> None:
    assert extract_figures("February 30, 2025") == ()
    assert extract_figures("25:10") == ()
    assert extract_figures("13 p.m.") == ()


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("approximately 54,000 troops in Japan", "people"),
        ("over 55,000 U.S. personnel", "people"),
        ("850,000 American jobs", "jobs"),
        ("1.5 million new jobs", "jobs"),
        ("over 170 times", "times"),
        ("170 vessels entered", "vessel"),
        ("3 additional naval assets", "asset"),
        ("54,000 in Japan", None),
        ("54,000.", None),
    ],
)
def test_a_count_is_of_the_noun_that_follows(text: str, unit: str | None) -> None:
    assert only(text).unit == unit


def test_troops_and_personnel_compare_as_people_but_not_with_jobs() -> None:
    troops, personnel, jobs = (only(t) for t in ("54,000 troops", "55,000 personnel", "5 jobs"))
    assert troops.dimension == personnel.dimension == "count of people"
    assert jobs.dimension == "count of jobs"
    assert only("54,000").dimension is None  # counting nothing named: compared with nothing


@pytest.mark.parametrize(
    ("text", "qualifier"),
    [
        ("command over 55,000 U.S. personnel", None),
        ("control over 300 islands", None),
        ("it has over 55,000 U.S. personnel", "over"),
        ("Over 55,000 personnel", "over"),
        ("more than 170 times", "more than"),
        ("approximately 54,000 troops", "approximately"),
        ("about $5 billion", "about"),
        ("nearly 40%", "nearly"),
        ("up to 20 days", "up to"),
        ("now exceeding $95.2 billion", "exceeding"),
        ("a span of 110 minutes", None),
    ],
)
def test_qualifiers_are_kept_apart_and_over_after_command_is_a_preposition(
    text: str, qualifier: str | None
) -> None:
    figure = only(text)
    assert figure.qualifier == qualifier
    assert qualifier is None or qualifier not in figure.text.lower()


def test_shown_puts_the_qualifier_back() -> None:
    assert only("approximately 54,000 troops").shown == "approximately 54,000 troops"


def test_bounds_and_ranges_decide_what_is_consistent() -> None:
    def pair(a: str, b: str) -> bool:
        return consistent(only(a), only(b))

    assert pair("February 7, 2025", "6-8 February, 2025")
    assert not pair("February 9, 2025", "6-8 February, 2025")
    assert pair("February 7, 2025", "February 2025")
    assert pair("in 2023", "2023-24") and pair("in 2024", "2023-24")
    assert not pair("in 2025", "2023-24")
    assert pair("over 850,000 jobs", "900,000 jobs")
    assert not pair("over 850,000 jobs", "over 1.5 million jobs")  # two different figures
    assert not pair("approximately 54,000 troops", "over 55,000 personnel")
    assert pair("nearly 55,000 troops", "54,000 troops")
    assert pair("2 hours", "120 minutes")
    assert not pair("$23 billion", "$95.2 billion")
    assert only("over 5 jobs").interval == (5, math.inf)


def test_the_sentence_around_a_span_skips_abbreviations_and_stops_at_line_ends() -> None:
    text = "First line.\nThe U.S. maintains 54,000 troops at 11:55 a.m. local time. Next one."
    start = text.index("54,000")
    sentence = sentence_around(text, Span(start, start + 6))
    assert text[sentence.start : sentence.end] == (
        "The U.S. maintains 54,000 troops at 11:55 a.m. local time."
    )
    quote = text.index("The U.S.")
    whole = Span(quote, text.index(" Next"))  # a quote that ends with its sentence
    assert sentence_around(text, whole) == whole


def test_the_sentence_is_bounded() -> None:
    text = "word " * 1000 + "54,000 troops " + "word " * 1000
    start = text.index("54,000")
    sentence = sentence_around(text, Span(start, start + 6), limit=100)
    assert sentence.end - sentence.start <= 6 + 200
    assert text[sentence.start] != " " and text[sentence.end - 1] != "w"


# Texts made of pieces of figures, so the property runs through every kind of match.
FIGURE_TEXT = st.lists(
    st.sampled_from(
        list("0123456789,. -–:$%¥€\n\u00a0\u202f")
        + [
            "over ",
            "approximately ",
            "command ",
            "billion",
            "million",
            " troops",
            " jobs",
            "February ",
            "Feb. ",
            " 2025",
            "a.m.",
            " p.m.",
            "minutes",
            "percent",
            "Article ",
            "F-",
            "U.S. ",
            "yen",
            "dollars",
            "st",
            "th",
            "to",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(FIGURE_TEXT, st.integers(0, 200), st.integers(0, 200))
def test_extraction_never_raises_and_spans_slice_back(text: str, a: int, b: int) -> None:
    start, end = sorted((min(a, len(text)), min(b, len(text))))
    for figure in extract_figures(text, start, end):
        assert start <= figure.span.start < figure.span.end <= end
        assert text[figure.span.start : figure.span.end] == figure.text
        assert figure.dimension is None or figure.interval[0] <= figure.interval[1]


@settings(max_examples=300, deadline=None)
@given(FIGURE_TEXT)
def test_trying_only_where_figures_start_finds_what_a_full_scan_finds(text: str) -> None:
    pattern, figure_of = figures_module._FIGURE, figures_module._figure  # the full scan
    scanned = (figure_of(text, m, len(text)) for m in pattern.finditer(text))
    assert extract_figures(text) == tuple(f for f in scanned if f is not None)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_extraction_never_raises_on_any_text(text: str) -> None:
    for figure in extract_figures(text):
        assert text[figure.span.start : figure.span.end] == figure.text
        figure.interval  # noqa: B018  (computing it must not raise either)


# Comparison across sources

WIRE = "The U.S. keeps approximately 54,000 troops in Japan. The talks began on May 5, 2025.\n"
POST = "Officials said 55,000 personnel serve there.\nThe visit ran 4-6 May, 2025.\n"
BRIEF = """\
title: Forces
sources:
  wire: seeds/wire.txt
  post: seeds/post.md
  again: seeds/wire.txt
claims:
  - id: troops
    text: About 54,000 troops are in Japan.
    passages:
      - source: wire
        quote: approximately 54,000 troops
      - source: post
        quote: 55,000 personnel
        stance: conflicts
      - source: again
        quote: The U.S. keeps
      - source: post
        quote: a quote that is nowhere
  - text: The talks began on May 5.
    passages:
      - source: wire
        quote: The talks began
      - source: post
        quote: The visit ran
        stance: context
"""


def test_claims_get_each_sources_figures_and_their_differences(
    make_library: LibraryMaker,
) -> None:
    root = make_library({"forces.yaml": BRIEF}, {"seeds/wire.txt": WIRE, "seeds/post.md": POST})
    comparison = compare_figures(load_library(root))
    troops, talks = comparison.claims
    assert (troops.claim.claim_index, troops.claim.claim_id) == (0, "troops")
    assert [(f.source_path, f.figure.shown, f.in_passage) for f in troops.figures] == [
        ("seeds/wire.txt", "approximately 54,000 troops", True),
        ("seeds/post.md", "55,000 personnel", True),
    ]
    (difference,) = troops.differences
    assert (difference.first.source_key, difference.second.source_key) == ("wire", "post")
    assert difference.second.line == 1 and difference.second.passage_index == 1
    # The date falls within the other source's range, and both come from beside the quotes.
    assert talks.differences == ()
    assert [f.in_passage for f in talks.figures] == [False, False]
    assert talks.claim.claim_id is None and talks.claim.claim_index == 1
    assert comparison.differences == (difference,)


def test_one_source_never_differs_from_itself(make_library: LibraryMaker) -> None:
    text = "It has 54,000 troops. Later it says 55,000 troops.\n"
    brief = BRIEF.replace("seeds/post.md", "seeds/wire.txt").replace(
        "55,000 personnel", "55,000 troops"
    )
    root = make_library({"forces.yaml": brief}, {"seeds/wire.txt": text})
    claims = compare_figures(load_library(root)).claims
    assert all(claim.differences == () for claim in claims)


def test_the_bundled_library_shows_the_troop_and_budget_differences() -> None:
    library = load_library()
    pairs = {
        (d.first.figure.dimension, frozenset((d.first.figure.value, d.second.figure.value)))
        for d in compare_figures(library).differences
    }
    assert ("count of people", frozenset((54000, 55000))) in pairs
    assert ("money in USD", frozenset((23e9, 95.2e9))) in pairs


def test_the_bundled_seeds_give_the_meeting_and_visit_dates() -> None:
    library = load_library()
    values = {
        figure.value
        for source in library.sources.values()
        for figure in extract_figures(source.text)
    }
    assert "2025-02-07" in values and "2025-02-08" in values
    assert ("2025-02-06", "2025-02-08") in values
    assert 850000 in values and 1.5e6 in values


def test_the_figures_of_a_whole_seed_come_out_in_text_order() -> None:
    text = (Path(__file__).resolve().parents[2] / "seeds" / "000_9292bdf23f8d844a.txt").read_text()
    figures = extract_figures(text)
    assert [f.span.start for f in figures] == sorted(f.span.start for f in figures)
    assert "F-35" not in {f.text for f in figures}
