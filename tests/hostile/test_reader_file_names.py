"""The reader on hostile file and folder names: names show escaped, never raw."""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest
from hostile_files import NAME_PAYLOADS, NAMED_BRIEF, build_file_name_library
from terminal_session import TerminalSession, drawn_text

from briefing_tui.core.library.model import Library
from briefing_tui.core.library.text import escape_name
from briefing_tui.ui.screens.reader import empty_message
from briefing_tui.ui.widgets.status import library_name

CTRL_Q, ESCAPE = b"\x11", b"\x1b"
HOSTILE_ROOT = "library\x1b]0;HOSTILE-ROOT\x1b\\"
# Sequences a name holds that Textual itself never writes.
INJECTED = (b"\x1b]0;", b"\x1b]52")
# Raw characters from a name that must never be drawn: C0 (bar the CR LF Textual moves
# the cursor with), C1 and bidi.
UNSAFE_DRAWN = re.compile(r"[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
# A payload's letters may be drawn only as inert text, just after a written-out escape.
ESCAPED_BEFORE = re.compile(r"\\(x1b|u001b|u202e)|\u241b")


@pytest.fixture(scope="module")
def reader_output(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Every byte the reader writes while showing the topic, problems and search, then quits."""
    base = tmp_path_factory.mktemp("names")
    root = build_file_name_library(base)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "XDG_"))}
    env.update(TERM="xterm-256color", HOME=str(base))
    session = TerminalSession(
        [sys.executable, "-m", "briefing_tui", str(root)], cwd=base, env=env, cols=120, rows=40
    )
    try:
        assert session.wait_for("Hostile file names")
        for keys in (b"n", b"e", ESCAPE, b"/", b"named", ESCAPE):
            session.press(keys)
        session.press(CTRL_Q)
    finally:
        session.close()
    return bytes(session.output)


def test_reader_writes_no_sequence_from_a_name(reader_output: bytes) -> None:
    assert [s for s in INJECTED if s in reader_output] == []
    drawn = drawn_text(reader_output)
    assert UNSAFE_DRAWN.search(drawn) is None
    for payload in NAME_PAYLOADS:
        for found in re.finditer(re.escape(payload.decode()), drawn):
            before = drawn[max(0, found.start() - 12) : found.start()]
            assert ESCAPED_BEFORE.search(before), before


def test_reader_shows_names_with_visible_escapes(reader_output: bytes) -> None:
    drawn = drawn_text(reader_output)
    assert escape_name(HOSTILE_ROOT) in drawn  # the location bar
    assert escape_name(NAMED_BRIEF) in drawn  # the problems screen


def test_root_is_escaped_in_the_location_and_the_empty_library_message() -> None:
    library = Library(Path("/tmp") / HOSTILE_ROOT)
    assert library_name(library) == escape_name(HOSTILE_ROOT)
    message = empty_message(library).plain
    assert "\x1b" not in message
    assert escape_name(str(library.root)) in message
