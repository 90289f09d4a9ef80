"""Measure the reader on big inputs: a 5 MB source, and keys on a 1,000-source library.

1. A 5 MB source (the seed articles repeated, with wide characters and tabs mixed in) with a
   passage every ~50 KB, in a topic of its own after a small one. Measured headless at
   120x40 with Textual's Pilot: wrapping the text at the view's width alone; opening it
   (choosing the topic, until the screen is refreshed); page-down renders; and
   jumps to the next passage (which scroll far).
2. The library from bench/generate.py (1,000 sources, 5,000 passages by default): every
   reader key (next/previous passage, corroborating, conflicting, topic, source, back and
   forward) pressed many times, each timed from the key press until the screen is refreshed.
Each key is timed two ways: wall time from the key press until the screen is refreshed (as
Pilot waits for it, so it includes Pilot's own idle waits and one frame interval), and the
CPU time the process spent on it (the work that blocks the event loop; the search index is
built before timing starts, so no other thread runs). Animations are turned off (the app's
animation_level, as TEXTUAL_ANIMATIONS=none does) so a key's time is its own work, not the
length of a scroll animation.
Each series reports median, p95 and max; the targets are no key over 100 ms of work and the
5 MB source open in 1 s.

    python bench/bench_bigsource.py [--megabytes 5] [--sources 1000] [--passages 5000]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.pilot import Pilot

from briefing_tui.core.loader import bundled_library_path, load_library
from briefing_tui.core.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Library,
    Passage,
    PassageRef,
    Source,
    SourceMeta,
    Span,
    Stance,
)
from briefing_tui.ui.app import BriefingApp, make_app
from briefing_tui.ui.widgets.source_view import SourceView
from briefing_tui.ui.wrapping import wrap

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate_library  # noqa: E402 (the generator is a script beside us)

SIZE = (120, 40)
PASSAGE_EVERY = 50_000


def big_text(megabytes: float) -> str:
    """About `megabytes` MB of seed prose, with wide characters and tabs on some lines."""
    seeds = sorted((bundled_library_path() / "seeds").glob("*.txt"))
    prose = "\n".join(path.read_text(encoding="utf-8") for path in seeds)
    lines = prose.splitlines()
    mixed = [
        f"\t{line}" if n % 7 == 0 else f"東京 🎌 {line}" if n % 11 == 0 else line
        for n, line in enumerate(lines)
    ]
    block = "\n".join(mixed) + "\n"
    target = int(megabytes * 1_000_000)
    return (block * (target // len(block.encode()) + 1))[:target]


def big_library(text: str) -> Library:
    """The bundled library with one more topic reading the big source."""
    bundled = load_library()
    source = Source("big/five-megabytes.txt", text, SourceMeta(title="Five megabytes"))
    key = BriefSource("big", source, source.meta)
    index = len(bundled.briefs)
    passages = []
    for number, offset in enumerate(range(1000, len(text) - 1000, PASSAGE_EVERY)):
        start = text.index(" ", offset) + 1
        span = Span(start, text.index(" ", start + 40))
        stance = (Stance.SUPPORTS, Stance.CONFLICTS, Stance.CONTEXT)[number % 3]
        anchor = Anchor(AnchorStatus.EXACT, span)
        ref = PassageRef(index, 0, number)
        passages.append(Passage(ref, "big", text[span.start : span.end], stance, anchor))
    claim = Claim(0, "A claim quoted all through a big source.", tuple(passages))
    brief = Brief(index, "briefs/big.yaml", "A five-megabyte source", (key,), (claim,))
    sources = {**bundled.sources, source.path: source}
    return Library(bundled.root, (*bundled.briefs, brief), sources, bundled.diagnostics)


def summary(samples: list[float]) -> str:
    """Median, p95 and max in milliseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return (
        f"median {statistics.median(ordered) * 1000:7.1f} ms  p95 {p95 * 1000:7.1f} ms  "
        f"max {ordered[-1] * 1000:7.1f} ms  (n={len(ordered)})"
    )


async def timed(pilot: Pilot[None], action: Callable[[], Awaitable[object]]) -> tuple[float, float]:
    """Wall and CPU seconds from starting an action until the screen is refreshed after it."""
    start, cpu = time.perf_counter(), time.process_time()
    await action()
    await pilot.pause()
    return time.perf_counter() - start, time.process_time() - cpu


def quiet(app: BriefingApp) -> BriefingApp:
    """The app with animations off, so each key is timed for its own work."""
    app.animation_level = "none"
    return app


def report(name: str, samples: list[tuple[float, float]]) -> float:
    """Print wall and CPU figures of a series; return its slowest CPU time."""
    print(f"  {name:22} wall {summary([w for w, _ in samples])}")
    print(f"  {'':22} cpu  {summary([c for _, c in samples])}")
    return max(c for _, c in samples)


async def measure_big_source(megabytes: float) -> None:
    """Open, page through and jump about a big source."""
    text = big_text(megabytes)
    library = big_library(text)
    app = quiet(make_app(library))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        view = app.query_one(SourceView)
        width = view.scrollable_content_region.width - 2
        start = time.perf_counter()
        wrapped = wrap(text, width)
        wrap_time = time.perf_counter() - start
        print(f"5 MB source: {len(text.encode()) / 1e6:.1f} MB, {len(wrapped):,} display lines")
        print(f"  wrap at {width} columns alone:     {wrap_time * 1000:7.1f} ms")

        async def open_big_topic() -> None:
            app.open_claim(len(library.briefs) - 1, None)  # what choosing it in the tree does

        opening, _ = await timed(pilot, open_big_topic)
        assert app.place is not None and app.place.source_key == "big"
        print(f"  open the topic, until painted:     {opening * 1000:7.1f} ms  (target <= 1000)")
        view.focus()
        await pilot.pause()  # the footer follows focus: keep that out of the first key's time
        report(
            "page down", [await timed(pilot, lambda: pilot.press("pagedown")) for _ in range(60)]
        )
        report(
            "n (next passage)", [await timed(pilot, lambda: pilot.press("n")) for _ in range(40)]
        )
        ends = [await timed(pilot, lambda key=key: pilot.press(key)) for key in ("end", "home") * 5]
        report("end / home", ends)


KEYS = {
    "n (next passage)": "n",
    "p (previous passage)": "p",
    "c (corroborating)": "c",
    "x (conflicting)": "x",
    "] (next topic)": "right_square_bracket",
    "[ (previous topic)": "left_square_bracket",
    "s (next source)": "s",
    "b (back)": "b",
    "f (forward)": "f",
}
SEQUENCE = ["n", "n", "c", "x", "c", "p", "s", "n", "x", "b", "b", "f", "right_square_bracket"]


async def measure_keys(library: Library, rounds: int) -> None:
    """Time every reader key over a generated library."""
    app = quiet(make_app(library))
    samples: dict[str, list[tuple[float, float]]] = {key: [] for key in KEYS.values()}
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        for _ in range(rounds):
            for key in (*SEQUENCE, "left_square_bracket", "right_square_bracket"):
                samples[key].append(await timed(pilot, lambda key=key: pilot.press(key)))
    worst = max(report(name, samples[key]) for name, key in KEYS.items())
    print(f"  most CPU for one key: {worst * 1000:.1f} ms (target < 100)")


def main() -> None:
    """Run both parts and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=5.0)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--passages", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=25, help="rounds of the key sequence")
    args = parser.parse_args()
    asyncio.run(measure_big_source(args.megabytes))
    with tempfile.TemporaryDirectory() as folder:
        root = generate_library(Path(folder) / "library", args.sources, args.passages)
        library = load_library(root)
        print(
            f"generated library: {len(library.sources):,} sources, "
            f"{sum(1 for b in library.briefs for _ in b.passages()):,} passages, "
            f"{len(library.briefs)} topics"
        )
        asyncio.run(measure_keys(library, args.rounds))


if __name__ == "__main__":
    main()
