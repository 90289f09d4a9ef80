"""The words of every unit, with their posting lists, and the words a query word stands for."""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Collection, Iterator

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from briefing_tui.core.search.matching import (
    EXACT_WORD,
    FUZZY_WORD,
    MAX_WORD_CHARS,
    PARTIAL_WORD,
    PREFIX_WORD,
    TIERS,
    Expansion,
    Tiers,
)
from briefing_tui.core.search.units import UNITS_SHARE, Progress

WORD_CAP = 400  # vocabulary words one expansion step may add
_NOT_WORD = re.compile(r"[^\w\s]+")


class Vocabulary:
    """Every word of the units, the units holding each, and lookups of words like a word.

    Posting lists lie end to end in one array of unit numbers, each word's in unit order.
    """

    def __init__(
        self, words: list[str], offsets: array[int], entries: array[int], long_word_units: set[int]
    ) -> None:
        self._words = words  # sorted
        self._ids = {word: number for number, word in enumerate(words)}
        self.offsets = offsets  # word k's units are entries[offsets[k]:offsets[k + 1]]
        self.entries = entries
        self.long_word_units = long_word_units
        # One string of the whole vocabulary lets C code find words holding a fragment.
        self._joined = "\n".join(self._words)
        self._word_starts: list[int] = []
        position = 0
        for word in self._words:
            self._word_starts.append(position)
            position += len(word) + 1
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for word in self._words:
            self._by_length[len(word)].append(word)
        self._prefix_groups: dict[int, dict[str, list[str]]] = {}

    @classmethod
    def of(
        cls, chunks: list[str], chunk_units: int, progress: Progress | None = None
    ) -> Vocabulary:
        """The vocabulary of units laid out in chunks (see units.Units)."""
        postings: dict[str, array[int]] = {}
        for number, chunk in enumerate(chunks):
            if progress is not None:
                progress(UNITS_SHARE + (1 - UNITS_SHARE) * number / len(chunks))
            # Runs of \w are the words: other characters become spaces, then str.split
            # finds the words in C (a unit a line, as in the chunk).
            lines = _NOT_WORD.sub(" ", chunk).split("\n")
            unit = number * chunk_units
            for line in lines[1:-1]:
                for word in set(line.split()):
                    units = postings.get(word)
                    if units is None:
                        postings[word] = array("i", (unit,))
                    else:
                        units.append(unit)
                unit += 1
        long_word_units: set[int] = set()
        for word in [w for w in postings if len(w) > MAX_WORD_CHARS]:
            units_with = postings.pop(word)
            long_word_units.update(units_with)
            merged = set(postings.get(word[:MAX_WORD_CHARS], ())).union(units_with)
            postings[word[:MAX_WORD_CHARS]] = array("i", sorted(merged))
        words = sorted(postings)
        offsets = array("i", [0])
        entries = array("i")
        for word in words:
            entries.extend(postings[word])
            offsets.append(len(entries))
        return cls(words, offsets, entries, long_word_units)

    @property
    def words(self) -> list[str]:
        """Every word, sorted."""
        return self._words

    def __contains__(self, word: str) -> bool:
        """Whether a word occurs in some unit."""
        return word in self._ids

    def count(self, word: str) -> int:
        """How many units hold a word of the vocabulary."""
        number = self._ids[word]
        return self.offsets[number + 1] - self.offsets[number]

    def units_of(self, word: str) -> array[int]:
        """The units holding a word of the vocabulary, in order."""
        number = self._ids[word]
        return self.entries[self.offsets[number] : self.offsets[number + 1]]

    def expand(self, word: str) -> Expansion:
        """The exact word, words it starts, near words, then words holding it or its letters."""
        found: dict[str, int] = {}
        if word in self._ids:
            found[word] = EXACT_WORD
        for other in self._with_prefix(word):
            found.setdefault(other, PREFIX_WORD)
        if len(word) >= 3:
            for other in self._near(word):
                found.setdefault(other, FUZZY_WORD)
            for other in self._partial(word):
                found.setdefault(other, PARTIAL_WORD)
        return Expansion(word, found)

    def containing(self, fragment: str) -> list[str] | None:
        """The vocabulary words holding `fragment`, or None when there are too many."""
        found: list[str] = []
        position = self._joined.find(fragment)
        while position >= 0:
            if len(found) == WORD_CAP:
                return None
            index = bisect_right(self._word_starts, position) - 1
            found.append(self._words[index])
            after = index + 1
            if after == len(self._words):
                break
            position = self._joined.find(fragment, self._word_starts[after])
        return found

    def tiers_of(self, expansion: Expansion, budget: int) -> Tiers:
        """The posting lists of the expanded words, best tiers first, within the budget."""
        parts: dict[int, list[Collection[int]]] = {}
        spent = 0
        for tier in TIERS:
            for word, word_tier in expansion.words.items():
                if word_tier != tier:
                    continue
                units = self.units_of(word)
                if spent and spent + len(units) > budget:
                    break
                parts.setdefault(tier, []).append(units)
                spent += len(units)
        return Tiers(parts)

    def _with_prefix(self, word: str) -> Iterator[str]:
        """Longer words that start with `word`, in order, at most WORD_CAP."""
        first = bisect_left(self._words, word)
        for other in self._words[first : first + WORD_CAP]:
            if not other.startswith(word):
                return
            yield other

    def _near(self, word: str) -> Iterator[str]:
        """Words within a small edit distance of `word`, or whose start is."""
        bound = 1 if len(word) <= 5 else 2
        for length in range(len(word) - bound, len(word) + bound + 1):
            pool = self._by_length.get(length, ())
            for other, _, _ in process.extract(
                word, pool, scorer=Levenshtein.distance, score_cutoff=bound, limit=WORD_CAP
            ):
                yield other
        # A typo in a word still being typed: compare with the words' starts.
        if len(word) >= 4:
            groups = self._prefix_group(len(word))
            for start, _, _ in process.extract(
                word, groups.keys(), scorer=Levenshtein.distance, score_cutoff=1, limit=WORD_CAP
            ):
                yield from groups[start][:WORD_CAP]

    def _prefix_group(self, length: int) -> dict[str, list[str]]:
        """Longer words by their first `length` letters (built when first needed, kept)."""
        groups = self._prefix_groups.get(length)
        if groups is None:
            groups = defaultdict(list)
            for word in self._words:
                if len(word) > length:
                    groups[word[:length]].append(word)
            self._prefix_groups[length] = groups = dict(groups)
        return groups

    def _partial(self, word: str) -> Iterator[str]:
        """Words holding `word` inside, then words starting with its first letter and
        holding its letters in order."""
        yield from self.containing(word) or ()
        first = bisect_left(self._words, word[0])
        if first == len(self._words):
            return
        last = bisect_left(self._words, chr(ord(word[0]) + 1))
        end = self._word_starts[last] if last < len(self._words) else len(self._joined)
        scattered = re.compile("^" + "[^\n]*?".join(map(re.escape, word)), re.MULTILINE)
        matches = scattered.finditer(self._joined, self._word_starts[first], end)
        for match, _ in zip(matches, range(WORD_CAP), strict=False):
            yield self._words[bisect_right(self._word_starts, match.start()) - 1]
