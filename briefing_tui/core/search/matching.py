"""How well units match a query word (tiers), and which of their characters matched."""

from __future__ import annotations

import heapq
import re
from bisect import bisect_left
from collections.abc import Callable, Collection, Container, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter
from typing import cast

from rapidfuzz.distance import Levenshtein

from briefing_tui.core.search.query import Term, TermKind

WORD_PATTERN = re.compile(r"\w+")
MAX_WORD_CHARS = 48  # words are indexed and compared up to this length
MAX_HIGHLIGHTS = 16  # occurrences of one exact term highlighted per unit
# What looking in a tier's sorted lists costs, counted in units run through (in C):
SEARCH_COST = 30  # searching the lists for one unit
BUILD_COST = 2  # per unit of theirs, building their set

EXACT_WORD, PREFIX_WORD, FUZZY_WORD, PARTIAL_WORD = 3, 2, 1, 0
TIERS = (EXACT_WORD, PREFIX_WORD, FUZZY_WORD, PARTIAL_WORD)


class Tiers:
    """The units an atom matches, by how well (a unit may sit in several; its best counts).

    Each tier holds collections of unit numbers; sets are built only when asked for, and
    cached, since the same word's tiers serve every keystroke that follows it.
    """

    __slots__ = ("parts", "_sets", "_at_least", "_spent")

    def __init__(self, parts: dict[int, list[Collection[int]]]) -> None:
        self.parts = parts
        self._sets: dict[int, set[int]] = {}
        self._at_least: dict[int, set[int]] = {}
        self._spent: dict[int, int] = {}  # what looking in a tier's lists cost, set unbuilt

    @classmethod
    def of(cls, units: set[int]) -> Tiers:
        """Units that all match fully (a filter, a substring term)."""
        return cls({EXACT_WORD: [units]})

    def units(self, tier: int) -> set[int]:
        """The units matched at exactly this tier (or also at a better one)."""
        if tier not in self._sets:
            parts = self.parts.get(tier, ())
            only = parts[0] if len(parts) == 1 and isinstance(parts[0], set) else None
            self._sets[tier] = only if only is not None else set().union(*parts)
        return self._sets[tier]

    def restricted(self, within: set[int]) -> Tiers:
        """The same tiers holding only units among `within` (see `units_among`)."""
        return Tiers({tier: [self.units_among(tier, within)] for tier in self.parts})

    def units_among(self, tier: int, within: set[int]) -> set[int]:
        """The units of `within` matched at exactly this tier (or also at a better one)."""
        # A word typed earlier is asked again on every keystroke: its lists are searched for
        # the units, or run through, whichever costs less, until that has cost as much as
        # building the tier's set would have; then the set is built (a common word's set is
        # not built for one look at a few units).
        parts = self.parts.get(tier, ())
        if tier not in self._sets and not any(isinstance(part, set) for part in parts):
            entries = sum(map(len, parts))
            searches = len(within) * len(parts) * SEARCH_COST
            spent = self._spent.get(tier, 0) + min(searches, entries)
            if spent <= entries * BUILD_COST:
                self._spent[tier] = spent
                lists = cast(list[Sequence[int]], parts)
                if searches < entries:
                    return set().union(*(_searched(part, within) for part in lists))
                return set().union(*(within.intersection(part) for part in lists))
        return within & self.units(tier)

    def at_least_among(self, tier: int, within: set[int]) -> set[int]:
        """The units of `within` matched at this tier or a better one, tier by tier: no union
        of a common word's tiers is built for a few units."""
        if tier in self._at_least:
            return within & self._at_least[tier]
        return set().union(
            *(self.units_among(t, within) for t in TIERS if t >= tier and t in self.parts)
        )

    def size(self) -> int:
        """How many units the tiers name at most (a unit may be counted more than once)."""
        return sum(len(part) for parts in self.parts.values() for part in parts)

    def members(self) -> set[int]:
        """Every unit matched at any tier."""
        if PARTIAL_WORD not in self._at_least:
            # One union, not one set a tier better: a common word's units are most units.
            # (Of one tier, the tier's own set, which levels and totals ask for too.)
            if len(self.parts) == 1:
                self._at_least[PARTIAL_WORD] = self.units(next(iter(self.parts)))
            else:
                parts = [part for parts in self.parts.values() for part in parts]
                only = parts[0] if len(parts) == 1 and isinstance(parts[0], set) else None
                self._at_least[PARTIAL_WORD] = only if only is not None else set().union(*parts)
        return self._at_least[PARTIAL_WORD]

    def at_least(self, tier: int) -> set[int]:
        """The units matched at this tier or a better one."""
        if tier not in self._at_least:
            better = self.at_least(tier + 1) if tier < EXACT_WORD else set()
            if tier not in self.parts:
                self._at_least[tier] = better
            else:
                self._at_least[tier] = better | self.units(tier) if better else self.units(tier)
        return self._at_least[tier]

    def best(self, count: int) -> Iterator[tuple[int, int]]:
        """(tier, unit) for the `count` best units, from sorted posting lists, no sets built."""
        seen: set[int] = set()
        for tier in TIERS:
            if len(seen) == count:
                return
            lists = cast(list[Sequence[int]], self.parts.get(tier, []))  # see sorted_lists
            fresh = smallest(lists, count - len(seen), seen)
            yield from ((tier, number) for number in fresh)
            seen.update(fresh)

    @property
    def sorted_lists(self) -> bool:
        """Whether every part is a posting list in unit order (so `best` applies)."""
        return not any(isinstance(p, set) for parts in self.parts.values() for p in parts)


def _searched(units: Sequence[int], within: set[int]) -> set[int]:
    """The units of `within` that a sorted list holds, each searched for."""
    size = len(units)
    return {n for n in within if (at := bisect_left(units, n)) < size and units[at] == n}


def first_units(units: set[int], count: int, end: int) -> list[int]:
    """The `count` smallest of some units below `end`, in order."""
    if count >= len(units):
        return sorted(units)
    if count * end < 2 * len(units) * len(units):
        # Dense: trying the numbers in order finds them before sorting them all would.
        return list(islice(filter(units.__contains__, range(end)), count))
    return heapq.nsmallest(count, units) if count < 64 else sorted(units)[:count]


def smallest(parts: Iterable[Sequence[int]], count: int, skip: Container[int]) -> list[int]:
    """The `count` smallest units of some sorted lists that are not in `skip`, in order."""
    # The lists taken by their first unit, each read only while it may still hold one of
    # the smallest: a filter's thousands of lists cost about as much as a word's few.
    heap: list[int] = []  # the negated smallest units so far, the largest on top
    held: set[int] = set()
    for part in sorted((p for p in parts if p), key=itemgetter(0)):
        if len(heap) == count and part[0] > -heap[0]:
            break
        for number in part:
            if len(heap) == count and number > -heap[0]:
                break
            if number in held or number in skip:
                continue
            held.add(number)
            if len(heap) < count:
                heapq.heappush(heap, -number)
            else:
                held.discard(-heapq.heappushpop(heap, -number))
    return sorted(-number for number in heap)


class Grouped(Tiers):
    """The units of some groups (what a filter admits): every one matches fully."""

    __slots__ = ("_groups_of_units", "_chosen", "_size")

    def __init__(
        self, parts: list[Sequence[int]], groups_of_units: Sequence[int], chosen: set[int]
    ) -> None:
        super().__init__({EXACT_WORD: [*parts]})
        self._groups_of_units = groups_of_units  # each unit's group
        self._chosen = chosen  # the groups whose units `parts` are
        self._size = sum(map(len, parts))

    def restricted(self, within: set[int]) -> Tiers:
        """The units among `within`: when they are fewer, each one's group is looked up."""
        if len(within) >= self._size:
            return super().restricted(within)
        return Tiers.of(self._looked_up(within))

    def units_among(self, tier: int, within: set[int]) -> set[int]:
        """The units of `within` at this tier: if they are fewer, each one's group is looked up."""
        if tier != EXACT_WORD or len(within) >= self._size:
            return super().units_among(tier, within)
        return self._looked_up(within)

    def _looked_up(self, within: set[int]) -> set[int]:
        """The units of `within` whose group is chosen."""
        groups, chosen = self._groups_of_units, self._chosen
        return {number for number in within if groups[number] in chosen}

    def size(self) -> int:
        """How many units the groups hold."""
        return self._size


@dataclass(slots=True)
class Expansion:
    """The vocabulary words a query word stands for, each with its tier."""

    word: str
    words: dict[str, int]


def term_holds(term: Term, folded: str) -> bool:
    """Whether a substring-kind term holds in a folded unit text."""
    if term.kind is TermKind.PREFIX:
        return folded.startswith(term.text)
    if term.kind is TermKind.SUFFIX:
        return folded.endswith(term.text)
    if term.kind is TermKind.WHOLE:
        return folded == term.text
    return term.text in folded


def term_offsets(term: Term, folded: str, expand: Callable[[str], Expansion]) -> list[int]:
    """Offsets a term matched in a folded unit text; `expand` gives a word's expansion."""
    text = term.text
    words = WORD_PATTERN.findall(text)
    if term.kind is TermKind.FUZZY and words:
        offsets: list[int] = []
        for word in words:
            offsets += _word_offsets(expand(word), folded)
        return offsets
    if not term_holds(term, folded):
        return []
    if term.kind is TermKind.PREFIX:
        return list(range(len(text)))
    if term.kind is TermKind.SUFFIX:
        return list(range(len(folded) - len(text), len(folded)))
    if term.kind is TermKind.WHOLE:
        return list(range(len(folded)))
    offsets = []
    at = folded.find(text)
    for _ in range(MAX_HIGHLIGHTS):
        if at < 0:
            break
        offsets += range(at, at + len(text))
        at = folded.find(text, at + len(text))
    return offsets


def _word_offsets(expansion: Expansion, folded: str) -> list[int]:
    """Offsets matched by one query word: in the unit's words of the best tier it reaches."""
    best: list[tuple[int, re.Match[str]]] = []
    top = -1
    for match in WORD_PATTERN.finditer(folded):
        tier = expansion.words.get(match.group()[:MAX_WORD_CHARS])
        if tier is None or tier < top:
            continue
        if tier > top:
            top, best = tier, []
        best.append((tier, match))
    offsets: list[int] = []
    for tier, match in best[:MAX_HIGHLIGHTS]:
        offsets += _offsets_in_word(expansion.word, match.group(), tier, match.start())
    return offsets


def _offsets_in_word(query: str, word: str, tier: int, start: int) -> list[int]:
    if tier == EXACT_WORD:
        return list(range(start, start + len(word)))
    if tier == PREFIX_WORD:
        return list(range(start, start + len(query)))
    if tier == FUZZY_WORD:
        return [
            start + position
            for block in Levenshtein.opcodes(query, word[:MAX_WORD_CHARS])
            if block.tag == "equal"
            for position in range(block.dest_start, block.dest_end)
        ]
    if (inside := word.find(query)) >= 0:
        return list(range(start + inside, start + inside + len(query)))
    offsets: list[int] = []
    position = 0
    for char in query:
        position = word.find(char, position)
        if position < 0:
            return []
        offsets.append(start + position)
        position += 1
    return offsets
