"""Measure start-up: process start to the first painted screen of the bundled library.

`briefing` runs under a pseudo-terminal, as a person would start it; the clock runs from
spawning the process until the terminal output holds the reader's first status message,
which is written in the first paint after the library is loaded. The reference, measured
in the same run, is `python -c "import textual.app"` (spawned and waited for the same way).
Runs alternate between the two, and each reports its median, p95 and max.

    python bench/bench_startup.py [--runs 10] [--size 120x40]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import termios
import time

from stats import summary_ms  # a sibling script: run as python bench/bench_startup.py

READY = b"Enter chooses a topic or claim"
TIMEOUT = 20.0


def time_to_first_paint(command: list[str], columns: int, rows: int) -> float:
    """Seconds from spawning `command` in a pty until its output shows the reader's status."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(columns), LINES=str(rows))
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    seen = b""
    try:
        while READY not in seen:
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"no first paint within {TIMEOUT:.0f} s: {seen[-300:]!r}")
            ready, _, _ = select.select([leader], [], [], 0.5)
            if ready:
                try:
                    seen = seen[-4096:] + os.read(leader, 65536)
                except OSError as error:  # the child closed the terminal: it exited early
                    raise RuntimeError(f"briefing exited before painting: {error}") from None
        return time.perf_counter() - start
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        _drain(leader, process)
        os.close(leader)


def _drain(leader: int, process: subprocess.Popen[bytes]) -> None:
    """Read what the dying process writes so it never blocks on a full terminal."""
    deadline = time.perf_counter() + 5
    while process.poll() is None and time.perf_counter() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.05)
        if ready:
            try:
                os.read(leader, 65536)
            except OSError:
                break
    if process.poll() is None:
        process.kill()
    process.wait()


def time_import(python: str) -> float:
    """Seconds to run `python -c "import textual.app"` to completion."""
    start = time.perf_counter()
    subprocess.run([python, "-c", "import textual.app"], check=True)
    return time.perf_counter() - start


def main() -> None:
    """Run both measurements alternately and print the figures and the ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--size", default="120x40", help="terminal COLUMNSxROWS")
    args = parser.parse_args()
    columns, rows = (int(part) for part in args.size.split("x"))
    briefing = shutil.which("briefing") or ""
    command = [briefing] if briefing else [sys.executable, "-m", "briefing_tui"]
    paint: list[float] = []
    imports: list[float] = []
    time_to_first_paint(command, columns, rows)  # warm the file cache once, unmeasured
    for _ in range(args.runs):
        paint.append(time_to_first_paint(command, columns, rows))
        imports.append(time_import(sys.executable))
    ratio = statistics.median(paint) / statistics.median(imports)
    print(f"first paint, bundled library ({args.size}, {args.runs} runs): {summary_ms(paint, 0)}")
    print(f'python -c "import textual.app":              {summary_ms(imports, 0)}')
    print(f"ratio of medians: {ratio:.2f}x (target: first paint <= 500 ms, about 2x)")


if __name__ == "__main__":
    main()
