"""The units each `source:`, `topic:`, `stance:` and `kind:` filter value admits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import TypeVar

from rapidfuzz import fuzz, process

from briefing_tui.core.library.model import Library, Stance
from briefing_tui.core.search.query import Field, lowercase
from briefing_tui.core.search.units import HitKind, Unit

T = TypeVar("T")


class UnitFilters:
    """The units of each source, brief, stance and kind, and the labels filters name them by."""

    def __init__(self, library: Library, units: list[Unit]) -> None:
        self._by_source, self._by_brief, self._by_stance, self._by_kind = _filter_sets(units)
        self._source_labels, self._source_kinds, self._topic_labels = _labels_of(library)

    def admitted(self, field: Field, value: str) -> set[int]:
        """The units a filter admits."""
        if field is Field.STANCE:
            stances = [s for s in Stance if _label_matches(value, s.value)]
            return set().union(*(self._by_stance.get(s, ()) for s in stances))
        if field is Field.TOPIC:
            briefs = self.topic_briefs(value)
            return set().union(*(self._by_brief.get(b, ()) for b in briefs))
        if field is Field.SOURCE:
            paths = _naming(value, self._source_labels)
            return set().union(*(self._by_source.get(p, ()) for p in paths))
        kinds = [k for k in HitKind if k.value.startswith(value)]
        paths = _naming(value, self._source_kinds)
        return set().union(
            *(self._by_kind.get(k, ()) for k in kinds),
            *(self._by_source.get(p, ()) for p in paths),
        )

    def topic_briefs(self, value: str) -> set[int]:
        """The briefs a `topic:` value names, by title, file or tag."""
        return _matching(value, self._topic_labels)


_FilterSets = tuple[
    dict[str, set[int]], dict[int, set[int]], dict[Stance, set[int]], dict[HitKind, set[int]]
]


def _filter_sets(units: list[Unit]) -> _FilterSets:
    """The units of each source, brief, stance and kind."""
    # Units alike in all four share their sets, so most of the work is per group.
    alike: defaultdict[
        tuple[HitKind, tuple[str, ...], tuple[int, ...], frozenset[Stance]], list[int]
    ] = defaultdict(list)
    for number, unit in enumerate(units):
        alike[(unit.kind, unit.sources, unit.briefs, unit.stances)].append(number)
    by_source: defaultdict[str, set[int]] = defaultdict(set)
    by_brief: defaultdict[int, set[int]] = defaultdict(set)
    by_stance: defaultdict[Stance, set[int]] = defaultdict(set)
    by_kind: defaultdict[HitKind, set[int]] = defaultdict(set)
    for (kind, sources, briefs, stances), numbers in alike.items():
        by_kind[kind].update(numbers)
        for path in sources:
            by_source[path].update(numbers)
        for brief in briefs:
            by_brief[brief].update(numbers)
        for stance in stances:
            by_stance[stance].update(numbers)
    return dict(by_source), dict(by_brief), dict(by_stance), dict(by_kind)


def _labels_of(
    library: Library,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[tuple[str, int]]]:
    """What filters match against: (folded label, source path) for source names and
    kinds, and (folded label, brief index) for topics."""
    names: list[tuple[str, str]] = []
    kinds: list[tuple[str, str]] = []
    topics: list[tuple[str, int]] = []
    for path, source in library.sources.items():
        names += _labels(path, (path, source.meta.outlet, source.meta.title))
        kinds += _labels(path, (source.meta.kind,))
    for brief in library.briefs:
        stem = PurePosixPath(brief.path).stem
        topics += _labels(brief.index, (brief.title, brief.path, stem, *brief.tags))
        for named in brief.sources:
            path = named.source.path
            names += _labels(path, (named.key, named.meta.outlet, named.meta.title))
            kinds += _labels(path, (named.meta.kind,))
    return names, kinds, topics


def _labels(target: T, labels: Iterable[str | None]) -> list[tuple[str, T]]:
    return [(lowercase(label)[:200], target) for label in dict.fromkeys(labels) if label]


def _label_matches(value: str, label: str) -> bool:
    """Whether a filter value names this label: contained in it, or close to it."""
    return bool(_matching(value, [(label, label)]))


def _naming(value: str, labels: list[tuple[str, T]]) -> set[T]:
    """The targets a value names: those it equals, else those it (nearly) matches."""
    # So a source is one thing whether named by key, outlet, title or path: `gmi` and
    # "GMI POST" both name that one source, not also every label holding "post".
    equal = {target for label, target in labels if label == value}
    return equal or _matching(value, labels)


def _matching(value: str, labels: list[tuple[str, T]]) -> set[T]:
    """The targets whose label holds the filter value, or (for 4+ letters) nearly holds it."""
    found = {target for label, target in labels if value in label}
    if len(value) >= 4:
        choices = [label for label, _ in labels]
        for _, _, at in process.extract(
            value, choices, scorer=fuzz.partial_ratio, score_cutoff=84, limit=None
        ):
            found.add(labels[at][1])
    return found
