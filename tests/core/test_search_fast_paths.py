"""The search's fast paths give what the straightforward computation gives."""

from __future__ import annotations

import heapq
import re
from array import array
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Stance
from briefing_tui.core.search import index as index_module
from briefing_tui.core.search.filters import Labels
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.core.search.matching import TIERS, Grouped, Tiers, first_units, smallest
from briefing_tui.core.search.query import Field
from briefing_tui.core.search.units import Group, HitKind

UNITS = st.integers(min_value=0, max_value=300)
SORTED = st.lists(UNITS, max_size=40).map(lambda units: array("i", sorted(set(units))))


@given(st.lists(SORTED, max_size=12), st.integers(min_value=1, max_value=60), st.sets(UNITS))
def test_smallest_units_of_sorted_lists(
    parts: list[array[int]], count: int, skip: set[int]
) -> None:
    every = sorted(set().union(*parts) - skip)
    assert smallest(parts, count, skip) == every[:count]


@given(st.sets(UNITS), st.integers(min_value=0, max_value=400))
def test_first_units_of_a_set_sparse_or_dense(units: set[int], count: int) -> None:
    assert first_units(units, count, 301) == sorted(units)[:count]


TIERED = st.dictionaries(st.sampled_from(TIERS), st.lists(SORTED, max_size=5), max_size=4)


@given(TIERED, st.sets(UNITS))
def test_tiers_restricted_again_hold_the_same_units(
    parts: dict[int, list[array[int]]], within: set[int]
) -> None:
    tiers = Tiers({tier: [*lists] for tier, lists in parts.items()})
    every = set().union(*(set().union(*lists) for lists in parts.values()))
    assert tiers.members() == every
    for _ in range(2):  # the second time from the tiers' sets
        restricted = tiers.restricted(within)
        for tier in TIERS:
            expected = set().union(*parts.get(tier, ())) & within
            assert restricted.units(tier) == expected
            assert (
                restricted.at_least(tier)
                == set().union(*(set().union(*parts.get(t, ())) for t in TIERS if t >= tier))
                & within
            )


def merged_best(tiers: Tiers, count: int) -> Iterator[tuple[int, int]]:
    """The best units as a merge of every list, tier by tier (what `best` stands for)."""
    seen: set[int] = set()
    for tier in TIERS:
        for number in heapq.merge(*tiers.parts.get(tier, ())):
            if number not in seen:
                seen.add(number)
                yield tier, number
                if len(seen) == count:
                    return


@given(TIERED, st.integers(min_value=1, max_value=80))
def test_best_units_are_the_merged_lists(parts: dict[int, list[array[int]]], count: int) -> None:
    tiers = Tiers({tier: [*lists] for tier, lists in parts.items()})
    assert list(tiers.best(count)) == list(merged_best(tiers, count))


@given(st.lists(st.integers(min_value=0, max_value=9), max_size=300), st.data())
def test_units_of_groups_restricted_either_way(
    groups_of_units: list[int], data: st.DataObject
) -> None:
    units = st.integers(min_value=0, max_value=max(len(groups_of_units) - 1, 0))
    within = data.draw(st.sets(units, max_size=len(groups_of_units)))
    chosen = data.draw(st.sets(st.integers(min_value=0, max_value=9)))
    members = [
        array("i", (n for n, g in enumerate(groups_of_units) if g == group))
        for group in sorted(chosen)
    ]
    grouped = Grouped(members, array("i", groups_of_units), chosen)
    expected = {n for n in within if groups_of_units[n] in chosen}
    assert grouped.restricted(within).members() == expected
    assert grouped.members() == {n for n, g in enumerate(groups_of_units) if g in chosen}
    assert grouped.size() == len(grouped.members())


def matching(value: str, labels: list[tuple[str, object]]) -> set[object]:
    """Targets whose label holds the value or (4+ letters) nearly does, label by label."""
    return {
        target
        for label, target in labels
        if value in label or (len(value) >= 4 and fuzz.partial_ratio(value, label) >= 84)
    }


def naming(value: str, labels: list[tuple[str, object]]) -> set[object]:
    """Targets a label equals, else those `matching` finds."""
    return {target for label, target in labels if label == value} or matching(value, labels)


def admits(field: Field, value: str, labels: Labels, group: Group) -> bool:
    """Whether a filter admits a group, from the labels as they are."""
    if field is Field.STANCE:
        stances = {s for s in Stance if matching(value, [(s.value, s)])}
        return bool(group.stances & stances)
    if field is Field.TOPIC:
        return bool(matching(value, list(labels.topics)).intersection(group.briefs))
    if field is Field.SOURCE:
        return bool(naming(value, list(labels.sources)).intersection(group.sources))
    kinds = {k for k in HitKind if k.value.startswith(value)}
    paths = naming(value, list(labels.kinds))
    return group.kind in kinds or bool(paths.intersection(group.sources))


BUNDLED = SearchIndex.build(load_library())
VALUES = ("gmi", "gmi post", "post", "seeds", "trade", "security", "summit", "s", "t", "x")


@pytest.mark.parametrize("field", list(Field))
@pytest.mark.parametrize(
    "value", [*VALUES, "claim", "text", "report", "preview", "supports", "conflicts", "context"]
)
def test_a_filter_admits_the_units_of_every_group_it_names(field: Field, value: str) -> None:
    units, labels = BUNDLED.units, BUNDLED.labels
    expected = {n for n in range(len(units)) if admits(field, value, labels, units.group(n))}
    assert BUNDLED._filter_units(field, value).members() == expected


WORDS = sorted({w for text in BUNDLED.unit_texts() for w in re.findall(r"\w+", text.lower())})
TERM = st.tuples(
    st.sampled_from(["", "", "'", "^", "!"]), st.sampled_from(WORDS), st.integers(1, 4)
)


@settings(max_examples=150, deadline=None)
@given(st.lists(TERM, min_size=2, max_size=4), st.integers(min_value=1, max_value=60))
def test_substring_terms_checked_in_order_give_the_hits_of_checking_all(
    terms: list[tuple[str, str, int]], limit: int
) -> None:
    query = " ".join(op + (word[:cut] if op in "'^" else word) for op, word, cut in terms)
    with pytest.MonkeyPatch.context() as patch:
        # Thresholds a library of a few hundred units reaches, so both ways are taken.
        patch.setattr(index_module, "FINE_LIMIT", 12)
        patch.setattr(index_module, "LEVEL_TRIES", 40)
        patch.setattr(index_module, "PROBE", 10)
        patch.setattr(index_module, "PROBE_FOUND", 3)
        BUNDLED.clear_cache()
        in_order = BUNDLED.search(query, limit)
        patch.setattr(index_module._Search, "_checked_in_order", lambda *_: None)
        BUNDLED.clear_cache()
        assert BUNDLED.search(query, limit) == in_order
