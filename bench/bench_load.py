"""Time loading a generated library: medians, p95, passages/s, and where the time goes.

The library comes from bench/generate.py (kept in bench/out/ and reused while its settings
match). Measured in the same run:
- load: `load_library` (read, safe YAML, validation, sanitising, anchoring);
- check: load plus the `briefing check` report lines;
- reference: the floor any loader pays, reading every file once and parsing the briefs
  with PyYAML's C safe loader, nothing more;
- anchoring: fresh `SourceMatcher`s anchoring every passage of the loaded library;
- cli: `python -m briefing_tui check` as a whole process (interpreter start included).

    python bench/bench_load.py [--sources 1000] [--passages 5000] [--runs 9] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.loader import load_library, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.report import CheckReport

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import cached_library
from stats import percentile  # noqa: E402


def library_for(sources: int, passages: int, seed: int) -> Path:
    """The generated library for these settings, generating it when missing or stale."""
    return cached_library(f"load-{sources}-{passages}-{seed}", sources, passages, seed=seed)


def reference(root: Path) -> None:
    """Read every file once and parse each brief with the C safe loader."""
    for brief in sorted((root / "briefs").iterdir()):
        yaml.load(brief.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    for source in (root / "sources").iterdir():
        source.read_bytes()


def anchoring(library: Library) -> None:
    """Anchor every passage again with fresh matchers, one per source."""
    matchers: dict[str, SourceMatcher] = {}
    for brief in library.briefs:
        for passage in brief.passages():
            bound = brief.source(passage.source_key)
            if bound is None:
                continue
            matcher = matchers.get(bound.source.path)
            if matcher is None:
                matcher = matchers[bound.source.path] = SourceMatcher(bound.source.text)
            matcher.anchor(passage.quote, passage.prefix, passage.suffix)


def check(root: Path) -> None:
    """What `briefing check` does in process: load, then build the report lines."""
    location = locate_library(root)
    report = CheckReport(load_library(root), len(location.brief_files))
    report.lines(Path.cwd())


def cli(root: Path) -> None:
    """`briefing check` as a separate process."""
    command = [sys.executable, "-m", "briefing_tui", "check", str(root)]
    subprocess.run(command, check=True, capture_output=True)


def timed(action: Callable[[], object], runs: int) -> list[float]:
    """Seconds per run of action."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return seconds


def main() -> None:
    """Generate (or reuse) the library, time each measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cli-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    root = library_for(args.sources, args.passages, args.seed)
    library = load_library(root)  # warm the file cache; the figures below are all warm
    passages = sum(1 for brief in library.briefs for _ in brief.passages())
    megabytes = sum(len(s.text) for s in library.sources.values()) / 1e6
    print(
        f"library: {len(library.briefs)} briefs, {len(library.sources)} sources "
        f"({megabytes:.1f} M characters), {passages} passages, "
        f"{library.errors} errors, {library.warnings} warnings  [{root}]"
    )
    results = {
        "load": timed(lambda: load_library(root), args.runs),
        "check": timed(lambda: check(root), args.runs),
        "reference": timed(lambda: reference(root), args.runs),
        "anchoring": timed(lambda: anchoring(library), args.runs),
        "cli": timed(lambda: cli(root), args.cli_runs),
    }
    load = statistics.median(results["load"])
    for name, seconds in results.items():
        median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
        line = f"{name:<10} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"
        if name == "load":
            line += f"   {passages / median:,.0f} passages/s"
        elif name == "reference":
            line += f"   load is {load / median:.1f}x the reference"
        elif name == "anchoring":
            line += f"   {passages / median:,.0f} quotes/s, {median / load:.0%} of load"
        print(line)


if __name__ == "__main__":
    main()
