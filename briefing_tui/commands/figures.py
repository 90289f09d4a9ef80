"""`briefing figures [PATH]`: figures and dates that differ between sources for a claim."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from briefing_tui.commands import EXIT_OK, EXIT_USAGE, CliError, write_json, write_stdout
from briefing_tui.core.figures import (
    ClaimFigures,
    ClaimPlace,
    FigureComparison,
    SourcedFigure,
    compare_figures,
)
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.library.model import Stance
from briefing_tui.core.library.text import one_line
from briefing_tui.core.report import current_folder, display_path, shown_name

SUMMARY = "Figures and dates that differ between sources for the same claim."
FORMAT = "briefing-figures/1"
LABEL_CHARS = 40  # a source's label in a line; the file and line follow it


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing figures`."""
    parser.add_argument("path", nargs="?", help="library root or brief file")
    parser.add_argument("--json", action="store_true", help="every claim's figures as JSON")


def run(args: argparse.Namespace) -> int:
    """Compare the figures of every claim across its sources and print where they differ."""
    try:
        library = load_library(args.path)
    except LibraryError as error:
        raise CliError(f"briefing figures: {error}", EXIT_USAGE) from None
    comparison = compare_figures(library)
    if args.json:
        write_json(figures_document(comparison))
    else:
        write_stdout(to_text(comparison, library.root, current_folder()))
    return EXIT_OK


def to_text(comparison: FigureComparison, root: Path, cwd: Path | None) -> str:
    """Per claim with differences, each differing dimension's figures side by side."""
    out: list[str] = []
    for claim in comparison.claims:
        if claim.differences:
            out += _claim_lines(claim, root, cwd)
            out.append("")
    out.append(summary(comparison))
    return "\n".join(out) + "\n"


def _claim_lines(claim: ClaimFigures, root: Path, cwd: Path | None) -> list[str]:
    place = claim.claim
    out = [one_line(place.text), f"  {shown_name(place.brief_path)}, claim {place.claim_index + 1}"]
    if place.claim_id:
        out[-1] += f" ({one_line(place.claim_id)})"
    differing = claim.differing()
    for dimension in claim.dimensions_differing():
        out.append(f"  {dimension}:")
        for figure in claim.figures:
            if figure.figure.dimension == dimension:
                mark = "differs" if figure in differing else "agrees "
                out.append(f"    {mark} {_figure_line(figure, root, cwd)}")
    return out


def _figure_line(figure: SourcedFigure, root: Path, cwd: Path | None) -> str:
    """`label [stance]: figure (file:line, beside the quote)`, stance unless supports."""
    label = one_line(figure.label, LABEL_CHARS)
    if figure.stance is not Stance.SUPPORTS:
        label += f" [{figure.stance.value}]"
    where = f"{display_path(figure.source_path, root, cwd)}:{figure.line}"
    if not figure.in_passage:
        where += ", beside the quote"
    return f"{label}: {one_line(figure.figure.shown)} ({where})"


def summary(comparison: FigureComparison) -> str:
    """One line: how many differences, in how many claims, out of how many figures."""
    differing = sum(1 for claim in comparison.claims if claim.differences)
    figures = sum(len(claim.figures) for claim in comparison.claims)
    found = len(comparison.differences)
    compared = f"{_count(figures, 'figure')} in {_count(len(comparison.claims), 'claim')}"
    if not found:
        return f"no figures differ between sources ({compared})"
    return (
        f"{_count(found, 'difference')} between sources in {_count(differing, 'claim')} "
        f"({compared})"
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def figures_document(comparison: FigureComparison) -> dict[str, Any]:
    """Every claim's figures by source, and every difference with both sides, as plain data."""
    claims = []
    for claim in comparison.claims:
        position = {figure: number for number, figure in enumerate(claim.figures)}
        claims.append(
            {
                **_claim_json(claim.claim),
                "figures": [_figure_json(figure) for figure in claim.figures],
                "differences": [[position[d.first], position[d.second]] for d in claim.differences],
            }
        )
    return {
        "format": FORMAT,
        "claims": claims,
        "differences": [
            {
                "claim": _claim_json(d.claim),
                "dimension": d.first.figure.dimension,
                "sides": [_figure_json(d.first), _figure_json(d.second)],
            }
            for d in comparison.differences
        ],
    }


def _claim_json(place: ClaimPlace) -> dict[str, Any]:
    return {
        "brief": place.brief_path,
        "topic": place.brief_title,
        "index": place.claim_index,
        "key": place.claim_key,
        "id": place.claim_id,
        "text": place.text,
    }


def _figure_json(sourced: SourcedFigure) -> dict[str, Any]:
    figure = sourced.figure
    value = list(figure.value) if isinstance(figure.value, tuple) else figure.value
    return {
        "source": sourced.source_path,
        "key": sourced.source_key,
        "label": sourced.label,
        "passage": sourced.passage_index,
        "stance": sourced.stance.value,
        "in_passage": sourced.in_passage,
        "line": sourced.line,
        "start": figure.span.start,
        "end": figure.span.end,
        "text": figure.text,
        "kind": figure.kind.value,
        "value": value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "dimension": figure.dimension,
    }
