"""The keys of a brief file, described once: the JSON Schema and the README's table come from here.

The schema is as strict as `briefing check --strict`: what `check` reports as an error
(a missing key, a wrong type, an unknown stance) or as a warning (an unknown key, usually a
typo) the schema rejects too. What only the files can tell (a source path that leads
nowhere, a quote its source does not hold) is left to `check`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SCHEMA_ID = "urn:briefing:brief:1"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_FILE = "brief.schema.json"  # the name `briefing new` points its header at
STANCES = ("supports", "conflicts", "context")

_TEXT: dict[str, Any] = {"type": "string", "pattern": r"\S"}  # not empty, not only spaces
_OPTIONAL_TEXT: dict[str, Any] = {"type": ["string", "null"]}
_NAME: dict[str, Any] = {"type": ["string", "integer"], "pattern": r"\S"}


@dataclass(frozen=True, slots=True)
class Key:
    """One key of a mapping in a brief: its value's schema, shown type, and what it means."""

    name: str
    value: Mapping[str, Any]
    shown: str  # the value's type in words, for the README's table
    required: bool
    description: str


BRIEF: tuple[Key, ...] = (
    Key("title", _TEXT, "text", True, "The topic's name, shown in the sidebar."),
    Key("summary", _OPTIONAL_TEXT, "text", False, "What the brief is about, in plain text."),
    Key(
        "tags",
        {"type": ["array", "string", "null"], "items": {"type": "string"}},
        "list of text",
        False,
        "Words to find the topic by (one text is one tag).",
    ),
    Key(
        "sources",
        {"type": "object", "minProperties": 1, "additionalProperties": {"$ref": "#/$defs/source"}},
        "mapping",
        True,
        "Each source the brief uses: its id, then its path or a mapping with `path`.",
    ),
    Key(
        "claims",
        {"type": ["array", "null"], "items": {"$ref": "#/$defs/claim"}},
        "list of claims",
        False,
        "The statements that matter, with their passages (a brief may only collect sources).",
    ),
)
SOURCE: tuple[Key, ...] = (
    Key(
        "path",
        _TEXT,
        "text",
        True,
        "The `.txt` or `.md` file, relative to the library root and inside it.",
    ),
    Key("title", _OPTIONAL_TEXT, "text", False, "Overrides the file's own title."),
    Key("outlet", _OPTIONAL_TEXT, "text", False, "Who published it."),
    Key("author", _OPTIONAL_TEXT, "text", False, "Who wrote it."),
    Key("published", _OPTIONAL_TEXT, "text", False, "When it was published (ISO date)."),
    Key("url", _OPTIONAL_TEXT, "text", False, "Where it was found."),
    Key("kind", _OPTIONAL_TEXT, "text", False, "report, analysis, preview, statement, …"),
    Key("note", _OPTIONAL_TEXT, "text", False, "A remark on the source, e.g. its reliability."),
)
CLAIM: tuple[Key, ...] = (
    Key("id", _NAME, "name", False, "A name for the claim, unique within the brief."),
    Key("text", _TEXT, "text", True, "The claim, in one sentence."),
    Key("note", _OPTIONAL_TEXT, "text", False, "The curator's note on the claim."),
    Key(
        "passages",
        {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/passage"}},
        "list of passages",
        True,
        "The quotes that bear on the claim: at least one.",
    ),
)
PASSAGE: tuple[Key, ...] = (
    Key("source", _NAME, "name", True, "The id of one of the brief's `sources`."),
    Key("quote", _TEXT, "text", True, "Verbatim text of that source."),
    Key(
        "stance",
        {"enum": [*STANCES, None]},
        " \\| ".join(STANCES),
        False,
        "How the quote bears on the claim (default supports).",
    ),
    Key(
        "prefix",
        _OPTIONAL_TEXT,
        "text",
        False,
        "Text just before the quote, to choose among repeated occurrences.",
    ),
    Key("suffix", _OPTIONAL_TEXT, "text", False, "Text just after the quote, likewise."),
    Key("note", _OPTIONAL_TEXT, "text", False, 'A note on the passage, e.g. "says 55,000".'),
)
# Where each table of keys sits in a brief, as the README's table names it.
TABLES: tuple[tuple[str, tuple[Key, ...]], ...] = (
    ("brief", BRIEF),
    ("source (mapping form)", SOURCE),
    ("claim", CLAIM),
    ("passage", PASSAGE),
)


def _object(keys: tuple[Key, ...], description: str) -> dict[str, Any]:
    """A JSON Schema object of these keys, no others."""
    return {
        "type": "object",
        "description": description,
        "required": [key.name for key in keys if key.required],
        "properties": {key.name: {**key.value, "description": key.description} for key in keys},
        "additionalProperties": False,
    }


def brief_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a brief file."""
    path_only = {**_TEXT, "description": SOURCE[0].description}
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "briefing brief",
        **_object(BRIEF, "One topic of a briefing library: its sources and its claims."),
        "$defs": {
            "source": {
                "description": "A source: its path, or a mapping with its path and metadata.",
                "anyOf": [path_only, _object(SOURCE, "A source's path and metadata.")],
            },
            "claim": _object(CLAIM, "A statement that matters, with its passages."),
            "passage": _object(PASSAGE, "A quote from one source that bears on the claim."),
        },
    }


def header(schema_path: str) -> str:
    """The first line of a brief that points a YAML language server at the schema."""
    return f"# yaml-language-server: $schema={schema_path}"


def reference_markdown() -> str:
    """Every key of a brief as a Markdown table (the README's), from the same descriptions."""
    lines = ["| in | key | value | required | what it is |", "| --- | --- | --- | --- | --- |"]
    for where, keys in TABLES:
        for key in keys:
            required = "yes" if key.required else "no"
            lines.append(
                f"| {where} | `{key.name}` | {key.shown} | {required} | {key.description} |"
            )
    return "\n".join(lines) + "\n"
