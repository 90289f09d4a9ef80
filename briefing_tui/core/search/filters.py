"""The units each `source:`, `topic:`, `stance:` and `kind:` filter value admits."""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TypeVar

from rapidfuzz import fuzz, process

from briefing_tui.core.library.model import Library, Stance
from briefing_tui.core.search.query import Field, lowercase
from briefing_tui.core.search.units import Group, HitKind

T = TypeVar("T")


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
        self._lock = threading.Lock()

    def admitted(self, field: Field, value: str) -> set[int]:
        """The units a filter admits."""
        members = self._group_members()
        return set().union(*(members[g] for g in self._groups(field, value)))

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

    def _groups(self, field: Field, value: str) -> list[int]:
        table = self._table
        if field is Field.STANCE:
            stances = {s for s in Stance if _label_matches(value, s.value)}
            return [g for g, group in enumerate(table) if group.stances & stances]
        if field is Field.TOPIC:
            briefs = self.topic_briefs(value)
            return [g for g, group in enumerate(table) if briefs.intersection(group.briefs)]
        if field is Field.SOURCE:
            paths = _naming(value, self.labels.sources)
            return [g for g, group in enumerate(table) if paths.intersection(group.sources)]
        kinds = {k for k in HitKind if k.value.startswith(value)}
        paths = _naming(value, self.labels.kinds)
        return [
            g
            for g, group in enumerate(table)
            if group.kind in kinds or paths.intersection(group.sources)
        ]

    def topic_briefs(self, value: str) -> set[int]:
        """The briefs a `topic:` value names, by title, file or tag."""
        return _matching(value, self.labels.topics)


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
