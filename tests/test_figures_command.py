"""`briefing figures`: differences per claim as text or JSON, exit codes, an ASCII stdout."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from briefing_tui.cli import main

WIRE = (
    "---\noutlet: Example Wire\n---\n"
    "The U.S. keeps approximately 54,000 troops in Japan.\nThe talks began on May 5, 2025.\n"
)
POST = "Officials said 55,000 personnel serve there.\nThe visit ran 4-6 May, 2025.\n"
BRIEF = """\
title: Forces
sources:
  wire: seeds/wire.txt
  post: seeds/post.md
claims:
  - id: troops
    text: About 54,000 troops are in Japan.
    passages:
      - source: wire
        quote: approximately 54,000 troops
      - source: post
        quote: Officials said
        stance: conflicts
  - text: The talks began on May 5.
    passages:
      - source: wire
        quote: The talks began
      - source: post
        quote: The visit ran
        stance: context
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "briefs").mkdir()
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "wire.txt").write_text(WIRE, encoding="utf-8")
    (tmp_path / "seeds" / "post.md").write_text(POST, encoding="utf-8")
    (tmp_path / "briefs" / "forces.yaml").write_text(BRIEF, encoding="utf-8")
    return tmp_path


def test_text_lists_each_side_with_file_and_line(
    root: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(root)
    assert main(["figures", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out.splitlines() == [
        "About 54,000 troops are in Japan.",
        "  briefs/forces.yaml, claim 1 (troops)",
        "  count of people:",
        "    differs Example Wire: approximately 54,000 troops (seeds/wire.txt:4)",
        "    differs post.md [conflicts]: 55,000 personnel (seeds/post.md:1, beside the quote)",
        "",
        "1 difference between sources in 1 claim (4 figures in 2 claims)",
    ]


def test_json_gives_every_claims_figures_and_both_sides_of_each_difference(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["figures", str(root), "--json"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "briefing-figures/1"
    troops, talks = document["claims"]
    assert (troops["index"], troops["id"], troops["differences"]) == (0, "troops", [[0, 1]])
    assert (talks["id"], talks["differences"]) == (None, [])
    assert [f["value"] for f in talks["figures"]] == ["2025-05-05", ["2025-05-04", "2025-05-06"]]
    (difference,) = document["differences"]
    assert difference["claim"]["text"] == "About 54,000 troops are in Japan."
    assert difference["dimension"] == "count of people"
    first, second = difference["sides"]
    assert first == {
        "source": "seeds/wire.txt",
        "key": "wire",
        "label": "Example Wire",
        "passage": 0,
        "stance": "supports",
        "in_passage": True,
        "line": 4,
        "start": 29,
        "end": 42,
        "text": "54,000 troops",
        "kind": "count",
        "value": 54000,
        "unit": "people",
        "qualifier": "approximately",
        "dimension": "count of people",
    }
    assert (second["key"], second["value"], second["in_passage"]) == ("post", 55000, False)


def test_no_difference_says_so_and_exits_0(
    tmp_path: Path, root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (root / "seeds" / "post.md").write_text(POST.replace("55,000", "54,000"), encoding="utf-8")
    assert main(["figures", str(root)]) == 0
    assert capsys.readouterr().out == "no figures differ between sources (4 figures in 2 claims)\n"


def test_a_missing_library_exits_2_in_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures", "/no/such/folder"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "no such file or folder" in err


def test_an_ascii_stdout_degrades_instead_of_failing(monkeypatch: pytest.MonkeyPatch) -> None:
    for form in ((), ("--json",)):
        buffer = io.BytesIO()
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="ascii"))
        assert main(["figures", *form]) == 0
        sys.stdout.flush()
        text = buffer.getvalue().decode("ascii")
        if form:
            assert json.loads(text)["differences"]
        else:
            assert "Japan\\u2019s current annual defence budget is $23 billion." in text


def test_the_bundled_library_shows_troops_and_budgets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["figures"]) == 0
    out = capsys.readouterr().out
    assert "GMI POST: approximately 54,000 troops" in out
    assert ": 55,000 U.S. personnel" in out
    assert "GMI POST: $23 billion" in out and ": $95.2 billion" in out
    assert out.splitlines()[-1].split()[1:4] == ["differences", "between", "sources"]


def test_hostile_file_names_and_text_reach_the_terminal_inert(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile = root / "seeds" / "post\x1b]0;owned\x07.md"
    hostile.write_text("\x1b[2J" + POST, encoding="utf-8")
    text = BRIEF.replace("  post: seeds/post.md", '  post: "seeds/post\\e]0;owned\\a.md"')
    (root / "briefs" / "forces.yaml").write_text(text, encoding="utf-8")
    assert main(["figures", str(root)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out
    assert "post\\x1b]0;owned\\x07.md [conflicts]: 55,000 personnel" in out
