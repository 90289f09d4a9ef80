"""Measure the reader on big inputs: a 5 MB source, and keys on a 1,000-source library.

The real `briefing` runs under a pseudo-terminal (120x40), as a person would use it; each key
is written to the terminal and timed until the app has finished redrawing: the last byte of
the output it writes in answer, the end being 50 ms without output (not counted).

1. A library whose second brief reads a 5 MB source (the seed articles repeated, with wide
   characters and tabs mixed in) and quotes a passage every ~50 KB: start-up (loading,
   sanitising and anchoring it) until the first paint; opening it (`]` from the first
   topic until drawn); then page-down through the text, next passage (which scrolls far),
   end and home. Wrapping the text at the view's width is also timed alone, here.
2. The library from bench/generate.py (1,000 sources, 5,000 passages by default): every
   reader key (next/previous passage, corroborating, conflicting, topic, source, back and
   forward), pressed in a loop.
Each series reports median, p95 and max; the targets are the 5 MB source open within 1 s
and no key answered in more than 100 ms.

    python bench/bench_bigsource.py [--megabytes 5] [--sources 1000] [--passages 5000]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

from briefing_tui.core.library.loader import bundled_library_path
from briefing_tui.ui.wrapping import wrap

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate_library  # noqa: E402 (the generator is a script beside us)
from stats import summary_ms  # noqa: E402

COLUMNS, ROWS = 120, 40
SETTLE = 0.05  # seconds without output that end a redraw
READY = b"Enter chooses a topic or claim"
PASSAGE_EVERY = 50_000
KEYS = {
    "n (next passage)": b"n",
    "p (previous passage)": b"p",
    "c (corroborating)": b"c",
    "x (conflicting)": b"x",
    "] (next topic)": b"]",
    "[ (previous topic)": b"[",
    "s (next source)": b"s",
    "b (back)": b"b",
    "f (forward)": b"f",
}
SEQUENCE = [b"n", b"n", b"c", b"x", b"c", b"p", b"s", b"n", b"x", b"b", b"b", b"f", b"]", b"["]
PAGE_DOWN, END, HOME, TAB = b"\x1b[6~", b"\x1b[F", b"\x1b[H", b"\t"


class Terminal:
    """`briefing` running in a pseudo-terminal: send keys, time the redraws."""

    def __init__(self, library: Path) -> None:
        self._leader, follower = pty.openpty()
        size = struct.pack("HHHH", ROWS, COLUMNS, 0, 0)
        fcntl.ioctl(follower, termios.TIOCSWINSZ, size)
        command = [shutil.which("briefing") or "briefing", str(library)]
        env = dict(os.environ, TERM="xterm-256color")
        self.started = time.perf_counter()
        self._process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            start_new_session=True,
        )
        os.close(follower)

    def first_paint(self) -> float:
        """Seconds from spawning until the reader's first status message is on screen."""
        seen = b""
        while READY not in seen:
            if not select.select([self._leader], [], [], 30)[0]:
                raise RuntimeError("no first paint within 30 s")
            seen = seen[-4096:] + os.read(self._leader, 65536)
        painted = time.perf_counter() - self.started
        self._settle()
        self._wait_until_idle()
        return painted

    def _wait_until_idle(self) -> None:
        """Wait until the app stops using the CPU: the search index is built after the first
        paint, in a thread, and would slow down every key timed while it runs."""
        stat = Path(f"/proc/{self._process.pid}/stat")
        previous = -1
        while True:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            used = int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
            if used == previous:
                return
            previous = used
            self._settle()
            time.sleep(0.25)

    def press(self, key: bytes) -> float:
        """Seconds from writing a key until the last byte of the redraw it causes."""
        self._settle()
        start = time.perf_counter()
        os.write(self._leader, key)
        last = start
        while select.select([self._leader], [], [], SETTLE if last > start else 2.0)[0]:
            os.read(self._leader, 1 << 20)
            last = time.perf_counter()
        if last == start:
            raise RuntimeError(f"no redraw within 2 s after the key {key!r}")
        return last - start

    def _settle(self) -> None:
        """Read whatever is still being written, until the terminal is quiet."""
        while select.select([self._leader], [], [], SETTLE)[0]:
            os.read(self._leader, 1 << 20)

    def close(self) -> None:
        """Stop the app and free the terminal."""
        os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()
        os.close(self._leader)


def big_text(megabytes: float) -> str:
    """About `megabytes` MB of seed prose, wide characters and tabs on some lines, and a
    numbered checkpoint sentence every ~50 KB for passages to quote."""
    seeds = sorted((bundled_library_path() / "seeds").glob("*.txt"))
    prose = "\n".join(path.read_text(encoding="utf-8") for path in seeds)
    lines = prose.splitlines()
    mixed = [
        f"\t{line}" if n % 7 == 0 else f"東京 🎌 {line}" if n % 11 == 0 else line
        for n, line in enumerate(lines)
    ]
    block = "\n".join(mixed) + "\n"
    target = int(megabytes * 1_000_000)
    text = (block * (target // len(block.encode()) + 1))[:target]
    pieces = [text[i : i + PASSAGE_EVERY] for i in range(0, len(text), PASSAGE_EVERY)]
    return "".join(f"{piece}\n{checkpoint(n)}\n" for n, piece in enumerate(pieces))


def checkpoint(number: int) -> str:
    """The sentence quoted by passage `number`: unique in the big text."""
    return f"Checkpoint {number} of the long source is quoted by a passage."


def write_big_library(root: Path, text: str) -> Path:
    """A small first topic, then one over the big source quoting every checkpoint."""
    (root / "briefs").mkdir(parents=True)
    (root / "big.txt").write_text(text, encoding="utf-8")
    (root / "small.txt").write_text("A short source to start on.\n", encoding="utf-8")
    (root / "briefs" / "01-small.yaml").write_text(
        "title: A short source\nsources:\n  small: small.txt\n", encoding="utf-8"
    )
    lines = ["title: A five-megabyte source", "sources:", "  big: big.txt", "claims:"]
    lines += ["  - text: A claim quoted all through a big source.", "    passages:"]
    for number in range(text.count("Checkpoint ")):
        stance = ("supports", "conflicts", "context")[number % 3]
        lines += ["      - source: big", f"        quote: {checkpoint(number)}"]
        lines.append(f"        stance: {stance}")
    (root / "briefs" / "02-big.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


def measure_big_source(megabytes: float, folder: Path) -> None:
    """Open a big source, page through it and jump about in it."""
    text = big_text(megabytes)
    start = time.perf_counter()
    wrapped = wrap(text, COLUMNS - 32)
    wrap_time = time.perf_counter() - start
    print(f"{len(text.encode()) / 1e6:.1f} MB source, {len(wrapped):,} display lines")
    print(f"  wrap at {COLUMNS - 32} columns alone, in this process: {wrap_time * 1000:.0f} ms")
    terminal = Terminal(write_big_library(folder / "big", text))
    try:
        started = terminal.first_paint()
        print(f"  start-up, loading it (sanitise, anchor) to first paint: {started * 1000:.0f} ms")
        opened = terminal.press(b"]")
        print(f"  open it: ] from the first topic until drawn: {opened * 1000:.0f} ms")
        terminal.press(TAB)  # focus the source view, which scrolls with page down
        pages = [terminal.press(PAGE_DOWN) for _ in range(60)]
        print(f"  page down             {summary_ms(pages)}  (n={len(pages)})")
        jumps = [terminal.press(b"n") for _ in range(40)]
        print(f"  n (next passage)      {summary_ms(jumps)}  (n={len(jumps)})")
        ends = [terminal.press(key) for key in (END, HOME) * 5]
        print(f"  end / home            {summary_ms(ends)}  (n={len(ends)})")
    finally:
        terminal.close()


def measure_keys(root: Path, rounds: int) -> None:
    """Time every reader key over a generated library."""
    terminal = Terminal(root)
    samples: dict[bytes, list[float]] = {key: [] for key in KEYS.values()}
    try:
        print(f"  start-up to first paint: {terminal.first_paint() * 1000:.0f} ms")
        for _ in range(rounds):
            for key in SEQUENCE:
                samples[key].append(terminal.press(key))
    finally:
        terminal.close()
    for name, key in KEYS.items():
        print(f"  {name:21} {summary_ms(samples[key])}  (n={len(samples[key])})")
    slowest = max(max(values) for values in samples.values())
    print(f"  slowest key: {slowest * 1000:.1f} ms (target < 100)")


def main() -> None:
    """Run both parts and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the key sequence")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        measure_big_source(args.megabytes, Path(folder))
        root = generate_library(Path(folder) / "generated", args.sources, args.passages)
        print(f"generated library: {args.sources:,} sources, {args.passages:,} passages")
        measure_keys(root, args.rounds)


if __name__ == "__main__":
    main()
