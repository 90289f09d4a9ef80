"""Measure the reader on big inputs: a 5 MB source, and keys on a 1,000-source library.

The real `briefing` runs under a pseudo-terminal (120x40), as a person would use it; each key
is written to the terminal and timed until the app has finished redrawing: the last byte of
the output it writes in answer, the end being 50 ms without output (not counted).

1. A library whose second brief reads a 5 MB source (the seed articles repeated, with wide
   characters and tabs mixed in) and quotes a passage every ~50 KB: start-up (loading,
   sanitising and anchoring it) until the first paint; opening it (`]` from the first
   topic until drawn); then page-down through the text, next passage (which scrolls far),
   end and home. Wrapping the text at the view's width is also timed alone, here.
2. The library from bench/generate.py (1,000 sources, 5,000 passages by default, kept in
   bench/out/): every reader key (next/previous passage, corroborating, conflicting,
   topic, source, back and forward), pressed in a loop. The reference, in the same run and
   harness, is bench/minimal_app.py (one Static that each key rewrites), a key pressed to
   it after each key pressed to the reader.
Each series reports median, p95, p99 and max; the targets are the 5 MB source open within
1 s, and every key p99 <= 50 ms and max <= 100 ms. Both run from cached bytecode.

    python bench/bench_bigsource.py [--megabytes 5] [--sources 1000] [--passages 5000]
                                    [--rounds 10] [--keys-only]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from briefing_tui.core.library.loader import bundled_library_path
from briefing_tui.ui.wrapping import wrap

sys.path.insert(0, str(Path(__file__).parent))
from generate import cached_library  # noqa: E402 (the generator is a script beside us)
from minimal_app import cached_bytecode, command  # noqa: E402
from stats import percentile, summary_ms  # noqa: E402
from terminal import Terminal, briefing_command  # noqa: E402

COLUMNS, ROWS = 120, 40
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


def start(command: list[str]) -> tuple[Terminal, float]:
    """Spawn a program in a terminal; its first paint, once it has gone idle after it."""
    terminal = Terminal(command, COLUMNS, ROWS)
    painted = terminal.first_paint(timeout=120)
    terminal.settle()
    terminal.wait_until_idle()  # the search index is built in a thread after the first paint
    return terminal, painted


def p99(samples: list[float]) -> str:
    """The p99, in milliseconds (summary_ms gives median, p95 and max)."""
    return f"p99 {percentile(samples, 0.99) * 1000:6.1f} ms"


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
    began = time.perf_counter()
    wrapped = wrap(text, COLUMNS - 32)
    wrap_time = time.perf_counter() - began
    print(f"{len(text.encode()) / 1e6:.1f} MB source, {len(wrapped):,} display lines")
    print(f"  wrap at {COLUMNS - 32} columns alone, in this process: {wrap_time * 1000:.0f} ms")
    terminal, started = start(briefing_command(str(write_big_library(folder / "big", text))))
    try:
        print(f"  start-up, loading it (sanitise, anchor) to first paint: {started * 1000:.0f} ms")
        opened = terminal.press(b"]")
        print(f"  open it: ] from the first topic until drawn: {opened * 1000:.0f} ms")
        terminal.press(TAB)  # focus the source view, which scrolls with page down
        pages = [terminal.press(PAGE_DOWN) for _ in range(60)]
        print(f"  page down             {summary_ms(pages)}   {p99(pages)}  (n={len(pages)})")
        jumps = [terminal.press(b"n") for _ in range(40)]
        print(f"  n (next passage)      {summary_ms(jumps)}   {p99(jumps)}  (n={len(jumps)})")
        ends = [terminal.press(key) for key in (END, HOME) * 5]
        print(f"  end / home            {summary_ms(ends)}   {p99(ends)}  (n={len(ends)})")
    finally:
        terminal.close()


def measure_keys(root: Path, rounds: int) -> None:
    """Time every reader key over a generated library, each against a key to the reference."""
    reader, started = start(briefing_command(str(root)))
    reference, _ = start(command())
    samples: dict[bytes, list[float]] = {key: [] for key in KEYS.values()}
    answers: list[float] = []
    try:
        print(f"  start-up to first paint: {started * 1000:.0f} ms")
        for _ in range(rounds):
            for key in SEQUENCE:
                samples[key].append(reader.press(key))
                answers.append(reference.press(b"k"))
    finally:
        reader.close()
        reference.close()
    for name, key in KEYS.items():
        line = f"  {name:21} {summary_ms(samples[key])}   {p99(samples[key])}"
        print(f"{line}  (n={len(samples[key])})")
    every = [seconds for values in samples.values() for seconds in values]
    print(f"  every key             {summary_ms(every)}   {p99(every)}  (n={len(every)})")
    print(f"  reference, a key      {summary_ms(answers)}   {p99(answers)}  (n={len(answers)})")
    tail = percentile(every, 0.99) / percentile(answers, 0.99)
    ratio = statistics.median(every) / statistics.median(answers)
    print(
        f"  ratio to the reference: median {ratio:.2f}x, p99 {tail:.2f}x; "
        f"targets p99 <= 50 ms, max <= 100 ms"
    )


def main() -> None:
    """Run both parts and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=10, help="rounds of the key sequence")
    parser.add_argument("--keys-only", action="store_true", help="skip the big source")
    args = parser.parse_args()
    cached_bytecode()
    if not args.keys_only:
        with tempfile.TemporaryDirectory() as folder:
            measure_big_source(args.megabytes, Path(folder))
    name = f"library-{args.sources}" + (
        "" if args.passages == 5 * args.sources else f"-{args.passages}"
    )
    root = cached_library(name, args.sources, args.passages)
    print(f"generated library: {args.sources:,} sources, {args.passages:,} passages  [{root}]")
    measure_keys(root, args.rounds)


if __name__ == "__main__":
    main()
