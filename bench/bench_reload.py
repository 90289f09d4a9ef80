"""Measure live reload: a brief saved to the reader repainting it, and memory over many reloads.

`briefing --watch LIBRARY` runs under a pseudo-terminal (120x40), as a person would use it.
Each round saves the first brief as an editor does (a temporary file renamed over it) with a
new title, and times from the rename until the new title is on screen (the location bar
shows the topic's title). Between rounds the app is left to go idle: a reload also rebuilds
the search index, in a thread. The reader's resident memory is read after the first and the
last round: over many reloads it must stay flat.

Libraries: a copy of the bundled library, and a generated one (1,000 sources and 5,000
passages by default) where one brief of many changes. Targets: 150 ms on the bundled
library, 300 ms on the 1,000-source one.

    python bench/bench_reload.py [--rounds 50] [--sources 1000] [--passages 5000]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from briefing_tui.core.library.loader import bundled_library_path

sys.path.insert(0, str(Path(__file__).parent))
from generate import cached_library  # noqa: E402 (the generator is a script beside us)
from minimal_app import cached_bytecode  # noqa: E402
from stats import summary_ms  # noqa: E402
from terminal import Terminal, briefing_command  # noqa: E402


def copy_bundled(folder: Path) -> Path:
    """The bundled library, copied where it may be edited."""
    root = folder / "bundled"
    source = bundled_library_path()
    shutil.copytree(source / "briefs", root / "briefs")
    shutil.copytree(source / "seeds", root / "seeds")
    return root


def first_brief(root: Path) -> Path:
    """The brief the reader opens on: the first in file-name order."""
    return sorted((root / "briefs").glob("*.y*ml"))[0]


def retitle(brief: Path, text: str, title: str) -> None:
    """Save the brief with another title, as an editor saves: write aside, rename over."""
    lines = text.splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith("title:"))
    lines[at] = f"title: {title}\n"
    aside = brief.with_name(f".{brief.name}.swp")
    aside.write_text("".join(lines), encoding="utf-8")
    os.replace(aside, brief)


def measure(name: str, root: Path, rounds: int, target_ms: float) -> None:
    """Time `rounds` saves of the first brief until repainted; report memory before and after."""
    brief = first_brief(root)
    original = brief.read_text(encoding="utf-8")
    terminal = Terminal(briefing_command("--watch", str(root)))
    times: list[float] = []
    try:
        terminal.first_paint(timeout=120)
        terminal.wait_until_idle()
        memory = []
        for number in range(rounds):
            title = f"Reloaded{number:03d}"
            saved = time.perf_counter()
            retitle(brief, original, title)
            times.append(terminal.wait_for(title.encode(), timeout=30) - saved)
            terminal.wait_until_idle()
            if number in (0, rounds - 1):
                memory.append(terminal.rss_mib())
    finally:
        terminal.close()
        brief.write_text(original, encoding="utf-8")
    print(f"{name}: save to repaint, {rounds} reloads: {summary_ms(times, 0)}")
    print(
        f"  target {target_ms:.0f} ms; RSS after reload 1: {memory[0]:.1f} MiB, "
        f"after reload {rounds}: {memory[-1]:.1f} MiB ({memory[-1] - memory[0]:+.1f} MiB)"
    )


def main() -> None:
    """Both libraries, one after the other."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    args = parser.parse_args()
    cached_bytecode()  # what it spawns runs from compiled bytecode, as installed programs do
    with tempfile.TemporaryDirectory() as folder:
        measure("bundled library", copy_bundled(Path(folder)), args.rounds, 150)
    name = f"reload-{args.sources}-{args.passages}"
    generated = cached_library(name, args.sources, args.passages)
    measure(f"{args.sources:,} sources", generated, args.rounds, 300)


if __name__ == "__main__":
    main()
