"""Full-text search over a library: units, a word index, query evaluation and ranking.

The index splits everything a reader may look for into units (sentences of source text,
claims, notes, brief titles and summaries, source titles) and keeps a vocabulary of the
words in them with posting lists. A query term is expanded to vocabulary words (the word
itself, words it starts, words within a small edit distance, words holding it or its
letters in order), candidate units are intersected across terms, and only candidates are
scored, so a keystroke costs milliseconds on a hundred thousand units.
"""

from __future__ import annotations

import gc
import heapq
import re
import threading
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePosixPath
from typing import TypeVar

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from briefing_tui.core.model import Brief, Library, PassageRef, Span, Stance
from briefing_tui.core.query import Atom, Field, Filter, Query, Term, TermKind, fold, parse_query

MAX_UNIT_CHARS = 320  # longer sentences and lines are cut at a space (or anywhere) below this
MAX_WORD_CHARS = 48  # words are indexed and compared up to this length
FINE_LIMIT = 4000  # at most this many candidates are scored one by one
SHORT_TERM_BUDGET = 20_000  # posting entries a one- or two-letter term may pull in
TERM_BUDGET = 250_000  # posting entries any other term may pull in
WORD_CAP = 400  # vocabulary words one expansion step may add
MAX_HIGHLIGHTS = 16  # occurrences of one exact term highlighted per unit
CACHE_SIZE = 64  # query words and filters whose lookups are kept between searches

EXACT_WORD, PREFIX_WORD, FUZZY_WORD, PARTIAL_WORD = 3, 2, 1, 0
TIERS = (EXACT_WORD, PREFIX_WORD, FUZZY_WORD, PARTIAL_WORD)
PHRASE_BONUS = 3  # the terms appear together, as typed

T = TypeVar("T")
K = TypeVar("K")
V = TypeVar("V")

_NO_STANCES: frozenset[Stance] = frozenset()
_WORD = re.compile(r"\w+")
_NON_SPACE = re.compile(r"\S")
# Units end at line breaks and at sentence ends: . ! ? or … (with closing quotes or
# brackets) before white space, except after a one-letter word, so that "U.S. President"
# and "D.C." stay whole. The character class comes first so that the scan rejects most
# positions at once.
_BREAK = re.compile(r"(?P<sentence>[.!?…](?<!\b\w\.)[\"'”’)\]]*)\s+|\n")


class HitKind(StrEnum):
    """What kind of unit a search hit is."""

    TEXT = "text"
    CLAIM = "claim"
    NOTE = "note"
    TITLE = "title"
    SUMMARY = "summary"
    SOURCE = "source"


# Kind and brevity order units that match equally well: a title before a long sentence.
_KIND_WEIGHT = {
    HitKind.TITLE: 1.0,
    HitKind.CLAIM: 0.8,
    HitKind.SOURCE: 0.7,
    HitKind.SUMMARY: 0.6,
    HitKind.NOTE: 0.5,
    HitKind.TEXT: 0.3,
}


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
    claim: int | None = None  # claim index in the brief (claims, notes on claims/passages)
    passage: PassageRef | None = None  # for passage notes


@dataclass(frozen=True, slots=True)
class _Unit:
    kind: HitKind
    text: str
    folded: str
    briefs: tuple[int, ...]  # the brief it belongs to, or the briefs that cite its source
    sources: tuple[str, ...]  # the sources it is in or quotes
    stances: frozenset[Stance]
    source_path: str | None = None
    span: Span | None = None
    claim: int | None = None
    passage: PassageRef | None = None

    @property
    def rank(self) -> float:
        """A static score in [0, 1): kind first, then brevity."""
        return 0.5 * _KIND_WEIGHT[self.kind] + 0.49 * 60 / (60 + len(self.text))


def text_units(text: str) -> list[Span]:
    """Split source text into sentences and lines of at most MAX_UNIT_CHARS, without blanks."""
    spans: list[Span] = []
    start = 0
    for brk in _BREAK.finditer(text):
        end = brk.end("sentence") if brk.start("sentence") >= 0 else brk.start()
        if end > start:
            _add_bounded(text, start, end, spans)
        start = brk.end()
    if start < len(text):
        _add_bounded(text, start, len(text), spans)
    return spans


def _add_bounded(text: str, start: int, end: int, spans: list[Span]) -> None:
    if end - start <= MAX_UNIT_CHARS and not (text[start].isspace() or text[end - 1].isspace()):
        spans.append(Span(start, end))
        return
    while (first := _NON_SPACE.search(text, start, end)) is not None:
        start = first.start()
        cut = end
        if end - start > MAX_UNIT_CHARS:
            cut = text.rfind(" ", start + MAX_UNIT_CHARS // 2, start + MAX_UNIT_CHARS)
            if cut <= start:
                cut = start + MAX_UNIT_CHARS
        stop = cut
        while text[stop - 1].isspace():
            stop -= 1
        spans.append(Span(start, stop))
        start = cut


class _Tiers:
    """The units an atom matches, by how well (a unit may sit in several; its best counts).

    Each tier holds collections of unit numbers; sets are built only when asked for, and
    cached, since the same word's tiers serve every keystroke that follows it.
    """

    __slots__ = ("parts", "_sets", "_members", "_at_least")

    def __init__(self, parts: dict[int, list[Collection[int]]]) -> None:
        self.parts = parts
        self._sets: dict[int, set[int]] = {}
        self._members: set[int] | None = None
        self._at_least: dict[int, set[int]] = {}

    @classmethod
    def of(cls, units: set[int]) -> _Tiers:
        """Units that all match fully (a filter, a substring term)."""
        return cls({EXACT_WORD: [units]})

    def units(self, tier: int) -> set[int]:
        """The units matched at exactly this tier (or also at a better one)."""
        if tier not in self._sets:
            parts = self.parts.get(tier, ())
            only = parts[0] if len(parts) == 1 and isinstance(parts[0], set) else None
            self._sets[tier] = only if only is not None else set().union(*parts)
        return self._sets[tier]

    def members(self) -> set[int]:
        """Every unit matched at any tier."""
        if self._members is None:
            self._members = self.at_least(PARTIAL_WORD)
        return self._members

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
            for number in heapq.merge(*self.parts.get(tier, ())):
                if number not in seen:
                    seen.add(number)
                    yield tier, number
                    if len(seen) == count:
                        return

    @property
    def sorted_lists(self) -> bool:
        """Whether every part is a posting list in unit order (so `best` applies)."""
        return all(isinstance(p, list) for parts in self.parts.values() for p in parts)


@dataclass(slots=True)
class _Expansion:
    """The vocabulary words a query word stands for, each with its tier."""

    word: str
    words: dict[str, int]


class SearchIndex:
    """Every searchable unit of a library, with a word index for fast fuzzy lookup."""

    def __init__(self, library: Library, units: list[_Unit]) -> None:
        self._library = library
        self._units = units
        self._folded = [unit.folded for unit in units]
        self._postings, self._long_word_units = _postings(units)
        self._words = sorted(self._postings)
        # One string of the whole vocabulary lets C code find words holding a fragment.
        self._vocabulary = "\n".join(self._words)
        self._word_starts: list[int] = []
        position = 0
        for word in self._words:
            self._word_starts.append(position)
            position += len(word) + 1
        self._by_length: defaultdict[int, list[str]] = defaultdict(list)
        for word in self._words:
            self._by_length[len(word)].append(word)
        self._prefix_groups: dict[int, dict[str, list[str]]] = {}
        self._by_source, self._by_brief, self._by_stance, self._by_kind = _filter_sets(units)
        self._source_labels, self._source_kinds, self._topic_labels = _labels_of(library)
        # Caches of query words and filters, shared by searches running on several threads
        # (a stale search may still be finishing while the next one starts).
        self._filter_cache: dict[tuple[Field, str], set[int]] = {}
        self._word_cache: dict[str, _Tiers] = {}
        self._expansion_cache: dict[str, _Expansion] = {}
        self._cache_lock = threading.Lock()

    @classmethod
    def build(cls, library: Library) -> SearchIndex:
        """Index every source text, claim, note, brief title and summary, and source title."""
        # Building creates millions of objects that all live on. Pausing the cyclic garbage
        # collector spares it dozens of useless passes (a third of the time), and freezing
        # what exists afterwards keeps later passes, which would stall a keystroke for
        # 200 ms at 100,000 units, from walking them again. Reference counting still frees
        # the index when it is dropped.
        collecting = gc.isenabled()
        gc.disable()
        try:
            index = cls(library, sorted(_collect_units(library), key=lambda u: -u.rank))
            gc.freeze()
            return index
        finally:
            if collecting:
                gc.enable()

    def __len__(self) -> int:
        """How many units are searchable."""
        return len(self._units)

    def clear_cache(self) -> None:
        """Forget what earlier queries cached (their words and filters)."""
        with self._cache_lock:
            self._word_cache.clear()
            self._expansion_cache.clear()
            self._filter_cache.clear()

    def unit_texts(self) -> Iterator[str]:
        """The text of every unit, best static rank first (for references and benchmarks)."""
        return (unit.text for unit in self._units)

    def search(self, query: str | Query, limit: int = 50) -> list[SearchHit]:
        """The best `limit` hits for a query, best first; any string is a valid query."""
        parsed = parse_query(query) if isinstance(query, str) else query
        if parsed.is_empty or limit <= 0:
            return []
        return _Search(self, parsed, limit).run()

    # Lookups used by a running search.

    def _expand(self, word: str) -> _Expansion:
        """The vocabulary words `word` stands for, best tier first (cached)."""
        word = word[:MAX_WORD_CHARS]
        expansion = self._expansion_cache.get(word)
        if expansion is None:
            expansion = self._remember(self._expansion_cache, word, self._expand_now(word))
        return expansion

    def _remember(self, cache: dict[K, V], key: K, value: V) -> V:
        """Keep a value in a bounded cache, the oldest going first."""
        with self._cache_lock:
            if len(cache) >= CACHE_SIZE:
                cache.pop(next(iter(cache)))
            cache[key] = value
        return value

    def _expand_now(self, word: str) -> _Expansion:
        """The exact word, words it starts, near words, then words holding it or its letters."""
        found: dict[str, int] = {}
        if word in self._postings:
            found[word] = EXACT_WORD
        for other in self._with_prefix(word):
            found.setdefault(other, PREFIX_WORD)
        if len(word) >= 3:
            for other in self._near(word):
                found.setdefault(other, FUZZY_WORD)
            for other in self._partial(word):
                found.setdefault(other, PARTIAL_WORD)
        return _Expansion(word, found)

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
        yield from self._containing(word) or ()
        first = bisect_left(self._words, word[0])
        if first == len(self._words):
            return
        last = bisect_left(self._words, chr(ord(word[0]) + 1))
        end = self._word_starts[last] if last < len(self._words) else len(self._vocabulary)
        scattered = re.compile("^" + "[^\n]*?".join(map(re.escape, word)), re.MULTILINE)
        matches = scattered.finditer(self._vocabulary, self._word_starts[first], end)
        for match, _ in zip(matches, range(WORD_CAP), strict=False):
            yield self._words[bisect_right(self._word_starts, match.start()) - 1]

    def _containing(self, fragment: str) -> list[str] | None:
        """The vocabulary words holding `fragment`, or None when there are too many."""
        found: list[str] = []
        position = self._vocabulary.find(fragment)
        while position >= 0:
            if len(found) == WORD_CAP:
                return None
            index = bisect_right(self._word_starts, position) - 1
            found.append(self._words[index])
            after = index + 1
            if after == len(self._words):
                break
            position = self._vocabulary.find(fragment, self._word_starts[after])
        return found

    def _word_units(self, expansion: _Expansion, budget: int) -> _Tiers:
        """The posting lists of the expanded words, best tiers first, within the budget."""
        parts: dict[int, list[Collection[int]]] = {}
        spent = 0
        for tier in TIERS:
            for word, word_tier in expansion.words.items():
                units = self._postings[word]
                if word_tier != tier:
                    continue
                if spent and spent + len(units) > budget:
                    break
                parts.setdefault(tier, []).append(units)
                spent += len(units)
        return _Tiers(parts)

    def _word_tiers(self, word: str) -> _Tiers:
        """A query word's units by tier, cached: the words typed before are asked again."""
        tiers = self._word_cache.get(word)
        if tiers is None:
            budget = SHORT_TERM_BUDGET if len(word) <= 2 else TERM_BUDGET
            tiers = self._remember(
                self._word_cache, word, self._word_units(self._expand(word), budget)
            )
        return tiers

    def _filter_units(self, field: Field, value: str) -> set[int]:
        """The units a filter admits (cached: filters are typed first and kept)."""
        units = self._filter_cache.get((field, value))
        if units is None:
            units = self._remember(
                self._filter_cache, (field, value), self._resolve_filter(field, value)
            )
        return units

    def _resolve_filter(self, field: Field, value: str) -> set[int]:
        if field is Field.STANCE:
            stances = [s for s in Stance if _label_matches(value, s.value)]
            return set().union(*(self._by_stance.get(s, ()) for s in stances))
        if field is Field.TOPIC:
            briefs = self.topic_briefs(value)
            return set().union(*(self._by_brief.get(b, ()) for b in briefs))
        if field is Field.SOURCE:
            paths = _matching(value, self._source_labels)
            return set().union(*(self._by_source.get(p, ()) for p in paths))
        kinds = [k for k in HitKind if k.value.startswith(value)]
        paths = _matching(value, self._source_kinds)
        return set().union(
            *(self._by_kind.get(k, ()) for k in kinds),
            *(self._by_source.get(p, ()) for p in paths),
        )

    def topic_briefs(self, value: str) -> set[int]:
        """The briefs a `topic:` value names, by title, file or tag."""
        return _matching(value, self._topic_labels)

    def _hit(
        self, number: int, score: float, matches: Iterable[int], briefs: set[int] | None
    ) -> SearchHit:
        unit = self._units[number]
        brief = next((b for b in unit.briefs if briefs is None or b in briefs), None)
        return SearchHit(
            kind=unit.kind,
            text=unit.text,
            matches=tuple(sorted({m for m in matches if 0 <= m < len(unit.text)})),
            score=round(score, 4),
            brief=brief if brief is not None else (unit.briefs[0] if unit.briefs else None),
            source_path=unit.source_path,
            span=unit.span,
            claim=unit.claim,
            passage=unit.passage,
        )


def _postings(units: list[_Unit]) -> tuple[dict[str, list[int]], set[int]]:
    """Each word's units in unit order, and the units with words longer than MAX_WORD_CHARS
    (filed under their first MAX_WORD_CHARS characters)."""
    postings: defaultdict[str, list[int]] = defaultdict(list)
    words_in = _WORD.findall
    for number, unit in enumerate(units):
        for word in set(words_in(unit.folded)):
            postings[word].append(number)
    long_word_units: set[int] = set()
    for word in [w for w in postings if len(w) > MAX_WORD_CHARS]:
        units_with = postings.pop(word)
        long_word_units.update(units_with)
        merged = set(postings.get(word[:MAX_WORD_CHARS], ())).union(units_with)
        postings[word[:MAX_WORD_CHARS]] = sorted(merged)
    return dict(postings), long_word_units


_FilterSets = tuple[
    dict[str, set[int]], dict[int, set[int]], dict[Stance, set[int]], dict[HitKind, set[int]]
]


def _filter_sets(units: list[_Unit]) -> _FilterSets:
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
    return [(fold(label)[:200], target) for label in dict.fromkeys(labels) if label]


def _label_matches(value: str, label: str) -> bool:
    """Whether a filter value names this label: contained in it, or close to it."""
    return bool(_matching(value, [(label, label)]))


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


def _collect_units(library: Library) -> Iterator[_Unit]:
    cited_by: defaultdict[str, list[int]] = defaultdict(list)
    quoted: defaultdict[str, list[tuple[Span, Stance]]] = defaultdict(list)
    for brief in library.briefs:
        for named in brief.sources:
            if brief.index not in cited_by[named.source.path]:
                cited_by[named.source.path].append(brief.index)
        for passage in brief.passages():
            named = brief.source(passage.source_key)
            if named is not None and passage.span is not None:
                quoted[named.source.path].append((passage.span, passage.stance))
    for path in sorted(library.sources):
        source = library.sources[path]
        briefs = tuple(cited_by.get(path, ()))
        yield from _source_units(source.text, path, briefs, quoted.get(path, []))
        title = " — ".join(t for t in (source.meta.title, source.meta.outlet) if t) or path
        yield _unit(HitKind.SOURCE, title, briefs, (path,), source_path=path)
    for brief in library.briefs:
        yield from _brief_units(brief.index, library)


def _unit(
    kind: HitKind,
    text: str,
    briefs: tuple[int, ...],
    sources: tuple[str, ...] = (),
    stances: frozenset[Stance] = frozenset(),
    **where: object,
) -> _Unit:
    text = text.strip()
    return _Unit(kind, text, fold(text), briefs, sources, stances, **where)  # type: ignore[arg-type]


def _source_units(
    text: str, path: str, briefs: tuple[int, ...], quoted: list[tuple[Span, Stance]]
) -> Iterator[_Unit]:
    spans = text_units(text)
    starts = [span.start for span in spans]
    stances: defaultdict[int, set[Stance]] = defaultdict(set)
    for quote, stance in quoted:
        index = max(bisect_right(starts, quote.start) - 1, 0)
        while index < len(spans) and spans[index].start < quote.end:
            if spans[index].end > quote.start:
                stances[index].add(stance)
            index += 1
    folded = fold(text)
    sources = (path,)
    for index, (start, end) in enumerate(spans):
        yield _Unit(
            HitKind.TEXT,
            text[start:end],
            folded[start:end],
            briefs,
            sources,
            frozenset(stances[index]) if index in stances else _NO_STANCES,
            source_path=path,
            span=spans[index],
        )


def _brief_units(index: int, library: Library) -> Iterator[_Unit]:
    brief = library.briefs[index]
    own = (index,)
    cited = tuple(named.source.path for named in brief.sources)
    yield _unit(HitKind.TITLE, brief.title, own, cited)
    if brief.summary:
        yield _unit(HitKind.SUMMARY, brief.summary, own, cited)
    for claim in brief.claims:
        paths = []
        for passage in claim.passages:
            named = brief.source(passage.source_key)
            if named is not None and named.source.path not in paths:
                paths.append(named.source.path)
        stances = frozenset(p.stance for p in claim.passages)
        yield _unit(HitKind.CLAIM, claim.text, own, tuple(paths), stances, claim=claim.index)
        if claim.note:
            yield _unit(HitKind.NOTE, claim.note, own, tuple(paths), stances, claim=claim.index)
        for passage in claim.passages:
            if not passage.note:
                continue
            named = brief.source(passage.source_key)
            path = named.source.path if named is not None else None
            yield _unit(
                HitKind.NOTE,
                passage.note,
                own,
                (path,) if path else (),
                frozenset({passage.stance}),
                source_path=path,
                claim=claim.index,
                passage=passage.ref,
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
        # Filters first (set lookups), then words (index lookups), then substring checks.
        positive.sort(key=lambda g: min(_cost(a) for a in g))
        candidates: set[int] | None = None
        ranked: list[tuple[tuple[Atom, ...], _Tiers]] = []
        for group in positive:
            tiers = self._group(group, candidates)
            if len(groups) == 1:
                return self._best_of(tiers)
            members = tiers.members()
            candidates = members if candidates is None else candidates & members
            if any(isinstance(a, Term) for a in group):
                ranked.append((group, tiers))
            if not candidates:
                return []
        checks = [self._check(g, candidates) for g in groups if any(a.negated for a in g)]
        if candidates is None:
            return self._unranked(checks)
        if checks:
            candidates = {u for u in candidates if all(check(u) for check in checks)}
        return self._ranked(candidates, ranked)

    def _best_of(self, tiers: _Tiers) -> list[SearchHit]:
        """A query of one group: its best tier first, each tier in static order."""
        units = self.index._units
        if tiers.sorted_lists:  # straight off the posting lists, no sets built
            best = list(tiers.best(self.limit))
        else:
            best: list[tuple[int, int]] = []
            seen: set[int] = set()
            for tier in TIERS:
                if tier in tiers.parts and len(best) < self.limit:
                    fresh = tiers.units(tier) - seen if seen else tiers.units(tier)
                    best += [(tier, n) for n in heapq.nsmallest(self.limit - len(best), fresh)]
                    seen.update(n for _, n in best)
        return [
            self.index._hit(n, tier + units[n].rank, self._matches(n, None), self.briefs)
            for tier, n in best
        ]

    def _unranked(self, checks: list[Callable[[int], bool]]) -> list[SearchHit]:
        """Only negations: every other unit qualifies, in static order."""
        found: list[SearchHit] = []
        units = self.index._units
        for number in range(len(units)):
            if all(check(number) for check in checks):
                found.append(self.index._hit(number, units[number].rank, (), self.briefs))
                if len(found) == self.limit:
                    break
        return found

    def _ranked(
        self, candidates: set[int], ranked: list[tuple[tuple[Atom, ...], _Tiers]]
    ) -> list[SearchHit]:
        """Score the candidates by the tiers of every group, the phrase, and static rank."""
        units = self.index._units
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
        phrase = self._phrase()
        if phrase:
            for number in candidates:
                if phrase in units[number].folded:
                    totals[number] += PHRASE_BONUS
        best = heapq.nsmallest(self.limit, candidates, key=lambda n: (-totals[n], n))
        return [
            self.index._hit(n, totals[n] + units[n].rank, self._matches(n, phrase), self.briefs)
            for n in best
        ]

    def _best_candidates(self, candidates: set[int], ranked: list[_Tiers]) -> set[int]:
        """At most FINE_LIMIT candidates, those whose worst term matches best first."""
        kept: set[int] = set()
        for tier in TIERS:
            level = candidates.intersection(*(t.at_least(tier) for t in ranked)) - kept
            room = FINE_LIMIT - len(kept)
            if len(level) >= room:
                return kept.union(sorted(level)[:room])
            kept |= level
        return kept.union(sorted(candidates - kept)[: FINE_LIMIT - len(kept)])

    def _phrase(self) -> str | None:
        """The plain words of the query as typed, when there are two or more."""
        words = [
            g[0].text
            for g in self.query.groups
            if len(g) == 1 and isinstance(g[0], Term) and g[0].kind is TermKind.FUZZY
        ]
        return " ".join(words) if len(words) >= 2 else None

    def _group(self, group: tuple[Atom, ...], within: set[int] | None) -> _Tiers:
        """The units of a group's alternatives together."""
        if len(group) == 1:
            return self._atom(group[0], within)
        parts: dict[int, list[Collection[int]]] = {}
        for atom in group:
            for tier, collections in self._atom(atom, within).parts.items():
                parts.setdefault(tier, []).extend(collections)
        return _Tiers(parts)

    def _atom(self, atom: Atom, within: set[int] | None) -> _Tiers:
        """The units one filter or term matches, by tier."""
        if isinstance(atom, Filter):
            return _Tiers.of(self.index._filter_units(atom.field, atom.value))
        words = _WORD.findall(atom.text)
        if atom.kind is not TermKind.FUZZY or not words:
            return _Tiers.of(self._verified(atom, words, within))
        per_word = [self.index._word_tiers(word) for word in words]
        if len(per_word) == 1:
            return per_word[0]
        # Several words in one term ("u.s.-japan"): all must match; the worst one counts.
        members = set.intersection(*(t.members() for t in per_word))
        return _Tiers(
            {tier: [members.intersection(*(t.at_least(tier) for t in per_word))] for tier in TIERS}
        )

    def _verified(self, term: Term, words: list[str], within: set[int] | None) -> set[int]:
        """Units in which a substring term holds, checked on the fewest units we can."""
        index = self.index
        if within is None and words:
            # Any unit holding the term has a vocabulary word holding its longest word.
            holders = index._containing(max(words, key=len)[:MAX_WORD_CHARS])
            if holders is not None:
                within = index._long_word_units.union(*(index._postings[w] for w in holders))
        pool: Iterable[int] = range(len(index._units)) if within is None else within
        folded, text = index._folded, term.text
        # Each kind spelled out: this loop may see every unit, so no call per unit.
        if term.kind is TermKind.PREFIX:
            return {n for n in pool if folded[n].startswith(text)}
        if term.kind is TermKind.SUFFIX:
            return {n for n in pool if folded[n].endswith(text)}
        if term.kind is TermKind.WHOLE:
            return {n for n in pool if folded[n] == text}
        return {n for n in pool if text in folded[n]}

    def _check(self, group: tuple[Atom, ...], within: set[int] | None) -> Callable[[int], bool]:
        """A test for a group with negations: does a unit satisfy any of its atoms?"""
        tests: list[Callable[[int], bool]] = []
        units = self.index._units
        for atom in group:
            if isinstance(atom, Filter):
                members = self.index._filter_units(atom.field, atom.value)
                tests.append(
                    (lambda n, m=members: n not in m) if atom.negated else members.__contains__
                )
            elif atom.negated:
                tests.append(lambda n, t=atom: not _holds(t, units[n].folded))
            else:
                tests.append(self._atom(atom, within).members().__contains__)
        return lambda n: any(test(n) for test in tests)

    def _matches(self, number: int, phrase: str | None) -> list[int]:
        """Offsets of the characters the query's positive terms matched in a unit."""
        folded = self.index._units[number].folded
        offsets: list[int] = []
        for atom in self.query.atoms:
            if isinstance(atom, Term) and not atom.negated:
                offsets += self._term_offsets(atom, folded)
        if phrase and (at := folded.find(phrase)) >= 0:
            offsets += range(at, at + len(phrase))
        return offsets

    def _term_offsets(self, term: Term, folded: str) -> list[int]:
        text = term.text
        words = _WORD.findall(text)
        if term.kind is TermKind.FUZZY and words:
            offsets: list[int] = []
            for word in words:
                offsets += _word_offsets(self.index._expand(word), folded)
            return offsets
        if not _holds(term, folded):
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


def _cost(atom: Atom) -> int:
    if isinstance(atom, Filter):
        return 0
    return 1 if atom.kind is TermKind.FUZZY and _WORD.search(atom.text) else 2


def _holds(term: Term, folded: str) -> bool:
    """Whether a substring-kind term holds in a folded unit text."""
    if term.kind is TermKind.PREFIX:
        return folded.startswith(term.text)
    if term.kind is TermKind.SUFFIX:
        return folded.endswith(term.text)
    if term.kind is TermKind.WHOLE:
        return folded == term.text
    return term.text in folded


def _word_offsets(expansion: _Expansion, folded: str) -> list[int]:
    """Offsets matched by one query word: in the unit's words of the best tier it reaches."""
    best: list[tuple[int, re.Match[str]]] = []
    top = -1
    for match in _WORD.finditer(folded):
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


def snippet(text: str, matches: tuple[int, ...], width: int = 100) -> tuple[str, tuple[int, ...]]:
    """One line of at most `width` characters around the first match, with the matches in it."""
    line = text.replace("\n", " ").replace("\t", " ")
    width = max(width, 8)
    if len(line) <= width:
        return line, matches
    first = matches[0] if matches else 0
    start = max(0, min(first - width // 3, len(line) - width + 1))
    end = min(len(line), start + width - 2)
    lead = "…" if start > 0 else ""
    shift = len(lead) - start
    cut = lead + line[start:end] + ("…" if end < len(line) else "")
    return cut, tuple(m + shift for m in matches if start <= m < end)


def hit_line(library: Library, hit: SearchHit) -> int | None:
    """The line of the source file on which a text hit starts."""
    source = library.sources.get(hit.source_path or "")
    if source is None or hit.span is None:
        return None
    return source.body_line + source.text.count("\n", 0, hit.span.start)


def hit_place(library: Library, hit: SearchHit) -> str:
    """Where a hit is, for a person: topic, claim, source and line as they apply."""
    parts: list[str] = []
    brief = library.briefs[hit.brief] if hit.brief is not None else None
    if brief is not None:
        parts.append(brief.title)
    if hit.claim is not None:
        parts.append(f"claim {hit.claim + 1}")
    if hit.source_path is not None:
        parts.append(_source_label(library, brief, hit.source_path))
    line = hit_line(library, hit)
    place = " › ".join(parts)
    return f"{place}, line {line}" if line is not None else place


def _source_label(library: Library, brief: Brief | None, path: str) -> str:
    """The name the brief gives a source, else its outlet or title, else its path."""
    for named in brief.sources if brief is not None else ():
        if named.source.path == path:
            return named.label
    source = library.sources.get(path)
    if source is None:
        return path
    return source.meta.outlet or source.meta.title or path


def match_runs(matches: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted offsets grouped into half-open runs of consecutive characters."""
    runs: list[tuple[int, int]] = []
    for offset in matches:
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs


def hit_context(library: Library, hit: SearchHit, radius: int = 400) -> tuple[str, int]:
    """Whole lines of source text around a text hit, and where the hit's text starts in them.

    Other hits have no surrounding text: their own text comes back, starting at 0.
    """
    source = library.sources.get(hit.source_path or "")
    if source is None or hit.span is None:
        return hit.text, 0
    text = source.text
    start, end = max(0, hit.span.start - radius), min(len(text), hit.span.end + radius)
    if start > 0:
        line_break = text.find("\n", start, hit.span.start)
        space = text.find(" ", start, hit.span.start)
        start = line_break + 1 if line_break >= 0 else max(space + 1, start)
    if end < len(text):
        line_break = text.rfind("\n", hit.span.end, end)
        end = line_break if line_break >= 0 else end
    return text[start:end], hit.span.start - start
