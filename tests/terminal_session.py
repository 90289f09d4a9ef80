"""Run a program in a pseudo-terminal of a fixed size, type keys, keep every byte it wrote."""

from __future__ import annotations

import fcntl
import os
import re
import select
import struct
import subprocess
import termios
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

# Escape sequences, to recover the text a terminal would have drawn: CSI, OSC/DCS/APC
# strings up to their terminator, and two-character escapes.
_SEQUENCE = re.compile(
    rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[ -/]*[0-~]"
)


class TerminalSession:
    """A child process on the slave side of a pty; the test holds the master side."""

    def __init__(
        self, argv: Sequence[str], *, cwd: Path, env: Mapping[str, str], cols: int, rows: int
    ) -> None:
        self.output = bytearray()
        self._master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.process = subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(env),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,
        )
        os.close(slave)

    def read_until_quiet(self, quiet_s: float = 0.3, limit_s: float = 15.0) -> bytes:
        """Collect output until none has come for quiet_s (or limit_s has passed)."""
        start, before = time.monotonic(), len(self.output)
        last = start
        while time.monotonic() - start < limit_s and time.monotonic() - last < quiet_s:
            ready, _, _ = select.select([self._master], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(self._master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            self.output += chunk
            last = time.monotonic()
        return bytes(self.output[before:])

    def wait_for(self, text: str, since: int = 0, limit_s: float = 20.0) -> bool:
        """Read until the text drawn after byte `since` holds `text`; whether it did in time."""
        deadline = time.monotonic() + limit_s
        while time.monotonic() < deadline:
            if text in drawn_text(bytes(self.output[since:])):
                return True
            self.read_until_quiet(quiet_s=0.2, limit_s=0.5)
        return text in drawn_text(bytes(self.output[since:]))

    def press(self, keys: bytes) -> int:
        """Type keys, collect what the program draws in answer; where that output starts."""
        start = len(self.output)
        os.write(self._master, keys)
        self.read_until_quiet()
        return start

    def hang_up(self, timeout_s: float = 15.0) -> int | None:
        """Close the terminal, as a terminal window that is closed does; the program's exit
        status, or None if it is still running after `timeout_s` (it is then killed)."""
        os.close(self._master)
        self._master = -1
        try:
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def close(self, timeout_s: float = 15.0) -> int:
        """Wait for the program to end (killing it if it will not), then free the pty."""
        try:
            while self.process.poll() is None and self.read_until_quiet(limit_s=timeout_s):
                pass
            return self.process.wait(timeout=timeout_s)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()
        finally:
            if self._master >= 0:
                os.close(self._master)


def drawn_text(output: bytes) -> str:
    """The characters a program drew, with every escape sequence taken out."""
    return _SEQUENCE.sub(b"", output).decode("utf-8", errors="replace")
