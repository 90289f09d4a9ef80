"""Measure start-up: process start to the first painted screen, against a minimal Textual app.

`briefing` runs under a pseudo-terminal (bench/terminal.py), as a person would start it; the
clock runs from spawning the process until the terminal output holds the reader's first
status message, which is written in the first paint after the library is loaded. The
reference, measured in the same run and the same harness, is bench/minimal_app.py: a Textual
app showing one Static that says the same words. Runs alternate between the two; each
reports median, p95 and max of the wall time, and the median CPU time the process had used
when its first paint was read (10 ms ticks; steadier than the wall time on a shared
machine). A third program runs beside them, bench/widgets_app.py: the reader's first screen
(its words, stylesheet and footer keys) drawn by Textual's own widgets with no briefing
code, which tells what of the difference is Textual drawing that screen and what is
briefing's own; with --statics a fourth, the same screen with its topics and claim panel
as plain `Static`s, tells what Textual's `Tree` and `OptionList` cost. All run from cached
bytecode, as installed programs do, and `briefing` from the library and search caches its
unmeasured first run wrote (bench/out/cache), as every start after a reader's first does.

Without --sources the library is the bundled one (target: 1.3x the reference); with it, a
generated library of that many sources and five passages each (bench/generate.py; target:
1.0 s for 1,000 sources, 2.5 s for 5,000).

    python bench/bench_startup.py [--runs 10] [--size 120x40] [--sources N] [--statics]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import cached_library  # noqa: E402 (a sibling script, not a package)
from minimal_app import cached_bytecode, command  # noqa: E402
from stats import summary_ms  # noqa: E402
from terminal import Terminal, briefing_command  # noqa: E402
from widgets_app import command as widgets_command  # noqa: E402
from widgets_app import write_screen  # noqa: E402

TARGETS = {None: "1.3x the reference", 1000: "1.0 s", 5000: "2.5 s", 20000: "8 s"}
TICK = os.sysconf("SC_CLK_TCK")
REFERENCE = "minimal Textual app"
WIDGETS = "its widgets alone"
STATICS = "lists as Statics"
SCREEN = Path(__file__).resolve().parent / "out" / "first-screen.json"


def first_paint(command: list[str], columns: int, rows: int) -> tuple[float, float]:
    """Seconds from spawning `command` to its first paint, and the CPU seconds it had used."""
    terminal = Terminal(command, columns, rows)
    try:
        painted = terminal.first_paint(timeout=300)
        return painted, terminal.cpu_ticks() / TICK
    finally:
        terminal.close()


def warm_up(command: list[str], columns: int, rows: int) -> None:
    """Run `command` once, unmeasured, until it is idle: the file cache and the bytecode are
    warm, and a reader has written its library and search caches."""
    terminal = Terminal(command, columns, rows)
    try:
        terminal.first_paint(timeout=300)
        terminal.wait_until_idle()
    finally:
        terminal.close()


def main() -> None:
    """Run both alternately and print the figures and the ratios of the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="120x40", help="terminal COLUMNSxROWS")
    parser.add_argument("--sources", type=int, help="a generated library of this many sources")
    parser.add_argument(
        "--statics", action="store_true", help="also the widgets alone, with Statics for lists"
    )
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    cached_bytecode()
    library: list[str] = []
    name = "bundled library"
    if args.sources:
        root = cached_library(f"library-{args.sources}", args.sources, 5 * args.sources)
        library, name = [str(root)], f"{args.sources:,} sources"
    screen = write_screen(library[0] if library else None, SCREEN)
    commands = {
        name: briefing_command(*library),
        WIDGETS: widgets_command(screen),
        **({STATICS: widgets_command(screen, statics=True)} if args.statics else {}),
        REFERENCE: command(),
    }
    wall: dict[str, list[float]] = {label: [] for label in commands}
    cpu: dict[str, list[float]] = {label: [] for label in commands}
    for spawn in commands.values():
        warm_up(spawn, columns, rows)
    for _ in range(args.runs):
        for label, spawn in commands.items():
            seconds, used = first_paint(spawn, columns, rows)
            wall[label].append(seconds)
            cpu[label].append(used)
    print(f"first paint, {args.size}, {args.runs} runs each, interleaved:")
    for label in commands:
        used = statistics.median(cpu[label]) * 1000
        print(f"  {label:<20} {summary_ms(wall[label], 0)}   cpu median {used:4.0f} ms")
    target = f" (target: {TARGETS.get(args.sources, 'none set')})"
    pairs = [(name, REFERENCE), (WIDGETS, REFERENCE), (name, WIDGETS)]
    if args.statics:
        pairs.insert(2, (STATICS, REFERENCE))
    for label, against in pairs:
        ratio = statistics.median(wall[label]) / statistics.median(wall[against])
        cpu_ratio = statistics.median(cpu[label]) / statistics.median(cpu[against])
        print(f"{label} / {against}: {ratio:.2f}x wall, {cpu_ratio:.2f}x cpu", end="")
        print(target if against == REFERENCE and label == name else "")


if __name__ == "__main__":
    main()
