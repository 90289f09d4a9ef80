"""`briefing matrix [BRIEF] [PATH]`: claims against source files, with each source's stances."""

from __future__ import annotations

import argparse
import csv
import io
from collections.abc import Mapping
from pathlib import PurePosixPath
from typing import Any

from briefing_tui.commands import (
    EXIT_OK,
    EXIT_USAGE,
    CliError,
    path_kind,
    stdout_encodes,
    write_json,
    write_stdout,
)
from briefing_tui.core.export import BriefLookupError, find_brief, markdown_inline
from briefing_tui.core.library.loader import LibraryError, load_library
from briefing_tui.core.library.model import Brief, Library, Stance
from briefing_tui.core.library.text import one_line
from briefing_tui.core.matrix import (
    ASCII_GLYPHS,
    ASCII_SILENT,
    GLYPHS,
    SILENT,
    Column,
    Matrix,
    build_matrix,
)
from briefing_tui.core.report import shown_name

SUMMARY = "Claims against sources: each source's stances on each claim."
FORMAT = "briefing-matrix/1"


def configure(parser: argparse.ArgumentParser) -> None:
    """The arguments of `briefing matrix`."""
    parser.add_argument(
        "brief",
        nargs="?",
        help="one brief (file path, file name, stem or title); a folder alone is the library "
        "root, shown whole (default: the whole library, grouped by topic)",
    )
    parser.add_argument("path", nargs="?", help="library root or brief file")
    formats = parser.add_mutually_exclusive_group()
    for name, what in (
        ("json", "claims, sources and cells as JSON"),
        ("csv", "one CSV row per claim, one column per source (RFC 4180)"),
        ("markdown", "a GitHub Markdown table per topic"),
    ):
        formats.add_argument(
            f"--{name}", dest="format", action="store_const", const=name, help=what
        )


def run(args: argparse.Namespace) -> int:
    """Build the matrix of one brief or the whole library and print it in the chosen form."""
    library, brief = _target(args.brief, args.path)
    matrix = build_matrix(library, None if brief is None else (brief,))
    if args.format == "json":
        write_json(matrix_document(library, matrix))
        return EXIT_OK
    glyphs, silent = (
        (GLYPHS, SILENT) if stdout_encodes(GLYPHS, SILENT) else (ASCII_GLYPHS, ASCII_SILENT)
    )
    if args.format == "csv":
        write_stdout(to_csv(matrix, glyphs))
    elif args.format == "markdown":
        write_stdout(to_markdown(matrix, glyphs, silent))
    else:
        write_stdout(to_text(matrix, glyphs, silent))
    return EXIT_OK


def _target(name: str | None, path: str | None) -> tuple[Library, Brief | None]:
    """The library to load and the brief asked for (None for the whole library)."""
    kind = None if name is None or path is not None else path_kind(name)
    if kind == "folder":
        name, path = None, name  # a folder alone is a library, not a brief's name
    # A brief given as a file path with no library path opens the library that holds it.
    target = name if kind == "file" else path
    try:
        library = load_library(target)
    except LibraryError as error:
        raise CliError(f"briefing matrix: {error}", EXIT_USAGE) from None
    if name is None:
        return library, None
    try:
        return library, find_brief(library, name)
    except BriefLookupError as error:
        raise CliError(f"briefing matrix: {error}", EXIT_USAGE) from None


# The forms


def column_title(column: Column) -> str:
    """A column's name in a header: its label and file, or the file alone when they agree."""
    if column.label == PurePosixPath(column.path).name:
        return column.path
    return f"{column.label} ({column.path})"


def legend(glyphs: Mapping[Stance, str], silent: str) -> str:
    """What the cell marks mean, in one line."""
    marks = [f"{glyphs[stance]} {stance.value}" for stance in Stance]
    return "  ".join([*marks, f"{silent} silent"])


def to_text(matrix: Matrix, glyphs: Mapping[Stance, str], silent: str) -> str:
    """A plain table per topic: columns numbered, listed with their files above."""
    out = ["Sources:"]
    for number, column in enumerate(matrix.columns, start=1):
        keys = ", ".join(one_line(key) for key in column.keys)
        path = shown_name(column.path)
        out.append(f"  [{number}] {one_line(column.label)}  {path}  (as {keys})")
    out += ["", legend(glyphs, silent)]
    for _, rows in matrix.groups():
        first = matrix.rows[rows[0]]
        out += ["", f"{one_line(first.brief_title)}  ({shown_name(first.brief_path)})"]
        out += _text_table(matrix, rows, glyphs, silent)
    if not matrix.rows:
        out += ["", "No claims."]
    return "\n".join(out) + "\n"


def _text_table(
    matrix: Matrix, rows: tuple[int, ...], glyphs: Mapping[Stance, str], silent: str
) -> list[str]:
    """One topic's rows: status, a cell per source of the topic, then the claim."""
    columns = matrix.rows[rows[0]].columns
    table = [["status", *(f"[{c + 1}]" for c in columns)]]
    for row in rows:
        cells = (matrix.cell(row, c).mark(glyphs, silent) for c in columns)
        table.append([matrix.rows[row].status.value, *cells])
    widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
    claims = ["claim"] + [
        f"{matrix.rows[r].claim_index + 1}. {one_line(matrix.rows[r].text)}" for r in rows
    ]
    return [
        "  " + "  ".join([*(cell.ljust(w) for cell, w in zip(line, widths, strict=True)), claim])
        for line, claim in zip(table, claims, strict=True)
    ]


def to_csv(matrix: Matrix, glyphs: Mapping[Stance, str]) -> str:
    """One row per claim and one column per source file; a silent source's cell is empty."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)  # RFC 4180: CRLF line ends, quotes doubled where needed
    writer.writerow(
        ["topic", "brief", "claim_index", "claim_id", "status", "claim"]
        + [column_title(column) for column in matrix.columns]
    )
    for number, row in enumerate(matrix.rows):
        cells = [matrix.cell(number, c).mark(glyphs, "") for c in range(len(matrix.columns))]
        writer.writerow(
            [
                row.brief_title,
                row.brief_path,
                row.claim_index,
                row.claim_id or "",
                row.status.value,
                row.text,
                *cells,
            ]
        )
    return buffer.getvalue()


def to_markdown(matrix: Matrix, glyphs: Mapping[Stance, str], silent: str) -> str:
    """A GitHub table per topic; every text from the library escaped so it stays inert."""
    out = ["# Claims and sources", "", legend(glyphs, silent).replace("  ", ", ") + "."]
    for _, rows in matrix.groups():
        first = matrix.rows[rows[0]]
        columns = [matrix.columns[c] for c in first.columns]
        out += ["", f"## {markdown_inline(first.brief_title)}", ""]
        out += [f"File: {markdown_inline(first.brief_path)}", ""]
        sources = ", ".join(markdown_inline(f"{c.label} ({c.path})") for c in columns)
        out += [f"Sources: {sources}", ""]
        header = ["#", "Claim", "Status", *(markdown_inline(c.label) for c in columns)]
        out.append("| " + " | ".join(header) + " |")
        out.append("| " + " | ".join(["---:", "---", "---", *(":---:" for _ in columns)]) + " |")
        for row in rows:
            claim = matrix.rows[row]
            cells = [matrix.cell(row, c).mark(glyphs, silent) for c in first.columns]
            number = str(claim.claim_index + 1)
            line = [number, markdown_inline(claim.text), claim.status.value, *cells]
            out.append("| " + " | ".join(line) + " |")
    if not matrix.rows:
        out += ["", "No claims."]
    return "\n".join(out) + "\n"


def matrix_document(library: Library, matrix: Matrix) -> dict[str, Any]:
    """The matrix as plain data: claims, sources, and the cells where a source speaks."""
    cells = []
    for (row, column), cell in sorted(matrix.cells.items()):
        source = library.sources.get(matrix.columns[column].path)
        passages = []
        for passage in cell.passages:
            span = passage.span
            passages.append(
                {
                    "index": passage.passage_index,
                    "key": passage.source_key,
                    "stance": passage.stance.value,
                    "start": None if span is None else span.start,
                    "end": None if span is None else span.end,
                    "line": None if span is None or source is None else source.line_at(span.start),
                }
            )
        cells.append(
            {
                "claim": row,
                "source": column,
                "counts": {stance.value: cell.count(stance) for stance in Stance},
                "passages": passages,
            }
        )
    return {
        "format": FORMAT,
        "claims": [
            {
                "row": number,
                "brief": row.brief_path,
                "topic": row.brief_title,
                "index": row.claim_index,
                "key": row.claim_key,
                "id": row.claim_id,
                "text": row.text,
                "status": row.status.value,
            }
            for number, row in enumerate(matrix.rows)
        ],
        "sources": [
            {"column": number, "path": c.path, "label": c.label, "keys": list(c.keys)}
            for number, c in enumerate(matrix.columns)
        ],
        "cells": cells,
    }
