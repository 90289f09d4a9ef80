"""`briefing suggest [BRIEF] [PATH]`: unquoted sentences that likely bear on each claim."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError
from briefing_tui.core.export import BriefLookupError, find_brief
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.library.model import Brief, Claim, Library
from briefing_tui.core.library.text import escape_name, one_line
from briefing_tui.core.suggest import DEFAULT_LIMIT, Suggestion, SuggestionIndex

SUMMARY = "Sentences no passage quotes yet that likely bear on each claim, as YAML passages."
FORMAT = "briefing-suggest/1"
MAX_LIMIT = 100


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing suggest`."""
    parser.add_argument(
        "brief",
        nargs="?",
        help="one brief (file path, file name, stem or title); a folder alone is the library "
        "root (default: every brief of the library)",
    )
    parser.add_argument("path", nargs="?", help="library root or brief file")
    parser.add_argument("--json", action="store_true", help="sources, offsets, scores, reasons")
    parser.add_argument(
        "--limit",
        type=_limit,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"suggestions per claim (default {DEFAULT_LIMIT}, at most {MAX_LIMIT})",
    )
    parser.add_argument(
        "--all-sources",
        action="store_true",
        help="look in every source of the library, not only the brief's own",
    )


def _limit(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= MAX_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_LIMIT}, not {number}")
    return number


def run(args: argparse.Namespace) -> int:
    """Suggest passages for each claim of one brief or of all; no brief is ever written."""
    library, briefs = _target(args.brief, args.path)
    index = SuggestionIndex(library)
    found = [
        (brief, claim, index.suggest(brief, claim, args.limit, args.all_sources))
        for brief in briefs
        for claim in brief.claims
    ]
    if args.json:
        write_stdout(json.dumps(suggest_document(found), indent=2) + "\n")
    else:
        write_stdout(to_yaml(found))
    return EXIT_OK


def _target(name: str | None, path: str | None) -> tuple[Library, tuple[Brief, ...]]:
    """The library to load and the briefs asked for (all of them without a name)."""
    if name is not None and path is None and Path(name).is_dir():
        name, path = None, name  # a folder alone is a library, not a brief's name
    # A brief given as a file path with no library path opens the library that holds it.
    target = name if name is not None and path is None and Path(name).is_file() else path
    try:
        library = load_library(target)
    except LibraryError as error:
        raise CliError(f"briefing suggest: {error}", EXIT_USAGE) from None
    if name is None:
        return library, library.briefs
    try:
        return library, (find_brief(library, name),)
    except BriefLookupError as error:
        raise CliError(f"briefing suggest: {error}", EXIT_USAGE) from None


def write_stdout(text: str) -> None:
    """Write text to stdout, escaping with backslashes what its encoding cannot hold."""
    encoding = sys.stdout.encoding or "utf-8"
    sys.stdout.write(text.encode(encoding, errors="backslashreplace").decode(encoding))


Found = list[tuple[Brief, Claim, list[Suggestion]]]


def to_yaml(found: Found) -> str:
    """Per claim, a comment naming it, then its suggestions as YAML passages to paste."""
    out: list[str] = []
    brief_path = None
    count = 0
    for brief, claim, suggestions in found:
        if brief.path != brief_path:
            brief_path = brief.path
            out += [f"# {escape_name(brief.path)}: {one_line(brief.title)}", ""]
        label = f"claim {claim.index + 1} ({one_line(claim.key)})"
        out.append(f"#   {label}: {one_line(claim.text)}")
        if not suggestions:
            out += ["#     nothing to suggest", ""]
            continue
        out.append("#     paste under its passages:")
        for suggestion in suggestions:
            count += 1
            where = f"{escape_name(suggestion.source_path)}:{suggestion.line}"
            out.append(f"#     {suggestion.stance.value}, score {suggestion.score:.1f}, {where}")
            if not suggestion.declared:
                out.append("#     not among the brief's sources yet; add under `sources:`")
                out.append("#     " + suggestion.source_entry().strip())
            out.append(suggestion.yaml().rstrip("\n"))
        out.append("")
    claims = len(found)
    out.append(
        f"# {count} suggestion{'s' if count != 1 else ''} for {claims} "
        f"claim{'s' if claims != 1 else ''}; no brief was changed"
    )
    return "\n".join(out) + "\n"


def suggest_document(found: Found) -> dict[str, Any]:
    """Every claim with its suggestions, as plain data."""
    return {
        "format": FORMAT,
        "claims": [
            {
                "brief": brief.path,
                "topic": brief.title,
                "index": claim.index,
                "key": claim.key,
                "id": claim.id,
                "text": claim.text,
                "suggestions": [_suggestion_json(s) for s in suggestions],
            }
            for brief, claim, suggestions in found
        ],
    }


def _suggestion_json(suggestion: Suggestion) -> dict[str, Any]:
    return {
        "source": suggestion.source_path,
        "key": suggestion.source_key,
        "declared": suggestion.declared,
        "start": suggestion.span.start,
        "end": suggestion.span.end,
        "line": suggestion.line,
        "quote": suggestion.quote,
        "prefix": suggestion.prefix,
        "suffix": suggestion.suffix,
        "score": suggestion.score,
        "suggested_stance": suggestion.stance.value,
        "shared_terms": list(suggestion.shared),
        "figures": [
            {
                "text": evidence.figure.shown,
                "start": evidence.figure.span.start,
                "end": evidence.figure.span.end,
                "claimed": evidence.claimed.shown,
                "agrees": evidence.agrees,
            }
            for evidence in suggestion.figures
        ],
        "reasons": list(suggestion.reasons),
        "yaml": suggestion.yaml(),
    }
