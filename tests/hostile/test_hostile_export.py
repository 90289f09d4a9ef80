"""Exporting the hostile briefs: inert Markdown, exact JSON selectors, nothing raw printed."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from briefing_tui.cli import main
from briefing_tui.core.library.loader import load_library

UNSAFE_OUTPUT = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200b]")
VALID_BRIEFS = ("escapes", "markup", "hostile_strings", "long_line", "front_matter")


@pytest.mark.parametrize("name", VALID_BRIEFS)
@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_export_of_hostile_briefs_prints_nothing_raw(
    hostile_library: Path, capsys: pytest.CaptureFixture[str], name: str, fmt: str
) -> None:
    assert main(["export", name, str(hostile_library), "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert UNSAFE_OUTPUT.search(out) is None


def test_markdown_keeps_markup_and_structure_inert(
    hostile_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["export", "markup.yaml", str(hostile_library)]) == 0
    out = capsys.readouterr().out
    assert "> Bridge one: the mayor opened the bridge.\n" in out
    assert main(["export", "hostile_strings", str(hostile_library)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# Brief strings \u241b with \\[@click=app.quit\\]markup\\[/\\]\n")
    assert "Summary \u241b and HOSTILE-BRIEF-RLO \\[bold\\]x\\[/\n" in out
    assert "Tags: \u241b, \\[link=https://hostile-tag.example\\]t\\[/link\\]\n" in out


@pytest.mark.parametrize("name", VALID_BRIEFS)
def test_json_selectors_land_on_the_characters_after_hostile_sequences(
    hostile_library: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    library = load_library(hostile_library)
    assert main(["export", name, str(hostile_library), "--format", "json"]) == 0
    document = json.loads(capsys.readouterr().out)
    passages = [p for claim in document["claims"] for p in claim["passages"]]
    assert passages
    for passage in passages:
        quote, position = passage["target"]["selector"]
        body = library.sources[passage["target"]["source"]].body  # as written: offsets count there
        assert body[position["start"] : position["end"]] == quote["exact"] == passage["quote"]
        assert body[: position["start"]].endswith(quote["prefix"])
