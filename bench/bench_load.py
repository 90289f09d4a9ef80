"""Time loading a generated library: medians, p95, passages/s, and where the time goes.

The library comes from bench/generate.py (kept in bench/out/ and reused while its settings
match). Measured in the same run:
- load: `load_library` (read, safe YAML, validation, sanitising, anchoring);
- check: load plus the `briefing check` report lines;
- reference: the floor any loader pays, reading every file once and parsing the briefs
  with PyYAML's C safe loader, nothing more;
- anchoring: fresh `SourceMatcher`s anchoring every passage of the loaded library;
- cli: `python -m briefing_tui check` as a whole process (interpreter start included);
- where load's CPU time goes: load's CPU, then the safe YAML of every brief, reading every
  source (front matter and sanitising included) and anchoring, the rest being validation.

With --hostile, each input the size limits allow that once cost seconds or gigabytes (16 MiB
of NUL, of double spaces, of escape sequences...) is written to a library of its own and
checked by `python -m briefing_tui check`, reporting seconds and peak memory against the
targets (3 s, 300 MB) and the same check of a one-line library as the reference.

    python bench/bench_load.py [--sources 1000] [--passages 5000] [--runs 9] [--seed 0]
    python bench/bench_load.py --hostile
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.loader import load_library, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.library.sources import load_source
from briefing_tui.core.library.yamlsafe import parse_yaml
from briefing_tui.core.report import CheckReport

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import cached_library
from minimal_app import cached_bytecode  # noqa: E402
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
    # Run from the library so `-m` imports the installed package (or PYTHONPATH's), not a
    # checkout that happens to be the working directory.
    subprocess.run(command, check=True, capture_output=True, cwd=root)


def timed(
    action: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> list[float]:
    """Seconds per run of action, by the clock given (wall time unless told)."""
    seconds = []
    for _ in range(runs):
        started = clock()
        action()
        seconds.append(clock() - started)
    return seconds


def parse_briefs(root: Path) -> None:
    """The safe YAML of every brief, as the loader reads it."""
    for brief in sorted((root / "briefs").iterdir()):
        parse_yaml(brief.read_text(encoding="utf-8"))


def read_sources(root: Path) -> None:
    """Every source read as the loader reads it: size limit, front matter, sanitising."""
    for source in (root / "sources").iterdir():
        load_source(source, source.name)


MIB = 1 << 20
SENTENCE = "The leaders met in Washington and agreed on trade. "


def hostile_cases() -> dict[str, Callable[[], tuple[str, list[str]]]]:
    """Each hostile case: how to make its source body and the quotes its brief makes of it."""
    quote = ["The leaders met in Washington and agreed on trade."]
    controls = "".join(chr(c) for c in range(1, 32) if c not in (9, 10, 13))
    prose = SENTENCE + "Officials said the talks lasted two hours; aides disputed it. "

    def orphans() -> tuple[str, list[str]]:
        rng = random.Random(0)
        quotes = [" ".join(rng.sample(prose.split(), 10)) + f" {n}" for n in range(ORPHANS)]
        return prose * (5 * MIB // len(prose)), quotes

    def near_miss() -> tuple[str, list[str]]:
        records = "".join(f"Item {n} of the record notes {3 * n} ships. " for n in range(22_000))
        return records, [records[:880_000].replace("Item 9000 of", "Item 9OOO of").strip()]

    return {
        "16 MiB of NUL": lambda: ("\x00" * (16 * MIB - 1), quote),
        "5 MiB of control characters": lambda: (controls * (5 * MIB // len(controls)), quote),
        "16 MiB of double spaces": lambda: ("a  " * (16 * MIB // 3), quote),
        "16 MiB of CSI escapes": lambda: ("\x1b[m" * (16 * MIB // 3), quote),
        "16 MiB of a + U+200B": lambda: ("a\u200b" * (16 * MIB // 4), quote),
        "16 MiB of NFD e + U+0301": lambda: ("e\u0301" * (16 * MIB // 3), quote),
        f"{ORPHANS} orphans on 5 MiB": orphans,
        "880,000-char near-miss": near_miss,
    }


ORPHANS = 200


def check_process(root: Path, timeout: float) -> tuple[float, float] | None:
    """`briefing check` of a library as a process: wall seconds and peak RSS in MB, or None
    past the timeout. The bench holds little when it starts one (a child's peak counts the
    memory it was forked with)."""
    command = [sys.executable, "-m", "briefing_tui", "check", str(root)]
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=root
    )
    while True:
        pid, _, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            return time.perf_counter() - started, usage.ru_maxrss / 1024
        if time.perf_counter() - started > timeout:
            process.kill()
            process.wait()
            return None
        time.sleep(0.01)


def write_case(root: Path, body: str, quotes: list[str]) -> None:
    """A library of one source with this body and one brief quoting it."""
    (root / "briefs").mkdir(parents=True)
    (root / "source.txt").write_text(body, encoding="utf-8")
    passages = [{"source": "s", "quote": quote} for quote in quotes]
    claims = [{"text": "A claim.", "passages": passages}]
    brief = {"title": "Hostile", "sources": {"s": "source.txt"}, "claims": claims}
    (root / "briefs" / "hostile.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")


def hostile(timeout: float) -> None:
    """Check each hostile library in a process of its own and print time and memory."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        write_case(base / "reference", SENTENCE, [SENTENCE.strip()])
        measured = check_process(base / "reference", timeout)
        assert measured is not None
        reference, reference_rss = measured
        print(f"{'reference: a one-line library':<30} {reference:6.2f} s {reference_rss:6.0f} MB")
        for number, (name, make) in enumerate(hostile_cases().items()):
            root = base / f"case{number}"
            body, quotes = make()
            write_case(root, body, quotes)
            del body, quotes
            measured = check_process(root, timeout)
            if measured is None:
                print(f"{name:<30} over the {timeout:.0f} s timeout")
                continue
            seconds, rss = measured
            ratio = seconds / reference
            line = f"{name:<30} {seconds:6.2f} s {rss:6.0f} MB   x{ratio:.1f} the reference"
            if "orphans" in name:
                per_quote = (seconds - reference) / ORPHANS * 1000
                line += f"; {per_quote:.0f} ms per quote (target 50 ms)"
            else:
                line += f"; targets 3 s, 300 MB: {'ok' if seconds <= 3 and rss <= 300 else 'OVER'}"
            print(line)


def main() -> None:
    """Generate (or reuse) the library, time each measure and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--cli-runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hostile", action="store_true", help="time the hostile inputs")
    parser.add_argument("--timeout", type=float, default=120, help="seconds per hostile input")
    args = parser.parse_args()
    cached_bytecode()  # what it spawns runs from compiled bytecode, as installed programs do
    if args.hostile:
        hostile(args.timeout)
        return

    root = library_for(args.sources, args.passages, args.seed)
    library = load_library(root)  # warm the file cache; the figures below are all warm
    passages = sum(1 for brief in library.briefs for _ in brief.passages())
    megabytes = sum(len(s.text) for s in library.sources.values()) / 1e6
    print(
        f"library: {len(library.briefs)} briefs, {len(library.sources)} sources "
        f"({megabytes:.1f} M characters), {passages} passages, "
        f"{library.problems.errors} errors, {library.problems.warnings} warnings  [{root}]"
    )
    results = {
        "load": timed(lambda: load_library(root), args.runs),
        "check": timed(lambda: check(root), args.runs),
        "reference": timed(lambda: reference(root), args.runs),
        "anchoring": timed(lambda: anchoring(library), args.runs),
        "cli": timed(lambda: cli(root), args.cli_runs),
        "load cpu": timed(lambda: load_library(root), args.runs, time.process_time),
        "yaml cpu": timed(lambda: parse_briefs(root), args.runs, time.process_time),
        "sources cpu": timed(lambda: read_sources(root), args.runs, time.process_time),
        "anchor cpu": timed(lambda: anchoring(library), args.runs, time.process_time),
    }
    load = statistics.median(results["load"])
    for name, seconds in results.items():
        median, p95 = statistics.median(seconds), percentile(seconds, 0.95)
        line = f"{name:<11} median {median * 1000:7.1f} ms   p95 {p95 * 1000:7.1f} ms"
        if name == "load":
            line += f"   {passages / median:,.0f} passages/s"
        elif name == "reference":
            line += f"   load is {load / median:.1f}x the reference"
        elif name == "anchoring":
            line += f"   {passages / median:,.0f} quotes/s, {median / load:.0%} of load"
        elif name == "load cpu":
            line += "   target 500 ms"
        elif name.endswith(" cpu"):
            line += f"   {median / statistics.median(results['load cpu']):.0%} of load's CPU"
        print(line)


if __name__ == "__main__":
    main()
