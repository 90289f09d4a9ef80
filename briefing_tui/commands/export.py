"""`briefing export BRIEF [PATH] --format markdown|json`: one brief, printed for sharing."""

from __future__ import annotations

import argparse

from briefing_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    path_kind,
    stdout_encodes,
    unicode_stdout,
    write_stdout,
)
from briefing_tui.core.export import BriefLookupError, find_brief, to_json, to_markdown
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.library.model import Library

SUMMARY = "Export a brief with its claims, quotes, stances and citations."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing export`."""
    parser.add_argument("brief", help="the brief: its file path, file name or title")
    parser.add_argument("path", nargs="?", help="library root")
    parser.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )


def run(args: argparse.Namespace) -> int:
    """Load the library, find the brief and print it in the chosen format."""
    library = _load(args.path, args.brief)
    try:
        brief = find_brief(library, args.brief)
    except BriefLookupError as error:
        raise CliError(f"briefing export: {error}", EXIT_USAGE) from None
    if args.format == "json":
        write_stdout(to_json(brief, ascii_only=not unicode_stdout()))
    else:
        write_stdout(to_markdown(brief, ascii_only=not stdout_encodes("\u2014")))
    return EXIT_OK


def _load(path: str | None, brief: str) -> Library:
    # A brief given as a file path with no library path opens the library that holds it.
    target: str | None = path
    if target is None and path_kind(brief) == "file":
        target = brief
    try:
        return load_library(target)
    except LibraryError as error:
        raise CliError(f"briefing export: {error}", EXIT_USAGE) from None
