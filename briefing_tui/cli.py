"""The command-line front door: the reader, or one subcommand of `briefing_tui.commands`."""

from __future__ import annotations

import argparse
import errno
import importlib
import os
import sys
from collections.abc import Sequence
from types import ModuleType

from briefing_tui import __version__
from briefing_tui.commands import (
    EXIT_ERRORS,
    EXIT_USAGE,
    READER,
    CliError,
    command_names,
    prepare_streams,
)

# What writing to stdout can meet: it was closed, the disk is full, the device failed.
_WRITE_ERRNOS = frozenset({errno.EBADF, errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO})


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
    prepare_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    subcommand = args_list[0] if args_list and args_list[0] in command_names() else None
    try:
        parser = build_parser(subcommand)
        # Intermixed, so an option may come between the positionals: `export X --format json LIB`.
        args = parser.parse_intermixed_args(args_list[1:] if subcommand else args_list)
        if subcommand and sys.stdout is None:  # Python's stdout when fd 1 was closed
            raise CliError(f"briefing {subcommand}: standard output is closed", EXIT_ERRORS)
        status = int(_command(subcommand or READER).run(args))
        if sys.stdout is not None:
            sys.stdout.flush()  # so a write that fails does so here, not silently at exit
        return status
    except CliError as error:
        _say(str(error))
        return error.code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of the output went away (`| head`): nothing to say, but the command
        # did not do all it had to, so never a success (a failed check must not pass).
        _discard_stdout()
        return EXIT_ERRORS
    except OSError as error:
        if not _stdout_failed(error):
            return _internal_error(error)
        _discard_stdout()
        name = f"briefing {subcommand}" if subcommand else "briefing"
        _say(f"{name}: cannot write to standard output: {error.strerror or error}")
        return EXIT_ERRORS
    except Exception as error:
        return _internal_error(error)


def _internal_error(error: Exception) -> int:
    """A user never sees a traceback: say what broke, in one line."""
    _say(f"briefing: internal error: {type(error).__name__}: {error}")
    return EXIT_ERRORS


def _say(line: str) -> None:
    """One line on stderr, if there is a stderr."""
    if sys.stderr is not None:
        print(line, file=sys.stderr)


def _stdout_failed(error: OSError) -> bool:
    """Whether an error reaching the front door is stdout's: a failed write names no file."""
    # Every file the commands read or write is opened by name and its errors are handled
    # where it is; an error without a name from writing is the output's.
    return error.filename is None and error.errno in _WRITE_ERRNOS


def _discard_stdout() -> None:
    """Point stdout at the null device, so the exit does not fail again flushing it."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (AttributeError, OSError, ValueError):
        pass  # a stdout with no file behind it (a test's capture) has nothing to flush there
