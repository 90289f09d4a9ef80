"""`briefing new`: a brief skeleton that `check` and the schema both understand."""

from __future__ import annotations

import json
import os
from pathlib import Path

import jsonschema
import pytest
from builders import write_library

from briefing_tui.cli import main
from briefing_tui.commands.new import MAX_LISTED, MAX_SLUG, slug
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.yamlsafe import parse_yaml
from briefing_tui.core.schema import brief_schema

SOURCES: dict[str, str | bytes] = {
    "seeds/wire.txt": "The talks lasted two hours.\n",
    "seeds/2024 notes.md": "Notes.\n",
    "notes/wire.txt": "Another wire.\n",
    "seeds/.hidden.txt": "Hidden.\n",
    "seeds/image.png": "not a source",
}


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return write_library(tmp_path / "lib", {}, SOURCES)


def _uncomment_first_source(text: str) -> str:
    lines = text.splitlines(keepends=True)
    first = next(n for n, line in enumerate(lines) if line.startswith("  # ") and ": " in line[4:])
    lines[first] = "  " + lines[first][4:]
    return "".join(lines)


def test_writes_the_brief_with_header_title_and_sources(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Trade & “Tariffs”: 2025", str(root)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("wrote briefs/trade-tariffs-2025.yaml (3 sources listed")
    text = (root / "briefs" / "trade-tariffs-2025.yaml").read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[0] == "# yaml-language-server: $schema=../brief.schema.json"
    assert lines[1] == "title: 'Trade & “Tariffs”: 2025'"
    assert "  # wire: 'notes/wire.txt'" in lines
    assert "  # 2024-notes: 'seeds/2024 notes.md'" in lines
    assert "  # wire-2: 'seeds/wire.txt'" in lines
    assert "hidden" not in text and "image" not in text
    schema = json.loads((root / "brief.schema.json").read_text(encoding="utf-8"))
    assert schema == brief_schema()


def test_check_reports_missing_sources_until_one_is_uncommented(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["new", "Trade", str(root)]) == 0
    capsys.readouterr()
    assert main(["check", str(root)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].endswith("briefs/trade.yaml:5:1: error: missing 'sources'")
    assert out[1].endswith("1 error, 0 warnings")
    brief = root / "briefs" / "trade.yaml"
    picked = _uncomment_first_source(brief.read_text(encoding="utf-8"))
    brief.write_text(picked, encoding="utf-8")
    assert main(["check", str(root), "--strict"]) == 0
    assert jsonschema.Draft202012Validator(brief_schema()).is_valid(parse_yaml(picked))
    assert load_library(root).briefs[0].sources[0].source.path == "notes/wire.txt"


def test_never_overwrites(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new", "Trade", str(root)]) == 0
    before = (root / "briefs" / "trade.yaml").read_text(encoding="utf-8")
    capsys.readouterr()
    assert main(["new", "trade!", str(root)]) == 2
    err = capsys.readouterr().err
    assert err == "briefing new: briefs/trade.yaml already exists; not overwritten\n"
    assert (root / "briefs" / "trade.yaml").read_text(encoding="utf-8") == before


def test_an_existing_schema_file_is_left_alone(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "brief.schema.json").write_text("{}", encoding="utf-8")
    assert main(["new", "Trade", str(root)]) == 0
    assert "brief.schema.json" not in capsys.readouterr().out
    assert (root / "brief.schema.json").read_text(encoding="utf-8") == "{}"


def test_a_flat_library_gets_the_brief_beside_its_others(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "old.yaml").write_text("title: Old\nsources:\n  a: a.txt\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("A.\n", encoding="utf-8")
    assert main(["new", "Second", str(tmp_path)]) == 0
    text = (tmp_path / "second.yaml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=brief.schema.json\n")
    assert "  # a: 'a.txt'" in text
    assert not (tmp_path / "briefs").exists()


def test_odd_file_names_are_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "line\nbreak\u202e.txt").write_text("x\n", encoding="utf-8")
    assert main(["new", "Odd", str(tmp_path)]) == 0
    text = (tmp_path / "briefs" / "odd.yaml").read_text(encoding="utf-8")
    entry = next(line for line in text.splitlines() if "break" in line)
    assert entry == '  # line-break: "line\\u000abreak\\u202e.txt"'
    assert parse_yaml(entry[4:]) == {"line-break": "line\nbreak\u202e.txt"}


def test_the_listing_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for number in range(MAX_LISTED + 5):
        (tmp_path / f"s{number:04d}.txt").write_text("x\n", encoding="utf-8")
    assert main(["new", "Many", str(tmp_path)]) == 0
    text = (tmp_path / "briefs" / "many.yaml").read_text(encoding="utf-8")
    assert sum(line.startswith("  # s0") for line in text.splitlines()) == MAX_LISTED
    assert f"only the first {MAX_LISTED} files are listed" in text


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Senkaku Islands and Article 5", "senkaku-islands-and-article-5"),
        ("Café — “déjà vu”", "cafe-deja-vu"),
        ("日米首脳会談", "brief"),
        ("x" * 100, "x" * MAX_SLUG),
        ("a " * 50, "-".join(["a"] * 30)),
    ],
)
def test_slugs(title: str, expected: str) -> None:
    assert slug(title) == expected


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["new", "  ", "."], "briefing new: the title is empty"),
        (["new", "T", "/no/such/folder"], "briefing new: /no/such/folder: no such folder"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    assert capsys.readouterr().err == message + "\n"


def test_a_read_only_library_is_one_line(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if os.geteuid() == 0:
        pytest.skip("root may write anywhere")
    (root / "briefs").chmod(0o500)
    try:
        assert main(["new", "Trade", str(root)]) == 2
    finally:
        (root / "briefs").chmod(0o700)
    assert capsys.readouterr().err.startswith("briefing new: briefs/trade.yaml: ")
