"""`briefing [PATH] [--watch] [--fresh] [--no-state] [--no-cache]`: open the reader."""

from __future__ import annotations

import argparse
import gc
import os
import sys

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError

SUMMARY = "Read a library of multi-source briefs in the terminal."
# Textual draws at most TEXTUAL_FPS frames a second, 60 unless set. After a key that changes
# what a pane holds it draws the panes' scrollbars in a frame of their own, the next one, so
# every such key waits a frame period more: 8 ms at 120, not 17 (bench/bench_bigsource.py).
FRAMES_PER_SECOND = "120"


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
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="open on the first topic, not where you left this library",
    )
    parser.add_argument(
        "--no-state",
        action="store_true",
        help="remember nothing: no place, bookmarks or notes are read or written",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="read every file afresh and index for search afresh, "
        "reading and writing no library or index cache",
    )


def run(args: argparse.Namespace) -> int:
    """Load the library, then run the reader until the user quits."""
    if not has_terminal():
        raise CliError(
            "briefing: the reader needs a terminal; for scripts use `briefing check`, "
            "`briefing search` or `briefing export`",
            EXIT_USAGE,
        )
    # Read when Textual is first imported, below; a frame rate the user set is kept.
    os.environ.setdefault("TEXTUAL_FPS", FRAMES_PER_SECOND)
    # Start-up makes objects that all live on (modules, the library, the screen's widgets):
    # the cyclic collector would walk them again and again and free none. The reader turns
    # it back on once its first screen is drawn.
    gc.disable()
    try:
        return _read(args)
    finally:
        gc.enable()  # had the reader not come to draw


def _read(args: argparse.Namespace) -> int:
    """Load the library and run the reader on it."""
    # Imported here, not at the top: `briefing --help` and the subcommands need none of it.
    from briefing_tui.core.library.cache import open_reader
    from briefing_tui.core.library.loader import LibraryError, locate_library

    use_cache = not args.no_cache
    try:
        # Seeded from the library cache, the reader reads only the files that changed.
        reader = open_reader(locate_library(args.path), use_cache=use_cache)
        reading = reader.read()
    except LibraryError as error:
        raise CliError(f"briefing: {error}", EXIT_USAGE) from error
    library = reading.library
    from briefing_tui.core.state import StateStore
    from briefing_tui.ui.app import BriefingApp

    store = None if args.no_state else StateStore.open(library.root)
    app = BriefingApp(
        library,
        reader,
        watch=args.watch,
        store=store,
        fresh=args.fresh,
        search_cache=use_cache,
        # Written again only if a file was read: else the cache holds just what it would.
        library_cache=use_cache and reading.files_read > 0,
        terminal=sys.stdin.fileno() if sys.stdin.isatty() else None,
    )
    app.run()
    return EXIT_OK


def has_terminal() -> bool:
    """Whether the reader has somewhere to run: a terminal on stdin and stdout, or a driver.

    Without one, Textual would wait for keys that never come, at full speed, forever.
    `briefing serve` runs the reader on pipes with TEXTUAL_DRIVER naming its web driver.
    """
    if os.environ.get("TEXTUAL_DRIVER"):
        return True
    return all(stream is not None and stream.isatty() for stream in (sys.stdin, sys.stdout))
