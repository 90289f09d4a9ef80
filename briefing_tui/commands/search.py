"""`briefing search`: the reader's search over a library, printed or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any, TypeVar

from rich.console import Console
from rich.text import Text

from briefing_tui.commands import EXIT_ERRORS, EXIT_OK, EXIT_USAGE, CliError
from briefing_tui.core.library.loader import (
    LibraryError,
    LibraryLocation,
    load_location,
    locate_library,
)
from briefing_tui.core.search.cache import CacheError, file_stamps, keep, read_index
from briefing_tui.core.search.catalog import Catalog, ClaimEntry, PassageEntry
from briefing_tui.core.search.hits import hit_label, match_runs, no_results_hint, snippet
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
    parser.add_argument(
        "--no-cache",
        action="store_true",
        help="index the library afresh and write no index cache",
    )


def run(args: argparse.Namespace) -> int:
    """Search the library at args.path; 0 with results, 1 without (like grep), 2 if unusable."""
    if args.limit < 1:
        raise CliError("briefing search: --limit must be at least 1", EXIT_USAGE)
    try:
        index = _index(locate_library(args.path), use_cache=not args.no_cache)
    except LibraryError as error:
        raise CliError(f"briefing search: {error}", EXIT_USAGE) from None
    hits = index.search(args.query, limit=args.limit)
    if not hits:
        print(
            f"briefing search: no results for {args.query!r}; {no_results_hint(args.query)}",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    catalog = index.catalog
    if args.json:
        print(json.dumps([hit_json(catalog, hit) for hit in hits], ensure_ascii=False, indent=2))
        return EXIT_OK
    console = Console(highlight=False)
    for number, hit in enumerate(hits):
        if number:
            console.print()
        for line in hit_lines(catalog, hit):
            console.print(line, soft_wrap=True)
    return EXIT_OK


def _index(location: LibraryLocation, *, use_cache: bool) -> SearchIndex:
    """The index from the cache when fresh (no library loaded), else built and cached."""
    if use_cache:
        try:
            return read_index(location)
        except CacheError:
            pass  # missing, stale or corrupt: built again, without a word
    library = load_location(location)
    with collector_frozen():
        index = SearchIndex.build(library)
    if use_cache:
        keep(index, location, file_stamps(location, library))
    return index


def hit_lines(catalog: Catalog, hit: SearchHit) -> tuple[Text, Text]:
    """A hit as two lines: its kind and place, then the snippet with the matches emphasised."""
    heading = Text(f"{hit.kind.value:<8}", style="bold")
    heading.append(hit_label(catalog, hit), style="dim")
    cut, matches = snippet(hit.text, hit.matches, SNIPPET_CHARS)
    body = Text("  " + cut)
    for start, end in match_runs(matches):
        body.stylize(MATCH_STYLE, start + 2, end + 2)
    return heading, body


def hit_json(catalog: Catalog, hit: SearchHit) -> dict[str, Any]:
    """A hit for scripts: briefs by path, claims by key (and number, from 1), passages by
    source key and span; its place, line and one-line snippet."""
    brief = _entry(catalog.briefs, hit.brief)
    claim = _entry(brief.claims, hit.claim) if brief is not None else None
    passage = _entry(claim.passages, hit.passage) if claim is not None else None
    quoted_by = []
    for quote in hit.quotes:
        quoting = _entry(catalog.briefs, quote.brief)
        quoted = _entry(quoting.claims, quote.claim) if quoting is not None else None
        if quoting is None or quoted is None:
            continue
        quoted_by.append(
            {
                "brief": quoting.path,
                "claim": _claim_json(quoted, quote.claim),
                "passage": _passage_json(_entry(quoted.passages, quote.passage)),
            }
        )
    return {
        "kind": hit.kind.value,
        "text": hit.text,
        "matches": list(hit.matches),
        "score": hit.score,
        "brief": brief.path if brief is not None else None,
        "claim": _claim_json(claim, hit.claim) if claim is not None else None,
        "passage": _passage_json(passage),
        "source_path": hit.source_path,
        "span": list(hit.span) if hit.span is not None else None,
        "line": hit.line,
        "quoted_by": quoted_by,
        "place": hit_label(catalog, hit),
        "snippet": snippet(hit.text, hit.matches, SNIPPET_CHARS)[0],
    }


T = TypeVar("T")


def _entry(entries: tuple[T, ...], index: int | None) -> T | None:
    return entries[index] if index is not None and 0 <= index < len(entries) else None


def _claim_json(claim: ClaimEntry, index: int | None) -> dict[str, Any]:
    return {"key": claim.key, "number": (index or 0) + 1}


def _passage_json(passage: PassageEntry | None) -> dict[str, Any] | None:
    if passage is None:
        return None
    span = list(passage.span) if passage.span is not None else None
    return {"source": passage.source, "span": span, "stance": passage.stance.value}
