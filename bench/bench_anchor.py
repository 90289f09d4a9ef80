"""Measure quote anchoring: verbatim, normalised-variant and misquoted quotes per second.

Sources of about 50 kB are the seed articles' sentences shuffled with a fixed seed; the
quotes are cut from them at word boundaries. Each round anchors every quote with a fresh
`SourceMatcher` per source and kind, so the one-off normalisation of a source is counted.
The reference, measured in the same run, is the floor any anchoring pays: a `str.find`
of each verbatim quote, and one `fuzz.partial_ratio` of each misquote against its whole
source (the naive approximate search the windowed one replaces). Then the cubic case
(RapidFuzz issue #430): a misquote in repetitive text, naive against windowed, growing.
Last, a 5 MiB source of seed sentences (each numbered, a fifth of them held out): 200
orphaned quotes (the held-out sentences) per quote against the target of 50 ms and the
naive whole-source `partial_ratio`, a misquote there, and one near-miss quote of 880,000
characters with its score.

    python bench/bench_anchor.py [--rounds 5] [--sources 4] [--quotes 2500] [--seed 0]
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from rapidfuzz import fuzz
from stats import percentile  # a sibling script: run as python bench/bench_anchor.py

from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.model import Anchor, Span
from briefing_tui.core.library.text import sanitise

T = TypeVar("T")
SEEDS = Path(__file__).resolve().parent.parent / "seeds"
SOURCE_SIZE = 50_000
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
# Typographic swaps a curator's copy-paste makes, each keeping the quote normalised-equal.
VARIANTS = {"\u2019": "'", "'": "\u2019", "\u201c": '"', "\u201d": '"', "-": "\u2013", " ": "  "}


@dataclass(frozen=True, slots=True)
class Quote:
    """A quote to anchor, the source it comes from and where it truly lies."""

    source: int
    text: str
    truth: Span


def seed_sentences() -> list[str]:
    """Every sentence of the seed articles, front matter left out."""
    sentences = []
    for path in sorted(SEEDS.glob("*.txt")):
        body = FRONT_MATTER.sub("", sanitise(path.read_text(encoding="utf-8")))
        sentences += [s.strip() for s in SENTENCE_END.split(body) if len(s.strip()) >= 20]
    return sentences


def build_source(sentences: list[str], rng: random.Random) -> str:
    """About SOURCE_SIZE characters of shuffled sentences in paragraphs, none repeated."""
    parts: list[str] = []
    size = 0
    for sentence in rng.sample(sentences, len(sentences)):
        parts.append(sentence + ("\n\n" if rng.random() < 0.2 else " "))
        size += len(parts[-1])
        if size >= SOURCE_SIZE:
            break
    return "".join(parts)


def cut_quote(text: str, source: int, rng: random.Random) -> Quote:
    """A verbatim quote of 40-300 characters from word boundary to word boundary."""
    while True:
        start = text.find(" ", rng.randrange(len(text) - 400)) + 1
        end = text.rfind(" ", start, start + rng.randint(40, 300))
        if end > start and text[start:end].strip() == text[start:end]:
            return Quote(source, text[start:end], Span(start, end))


def variant(quote: Quote, rng: random.Random) -> Quote | None:
    """The quote with typographic differences only, or None if it offers none to make."""
    spots = [i for i, char in enumerate(quote.text) if char in VARIANTS]
    if not spots:
        return None
    chars = list(quote.text)
    for i in rng.sample(spots, min(len(spots), 4)):
        chars[i] = VARIANTS[chars[i]]
    return Quote(quote.source, "".join(chars), quote.truth)


def misquote(quote: Quote, rng: random.Random) -> Quote:
    """The quote with about one character in forty changed, dropped or doubled."""
    chars = list(quote.text)
    for _ in range(max(1, len(chars) // 40)):
        i = rng.randrange(1, len(chars) - 1)
        edit = rng.choice(("change", "drop", "double"))
        if edit == "change":
            chars[i] = rng.choice("aeiourst")
        elif edit == "drop":
            del chars[i]
        else:
            chars.insert(i, chars[i])
    return Quote(quote.source, "".join(chars), quote.truth)


def overlap(span: Span | None, truth: Span) -> float:
    """The share of the true span that an anchored span covers."""
    if span is None:
        return 0.0
    shared = min(span.end, truth.end) - max(span.start, truth.start)
    return max(0, shared) / (truth.end - truth.start)


def timed(
    sources: list[str], quotes: list[Quote], anchor: Callable[[SourceMatcher, Quote], T]
) -> tuple[list[float], list[T]]:
    """Per-quote seconds and results, with one fresh matcher per source."""
    matchers = [SourceMatcher(text) for text in sources]
    seconds: list[float] = []
    results: list[T] = []
    for quote in quotes:
        started = time.perf_counter()
        results.append(anchor(matchers[quote.source], quote))
        seconds.append(time.perf_counter() - started)
    return seconds, results


def main() -> None:
    """Run the rounds and print medians, p95 and statuses per kind of quote."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--sources", type=int, default=4)
    parser.add_argument("--quotes", type=int, default=2500, help="verbatim quotes per round")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    sentences = seed_sentences()
    sources = [build_source(sentences, rng) for _ in range(args.sources)]
    verbatim = [
        cut_quote(sources[n % len(sources)], n % len(sources), rng) for n in range(args.quotes)
    ]
    kinds = {
        "verbatim": verbatim,
        "normalised variant": [v for q in verbatim[: args.quotes // 5] if (v := variant(q, rng))],
        "misquoted": [misquote(q, rng) for q in verbatim[: args.quotes // 25]],
    }
    print(
        f"{len(sources)} sources of {statistics.mean(map(len, sources)) / 1000:.0f} kB "
        f"from {len(sentences)} seed sentences; {args.rounds} rounds"
    )

    references: dict[str, tuple[str, Callable[[SourceMatcher, Quote], object]]] = {
        "verbatim": ("str.find", lambda matcher, quote: matcher.text.find(quote.text)),
        "misquoted": (
            "whole-source partial_ratio",
            lambda matcher, quote: fuzz.partial_ratio(quote.text, matcher.text),
        ),
    }
    for kind, quotes in kinds.items():
        rates, latencies, reference_rates = [], [], []
        results: list[Anchor] = []
        for _ in range(args.rounds):
            seconds, results = timed(sources, quotes, lambda m, q: m.anchor(q.text))
            rates.append(len(quotes) / sum(seconds))
            latencies += seconds
            if kind in references:
                reference_seconds, _ = timed(sources, quotes, references[kind][1])
                reference_rates.append(len(quotes) / sum(reference_seconds))
        statuses = Counter(str(a.status) for a in results)
        found = sum(overlap(a.span, q.truth) >= 0.9 for a, q in zip(results, quotes, strict=True))
        p95 = percentile(latencies, 0.95)
        line = (
            f"{kind:>19}: {len(quotes):5d} quotes, median {statistics.median(rates):>9,.0f}"
            f" quotes/s, p95 {p95 * 1e6:>7,.0f} us/quote"
        )
        if reference_rates:
            name = references[kind][0]
            reference = statistics.median(reference_rates)
            line += f"; {name} {reference:,.0f}/s (x{statistics.median(rates) / reference:.2f})"
        print(line)
        shown = ", ".join(f"{status} {count}" for status, count in statuses.most_common())
        print(f"{'':>21}{shown}; span on the true place {found}/{len(quotes)}")
    repetitive_case()
    big_source_case(sentences, rng)


def big_source_case(sentences: list[str], rng: random.Random) -> None:
    """Orphans, a misquote and an 880,000-character near-miss on a 5 MiB source."""
    held_out = sorted(set(rng.sample(sentences, len(sentences) // 5)))
    kept = [s for s in sentences if s not in held_out]
    parts: list[str] = []
    size = 0
    while size < 5 << 20:
        parts.append(f"{rng.choice(kept)} (ref {len(parts)}) ")
        size += len(parts[-1])
    text = "".join(parts)
    matcher = SourceMatcher(text)
    started = time.perf_counter()
    matcher.anchor("a quote that builds the normalised text first")
    print(f"5 MiB source, {len(text):,} chars: normalised in {time.perf_counter() - started:.3f} s")

    orphans = [Quote(0, rng.choice(held_out), Span(0, 0)) for _ in range(200)]
    seconds, results = timed([text], orphans, lambda m, q: m.anchor(q.text))
    statuses = Counter(str(a.status) for a in results)
    naive, _ = timed([text], orphans[:5], lambda m, q: fuzz.partial_ratio(q.text, m.text))
    print(
        f"{len(orphans)} orphaned quotes: median {statistics.median(seconds) * 1000:.1f} ms, "
        f"p95 {percentile(seconds, 0.95) * 1000:.1f} ms per quote (target 50 ms); "
        f"whole-source partial_ratio {statistics.median(naive) * 1000:.0f} ms; "
        + ", ".join(f"{status} {count}" for status, count in statuses.items())
    )

    start = text.find(" ", len(text) // 2) + 1
    truth = Span(start, text.find(" (ref", start + 200))
    quote = Quote(0, text[truth.start : truth.end].replace("e", "a", 2), truth)
    seconds, (anchor,) = timed([text], [quote], lambda m, q: m.anchor(q.text))
    print(
        f"a misquote of {len(quote.text)} chars: {seconds[0] * 1000:.1f} ms, {anchor.status} "
        f"(score {anchor.score}), on the true place: {overlap(anchor.span, truth) >= 0.9}"
    )
    near_miss = text[:880_000].replace(" (ref 500) ", " (ref 5OO) ").strip()
    seconds, (anchor,) = timed(
        [text], [Quote(0, near_miss, Span(0, 0))], lambda m, q: m.anchor(q.text)
    )
    print(
        f"a near-miss of {len(near_miss):,} chars: {seconds[0]:.3f} s, "
        f"{anchor.status} (score {anchor.score})"
    )


def repetitive_case() -> None:
    """Time a misquote in repetitive text: whole-text partial_ratio grows cubically."""
    for repeats, naive in ((5_000, True), (10_000, True), (1_000_000, False)):
        text, quote = "hello " * repeats, "hellx " * min(repeats * 3 // 100, 5_000)
        started = time.perf_counter()
        anchor = SourceMatcher(text).anchor(quote)
        ours = time.perf_counter() - started
        line = f"repetitive {len(text):>9,} chars, quote {len(quote):>6,}: anchor {ours:.3f} s"
        if naive:
            started = time.perf_counter()
            fuzz.partial_ratio(quote, text)
            line += f", whole-text partial_ratio {time.perf_counter() - started:.3f} s"
        print(f"{line} ({anchor.status})")


if __name__ == "__main__":
    main()
