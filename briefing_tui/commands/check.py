"""`briefing check`: validate a library and report every problem with its place."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from briefing_tui.commands import EXIT_USAGE, CliError
from briefing_tui.core.library.loader import LibraryError, load_location, locate_library
from briefing_tui.core.report import CheckReport

SUMMARY = "Validate a library: every problem as file:line:col: level: message."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing check`."""
    parser.add_argument("path", nargs="?", help="library root or brief file")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--strict", action="store_true", help="warnings fail the check too")


def run(args: argparse.Namespace) -> int:
    """Check the library at args.path; print the report; 0 if it passes, 1 if not."""
    try:
        location = locate_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing check: {error}", EXIT_USAGE) from None
    report = CheckReport(load_location(location), len(location.brief_files), args.strict)
    if args.json:
        print(json.dumps(report.to_json(), indent=2))
    else:
        print("\n".join(report.lines(Path.cwd().resolve())))
    return report.exit_status
