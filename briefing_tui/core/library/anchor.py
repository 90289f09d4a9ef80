"""Finding a quote's span in its source: exact, then normalised, then approximate."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import islice

# rapidfuzz is imported by the functions of the approximate tier, which most quotes never
# reach: loading the library (and so every start of the app) does not pay for its import.
from briefing_tui.core.library.model import Anchor, AnchorStatus, Span
from briefing_tui.core.library.text import OffsetMap, normalise, normalise_with_offsets

# Indel similarity (0-100) an approximate match needs. A substitution costs two indels, so
# 85 tolerates about one changed character in seven (a changed number, a dropped or swapped
# word in a sentence), while a seed sentence sought in a source made of the other seed
# sentences finds its nearest text at a median score of 54, and 76 at the 95th percentile.
MIN_SCORE = 85.0
# Shorter quotes score above MIN_SCORE by chance in any long text, so they only anchor
# exactly or normalised.
MIN_APPROXIMATE_LENGTH = 16
# Below this, the nearest text says nothing useful and an orphan gets no `closest`.
MIN_CLOSEST_SCORE = 50.0
# rapidfuzz's partial scorers are cubic on long repetitive strings (RapidFuzz issue #430):
# they are only ever handed a needle of at most this many characters and windows of the
# text at most twice as long. Longer quotes are located by their head and their tail.
NEEDLE_CAP = 400
# Windows of the text kept by the cheap `fuzz.ratio` prefilter for partial alignment.
CANDIDATE_WINDOWS = 8
# ... and only those scoring at most this much below the best one.
PREFILTER_MARGIN = 10.0
# The prefilter scores windows in batches so a huge source never holds all of them at once.
WINDOW_BATCH = 4096
# Windows advance by the needle's length, but never by less than this.
MIN_WINDOW_STEP = 16
# How much of the nearest text an orphan's `closest` shows.
EXCERPT_LENGTH = 80
# How far an approximate match's edges may move to fit the quote or to complete a cut word.
EDGE_REACH = 3
# Occurrences of an exact or normalised quote looked at one by one; past this many the
# count is a lower bound and prefix/suffix choose among the first ones only.
MAX_OCCURRENCES = 10_000
# Where to look for an approximate match in a text longer than SEEDED_TEXT characters
# (shorter ones are scanned whole, which costs less there, as does a text where no word of
# the quote says where): up to MAX_SEED_WORDS words of the quote's head vote for the place
# where each of their occurrences would put its start, in bins of SEED_BIN characters. A
# word found more than MAX_SEED_HITS times says little and has no vote.
SEEDED_TEXT = 200_000
SEED_BIN = 32
MAX_SEED_WORDS = 8
MAX_SEED_HITS = 2000
# Places with the most votes scored by `fuzz.ratio` before the best few are aligned.
SEED_PLACES = 64
# Quotes longer than this are scored in blocks of NEEDLE_CAP characters (see _similarity).
LONG_QUOTE = 4 * NEEDLE_CAP
_SEED_WORD = re.compile(r"\w{2,}")
_WORD_CHAR = re.compile(r"\w")
# Places before which normalising text never reaches: what precedes them normalises the same
# whatever follows, and what follows the same whatever precedes. Before printable ASCII (as
# text._SAFE_CUT) or a character that is not white space after one that is (no run of white
# space straddles it, and nothing composes with white space), or before a CJK ideograph, a
# kana or a Hangul syllable (starters that compose with nothing before them, so text in
# those scripts without ASCII has them too). Elsewhere, as in a run of combining marks,
# canonical ordering and composition may reach any distance.
_BOUNDARY = re.compile(r"[!-~\u3041-\u3096\u30a1-\u30fa\u4e00-\u9fff\uac00-\ud7a3]|(?<=\s)\S")
# The last boundary of a stretch (the greedy prefix backtracks from the stretch's end).
_LAST_BOUNDARY = re.compile(rf"(?s:.*)(?:{_BOUNDARY.pattern})")
# How far back from a window's wanted start a boundary is first looked for.
BOUNDARY_LOOKBACK = 256


@dataclass(frozen=True, slots=True)
class _Context:
    """A passage's prefix and suffix, as given and folded for tolerant comparison."""

    prefix: str
    suffix: str
    folded_prefix: str
    folded_suffix: str

    @classmethod
    def of(cls, prefix: str | None, suffix: str | None) -> _Context | None:
        """The context, or None when neither prefix nor suffix says anything."""
        prefix, suffix = prefix or "", suffix or ""
        folded_prefix, folded_suffix = normalise(prefix).strip(), normalise(suffix).strip()
        if not folded_prefix and not folded_suffix:
            return None
        return cls(prefix, suffix, folded_prefix, folded_suffix)


@dataclass(frozen=True, slots=True)
class _Alignment:
    """An approximate match: a range of the normalised text and its similarity."""

    score: float
    start: int
    end: int


class SourceMatcher:
    """Anchors quotes in one source's sanitised text; build once per source, reuse per quote."""

    __slots__ = ("text", "_normalised", "_offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self._normalised: str | None = None
        self._offsets = OffsetMap()

    def anchor(self, quote: str, prefix: str | None = None, suffix: str | None = None) -> Anchor:
        """Find the quote: exact, else normalised, else approximate, else orphaned."""
        if not quote.strip():  # `str.strip` and folding agree on what white space is
            return Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)
        starts, count = _find_all(self.text, quote)
        if starts:
            spans = [Span(start, start + len(quote)) for start in starts]
            return self._choose(spans, count, prefix, suffix, AnchorStatus.EXACT)
        folded_quote = normalise(quote).strip()
        normalised = self._normalised_text()
        starts, count = _find_all(normalised, folded_quote)
        if starts:
            spans = [self._original(start, start + len(folded_quote)) for start in starts]
            return self._choose(spans, count, prefix, suffix, AnchorStatus.NORMALISED)
        return self._approximate(folded_quote, _Context.of(prefix, suffix))

    def _normalised_text(self) -> str:
        """The normalised text (its offset map in `_offsets`), built on first use."""
        if self._normalised is None:
            self._normalised, self._offsets = normalise_with_offsets(self.text)
        return self._normalised

    def _original(self, start: int, end: int) -> Span:
        """The span of the original text that normalised characters start..end came from."""
        return Span(*self._offsets.span(start, end))

    def _choose(
        self,
        spans: list[Span],
        count: int,
        prefix: str | None,
        suffix: str | None,
        status: AnchorStatus,
    ) -> Anchor:
        """One anchor from the occurrences of a quote, letting prefix and suffix choose."""
        context = _Context.of(prefix, suffix) if count > 1 else None
        if context is not None:
            survivors = [span for span in spans if self._fits(span, context)]
            if len(survivors) > 1:
                # Context that matches character for character beats context that matches
                # only after folding.
                verbatim = [
                    span
                    for span in survivors
                    if self.text.endswith(context.prefix, 0, span.start)
                    and self.text.startswith(context.suffix, span.end)
                ]
                if len(verbatim) == 1:
                    survivors = verbatim
            if survivors:
                spans, count = survivors, len(survivors)
        if count == 1:
            return Anchor(status, spans[0])
        return Anchor(AnchorStatus.AMBIGUOUS, spans[0], occurrences=count)

    def _fits(self, span: Span, context: _Context) -> bool:
        """Whether the folded text just before and after the span agrees with the context."""
        return self._folded_before(span.start, len(context.folded_prefix)).endswith(
            context.folded_prefix
        ) and self._folded_after(span.end, len(context.folded_suffix)).startswith(
            context.folded_suffix
        )

    def _folded_before(self, position: int, wanted: int) -> str:
        """The normalised text just before a position, one separating space dropped.

        Only a window is normalised, widened until it holds more than `wanted` characters
        or reaches the start. It starts where normalising reaches nothing across (see
        _BOUNDARY), so it is exactly the end of the whole text's normalisation.
        """
        reach = 2 * wanted + 16
        while True:
            start = _boundary_before(self.text, max(0, position - reach))
            window = normalise(self.text[start:position]).removesuffix(" ")
            if len(window) > wanted or start == 0:
                return window
            reach = 4 * (position - start)

    def _folded_after(self, position: int, wanted: int) -> str:
        """The normalised text just after a position, one separating space dropped."""
        reach = 2 * wanted + 16
        while True:
            found = _BOUNDARY.search(self.text, position + reach)
            end = found.start() if found else len(self.text)
            window = normalise(self.text[position:end]).removeprefix(" ")
            if len(window) > wanted or end == len(self.text):
                return window
            reach = 4 * (end - position)

    def _approximate(self, quote: str, context: _Context | None) -> Anchor:
        """The best fuzzy match of a folded quote, or an orphan with the nearest text found.

        Equal best matches that prefix and suffix cannot tell apart make the anchor
        ambiguous; their count only covers the candidate windows, so it is a lower bound.
        """
        if len(quote) < MIN_APPROXIMATE_LENGTH:
            return Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)
        candidates = self._locate(quote)
        if not candidates:
            return Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)
        best_score = max(c.score for c in candidates)
        tied = [c for c in candidates if c.score == best_score]
        if len(tied) > 1 and context is not None:
            by_context = {c: self._context_score(c, context) for c in tied}
            tied = [c for c in tied if by_context[c] == max(by_context.values())]
        best = min(tied, key=lambda c: c.start)
        span = self._original(best.start, best.end)
        # Rounded, but a match that is not exact never shows as 100.
        score = round(best_score, 1) if best_score == 100 else min(round(best_score, 1), 99.9)
        if best_score < MIN_SCORE:
            return Anchor(
                AnchorStatus.ORPHANED, score=score, occurrences=0, closest=self._excerpt(span)
            )
        if len(tied) > 1:
            return Anchor(AnchorStatus.AMBIGUOUS, span, score=score, occurrences=len(tied))
        return Anchor(AnchorStatus.APPROXIMATE, span, score=score)

    def _excerpt(self, span: Span) -> str:
        """The original text of a span on one line, cut to EXCERPT_LENGTH characters."""
        excerpt = " ".join(self.text[span.start : span.end].split())
        if len(excerpt) > EXCERPT_LENGTH:
            excerpt = excerpt[: EXCERPT_LENGTH - 1].rstrip() + "…"
        return excerpt

    def _locate(self, quote: str) -> list[_Alignment]:
        """Non-overlapping near matches of the whole quote, each scored by `fuzz.ratio`.

        In a long text the quote's head is aligned where its words put it, or, when none
        of them says where, in windows over the whole text, as in a short text.
        """
        normalised = self._normalised_text()
        head = quote[:NEEDLE_CAP]
        places = self._seed_places(head) if len(normalised) > SEEDED_TEXT else []
        if places:
            found = self._align_at(head, places)
        else:
            found = self._align(head, 0, len(normalised))
        if len(quote) > NEEDLE_CAP:
            found = [self._extend(alignment, quote) for alignment in found]
        results = []
        for alignment in found:
            start, end = self._fit_edges(quote, alignment.start, alignment.end)
            start, end = self._complete_words(quote, *self._trim(start, end))
            if start < end:
                score = _similarity(quote, normalised[start:end])
                results.append(_Alignment(score, start, end))
        return _disjoint(results)

    def _seed_places(self, needle: str) -> list[int]:
        """Where the needle's words put its start in the text, the most voted first.

        Each word of the needle found as a whole word in the text votes, by its length, for
        the bin of SEED_BIN characters where the needle would then start; a bin counts the
        votes of its neighbours too, as insertions and deletions shift a match a little.
        """
        normalised = self._normalised_text()
        offsets: dict[str, int] = {}
        for found in _SEED_WORD.finditer(needle):
            offsets.setdefault(found.group(), found.start())
        votes: Counter[int] = Counter()
        for word in sorted(offsets, key=len, reverse=True)[:MAX_SEED_WORDS]:
            # A look-behind would cost the regex its fast literal search: checked after.
            pattern = re.compile(rf"{re.escape(word)}(?!\w)")
            found_at = islice(pattern.finditer(normalised), MAX_SEED_HITS + 1)
            hits = [
                m.start()
                for m in found_at
                if not (m.start() and _WORD_CHAR.match(normalised, m.start() - 1))
            ]
            if len(hits) <= MAX_SEED_HITS:
                offset = offsets[word]
                for place in {(hit - offset) // SEED_BIN for hit in hits}:
                    votes[place] += len(word)
        around = {place: votes[place - 1] + votes[place] + votes[place + 1] for place in votes}
        ranked = sorted(around, key=lambda place: (-around[place], place))
        return [place * SEED_BIN for place in ranked[:SEED_PLACES]]

    def _align_at(self, needle: str, places: list[int]) -> list[_Alignment]:
        """Partial alignments of a short needle starting in the bins at the given places.

        Each window holds a match starting in its bin, give or take what insertions and
        deletions move, but not a match starting a bin away, so matches in nearby bins are
        each found.
        """
        from rapidfuzz import fuzz, process

        normalised = self._normalised_text()
        margin = SEED_BIN // 4 + len(needle) // 8
        windows = [
            (max(0, place - margin), place + SEED_BIN + len(needle) + margin) for place in places
        ]
        texts = [normalised[start:end] for start, end in windows]
        alignments = []
        for _, _, index in process.extract(
            needle, texts, scorer=fuzz.ratio, limit=CANDIDATE_WINDOWS
        ):
            start = windows[index][0]
            found = fuzz.partial_ratio_alignment(
                needle, texts[index], score_cutoff=MIN_CLOSEST_SCORE
            )
            if found is not None and found.dest_start < found.dest_end:
                alignments.append(
                    _Alignment(found.score, start + found.dest_start, start + found.dest_end)
                )
        return alignments

    def _extend(self, head: _Alignment, quote: str) -> _Alignment:
        """A long quote's whole match, from where its head matched to where its tail matches."""
        normalised = self._normalised_text()
        tail = quote[-NEEDLE_CAP:]
        expected_end = head.start + len(quote)
        slack = len(quote) // 8 + NEEDLE_CAP
        lo = max(head.end, expected_end - NEEDLE_CAP - slack)
        hi = min(len(normalised), expected_end + slack)
        tails = self._align(tail, lo, hi) if lo < hi else []
        if not tails:
            return _Alignment(head.score, head.start, min(len(normalised), expected_end))
        best_tail = max(tails, key=lambda a: a.score)
        return _Alignment(head.score, head.start, best_tail.end)

    def _align(self, needle: str, lo: int, hi: int) -> list[_Alignment]:
        """Partial alignments of a short needle in normalised[lo:hi], from the best windows."""
        from rapidfuzz import fuzz, process

        normalised = self._normalised_text()
        # Every stretch as long as the needle lies whole in some window, and two disjoint
        # matches never share only one window, so each can be found.
        step = max(len(needle), MIN_WINDOW_STEP)
        width = min(step + len(needle), hi - lo)
        last = hi - width
        starts = [*range(lo, last, step), last]
        best: list[tuple[float, int]] = []
        for batch in range(0, len(starts), WINDOW_BATCH):
            chunk = starts[batch : batch + WINDOW_BATCH]
            windows = [normalised[s : s + width] for s in chunk]
            for _, score, index in process.extract(
                needle, windows, scorer=fuzz.ratio, limit=CANDIDATE_WINDOWS
            ):
                best.append((score, chunk[index]))
        best.sort(key=lambda pair: -pair[0])
        alignments = []
        for score, start in best[:CANDIDATE_WINDOWS]:
            if score < best[0][0] - PREFILTER_MARGIN:
                break
            window = normalised[start : start + width]
            found = fuzz.partial_ratio_alignment(needle, window, score_cutoff=MIN_CLOSEST_SCORE)
            if found is not None and found.dest_start < found.dest_end:
                alignments.append(
                    _Alignment(found.score, start + found.dest_start, start + found.dest_end)
                )
        return alignments

    def _fit_edges(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """Move each edge of an alignment by a few characters where the quote then fits better.

        A partial alignment is as long as the quote, so it may take in a stray character
        beside the match; the edges are scored with the quote's head and tail only.
        """
        from rapidfuzz import fuzz

        normalised = self._normalised_text()
        cap = min(len(quote), NEEDLE_CAP)
        head, tail = quote[:cap], quote[-cap:]
        head_end, tail_start = min(end, start + cap), max(start, end - cap)
        starts = range(max(0, start - EDGE_REACH), min(head_end, start + EDGE_REACH + 1))
        ends = range(
            max(tail_start + 1, end - EDGE_REACH), min(len(normalised), end + EDGE_REACH) + 1
        )
        best_start = max(
            starts, key=lambda s: (fuzz.ratio(head, normalised[s:head_end]), -abs(s - start))
        )
        best_end = max(
            ends, key=lambda e: (fuzz.ratio(tail, normalised[tail_start:e]), -abs(e - end))
        )
        return best_start, max(best_end, best_start + 1)

    def _trim(self, start: int, end: int) -> tuple[int, int]:
        """The range without the white space at its edges."""
        normalised = self._normalised_text()
        while start < end and normalised[start] == " ":
            start += 1
        while end > start and normalised[end - 1] == " ":
            end -= 1
        return start, end

    def _complete_words(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """The range widened over a few characters of a word it cuts, where the quote does not."""
        normalised = self._normalised_text()
        if quote[0].isalnum():
            reach = max(0, start - EDGE_REACH)
            while start > reach and normalised[start - 1].isalnum() and normalised[start].isalnum():
                start -= 1
        if quote[-1].isalnum():
            reach = min(len(normalised), end + EDGE_REACH)
            while end < reach and normalised[end - 1].isalnum() and normalised[end].isalnum():
                end += 1
        return start, end

    def _context_score(self, alignment: _Alignment, context: _Context) -> float:
        """How well the text around an alignment matches the prefix and suffix."""
        from rapidfuzz import fuzz

        normalised = self._normalised_text()
        prefix, suffix = context.folded_prefix[-NEEDLE_CAP:], context.folded_suffix[:NEEDLE_CAP]
        before = normalised[max(0, alignment.start - len(prefix) - 1) : alignment.start].strip()
        after = normalised[alignment.end : alignment.end + len(suffix) + 1].strip()
        return fuzz.ratio(prefix, before[-len(prefix) :] if prefix else "") + fuzz.ratio(
            suffix, after[: len(suffix)]
        )


def _boundary_before(text: str, position: int) -> int:
    """The last boundary (see _BOUNDARY) at or before a position, or 0."""
    lookback = BOUNDARY_LOOKBACK
    lo = position
    while lo > 0:
        lo = max(0, position - lookback)
        found = _LAST_BOUNDARY.match(text, lo, position + 1)
        if found is not None:
            return found.end() - 1
        lookback *= 4
    return 0


def _find_all(haystack: str, needle: str) -> tuple[list[int], int]:
    """The first MAX_OCCURRENCES starts of needle in haystack (overlapping ones included)
    and how many there are (past that many, a lower bound: those that do not overlap)."""
    starts: list[int] = []
    start = haystack.find(needle)
    while start >= 0 and len(starts) < MAX_OCCURRENCES:
        starts.append(start)
        start = haystack.find(needle, start + 1)
    if start < 0:
        return starts, len(starts)
    return starts, max(len(starts) + 1, haystack.count(needle))


def _similarity(quote: str, text: str) -> float:
    """`fuzz.ratio` of a quote and a text; for a long quote, a lower bound found in blocks.

    Indel distance is quadratic, so a long quote is cut into blocks of NEEDLE_CAP
    characters: a block found verbatim near where it is expected costs nothing, and only
    what lies between two such blocks is compared. The sum of these distances is never less
    than the true one, so the score is never more than the true score.
    """
    from rapidfuzz import fuzz
    from rapidfuzz.distance import Indel

    if len(quote) <= LONG_QUOTE:
        return fuzz.ratio(quote, text)
    distance = 0
    matched_quote = matched_text = 0  # quote[:matched_quote] is aligned with text[:matched_text]
    block_start = 0
    while block_start < len(quote):
        block = quote[block_start : block_start + NEEDLE_CAP]
        expected = matched_text + block_start - matched_quote
        found = text.find(
            block, max(matched_text, expected - NEEDLE_CAP), expected + 2 * NEEDLE_CAP
        )
        if found >= 0:
            distance += Indel.distance(quote[matched_quote:block_start], text[matched_text:found])
            matched_quote, matched_text = block_start + len(block), found + len(block)
        elif block_start + len(block) - matched_quote >= LONG_QUOTE:
            # No block found verbatim for a while: settle the stretch, ending it in the text
            # where its last characters align best.
            stretch_end = block_start + len(block)
            expected = matched_text + stretch_end - matched_quote
            lo = max(matched_text, expected - NEEDLE_CAP)
            tail = quote[stretch_end - SEED_BIN * 2 : stretch_end]
            found_tail = fuzz.partial_ratio_alignment(tail, text[lo : expected + NEEDLE_CAP])
            text_end = lo + found_tail.dest_end if found_tail is not None else expected
            distance += Indel.distance(
                quote[matched_quote:stretch_end], text[matched_text:text_end]
            )
            matched_quote, matched_text = stretch_end, text_end
        block_start += len(block)
    distance += Indel.distance(quote[matched_quote:], text[matched_text:])
    return 100 * (1 - distance / (len(quote) + len(text)))


def _disjoint(alignments: list[_Alignment]) -> list[_Alignment]:
    """The best alignments, dropping any that overlaps a better one."""
    kept: list[_Alignment] = []
    for alignment in sorted(alignments, key=lambda a: (-a.score, a.start)):
        if all(alignment.end <= k.start or k.end <= alignment.start for k in kept):
            kept.append(alignment)
    return kept
