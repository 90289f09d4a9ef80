"""`briefing check`: validate a library and report every problem with its place."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from briefing_tui.cli import EXIT_USAGE, CliError
from briefing_tui.core.loader import LibraryError, load_location, locate_library
from briefing_tui.core.report import CheckReport


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
