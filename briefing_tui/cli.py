"""The command-line front door: open the reader, check, search, export."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from briefing_tui import __version__

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
SUBCOMMANDS = ("check", "search", "export")


class CliError(Exception):
    """A problem to report in one line on stderr, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    """An argparse parser that exits with code 2 and one clear line on bad usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


def _add_common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")


def build_parser(subcommand: str | None) -> argparse.ArgumentParser:
    """The parser for the reader (no subcommand) or for one subcommand."""
    if subcommand is None:
        parser = _Parser(
            prog="briefing",
            description="Read a library of multi-source briefs. Subcommands: "
            + ", ".join(SUBCOMMANDS)
            + " (see `briefing SUBCOMMAND --help`).",
        )
        _add_common(parser)
        parser.add_argument(
            "path", nargs="?", help="library root or brief file (default: the bundled library)"
        )
        return parser
    parser = _Parser(prog=f"briefing {subcommand}")
    _add_common(parser)
    if subcommand == "check":
        parser.description = "Validate a library: every problem as file:line:col: level: message."
        parser.add_argument("path", nargs="?", help="library root or brief file")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument("--strict", action="store_true", help="warnings fail the check too")
    elif subcommand == "search":
        parser.description = "Search sources, claims, notes and briefs, as the reader does."
        parser.add_argument("query", help="the query, in the reader's search syntax")
        parser.add_argument("path", nargs="?", help="library root or brief file")
        parser.add_argument("--json", action="store_true", help="print results as JSON")
        parser.add_argument("--limit", type=int, default=20, help="most results (default 20)")
    elif subcommand == "export":
        parser.description = "Export a brief with its claims, quotes, stances and citations."
        parser.add_argument("brief", help="the brief: its file path, file name or title")
        parser.add_argument("path", nargs="?", help="library root")
        parser.add_argument(
            "--format", choices=("markdown", "json"), default="markdown", help="output format"
        )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the command and return its exit code."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    subcommand = args_list[0] if args_list and args_list[0] in SUBCOMMANDS else None
    try:
        args = build_parser(subcommand).parse_args(args_list[1:] if subcommand else args_list)
        module = importlib.import_module(f"briefing_tui.commands.{subcommand or 'read'}")
        return int(module.run(args))
    except CliError as error:
        print(error, file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # a user never sees a traceback; say what broke in one line
        print(f"briefing: internal error: {type(error).__name__}: {error}", file=sys.stderr)
        return EXIT_ERRORS
