"""`briefing notes [PATH] --format markdown|json`: the reader's bookmarks and notes, printed."""

from __future__ import annotations

import argparse
import sys

from briefing_tui.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, CliError
from briefing_tui.core.annotations import resolve_all, to_json, to_markdown
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.state import StateStore

SUMMARY = "Print the reader's bookmarks and notes (Markdown, or W3C Web Annotations as JSON)."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing notes`."""
    parser.add_argument(
        "path", nargs="?", help="library root or brief file (default: the bundled library)"
    )
    parser.add_argument(
        "--format", choices=("markdown", "json"), default="markdown", help="output format"
    )


def run(args: argparse.Namespace) -> int:
    """Read the library and its reading state (writing nothing) and print the annotations."""
    try:
        library = load_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing notes: {error}", EXIT_USAGE) from None
    store = StateStore.open(library.root, writable=False)
    resolved = resolve_all(library, store.annotations())
    sys.stdout.write(to_json(resolved) if args.format == "json" else to_markdown(library, resolved))
    notice = store.take_notice()
    if notice is not None:
        # What could not be read is not in the output: say so, and fail.
        print(f"briefing notes: {notice}", file=sys.stderr)
        return EXIT_ERRORS
    return EXIT_OK
