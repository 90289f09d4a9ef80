"""`briefing [PATH] [--watch]`: open the reader on a library (the bundled one by default)."""

from __future__ import annotations

import argparse
import gc

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError

SUMMARY = "Read a library of multi-source briefs in the terminal."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing` itself."""
    parser.add_argument(
        "path", nargs="?", help="library root or brief file (default: the bundled library)"
    )
    parser.add_argument(
        "--watch",
        action="store_true",
        help="reload when a brief or source changes, keeping the place",
    )


def run(args: argparse.Namespace) -> int:
    """Load the library, then run the reader until the user quits."""
    # Performance: everything start-up makes (modules, the library, the widgets) lives on, so
    # collecting garbage before the first paint walks it all for nothing (50 ms of 300 on
    # the bundled library). The app starts the collector again after its first paint.
    gc.disable()
    # Imported here, not at the top: `briefing --help` and the subcommands need none of it.
    from briefing_tui.core.library.loader import LibraryError, LibraryReader, locate_library

    try:
        reader = LibraryReader(locate_library(args.path))
        library = reader.read().library
    except LibraryError as error:
        raise CliError(f"briefing: {error}", EXIT_USAGE) from error
    from briefing_tui.ui.app import make_app

    make_app(library, reader, watch=args.watch).run()
    return EXIT_OK
