"""Hostile file and folder names: files still open, and no name reaches the terminal raw."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import NAME_PAYLOADS, NAMED_BRIEF, NAMED_SOURCE, build_file_name_library

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.text import escape_name

# What must never reach the terminal: escape, C0/C1 controls (bar newline), bidi.
UNSAFE_OUTPUT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def named_library(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library with hostile names, built once for the module."""
    return build_file_name_library(tmp_path_factory.mktemp("names"))


def _briefing(*args: str | Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "briefing_tui", *map(str, args)],
        capture_output=True,
        timeout=60,
        check=False,
    )


def _assert_terminal_safe(output: bytes) -> None:
    """No raw control reaches the terminal; a payload may only show as inert escaped text."""
    text = output.decode("utf-8")
    assert UNSAFE_OUTPUT.search(text) is None
    for payload in NAME_PAYLOADS:
        for found in re.finditer(re.escape(payload.decode()), text):
            before = text[max(0, found.start() - 12) : found.start()]
            assert re.search(r"\\(x1b|u001b)|\u241b", before), before


def test_sources_with_hostile_names_open_and_anchor(named_library: Path) -> None:
    library = load_library(named_library)
    (brief,) = library.briefs
    assert brief.source("named") is not None
    assert brief.source("named").source.path == escape_name(NAMED_SOURCE)  # type: ignore[union-attr]
    (passage,) = brief.passages()
    assert passage.span is not None
    assert any(d.path == escape_name(NAMED_BRIEF) for d in library.diagnostics)


def test_check_prints_no_name_raw(named_library: Path) -> None:
    run = _briefing("check", named_library)
    assert run.returncode == 1
    _assert_terminal_safe(run.stdout + run.stderr)
    assert escape_name(NAMED_BRIEF).encode() in run.stdout  # shown with visible escapes


def test_check_json_names_files_as_the_model_does(named_library: Path) -> None:
    run = _briefing("check", "--json", named_library)
    _assert_terminal_safe(run.stdout)
    paths = {d["path"] for d in json.loads(run.stdout)["diagnostics"]}
    assert escape_name(NAMED_BRIEF) in paths


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_export_prints_no_name_raw(named_library: Path, fmt: str) -> None:
    run = _briefing("export", "file_names", named_library, "--format", fmt)
    assert run.returncode == 0, run.stderr
    _assert_terminal_safe(run.stdout + run.stderr)
    if fmt == "json":
        document = json.loads(run.stdout)
        assert document["sources"][0]["path"] == escape_name(NAMED_SOURCE)
        target = document["claims"][0]["passages"][0]["target"]["source"]
        assert target == escape_name(NAMED_SOURCE)


def test_export_lookup_errors_print_no_name_raw(named_library: Path) -> None:
    run = _briefing("export", "no such brief\x1b]0;HOSTILE-ROOT\x07", named_library)
    assert run.returncode == 2
    _assert_terminal_safe(run.stdout + run.stderr)
