"""Unquoted evidence for a claim: the sentences of its sources that likely bear on it, ranked.

Each source's sentences (`text_units`) are indexed once by their stemmed words; a claim is
scored against them with BM25 (rare words shared with the claim and its passages weigh most,
with idf taken over the candidate sentences), plus a bonus for a figure or date that matches
or differs from the claim's. A stance is never guessed: only a figure of the claim's own
dimension that cannot be the claim's makes a suggestion a possible conflict.
"""

from __future__ import annotations

import heapq
import math
import re
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from briefing_tui.core.figures import (
    CURRENCIES,
    DURATION_UNITS,
    SCALES,
    Figure,
    FigureKind,
    consistent,
    extract_figures,
)
from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.model import (
    AnchorStatus,
    Brief,
    Claim,
    Library,
    Source,
    Span,
    Stance,
)
from briefing_tui.core.search.matching import WORD_PATTERN
from briefing_tui.core.search.units import text_units
from briefing_tui.core.yamlwrite import passage_yaml, yaml_key, yaml_scalar

DEFAULT_LIMIT = 5
# BM25: how fast repeats of a word stop counting, and how much length costs (less than
# BM25's usual 0.75: a long sentence is not worse evidence; bench/bench_suggest.py).
K1, B = 1.2, 0.5
# How much a word counts by where the query took it from: the claim says what is sought,
# its passages how the sources word it.
CLAIM_WEIGHT, PASSAGE_WEIGHT = 1.0, 0.4
# A figure of the claim's dimension is evidence of its own, worth about one rare word.
MATCH_BONUS, CONFLICT_BONUS = 3.0, 3.0
# Sentences shorter than this many words are headings or page debris, not evidence.
MIN_WORDS = 4
# A suggestion needs this many distinct shared words, or one and a figure of the claim's.
MIN_SHARED = 2
# On a large library, sentences are looked up by the query's most telling words until
# their postings add up to this many, and so many of the best are scored on every word.
POSTINGS_BUDGET, RESCORED = 8_000, 150
# How many shared words a reason names.
SHOWN_TERMS = 4
# How much text around a repeated quote is tried as prefix and suffix, widening until the
# quote anchors uniquely at its own place.
CONTEXT_WIDTHS = (24, 48, 96, 192, 400)
# Keys suggested for sources a brief does not declare yet (with all sources) stay short.
KEY_CHARS = 32
NOTE_PREFIX = "suggested by briefing suggest"
# Amounts, shares and dates differ from the claim's only where two of the claim's rare
# words (each in fewer than this share of the candidate sentences) stand near both
# figures, within so many words.
RARE_CONTEXT = 0.1
CONTEXT_WORDS = 6
TELLING_WORDS = 2
# The sentences sharing the most words with the claim, this many per suggestion asked
# for (and a few more), are the ones whose figures are compared.
POOL_FACTOR, POOL_EXTRA = 4, 16
# Years alone are no evidence: "in 2024" and "by 2027" are seldom about one fact.
_YEARS = frozenset({FigureKind.YEAR, FigureKind.YEAR_RANGE})
_DATE_KINDS = frozenset({FigureKind.DATE, FigureKind.DATE_RANGE, FigureKind.TIME})

_STOP_WORDS = frozenset(
    """
    a about above across after again against all also am among an and any are around as at
    be because been before being below between both but by can could did do does doing down during
    each either few for from further had has have having he her here hers herself him
    himself his how however i if in into is it its itself just may me might more most must
    my myself no nor not now of off on once one only or other our ours ourselves out over
    own per same said say says she should since so some such than that the their theirs
    them themselves then there these they this those through thus to too toward towards
    under until up
    upon us very via was we were what when where whether which while who whom whose why
    will with within without would yet you your yours
    """.split()
)
_VOWEL = re.compile(r"[aeiouy]")
# British and American spellings meet: defence/defense, labour/labor, organise/organize.
_SPELLING = (
    (re.compile(r"(?<=\w{3})ence$"), "ense"),
    (re.compile(r"(?<=\w{3})our(s?)$"), r"or\1"),
    (re.compile(r"(?<=\w{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),
)


def stem(word: str) -> str:
    """A light English stem of a lower-case word, so that trade/trading and tariff/tariffs meet."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        root = word[: -len(suffix)]
        if word.endswith(suffix) and len(root) >= 3 and _VOWEL.search(root):
            word = root
            if word[-1] == word[-2] and word[-1] not in "lsz":  # planned -> plan
                word = word[:-1]
            break
    if word.endswith("ment") and len(word) >= 8:  # investment -> invest
        word = word[:-4]
    if word.endswith("e") and len(word) > 3:  # trade and trading both become "trad"
        word = word[:-1]
    return word


# Each word's term ("" for a word that is none), remembered: a library has a few thousand
# words, each seen many times. A hostile text of endless distinct words only empties it.
_TERMS: dict[str, str] = {}
_MAX_TERMS = 1 << 18


def _term(word: str) -> str:
    """The stem a lower-case word is indexed by, or "" for a stop word, a letter or zeros."""
    term = _TERMS.get(word)
    if term is None:
        if len(_TERMS) >= _MAX_TERMS:
            _TERMS.clear()
        short = len(word) < 2 or word in _STOP_WORDS or not word.strip("0")
        term = _TERMS[word] = "" if short else stem(word)
    return term


def terms(text: str) -> Iterator[tuple[str, str]]:
    """The (stem, word) pairs of a text's content words, lower-cased, stop words dropped."""
    for word in WORD_PATTERN.findall(text.lower()):
        term = _term(word)
        if term:
            yield term, word


# Words that go with any figure and so say nothing of what it measures: scales,
# currencies, units of time and numbers written out.
_FIGURE_WORDS = frozenset(
    stem(word)
    for word in (
        *SCALES,
        *(name for name in CURRENCIES if name.isalpha()),
        *DURATION_UNITS,
        *"percent dollar cent one two three four five six seven eight nine ten hundred".split(),
    )
)


class SuggestedStance(StrEnum):
    """What a suggestion's evidence says: a possible conflict only on a differing figure."""

    RELATED = "related"
    CONFLICTS = "conflicts"


@dataclass(frozen=True, slots=True)
class FigureEvidence:
    """A figure of the suggested sentence set against one the claim or its passages give."""

    figure: Figure
    claimed: Figure
    agrees: bool

    def describe(self) -> str:
        """The reason in words: "figure matches: …" or "possible conflict: A vs B"."""
        if not self.agrees:
            return f"possible conflict: {self.figure.shown} vs {self.claimed.shown}"
        what = "date" if self.figure.kind in _DATE_KINDS else "figure"
        return f"{what} matches: {self.figure.shown}"


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A sentence not quoted yet that likely bears on a claim, with why, ready to paste.

    `declared` is false for a source of the library the brief does not name yet (with all
    sources): `source_key` is then a key suggested for it, to add to the brief's sources.
    `prefix` and `suffix` are set when the sentence occurs more than once in its source.
    """

    brief_path: str
    claim_key: str
    source_key: str
    source_path: str
    declared: bool
    span: Span
    quote: str
    line: int
    score: float
    shared: tuple[str, ...]
    figures: tuple[FigureEvidence, ...]
    prefix: str | None = None
    suffix: str | None = None

    @property
    def stance(self) -> SuggestedStance:
        """Conflicts only on explicit evidence, a differing figure or date; else related."""
        if any(not evidence.agrees for evidence in self.figures):
            return SuggestedStance.CONFLICTS
        return SuggestedStance.RELATED

    @property
    def reasons(self) -> tuple[str, ...]:
        """Why it was suggested: the shared words, then each figure that matches or differs."""
        shared = ", ".join(f'"{word}"' for word in self.shared)
        head = (f"shares {shared}",) if shared else ()
        return head + tuple(dict.fromkeys(evidence.describe() for evidence in self.figures))

    @property
    def note(self) -> str:
        """The note its YAML passage carries: that it was suggested, and why."""
        return f"{NOTE_PREFIX}: " + "; ".join(self.reasons)

    def source_entry(self) -> str:
        """The line to add under the brief's `sources:` for an undeclared source."""
        return f"  {yaml_key(self.source_key)}: {yaml_scalar(self.source_path)}\n"

    def yaml(self) -> str:
        """The passage as YAML to paste under the claim's `passages:` (stance context)."""
        return passage_yaml(
            self.source_key, self.quote, "context", self.note, self.prefix, self.suffix
        )


@dataclass(frozen=True, slots=True)
class _SourceIndex:
    """One source's sentences: spans, stemmed postings with BM25 weights, figures."""

    text: str
    spans: tuple[Span, ...]
    starts: tuple[int, ...]
    postings: dict[str, list[tuple[int, float]]]  # stem -> (sentence, term-frequency weight)
    figures: dict[int, tuple[Figure, ...]]  # sentence -> its figures, found on first use
    candidates: int  # sentences long enough to be suggested
    average: float  # their mean length in words, for BM25's length norm

    def figures_in(self, sentence: int) -> tuple[Figure, ...]:
        """The figures of one sentence, found on first use (most are never looked at)."""
        found = self.figures.get(sentence)
        if found is None:
            span = self.spans[sentence]
            found = self.figures[sentence] = extract_figures(self.text, span.start, span.end)
        return found


def _index_source(text: str) -> _SourceIndex:
    """Index one source's text: its sentences and their words (figures come when asked)."""
    spans = tuple(text_units(text))
    starts = tuple(span.start for span in spans)
    counted: list[tuple[int, dict[str, int], int]] = []
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lengthen ("İ"): keep the offsets
        lower = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    for number, (start, end) in enumerate(spans):
        words = WORD_PATTERN.findall(lower, start, end)
        if len(words) < MIN_WORDS:
            continue
        frequencies: dict[str, int] = {}
        length = 0
        for word in words:
            term = _term(word)
            if term:
                frequencies[term] = frequencies.get(term, 0) + 1
                length += 1
        if frequencies:
            counted.append((number, frequencies, length))
    average = sum(length for _, _, length in counted) / len(counted) if counted else 1.0
    postings: dict[str, list[tuple[int, float]]] = {}
    for number, frequencies, length in counted:
        norm = K1 * (1 - B + B * length / average)
        for term, frequency in frequencies.items():
            weight = frequency * (K1 + 1) / (frequency + norm)
            postings.setdefault(term, []).append((number, weight))
    return _SourceIndex(
        text,
        spans,
        starts,
        postings,
        {},
        len(counted),
        average,
    )


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A source to look for evidence in, as this brief names it (or would)."""

    key: str
    source: Source
    declared: bool


@dataclass(frozen=True, slots=True)
class _Scope:
    """The sources a claim's evidence is looked for in, their sentences numbered as one.

    The sentences of source k are numbers firsts[k] to firsts[k + 1] - 1; `frequency` is
    the number of sentences holding a word, `holders` the sources that hold it.
    """

    candidates: tuple[_Candidate, ...]
    indexes: tuple[_SourceIndex, ...]
    firsts: tuple[int, ...]
    frequency: Callable[[str], int]
    holders: Callable[[str], Iterable[int]]

    @property
    def total(self) -> int:
        """How many sentences could be suggested."""
        return sum(index.candidates for index in self.indexes)


@dataclass(frozen=True, slots=True)
class _Whole:
    """Every source of a library, in path order, with each word's sentences and sources."""

    paths: tuple[str, ...]
    indexes: tuple[_SourceIndex, ...]
    firsts: tuple[int, ...]
    counts: dict[str, int]
    holders: dict[str, list[int]]


def _firsts(indexes: tuple[_SourceIndex, ...]) -> tuple[int, ...]:
    """The number of each source's first sentence when they are numbered in a row."""
    firsts = [0]
    for index in indexes:
        firsts.append(firsts[-1] + len(index.spans))
    return tuple(firsts)


class SuggestionIndex:
    """The sentences of a library's sources, indexed as asked for, one source at a time.

    Safe to share between threads: sources are indexed under a lock, and each index, once
    made, is never changed. Sources whose text is unchanged are taken over from `reuse`
    (the index of the library before a reload).
    """

    def __init__(self, library: Library, reuse: SuggestionIndex | None = None) -> None:
        self.library = library
        self._lock = threading.Lock()
        self._sources: dict[str, _SourceIndex] = {}
        self._library_scope: _Whole | None = None  # every source, made on first use
        # Per brief: the files and keys it declares, and its candidates over every source.
        self._keyed: dict[str, tuple[tuple[tuple[str, str], ...], tuple[_Candidate, ...]]] = {}
        if reuse is not None:
            for path, source in library.sources.items():
                earlier = reuse._sources.get(path)
                if earlier is not None and earlier.text is source.text:
                    self._sources[path] = earlier

    def source(self, source: Source) -> _SourceIndex:
        """The index of one source, made on first use."""
        found = self._sources.get(source.path)
        if found is not None and found.text is source.text:
            return found
        with self._lock:
            found = self._sources.get(source.path)
            if found is None or found.text is not source.text:
                found = self._sources[source.path] = _index_source(source.text)
            return found

    def suggest(
        self, brief: Brief, claim: Claim, limit: int = DEFAULT_LIMIT, all_sources: bool = False
    ) -> list[Suggestion]:
        """The `limit` sentences most likely to bear on a claim that its brief does not quote."""
        scope = self._scope(brief, all_sources)
        candidates, indexes, firsts = scope.candidates, scope.indexes, scope.firsts
        frequency, total = scope.frequency, scope.total
        idf = {
            term: (weight, math.log(1 + (total - count + 0.5) / (count + 0.5)))
            for term, weight in _query(claim).items()
            if (count := frequency(term))
        }
        scores = _scores(scope, idf)
        numbers = {candidate.source.path: n for n, candidate in enumerate(candidates)}
        for path, spans in self._quoted(brief).items():
            number = numbers[path]
            for span in spans:
                for sentence in _sentences_over(indexes[number], span):
                    scores.pop(firsts[number] + sentence, None)
        # Figures only reorder the sentences that already share words with the claim; a
        # pool a few times the limit keeps the figure comparisons few on a large library.
        pool = heapq.nlargest(
            limit * POOL_FACTOR + POOL_EXTRA, scores.items(), key=lambda item: (item[1], -item[0])
        )
        claimed = self._claimed_figures(brief, claim)
        rare = max(1.0, RARE_CONTEXT * total)
        claim_terms = {term for term, _ in terms(claim.text)}

        def telling(term: str) -> bool:
            return term in claim_terms and frequency(term) <= rare

        ranked: list[tuple[float, int, int, tuple[str, ...], tuple[FigureEvidence, ...]]] = []
        for number_in_all, score in pool:
            number = bisect_right(firsts, number_in_all) - 1
            sentence = number_in_all - firsts[number]
            index = indexes[number]
            span = index.spans[sentence]
            shared = _shared_words(index.text[span.start : span.end], idf)
            figures = index.figures_in(sentence)
            evidence = _evidence(figures, index.text, span, claimed, telling) if figures else ()
            if len(shared) < MIN_SHARED and not evidence:
                continue
            bonus = sum(MATCH_BONUS if e.agrees else CONFLICT_BONUS for e in evidence)
            ranked.append((score + bonus, number, sentence, shared, evidence))
        ranked.sort(key=lambda entry: (-entry[0], entry[1], entry[2]))
        suggestions: list[Suggestion] = []
        seen: set[tuple[str, str]] = set()
        for score, number, sentence, shared, evidence in ranked:
            candidate, index = candidates[number], indexes[number]
            span = index.spans[sentence]
            quote = index.text[span.start : span.end]
            if (candidate.source.path, quote) in seen:
                continue  # the same sentence again, further on in the same source
            seen.add((candidate.source.path, quote))
            prefix, suffix = _context(index, span)
            suggestions.append(
                Suggestion(
                    brief_path=brief.path,
                    claim_key=claim.key,
                    source_key=candidate.key,
                    source_path=candidate.source.path,
                    declared=candidate.declared,
                    span=span,
                    quote=quote,
                    line=candidate.source.line_at(span.start),
                    score=round(score, 2),
                    shared=shared[:SHOWN_TERMS],
                    figures=evidence,
                    prefix=prefix,
                    suffix=suffix,
                )
            )
            if len(suggestions) == limit:
                break
        return suggestions

    def _scope(self, brief: Brief, all_sources: bool) -> _Scope:
        """Where to look for a brief's evidence: its own sources, or every source."""
        found: dict[str, _Candidate] = {}
        for named in brief.sources:
            if named.source.path not in found:
                found[named.source.path] = _Candidate(named.key, named.source, True)
        if not all_sources:
            indexes = tuple(self.source(candidate.source) for candidate in found.values())
            return _Scope(
                tuple(found.values()),
                indexes,
                _firsts(indexes),
                lambda term: sum(len(index.postings.get(term, ())) for index in indexes),
                lambda term: range(len(indexes)),
            )
        library = self._whole()
        declared = tuple((path, candidate.key) for path, candidate in found.items())
        cached = self._keyed.get(brief.path)
        if cached is None or cached[0] != declared:
            # Keys for the sources the brief does not name: made once per brief.
            taken = {named.key for named in brief.sources}
            candidates = []
            for path in library.paths:
                candidate = found.get(path)
                if candidate is None:
                    key = _new_key(path, taken)
                    taken.add(key)
                    candidate = _Candidate(key, self.library.sources[path], False)
                candidates.append(candidate)
            cached = self._keyed[brief.path] = (declared, tuple(candidates))
        counts, holders = library.counts, library.holders
        return _Scope(
            cached[1],
            library.indexes,
            library.firsts,
            lambda term: counts.get(term, 0),
            lambda term: holders.get(term, ()),
        )

    def _whole(self) -> _Whole:
        """Every source of the library indexed, with each word's count: made once."""
        if self._library_scope is None:
            paths = tuple(sorted(self.library.sources))
            indexes = tuple(self.source(self.library.sources[path]) for path in paths)
            counts: dict[str, int] = {}
            holders: dict[str, list[int]] = {}
            for number, index in enumerate(indexes):
                for term, postings in index.postings.items():
                    counts[term] = counts.get(term, 0) + len(postings)
                    holders.setdefault(term, []).append(number)
            self._library_scope = _Whole(paths, indexes, _firsts(indexes), counts, holders)
        return self._library_scope

    def _claimed_figures(self, brief: Brief, claim: Claim) -> list[_Located]:
        """The claim's own figures: in its text and in the quotes that support it."""
        claimed = [
            _Located(figure, _context_terms(claim.text, figure.span, Span(0, len(claim.text))))
            for figure in extract_figures(claim.text)
        ]
        for passage in claim.passages:
            named = brief.source(passage.source_key)
            span = passage.span
            if named is None or span is None or passage.stance is not Stance.SUPPORTS:
                continue
            index = self.source(named.source)
            for sentence in _sentences_over(index, span):
                for figure in index.figures_in(sentence):
                    if figure.span.start < span.end and span.start < figure.span.end:
                        context = _context_terms(index.text, figure.span, index.spans[sentence])
                        claimed.append(_Located(figure, context))
        return claimed

    @staticmethod
    def _quoted(brief: Brief) -> dict[str, list[Span]]:
        """The spans every passage of the brief quotes, by source file."""
        quoted: dict[str, list[Span]] = {}
        for passage in brief.passages():
            named = brief.source(passage.source_key)
            if named is not None and passage.span is not None:
                quoted.setdefault(named.source.path, []).append(passage.span)
        return quoted


def _query(claim: Claim) -> dict[str, float]:
    """The claim's words, and more lightly those of its quotes, each with its weight."""
    query: dict[str, float] = {}
    for term, _ in terms(claim.text):
        query[term] = CLAIM_WEIGHT
    for passage in claim.passages:
        for term, _ in terms(passage.quote):
            query[term] = max(query.get(term, 0.0), PASSAGE_WEIGHT)
    return query


def _best_first(entry: tuple[Any, ...]) -> tuple[float, int, int]:
    """Highest score first; ties go to the brief's first source and the earlier sentence."""
    return (-entry[0], entry[1], entry[2])


def _scores(scope: _Scope, idf: dict[str, tuple[float, float]]) -> dict[int, float]:
    """BM25 scores of the sentences sharing a word with the query, by number in the scope.

    On a large library the postings of the query's common words are long: the sentences
    are then found by the most telling words alone (within a budget of postings), and the
    best of them scored again on every word of the query.
    """
    ordered = sorted(idf, key=lambda term: -idf[term][0] * idf[term][1])
    spent = 0
    chosen: list[str] = []
    for term in ordered:
        spent += scope.frequency(term)
        if chosen and spent > POSTINGS_BUDGET:
            break
        chosen.append(term)
    scores: dict[int, float] = {}
    get = scores.get
    firsts, indexes = scope.firsts, scope.indexes
    for term in chosen:
        weight, term_idf = idf[term]
        factor = weight * term_idf
        for number in scope.holders(term):
            first = firsts[number]
            for sentence, frequency in indexes[number].postings.get(term, ()):
                scores[first + sentence] = get(first + sentence, 0.0) + factor * frequency
    if len(chosen) == len(idf):
        return scores
    rescored = {}
    for number_in_all in heapq.nlargest(RESCORED, scores, key=scores.__getitem__):
        number = bisect_right(firsts, number_in_all) - 1
        rescored[number_in_all] = _score(indexes[number], number_in_all - firsts[number], idf)
    return rescored


def _score(index: _SourceIndex, sentence: int, idf: dict[str, tuple[float, float]]) -> float:
    """One sentence's BM25 score, from its text (as the postings would give it)."""
    span = index.spans[sentence]
    frequencies: dict[str, int] = {}
    length = 0
    for term, _ in terms(index.text[span.start : span.end]):
        frequencies[term] = frequencies.get(term, 0) + 1
        length += 1
    norm = K1 * (1 - B + B * length / index.average)
    return sum(
        weight * term_idf * frequencies[term] * (K1 + 1) / (frequencies[term] + norm)
        for term, (weight, term_idf) in idf.items()
        if term in frequencies
    )


def _shared_words(sentence: str, idf: dict[str, tuple[float, float]]) -> tuple[str, ...]:
    """The sentence's own words for the query's stems it holds, the most telling first."""
    words: dict[str, str] = {}
    for term, word in terms(sentence):
        if term in idf:
            words.setdefault(term, word)
    ordered = sorted(words, key=lambda term: -idf[term][0] * idf[term][1])
    return tuple(words[term] for term in ordered)


@dataclass(frozen=True, slots=True)
class _Located:
    """A figure with the words around it, which say what it measures."""

    figure: Figure
    context: frozenset[str]


def _context_terms(text: str, span: Span, within: Span) -> frozenset[str]:
    """The stems of the few words either side of a span, inside its sentence, without numbers.

    Scale and currency words ("billion", "dollars") are left out: every amount has them.
    """
    before: list[str] = []
    after: list[str] = []
    for match in WORD_PATTERN.finditer(text, within.start, within.end):
        if span.start < match.end() and match.start() < span.end:
            continue
        side = before if match.end() <= span.start else after
        if side is after and len(after) == CONTEXT_WORDS:
            break
        side.extend(
            term for term, _ in terms(match.group()) if term.isalpha() and term not in _FIGURE_WORDS
        )
    return frozenset(before[-CONTEXT_WORDS:] + after[:CONTEXT_WORDS])


def _evidence(
    figures: Iterable[Figure],
    text: str,
    sentence: Span,
    claimed: list[_Located],
    telling: Callable[[str], bool],
) -> tuple[FigureEvidence, ...]:
    """Each figure of a sentence set against the claim's own figures of its dimension.

    A figure equal to one of them (or a date inside a claimed range, or the reverse)
    matches. One that cannot be any of them is a possible conflict when both plausibly
    measure the same thing: counts of the same things, or amounts, shares and dates with
    two telling words (rare, and the claim's own) near both. $520 billion for supply chains
    says nothing against a $23 billion defence budget. Years alone, and open bounds that
    merely admit a value, are no evidence either way.
    """
    found = []
    for figure in figures:
        dimension = figure.dimension
        if dimension is None or figure.kind in _YEARS:
            continue
        same = [c for c in claimed if c.figure.dimension == dimension]
        if not same:
            continue
        agreeing = next((c for c in same if _agrees(figure, c.figure)), None)
        if agreeing is not None:
            found.append(FigureEvidence(figure, agreeing.figure, True))
            continue
        differing = [c for c in same if not consistent(figure, c.figure)]
        if differing and figure.kind is not FigureKind.COUNT:
            # A count names what it counts ("troops", "jobs"), which is context enough.
            context = _context_terms(text, figure.span, sentence)
            differing = [
                c for c in differing if sum(map(telling, context & c.context)) >= TELLING_WORDS
            ]
        if differing:
            found.append(FigureEvidence(figure, differing[0].figure, False))
    return tuple(found)


def _agrees(first: Figure, second: Figure) -> bool:
    """Whether two figures state the same value: equal, or a point within a closed range."""
    a, b = first.interval, second.interval
    if a == b:
        return True
    if math.isinf(a[0]) or math.isinf(a[1]) or math.isinf(b[0]) or math.isinf(b[1]):
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


def _sentences_over(index: _SourceIndex, span: Span) -> range:
    """The numbers of the sentences a span overlaps."""
    first = max(bisect_right(index.starts, span.start) - 1, 0)
    last = bisect_left(index.starts, span.end)
    return range(first, last)


def _context(index: _SourceIndex, span: Span) -> tuple[str | None, str | None]:
    """Prefix and suffix that make a repeated quote anchor at its own place (None if unique)."""
    text = index.text
    quote = text[span.start : span.end]
    first = text.find(quote)
    if first == span.start and text.find(quote, first + 1) < 0:
        return None, None
    matcher = SourceMatcher(text)
    for width in CONTEXT_WIDTHS:
        prefix = _word_start(text[max(0, span.start - width) : span.start])
        suffix = _word_end(text[span.end : span.end + width])
        anchor = matcher.anchor(quote, prefix or None, suffix or None)
        if anchor.status is AnchorStatus.EXACT and anchor.span == span:
            return prefix or None, suffix or None
    return None, None  # no text near it tells the copies apart; `check` will say so


def _word_start(text: str) -> str:
    """Text cut to start at a word (after its first white space), when it has one inside."""
    cut = re.search(r"\s", text)
    kept = text[cut.end() :] if cut is not None and text[cut.end() :].strip() else text
    return kept.lstrip()


def _word_end(text: str) -> str:
    """Text cut to end at a word (before its last white space), when it has one inside."""
    cut = max(text.rfind(" "), text.rfind("\n"))
    kept = text[:cut] if cut > 0 and text[:cut].strip() else text
    return kept.rstrip()


def _new_key(path: str, taken: set[str]) -> str:
    """A neutral key for a source a brief does not name yet: its file name, slugged, unique."""
    stem_name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    slug = "-".join(re.findall(r"[a-z0-9]+", stem_name.lower()))[:KEY_CHARS].strip("-")
    key = slug or "source"
    number = 2
    unique = key
    while unique in taken:
        unique, number = f"{key}-{number}", number + 1
    return unique


_shared_lock = threading.Lock()
_shared: SuggestionIndex | None = None


def suggestion_index(library: Library) -> SuggestionIndex:
    """The index of this library, kept until another library is asked for (a reload)."""
    global _shared
    with _shared_lock:
        if _shared is None or _shared.library is not library:
            _shared = SuggestionIndex(library, reuse=_shared)
        return _shared


def suggest_for_claim(
    library: Library,
    brief: Brief,
    claim: Claim,
    limit: int = DEFAULT_LIMIT,
    all_sources: bool = False,
) -> list[Suggestion]:
    """Sentences not quoted yet that likely bear on a claim, best first (the reader's panel)."""
    return suggestion_index(library).suggest(brief, claim, limit, all_sources)
