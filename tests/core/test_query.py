"""The search query language: operators, alternatives, filters and odd input."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.search.query import (
    MAX_ATOMS,
    Field,
    Filter,
    Query,
    Term,
    TermKind,
    lowercase,
    parse_query,
)


def single(text: str) -> Term | Filter:
    query = parse_query(text)
    assert len(query.groups) == 1 and len(query.groups[0]) == 1
    return query.groups[0][0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Senkaku", Term("senkaku")),
        ("'treaty", Term("treaty", TermKind.EXACT)),
        ("^the", Term("the", TermKind.PREFIX)),
        ("hours.$", Term("hours.", TermKind.SUFFIX)),
        ("^whole$", Term("whole", TermKind.WHOLE)),
        ("!china", Term("china", TermKind.EXACT, negated=True)),
        ("!'china", Term("china", TermKind.EXACT, negated=True)),
        ("!^the", Term("the", TermKind.PREFIX, negated=True)),
        ("!end$", Term("end", TermKind.SUFFIX, negated=True)),
        ('"talks lasted"', Term("talks lasted", TermKind.EXACT)),
        ('!"talks lasted"', Term("talks lasted", TermKind.EXACT, negated=True)),
    ],
)
def test_each_operator_parses_to_its_term(text: str, expected: Term) -> None:
    assert single(text) == expected


def test_space_separated_terms_are_anded_in_order() -> None:
    query = parse_query("  trade   deficit ")
    assert query.groups == ((Term("trade"),), (Term("deficit"),))


def test_bar_joins_adjacent_terms_into_alternatives() -> None:
    query = parse_query("japan tariff | trade | 'duty china")
    assert query.groups == (
        (Term("japan"),),
        (Term("tariff"), Term("trade"), Term("duty", TermKind.EXACT)),
        (Term("china"),),
    )


@pytest.mark.parametrize("text", ["| a", "a |", "a | | b", "|", "| | |"])
def test_stray_bars_are_ignored(text: str) -> None:
    terms = [atom.text for atom in parse_query(text).atoms if isinstance(atom, Term)]
    assert terms == [w for w in text.split() if w != "|"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("source:gmi", Filter(Field.SOURCE, "gmi")),
        ("topic:Senkaku", Filter(Field.TOPIC, "senkaku")),
        ("STANCE:conflicts", Filter(Field.STANCE, "conflicts")),
        ("kind:claim", Filter(Field.KIND, "claim")),
        ("!source:post", Filter(Field.SOURCE, "post", negated=True)),
        ('source:"GMI POST"', Filter(Field.SOURCE, "gmi post")),
        ('!Source:"Example Wire"', Filter(Field.SOURCE, "example wire", negated=True)),
        ('kind:"open ended', Filter(Field.KIND, "open ended")),
    ],
)
def test_filters_parse_with_their_field(text: str, expected: Filter) -> None:
    assert single(text) == expected


def test_a_quoted_filter_value_is_one_atom_among_others() -> None:
    query = parse_query('tariffs source:"GMI POST" trade')
    assert query.atoms == (Term("tariffs"), Filter(Field.SOURCE, "gmi post"), Term("trade"))


def test_a_line_break_in_a_query_is_a_space() -> None:
    assert single('"tamsin\nhaddad"') == Term("tamsin haddad", TermKind.EXACT)


def test_filters_can_be_alternatives() -> None:
    query = parse_query("source:wire | source:post")
    assert query.groups == ((Filter(Field.SOURCE, "wire"), Filter(Field.SOURCE, "post")),)


def test_unknown_field_is_an_ordinary_term() -> None:
    assert single("author:smith") == Term("author:smith")


@pytest.mark.parametrize("text", ["", "   ", "'", "^", "!", "!'", "source:", '"', '""'])
def test_operators_without_text_ask_for_nothing(text: str) -> None:
    assert parse_query(text).is_empty


def test_a_lone_dollar_is_literal_text() -> None:
    assert single("$") == Term("$")


def test_unbalanced_quote_runs_to_the_end() -> None:
    assert single('"talks lasted') == Term("talks lasted", TermKind.EXACT)


def test_control_characters_are_sanitised_like_source_text() -> None:
    term = single("a\x1b[31mb")
    assert isinstance(term, Term)
    assert "\x1b" not in term.text


def test_very_long_queries_are_bounded() -> None:
    query = parse_query("word " * 1000)
    assert len(query.atoms) == MAX_ATOMS


def test_fold_keeps_length_where_lower_would_not() -> None:
    text = "İstanbul ẞ Straße"
    assert len(lowercase(text)) == len(text)
    assert lowercase("Senkaku") == "senkaku"


@given(st.text())
def test_any_string_parses(text: str) -> None:
    query = parse_query(text)
    assert isinstance(query, Query)
    assert all(atom.text if isinstance(atom, Term) else atom.value for atom in query.atoms)
