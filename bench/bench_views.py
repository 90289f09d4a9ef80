"""Time the cross-source views' core: the claim × source matrix and the figures comparison.

Measured on libraries from bench/generate.py (kept in bench/out/ and reused while their
settings match), against the targets in PRODUCT.md:
- matrix, whole library: `build_matrix` over 707 briefs and 707 sources (target 1 s);
- matrix, one topic: one brief of 100 claims over 20 sources (target 200 ms), written next to
  a generated library from verbatim sentences of its sources;
- figures: `compare_figures` over the bundled library and a 1,000-source library, and
  `extract_figures` over every source text of the latter (no target; reported).
Loading is not timed: the views start from a loaded Library, as the reader's screens do.

    python bench/bench_views.py [--runs 9] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from briefing_tui.core.figures import compare_figures, extract_figures
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.matrix import build_matrix

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import MARKER, generate_library  # noqa: E402  (a sibling script, not a package)
from stats import summary_ms  # noqa: E402

OUT = Path(__file__).resolve().parent / "out"
TOPIC_CLAIMS = 100
TOPIC_SOURCES = 20
PASSAGES_PER_CLAIM = 5
_SENTENCE = re.compile(r"[^.\n]{40,}\.")


def library_for(name: str, sources: int, passages: int, seed: int) -> Path:
    """The generated library for these settings, generating it when missing or stale."""
    out = OUT / f"views-{name}-{sources}-{passages}-{seed}"
    wanted = {"sources": sources, "passages": passages, "sentences": 40, "seed": seed}
    marker = out / MARKER
    if not marker.exists() or json.loads(marker.read_text(encoding="utf-8")) != wanted:
        generate_library(out, sources, passages, seed=seed)
    return out


def topic_library(seed: int) -> Path:
    """A generated library plus one brief of 100 claims quoting 20 of its sources."""
    root = library_for("topic", TOPIC_SOURCES, TOPIC_SOURCES * 5, seed)
    rng = random.Random(seed)
    files = sorted((root / "sources").iterdir())[:TOPIC_SOURCES]
    sentences = {
        f"s{n:02d}": _SENTENCE.findall(file.read_text(encoding="utf-8").split("---", 2)[2])
        for n, file in enumerate(files)
    }
    lines = ["title: A hundred claims", "sources:"]
    lines += [f"  s{n:02d}: sources/{file.name}" for n, file in enumerate(files)]
    lines.append("claims:")
    keys = sorted(sentences)
    for number in range(TOPIC_CLAIMS):
        lines += [
            f"  - id: claim-{number:03d}",
            f"    text: Claim number {number}.",
            "    passages:",
        ]
        for key in rng.sample(keys, PASSAGES_PER_CLAIM):
            stance = rng.choice(("supports", "supports", "conflicts", "context"))
            quote = json.dumps(rng.choice(sentences[key]).strip(), ensure_ascii=False)
            lines += [
                f"      - source: {key}",
                f"        quote: {quote}",
                f"        stance: {stance}",
            ]
    (root / "briefs" / "zz-topic.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Seconds per run of action."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def describe(library: Library) -> str:
    """Briefs, sources, claims and passages of a library, in one line."""
    claims = sum(len(brief.claims) for brief in library.briefs)
    passages = sum(1 for brief in library.briefs for _ in brief.passages())
    return (
        f"{len(library.briefs)} briefs, {len(library.sources)} sources, {claims} claims, "
        f"{passages} passages"
    )


def report(name: str, seconds: list[float], target_ms: float | None = None) -> None:
    """One line: the measure, its median, p95 and max, and the target where there is one."""
    line = f"{name:<28} {summary_ms(seconds)}"
    if target_ms is not None:
        median = statistics.median(seconds) * 1000
        line += f"   target {target_ms:.0f} ms: {'met' if median <= target_ms else 'MISSED'}"
    print(line)


def main() -> None:
    """Generate (or reuse) the libraries, time each view and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    whole = load_library(library_for("whole", 707, 707 * 30, args.seed))
    print(f"whole library: {describe(whole)}")
    matrix = build_matrix(whole)
    print(f"  matrix: {len(matrix.rows)} rows x {len(matrix.columns)} columns")
    report("matrix, whole library", timed(lambda: build_matrix(whole), args.runs), 1000)
    report(
        "  + contested first, silent",
        timed(lambda: matrix.silent_on(matrix.contested_first()), args.runs),
    )

    topic_root = topic_library(args.seed)
    topic_library_loaded = load_library(topic_root)
    topic = next(b for b in topic_library_loaded.briefs if b.path.endswith("zz-topic.yaml"))
    topic_matrix = build_matrix(topic_library_loaded, [topic])
    print(
        f"topic: {len(topic_matrix.rows)} claims x {len(topic_matrix.columns)} sources, "
        f"{sum(len(c.passages) for c in topic.claims)} passages, "
        f"{topic_library_loaded.problems.errors} errors"
    )
    report(
        "matrix, one topic",
        timed(lambda: build_matrix(topic_library_loaded, [topic]), args.runs),
        200,
    )

    bundled = load_library()
    found = compare_figures(bundled)
    print(f"bundled library: {describe(bundled)}; {len(found.differences)} differences")
    report("figures, bundled", timed(lambda: compare_figures(bundled), args.runs))

    large = load_library(library_for("figures", 1000, 5000, args.seed))
    found = compare_figures(large)
    figures = sum(len(claim.figures) for claim in found.claims)
    print(
        f"large library: {describe(large)}; {figures} figures, {len(found.differences)} differences"
    )
    report("figures, 1,000 sources", timed(lambda: compare_figures(large), args.runs))
    texts = [source.text for source in large.sources.values()]
    characters = sum(len(text) for text in texts)
    seconds = timed(lambda: [extract_figures(text) for text in texts], max(3, args.runs // 3))
    report("extract, every source text", seconds)
    rate = characters / statistics.median(seconds) / 1e6
    print(f"  {characters / 1e6:.1f} M characters, {rate:.1f} M characters/s")


if __name__ == "__main__":
    main()
