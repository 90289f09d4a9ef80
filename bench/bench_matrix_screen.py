"""Time the claim matrix screen in the real app, under a pseudo-terminal (120x40).

Each key is written to the terminal and timed until the app has finished redrawing (the
last byte of its answer; the 50 ms of quiet that ends it is not counted), as in
bench_bigsource.py. The libraries are bench_views.py's, from bench/generate.py:
1. 707 briefs over 707 sources (about 9,000 claims): `m` opens the first topic's matrix,
   then `t` shows the whole library grouped by topic (building its matrix and the grid's
   lines); `↓`, End and Home move the cursor there; Escape closes the screen, and the next run
   opens it afresh. Target: the whole library within 1 s (`m` and `t` together).
2. One brief of 100 claims quoting 20 sources, opened on its own: `m` opens its matrix.
   Target: 200 ms.

    python bench/bench_matrix_screen.py [--runs 9] [--seed 0]
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_views import library_for, topic_library  # noqa: E402 (sibling scripts)
from minimal_app import cached_bytecode  # noqa: E402
from stats import summary_ms  # noqa: E402
from terminal import Terminal, briefing_command  # noqa: E402

COLUMNS, ROWS = 120, 40
ESCAPE = b"\x1b"
DOWN, END, HOME = b"\x1b[B", b"\x1b[F", b"\x1b[H"


def report(name: str, seconds: list[float], target_ms: float | None = None) -> None:
    """One line: the measure, its median, p95 and max, and the target where there is one."""
    line = f"{name:<34} {summary_ms(seconds)}"
    if target_ms is not None:
        median = statistics.median(seconds) * 1000
        line += f"   target {target_ms:.0f} ms: {'met' if median <= target_ms else 'MISSED'}"
    print(line)


def close(terminal: Terminal) -> None:
    """Close the matrix screen (a lone Escape is told from a key sequence after a pause)."""
    terminal.press(ESCAPE)
    terminal.settle()


def whole_library(root: Path, runs: int) -> None:
    """Open the topic's matrix, then the whole library's, run after run; move the cursor."""
    terminal = Terminal(briefing_command(str(root)), COLUMNS, ROWS)
    try:
        terminal.first_paint(timeout=60)
        terminal.wait_until_idle()  # the search index is built after the first paint
        topic, whole, both, down, end, home = [], [], [], [], [], []
        for _ in range(runs):
            topic.append(terminal.press(b"m"))
            whole.append(terminal.press(b"t"))
            both.append(topic[-1] + whole[-1])
            down.append(terminal.press(DOWN))
            end.append(terminal.press(END))
            home.append(terminal.press(HOME))
            close(terminal)
        report("m (the first topic's matrix)", topic)
        report("t (the whole library's)", whole)
        report("m then t: the whole library opens", both, 1000)
        report("↓ in the whole library", down)
        report("End (the last of every claim)", end)
        report("Home (the first)", home)
    finally:
        terminal.close()


def one_topic(brief: Path, runs: int) -> None:
    """Open the matrix of a topic of 100 claims and 20 sources, run after run."""
    terminal = Terminal(briefing_command(str(brief)), COLUMNS, ROWS)
    try:
        terminal.first_paint(timeout=60)
        terminal.wait_until_idle()
        opened = []
        for _ in range(runs):
            opened.append(terminal.press(b"m"))
            close(terminal)
        report("m (100 claims x 20 sources)", opened, 200)
    finally:
        terminal.close()


def main() -> None:
    """Generate (or reuse) the libraries and time the matrix screen on each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    cached_bytecode()  # what it spawns runs from compiled bytecode, as installed programs do
    whole = library_for("whole", 707, 707 * 30, args.seed)
    print(f"whole library: {whole}")
    whole_library(whole, args.runs)
    topic = topic_library(args.seed) / "briefs" / "zz-topic.yaml"
    print(f"one topic: {topic}")
    one_topic(topic, args.runs)


if __name__ == "__main__":
    main()
