"""The real reader in a pty: quit, start again, and it is where it was, with its bookmark."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from terminal_session import TerminalSession, drawn_text

PROJECT = Path(__file__).resolve().parents[2]
COLS, ROWS = 100, 30
CTRL_Q, ESCAPE = b"\x11", b"\x1b"
FIRST_TOPIC = "topic 1/10 The meeting in Washington"
THIRD_TOPIC = "topic 3/10 U.S. forces and command in Japan"
QUOTE = "The U.S. maintains approximately 54,000 troops in Japan"


def reader(state: Path, *options: str) -> TerminalSession:
    """The reader on the bundled library, its reading state in `state`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "BRIEFING_"))}
    cache = state.with_name("cache")
    env.update(TERM="xterm-256color", BRIEFING_STATE_DIR=str(state), BRIEFING_CACHE_DIR=str(cache))
    argv = [sys.executable, "-m", "briefing_tui", *options, str(PROJECT)]
    return TerminalSession(argv, cwd=PROJECT, env=env, cols=COLS, rows=ROWS)


def session_of(
    state: Path, opening: str, keys: list[tuple[bytes, str | None]], *options: str
) -> list[str]:
    """Start the reader, see `opening`, type each key and see its text; what did not show."""
    session = reader(state, *options)
    missing = []
    try:
        if not session.wait_for(opening):
            missing.append(opening)
        for typed, expect in keys:
            start = session.press(typed)
            if expect is not None and not session.wait_for(expect, since=start):
                missing.append(expect)
        session.press(CTRL_Q)
    finally:
        code = session.close()
    assert code == 0, drawn_text(bytes(session.output))[-2000:]
    return missing


def notes(state: Path) -> str:
    """What `briefing notes` prints from that state."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFING_")}
    env["BRIEFING_STATE_DIR"] = str(state)
    argv = [sys.executable, "-m", "briefing_tui", "notes", str(PROJECT)]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, check=True)
    return done.stdout


def test_the_reader_comes_back_where_it_was_left_with_its_bookmark(tmp_path: Path) -> None:
    state = tmp_path / "state"
    typed = [(b"]]", THIRD_TOPIC), (b"n", "first passage"), (b"*", "Bookmarked")]
    assert session_of(state, FIRST_TOPIC, typed) == []
    assert QUOTE in notes(state)

    back = [(b"B", QUOTE), (ESCAPE, None)]
    assert session_of(state, THIRD_TOPIC, back) == []
    assert session_of(state, FIRST_TOPIC, [], "--fresh") == []


def test_no_state_and_no_cache_read_and_write_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    typed = [(b"]]", THIRD_TOPIC), (b"n", None), (b"*", "Bookmarked"), (b"/", "Search")]
    assert session_of(state, FIRST_TOPIC, typed) == []
    saved = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    assert {p.parent.name for p in saved} == {"state", "cache"}  # the place, the index

    typed = [(b"n", None), (b"*", "Bookmarks and notes are off"), (b"]]]", "topic 4/10")]
    # The saved place is not read: the reader opens on the first topic.
    assert session_of(state, FIRST_TOPIC, typed, "--no-state", "--no-cache") == []
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == saved


def test_a_terminal_closed_without_a_hang_up_signal_ends_the_reader_where_it_was(
    tmp_path: Path,
) -> None:
    # The pty has no session of its own, so closing it sends the reader no SIGHUP: left to
    # Textual, the reader would read the end of its input at full speed forever.
    state = tmp_path / "state"
    session = reader(state)
    assert session.wait_for(FIRST_TOPIC)
    start = session.press(b"]]")
    assert session.wait_for(THIRD_TOPIC, since=start)
    assert session.hang_up(timeout_s=10) == 0
    assert session_of(state, THIRD_TOPIC, []) == []  # the place was saved as it quit
