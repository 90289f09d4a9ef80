"""Faults of the run, not of the files: closed or broken stdout, no cwd, odd encodings, no tty.

These run `python -m briefing_tui` in a child process, since each needs what a test's
capture cannot give: a closed file descriptor, a pipe whose reader left, a deleted working
directory, a strict or ASCII stdout.
"""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest
from builders import write_library

from briefing_tui.cli import main
from briefing_tui.commands import read

TIMEOUT_S = 60
WIRE = "The talks lasted two hours.\nThe talks were cordial.\n"
CLEAN = """\
title: Summit
sources:
  wire: seeds/wire.txt
claims:
  - text: The talks lasted two hours.
    passages:
      - source: wire
        quote: The talks lasted two hours.
"""
BROKEN = CLEAN.replace("source: wire", "source: post")
PYTHON = [sys.executable, "-m", "briefing_tui"]


def briefing(
    *args: str | Path,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    shell_redirect: str = "",
) -> subprocess.CompletedProcess[bytes]:
    """Run briefing in a child; `shell_redirect` (e.g. `>&-`) is applied by a shell."""
    argv = [*PYTHON, *map(str, args)]
    if shell_redirect:
        argv = ["sh", "-c", f'"$@" {shell_redirect}', "sh", *argv]
    return subprocess.run(
        argv,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.fixture
def clean(tmp_path: Path) -> Path:
    """A library whose check passes."""
    return write_library(tmp_path / "clean", {"a.yaml": CLEAN}, {"seeds/wire.txt": WIRE})


@pytest.fixture
def failing(tmp_path: Path) -> Path:
    """A library whose check fails with far more output than a pipe holds."""
    odd = "".join(f"odd{n}: x\n" for n in range(80))
    briefs = {f"b{n:03}.yaml": BROKEN + odd for n in range(60)}
    return write_library(tmp_path / "failing", briefs, {"seeds/wire.txt": WIRE})


# -- stdout closed, broken, full ------------------------------------------------------------


def test_a_failed_check_into_a_pipe_closed_early_never_exits_0(failing: Path) -> None:
    with subprocess.Popen(
        [*PYTHON, "check", str(failing)], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as child:
        assert child.stdout is not None and child.stderr is not None
        assert child.stdout.readline().startswith(b"briefs/b000.yaml:")
        child.stdout.close()  # the reader goes away, as `head -1` does
        assert child.wait(timeout=TIMEOUT_S) == 1
        assert child.stderr.read() == b""  # no "Exception ignored", no traceback


def test_a_failed_check_piped_to_head_fails_the_pipeline(failing: Path) -> None:
    command = f'"$@" check {failing} | head -1'
    run = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command, "bash", *PYTHON],
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert run.returncode == 1
    assert run.stdout.count(b"\n") == 1 and run.stderr == b""


@pytest.mark.parametrize("command", [("check",), ("search", "talks"), ("export", "a")])
def test_with_stdout_closed_a_command_fails_in_one_line(
    clean: Path, command: tuple[str, ...]
) -> None:
    run = briefing(*command, clean, shell_redirect=">&-")
    assert run.returncode == 1
    assert run.stderr.decode() == f"briefing {command[0]}: standard output is closed\n"


def test_a_full_disk_is_said_in_one_line(failing: Path) -> None:
    run = briefing("check", failing, shell_redirect=">/dev/full")
    assert run.returncode == 1
    message = "briefing check: cannot write to standard output: No space left on device\n"
    assert run.stderr.decode() == message


# -- no working directory ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "command", [("check",), ("figures",), ("matrix",), ("export", "b000", "--format", "json")]
)
def test_a_deleted_working_directory_is_no_internal_error(
    failing: Path, tmp_path: Path, command: tuple[str, ...]
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    name, *rest = command
    run = subprocess.run(
        ["sh", "-c", 'cd "$1" && rmdir "$1" && shift && exec "$@"', "sh", str(gone)]
        + [*PYTHON, name, *rest[:1], str(failing), *rest[1:]],
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert b"internal error" not in run.stderr, run.stderr
    assert run.returncode == (1 if name == "check" else 0), run.stderr
    if name == "check":
        assert run.stdout.startswith(b"briefs/b000.yaml:")  # relative to the library root


# -- encodings ------------------------------------------------------------------------------


ASCII = {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""}


@pytest.mark.parametrize(
    "command",
    [
        ("export", "01"),
        ("export", "01", "--format", "json"),
        ("check",),
        ("check", "--json"),
        ("matrix", "01"),
        ("matrix", "--json"),
        ("figures",),
        ("search", "trillion"),
        ("search", "trillion", "--json"),
    ],
)
def test_an_ascii_stdout_gets_escapes_never_an_internal_error(command: tuple[str, ...]) -> None:
    run = briefing(*command, env=ASCII)
    assert run.returncode == 0, run.stderr
    assert run.stderr == b""
    text = run.stdout.decode("ascii")  # nothing but ASCII was written
    if "--json" in command or "json" in command:
        assert json.loads(text)
    if command[0] == "export" and "json" not in command:
        assert "-- GMI POST" in text  # the citation's dash, in ASCII


def test_a_strict_utf8_stdout_shows_bytes_of_names_as_escapes(tmp_path: Path) -> None:
    root = write_library(tmp_path / "lib", {}, {"seeds/wire.txt": WIRE})
    (root / os.fsdecode(b"briefs/n\xffame.yaml")).write_text(BROKEN)
    # Markdown writes the escape's backslash escaped, so that it renders as written.
    for command, shown in (
        (("check",), "n\\xffame.yaml"),
        (("export", "Summit", "--format", "markdown"), "n\\\\xffame.yaml"),
    ):
        run = briefing(*command, root, env={"PYTHONIOENCODING": "utf-8:strict"})
        assert b"internal error" not in run.stderr
        text = run.stdout.decode("utf-8")  # no raw 0xFF reached the terminal
        assert shown in text, (command, run)


def test_the_c_locale_does_not_write_raw_bytes_of_names(tmp_path: Path) -> None:
    root = write_library(tmp_path / "lib", {}, {"seeds/wire.txt": WIRE})
    (root / os.fsdecode(b"briefs/n\xffame.yaml")).write_text(BROKEN)
    run = briefing("check", root, env=ASCII)
    assert run.returncode == 1
    assert "briefs/n\\xffame.yaml:7:17: error:" in run.stdout.decode("ascii")


# -- the reader needs a terminal --------------------------------------------------------------


def test_the_reader_without_a_terminal_exits_2_in_one_line() -> None:
    run = subprocess.run(
        PYTHON, stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_S, check=False
    )
    assert run.returncode == 2
    assert run.stdout == b""
    assert run.stderr.decode() == (
        "briefing: the reader needs a terminal; for scripts use `briefing check`, "
        "`briefing search` or `briefing export`\n"
    )


def test_help_and_version_need_no_terminal() -> None:
    for flag in ("--help", "--version"):
        run = subprocess.run(
            [*PYTHON, flag], stdin=subprocess.DEVNULL, capture_output=True, timeout=TIMEOUT_S
        )
        assert run.returncode == 0 and run.stdout


def test_a_textual_driver_stands_in_for_the_terminal(
    monkeypatch: pytest.MonkeyPatch, clean: Path
) -> None:
    # `briefing serve` runs the reader on pipes with textual-serve's web driver.
    runs = stand_in_reader(monkeypatch)
    monkeypatch.setattr(sys, "stdin", io.StringIO())  # not a terminal
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert read.has_terminal()
    assert main([str(clean)]) == 0 and len(runs) == 1
    monkeypatch.delenv("TEXTUAL_DRIVER")
    assert not read.has_terminal()


def test_start_up_pauses_the_collector_and_always_turns_it_back_on(
    monkeypatch: pytest.MonkeyPatch, clean: Path
) -> None:
    # The reader turns it back on once drawn; a reader that never draws must not leave it off.
    runs = stand_in_reader(monkeypatch)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    assert gc.isenabled()
    assert main([str(clean)]) == 0
    assert runs == [False] and gc.isenabled()


def test_the_reader_draws_up_to_120_frames_a_second_unless_told_otherwise(
    monkeypatch: pytest.MonkeyPatch, clean: Path
) -> None:
    stand_in_reader(monkeypatch)
    monkeypatch.setenv("TEXTUAL_DRIVER", "textual.drivers.web_driver:WebDriver")
    monkeypatch.delenv("TEXTUAL_FPS", raising=False)
    assert main([str(clean)]) == 0
    assert os.environ["TEXTUAL_FPS"] == read.FRAMES_PER_SECOND == "120"
    monkeypatch.setenv("TEXTUAL_FPS", "30")
    assert main([str(clean)]) == 0
    assert os.environ["TEXTUAL_FPS"] == "30"


def test_textual_reads_the_frame_rate_when_first_imported() -> None:
    # What the default above relies on: set before Textual is imported, it is the rate.
    probe = "from textual import constants; print(constants.MAX_FPS)"
    env = {**os.environ, "TEXTUAL_FPS": "120"}
    run = subprocess.run(
        [sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert run.stdout.strip() == "120", run.stderr


def stand_in_reader(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Put a stand-in in the reader's place; each run of it adds whether the collector ran."""
    runs: list[bool] = []

    class Reader:
        def run(self) -> None:
            runs.append(gc.isenabled())

    import briefing_tui.ui.app as app_module

    monkeypatch.setattr(app_module, "BriefingApp", lambda *args, **kwargs: Reader())
    return runs
