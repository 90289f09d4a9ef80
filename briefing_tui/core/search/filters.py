"""The units each `source:`, `topic:`, `stance:` and `kind:` filter value admits."""

from __future__ import annotations

import threading
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar

from rapidfuzz import fuzz, process

from briefing_tui.core.library.model import Library, Stance
from briefing_tui.core.search.matching import Grouped
from briefing_tui.core.search.query import Field, lowercase
from briefing_tui.core.search.units import Group, HitKind

T = TypeVar("T")
K = TypeVar("K")


@dataclass(frozen=True, slots=True)
class Labels:
    """What filters name things by: (folded label, source path) for source names and kinds,
    and (folded label, brief index) for topics."""

    sources: list[tuple[str, str]]
    kinds: list[tuple[str, str]]
    topics: list[tuple[str, int]]

    @classmethod
    def of(cls, library: Library) -> Labels:
        """The labels of a library's sources and briefs."""
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
        return cls(names, kinds, topics)


class UnitFilters:
    """The units a filter admits: those of the groups its value names."""

    def __init__(
        self, labels: Labels | Callable[[], Labels], table: list[Group], groups: array[int]
    ) -> None:
        self._labels = labels  # or what reads them, when a filter is first used
        self._table = table
        self._groups_of_units = groups
        self._members: list[array[int]] | None = None
        self._named: _Named | None = None
        self._lock = threading.Lock()

    def admitted(self, field: Field, value: str) -> Grouped:
        """The units a filter admits: the units of each group it admits, each in order."""
        members = self._group_members()
        chosen = self._groups(field, value)
        return Grouped([members[g] for g in sorted(chosen)], self._groups_of_units, chosen)

    @property
    def labels(self) -> Labels:
        """What filters name sources and topics by."""
        with self._lock:
            if not isinstance(self._labels, Labels):
                self._labels = self._labels()
            return self._labels

    def prepare(self) -> None:
        """Find each group's units now rather than on the first filter typed."""
        self._group_members()
        self._lookups()

    def _group_members(self) -> list[array[int]]:
        """Each group's units, in order (found when a filter is first used: a search that
        uses none, as most from the command line, never pays for them)."""
        with self._lock:
            if self._members is None:
                found: list[list[int]] = [[] for _ in self._table]
                for number, group in enumerate(self._groups_of_units):
                    found[group].append(number)
                self._members = [array("i", units) for units in found]
            return self._members

    def _lookups(self) -> _Named:
        """The groups by what filters name, and the labels once each (built when first
        needed): a keystroke then costs lookups, not a pass over every group and label."""
        labels = self.labels
        with self._lock:
            if self._named is None:
                self._named = _Named.of(labels, self._table)
            return self._named

    def _groups(self, field: Field, value: str) -> set[int]:
        named = self._lookups()
        if field is Field.STANCE:
            stances = [s for s in Stance if _label_matches(value, s.value)]
            return _union(named.by_stance, stances)
        if field is Field.TOPIC:
            return _union(named.by_brief, self.topic_briefs(value))
        if field is Field.SOURCE:
            return _union(named.by_source, _naming(value, named.sources))
        kinds = [k for k in HitKind if k.value.startswith(value)]
        paths = _naming(value, named.kinds)
        return _union(named.by_kind, kinds) | _union(named.by_source, paths)

    def topic_briefs(self, value: str) -> set[int]:
        """The briefs a `topic:` value names, by title, file or tag."""
        return _matching(value, self._lookups().topics)


@dataclass(frozen=True, slots=True)
class _Named:
    """Each distinct label with the targets it names, and the groups of each target."""

    sources: dict[str, set[str]]
    kinds: dict[str, set[str]]
    topics: dict[str, set[int]]
    by_source: dict[str, list[int]]  # a source's groups: its text, title and passage notes
    by_brief: dict[int, list[int]]
    by_stance: dict[Stance, list[int]]
    by_kind: dict[HitKind, list[int]]

    @classmethod
    def of(cls, labels: Labels, table: list[Group]) -> _Named:
        """The lookups for these labels and this group table."""
        by_source: defaultdict[str, list[int]] = defaultdict(list)
        by_brief: defaultdict[int, list[int]] = defaultdict(list)
        by_stance: defaultdict[Stance, list[int]] = defaultdict(list)
        by_kind: defaultdict[HitKind, list[int]] = defaultdict(list)
        for number, group in enumerate(table):
            by_kind[group.kind].append(number)
            for path in set(group.sources):
                by_source[path].append(number)
            for brief in set(group.briefs):
                by_brief[brief].append(number)
            for stance in group.stances:
                by_stance[stance].append(number)
        return cls(
            _distinct(labels.sources),
            _distinct(labels.kinds),
            _distinct(labels.topics),
            dict(by_source),
            dict(by_brief),
            dict(by_stance),
            dict(by_kind),
        )


def _distinct(labels: list[tuple[str, T]]) -> dict[str, set[T]]:
    """Each label once, with every target it names."""
    targets: dict[str, set[T]] = {}
    for label, target in labels:
        targets.setdefault(label, set()).add(target)
    return targets


def _union(groups: dict[K, list[int]], keys: Iterable[K]) -> set[int]:
    """The groups of any of these keys."""
    return set().union(*(groups.get(key, ()) for key in keys))


def _labels(target: T, labels: Iterable[str | None]) -> list[tuple[str, T]]:
    return [(lowercase(label)[:200], target) for label in dict.fromkeys(labels) if label]


def _label_matches(value: str, label: str) -> bool:
    """Whether a filter value names this label: contained in it, or close to it."""
    return bool(_matching(value, {label: {label}}))


def _naming(value: str, labels: dict[str, set[T]]) -> set[T]:
    """The targets a value names: those it equals, else those it (nearly) matches."""
    # So a source is one thing whether named by key, outlet, title or path: `gmi` and
    # "GMI POST" both name that one source, not also every label holding "post".
    equal = labels.get(value)
    return set(equal) if equal else _matching(value, labels)


def _matching(value: str, labels: dict[str, set[T]]) -> set[T]:
    """The targets whose label holds the filter value, or (for 4+ letters) nearly holds it."""
    found: set[T] = set()
    for label, targets in labels.items():
        if value in label:
            found |= targets
    if len(value) >= 4:
        choices = list(labels)
        for _, _, at in process.extract(
            value, choices, scorer=fuzz.partial_ratio, score_cutoff=84, limit=None
        ):
            found |= labels[choices[at]]
    return found
