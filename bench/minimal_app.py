"""The reference the benchmarks measure `briefing` against: a minimal Textual app, one Static.

It is spawned in the same pseudo-terminal harness as `briefing` (bench/terminal.py), and
both from cached bytecode (`cached_bytecode`), as installed programs run. Its one
Static says the reader's first status message, so the wait for the first paint ends on it
as it does for the reader; each key pressed replaces the Static's text (the key and a
count), so the redraw a key causes is timed the same way too. Ctrl+Q quits.

    python bench/minimal_app.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Static

# The reader's first status message, which bench/terminal.py waits for.
READY = "Enter chooses a topic or claim; ? lists every key."


class MinimalApp(App[None]):
    """One Static, which each key rewrites."""

    def __init__(self) -> None:
        super().__init__()
        self.keys = 0

    def compose(self) -> ComposeResult:
        """The one Static."""
        yield Static(READY)

    def on_key(self, event: events.Key) -> None:
        """Say which key came, so every key causes a redraw."""
        self.keys += 1
        self.query_one(Static).update(f"{event.key}: key {self.keys}")


def command() -> list[str]:
    """How the benchmarks spawn this app: the same interpreter as theirs."""
    return [sys.executable, str(Path(__file__).resolve())]


def cached_bytecode() -> Path:
    """Let the programs spawned from now on keep their bytecode, under bench/out/pycache.

    An installed program runs from compiled bytecode; with PYTHONDONTWRITEBYTECODE set (as
    on the shared machine) an editable checkout would compile every module of briefing at
    every start, which no user pays. The folder keeps checkouts free of __pycache__.
    """
    folder = Path(__file__).resolve().parent / "out" / "pycache"
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    os.environ["PYTHONPYCACHEPREFIX"] = str(folder)
    return folder


if __name__ == "__main__":
    MinimalApp().run()
