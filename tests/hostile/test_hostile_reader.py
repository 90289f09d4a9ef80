"""The real reader on the hostile library: nothing from a file reaches the terminal raw."""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from terminal_session import TerminalSession, drawn_text

from briefing_tui.core.library.cache import MAGIC as LIBRARY_MAGIC
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.search.cache import MAGIC
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.source_view import SourceView
from briefing_tui.ui.widgets.topics import TopicTree

COLS, ROWS = 120, 40
CTRL_Q, CTRL_P, ESCAPE = b"\x11", b"\x10", b"\x1b"
# Unique text inside each injected sequence: the sanitiser drops the sequence whole, so
# none of it may reach the terminal.
PAYLOADS = (
    b"SE9TVElMRS1CRUw=",  # OSC 52 clipboard write, BEL-terminated
    b"SE9TVElMRS1TVA==",  # OSC 52, ST-terminated
    b"HOSTILE-OSC0-TITLE",
    b"hostile-osc8.example",
    b"HOSTILE-DCS-PAYLOAD",
    b"HOSTILE-C1-TITLE",
    b"HOSTILE-C1-DCS",
    b"HOSTILE-UNTERMINATED",
    b"HOSTILE-BRIEF-TITLE",
    b"SE9TVElMRS1CUklFRg==",
    b"hostile-brief-osc8.example",
    b"HOSTILE-BRIEF-DCS",
    b"HOSTILE-BRIEF-C1",
)
# Sequences the hostile files hold that Textual itself never writes.
INJECTED = (b"\x1b]52", b"\x1b]0;", b"\x1b]2;", b"\x1b]8;", b"\x1bc", b"\x1bP", b"\x00")
# Characters that must never be written: C1 controls, bidi controls, zero-width, BOM.
INVISIBLE_OR_C1 = {chr(c) for c in range(0x80, 0xA0)} | set(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200b\u200d\u2060\ufeff"
)
# What the screen must show instead, literally.
SHOWN = (
    "Clipboard BEL \u241b Harbour one",
    "Link \u241bclick\u241b Harbour four",
    "Clear \u241b\u241b Harbour five",
    "C1 \u241b \u241b \u241b Harbour nine",
    "Brief strings \u241b with [@click=app.quit]markup[/]",
    "[@click=app.quit]quit[/] Bridge one",
    "[link=https://hostile-link.example]link[/link] Bridge three",
    "x[/ Bridge five",
    ":smile: Bridge six",
    "NUL here\u2400 River two",
    "Bidi HOSTILE-RLO River three",
)


@dataclass(frozen=True)
class ReaderRun:
    """What one session of the reader in a pty left behind."""

    output: bytes
    exit_code: int
    running_before_quit: bool
    not_shown: list[str]
    home: Path
    cwd: Path


@pytest.fixture(scope="module")
def reader_run(hostile_library: Path, tmp_path_factory: pytest.TempPathFactory) -> ReaderRun:
    """Run `python -m briefing_tui` on the library in a pty, visit the hostile topics, quit."""
    home, cwd = tmp_path_factory.mktemp("home"), tmp_path_factory.mktemp("cwd")
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "XDG_", "BRIEFING_"))
    }
    env.update(TERM="xterm-256color", HOME=str(home), COLUMNS=str(COLS), LINES=str(ROWS))
    env.pop("NO_COLOR", None)
    session = TerminalSession(
        [sys.executable, "-m", "briefing_tui", str(hostile_library)],
        cwd=cwd,
        env=env,
        cols=COLS,
        rows=ROWS,
    )
    not_shown = []
    try:
        session.wait_for("A source that is not UTF-8")
        for keys, expect in [
            (b"]", "Clipboard BEL \u241b Harbour one"),  # topic 2: the terminal escapes
            (b"n", None),
            (b"]]]", "Brief strings \u241b with [@click=app.quit]markup[/]"),  # topic 5
            (b"]]", "[@click=app.quit]quit[/] Bridge one"),  # topic 7: markup
            (b"n", None),  # select the passage right after the [@click=app.quit] text
            (b"s", "NUL here\u2400 River two"),  # its second source: controls and bidi
            # The command palette and the search screen list the same hostile strings.
            (CTRL_P, None),
            (b"strings", "Brief strings \u241b with [@click=app.quit]markup[/]"),
            (ESCAPE, None),
            (b"/", None),
            (b"bridge", "[/ Bridge four: the toll was dropped."),
            (ESCAPE, None),
        ]:
            start = session.press(keys)
            if expect is not None and not session.wait_for(expect, since=start):
                not_shown.append(expect)
        running = session.process.poll() is None
        session.press(CTRL_Q)
    finally:
        code = session.close()
    return ReaderRun(bytes(session.output), code, running, not_shown, home, cwd)


def test_reader_writes_no_injected_sequence(reader_run: ReaderRun) -> None:
    assert [p for p in PAYLOADS if p in reader_run.output] == []
    assert [s for s in INJECTED if s in reader_run.output] == []
    assert INVISIBLE_OR_C1 & set(reader_run.output.decode("utf-8", errors="replace")) == set()


def test_reader_shows_hostile_text_literally_and_runs_no_markup_action(
    reader_run: ReaderRun,
) -> None:
    drawn = drawn_text(reader_run.output)
    assert reader_run.not_shown == []
    assert [text for text in SHOWN if text not in drawn] == []
    assert ":smile:" in drawn and "\N{SMILING FACE WITH OPEN MOUTH}" not in drawn
    assert reader_run.running_before_quit  # [@click=app.quit] on screen did not quit the app
    assert reader_run.exit_code == 0  # ctrl+q did


def test_reader_writes_only_its_reading_state_and_caches(reader_run: ReaderRun) -> None:
    # HOME (and so every XDG default) and the working directory are empty folders of their own.
    assert list(reader_run.cwd.rglob("*")) == []
    written = sorted(p for p in reader_run.home.rglob("*") if p.is_file())
    state = reader_run.home / ".local" / "state" / "briefing"
    caches = reader_run.home / ".cache" / "briefing"
    assert [p.parent for p in written] == [caches / "library", caches / "search", state, state]
    library, index, data, lock = written
    assert library.read_bytes().startswith(LIBRARY_MAGIC)  # what was read: numbers and text
    assert index.read_bytes().startswith(MAGIC)  # the search index: numbers and text
    assert lock.name == data.name + ".lock"
    # Plain JSON data; nothing from the hostile files made it executable or unreadable.
    saved = json.loads(data.read_text(encoding="utf-8"))
    assert saved["last"]["place"]["brief"].startswith("briefs/")


async def test_pilot_shows_markup_literally_and_a_click_on_it_does_nothing(
    hostile_library: Path,
) -> None:
    library = load_library(hostile_library)
    markup = next(b for b in library.briefs if b.path == "briefs/markup.yaml")
    app = BriefingApp(library)
    async with app.run_test(size=(COLS, ROWS)) as pilot:
        for _ in range(markup.index):
            await pilot.press("right_square_bracket")
        await pilot.pause()
        view = app.query_one(SourceView)
        lines = [view.render_line(y).text for y in range(view.size.height)]
        row = next(y for y, line in enumerate(lines) if "[@click=app.quit]quit[/]" in line)
        assert "[@click=app.quit]quit[/] Bridge one: the mayor opened the bridge." in lines[row]
        assert "[/ Bridge four: the toll was dropped." in "\n".join(lines)
        column = lines[row].index("[@click")
        await pilot.click(SourceView, offset=(column + 3, row))
        await pilot.pause()
        assert app.is_running
        assert app.query_one(SourceView).text == library.sources["sources/markup.txt"].text


async def test_pilot_tree_labels_keep_brief_strings_literal(hostile_library: Path) -> None:
    library = load_library(hostile_library)
    app = BriefingApp(library)
    async with app.run_test(size=(COLS, ROWS)):
        tree = app.query_one(TopicTree)
        labels = [str(node.label) for node in tree.root.children]
        assert "Brief strings \u241b with [@click=app.quit]markup[/]" in labels
        claims = [str(c.label) for node in tree.root.children for c in node.children]
        assert any(label.endswith("Claim \u241b\u241b[@click=app.quit]quit[/]") for label in claims)
