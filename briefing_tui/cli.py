"""The command-line front door: the reader, or one subcommand of `briefing_tui.commands`."""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from briefing_tui import __version__
from briefing_tui.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, READER, CliError, command_names


class _Parser(argparse.ArgumentParser):
    """An argparse parser that exits with status 2 and one clear line on bad usage."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        raise CliError(f"{self.prog}: {message}", EXIT_USAGE)


class _ReaderParser(_Parser):
    """The parser of `briefing` itself, whose help lists the subcommands."""

    def format_help(self) -> str:
        # Listing the subcommands imports each one: only when help is asked for.
        lines = [f"  {name:<9} {_command(name).SUMMARY}" for name in command_names()]
        listing = "subcommands (see `briefing SUBCOMMAND --help`):\n" + "\n".join(lines)
        return super().format_help() + "\n" + listing + "\n"


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"briefing_tui.commands.{name}")


def build_parser(subcommand: str | None) -> argparse.ArgumentParser:
    """The parser for the reader (no subcommand) or for one subcommand."""
    module = _command(subcommand or READER)
    parser_class = _Parser if subcommand else _ReaderParser
    parser = parser_class(
        prog=f"briefing {subcommand}" if subcommand else "briefing", description=module.SUMMARY
    )
    parser.add_argument("--version", action="version", version=f"briefing {__version__}")
    module.configure(parser)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line, run the command and return its exit status."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    subcommand = args_list[0] if args_list and args_list[0] in command_names() else None
    try:
        args = build_parser(subcommand).parse_args(args_list[1:] if subcommand else args_list)
        return int(_command(subcommand or READER).run(args))
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
