"""Presenting search hits: snippets, places, match runs and the source text around them."""

from __future__ import annotations

from collections.abc import Iterable

from briefing_tui.core.library.model import Library
from briefing_tui.core.search.catalog import BriefEntry, Catalog
from briefing_tui.core.search.index import SearchHit
from briefing_tui.core.search.query import Filter, Term, TermKind, parse_query
from briefing_tui.core.search.units import HitKind


def snippet(text: str, matches: tuple[int, ...], width: int = 100) -> tuple[str, tuple[int, ...]]:
    """One line of at most `width` characters around the first match, with the matches in it."""
    line = text.replace("\n", " ").replace("\t", " ")
    width = max(width, 8)
    if len(line) <= width:
        return line, matches
    first = matches[0] if matches else 0
    start = max(0, min(first - width // 3, len(line) - width + 1))
    end = min(len(line), start + width - 2)
    lead = "…" if start > 0 else ""
    shift = len(lead) - start
    cut = lead + line[start:end] + ("…" if end < len(line) else "")
    return cut, tuple(m + shift for m in matches if start <= m < end)


READER_NOTE = "your note"  # the kind shown for a note the reader wrote
KIND_WIDTH = max(len(READER_NOTE), *(len(kind.value) for kind in HitKind)) + 1


def kind_label(hit: SearchHit) -> str:
    """What kind of unit a hit is, for a person."""
    return READER_NOTE if hit.by_reader else hit.kind.value


def hit_label(catalog: Catalog, hit: SearchHit) -> str:
    """Where a hit is, for a person: topic, claim, source and line as they apply."""
    parts: list[str] = []
    brief = catalog.briefs[hit.brief] if hit.brief is not None else None
    if brief is not None:
        parts.append(brief.title)
    if hit.claim is not None:
        parts.append(f"claim {hit.claim + 1}")
    if hit.source_path is not None:
        parts.append(_source_label(catalog, brief, hit.source_path))
    place = " › ".join(parts)
    return f"{place}, line {hit.line}" if hit.line is not None else place


def _source_label(catalog: Catalog, brief: BriefEntry | None, path: str) -> str:
    """The name the brief gives a source, else its outlet or title, else its path."""
    for named in brief.sources if brief is not None else ():
        if named.path == path:
            return named.label
    return catalog.source_names.get(path, path)


def no_results_hint(query: str) -> str:
    """What to try when a query finds nothing."""
    parsed = parse_query(query)
    tips = []
    if any(isinstance(atom, Filter) and not atom.negated for atom in parsed.atoms):
        tips.append("drop a filter (source:, topic:, stance:, kind:) or name it otherwise")
    if any(isinstance(a, Term) and a.kind is not TermKind.FUZZY for a in parsed.atoms):
        tips.append("drop ', ^, $ or the quotes to allow near spellings")
    if len(parsed.groups) > 1:
        tips.append("use fewer words (every word must match)")
    tips.append("or try a shorter word")
    return "try: " + "; ".join(tips) if len(tips) > 1 else "try a shorter word or another one"


def match_runs(matches: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted offsets grouped into half-open runs of consecutive characters."""
    runs: list[tuple[int, int]] = []
    for offset in matches:
        if runs and runs[-1][1] == offset:
            runs[-1] = (runs[-1][0], offset + 1)
        else:
            runs.append((offset, offset + 1))
    return runs


def hit_context(library: Library, hit: SearchHit, radius: int = 400) -> tuple[str, int]:
    """Whole lines of source text around a text hit, and where the hit's text starts in them.

    Other hits have no surrounding text: their own text comes back, starting at 0.
    """
    source = library.sources.get(hit.source_path or "")
    if source is None or hit.span is None:
        return hit.text, 0
    text = source.text
    start, end = max(0, hit.span.start - radius), min(len(text), hit.span.end + radius)
    if start > 0:
        line_break = text.find("\n", start, hit.span.start)
        space = text.find(" ", start, hit.span.start)
        start = line_break + 1 if line_break >= 0 else max(space + 1, start)
    if end < len(text):
        line_break = text.rfind("\n", hit.span.end, end)
        end = line_break if line_break >= 0 else end
    return text[start:end], hit.span.start - start
