"""Quality and speed of `briefing suggest`: hidden passages found again, and ms per claim.

Quality: for every claim with two or more anchored passages, each passage in turn is kept
and the claim's other passages are hidden (the brief's other claims stay as they are);
recall@5 and recall@10 are the shares of hidden passages whose sentence is among the first
5 and 10 suggestions. Hidden passages whose every sentence another passage of the brief
still quotes cannot be suggested by design ("not quoted yet") and are counted apart. Measured on the
bundled library and on a generated one: bench/generate.py's 1,000 sources plus briefs
planted in it whose claims are written from words of three sentences of their sources
(some words in another form: plural for singular, -ing for -ed), so that the sentences are
the claim's evidence.

Speed: building the index of every source, then ms per claim on the 1,000-source library
(each claim against its brief's sources, and a sample against all 1,000 sources), and the
whole bundled library as `briefing suggest` does it (index and every claim), and as a
process (`python -m briefing_tui suggest`, start-up and loading included).

    python bench/bench_suggest.py [--sources 1000] [--runs 5] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Brief, Claim, Library, Span
from briefing_tui.core.search.units import text_units
from briefing_tui.core.suggest import SuggestionIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import MARKER, generate_library  # noqa: E402  (a sibling script, not a package)
from minimal_app import cached_bytecode  # noqa: E402
from stats import summary_ms  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
PLANTED_BRIEFS = 20
PLANTED_CLAIMS = 10
PLANTED_SOURCES = 8
EVIDENCE = 3  # sentences (from distinct sources) behind each planted claim
WORDS_PER_SENTENCE = 3
ALL_SOURCES_SAMPLE = 50
_SENTENCE = re.compile(r"[^.\n]{40,}\.")
_LONG_WORD = re.compile(r"[A-Za-z]{6,}")


@dataclass(slots=True)
class Recall:
    """Hidden passages found among the first 5 and 10 suggestions, over some trials."""

    trials: int = 0
    hidden: int = 0
    unreachable: int = 0
    at5: int = 0
    at10: int = 0
    seconds: float = 0.0

    def line(self, name: str) -> str:
        """The figures in one line."""
        if not self.hidden:
            return f"{name}: nothing to find"
        return (
            f"{name}: {self.trials} trials, {self.hidden} hidden passages "
            f"(+{self.unreachable} in sentences the brief still quotes): "
            f"recall@5 {self.at5 / self.hidden:.1%}, recall@10 {self.at10 / self.hidden:.1%}; "
            f"{self.seconds / self.trials * 1000:.2f} ms per claim"
        )


def _overlaps(span: Span, spans: Iterable[Span]) -> bool:
    return any(span.start < other.end and other.start < span.end for other in spans)


@cache
def _sentences(text: str) -> tuple[Span, ...]:
    return tuple(text_units(text))


def sentences(library: Library, path: str) -> tuple[Span, ...]:
    """The sentences of a source, as suggestions cut them."""
    return _sentences(library.sources[path].text)


def measure_recall(library: Library, briefs: Iterable[Brief], all_sources: bool) -> Recall:
    """Keep each anchored passage of each claim in turn and look for the others."""
    index = SuggestionIndex(library)
    result = Recall()
    for brief in briefs:
        paths = {named.key: named.source.path for named in brief.sources}
        for claim in brief.claims:
            anchored = [p for p in claim.passages if p.span is not None]
            if len(anchored) < 2:
                continue
            for kept in anchored:
                trial = replace(claim, passages=(kept,))
                claims = tuple(trial if c is claim else c for c in brief.claims)
                trial_brief = replace(brief, claims=claims)
                quoted: dict[str, list[Span]] = {}
                for passage in trial_brief.passages():
                    if passage.span is not None:
                        quoted.setdefault(paths[passage.source_key], []).append(passage.span)
                hidden = []
                for passage in anchored:
                    if passage is kept or passage.span is None:
                        continue
                    path = paths[passage.source_key]
                    # A sentence that any passage of the brief quotes is never suggested.
                    free = [
                        sentence
                        for sentence in sentences(library, path)
                        if _overlaps(sentence, [passage.span])
                        and not _overlaps(sentence, quoted.get(path, ()))
                    ]
                    if free:
                        hidden.append((path, passage.span))
                    else:
                        result.unreachable += 1
                started = time.perf_counter()
                found = index.suggest(trial_brief, trial, 10, all_sources)
                result.seconds += time.perf_counter() - started
                result.trials += 1
                result.hidden += len(hidden)
                for path, span in hidden:
                    rank = next(
                        (
                            number
                            for number, suggestion in enumerate(found)
                            if suggestion.source_path == path and _overlaps(suggestion.span, [span])
                        ),
                        None,
                    )
                    if rank is not None:
                        result.at10 += 1
                        result.at5 += rank < 5
    return result


def generated_library(sources: int, seed: int) -> Path:
    """bench/generate.py's library of this many sources, with the planted briefs added."""
    out = OUT / f"suggest-{sources}-{seed}"
    wanted = {"sources": sources, "passages": sources * 5, "sentences": 40, "seed": seed}
    marker = out / MARKER
    if not marker.exists() or json.loads(marker.read_text(encoding="utf-8")) != wanted:
        generate_library(out, sources, sources * 5, seed=seed)
    _plant(out, sources, seed)
    return out


def _variant(word: str, rng: random.Random) -> str:
    """The word, or another form of it, as a claim would word it."""
    roll = rng.random()
    if roll < 0.25 and word.endswith("s"):
        return word[:-1]
    if roll < 0.5 and not word.endswith("s"):
        return word + "s"
    if roll < 0.6 and word.endswith("ed"):
        return word[:-2] + "ing"
    return word


def _plant(root: Path, sources: int, seed: int) -> None:
    """Briefs whose claims are written from words of three of their sources' sentences."""
    rng = random.Random(seed + 1)
    files = sorted((root / "sources").iterdir())[:sources]
    for number in range(PLANTED_BRIEFS):
        chosen = rng.sample(files, PLANTED_SOURCES)
        sentences = {
            f"p{k}": _SENTENCE.findall(file.read_text(encoding="utf-8").split("---", 2)[2])
            for k, file in enumerate(chosen)
        }
        lines = [f"title: Planted evidence {number}", "sources:"]
        lines += [f"  p{k}: sources/{file.name}" for k, file in enumerate(chosen)]
        lines.append("claims:")
        for claim in range(PLANTED_CLAIMS):
            keys = rng.sample(sorted(k for k, found in sentences.items() if found), EVIDENCE)
            quotes = [rng.choice(sentences[key]).strip() for key in keys]
            words: list[str] = []
            for quote in quotes:
                long_words = sorted(set(_LONG_WORD.findall(quote)))
                picked = rng.sample(long_words, min(WORDS_PER_SENTENCE, len(long_words)))
                words += [_variant(word.lower(), rng) for word in picked]
            rng.shuffle(words)
            text = "The sources say that " + " and ".join(words) + "."
            lines += [f"  - id: claim-{claim:02d}", f"    text: {json.dumps(text)}"]
            lines.append("    passages:")
            for key, quote in zip(keys, quotes, strict=True):
                lines += [f"      - source: {key}", f"        quote: {json.dumps(quote)}"]
        brief = root / "briefs" / f"zz-planted-{number:02d}.yaml"
        brief.write_text("\n".join(lines) + "\n", encoding="utf-8")


def per_claim(index: SuggestionIndex, pairs: list[tuple[Brief, Claim]], all_sources: bool) -> str:
    """Median, p95 and max seconds of one claim's suggestions."""
    samples = []
    for brief, claim in pairs:
        started = time.perf_counter()
        index.suggest(brief, claim, 5, all_sources)
        samples.append(time.perf_counter() - started)
    return summary_ms(samples, 2)


def main() -> None:
    """Measure recall on both libraries, then the time per claim and for the bundled library."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cached_bytecode()  # what it spawns runs from compiled bytecode, as installed programs do

    bundled = load_library()
    print(measure_recall(bundled, bundled.briefs, False).line("bundled, brief's sources"))
    print(measure_recall(bundled, bundled.briefs, True).line("bundled, all sources"))

    generated = load_library(generated_library(args.sources, args.seed))
    planted = [b for b in generated.briefs if Path(b.path).name.startswith("zz-planted-")]
    print(measure_recall(generated, planted, False).line("generated, brief's sources"))
    print(measure_recall(generated, planted, True).line("generated, all sources"))

    index = SuggestionIndex(generated)
    started = time.perf_counter()
    for source in generated.sources.values():
        index.source(source)
    sentences = sum(len(index.source(s).spans) for s in generated.sources.values())
    print(
        f"index: {len(generated.sources)} sources, {sentences} sentences in "
        f"{time.perf_counter() - started:.2f} s"
    )
    pairs = [(brief, claim) for brief in generated.briefs for claim in brief.claims]
    print(f"per claim, brief's sources ({len(pairs)} claims): {per_claim(index, pairs, False)}")
    sample = random.Random(args.seed).sample(pairs, min(ALL_SOURCES_SAMPLE, len(pairs)))
    print(f"per claim, all sources ({len(sample)} claims): {per_claim(index, sample, True)}")

    def whole_bundled() -> int:
        fresh = SuggestionIndex(bundled)
        return sum(len(fresh.suggest(b, c)) for b in bundled.briefs for c in b.claims)

    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        whole_bundled()
        seconds.append(time.perf_counter() - started)
    print(f"bundled library, index and every claim: {summary_ms(seconds)}")
    seconds = []
    for _ in range(args.runs):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "briefing_tui", "suggest"], check=True, capture_output=True
        )
        seconds.append(time.perf_counter() - started)
    print(f"`briefing suggest` on the bundled library, as a process: {summary_ms(seconds)}")
    print(f"  median {statistics.median(seconds):.2f} s (target 1 s)")


if __name__ == "__main__":
    main()
