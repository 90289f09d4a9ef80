"""`briefing check`: validate a library and report every problem with its place."""

from __future__ import annotations

import argparse

from briefing_tui.commands import EXIT_USAGE, CliError, write_json, write_stdout
from briefing_tui.core.library.loader import LibraryError, LibraryReader, locate_library
from briefing_tui.core.report import CheckReport, current_folder

SUMMARY = "Validate a library: every problem as file:line:col: level: message."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing check`."""
    parser.add_argument("path", nargs="?", help="library root or brief file")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")


def run(args: argparse.Namespace) -> int:
    """Check the library at args.path; print the report; 0 if it passes, 1 if not."""
    try:
        reader = LibraryReader(locate_library(args.path))
        reading = reader.read()
    except LibraryError as error:
        raise CliError(f"briefing check: {error}", EXIT_USAGE) from None
    briefs = len(reader.location.brief_files)
    report = CheckReport(reading.library, briefs, args.strict)
    if args.json:
        write_json(report.to_json())
    else:
        write_stdout("\n".join(report.lines(current_folder())) + "\n")
    return report.exit_status
