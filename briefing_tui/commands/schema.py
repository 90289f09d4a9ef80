"""`briefing schema`: the JSON Schema of brief files, for editors with a YAML language server."""

from __future__ import annotations

import argparse
import json

from briefing_tui.commands import EXIT_OK
from briefing_tui.commands.suggest import write_stdout
from briefing_tui.core.schema import SCHEMA_FILE, brief_schema, reference_markdown

SUMMARY = "Print the JSON Schema (draft 2020-12) of brief files."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing schema`."""
    parser.epilog = (
        f"Save it beside your briefs (briefing schema > {SCHEMA_FILE}) and start each brief "
        f"with: # yaml-language-server: $schema=../{SCHEMA_FILE}"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="every key as a Markdown table instead (the README's)",
    )


def run(args: argparse.Namespace) -> int:
    """Print the schema, or the table of keys."""
    if args.markdown:
        write_stdout(reference_markdown())
    else:
        write_stdout(json.dumps(brief_schema(), indent=2) + "\n")
    return EXIT_OK
