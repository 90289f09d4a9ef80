"""Hostile inputs as large as the limits allow load with the right statuses (timings: bench/)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import AnchorStatus, Library
from briefing_tui.core.library.sources import MAX_SOURCE_BYTES
from briefing_tui.core.library.text import is_clean

MIB = 1 << 20
PROSE = (
    "The leaders met in Washington on Friday and agreed to widen trade in energy. "
    "Officials said the talks lasted two hours; aides later disputed that figure. "
)


def _library(root: Path, body: str, quotes: list[str]) -> Library:
    """A library of one source with this body and one brief quoting it."""
    (root / "briefs").mkdir(parents=True)
    (root / "source.txt").write_text(body, encoding="utf-8")
    passages = [{"source": "s", "quote": quote} for quote in quotes]
    brief = {"title": "Big", "sources": {"s": "source.txt"}, "claims": []}
    brief["claims"] = [{"text": "A claim.", "passages": passages}]
    (root / "briefs" / "big.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
    return load_library(root)


def _statuses(library: Library) -> list[AnchorStatus]:
    return [passage.anchor.status for passage in library.briefs[0].passages()]


def test_a_source_of_sixteen_mebibytes_of_nul_loads_as_control_pictures(tmp_path: Path) -> None:
    body = "\x00" * (MAX_SOURCE_BYTES - 1)
    library = _library(tmp_path, body, ["\u2400\u2400\u2400", "The leaders met in Washington"])
    assert library.sources["source.txt"].text == "\u2400" * len(body)
    assert _statuses(library) == [AnchorStatus.AMBIGUOUS, AnchorStatus.ORPHANED]


def test_five_mebibytes_of_control_characters_load_clean(tmp_path: Path) -> None:
    controls = "".join(chr(c) for c in range(32) if c not in (9, 10, 13)) + "\x7f\x1b"
    body = controls * (5 * MIB // len(controls)) + "\n" + PROSE
    library = _library(tmp_path, body, ["agreed to widen trade in energy"])
    source = library.sources["source.txt"]
    assert is_clean(source.text) and source.text.endswith(PROSE)
    assert _statuses(library) == [AnchorStatus.EXACT]
    assert source.body == body  # as written, for exports


def test_orphans_on_a_five_mebibyte_source_are_each_orphaned(tmp_path: Path) -> None:
    # bench/bench_anchor.py times 200 of them; twenty show the behaviour.
    words = PROSE.split()
    body = PROSE * (5 * MIB // len(PROSE))
    rng = random.Random(0)
    orphans = [" ".join(rng.sample(words, 10)) + f" number {n}" for n in range(20)]
    library = _library(tmp_path, body, ["aides later disputed that figur", *orphans])
    statuses = _statuses(library)
    assert statuses[0] is AnchorStatus.AMBIGUOUS  # a misquote found all through the text
    assert set(statuses[1:]) == {AnchorStatus.ORPHANED}


def test_a_near_miss_quote_of_880_000_characters_anchors_with_an_honest_score(
    tmp_path: Path,
) -> None:
    sentences = [f"Item {n} of the record notes {n * 3} ships in port. " for n in range(20_000)]
    body = "".join(sentences)
    quote = body[:880_000].replace("Item 9000 of", "Item 9OOO of").strip()
    library = _library(tmp_path, body, [quote])
    (passage,) = library.briefs[0].passages()
    assert passage.anchor.status is AnchorStatus.APPROXIMATE
    assert 99 < passage.anchor.score < 100
    assert passage.span is not None and passage.span.start == 0
    assert abs(passage.span.end - len(quote)) <= 3


def test_sixteen_mebibytes_of_double_spaces_anchor_normalised(tmp_path: Path) -> None:
    body = "a  " * ((MAX_SOURCE_BYTES - 100) // 3) + "The  end  of  it.\n"
    library = _library(tmp_path, body, ["The end of it.", "Nothing of the sort is in there"])
    assert _statuses(library) == [AnchorStatus.NORMALISED, AnchorStatus.ORPHANED]
    (passage, _) = library.briefs[0].passages()
    text = library.sources["source.txt"].text
    assert passage.span is not None and text[passage.span.start : passage.span.end] == (
        "The  end  of  it."
    )


def test_a_source_written_decomposed_takes_a_composed_quote(tmp_path: Path) -> None:
    body = "Le pre\u0301sident a de\u0301clare\u0301 la se\u0301ance ouverte. " * 50_000
    library = _library(tmp_path, body + "Fin.", ["d\u00e9clar\u00e9 la s\u00e9ance ouverte. Fin."])
    (passage,) = library.briefs[0].passages()
    assert passage.anchor.status is AnchorStatus.NORMALISED
    text = library.sources["source.txt"].text
    assert passage.span is not None
    assert text[passage.span.start : passage.span.end] == (
        "de\u0301clare\u0301 la se\u0301ance ouverte. Fin."
    )
