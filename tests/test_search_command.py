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
        "text    Summit › claim 1 › Example Wire, line 7",
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
    index = SearchIndex.build(library)
    _, body = hit_lines(index.catalog, index.search("article 5")[0])
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
    assert captured.err == (
        "briefing search: no results for 'zzzqqq'; try a shorter word or another one\n"
    )


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


def test_a_second_search_reads_the_cache_and_loads_no_library(
    library_root: Path,
    own_cache_folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["search", "trilion", str(library_root), "--json"]) == 0
    first = capsys.readouterr().out
    assert len(list(own_cache_folder.iterdir())) == 1

    def no_loading(*args: object) -> None:
        raise AssertionError("the library was loaded")

    monkeypatch.setattr("briefing_tui.commands.search.load_location", no_loading)
    assert main(["search", "trilion", str(library_root), "--json"]) == 0
    assert capsys.readouterr().out == first


def test_no_cache_reads_and_writes_no_cache(
    library_root: Path, own_cache_folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["search", "trilion", str(library_root), "--no-cache"]) == 0
    assert list(own_cache_folder.iterdir()) == []
    assert main(["search", "trilion", str(library_root)]) == 0
    (cache,) = own_cache_folder.iterdir()
    cache.write_bytes(b"garbage")  # --no-cache does not even look at it
    assert main(["search", "washington", str(library_root), "--no-cache"]) == 0
    assert "Washington" in capsys.readouterr().out
    assert main(["search", "washington", str(library_root)]) == 0  # rebuilt, silently
    assert capsys.readouterr().err == ""


def test_json_names_briefs_by_path_claims_by_key_and_passages_by_source_and_span(
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = load_library()
    assert main(["search", "55,000", "--json", "--limit", "5"]) == 0
    hits = json.loads(capsys.readouterr().out)
    text = next(hit for hit in hits if hit["kind"] == "text")
    assert text["brief"] == "briefs/03-forces-command.yaml"
    brief = next(b for b in library.briefs if b.path == text["brief"])
    claim = brief.claims[text["claim"]["number"] - 1]
    assert text["claim"]["key"] == claim.key == "troop-numbers"
    source, span = text["passage"]["source"], text["passage"]["span"]
    passage = next(p for p in claim.passages if p.source_key == source and list(p.span) == span)
    assert text["passage"]["stance"] == passage.stance == "conflicts"
    assert {q["claim"]["key"] for q in text["quoted_by"]} >= {"troop-numbers"}
    assert "claim 1" in text["place"]  # the same number, from 1, for people
    note = next(hit for hit in hits if hit["kind"] == "note")
    assert note["claim"]["number"] >= 1 and note["passage"]["source"] == "unsigned-report"


def test_no_results_with_a_filter_say_what_to_try(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "'zzzqqq source:gmi"]) == 1
    err = capsys.readouterr().err
    assert "drop a filter" in err and "near spellings" in err
