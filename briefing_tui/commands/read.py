"""`briefing [PATH]`: open the reader on a library (the bundled one by default)."""

from __future__ import annotations

import argparse

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError

SUMMARY = "Read a library of multi-source briefs in the terminal."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing` itself."""
    parser.add_argument(
        "path", nargs="?", help="library root or brief file (default: the bundled library)"
    )


def run(args: argparse.Namespace) -> int:
    """Load the library, then run the reader until the user quits."""
    from briefing_tui.core.library.loader import LibraryError, load_library

    try:
        library = load_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing: {error}", EXIT_USAGE) from error
    from briefing_tui.ui.app import make_app

    make_app(library).run()
    return EXIT_OK
