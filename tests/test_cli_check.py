"""`briefing check`: problems as file:line:col lines, a summary, JSON, and exit codes 0/1/2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import write_library

from briefing_tui.cli import main

SOURCE = "The talks lasted two hours.\nThe talks were cordial.\nJapan will invest.\n"
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
WARNS = CLEAN.replace("quote: The talks lasted two hours.", "quote: The talks")
BROKEN = CLEAN.replace("source: wire", "source: post")


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library under tmp_path/lib with one source and no briefs yet."""
    return write_library(tmp_path / "lib", {}, {"seeds/wire.txt": SOURCE})


def add_brief(root: Path, name: str, text: str) -> Path:
    brief = root / "briefs" / name
    brief.write_text(text)
    return brief


def test_a_clean_library_passes_with_a_summary(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_brief(library, "summit.yaml", CLEAN)
    assert main(["check", str(library)]) == 0
    out, err = capsys.readouterr()
    assert out == "checked 1 brief, 1 source, 1 passage: 0 errors, 0 warnings\n"
    assert err == ""


def test_errors_fail_the_check_and_print_clickable_lines(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_brief(library, "a.yaml", CLEAN)
    add_brief(library, "b.yaml", BROKEN)
    monkeypatch.chdir(library.parent)
    assert main(["check", "lib"]) == 1
    assert capsys.readouterr().out.splitlines() == [
        "lib/briefs/b.yaml:3:3: warning: source 'wire' is declared but no passage quotes it",
        "lib/briefs/b.yaml:7:17: error: source 'post' is not declared in 'sources'",
        "checked 2 briefs, 1 source, 1 passage: 1 error, 1 warning",
    ]


def test_paths_outside_the_current_folder_are_relative_to_the_library_as_in_json(
    library: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_brief(library, "b.yaml", BROKEN)
    elsewhere = library.parent / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    main(["check", str(library)])
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("briefs/b.yaml:3:3: warning: ")


def test_a_newline_or_tab_in_a_file_name_cannot_forge_a_line(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_brief(library, "x\n-forged.yaml:6:36: error: hi\t.yaml", BROKEN)
    assert main(["check", str(library)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3
    assert all(
        line.startswith("briefs/x\\x0a-forged.yaml:6:36: error: hi\\x09.yaml:")
        for line in lines[:2]
    )
    assert "\t" not in "".join(lines)


def test_the_summary_counts_every_problem_and_says_how_many_are_shown(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    claims = "".join(f"  - text: claim {n}\n    passages: []\n" for n in range(5000))
    add_brief(
        library, "many.yaml", "title: T\nsources:\n  wire: seeds/wire.txt\nclaims:\n" + claims
    )
    assert main(["check", str(library)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 102
    assert lines[-2].endswith(": error: 4,901 more errors not shown")
    assert lines[-1] == (
        "checked 1 brief, 1 source, 0 passages: 5,000 errors, 1 warning"
        " (first 100 of the file shown)"
    )
    assert main(["check", str(library), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["counts"]["errors"], report["counts"]["warnings"]) == (5000, 1)
    assert (report["diagnostics_per_file"], len(report["diagnostics"])) == (100, 101)


def test_warnings_pass_unless_strict(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_brief(library, "a.yaml", WARNS)
    assert main(["check", str(library)]) == 0
    assert main(["check", str(library), "--strict"]) == 1
    out = capsys.readouterr().out
    assert "warning: quote occurs 2 times in seeds/wire.txt; add prefix or suffix" in out
    assert out.splitlines()[-1] == "checked 1 brief, 1 source, 1 passage: 0 errors, 1 warning"


def test_json_report(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_brief(library, "a.yaml", WARNS)
    add_brief(library, "b.yaml", BROKEN)
    assert main(["check", str(library), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["format"] == "briefing-check/1"
    assert report["root"] == library.resolve().as_posix()
    assert report["ok"] is False
    assert report["strict"] is False
    assert report["counts"] == {
        "briefs": 2,
        "briefs_loaded": 2,
        "sources": 1,
        "claims": 1,
        "passages": 1,
        "errors": 1,
        "warnings": 2,
    }
    assert report["anchors"] == {
        "exact": 0,
        "normalised": 0,
        "approximate": 0,
        "ambiguous": 1,
        "orphaned": 0,
    }
    assert report["diagnostics"][0] == {
        "path": "briefs/a.yaml",
        "line": 8,
        "column": 16,
        "level": "warning",
        "message": "quote occurs 2 times in seeds/wire.txt; add prefix or suffix",
    }
    assert [d["level"] for d in report["diagnostics"]] == ["warning", "warning", "error"]


def test_json_under_strict_is_not_ok_with_warnings(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_brief(library, "a.yaml", WARNS)
    assert main(["check", str(library), "--json", "--strict"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert (report["ok"], report["strict"]) == (False, True)


def test_one_brief_file_can_be_checked(library: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_brief(library, "a.yaml", BROKEN)
    brief = add_brief(library, "b.yaml", CLEAN)
    assert main(["check", str(brief)]) == 0
    assert capsys.readouterr().out.endswith(
        "checked 1 brief, 1 source, 1 passage: 0 errors, 0 warnings\n"
    )


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("missing", "no such file or folder"),
        ("seeds/wire.txt", "not a brief file (.yaml or .yml)"),
        ("seeds", "no briefs/ folder and no brief files (.yaml, .yml)"),
    ],
)
def test_an_unusable_path_is_a_usage_error_on_stderr(
    library: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    assert main(["check", str(library / name)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == f"briefing check: {library / name}: {message}\n"


def test_bad_input_never_shows_a_traceback(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (library / "briefs" / "junk.yaml").write_bytes(bytes(range(256)) * 64)
    add_brief(library, "bomb.yaml", "a: &a [x, x]\nb: [*a, *a]\n")
    add_brief(library, "deep.yaml", "[" * 5000)
    add_brief(library, "exec.yaml", "!!python/object/apply:os.system ['exit 1']\n")
    (library / "seeds" / "evil.txt").write_bytes(b"\xff\xfe\x00bad")
    add_brief(library, "evil.yaml", "title: E\nsources:\n  e: seeds/evil.txt\n")
    assert main(["check", str(library)]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    assert "Traceback" not in out
    assert out.splitlines()[-1] == "checked 5 briefs, 0 sources, 0 passages: 5 errors, 0 warnings"


def test_escape_sequences_in_names_never_reach_the_terminal(
    library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_brief(library, "a.yaml", 'title: T\nsources:\n  "\\e]0;owned\\a": "seeds/\\e[2J.txt"\n')
    assert main(["check", str(library)]) == 1
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "source file not found: seeds/\\x1b[2J.txt" in out
