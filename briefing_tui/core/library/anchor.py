"""Finding a quote's span in its source: exact, then normalised, then approximate."""

from __future__ import annotations

from array import array
from bisect import bisect_left
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from briefing_tui.core.library.model import Anchor, AnchorStatus, Span
from briefing_tui.core.library.text import normalise, normalise_with_offsets

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
        self._offsets: array[int] = array("q")

    def anchor(self, quote: str, prefix: str | None = None, suffix: str | None = None) -> Anchor:
        """Find the quote: exact, else normalised, else approximate, else orphaned."""
        if not quote.strip():  # `str.strip` and folding agree on what white space is
            return Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)
        starts = _find_all(self.text, quote)
        if starts:
            spans = [Span(start, start + len(quote)) for start in starts]
            return self._choose(spans, prefix, suffix, AnchorStatus.EXACT)
        folded_quote = normalise(quote).strip()
        normalised, _ = self._normalised_text()
        starts = _find_all(normalised, folded_quote)
        if starts:
            spans = [self._original(start, start + len(folded_quote)) for start in starts]
            return self._choose(spans, prefix, suffix, AnchorStatus.NORMALISED)
        return self._approximate(folded_quote, _Context.of(prefix, suffix))

    def _normalised_text(self) -> tuple[str, array[int]]:
        """The normalised text and its offset map, built on first use."""
        if self._normalised is None:
            self._normalised, self._offsets = normalise_with_offsets(self.text)
        return self._normalised, self._offsets

    def _original(self, start: int, end: int) -> Span:
        """The span of the original text that normalised characters start..end came from."""
        return Span(self._offsets[start], self._offsets[end - 1] + 1)

    def _choose(
        self, spans: list[Span], prefix: str | None, suffix: str | None, status: AnchorStatus
    ) -> Anchor:
        """One anchor from the occurrences of a quote, letting prefix and suffix choose."""
        context = _Context.of(prefix, suffix) if len(spans) > 1 else None
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
            spans = survivors or spans
        if len(spans) == 1:
            return Anchor(status, spans[0])
        return Anchor(AnchorStatus.AMBIGUOUS, spans[0], occurrences=len(spans))

    def _fits(self, span: Span, context: _Context) -> bool:
        """Whether the folded text just before and after the span agrees with the context."""
        normalised, offsets = self._normalised_text()
        before = bisect_left(offsets, span.start)
        if before and normalised[before - 1] == " ":
            before -= 1
        after = bisect_left(offsets, span.end)
        if after < len(normalised) and normalised[after] == " ":
            after += 1
        return normalised.endswith(context.folded_prefix, 0, before) and normalised.startswith(
            context.folded_suffix, after
        )

    def _approximate(self, quote: str, context: _Context | None) -> Anchor:
        """The best fuzzy match of a folded quote, or an orphan with the nearest text found.

        Equal best matches that prefix and suffix cannot tell apart make the anchor
        ambiguous; their count only covers the candidate windows, so it is a lower bound.
        """
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
        score = round(best_score, 1)
        if best_score < MIN_SCORE or len(quote) < MIN_APPROXIMATE_LENGTH:
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
        """Non-overlapping near matches of the whole quote, each scored by `fuzz.ratio`."""
        normalised, _ = self._normalised_text()
        if len(quote) <= NEEDLE_CAP:
            found = self._align(quote, 0, len(normalised))
        else:
            found = [
                self._extend(head, quote)
                for head in self._align(quote[:NEEDLE_CAP], 0, len(normalised))
            ]
        results = []
        for alignment in found:
            start, end = self._fit_edges(quote, alignment.start, alignment.end)
            start, end = self._complete_words(quote, *self._trim(start, end))
            if start < end:
                results.append(_Alignment(fuzz.ratio(quote, normalised[start:end]), start, end))
        return _disjoint(results)

    def _extend(self, head: _Alignment, quote: str) -> _Alignment:
        """A long quote's whole match, from where its head matched to where its tail matches."""
        normalised, _ = self._normalised_text()
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
        normalised, _ = self._normalised_text()
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
        normalised, _ = self._normalised_text()
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
        normalised, _ = self._normalised_text()
        while start < end and normalised[start] == " ":
            start += 1
        while end > start and normalised[end - 1] == " ":
            end -= 1
        return start, end

    def _complete_words(self, quote: str, start: int, end: int) -> tuple[int, int]:
        """The range widened over a few characters of a word it cuts, where the quote does not."""
        normalised, _ = self._normalised_text()
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
        normalised, _ = self._normalised_text()
        prefix, suffix = context.folded_prefix[-NEEDLE_CAP:], context.folded_suffix[:NEEDLE_CAP]
        before = normalised[max(0, alignment.start - len(prefix) - 1) : alignment.start].strip()
        after = normalised[alignment.end : alignment.end + len(suffix) + 1].strip()
        return fuzz.ratio(prefix, before[-len(prefix) :] if prefix else "") + fuzz.ratio(
            suffix, after[: len(suffix)]
        )


def _find_all(haystack: str, needle: str) -> list[int]:
    """Every start of needle in haystack, overlapping occurrences included."""
    starts = []
    start = haystack.find(needle)
    while start >= 0:
        starts.append(start)
        start = haystack.find(needle, start + 1)
    return starts


def _disjoint(alignments: list[_Alignment]) -> list[_Alignment]:
    """The best alignments, dropping any that overlaps a better one."""
    kept: list[_Alignment] = []
    for alignment in sorted(alignments, key=lambda a: (-a.score, a.start)):
        if all(alignment.end <= k.start or k.end <= alignment.start for k in kept):
            kept.append(alignment)
    return kept
