"""The reader's core, in pure Python (it never imports Textual; a test checks).

What it offers, importable from here (each loaded on first use, so start-up pays only for
what it touches):

- `load_library`, `locate_library`, `LibraryError`: files and YAML -> an immutable `Library`
  of `Brief`, `Claim`, `Passage` and `Source`, with every problem as a `Diagnostic`;
- `SearchIndex`, `SearchHit`, `parse_query`: fuzzy search over everything in a library;
- `Place`, `History`: stable places in a library, which survive reloads;
- `CheckReport`: what `briefing check` prints; `to_markdown`, `to_json`: `briefing export`;
- `build_matrix` (claims x sources), `compare_figures` and `extract_figures` (figures that
  differ), `suggest_for_claim` (unquoted evidence), `brief_schema` (JSON Schema of a brief).

Subpackages: `library/` (model, text, yamlsafe, sources, anchor, loader, cache) and `search/`
(query, units, vocabulary, matching, filters, index, hits).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing_tui.core.export import to_json, to_markdown
    from briefing_tui.core.figures import FigureComparison, compare_figures, extract_figures
    from briefing_tui.core.library.loader import LibraryError, load_library, locate_library
    from briefing_tui.core.library.model import (
        Brief,
        BriefSource,
        Claim,
        Diagnostic,
        Library,
        Passage,
        Source,
        Span,
        Stance,
    )
    from briefing_tui.core.matrix import Matrix, build_matrix
    from briefing_tui.core.places import History, Place
    from briefing_tui.core.report import CheckReport
    from briefing_tui.core.schema import brief_schema
    from briefing_tui.core.search.index import SearchHit, SearchIndex
    from briefing_tui.core.search.query import parse_query
    from briefing_tui.core.suggest import Suggestion, suggest_for_claim

__all__ = [
    "Brief",
    "BriefSource",
    "CheckReport",
    "Claim",
    "Diagnostic",
    "FigureComparison",
    "History",
    "Library",
    "LibraryError",
    "Matrix",
    "Passage",
    "Place",
    "SearchHit",
    "SearchIndex",
    "Source",
    "Span",
    "Stance",
    "Suggestion",
    "brief_schema",
    "build_matrix",
    "compare_figures",
    "extract_figures",
    "load_library",
    "locate_library",
    "parse_query",
    "suggest_for_claim",
    "to_json",
    "to_markdown",
]

_HOMES = {
    "briefing_tui.core.export": ("to_json", "to_markdown"),
    "briefing_tui.core.figures": ("FigureComparison", "compare_figures", "extract_figures"),
    "briefing_tui.core.library.loader": ("LibraryError", "load_library", "locate_library"),
    "briefing_tui.core.library.model": (
        "Brief",
        "BriefSource",
        "Claim",
        "Diagnostic",
        "Library",
        "Passage",
        "Source",
        "Span",
        "Stance",
    ),
    "briefing_tui.core.places": ("History", "Place"),
    "briefing_tui.core.matrix": ("Matrix", "build_matrix"),
    "briefing_tui.core.report": ("CheckReport",),
    "briefing_tui.core.schema": ("brief_schema",),
    "briefing_tui.core.search.index": ("SearchHit", "SearchIndex"),
    "briefing_tui.core.search.query": ("parse_query",),
    "briefing_tui.core.suggest": ("Suggestion", "suggest_for_claim"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use."""
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
