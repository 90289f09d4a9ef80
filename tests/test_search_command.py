"""`briefing search`: printed results, JSON, exit codes and untrusted text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from builders import write_library

from briefing_tui.cli import main
from briefing_tui.commands.search import MATCH_STYLE, hit_lines
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.search.index import SearchIndex

SOURCE = """\
---
title: Leaders meet
outlet: Example Wire
---
The leaders met in Washington.
[@click=app.quit]Markup[/] and [bold]tags[/bold] stay literal text.
Japan will invest one trillion dollars.
"""

BRIEF = """\
title: Summit
sources:
  wire: wire.txt
claims:
  - text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars.
"""


@pytest.fixture
def library_root(tmp_path: Path) -> Path:
    return write_library(tmp_path, {"summit.yaml": BRIEF}, {"wire.txt": SOURCE})


def test_results_print_kind_place_line_and_snippet(
    library_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "trilion", str(library_root)]) == 0
    out = capsys.readouterr().out
    groups = [group.splitlines() for group in out.strip().split("\n\n")]
    assert groups[0] == ["claim   Summit › claim 1", "  Japan will invest one trillion dollars."]
    assert groups[1] == [
        "text    Summit › Example Wire, line 7",
        "  Japan will invest one trillion dollars.",
    ]


def test_piped_output_is_plain_and_markup_stays_literal(
    library_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "markup", str(library_root)]) == 0
    out = capsys.readouterr().out
    assert "[@click=app.quit]Markup[/] and [bold]tags[/bold] stay literal text." in out
    assert "\x1b" not in out


def test_in_a_terminal_matches_are_emphasised_by_style_not_markup() -> None:
    library = load_library()
    hit = SearchIndex.build(library).search("article 5")[0]
    _, body = hit_lines(library, hit)
    styled = [body.plain[span.start : span.end] for span in body.spans]
    assert "Article 5" in styled
    assert all(span.style == MATCH_STYLE for span in body.spans)


def test_json_carries_every_hit_field_and_a_snippet(
    library_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "washington", str(library_root), "--json", "--limit", "5"]) == 0
    hits = json.loads(capsys.readouterr().out)
    text = next(hit for hit in hits if hit["kind"] == "text")
    assert text["text"] == "The leaders met in Washington."
    assert text["snippet"] == text["text"]
    assert text["source_path"] == "wire.txt" and text["line"] == 5
    assert "".join(text["text"][i] for i in text["matches"]) == "Washington"
    assert set(text) >= {"score", "brief", "span", "claim", "passage", "place"}


def test_limit_caps_the_results(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "the", "--json", "--limit", "3"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_no_results_exit_1_with_a_message(
    library_root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "zzzqqq", str(library_root)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "briefing search: no results for 'zzzqqq'\n"


@pytest.mark.parametrize(
    "argv",
    [["search", "x", "/no/such/library"], ["search", "x", "--limit", "0"]],
)
def test_usage_errors_are_one_line_and_exit_2(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("briefing search: ") and err.count("\n") == 1
