"""Measure search: index build, and latency per keystroke of realistic queries, at scale.

A library of 2,500 generated sources x 40 sentences (over 100,000 searchable units) comes
from bench/generate.py (kept in bench/out/ and reused while its settings match), then the
bundled library. Each query is typed one keystroke at a time and every prefix is searched
(limit 50), from cold caches, three times; each keystroke counts with its median over the
three (the machine is shared), and all keystrokes give p50, p95 and max. The reference,
measured in the same run, is `fzf --filter` over the same units (one per line in a file),
run per full query as a whole process, as a user would pipe it; fzf knows no `field:`
filters, so those are left out of what it is given. Peak memory is the process's maximum
resident set size.

    python bench/bench_search.py [--sources 2500] [--sentences 40] [--rounds 3] [--seed 0]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.core.search.query import Filter, parse_query

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import cached_library  # noqa: E402  (a sibling script, not a package)
from stats import percentile  # noqa: E402

LIMIT = 50
# What a reader types: single words, phrases, typos, operators and filters.
QUERIES = (
    "senkaku",
    "senakku islands",
    "trilion investment",
    "the prime minister",
    "defence budjet",
    "us japan alliance",
    "'nuclear deterrence",
    "^the prime",
    "tariff | trade deficit",
    "ishiba trump !china",
    "kind:claim investment",
    "source:harbor troops",
    "stance:conflicts jobs",
    "topic:security alliance",
    "lng export alaska",
    "steel nippon",
)
TARGETS = {"build_s": 2.0, "p95_ms_100k": 50.0, "p95_ms_bundled": 5.0}


@dataclass
class Typed:
    """Latencies of one query typed a keystroke at a time, and its reference time."""

    query: str
    keystrokes_ms: list[float]
    full_ms: float
    fzf_ms: float | None


def library_for(sources: int, sentences: int, seed: int) -> Path:
    """The generated library for these settings, generating it when missing or stale."""
    name = f"search-{sources}-{sentences}-{seed}"
    return cached_library(name, sources, sources * 2, sentences, seed)


def timed(action: Callable[[], object]) -> float:
    """Seconds one call takes."""
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def is_filter(word: str) -> bool:
    """Whether a word of a query is one of our `field:value` filters."""
    atoms = parse_query(word).atoms
    return bool(atoms) and all(isinstance(atom, Filter) for atom in atoms)


def fzf_query(query: str) -> str:
    """The query as fzf understands it: our filters left out."""
    return " ".join(word for word in query.split() if not is_filter(word))


def fzf_ms(lines: Path, query: str, rounds: int) -> float | None:
    """Median milliseconds of `fzf --filter QUERY < lines` as a whole process."""
    fzf = shutil.which("fzf")
    if fzf is None:
        return None
    samples = []
    for _ in range(rounds):
        with lines.open("rb") as stdin:
            start = time.perf_counter()
            subprocess.run(
                [fzf, "--filter", fzf_query(query)],
                stdin=stdin,
                stdout=subprocess.DEVNULL,
                check=False,
            )
            samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def type_queries(index: SearchIndex, lines: Path, rounds: int) -> list[Typed]:
    """Every query typed keystroke by keystroke, `rounds` times from cold caches; each
    keystroke's figure is its median over the rounds (the machine is shared). Plus fzf."""
    results = []
    for query in QUERIES:
        runs = []
        for _ in range(rounds):
            index.clear_cache()
            runs.append(
                [
                    timed(lambda q=query[:n]: index.search(q, LIMIT)) * 1000
                    for n in range(1, len(query) + 1)
                ]
            )
        full = []
        for _ in range(rounds):
            index.clear_cache()
            full.append(timed(lambda q=query: index.search(q, LIMIT)) * 1000)
        keystrokes = [statistics.median(times) for times in zip(*runs, strict=True)]
        results.append(
            Typed(query, keystrokes, statistics.median(full), fzf_ms(lines, query, rounds))
        )
    return results


def report(name: str, library: Library, rounds: int, target_ms: float) -> dict[str, float]:
    """Build the index (rounds times), type every query, and print the figures."""
    builds = []
    index = None
    for _ in range(rounds):
        index = None
        start = time.perf_counter()
        index = SearchIndex.build(library)
        builds.append(time.perf_counter() - start)
    assert index is not None
    with tempfile.TemporaryDirectory() as folder:
        lines = Path(folder) / "units.txt"
        lines.write_text(
            "".join(text.replace("\n", " ") + "\n" for text in index.unit_texts()),
            encoding="utf-8",
        )
        typed = type_queries(index, lines, rounds)
    print(
        f"\n== {name}: {len(index):,} units, {len(library.sources):,} sources, "
        f"{len(library.briefs):,} briefs"
    )
    print(
        f"index build: median {statistics.median(builds):.2f} s, max {max(builds):.2f} s "
        f"({rounds} builds)"
    )
    print(
        f"{'query':<26}{'keys':>5}{'p50':>8}{'p95':>8}{'max':>8}{'full':>8}{'fzf':>9}"
        f"{'fzf/full':>9}"
    )
    every = []
    for row in typed:
        every += row.keystrokes_ms
        fzf = f"{row.fzf_ms:9.1f}" if row.fzf_ms is not None else "      n/a"
        ratio = f"{row.fzf_ms / row.full_ms:8.0f}x" if row.fzf_ms is not None else "      n/a"
        print(
            f"{row.query:<26}{len(row.keystrokes_ms):>5}"
            f"{statistics.median(row.keystrokes_ms):8.2f}"
            f"{percentile(row.keystrokes_ms, 0.95):8.2f}{max(row.keystrokes_ms):8.2f}"
            f"{row.full_ms:8.2f}{fzf}{ratio}"
        )
    p95 = percentile(every, 0.95)
    fzf_all = [row.fzf_ms for row in typed if row.fzf_ms is not None]
    print(
        f"all {len(every)} keystrokes (ms): p50 {statistics.median(every):.2f}, "
        f"p95 {p95:.2f}, max {max(every):.2f}; target p95 <= {target_ms:g} ms: "
        f"{'met' if p95 <= target_ms else 'MISSED'}"
    )
    if fzf_all:
        print(
            f"fzf --filter per query (ms, whole process): median "
            f"{statistics.median(fzf_all):.1f}; our median keystroke is "
            f"{statistics.median(fzf_all) / statistics.median(every):.0f}x faster"
        )
    return {"build": statistics.median(builds), "p95": p95}


def main() -> None:
    """Command line: the generated library at scale, then the bundled library."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=2500)
    parser.add_argument("--sentences", type=int, default=40)
    parser.add_argument(
        "--rounds", type=int, default=3, help="index builds, typing runs and fzf runs"
    )
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    root = library_for(args.sources, args.sentences, args.seed)
    start = time.perf_counter()
    large = load_library(root)
    print(f"loaded {root} in {time.perf_counter() - start:.2f} s")
    scale = report("generated", large, args.rounds, TARGETS["p95_ms_100k"])
    print(
        f"build target <= {TARGETS['build_s']:g} s: "
        f"{'met' if scale['build'] <= TARGETS['build_s'] else 'MISSED'}"
    )
    peak_large = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak resident memory so far: {peak_large:.0f} MB")
    del large
    report("bundled", load_library(), args.rounds, TARGETS["p95_ms_bundled"])


if __name__ == "__main__":
    main()
