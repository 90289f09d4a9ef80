"""Writing YAML that reads back as written: keys, text scalars, and passages to paste."""

from __future__ import annotations

import re
from typing import Any

import yaml

# The indentation of a passage under a claim's `passages:` in the README's brief format.
PASSAGE_INDENT = " " * 6


def passage_yaml(
    source_key: str,
    quote: str,
    stance: str,
    note: str | None = None,
    prefix: str | None = None,
    suffix: str | None = None,
) -> str:
    """A passage as YAML to paste under a claim's `passages:`, prefix and suffix when given."""
    inner = PASSAGE_INDENT + "  "
    lines = [
        f"{PASSAGE_INDENT}- source: {yaml_key(source_key)}",
        f"{inner}quote: {yaml_scalar(quote)}",
    ]
    if prefix:
        lines.append(f"{inner}prefix: {yaml_scalar(prefix)}")
    if suffix:
        lines.append(f"{inner}suffix: {yaml_scalar(suffix)}")
    lines.append(f"{inner}stance: {stance}")
    if note:
        lines.append(f"{inner}note: {yaml_scalar(note)}")
    return "\n".join(lines) + "\n"


# What a single-quoted YAML scalar cannot hold as it is: line breaks and tabs (folded or
# trimmed there; PyYAML breaks lines at U+2028 and U+2029 too), and the characters YAML
# forbids in a stream. Listed, not as the complement of what is allowed: a negated class
# reaching U+10FFFF takes 6 ms to compile, paid by every start of the reader.
_NOT_SINGLE_QUOTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")


# A key may be written plainly when it is a name that YAML reads back as text, not as a
# number, a date, true or null.
_PLAIN_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_RESOLVER: Any = yaml.SafeLoader("")  # untyped in types-PyYAML
_STR_TAG = "tag:yaml.org,2002:str"


def yaml_key(key: str) -> str:
    """A source key as YAML: plain when it can be (`analysis`), else quoted."""
    plain = _PLAIN_KEY.fullmatch(key) is not None
    if plain and _RESOLVER.resolve(yaml.ScalarNode, key, (True, False)) == _STR_TAG:
        return key
    return yaml_scalar(key)


def yaml_scalar(text: str) -> str:
    """A quoted YAML scalar for text: single-quoted ('' for '), or double-quoted with escapes."""
    if not _NOT_SINGLE_QUOTABLE.search(text):
        return "'" + text.replace("'", "''") + "'"
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _NOT_SINGLE_QUOTABLE.sub(_escape, escaped) + '"'


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    named = {0x0A: "\\n", 0x09: "\\t"}.get(code)
    if named is not None:
        return named
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
