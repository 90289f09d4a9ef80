"""`briefing serve [PATH]`: the reader in a browser on this machine, one reader per tab.

Each tab runs `briefing` itself, so the tabs share the reading state of the library as
two terminals would: a new tab opens where the last reader left, unless `--fresh`.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from briefing_tui.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, CliError

SUMMARY = "Serve the reader to a web browser on this machine (needs the web extra)."
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def _port(value: str) -> int:
    """A TCP port number for argparse."""
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {port}")
    return port


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing serve`."""
    parser.add_argument(
        "path", nargs="?", help="library root or brief file (default: the bundled library)"
    )
    parser.add_argument(
        "--host",
        default=DEFAULT_HOST,
        help=f"address to listen on (default: {DEFAULT_HOST}, reachable from this machine only)",
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="each tab opens on the first topic, not where the last reader left this library",
    )
    parser.add_argument(
        "--no-state",
        action="store_true",
        help="the tabs remember nothing: no place, bookmarks or notes are read or written",
    )
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="each tab indexes the library afresh, reading and writing no index cache",
    )
    parser.add_argument(
        "--allow-remote",
        action="store_true",
        help="allow a --host other machines can reach: anyone who reaches it reads the library",
    )


def run(args: argparse.Namespace) -> int:
    """Check the library and the address, then serve until interrupted."""
    from briefing_tui.core.library.loader import LibraryError, locate_library
    from briefing_tui.core.library.text import escape_name

    # The library is checked here, once, so a bad PATH fails now in one line and not in
    # every browser tab later.
    try:
        locate_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing serve: {error}", EXIT_USAGE) from error
    try:
        from briefing_tui.web.server import BriefingServer, app_command, check_address
    except ImportError as error:
        raise CliError(
            f"briefing serve: needs the web extra ({error.name} is missing):"
            " pip install 'briefing-tui[web]'",
            EXIT_USAGE,
        ) from error
    address = _address(args)
    try:
        check_address(args.host, args.port)
    except OSError as error:
        raise _cannot_listen(address, error) from None
    path = None if args.path is None else Path(args.path).resolve()
    label = "the bundled library" if path is None else escape_name(str(path))
    chosen = {"--fresh": args.fresh, "--no-state": args.no_state, "--no-cache": args.no_cache}
    options = [option for option, given in chosen.items() if given]
    command = app_command(path, options=options)
    server = BriefingServer(command, host=args.host, port=args.port, label=label)
    try:
        server.serve()
    except OSError as error:  # taken since it was checked
        raise _cannot_listen(address, error) from None
    return EXIT_OK


def _address(args: argparse.Namespace) -> str:
    """host:port to listen on, refused or warned about when other machines could reach it."""
    from briefing_tui.web.server import is_loopback, netloc

    address = netloc(args.host, args.port)
    if is_loopback(args.host):
        return address
    if not args.allow_remote:
        raise CliError(
            f"briefing serve: --host {args.host} can be reached from other machines;"
            " add --allow-remote to let anyone who reaches it read the library",
            EXIT_USAGE,
        )
    print(
        f"briefing serve: warning: anyone who can reach {address} can read this library"
        " and use the reader",
        file=sys.stderr,
    )
    return address


def _cannot_listen(address: str, error: OSError) -> CliError:
    """The one line for an address the server cannot listen on."""
    reason = error.strerror or str(error)
    return CliError(f"briefing serve: cannot listen on {address}: {reason}", EXIT_ERRORS)
