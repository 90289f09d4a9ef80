"""Measure how `briefing` grows with the library: 100, 1,000 and 5,000 sources (20,000 with --huge).

Each size is a generated library of five passages per source (bench/generate.py, kept in
bench/out/). For each: first paint of `briefing` in the pty harness (bench/terminal.py)
with an empty cache folder of its own (cold: every file is read), and its peak resident
memory once the search index and the library cache are written after it; the first paint
of a second `briefing` on that folder (warm: it starts from the library cache), and the
size of the library cache file; `briefing check` as a whole process; the search index
build, in this process; and the p95 of a search
keystroke (every prefix of bench/bench_search.py's queries, in this process, from cold
caches). Times are medians over --rounds. Between consecutive sizes the growth exponent
log(t2/t1) / log(n2/n1) of each figure says how it scales: 1 is linear.

    python bench/bench_scale.py [--rounds 3] [--huge]
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.search.index import SearchIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_load import cli, timed  # noqa: E402 (sibling scripts, not a package)
from bench_search import LIMIT, QUERIES  # noqa: E402
from generate import cached_library  # noqa: E402
from minimal_app import cached_bytecode  # noqa: E402
from stats import percentile  # noqa: E402
from terminal import CACHE, Terminal, briefing_command  # noqa: E402

SIZES = (100, 1000, 5000)
HUGE = 20000
TIMES = ("cold paint", "warm paint", "check", "index build", "search p95")
CACHE_WAIT = 120.0  # seconds a reader may take to write the library cache once idle


def first_paint(root: Path, cache: Path | None = None) -> tuple[float, float]:
    """Seconds to the first paint, and peak RSS in MiB once the app has gone idle (and,
    given a cache folder, has written its library cache there)."""
    terminal = Terminal(briefing_command(str(root)))
    try:
        painted = terminal.first_paint(timeout=300)
        terminal.settle()
        terminal.wait_until_idle()  # the index is built after the paint: count its memory
        if cache is not None:
            wait_for_library_cache(cache)
        return painted, terminal.peak_rss_mib()
    finally:
        terminal.close()


def cold_and_warm(root: Path) -> tuple[float, float, float, float]:
    """First paints from an empty cache folder, then from the library cache the first wrote;
    the peak RSS of the cold one and the library cache's size, in MiB."""
    with tempfile.TemporaryDirectory(prefix="cache-cold-", dir=CACHE.parent) as folder:
        os.environ["BRIEFING_CACHE_DIR"] = folder  # the spawned readers' cache folder
        try:
            cold, memory = first_paint(root, Path(folder))
            warm, _ = first_paint(root)
        finally:
            del os.environ["BRIEFING_CACHE_DIR"]
        return cold, warm, memory, wait_for_library_cache(Path(folder)).stat().st_size / 2**20


def wait_for_library_cache(folder: Path) -> Path:
    """The library cache file a reader wrote in the folder (it may still be writing it)."""
    deadline = time.perf_counter() + CACHE_WAIT
    while not (found := list(folder.glob("*.library"))):
        if time.perf_counter() > deadline:
            raise RuntimeError(f"no library cache written in {folder}")
        time.sleep(0.1)
    return found[0]


def search_p95(index: SearchIndex) -> float:
    """Seconds: p95 over every keystroke of every query, each from cold caches."""
    keystrokes = []
    for query in QUERIES:
        index.clear_cache()
        for n in range(1, len(query) + 1):
            keystrokes.extend(timed(partial(index.search, query[:n], LIMIT), 1))
    return percentile(keystrokes, 0.95)


def measure(sources: int, rounds: int) -> dict[str, float]:
    """Every figure for one size; times in seconds, memory in MiB."""
    root = cached_library(f"library-{sources}", sources, 5 * sources)
    paints = [cold_and_warm(root) for _ in range(rounds)]
    library = load_library(root)
    builds = timed(lambda: SearchIndex.build(library), rounds)
    index = SearchIndex.build(library)
    return {
        "cold paint": statistics.median(paint[0] for paint in paints),
        "warm paint": statistics.median(paint[1] for paint in paints),
        "check": statistics.median(timed(lambda: cli(root), rounds)),
        "index build": statistics.median(builds),
        "search p95": statistics.median(search_p95(index) for _ in range(rounds)),
        "peak RSS": max(paint[2] for paint in paints),
        "cache size": statistics.median(paint[3] for paint in paints),
    }


def main() -> None:
    """Measure every size, printing a row as each is done, then the growth exponents."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--huge", action="store_true", help=f"add {HUGE:,} sources")
    args = parser.parse_args()
    cached_bytecode()
    sizes = (*SIZES, HUGE) if args.huge else SIZES
    names = "".join(f"{name:>14}" for name in TIMES)
    print(f"{'sources':>8}{names}{'peak RSS':>12}{'cache size':>12}")
    rows = {}
    for sources in sizes:
        row = rows[sources] = measure(sources, args.rounds)
        times = "".join(f"{row[name] * 1000:11.1f} ms" for name in TIMES)
        memory = f"{row['peak RSS']:8.0f} MiB{row['cache size']:8.1f} MiB"
        print(f"{sources:>8,}{times}{memory}", flush=True)
    print("growth exponents, log(t2/t1) / log(n2/n1):")
    for small, large in zip(sizes, sizes[1:], strict=False):
        steps = math.log(large / small)
        exponents = (
            math.log(rows[large][n] / rows[small][n]) / steps
            for n in (*TIMES, "peak RSS", "cache size")
        )
        print(f"{small:>6,} -> {large:<6,}" + "".join(f"{e:14.2f}" for e in exponents))


if __name__ == "__main__":
    main()
