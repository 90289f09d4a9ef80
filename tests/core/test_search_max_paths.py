"""The search's level-by-level paths give what looking at every unit gives."""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from typing import cast

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.search import index as index_module
from briefing_tui.core.search import matching
from briefing_tui.core.search.index import SearchHit, SearchIndex
from briefing_tui.core.search.matching import (
    EXACT_WORD,
    PARTIAL_WORD,
    PREFIX_WORD,
    TIERS,
    Grouped,
    Tiers,
    term_holds,
)
from briefing_tui.core.search.query import Atom, Filter, Term, TermKind, parse_query

BUNDLED = SearchIndex.build(load_library())
END = len(BUNDLED)  # unit numbers the searches below may be given
UNITS = st.integers(min_value=0, max_value=END - 1)
SORTED = st.lists(UNITS, max_size=60).map(lambda units: array("i", sorted(set(units))))
TIERED = st.dictionaries(st.sampled_from(TIERS), st.lists(SORTED, max_size=5), max_size=4)


def tiers_of(parts: dict[int, list[array[int]]]) -> Tiers:
    """Tiers of some sorted lists."""
    return Tiers({tier: [*lists] for tier, lists in parts.items()})


def at(parts: dict[int, list[array[int]]], tier: int) -> set[int]:
    """The units of the lists at exactly one tier."""
    return set().union(*parts.get(tier, ()))


@settings(max_examples=300)
@given(
    TIERED,
    st.lists(st.sets(UNITS, max_size=150), min_size=1, max_size=8),
    st.sampled_from([1, 30]),
    st.sampled_from([0, 2]),
)
def test_units_among_some_are_the_tiers_own_however_often_asked(
    parts: dict[int, list[array[int]]], asked: list[set[int]], search_cost: int, build_cost: int
) -> None:
    # Costs that make the lists searched, run through, or their set built, and asked again
    # until what was spent builds the set.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(matching, "SEARCH_COST", search_cost)
        patch.setattr(matching, "BUILD_COST", build_cost)
        tiers = tiers_of(parts)
        for times, within in enumerate(asked):
            if times == 2:
                tiers.at_least(PARTIAL_WORD)  # later asks from the tiers' own sets
            for tier in TIERS:
                better = set().union(*(at(parts, t) for t in TIERS if t >= tier))
                assert tiers.units_among(tier, within) == at(parts, tier) & within
                assert tiers.at_least_among(tier, within) == better & within
                assert tiers.restricted(within).units(tier) == at(parts, tier) & within


@given(st.lists(st.integers(min_value=0, max_value=9), min_size=1, max_size=300), st.data())
def test_units_of_groups_among_some_looked_up_or_from_the_set(
    groups_of_units: list[int], data: st.DataObject
) -> None:
    units = st.integers(min_value=0, max_value=len(groups_of_units) - 1)
    chosen = data.draw(st.sets(st.integers(min_value=0, max_value=9)))
    members: list[Sequence[int]] = [
        array("i", (n for n, g in enumerate(groups_of_units) if g == group))
        for group in sorted(chosen)
    ]
    grouped = Grouped(members, array("i", groups_of_units), chosen)
    for within in data.draw(st.lists(st.sets(units), min_size=1, max_size=3)):
        expected = {n for n in within if groups_of_units[n] in chosen}
        assert grouped.units_among(EXACT_WORD, within) == expected
        assert grouped.at_least_among(PARTIAL_WORD, within) == expected
        assert grouped.units_among(PARTIAL_WORD, within) == set()


@given(
    st.lists(st.dictionaries(UNITS, st.integers(min_value=0, max_value=15)), max_size=6),
    st.integers(min_value=1, max_value=20),
)
def test_the_best_kept_are_the_best_of_all_offered(
    offers: list[dict[int, int]], limit: int
) -> None:
    top = index_module._Top(limit, END)
    offered: dict[int, int] = {}
    for totals in offers:
        fresh = {n: total for n, total in totals.items() if n not in offered}  # once each
        top.offer(fresh)
        offered |= fresh
    assert top.best() == sorted(offered.items(), key=lambda item: (-item[1], item[0]))[:limit]


@given(
    st.dictionaries(UNITS, st.integers(min_value=0, max_value=15)),
    st.sets(UNITS),
    st.integers(min_value=0, max_value=15),
    st.integers(min_value=1, max_value=20),
)
def test_units_enter_while_the_most_they_could_score_beats_the_worst_kept(
    offered: dict[int, int], later: set[int], most: int, limit: int
) -> None:
    top = index_module._Top(limit, END)
    top.offer(offered)
    kept = top.best()
    units = sorted(later - set(offered))

    def may_enter(number: int) -> bool:
        if len(kept) < limit:
            return True
        worst_unit, worst_total = kept[-1]
        return (-most, number) < (-worst_total, worst_unit)

    assert top.entering(most, units) == [n for n in units if may_enter(n)]


def best_tier(parts: dict[int, list[array[int]]], number: int) -> int | None:
    """The best tier whose lists hold a unit, if any."""
    return max((t for t, lists in parts.items() if any(number in p for p in lists)), default=None)


# Few lists a tier, so that a tier's units are often one word's list.
FEW_LISTS = st.dictionaries(st.sampled_from(TIERS), st.lists(SORTED, max_size=2), max_size=4)
# Lists of the first few units, so that units are in several and tie.
FIRST = st.sets(st.integers(min_value=0, max_value=40)).map(lambda u: array("i", sorted(u)))
DENSE = st.dictionaries(st.sampled_from(TIERS), st.lists(FIRST, max_size=2), max_size=4)


@settings(max_examples=500)
@given(st.lists(FEW_LISTS, max_size=3), st.one_of(st.none(), st.sets(UNITS)), st.integers(1, 9))
def test_levels_give_each_unit_all_match_at_the_worst_tier_it_is_matched_at_in_order(
    every: list[dict[int, list[array[int]]]], among: set[int] | None, size: int
) -> None:
    if not every and among is None:
        every = [{}]  # the levels are given a set, or tiers, or both
    search = index_module._Search(BUNDLED, parse_query("x y"), 50)
    levels = list(search._levels([tiers_of(parts) for parts in every], among, size))
    expected = []
    for number in range(END):
        tiers = [best_tier(parts, number) for parts in every]
        if None not in tiers and (among is None or number in among):
            expected.append((min(cast(list[int], tiers), default=EXACT_WORD), number))
    expected.sort(key=lambda found: (-found[0], found[1]))
    assert [(tier, n) for tier, chunk in levels for n in chunk] == expected
    assert all(0 < len(chunk) <= size for _, chunk in levels)


@settings(max_examples=300)
@given(
    st.lists(DENSE, min_size=1, max_size=3),
    st.integers(min_value=1, max_value=20),
    st.integers(min_value=1, max_value=9),
    st.sampled_from(["x", "the leaders"]),
)
# At level 2, units 0-9 score 7 and 10-40 score 8: the first five kept score less than some
# after them could, which are not cut off.
@example(
    every=[
        {EXACT_WORD: [array("i", range(41))]},
        {EXACT_WORD: [array("i", range(10, 41))], PREFIX_WORD: [array("i", range(41))]},
        {PREFIX_WORD: [array("i", range(41))]},
    ],
    limit=5,
    size=9,
    query="x",
)
def test_the_best_of_the_levels_are_those_of_scoring_the_first_fine_limit_of_them(
    every: list[dict[int, list[array[int]]]], limit: int, size: int, query: str
) -> None:
    # A phrase (six of the first units hold "the leaders") gives its bonus; one word, none.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(index_module, "FINE_LIMIT", 25)
        search = index_module._Search(BUNDLED, parse_query(query), limit)
        ranked = [tiers_of(parts) for parts in every]
        best = search._best(search._levels(ranked, None, size), ranked)
        phrase = Term("the leaders", TermKind.EXACT) if search.phrase else None
        scored = []
        for _, chunk in search._levels([tiers_of(parts) for parts in every], None, size):
            for number in chunk:
                total = sum(cast(int, best_tier(parts, number)) for parts in every)
                if phrase is not None and term_holds(phrase, BUNDLED.units.folded(number)):
                    total += index_module.PHRASE_BONUS
                scored.append((number, total))
        scored = scored[: index_module.FINE_LIMIT]
        assert best == sorted(scored, key=lambda unit: (-unit[1], unit[0]))[:limit]


def atom_tier(search: index_module._Search, atom: Atom, number: int) -> int | None:
    """The tier a unit matches an atom at (as a positive atom), if it does."""
    if isinstance(atom, Filter):
        admitted = BUNDLED._filter_units(atom.field, atom.value).members()
        return EXACT_WORD if number in admitted else None
    if atom.kind is not TermKind.FUZZY or not re.search(r"\w", atom.text):
        return EXACT_WORD if term_holds(atom, BUNDLED.units.folded(number)) else None
    tiers = search._atom(atom, None)
    return max((t for t in TIERS if number in tiers.units(t)), default=None)


def group_tier(search: index_module._Search, group: tuple[Atom, ...], number: int) -> int:
    """The best tier a unit that satisfies a positive group matches one of its atoms at."""
    return max(t for atom in group if (t := atom_tier(search, atom, number)) is not None)


def satisfies(search: index_module._Search, group: tuple[Atom, ...], number: int) -> bool:
    """Whether a unit satisfies one of a group's atoms, negated ones by lacking them."""
    for atom in group:
        matched = atom_tier(search, atom if not atom.negated else plain(atom), number)
        if (matched is not None) != atom.negated:
            return True
    return False


def plain(atom: Atom) -> Atom:
    """An atom without its negation."""
    if isinstance(atom, Filter):
        return Filter(atom.field, atom.value)
    return Term(atom.text, atom.kind)


def looking_at_every_unit(text: str, limit: int) -> list[SearchHit]:
    """The hits as the query language defines them, from every unit: those satisfying every
    group; with several groups, the FINE_LIMIT whose worst ranked group matches best (then
    static order); ranked by their groups' tiers and the phrase, then static order."""
    query = parse_query(text)
    if query.is_empty:
        return []
    search = index_module._Search(BUNDLED, query, limit)
    positive = [g for g in query.groups if not any(a.negated for a in g)]
    alone = len(query.groups) == 1 and positive  # a group alone ranks, even a filter
    ranked = positive if alone else [g for g in positive if any(isinstance(a, Term) for a in g)]
    phrase = Term(search.phrase, TermKind.EXACT) if search.phrase else None
    found = []
    for number in range(END):
        if not all(satisfies(search, g, number) for g in query.groups):
            continue
        tiers = [group_tier(search, g, number) for g in ranked]
        total = sum(tiers)
        if phrase is not None and term_holds(phrase, BUNDLED.units.folded(number)):
            total += index_module.PHRASE_BONUS
        found.append((min(tiers, default=EXACT_WORD), total, number))
    found.sort(key=lambda unit: (-unit[0], unit[2]))
    if positive and not alone:
        found = found[: index_module.FINE_LIMIT]
    best = sorted(found, key=lambda unit: (-unit[1], unit[2]))[:limit]
    units = BUNDLED.units
    return [
        BUNDLED._hit(
            n,
            total + units.rank(n),
            search._matches(n, search.phrase) if positive else (),  # only negations: none
            search.briefs,
        )
        for _, total, n in best
    ]


WORDS = sorted({w for text in BUNDLED.unit_texts() for w in re.findall(r"\w+", text.lower())})
COMMON = ["the", "of", "to", "and", "a", "in", "japan", "trade", "u", "s"]
FILTERS = ["kind:claim", "kind:text", "source:gmi", "topic:meeting", "stance:supports"]
TERM = st.one_of(
    st.tuples(
        st.sampled_from(["", "", "", "'", "^", "!"]),
        st.sampled_from(WORDS) | st.sampled_from(COMMON),
        st.integers(1, 6),
        st.sampled_from(["", "", "", "$"]),
    ).map(lambda t: t[0] + (t[1][: t[2]] if t[0] in "'^!" else t[1]) + t[3]),
    st.sampled_from(FILTERS),
    st.sampled_from(FILTERS).map(lambda value: "!" + value),
    st.sampled_from(COMMON).map(lambda word: f'"{word} '),
)


# Words as they follow each other in the library, so that the phrase they make is found.
PAIRS = sorted(
    {
        (words[k], words[k + 1])
        for words in (re.findall(r"\w+", text.lower()) for text in BUNDLED.unit_texts())
        for k in range(len(words) - 1)
    }
)
PHRASE = st.tuples(st.sampled_from(PAIRS), st.integers(1, 6)).map(
    lambda found: [found[0][0], found[0][1][: found[1]]]
)
GROUPS = st.lists(st.lists(TERM, min_size=1, max_size=2).map(" | ".join), min_size=1, max_size=4)


@settings(max_examples=400, deadline=None)
# A common substring checked in order, with a filter and a term that must not hold.
@example(groups=["'th", "japan", "!kind:claim"], limit=20, batch=500, few=0, phrase_checks=0)
@example(groups=["'an", "japan", "!'the"], limit=5, batch=3, few=0, phrase_checks=0)
@given(
    st.one_of(GROUPS, PHRASE, st.tuples(PHRASE, GROUPS).map(lambda both: both[0] + both[1])),
    st.integers(min_value=1, max_value=60),
    st.sampled_from([1, 3, 500]),
    st.sampled_from([0, 10**9]),
    st.sampled_from([0, 10**9]),
)
def test_searches_give_the_hits_of_looking_at_every_unit(
    groups: list[str], limit: int, batch: int, few: int, phrase_checks: int
) -> None:
    query = " ".join(groups)
    with pytest.MonkeyPatch.context() as patch:
        # Thresholds a library of a few hundred units reaches, so that every way is taken:
        # levels with or without the candidates, chunks cut short, checks given up.
        patch.setattr(index_module, "FINE_LIMIT", 12)
        patch.setattr(index_module, "LEVEL_TRIES", 40)
        patch.setattr(index_module, "PROBE", 10)
        patch.setattr(index_module, "PROBE_FOUND", 3)
        patch.setattr(index_module, "CHECK_BATCH", batch)
        patch.setattr(index_module, "FEW_CANDIDATES", few)
        patch.setattr(index_module, "PHRASE_CHECKS", phrase_checks)
        BUNDLED.clear_cache()
        expected = looking_at_every_unit(query, limit)
        assert BUNDLED.search(query, limit) == expected
        # Typed again with what the first search cached (sets built, lists searched).
        assert BUNDLED.search(query, limit) == expected
