"""Reading untrusted files: size-limited UTF-8 text, and source files with their front matter."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from briefing_tui.core.library.model import META_KEYS, Diagnostic, Level, Source, SourceMeta
from briefing_tui.core.library.text import WrittenText, normalise_newlines, one_line, sanitise
from briefing_tui.core.library.yamlsafe import YamlError, YamlMapping, parse_yaml

MAX_SOURCE_BYTES = 16 << 20  # 16 MiB: three times the largest source the reader must handle
_SHOWN_KEY_CHARS = 60  # of an unknown front matter key, in its message

_OPENING = re.compile(r"---[ \t]*\n")
_CLOSING = re.compile(r"^---[ \t]*$", re.MULTILINE)


class FileProblem(Exception):
    """A file could not be read as text; the message is one line, the line is where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def describe_size(size: int) -> str:
    """A byte count for people: 16 MiB, 1.5 MiB, 900 KiB."""
    if size >= 1 << 20:
        return f"{size / (1 << 20):.3g} MiB"
    return f"{size / 1024:.3g} KiB"


def read_utf8(path: str | Path, limit: int) -> str:
    """A file's text: at most `limit` bytes of UTF-8, BOM stripped, newlines normalised."""
    try:
        with open(path, "rb") as stream:
            # Never more than limit + 1 bytes: a huge file is refused, not read. Asking for
            # that much at once costs a buffer of that size (16 MiB, 20 µs a source) however
            # small the file, so the size it states is asked for, then the rest if it grew.
            wanted = min(os.fstat(stream.fileno()).st_size, limit) + 1
            data = stream.read(wanted)
            if len(data) == wanted < limit + 1:
                data += stream.read(limit + 1 - wanted)
    except OSError as error:
        raise FileProblem(f"cannot read the file: {error.strerror or error}") from None
    if len(data) > limit:
        raise FileProblem(f"the file is larger than the {describe_size(limit)} limit")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(
            f"not UTF-8: byte 0x{data[error.start]:02x} at byte offset {error.start}", line
        ) from None
    return normalise_newlines(text.removeprefix("\ufeff"))


class FrontMatter(NamedTuple):
    """A text split into its front matter (None when it has none) and its body."""

    yaml: str | None
    body: str
    body_line: int  # line of the file on which the body starts


def split_front_matter(text: str) -> FrontMatter:
    """Split YAML front matter between two `---` lines at the very top from the body."""
    opening = _OPENING.match(text)
    if opening is None:
        return FrontMatter(None, text, 1)
    closing = _CLOSING.search(text, opening.end())
    if closing is None:
        return FrontMatter(None, text, 1)
    body_start = min(closing.end() + 1, len(text))
    body_line = text.count("\n", 0, body_start) + 1
    return FrontMatter(text[opening.end() : closing.start()], text[body_start:], body_line)


def _meta_value(value: Any) -> str | None:
    if isinstance(value, str):
        return sanitise(value).strip() or None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def parse_front_matter(yaml_text: str, path: str) -> tuple[SourceMeta, list[Diagnostic]]:
    """The metadata a source's front matter states, with a diagnostic for each problem."""
    diagnostics: list[Diagnostic] = []

    def report(level: Level, message: str, line: int, column: int | None = None) -> None:
        diagnostics.append(Diagnostic(path, level, message, line, column))

    try:
        data = parse_yaml(yaml_text)
    except YamlError as error:
        # The front matter starts on line 2, after the opening `---`.
        line, column = (error.mark.line + 1, error.mark.column) if error.mark else (1, None)
        report(Level.ERROR, f"front matter: {error.message}", line, column)
        return SourceMeta(), diagnostics
    if data is None:
        return SourceMeta(), diagnostics
    if not isinstance(data, YamlMapping):
        report(Level.ERROR, "front matter must be a mapping of keys to values", 2, 1)
        return SourceMeta(), diagnostics
    values: dict[str, str] = {}
    for key, value in data.items():
        if key not in META_KEYS:
            key_line, key_column = data.key_mark(key)  # taken only for a report
            known = ", ".join(META_KEYS)
            report(
                Level.WARNING,
                f"unknown front matter key {one_line(key, _SHOWN_KEY_CHARS)!r} (known: {known})",
                key_line + 1,
                key_column,
            )
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            continue  # stated as unknown
        text = _meta_value(value)
        if text is None:
            value_line, value_column = data.value_mark(key)
            report(
                Level.WARNING,
                f"front matter {key!r} must be text; ignored",
                value_line + 1,
                value_column,
            )
        else:
            values[key] = text
    return SourceMeta(**values), diagnostics


def load_source(file: str | Path, path: str) -> tuple[Source | None, list[Diagnostic]]:
    """Read one source file (`path` is its library-relative name) into a Source.

    The source is None only when the file cannot be read as text at all; bad front matter
    costs only the metadata.
    """
    try:
        text = read_utf8(file, MAX_SOURCE_BYTES)
    except FileProblem as problem:
        return None, [Diagnostic(path, Level.ERROR, problem.message, problem.line)]
    front = split_front_matter(text)
    diagnostics: list[Diagnostic] = []
    meta = SourceMeta()
    if front.yaml is not None:
        meta, diagnostics = parse_front_matter(front.yaml, path)
    elif _OPENING.match(text):
        diagnostics.append(
            Diagnostic(
                path,
                Level.WARNING,
                "front matter has no closing --- line; the whole file is read as text",
                1,
                1,
            )
        )
    text = sanitise(front.body)
    # The body as written is kept only where it differs, for exports to count into it.
    written = None if text == front.body else WrittenText(front.body)
    return Source(path, text, meta, front.body_line, written), diagnostics
