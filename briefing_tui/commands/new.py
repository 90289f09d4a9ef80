"""`briefing new TITLE [PATH]`: a brief skeleton listing the library's sources to pick from."""

from __future__ import annotations

import argparse
import json
import os
import re
import unicodedata
from pathlib import Path

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError
from briefing_tui.commands.suggest import write_stdout
from briefing_tui.core.library.loader import BRIEF_SUFFIXES, SOURCE_SUFFIXES
from briefing_tui.core.library.text import escape_name, one_line
from briefing_tui.core.schema import SCHEMA_FILE, brief_schema, header
from briefing_tui.core.yamlwrite import yaml_key, yaml_scalar

SUMMARY = "Write a new brief, briefs/<slug>.yaml, listing the library's sources to pick from."
MAX_SLUG = 60  # characters of the file name made from the title
MAX_KEY = 32
MAX_LISTED = 200  # source files listed in the new brief
MAX_VISITED = 20_000  # files looked at under the library root, at most
_SKELETON = """\
# claims:
#   - id: first-claim
#     text: The claim, in one sentence.
#     passages:
#       - source: KEY
#         quote: 'verbatim text of the source'
#         stance: supports   # supports | conflicts | context
"""


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing new`."""
    parser.add_argument("title", help="the topic's title; the file is named after it")
    parser.add_argument("path", nargs="?", default=".", help="library root (default: here)")


def run(args: argparse.Namespace) -> int:
    """Write the brief (never over an existing file) and say where it went."""
    title = one_line(args.title)
    if not title:
        raise CliError("briefing new: the title is empty", EXIT_USAGE)
    root = Path(args.path)
    if not root.is_dir():
        raise CliError(f"briefing new: {escape_name(args.path)}: no such folder", EXIT_USAGE)
    root = root.resolve()
    folder = _brief_folder(root)
    target = folder / f"{slug(title)}.yaml"
    shown = escape_name(target.relative_to(root).as_posix())
    listed, more = _source_files(root)
    schema_path = SCHEMA_FILE if folder == root else f"../{SCHEMA_FILE}"
    text = brief_text(title, schema_path, listed, more)
    try:
        folder.mkdir(exist_ok=True)
        with open(target, "x", encoding="utf-8") as file:  # "x": never over an existing brief
            file.write(text)
    except FileExistsError:
        raise CliError(
            f"briefing new: {shown} already exists; not overwritten", EXIT_USAGE
        ) from None
    except OSError as error:
        raise CliError(f"briefing new: {shown}: {error.strerror or error}", EXIT_USAGE) from None
    count = f"{len(listed)}{'+' if more else ''} source{'s' if len(listed) != 1 else ''}"
    lines = [f"wrote {shown} ({count} listed: uncomment the ones it quotes)"]
    schema_file = root / SCHEMA_FILE
    if not schema_file.exists():
        schema_file.write_text(json.dumps(brief_schema(), indent=2) + "\n", encoding="utf-8")
        lines.append(f"wrote {SCHEMA_FILE}, which its first line names for your editor")
    write_stdout("\n".join(lines) + "\n")
    return EXIT_OK


def slug(title: str) -> str:
    """A file name from a title: ASCII, lower case, hyphens, at most MAX_SLUG characters."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    name = ""
    for word in words:
        if len(name) + len(word) + 1 > MAX_SLUG:
            break
        name = f"{name}-{word}" if name else word
    return name or (words[0][:MAX_SLUG] if words else "brief")


def _brief_folder(root: Path) -> Path:
    """briefs/ when it is there or nothing else is; the root itself for a flat library."""
    briefs = root / "briefs"
    if briefs.is_dir():
        return briefs
    flat = any(
        entry.suffix.lower() in BRIEF_SUFFIXES and entry.is_file() for entry in root.iterdir()
    )
    return root if flat else briefs


def _source_files(root: Path) -> tuple[list[str], bool]:
    """The first MAX_LISTED source files under the root (relative posix paths), and if more."""
    found: list[str] = []
    visited = 0
    more = False
    prefix = os.path.join(str(root), "")
    for folder, folders, files in os.walk(root):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        for name in sorted(files):
            visited += 1
            if visited > MAX_VISITED:
                return found, True
            if name.startswith(".") or os.path.splitext(name)[1].lower() not in SOURCE_SUFFIXES:
                continue
            full = os.path.join(folder, name)
            if not os.path.realpath(full).startswith(prefix) or not os.path.isfile(full):
                continue  # a link out of the library, which `check` would refuse
            relative = Path(full).relative_to(root).as_posix()
            try:
                relative.encode("utf-8")
            except UnicodeEncodeError:
                continue  # a name that is not text: no brief could name it
            if len(found) == MAX_LISTED:
                more = True
                continue
            found.append(relative)
    return sorted(found), more


def brief_text(title: str, schema_path: str, sources: list[str], more: bool) -> str:
    """The new brief: header, title, sources commented out, and a claim to copy."""
    lines = [
        header(schema_path),
        f"title: {yaml_scalar(title)}",
        "# summary: What the sources say on this topic, in a sentence or two.",
        "# tags: []",
        "sources:",
    ]
    if sources:
        lines.append("  # Uncomment the sources this brief quotes (rename the keys as you like):")
    else:
        lines.append("  # No .txt or .md file was found under the library root.")
    taken: set[str] = set()
    for path in sources:
        key = _key(path, taken)
        taken.add(key)
        lines.append(f"  # {yaml_key(key)}: {_path_scalar(path)}")
    if more:
        lines.append(f"  # … and more: only the first {MAX_LISTED} files are listed.")
    return "\n".join(lines) + "\n" + _SKELETON


def _key(path: str, taken: set[str]) -> str:
    """A neutral key for a source: its file name, slugged, unique in the brief."""
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    key = "-".join(re.findall(r"[a-z0-9]+", stem.lower()))[:MAX_KEY].strip("-") or "source"
    unique, number = key, 2
    while unique in taken:
        unique, number = f"{key}-{number}", number + 1
    return unique


def _path_scalar(path: str) -> str:
    """A path as YAML: as it is when it is safe to show, else with every odd character escaped."""
    if escape_name(path) == path:
        return yaml_scalar(path)
    escaped = "".join(
        char if " " <= char <= "~" and char not in '"\\' else _escape(char) for char in path
    )
    return f'"{escaped}"'


def _escape(char: str) -> str:
    code = ord(char)
    if char in '"\\':
        return "\\" + char
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"
