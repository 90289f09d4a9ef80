"""`briefing suggest`: YAML passages or JSON, errors in one line, any stdout encoding."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from builders import write_library

from briefing_tui.cli import main

WIRE = (
    "The U.S. keeps approximately 54,000 troops in Japan, officials said.\n"
    "Tariffs on steel imports were discussed at length by both trade ministers.\n"
    "Both sides agreed to review the tariff schedule for steel in Tōkyō.\n"
)
POST = "Roughly 55,000 personnel are stationed in Japan, according to the Pentagon.\n"
BRIEF = """\
title: Forces and trade
sources:
  wire: seeds/wire.txt
  post: seeds/post.md
claims:
  - id: troops
    text: About 54,000 U.S. troops are stationed in Japan.
    passages:
      - source: wire
        quote: The U.S. keeps approximately 54,000 troops in Japan
  - id: tariffs
    text: The trade ministers discussed the steel tariff schedule.
    passages:
      - source: wire
        quote: Tariffs on steel imports were discussed
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    sources: dict[str, str | bytes] = {"seeds/wire.txt": WIRE, "seeds/post.md": POST}
    return write_library(tmp_path, {"forces.yaml": BRIEF}, sources)


def test_yaml_passages_per_claim(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(root)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "#   claim 1 (troops): About 54,000 U.S. troops are stationed in Japan." in out
    assert "      - source: post\n        quote: 'Roughly 55,000 personnel" in out
    assert "#     conflicts, score" in out
    assert "        stance: context\n" in out
    assert out.rstrip().endswith("for 2 claims; no brief was changed")
    assert (root / "briefs" / "forces.yaml").read_text(encoding="utf-8") == BRIEF


def test_json_has_offsets_scores_and_reasons(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", "forces", str(root), "--json", "--limit", "1"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["format"] == "briefing-suggest/1"
    troops = document["claims"][0]
    assert troops["key"] == "troops" and len(troops["suggestions"]) == 1
    suggestion = troops["suggestions"][0]
    assert POST[suggestion["start"] : suggestion["end"]] == suggestion["quote"]
    assert suggestion["source"] == "seeds/post.md" and suggestion["declared"] is True
    assert suggestion["suggested_stance"] == "conflicts"
    assert suggestion["figures"][0]["agrees"] is False
    assert any(reason.startswith("possible conflict:") for reason in suggestion["reasons"])
    assert suggestion["yaml"].startswith("      - source: post\n")


def test_a_brief_file_alone_opens_its_library(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["suggest", str(root / "briefs" / "forces.yaml"), "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["claims"]) == 2


def test_pasted_suggestions_pass_the_check(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["suggest", str(root), "--json", "--limit", "10"]) == 0
    claims = json.loads(capsys.readouterr().out)["claims"]
    # Under the last claim, at the end of the file: every snippet must anchor wherever it goes.
    snippets = "".join(s["yaml"] for claim in claims for s in claim["suggestions"])
    assert snippets.count("- source:") >= 2
    (root / "briefs" / "forces.yaml").write_text(BRIEF + snippets, encoding="utf-8")
    assert main(["check", str(root), "--strict"]) == 0
    assert "0 errors, 0 warnings" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["suggest", "nothing-like-it"], "no brief matches"),
        (["suggest", "forces", "/no/such/place"], "no such file or folder"),
        (["suggest", "--limit", "0"], "--limit: must be from 1 to 100"),
        (["suggest", "--limit", "x"], "--limit: not a whole number"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    root: Path,
    argv: list[str],
    message: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(root)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err and err.strip().splitlines()[-1].startswith("briefing suggest")


def test_an_ascii_stdout_gets_escapes_not_a_crash(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="ascii"))
    assert main(["suggest", str(root), "--limit", "10"]) == 0
    sys.stdout.flush()
    assert "T\\u014dky\\u014d" in buffer.getvalue().decode("ascii")
