"""The real `briefing` in a pseudo-terminal, as a person runs it: for the benchmark scripts.

Spawn it, wait for its first paint, press keys and time the redraw each causes, wait for
text to appear, and read the process's memory, all from the outside.
"""

from __future__ import annotations

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

SETTLE = 0.05  # seconds without output that end a redraw
READY = b"Enter chooses a topic or claim"  # the reader's first status message
# The search index cache the spawned readers share, as one user's reopenings would.
CACHE = Path(__file__).resolve().parent / "out" / "cache"


def briefing_command(*args: str) -> list[str]:
    """The installed `briefing`, else `python -m briefing_tui`, with arguments."""
    installed = shutil.which("briefing")
    return [installed, *args] if installed else [sys.executable, "-m", "briefing_tui", *args]


class Terminal:
    """A command running in a pseudo-terminal of a given size."""

    def __init__(self, command: list[str], columns: int = 120, rows: int = 40) -> None:
        self._leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        # A reading state of its own, empty: a reader opens where the last run left it, and
        # would not show its first-time message; the user's own state is never touched.
        self._state = tempfile.TemporaryDirectory(prefix="briefing-bench-state-")
        env = {
            "BRIEFING_CACHE_DIR": str(CACHE),  # unless the script chose one
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(columns),
            "LINES": str(rows),
            "BRIEFING_STATE_DIR": self._state.name,
        }
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            command,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            env=env,
            start_new_session=True,
        )
        os.close(follower)

    def wait_for(self, text: bytes, timeout: float = 30.0) -> float:
        """Read output until it holds `text`; the perf_counter time when it arrived."""
        seen = b""
        deadline = time.perf_counter() + timeout
        while text not in seen:
            left = deadline - time.perf_counter()
            if left <= 0 or not select.select([self._leader], [], [], left)[0]:
                raise RuntimeError(f"{text!r} not shown within {timeout:.0f} s: {seen[-300:]!r}")
            try:
                seen = seen[-(len(text) + 65536) :] + os.read(self._leader, 1 << 20)
            except OSError:  # the child closed the terminal: it exited
                raise RuntimeError(f"exited before showing {text!r}: {seen[-300:]!r}") from None
        return time.perf_counter()

    def first_paint(self, timeout: float = 30.0) -> float:
        """Seconds from spawning until the reader's first status message is on screen."""
        return self.wait_for(READY, timeout) - self.started

    def wait_until_idle(self) -> None:
        """Wait until the app stops using the CPU (the search index is built after the first
        paint, in a thread, and would slow down whatever is timed while it runs)."""
        previous = -1
        while True:
            used = self.cpu_ticks()
            if used == previous:
                return
            previous = used
            self.settle()
            time.sleep(0.25)

    def type(self, keys: bytes) -> float:
        """Write keys at once, as a fast typist would, without waiting for any redraw; when."""
        os.write(self._leader, keys)
        return time.perf_counter()

    def press(self, key: bytes) -> float:
        """Seconds from writing a key until the last byte of the redraw it causes."""
        self.settle()
        start = time.perf_counter()
        os.write(self._leader, key)
        last = start
        while select.select([self._leader], [], [], SETTLE if last > start else 2.0)[0]:
            os.read(self._leader, 1 << 20)
            last = time.perf_counter()
        if last == start:
            raise RuntimeError(f"no redraw within 2 s after the key {key!r}")
        return last - start

    def settle(self) -> None:
        """Read whatever is still being written, until the terminal is quiet."""
        while select.select([self._leader], [], [], SETTLE)[0]:
            try:
                os.read(self._leader, 1 << 20)
            except OSError:
                return

    def cpu_ticks(self) -> int:
        """User and system CPU the process has used, in clock ticks."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])

    def rss_mib(self) -> float:
        """The process's resident memory, in MiB."""
        return self._status_mib("VmRSS:")

    def peak_rss_mib(self) -> float:
        """The most resident memory the process has had, in MiB."""
        return self._status_mib("VmHWM:")

    def _status_mib(self, field: str) -> float:
        """A memory figure of /proc/PID/status, in MiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(field):
                return int(line.split()[1]) / 1024
        return 0.0

    def close(self) -> None:
        """Stop the process and free the terminal."""
        os.killpg(self.process.pid, signal.SIGTERM)
        deadline = time.perf_counter() + 5
        while self.process.poll() is None and time.perf_counter() < deadline:
            self.settle()  # a dying app that cannot write its last screen would hang
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        os.close(self._leader)
        self._state.cleanup()
