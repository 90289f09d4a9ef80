"""The brief schema agrees with `briefing check` and with the README's table of keys."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from builders import LibraryMaker

from briefing_tui.core.library.briefs import BRIEF_KEYS, CLAIM_KEYS, PASSAGE_KEYS, SOURCE_ENTRY_KEYS
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.sources import FileProblem, read_utf8
from briefing_tui.core.library.yamlsafe import YamlError, parse_yaml
from briefing_tui.core.schema import (
    BRIEF,
    CLAIM,
    PASSAGE,
    SOURCE,
    brief_schema,
    header,
    reference_markdown,
)

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = ROOT / "tests" / "hostile" / "library"
VALIDATOR = jsonschema.Draft202012Validator(brief_schema())
# The messages of `check` that are about a brief's structure, which the schema can see;
# the others need the files (paths, quotes) or cross-references (declared sources, ids).
STRUCTURAL = re.compile(
    r"^missing '|^'\w+' must be (text|a name|a list)|^'sources' must map|^unknown stance"
    r"|^unknown key|^'\w+' is empty|^a claim needs|^a (brief|claim|passage) must be a mapping"
    r"|must be a path or a mapping|is missing 'path'"
)


def _valid(document: Any) -> bool:
    return VALIDATOR.is_valid(document)


def test_the_schema_is_draft_2020_12() -> None:
    schema = brief_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:")
    jsonschema.Draft202012Validator.check_schema(schema)


def test_the_keys_are_the_loaders() -> None:
    assert tuple(key.name for key in BRIEF) == BRIEF_KEYS
    assert tuple(key.name for key in SOURCE) == SOURCE_ENTRY_KEYS
    assert tuple(key.name for key in CLAIM) == CLAIM_KEYS
    assert tuple(key.name for key in PASSAGE) == PASSAGE_KEYS
    stance = brief_schema()["$defs"]["passage"]["properties"]["stance"]
    assert stance["enum"] == ["supports", "conflicts", "context", None]


def _brief_files() -> list[Path]:
    return sorted((ROOT / "briefs").glob("*.yaml")) + sorted((HOSTILE / "briefs").glob("*.yaml"))


@pytest.mark.parametrize("file", _brief_files(), ids=lambda file: file.name)
def test_schema_and_check_agree_on_every_brief_file(file: Path) -> None:
    try:
        document = parse_yaml(read_utf8(file, 1 << 20))
    except (YamlError, FileProblem):  # not YAML data: `check` says so, a schema cannot
        pytest.skip("not YAML data")
    library = load_library(file)
    messages = [d.message for d in library.diagnostics if d.path.endswith(file.name)]
    if not messages:
        assert _valid(document), file.name
    if _valid(document):
        assert not [m for m in messages if STRUCTURAL.search(m)]
    if any(STRUCTURAL.search(m) for m in messages):
        assert not _valid(document), messages


def test_the_bundled_briefs_are_valid() -> None:
    for file in sorted((ROOT / "briefs").glob("*.yaml")):
        errors = [e.message for e in VALIDATOR.iter_errors(parse_yaml(file.read_text("utf-8")))]
        assert errors == [], file.name


def test_the_test_brief_is_valid(good_brief: str) -> None:
    assert _valid(parse_yaml(good_brief))


# Each mutation of a good brief is a structural problem: `check` reports it (an error, or a
# warning for an unknown key) and the schema rejects it.
MUTATIONS: dict[str, tuple[str, str]] = {
    "no title": ("title: Summit\n", ""),
    "empty title": ("title: Summit\n", "title: '  '\n"),
    "title a list": ("title: Summit\n", "title: [Summit]\n"),
    "tags a mapping": ("tags: [trade, security]\n", "tags: {trade: 1}\n"),
    "unknown key": ("summary: What was agreed.\n", "summry: What was agreed.\n"),
    "no sources": ("sources:\n  wire: seeds/wire.txt\n", "sourcez:\n  wire: seeds/wire.txt\n"),
    "sources a list": (
        "sources:\n  wire: seeds/wire.txt\n  post:\n    path: seeds/post.md\n"
        "    outlet: Example Post\n",
        "sources: [seeds/wire.txt, seeds/post.md]\n",
    ),
    "source a number": ("  wire: seeds/wire.txt\n", "  wire: 12\n"),
    "source mapping without path": ("    path: seeds/post.md\n", "    file: seeds/post.md\n"),
    "unknown source key": ("    outlet: Example Post\n", "    outlett: Example Post\n"),
    "claims text": ("claims:\n  - id: invest\n", "claims: none\nclaimz:\n  - id: invest\n"),
    "claim without text": ("    text: Japan will invest one trillion dollars.\n", ""),
    "claim id a list": ("  - id: invest\n", "  - id: [invest]\n"),
    "unknown claim key": (
        "    note: The sources disagree.\n",
        "    notes: The sources disagree.\n",
    ),
    "no passages": (
        "    passages:\n      - source: wire\n"
        "        quote: Japan will invest one trillion dollars\n"
        "      - source: post\n        quote: Japan will invest one trillion dollars, "
        "officials said\n",
        "    passages: []\n",
    ),
    "passage without quote": ("        quote: The talks lasted two hours.\n", ""),
    "passage without source": (
        "      - source: wire\n        quote: The talks",
        "      - quote: The talks",
    ),
    "quote a number": ("        quote: The talks lasted two hours.\n", "        quote: 2\n"),
    "unknown stance": ("        stance: conflicts\n", "        stance: refutes\n"),
    "unknown passage key": ("        note: says three, not two\n", "        nota: says three\n"),
    "passage a text": (
        "      - source: wire\n        quote: The talks lasted two hours.\n",
        "      - The talks lasted two hours.\n",
    ),
}


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_what_check_rejects_for_its_structure_the_schema_rejects(
    name: str, good_brief: str, make_library: LibraryMaker
) -> None:
    old, new = MUTATIONS[name]
    assert old in good_brief
    text = good_brief.replace(old, new, 1)
    library = load_library(make_library({"brief.yaml": text}))
    messages = [d.message for d in library.diagnostics]
    assert any(STRUCTURAL.search(m) for m in messages), messages
    assert not _valid(parse_yaml(text))


def test_the_good_brief_checks_clean_and_validates(
    good_brief: str, make_library: LibraryMaker
) -> None:
    assert load_library(make_library({"brief.yaml": good_brief})).diagnostics == ()
    assert _valid(parse_yaml(good_brief))


def test_optional_values_may_be_left_empty(good_brief: str) -> None:
    text = good_brief.replace("summary: What was agreed.", "summary:").replace(
        "        stance: conflicts\n", "        stance:\n"
    )
    assert _valid(parse_yaml(text))


def _format_section() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    start = readme.index("## The library format")
    return readme[start : readme.index("\n## ", start + 1)]


def test_the_readme_table_is_the_schemas() -> None:
    section = _format_section()
    assert reference_markdown() in section
    schema = brief_schema()
    tables = [
        (BRIEF, schema["properties"]),
        (SOURCE, schema["$defs"]["source"]["anyOf"][1]["properties"]),
        (CLAIM, schema["$defs"]["claim"]["properties"]),
        (PASSAGE, schema["$defs"]["passage"]["properties"]),
    ]
    for keys, properties in tables:
        for key in keys:
            assert f"`{key.name}`" in section
            assert properties[key.name]["description"] == key.description
            assert f"| {key.description} |" in section


def test_the_readme_shows_the_header_and_how_to_write_the_schema() -> None:
    section = _format_section()
    assert header("../brief.schema.json") in section
    assert "briefing schema > brief.schema.json" in section
