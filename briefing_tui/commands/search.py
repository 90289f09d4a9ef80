"""`briefing search`: the reader's search over a library, printed or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rich.console import Console
from rich.text import Text

from briefing_tui.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, CliError
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.search.hits import hit_label, hit_line, match_runs, snippet
from briefing_tui.core.search.index import SearchHit, SearchIndex, collector_frozen

SNIPPET_CHARS = 100
MATCH_STYLE = "bold underline"


SUMMARY = "Search sources, claims, notes and briefs, as the reader does."


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing search`."""
    parser.add_argument("query", help="the query, in the reader's search syntax")
    parser.add_argument("path", nargs="?", help="library root or brief file")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    parser.add_argument("--limit", type=int, default=20, help="most results (default 20)")


def run(args: argparse.Namespace) -> int:
    """Search the library at args.path; 0 with results, 1 without (like grep), 2 if unusable."""
    if args.limit < 1:
        raise CliError("briefing search: --limit must be at least 1", EXIT_USAGE)
    try:
        library = load_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing search: {error}", EXIT_USAGE) from None
    with collector_frozen():
        index = SearchIndex.build(library)
    hits = index.search(args.query, limit=args.limit)
    if not hits:
        print(f"briefing search: no results for {args.query!r}", file=sys.stderr)
        return EXIT_ERRORS
    if args.json:
        print(json.dumps([hit_json(library, hit) for hit in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    console = Console(highlight=False)
    for number, hit in enumerate(hits):
        if number:
            console.print()
        for line in hit_lines(library, hit):
            console.print(line, soft_wrap=True)
    return EXIT_OK


def hit_lines(library: Library, hit: SearchHit) -> tuple[Text, Text]:
    """A hit as two lines: its kind and place, then the snippet with the matches emphasised."""
    heading = Text(f"{hit.kind.value:<8}", style="bold")
    heading.append(hit_label(library, hit), style="dim")
    cut, matches = snippet(hit.text, hit.matches, SNIPPET_CHARS)
    body = Text("  " + cut)
    for start, end in match_runs(matches):
        body.stylize(MATCH_STYLE, start + 2, end + 2)
    return heading, body


def hit_json(library: Library, hit: SearchHit) -> dict[str, Any]:
    """Every field of a hit, plus its place, line and one-line snippet, for scripts."""
    return {
        "kind": hit.kind.value,
        "text": hit.text,
        "matches": list(hit.matches),
        "score": hit.score,
        "brief": hit.brief,
        "source_path": hit.source_path,
        "span": list(hit.span) if hit.span is not None else None,
        "claim": hit.claim,
        "passage": hit.passage,
        "place": hit_label(library, hit),
        "line": hit_line(library, hit),
        "snippet": snippet(hit.text, hit.matches, SNIPPET_CHARS)[0],
    }
