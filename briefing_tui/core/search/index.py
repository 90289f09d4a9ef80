"""The search index of a library (units, vocabulary, filters) and how a query runs on it."""

from __future__ import annotations

import gc
import heapq
import re
import threading
from bisect import bisect_left
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property
from itertools import islice
from typing import TypeVar, cast

from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.search.catalog import Catalog
from briefing_tui.core.search.filters import Labels, UnitFilters
from briefing_tui.core.search.matching import (
    EXACT_WORD,
    MAX_WORD_CHARS,
    PARTIAL_WORD,
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
CHECK_BATCH = 500  # candidates checked or scored together (in C), between looks at the best
FEW_CANDIDATES = 20_000  # units of the smallest group below which restricting all to them pays
PHRASE_CHECKS = 2000  # units the phrase is checked in at first, when only they may hold it

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
        self.phrase = self._phrase()
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
        checked = [g for g in positive if _has_substring(g)]
        negated = [g for g in groups if any(a.negated for a in g)]
        if looked_up and not checked and not negated and looked_up[0][1].size() > FEW_CANDIDATES:
            # Many candidates: the levels find them, best first, with no set of them all built.
            ranked = [tiers for group, tiers in looked_up if _has_term(group)]
            return self._hits(self._best(self._levels([t for _, t in looked_up], None), ranked))
        among = _Among(looked_up)
        if (
            looked_up
            and checked
            and among.more_than(2 * PROBE)  # else checking them all costs little more
            and all(_within_given(g) and self._common(g) for g in checked)
        ):
            found = self._checked_in_order(among, checked, negated)
            if found is not None:
                return found
        candidates, ranked = among.units(), among.ranked()
        if candidates is not None and not candidates:
            return []
        for group in checked:
            tiers = self._group(group, candidates)
            if candidates is not None and not _within_given(group):
                tiers = tiers.restricted(candidates)
            candidates = tiers.members()
            ranked.append(tiers)
            if not candidates:
                return []
        checks = [self._check(g, candidates) for g in negated]
        if candidates is None:
            return self._unranked(checks)
        if checks:
            candidates = {u for u in candidates if all(check(u) for check in checks)}
        return self._hits(self._best(self._levels(ranked, candidates), ranked))

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

    def _best(
        self,
        levels: Iterator[tuple[int, list[int]]],
        ranked: list[Tiers],
        checked: int = 0,
        checks: _Checks | None = None,
    ) -> list[tuple[int, int]]:
        """(unit, total) for the best `limit` of the first FINE_LIMIT units the levels give
        (that pass the checks), by total, then static rank: scored a chunk at a time, until
        no unit left could be among them."""
        top = _Top(self.limit, len(self.index._units))
        phrase = Term(self.phrase, TermKind.EXACT) if self.phrase else None
        base = EXACT_WORD * checked
        # The most a unit can score at a level: the level in its worst group, and the best
        # tier of each other group (and the phrase's bonus).
        tops = [max(tiers.parts, default=PARTIAL_WORD) for tiers in ranked]
        others = sum(tops) - min(tops) if tops else 0
        kept = 0
        for tier, chunk in levels:
            # Units come in static order within a tier, and a tier is worth less than the one
            # before: once one cannot be among the best, none after it can.
            most = base + (tier + others if ranked else 0)
            ready = top.entering(most + (PHRASE_BONUS if phrase else 0), chunk)
            if phrase and len(top.entering(most, chunk)) < len(ready) and not self._phrase_held:
                phrase = None  # no unit earns the bonus: none to hope for or to look for
                ready = top.entering(most, chunk)
            passing = checks.passing(ready) if checks is not None else ready
            passing = passing[: FINE_LIMIT - kept]
            kept += len(passing)
            top.offer(self._totals(tier, passing, ranked, base, phrase))
            if len(ready) < len(chunk) or kept == FINE_LIMIT:
                break
        return top.best()

    def _totals(
        self, level: int, units: list[int], ranked: list[Tiers], base: int, phrase: Term | None
    ) -> dict[int, int]:
        """The totals of units at a level: `base` (what checked terms give), their best tier
        in every ranked group, and the bonus for those holding the phrase."""
        totals = dict.fromkeys(units, base + level * len(ranked))
        # Every group matches them at the level or better: only better tiers are looked in.
        for tiers in ranked:
            left = set(units)
            for tier in TIERS:
                if tier <= level or not left:
                    break
                if tier in tiers.parts:
                    hit = tiers.units_among(tier, left)
                    for number in hit:
                        totals[number] += tier - level
                    left -= hit
        if phrase is not None:
            for number in _holding(self.index._units, phrase, units):
                totals[number] += PHRASE_BONUS
        return totals

    @cached_property
    def _phrase_held(self) -> bool:
        """Whether some unit may hold the phrase; not when the few that may (those of the
        vocabulary words holding one of its words, and of long words) do not."""
        if self.phrase is None:
            return False
        # Each word of the phrase lies in a word of a unit holding it (see _verified).
        phrase = Term(self.phrase, TermKind.EXACT)
        vocabulary = self.index._vocabulary
        fewest: int | None = None
        holders: list[str] = []
        for word in WORD_PATTERN.findall(phrase.text):
            found = vocabulary.containing(word[:MAX_WORD_CHARS])
            if found is None:
                continue
            postings = _postings(vocabulary, found)
            if fewest is None or postings < fewest:
                fewest, holders = postings, found
        if fewest is None or fewest + len(vocabulary.long_word_units) > PHRASE_CHECKS:
            return True
        within = vocabulary.long_word_units.union(*map(vocabulary.units_of, holders))
        return bool(_holding(self.index._units, phrase, within))

    def _hits(self, best: list[tuple[int, int]]) -> list[SearchHit]:
        """The hits of the best units, with their totals and static rank as scores."""
        units = self.index._units
        return [
            self.index._hit(n, total + units.rank(n), self._matches(n, self.phrase), self.briefs)
            for n, total in best
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
        self, among: _Among, checked: list[tuple[Atom, ...]], negated: list[tuple[Atom, ...]]
    ) -> list[SearchHit] | None:
        """The hits when substring terms are checked last: in the candidates by level, a batch
        at a time, until enough are found, not in every candidate; None if too few hold them."""
        candidates = among.units() if negated else among.built()
        checks = _Checks(
            self.index._units,
            [cast(tuple[Term, ...], group) for group in checked],
            [self._check(g, candidates) for g in negated],
        )
        looked_up = among.looked_up
        ranked = [tiers for group, tiers in looked_up if _has_term(group)]
        # Chunks no longer than the first probe, so that it is judged on time.
        constraints = [tiers for _, tiers in looked_up]
        levels = self._levels(constraints, candidates, min(CHECK_BATCH, PROBE))
        try:
            best = self._best(levels, ranked, len(checked), checks)
        except _TooFew:
            return None
        return self._hits(best)

    def _levels(
        self, constraints: list[Tiers], among: set[int] | None, size: int = CHECK_BATCH
    ) -> Iterator[tuple[int, list[int]]]:
        """(tier, units in static order) for the units all constraints match (of `among`, if
        given), by the tier their worst one matches them at, best first: the units of the
        one matching fewest there (or of `among`) taken in order, and the others asked of
        `size` of them at a time, so that what it costs follows what is used."""
        better: set[int] = set()  # the units of the tiers before
        for tier in TIERS:
            if tier != EXACT_WORD and not any(tier in c.parts for c in constraints):
                continue  # every constraint matches the same units here as a tier better
            rest = sorted(constraints, key=lambda c: _count_at_least(c, tier))
            if rest and _count_at_least(rest[0], tier) == 0:
                continue  # one matches none this well
            source = among if among is not None else rest.pop(0)
            fresh: list[int] = []
            for chunk in _chunks(self._in_order(source, tier, better), size):
                held = set(chunk)
                for tiers in rest:
                    held = tiers.at_least_among(tier, held) if held else held
                passing = [number for number in chunk if number in held]
                if passing:
                    fresh += passing
                    yield tier, passing
            better = better.union(fresh)

    def _in_order(self, source: Tiers | set[int], tier: int, better: set[int]) -> Iterable[int]:
        """The units of a set, or those some tiers match at this tier or better, that are
        not in `better`, in static order."""
        if isinstance(source, set):
            units = source
        else:
            parts = [part for t, parts in source.parts.items() if t >= tier for part in parts]
            if len(parts) == 1 and not isinstance(parts[0], set):
                # One word's list: in order already, no set built.
                return (n for n in cast(Sequence[int], parts[0]) if n not in better)
            units = source.at_least(tier)
        fresh = units - better if better else units
        end = len(self.index._units)
        # Sorted when few, else tried in turn (C code does).
        return sorted(fresh) if len(fresh) * 16 < end else filter(fresh.__contains__, range(end))

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


def _count_at_least(tiers: Tiers, tier: int) -> int:
    """How many units some tiers name at this tier or better, at most."""
    return sum(len(part) for t, parts in tiers.parts.items() if t >= tier for part in parts)


def _chunks(units: Iterable[int], size: int) -> Iterator[list[int]]:
    """The units in lists of `size` (the last one shorter)."""
    it = iter(units)
    while chunk := list(islice(it, size)):
        yield chunk


class _TooFew(Exception):
    """Too few candidates hold the substring terms for checking them in order to pay."""


class _Checks:
    """The substring terms and negations candidates are checked against, and how many were."""

    def __init__(
        self, units: Units, terms: list[tuple[Term, ...]], negations: list[Callable[[int], bool]]
    ) -> None:
        self._units = units
        self._terms = terms  # groups of alternatives: each group must hold
        self._negations = negations
        self._tried = 0
        self._found = 0

    def passing(self, units: list[int]) -> list[int]:
        """The units that pass, in order; _TooFew when too many were tried, or too few of
        the first PROBE passed (finding them all costs less)."""
        if self._tried >= LEVEL_TRIES or (self._tried >= PROBE and self._found < PROBE_FOUND):
            raise _TooFew
        held = set(units)
        for alternatives in self._terms:
            held = set().union(*(_holding(self._units, term, held) for term in alternatives))
        passing = [n for n in units if n in held and all(check(n) for check in self._negations)]
        self._tried += len(units)
        self._found += len(passing)
        return passing


class _Top:
    """The best `limit` units offered, by total, then static rank."""

    def __init__(self, limit: int, end: int) -> None:
        self._limit = limit
        self._end = end  # unit numbers are below it
        # Each unit as one number, more for a better unit (no tuples for the collector).
        self._keys: list[int] = []  # a heap, the worst first

    def entering(self, most: int, units: list[int]) -> list[int]:
        """The first of some units in order, scoring `most` at best, that may be among the
        best (the others cannot)."""
        if len(self._keys) < self._limit:
            return units
        # A unit enters when its key is more than the worst one's: when its number is less.
        return units[: bisect_left(units, self._key(most, 0) - self._keys[0])]

    def offer(self, totals: dict[int, int]) -> None:
        """Keep the units (by their totals) that are among the best so far."""
        keys = [self._key(total, number) for number, total in totals.items()]
        # Ascending, the best `limit` are a heap again.
        self._keys = heapq.nlargest(self._limit, self._keys + keys)[::-1]

    def best(self) -> list[tuple[int, int]]:
        """(unit, total) of the units kept, best first."""
        return [
            (self._end - 1 - key % self._end, key // self._end)
            for key in sorted(self._keys, reverse=True)
        ]

    def _key(self, total: int, number: int) -> int:
        """A unit's place as one number: more for a higher total, then for a lower number."""
        return total * self._end + self._end - 1 - number


class _Among:
    """The candidates: the units every looked-up group matches, each group restricted to the
    units of those before it, worked out only when asked (the levels need no set of them)."""

    def __init__(self, looked_up: list[tuple[tuple[Atom, ...], Tiers]]) -> None:
        self.looked_up = looked_up
        self._found: tuple[set[int] | None, list[Tiers]] | None = None

    def more_than(self, count: int) -> bool:
        """Whether there are more than `count` (a group alone may tell by its lists' lengths)."""
        if len(self.looked_up) == 1:
            # A list names a unit once; the group's units are at least its longest list.
            lengths = [len(p) for parts in self.looked_up[0][1].parts.values() for p in parts]
            if max(lengths, default=0) > count:
                return True
            if sum(lengths) <= count:
                return False
        units = self.units()
        return units is not None and len(units) > count

    def built(self) -> set[int] | None:
        """The candidates if worked out already, else None."""
        return self._found[0] if self._found is not None else None

    def units(self) -> set[int] | None:
        """The candidates (None without looked-up groups; empty as soon as a group has none)."""
        return self._restricted()[0]

    def ranked(self) -> list[Tiers]:
        """The restricted tiers of the groups with terms, which rank the candidates."""
        return list(self._restricted()[1])

    def _restricted(self) -> tuple[set[int] | None, list[Tiers]]:
        """The candidates and the ranked groups' restricted tiers, worked out once."""
        if self._found is None:
            candidates: set[int] | None = None
            ranked: list[Tiers] = []
            for group, tiers in self.looked_up:
                if candidates is not None:
                    tiers = tiers.restricted(candidates)
                candidates = tiers.members()
                if _has_term(group):
                    ranked.append(tiers)
                if not candidates:
                    break
            self._found = (candidates, ranked)
        return self._found


def _within_given(group: tuple[Atom, ...]) -> bool:
    """Whether a group's units are all among the candidates it is looked for in: those of
    substring terms are (filters and words are looked up whole)."""
    return all(isinstance(atom, Term) and _cost(atom) == 2 for atom in group)


def _has_term(group: tuple[Atom, ...]) -> bool:
    """Whether a group has a term (which ranks its units; a filter does not)."""
    return any(isinstance(atom, Term) for atom in group)


def _has_substring(group: tuple[Atom, ...]) -> bool:
    """Whether a group has a term found by checking text (its units depend on the candidates)."""
    return any(isinstance(atom, Term) and _cost(atom) == 2 for atom in group)


def _cost(atom: Atom) -> int:
    if isinstance(atom, Filter):
        return 0
    return 1 if atom.kind is TermKind.FUZZY and WORD_PATTERN.search(atom.text) else 2
