"""The claim × source matrix: columns per file, cells per stance, sorting and filters."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import ClaimStatus, Library, SourceMeta, Span, Stance
from briefing_tui.core.matrix import (
    ASCII_GLYPHS,
    SILENT_CELL,
    Cell,
    CellPassage,
    Matrix,
    build_matrix,
    file_label,
)
from tests.core.conftest import LibraryMaker

WIRE = "---\noutlet: Example Wire\n---\nTalks lasted two hours.\nThey met on Monday.\n"
PAPER = "---\ntitle: The Paper\n---\nTalks lasted three hours.\nThey met on Monday.\n"
BARE = "Talks lasted two hours, a note says.\n"
SOURCES: dict[str, str | bytes] = {
    "seeds/wire.txt": WIRE,
    "seeds/paper.txt": PAPER,
    "seeds/bare.txt": BARE,
}
TALKS = """\
title: Talks
sources:
  wire: seeds/wire.txt
  copy: seeds/wire.txt
  paper: seeds/paper.txt
  bare: seeds/bare.txt
claims:
  - id: length
    text: Talks lasted two hours.
    passages:
      - source: wire
        quote: Talks lasted two hours.
      - source: copy
        quote: They met
        stance: context
      - source: paper
        quote: Talks lasted three hours.
        stance: conflicts
      - source: paper
        quote: a sentence the paper never printed
  - text: They met on Monday.
    passages:
      - source: wire
        quote: They met on Monday.
      - source: paper
        quote: They met on Monday.
"""
OTHER = """\
title: Other
sources:
  paper: seeds/paper.txt
claims:
  - text: Something the paper says.
    passages:
      - source: paper
        quote: Talks lasted
"""


@pytest.fixture
def library(make_library: LibraryMaker) -> Library:
    return load_library(make_library({"a-talks.yaml": TALKS, "b-other.yaml": OTHER}, SOURCES))


def test_one_column_per_file_labelled_by_outlet_title_or_file_name(library: Library) -> None:
    matrix = build_matrix(library)
    assert [(c.path, c.label, c.keys) for c in matrix.columns] == [
        ("seeds/wire.txt", "Example Wire", ("wire", "copy")),
        ("seeds/paper.txt", "The Paper", ("paper",)),
        ("seeds/bare.txt", "bare.txt", ("bare",)),
    ]


def test_rows_are_claims_with_their_place_and_status(library: Library) -> None:
    rows = build_matrix(library).rows
    assert [(r.brief_path, r.claim_index, r.claim_id, r.status) for r in rows] == [
        ("briefs/a-talks.yaml", 0, "length", ClaimStatus.CONTESTED),
        ("briefs/a-talks.yaml", 1, None, ClaimStatus.CORROBORATED),
        ("briefs/b-other.yaml", 0, None, ClaimStatus.SINGLE_SOURCE),
    ]
    assert rows[0].columns == (0, 1, 2) and rows[2].columns == (1,)


def test_two_keys_of_one_file_add_up_in_one_cell(library: Library) -> None:
    cell = build_matrix(library).cell(0, 0)
    assert [(p.passage_index, p.source_key, p.stance) for p in cell.passages] == [
        (0, "wire", Stance.SUPPORTS),
        (1, "copy", Stance.CONTEXT),
    ]
    assert cell.mark() == "✔1 ○1"
    assert cell.mark(ASCII_GLYPHS, "-") == "+1 o1"


def test_an_orphan_counts_but_has_no_offsets(library: Library) -> None:
    cell = build_matrix(library).cell(0, 1)
    assert (cell.count(Stance.CONFLICTS), cell.count(Stance.SUPPORTS)) == (1, 1)
    spans = [p.span for p in cell.passages]
    assert spans[0] == Span(0, len("Talks lasted three hours.")) and spans[1] is None


def test_a_silent_source_has_the_silent_cell(library: Library) -> None:
    matrix = build_matrix(library)
    assert matrix.cell(0, 2) is SILENT_CELL and matrix.cell(0, 2).silent
    assert matrix.cell(0, 2).mark() == "—"
    assert matrix.cell(2, 0).silent  # the other brief does not even name the wire


def test_contested_first_silent_on_and_one_sources_column(library: Library) -> None:
    matrix = build_matrix(library)
    assert matrix.contested_first() == (0, 1, 2)
    assert matrix.contested_first([2, 1, 0]) == (0, 2, 1)
    assert matrix.silent_on() == (0, 1)  # the bare note says nothing on either talks claim
    assert matrix.silent_columns(1) == (2,)
    assert matrix.column_rows("seeds/paper.txt") == (0, 1, 2)
    assert matrix.column_rows("seeds/wire.txt", [1, 2]) == (1,)
    assert matrix.column_rows("seeds/none.txt") == ()
    assert matrix.groups() == (("briefs/a-talks.yaml", (0, 1)), ("briefs/b-other.yaml", (2,)))


def test_a_matrix_of_one_brief_has_its_sources_only(library: Library) -> None:
    matrix = build_matrix(library, [library.briefs[1]])
    assert [c.path for c in matrix.columns] == ["seeds/paper.txt"]
    assert len(matrix.rows) == 1 and matrix.cell(0, 0).count(Stance.SUPPORTS) == 1


def test_a_file_label_never_falls_back_to_a_key_and_escapes_the_name() -> None:
    assert file_label([SourceMeta(), SourceMeta(title="T")], "a/b.txt") == "T"
    assert file_label([SourceMeta(outlet="O", title="T")], "a/b.txt") == "O"
    assert file_label([], "a/b\x1b[31m.txt") == "b\\x1b[31m.txt"


def test_an_empty_matrix_answers_every_question() -> None:
    matrix = Matrix((), ())
    assert matrix.contested_first() == matrix.silent_on() == matrix.groups() == ()
    assert matrix.cell(0, 0) == Cell()
    orphan = Cell((CellPassage(0, "k", Stance.SUPPORTS, None),))
    assert not orphan.silent and orphan.mark() == "✔1"


def test_the_bundled_library_has_one_column_per_seed() -> None:
    library = load_library()
    matrix = build_matrix(library)
    seeds = sorted(p.name for p in (Path(__file__).resolve().parents[2] / "seeds").glob("*.txt"))
    assert sorted(Path(c.path).name for c in matrix.columns) == seeds
    assert len(matrix.rows) == sum(len(b.claims) for b in library.briefs)
    assert matrix.contested_first()[0] in {
        n for n, r in enumerate(matrix.rows) if r.status is ClaimStatus.CONTESTED
    }
