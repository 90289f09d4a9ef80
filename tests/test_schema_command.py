"""`briefing schema`: the JSON Schema on stdout, or the README's table of keys."""

from __future__ import annotations

import json

import jsonschema
import pytest

from briefing_tui.cli import main
from briefing_tui.core.schema import brief_schema, reference_markdown


def test_prints_the_schema_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    schema = json.loads(out)
    assert schema == brief_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert out.isascii()  # safe to redirect to a file on any locale


def test_prints_the_table_of_keys(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--markdown"]) == 0
    assert capsys.readouterr().out == reference_markdown()


def test_help_says_how_to_use_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["schema", "--help"])
    assert "yaml-language-server" in capsys.readouterr().out


def test_unknown_arguments_are_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--yaml"]) == 2
    assert "unrecognized arguments: --yaml" in capsys.readouterr().err
