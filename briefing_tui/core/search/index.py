"""The search index of a library (units, vocabulary, filters) and how a query runs on it."""

from __future__ import annotations

import gc
import heapq
import re
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypeVar, cast

from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.search.catalog import Catalog
from briefing_tui.core.search.filters import Labels, UnitFilters
from briefing_tui.core.search.matching import (
    EXACT_WORD,
    MAX_WORD_CHARS,
    TIERS,
    WORD_PATTERN,
    Expansion,
    Tiers,
    first_units,
    term_offsets,
)
from briefing_tui.core.search.query import Atom, Field, Filter, Query, Term, TermKind, parse_query
from briefing_tui.core.search.units import (
    CHUNK_UNITS,
    NONE,
    HitKind,
    Progress,
    Quoting,
    Units,
    collect_units,
)
from briefing_tui.core.search.vocabulary import Vocabulary

FINE_LIMIT = 4000  # at most this many candidates are scored one by one
SHORT_TERM_BUDGET = 20_000  # posting entries a one- or two-letter term may pull in
TERM_BUDGET = 250_000  # posting entries any other term may pull in
CACHE_SIZE = 64  # query words and filters whose lookups are kept between searches
CHECK_LIMIT = 20_000  # units a substring term's words name that are checked one by one
SCAN_ABOVE = 200_000  # candidates past which scanning for a term costs less than checking
PHRASE_BONUS = 3  # the terms appear together, as typed
LEVEL_TRIES = 4 * FINE_LIMIT  # candidates a substring term is checked in before all are
PROBE = 1000  # candidates checked before judging whether enough hold the substring terms
PROBE_FOUND = FINE_LIMIT * PROBE // LEVEL_TRIES  # as many as would find enough in time

_WORDLIKE = re.compile(r"\w+")  # a term of word characters only lies inside one word
K = TypeVar("K")
V = TypeVar("V")


@contextmanager
def collector_frozen() -> Iterator[None]:
    """Pause the cyclic garbage collector while building, then freeze what was built.

    For one-shot processes only (a CLI command, a benchmark): building creates millions of
    objects that all live on, which the collector would walk dozens of times for nothing (a
    third of the build) and again on a later search (a 200 ms stall at 100,000 units).
    Freezing is process-wide and never undone, so the reader, which rebuilds its index on
    every reload, does not use it.
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        gc.freeze()
    finally:
        if collecting:
            gc.enable()


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: the unit, where it lives, and which of its characters matched."""

    kind: HitKind
    text: str  # the unit's (sanitised) text; snippets are cut from it
    matches: tuple[int, ...]  # offsets in `text` of the matched characters
    score: float
    brief: int | None = None  # brief index, when the unit belongs to (or is read in) a brief
    source_path: str | None = None  # library-relative source path (text and source units)
    span: Span | None = None  # the unit's span in Source.text (text units)
    claim: int | None = None  # claim index in the brief (claims, notes, quoted text)
    passage: int | None = None  # passage notes and quoted text: the passage's place in its claim
    line: int | None = None  # text hits: the line of the source file the text starts on
    quotes: tuple[Quoting, ...] = ()  # text hits: every passage whose quote covers the text
    by_reader: bool = False  # a note the reader wrote (in the reading state), not the curator


# A query term is expanded to vocabulary words (the word itself, words it starts, words
# within a small edit distance, words holding it or its letters in order), candidate units
# are intersected across terms, and only candidates are scored, so a keystroke costs
# milliseconds on a hundred thousand units.
class SearchIndex:
    """Every searchable unit of a library, with a word index for fast fuzzy lookup."""

    def __init__(
        self,
        units: Units,
        vocabulary: Vocabulary,
        labels: Labels | Callable[[], Labels],
        catalog: Catalog,
    ) -> None:
        self._units = units
        self.catalog = catalog  # what presenting a hit needs to know of the library
        self._vocabulary = vocabulary
        self._filters = UnitFilters(labels, units.table, units.columns.groups)
        # Caches of query words and filters, shared by searches running on several threads
        # (a stale search may still be finishing while the next one starts).
        self._filter_cache: dict[tuple[Field, str], Tiers] = {}
        self._topic_cache: dict[str, set[int]] = {}
        self._word_cache: dict[str, Tiers] = {}
        self._expansion_cache: dict[str, Expansion] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def build(cls, library: Library, progress: Progress | None = None) -> SearchIndex:
        """Index every source text, claim, note, brief title and summary, and source title."""
        units = collect_units(library, progress)
        vocabulary = Vocabulary.of(units.chunks, CHUNK_UNITS, progress)
        return cls(units, vocabulary, Labels.of(library), Catalog.of(library))

    def prepare(self) -> None:
        """Do now what the first search would otherwise do (for a long-lived index)."""
        self._filters.prepare()

    @property
    def units(self) -> Units:
        """Every unit, best static rank first."""
        return self._units

    @property
    def vocabulary(self) -> Vocabulary:
        """The words of the units and their posting lists."""
        return self._vocabulary

    @property
    def labels(self) -> Labels:
        """What filters name sources and topics by."""
        return self._filters.labels

    def __len__(self) -> int:
        """How many units are searchable."""
        return len(self._units)

    def clear_cache(self) -> None:
        """Forget what earlier queries cached (their words and filters)."""
        with self._cache_lock:
            self._word_cache.clear()
            self._expansion_cache.clear()
            self._filter_cache.clear()
            self._topic_cache.clear()

    def unit_texts(self) -> Iterator[str]:
        """The text of every unit, best static rank first (for references and benchmarks)."""
        return map(self._units.text, range(len(self._units)))

    def search(self, query: str | Query, limit: int = 50) -> list[SearchHit]:
        """The best `limit` hits for a query, best first; any string is a valid query."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.is_empty or limit <= 0:
            return []
        return _Search(self, parsed, limit).run()

    # Lookups used by a running search.

    def _expand(self, word: str) -> Expansion:
        """The vocabulary words `word` stands for, best tier first (cached)."""
        word = word[:MAX_WORD_CHARS]
        expansion = self._expansion_cache.get(word)
        if expansion is None:
            expansion = self._remember(self._expansion_cache, word, self._vocabulary.expand(word))
        return expansion

    def _remember(self, cache: dict[K, V], key: K, value: V) -> V:
        """Keep a value in a bounded cache, the oldest going first."""
        with self._cache_lock:
            if len(cache) >= CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[key] = value
        return value

    def _word_tiers(self, word: str) -> Tiers:
        """A query word's units by tier, cached: the words typed before are asked again."""
        tiers = self._word_cache.get(word)
        if tiers is None:
            budget = SHORT_TERM_BUDGET if len(word) <= 2 else TERM_BUDGET
            tiers = self._remember(
                self._word_cache, word, self._vocabulary.tiers_of(self._expand(word), budget)
            )
        return tiers

    def _filter_units(self, field: Field, value: str) -> Tiers:
        """The units a filter admits, as sorted lists (cached: filters are typed first and
        kept); alone in a query, its first units come off those lists, no set built."""
        units = self._filter_cache.get((field, value))
        if units is None:
            units = self._remember(
                self._filter_cache, (field, value), self._filters.admitted(field, value)
            )
        return units

    def topic_briefs(self, value: str) -> set[int]:
        """The briefs a `topic:` value names, by title, file or tag (cached like filters)."""
        briefs = self._topic_cache.get(value)
        if briefs is None:
            briefs = self._remember(self._topic_cache, value, self._filters.topic_briefs(value))
        return briefs

    def _hit(
        self, number: int, score: float, matches: Iterable[int], briefs: set[int] | None
    ) -> SearchHit:
        units = self._units
        group, columns = units.group(number), units.columns
        text = units.text(number)
        quotes = units.quotes.get(number, ())
        # Text that passages quote opens in the first of them that the topic: filter allows.
        quote = next((q for q in quotes if briefs is None or q.brief in briefs), None)
        if quote is not None:
            brief: int | None = quote.brief
            claim, passage = quote.claim, quote.passage
        else:
            brief = next((b for b in group.briefs if briefs is None or b in briefs), None)
            if brief is None and group.briefs:
                brief = group.briefs[0]
            claim, passage = columns.claims[number], columns.passages[number]
        return SearchHit(
            kind=group.kind,
            text=text,
            matches=tuple(sorted({m for m in matches if 0 <= m < len(text)})),
            score=round(score, 4),
            brief=brief,
            source_path=group.source_path,
            span=units.span(number),
            claim=claim if claim != NONE else None,
            passage=passage if passage != NONE else None,
            line=columns.lines[number] if group.kind is HitKind.TEXT else None,
            quotes=quotes,
        )


class _Search:
    """One query evaluated against an index."""

    def __init__(self, index: SearchIndex, query: Query, limit: int) -> None:
        self.index = index
        self.query = query
        self.limit = limit
        self.briefs: set[int] | None = None  # the topics a topic: filter allows
        for atom in query.atoms:
            if isinstance(atom, Filter) and atom.field is Field.TOPIC and not atom.negated:
                allowed = index.topic_briefs(atom.value)
                self.briefs = allowed if self.briefs is None else self.briefs & allowed

    def run(self) -> list[SearchHit]:
        """The hits, best first."""
        groups = self.query.groups
        positive = [g for g in groups if not any(a.negated for a in g)]
        if len(groups) == 1 and positive:
            # Only the best `limit` of each alternative can be among the hits.
            return self._best_of(self._group(positive[0], None, self.limit))
        # Filters and words first (set and index lookups), the fewest units first, so that
        # no set of a common word's units is ever built; then substring checks on what is left.
        looked_up = [(g, self._group(g, None)) for g in positive if not _has_substring(g)]
        looked_up.sort(key=lambda found: found[1].size())
        candidates: set[int] | None = None
        ranked: list[tuple[tuple[Atom, ...], Tiers]] = []
        checked = [g for g in positive if _has_substring(g)]
        for group, tiers in looked_up:
            if candidates is not None:
                tiers = tiers.restricted(candidates)
            candidates = tiers.members()
            if any(isinstance(a, Term) for a in group):
                ranked.append((group, tiers))
            if not candidates:
                return []
        if (
            candidates is not None
            and len(candidates) > 2 * LEVEL_TRIES  # else checking them all costs little more
            and checked
            and all(_within_given(g) and self._common(g) for g in checked)
        ):
            found = self._checked_in_order(candidates, ranked, checked)
            if found is not None:
                return found
        for group in checked:
            tiers = self._group(group, candidates)
            if candidates is not None and not _within_given(group):
                tiers = tiers.restricted(candidates)
            candidates = tiers.members()
            ranked.append((group, tiers))
            if not candidates:
                return []
        checks = [self._check(g, candidates) for g in groups if any(a.negated for a in g)]
        if candidates is None:
            return self._unranked(checks)
        if checks:
            candidates = {u for u in candidates if all(check(u) for check in checks)}
        return self._ranked(candidates, ranked)

    def _best_of(self, tiers: Tiers) -> list[SearchHit]:
        """A query of one group: its best tier first, each tier in static order."""
        units = self.index._units
        best: list[tuple[int, int]] = []
        if tiers.sorted_lists:  # straight off the posting lists, no sets built
            best = list(tiers.best(self.limit))
        else:
            seen: set[int] = set()
            for tier in TIERS:
                if tier in tiers.parts and len(best) < self.limit:
                    fresh = tiers.units(tier) - seen if seen else tiers.units(tier)
                    first = first_units(fresh, self.limit - len(best), len(units))
                    best += [(tier, n) for n in first]
                    seen.update(n for _, n in best)
        return [
            self.index._hit(n, tier + units.rank(n), self._matches(n, None), self.briefs)
            for tier, n in best
        ]

    def _unranked(self, checks: list[Callable[[int], bool]]) -> list[SearchHit]:
        """Only negations: every other unit qualifies, in static order."""
        found: list[SearchHit] = []
        units = self.index._units
        for number in range(len(units)):
            if all(check(number) for check in checks):
                found.append(self.index._hit(number, units.rank(number), (), self.briefs))
                if len(found) == self.limit:
                    break
        return found

    def _ranked(
        self, candidates: set[int], ranked: list[tuple[tuple[Atom, ...], Tiers]]
    ) -> list[SearchHit]:
        """Score the candidates by the tiers of every group, the phrase, and static rank."""
        # Every group's units among the candidates only: the sets below stay small. (The
        # candidates may be one group's own units: those it holds already.)
        ranked = [
            (group, tiers if tiers.members() is candidates else tiers.restricted(candidates))
            for group, tiers in ranked
        ]
        if len(candidates) > FINE_LIMIT:
            candidates = self._best_candidates(candidates, [t for _, t in ranked])
        totals = dict.fromkeys(candidates, 0)
        for _, tiers in ranked:
            seen: set[int] = set()
            for tier in TIERS:
                if tier not in tiers.parts:
                    continue
                hit = (tiers.units(tier) & candidates) - seen
                for number in hit:
                    totals[number] += tier
                seen |= hit
        return self._scored(candidates, totals)

    def _scored(self, candidates: set[int], totals: dict[int, int]) -> list[SearchHit]:
        """The best candidates by their totals with the phrase's bonus, then static rank."""
        units = self.index._units
        phrase = self._phrase()
        if phrase:
            for number in _holding(units, Term(phrase, TermKind.EXACT), candidates):
                totals[number] += PHRASE_BONUS
        best = heapq.nsmallest(self.limit, candidates, key=lambda n: (-totals[n], n))
        return [
            self.index._hit(n, totals[n] + units.rank(n), self._matches(n, phrase), self.briefs)
            for n in best
        ]

    def _common(self, group: tuple[Atom, ...]) -> bool:
        """Whether a group of substring terms may hold in too many units to find them all
        from the word index: when their words' posting lists are long, or too many words."""
        vocabulary = self.index._vocabulary
        named = len(vocabulary.long_word_units)
        for atom in group:
            words = WORD_PATTERN.findall(atom.text) if isinstance(atom, Term) else []
            holders = vocabulary.containing(max(words, key=len)[:MAX_WORD_CHARS]) if words else None
            if holders is None:
                return True
            named += _postings(vocabulary, holders)
        return named > LEVEL_TRIES

    def _checked_in_order(
        self,
        candidates: set[int],
        ranked: list[tuple[tuple[Atom, ...], Tiers]],
        checked: list[tuple[Atom, ...]],
    ) -> list[SearchHit] | None:
        """The hits when substring terms are checked last: the candidates `_best_candidates`
        would keep, their levels taken in static order and the terms checked one unit at a
        time until it has enough, not in every candidate; None if that took too many tries."""
        units = self.index._units
        negated = [g for g in self.query.groups if any(a.negated for a in g)]
        checks = [self._check(g, candidates) for g in negated]
        terms = [cast(tuple[Term, ...], group) for group in checked]

        def qualifies(number: int) -> bool:
            return all(
                any(units.holds(number, t) for t in alternatives) for alternatives in terms
            ) and all(check(number) for check in checks)

        ranked = [
            (group, tiers if tiers.members() is candidates else tiers.restricted(candidates))
            for group, tiers in ranked
        ]
        end = len(units)
        kept: dict[int, int] = {}  # unit: the tier its worst group matches it at
        better: set[int] = set()
        tries = LEVEL_TRIES
        for tier in TIERS:
            whole = _one_list(ranked, candidates, tier)
            if whole is not None:  # one word's list: in order already, no set built
                level: set[int] | None = None
                ordered: Iterable[int] = whole
            else:
                level = candidates.intersection(*(t.at_least(tier) for _, t in ranked))
                # In static order: sorted when few, else tried in turn (C code does).
                ordered = (
                    sorted(level)
                    if len(level) * 16 < end
                    else filter(level.__contains__, range(end))
                )
            for number in ordered:
                if number in better:
                    continue
                tries -= 1
                if tries < 0 or (tries == LEVEL_TRIES - PROBE and len(kept) < PROBE_FOUND):
                    return None  # too few hold the terms: finding them all costs less
                if qualifies(number):
                    kept[number] = tier
                    if len(kept) == FINE_LIMIT:
                        break
            if len(kept) == FINE_LIMIT:
                break
            better = level if level is not None else set(ordered)
        # No group matches a unit worse than the tier it was kept at; substring terms, fully.
        totals = {
            number: EXACT_WORD * len(checked)
            + sum(
                next((t for t in TIERS if t > worst and number in tiers.units(t)), worst)
                for _, tiers in ranked
            )
            for number, worst in kept.items()
        }
        chosen = set(kept)
        return self._scored(chosen, totals)

    def _best_candidates(self, candidates: set[int], ranked: list[Tiers]) -> set[int]:
        """At most FINE_LIMIT candidates, those whose worst term matches best first."""
        kept: set[int] = set()
        end = len(self.index._units)
        for tier in TIERS:
            level = candidates.intersection(*(t.at_least(tier) for t in ranked))
            if kept:
                level -= kept
            room = FINE_LIMIT - len(kept)
            if len(level) >= room:
                return kept.union(first_units(level, room, end))
            kept |= level
        return kept.union(first_units(candidates - kept, FINE_LIMIT - len(kept), end))

    def _phrase(self) -> str | None:
        """The plain words of the query as typed, when there are two or more."""
        words = [
            g[0].text
            for g in self.query.groups
            if len(g) == 1 and isinstance(g[0], Term) and g[0].kind is TermKind.FUZZY
        ]
        return " ".join(words) if len(words) >= 2 else None

    def _group(
        self, group: tuple[Atom, ...], within: set[int] | None, first: int | None = None
    ) -> Tiers:
        """The units of a group's alternatives together (of substring terms, only the
        `first` units when given)."""
        if len(group) == 1:
            return self._atom(group[0], within, first)
        parts: dict[int, list[Collection[int]]] = {}
        for atom in group:
            for tier, collections in self._atom(atom, within, first).parts.items():
                parts.setdefault(tier, []).extend(collections)
        return Tiers(parts)

    def _atom(self, atom: Atom, within: set[int] | None, first: int | None = None) -> Tiers:
        """The units one filter or term matches, by tier."""
        if isinstance(atom, Filter):
            return self.index._filter_units(atom.field, atom.value)
        words = WORD_PATTERN.findall(atom.text)
        if atom.kind is not TermKind.FUZZY or not words:
            return Tiers.of(self._verified(atom, words, within, first))
        per_word = [self.index._word_tiers(word) for word in words]
        if len(per_word) == 1:
            return per_word[0]
        # Several words in one term ("u.s.-japan"): all must match; the worst one counts.
        members = set.intersection(*(t.members() for t in per_word))
        return Tiers(
            {tier: [members.intersection(*(t.at_least(tier) for t in per_word))] for tier in TIERS}
        )

    def _verified(
        self, term: Term, words: list[str], within: set[int] | None, first: int | None
    ) -> set[int]:
        """Units in which a substring term holds: from the word index when the term is part
        of a word, else the candidates checked one by one when they are few, else every
        unit's text scanned by C code (the `first` found, if given)."""
        units, vocabulary = self.index._units, self.index._vocabulary
        holders = vocabulary.containing(max(words, key=len)[:MAX_WORD_CHARS]) if words else None
        if holders is not None:
            named = _postings(vocabulary, holders)
            if within is None and first is not None and named > CHECK_LIMIT:
                holders = None  # a scan finds the first few sooner
            elif (
                term.kind is TermKind.EXACT
                and len(term.text) <= MAX_WORD_CHARS
                and _WORDLIKE.fullmatch(term.text)
            ):
                # Only inside a word can it occur: the units of the words holding it have it,
                # but for words too long to be indexed whole, which are checked.
                postings = [vocabulary.units_of(w) for w in holders]
                if within is None:
                    found = set().union(*postings)
                    longer = vocabulary.long_word_units - found
                else:  # no set of every unit holding a common fragment
                    found = set().union(*(within.intersection(p) for p in postings))
                    longer = (vocabulary.long_word_units & within) - found
                found |= _holding(units, term, longer)
                return found
            elif within is None and named <= CHECK_LIMIT:
                # Any unit holding the term has a vocabulary word holding its longest word.
                within = vocabulary.long_word_units.union(
                    *(vocabulary.units_of(w) for w in holders)
                )
        if within is not None and len(within) <= SCAN_ABOVE:
            return _holding(units, term, within)
        found = set()
        for number in units.scan(term):
            if within is None or number in within:
                found.add(number)
                if len(found) == first:
                    break
        return found

    def _check(self, group: tuple[Atom, ...], within: set[int] | None) -> Callable[[int], bool]:
        """A test for a group with negations: does a unit satisfy any of its atoms?"""
        tests: list[Callable[[int], bool]] = []
        units = self.index._units
        for atom in group:
            if isinstance(atom, Filter):
                members = self.index._filter_units(atom.field, atom.value).members()
                tests.append(_excluded_by(members) if atom.negated else members.__contains__)
            elif atom.negated:
                tests.append(_lacking(atom, units))
            else:
                tests.append(self._atom(atom, within).members().__contains__)
        return lambda n: any(test(n) for test in tests)

    def _matches(self, number: int, phrase: str | None) -> list[int]:
        """Offsets of the characters the query's positive terms matched in a unit."""
        folded = self.index._units.folded(number)
        offsets: list[int] = []
        for atom in self.query.atoms:
            if isinstance(atom, Term) and not atom.negated:
                offsets += term_offsets(atom, folded, self.index._expand)
        if phrase and (at := folded.find(phrase)) >= 0:
            offsets += range(at, at + len(phrase))
        return offsets


def _excluded_by(members: set[int]) -> Callable[[int], bool]:
    """A test that a unit is not among `members`."""
    return lambda number: number not in members


def _holding(units: Units, term: Term, within: Iterable[int]) -> set[int]:
    """The units among `within` that a substring term holds in."""
    # Each kind spelled out, the unit's bounds looked up inline: this may see every unit.
    chunks, starts, lengths = units.chunks, units.columns.starts, units.columns.lengths
    text, size = term.text, len(term.text)
    if term.kind is TermKind.PREFIX:
        return {
            n
            for n in within
            if chunks[n // CHUNK_UNITS].startswith(text, starts[n], starts[n] + lengths[n])
        }
    if term.kind is TermKind.SUFFIX:
        return {
            n
            for n in within
            if chunks[n // CHUNK_UNITS].endswith(text, starts[n], starts[n] + lengths[n])
        }
    if term.kind is TermKind.WHOLE:
        return {
            n
            for n in within
            if lengths[n] == size and chunks[n // CHUNK_UNITS].startswith(text, starts[n])
        }
    return {
        n
        for n in within
        if chunks[n // CHUNK_UNITS].find(text, starts[n], starts[n] + lengths[n]) >= 0
    }


def _lacking(term: Term, units: Units) -> Callable[[int], bool]:
    """A test that a unit does not hold a term."""
    return lambda number: not units.holds(number, term)


def _postings(vocabulary: Vocabulary, words: list[str]) -> int:
    """How many units the posting lists of some words name, together."""
    return sum(map(vocabulary.count, words))


def _one_list(
    ranked: list[tuple[tuple[Atom, ...], Tiers]], candidates: set[int], tier: int
) -> Sequence[int] | None:
    """The units of the one ranked group at this tier or better when they are one sorted
    list (a word's) and the candidates are that group's units, else None."""
    if len(ranked) != 1 or ranked[0][1].members() is not candidates:
        return None
    parts = [part for t, parts in ranked[0][1].parts.items() if t >= tier for part in parts]
    if len(parts) == 1 and not isinstance(parts[0], set):
        return cast(Sequence[int], parts[0])
    return None


def _within_given(group: tuple[Atom, ...]) -> bool:
    """Whether a group's units are all among the candidates it is looked for in: those of
    substring terms are (filters and words are looked up whole)."""
    return all(isinstance(atom, Term) and _cost(atom) == 2 for atom in group)


def _has_substring(group: tuple[Atom, ...]) -> bool:
    """Whether a group has a term found by checking text (its units depend on the candidates)."""
    return any(isinstance(atom, Term) and _cost(atom) == 2 for atom in group)


def _cost(atom: Atom) -> int:
    if isinstance(atom, Filter):
        return 0
    return 1 if atom.kind is TermKind.FUZZY and WORD_PATTERN.search(atom.text) else 2
