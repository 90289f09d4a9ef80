"""`briefing matrix`: text, JSON, CSV and Markdown, exit codes, and an ASCII stdout."""

from __future__ import annotations

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from briefing_tui.cli import main
from briefing_tui.core.library.loader import load_library

WIRE = "---\noutlet: Example | Wire\n---\nTalks lasted two hours.\nThey met on Monday.\n"
PAPER = "Talks lasted three hours.\nThey met on Monday.\n"
BRIEF = """\
title: Talks
sources:
  wire: seeds/wire.txt
  paper: seeds/paper.txt
claims:
  - id: length
    text: "Talks lasted two hours | or three, [a link](http://x) <b>"
    passages:
      - source: wire
        quote: Talks lasted two hours.
      - source: paper
        quote: Talks lasted three hours.
        stance: conflicts
  - text: They met on Monday.
    passages:
      - source: wire
        quote: They met on Monday.
      - source: paper
        quote: a sentence the paper never printed
"""
NOTES = """\
title: Notes
sources:
  paper: seeds/paper.txt
claims:
  - text: The paper says they met.
    passages:
      - source: paper
        quote: They met on Monday.
        stance: context
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "briefs").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "seeds" / "paper.txt").write_text(PAPER, encoding="utf-8")
    (tmp_path / "briefs" / "talks.yaml").write_text(BRIEF, encoding="utf-8")
    (tmp_path / "briefs" / "notes.yaml").write_text(NOTES, encoding="utf-8")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(["matrix", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_the_text_table_shows_glyphs_counts_and_silence(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = run(capsys, "talks", str(root))
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert "  [1] Example | Wire  seeds/wire.txt  (as wire)" in lines
    assert "  [2] paper.txt  seeds/paper.txt  (as paper)" in lines
    assert "  status        [1]  [2]  claim" in lines
    assert any(line.startswith("  contested     ✔1   ✖1   1. Talks lasted") for line in lines)
    assert "  corroborated  ✔1   ✔1   2. They met on Monday." in lines
    assert "Notes" not in out


def test_without_a_brief_the_whole_library_is_grouped_by_topic(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(root))
    assert status == 0
    assert out.index("Notes  (briefs/notes.yaml)") < out.index("Talks  (briefs/talks.yaml)")
    notes = out[out.index("Notes  (") :].splitlines()
    assert notes[1:3] == [
        "  status         [1]  claim",  # only the topic's own sources
        "  single-source  ○1   1. The paper says they met.",
    ]
    talks = out[out.index("Talks  (") :].splitlines()
    assert talks[1] == "  status        [2]  [1]  claim"  # numbered as in the list above


def test_a_brief_file_alone_opens_its_library(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(root / "briefs" / "talks.yaml"), "--json")
    assert status == 0
    assert {claim["topic"] for claim in json.loads(out)["claims"]} == {"Talks"}


def test_json_has_claims_sources_and_cells_with_offsets(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "talks", str(root), "--json")
    assert status == 0
    document = json.loads(out)
    assert document["format"] == "briefing-matrix/1"
    assert document["claims"][0] == {
        "row": 0,
        "brief": "briefs/talks.yaml",
        "topic": "Talks",
        "index": 0,
        "key": "length",
        "id": "length",
        "text": "Talks lasted two hours | or three, [a link](http://x) <b>",
        "status": "contested",
    }
    assert document["sources"] == [
        {"column": 0, "path": "seeds/wire.txt", "label": "Example | Wire", "keys": ["wire"]},
        {"column": 1, "path": "seeds/paper.txt", "label": "paper.txt", "keys": ["paper"]},
    ]
    cells = {(c["claim"], c["source"]): c for c in document["cells"]}
    assert set(cells) == {(0, 0), (0, 1), (1, 0), (1, 1)}
    assert cells[0, 1]["counts"] == {"supports": 0, "conflicts": 1, "context": 0}
    assert cells[0, 1]["passages"] == [
        {"index": 1, "key": "paper", "stance": "conflicts", "start": 0, "end": 25, "line": 1}
    ]
    orphan = cells[1, 1]["passages"][0]
    assert (orphan["start"], orphan["end"], orphan["line"]) == (None, None, None)
    assert cells[1, 0]["passages"][0]["line"] == 5  # the body starts after the front matter


def test_csv_parses_with_a_column_per_source_and_empty_silent_cells(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, str(root), "--csv")
    assert status == 0
    rows = list(csv.reader(io.StringIO(out, newline="")))
    assert rows[0] == [
        "topic",
        "brief",
        "claim_index",
        "claim_id",
        "status",
        "claim",
        "seeds/paper.txt",
        "Example | Wire (seeds/wire.txt)",
    ]
    assert rows[1] == [
        "Notes",
        "briefs/notes.yaml",
        "0",
        "",
        "single-source",
        "The paper says they met.",
        "○1",
        "",
    ]
    assert rows[2][5:] == ["Talks lasted two hours | or three, [a link](http://x) <b>", "✖1", "✔1"]


def test_markdown_escapes_claims_and_labels_so_the_table_holds(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = run(capsys, "talks", str(root), "--markdown")
    assert status == 0
    parser = MarkdownIt("commonmark").enable("table")
    parser.validateLink = lambda url: True  # count every link, even ones a renderer drops
    tokens = parser.parse(out)
    inline = [t for t in tokens if t.type == "inline"]
    kinds = {child.type for t in inline for child in t.children or ()}
    assert kinds == {"text"}  # no link, HTML or emphasis from the claim or the label
    assert sum(t.type == "tr_open" for t in tokens) == 3  # the header and two claims
    cells = [t.content for t in inline]
    assert "Example | Wire" in cells  # the escaped pipe stays inside its header cell
    assert [line for line in out.splitlines() if line.startswith("| 1 |")] == [
        "| 1 | Talks lasted two hours \\| or three, \\[a link\\](http://x) \\<b\\> "
        "| contested | ✔1 | ✖1 |"
    ]


def test_an_ascii_stdout_gets_ascii_marks_and_never_fails(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for form in ((), ("--markdown",), ("--csv",), ("--json",)):
        buffer = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="ascii"))
        assert main(["matrix", "talks", str(root), *form]) == 0
        sys.stdout.flush()
        text = buffer.getvalue().decode("ascii")
        if form == ("--json",):
            assert json.loads(text)["sources"][0]["label"] == "Example | Wire"
        elif form == ("--csv",):
            assert ",+1,x1" in text
        else:
            assert "+1" in text and "x1" in text and "✔" not in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("no such brief",), "no brief matches"),
        (("talks", "/no/such/folder"), "no such file or folder"),
        (("--json", "--csv"), "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2_with_one_line(
    root: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    full = [*args, str(root)] if args[0] == "no such brief" else list(args)
    status, out, err = run(capsys, *full)
    assert status == 2
    assert message in err.strip().splitlines()[-1]
    assert "Traceback" not in err


def test_the_bundled_library_prints_every_topic(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys)
    assert status == 0
    assert "About 54,000 U.S. troops are stationed in Japan." in out
    library = load_library()
    topics = [f"{b.title}  ({b.path})" for b in library.briefs if b.claims]
    assert [line for line in out.splitlines() if line in topics] == topics


def test_hostile_file_names_reach_the_terminal_inert(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "seeds" / "paper\x1b]0;owned\x07.txt").write_text(PAPER, encoding="utf-8")
    text = BRIEF.replace("  paper: seeds/paper.txt", '  paper: "seeds/paper\\e]0;owned\\a.txt"')
    (root / "briefs" / "talks.yaml").write_text(text, encoding="utf-8")
    for form in ((), ("--markdown",), ("--csv",), ("--json",)):
        status, out, _ = run(capsys, "talks", str(root), *form)
        assert status == 0
        assert "\x1b" not in out and "\x07" not in out
        assert "owned" in out  # shown, escaped for each form
    text_form = run(capsys, "talks", str(root))[1]
    assert "[2] paper\\x1b]0;owned\\x07.txt  seeds/paper\\x1b]0;owned\\x07.txt" in text_form
