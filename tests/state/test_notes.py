"""Bookmarks found again after the library changes, and `briefing notes` in Markdown and JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from builders import write_library
from fixture_library import build_library
from markdown_it import MarkdownIt

from briefing_tui.cli import main
from briefing_tui.core.annotations import Status, resolve, resolve_all
from briefing_tui.core.export import brief_document
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.places import Place, passage_place
from briefing_tui.core.state import Kind, StateStore, state_path

WIRE = """\
---
title: Leaders meet
outlet: Example Wire
published: 2025-02-07
---
The two leaders met in Washington on February 7, 2025.
They reaffirmed that Article 5 of the treaty applies to the islands.
Japan will invest one trillion dollars in the United States.
The talks lasted two hours.
"""
POST = "Officials said the talks lasted three hours.\nThe statement was brief.\n"
BRIEF = """\
title: Summit
sources:
  wire: seeds/wire.txt
  post: seeds/post.txt
claims:
  - id: invest
    text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars
  - id: length
    text: The talks lasted two hours.
    passages:
      - source: wire
        quote: The talks lasted two hours.
      - source: post
        quote: the talks lasted three hours
        stance: conflicts
"""
OTHER = """\
title: Other topic
sources:
  post: seeds/post.txt
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A library of two topics over two sources."""
    return write_library(
        tmp_path / "lib",
        {"summit.yaml": BRIEF, "other.yaml": OTHER},
        {"seeds/wire.txt": WIRE, "seeds/post.txt": POST},
    )


def store_for(library: Library) -> StateStore:
    return StateStore.open(library.root)


def passage_bookmark(store: StateStore, library: Library, claim: str, number: int = 0) -> None:
    brief = library.briefs[1]  # summit.yaml, after other.yaml
    chosen = brief.claim(claim)
    assert chosen is not None
    passage = chosen.passages[number]
    assert passage.span is not None
    text = brief.sources[0].source.text if passage.source_key == "wire" else POST
    store.toggle_bookmark(
        passage_place(brief, passage), text[passage.span.start : passage.span.end]
    )


def edit(root: Path, name: str, old: str, new: str) -> None:
    file = root / name
    file.write_text(file.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


# Found again, moved, missing


def test_a_bookmark_on_a_passage_is_found_where_it_was(root: Path) -> None:
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "invest")
    (found,) = resolve_all(library, store.annotations())
    assert found.status is Status.FOUND and found.quote == "Japan will invest one trillion dollars"
    assert found.line == 8 and found.claim is not None and found.claim.key == "invest"


def test_a_passage_whose_text_moved_is_found_again_on_its_claim(root: Path) -> None:
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "invest")
    edit(root, "seeds/wire.txt", "The two leaders", "A new first line.\nThe two leaders")
    moved = resolve(load_library(root), store.annotations()[0])
    assert moved.status is Status.MOVED and moved.remark == "its passage moved in its source"
    assert moved.quote == "Japan will invest one trillion dollars" and moved.line == 9
    assert moved.place is not None and moved.place.claim == "invest"


def test_a_bookmark_whose_claim_is_gone_is_missing_never_moved_to_another_claim(
    root: Path,
) -> None:
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "length")
    # The same quote now belongs to another claim: the bookmark does not follow it there.
    edit(root, "briefs/summit.yaml", "id: length", "id: duration")
    missing = resolve(load_library(root), store.annotations()[0])
    assert missing.status is Status.MISSING and missing.place is None
    assert missing.remark == "its claim is no longer in its topic"
    assert missing.quote == "The talks lasted two hours."


def test_a_bookmark_whose_topic_is_gone_is_missing(root: Path) -> None:
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "invest")
    (root / "briefs" / "summit.yaml").unlink()
    missing = resolve(load_library(root), store.annotations()[0])
    assert (missing.status, missing.remark) == (
        Status.MISSING,
        "its topic is no longer in the library",
    )


def test_a_passage_no_longer_quoted_falls_back_to_its_claim(root: Path) -> None:
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "length", 1)  # the post's passage
    edit(root, "briefs/summit.yaml", "quote: the talks lasted three hours", "quote: The talks")
    edit(root, "briefs/summit.yaml", "source: post", "source: wire")
    moved = resolve(load_library(root), store.annotations()[0])
    assert moved.status is Status.MOVED and moved.place is not None
    assert moved.place.claim == "length"


def span_bookmark(store: StateStore, library: Library, quote: str) -> None:
    brief = library.briefs[0]  # other.yaml
    text = brief.sources[0].source.text
    start = text.index(quote)
    place = Place(brief.path, "post", "seeds/post.txt", span=Span(start, start + len(quote)))
    store.toggle_bookmark(place, quote)


def test_a_bookmark_on_text_found_moved_and_missing(root: Path) -> None:
    library = load_library(root)
    store = store_for(library)
    span_bookmark(store, library, "The statement was brief.")
    (found,) = resolve_all(library, store.annotations())
    assert found.status is Status.FOUND and found.line == 2
    edit(root, "seeds/post.txt", "Officials", "Earlier.\nOfficials")
    (moved,) = resolve_all(load_library(root), store.annotations())
    assert moved.status is Status.MOVED and moved.line == 3
    assert moved.quote == "The statement was brief."
    edit(root, "seeds/post.txt", "The statement was brief.", "Nothing else.")
    (missing,) = resolve_all(load_library(root), store.annotations())
    assert (missing.status, missing.remark) == (
        Status.MISSING,
        "its text is no longer in its source",
    )


# `briefing notes`


def saved_state(root: Path) -> Library:
    """A bookmark, a note on a passage, a note on a claim, and a bookmark gone missing."""
    library = load_library(root)
    store = store_for(library)
    passage_bookmark(store, library, "invest")
    brief = library.briefs[1]
    length = brief.claim("length")
    assert length is not None
    store.set_note(
        passage_place(brief, length.passages[1]),
        "the talks lasted three hours",
        "Three, not two: [see](javascript:alert(1))\n# not a heading\n<b>raw</b>",
    )
    store.set_note(Place(brief.path, claim="invest"), "Japan will invest", "Check the amount.")
    store.toggle_bookmark(Place(brief.path, claim="vanished"), "A claim since deleted.")
    store.save()
    return library


def run_notes(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["notes", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_notes_as_markdown_by_topic_with_quote_source_line_and_note(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_state(root)
    code, out, err = run_notes(capsys, str(root))
    assert (code, err) == (0, "")
    assert out.index("## Summit") < out.index("## Missing from the library")
    wire = "— Example Wire, “Leaders meet”, 2025-02-07, seeds/wire.txt:8"
    assert f"> Japan will invest one trillion dollars\n\n{wire}" in out
    # A source without outlet or title is named by its file, not the brief's key for it.
    assert "> the talks lasted three hours\n\n— post.txt, seeds/post.txt:1" in out
    assert "Note: Check the amount." in out
    assert "> A claim since deleted.\n\n— missing: its claim is no longer in its topic" in out
    # The reader's note stays text: no link, heading or HTML comes out of it.
    tokens = [t.type for t in MarkdownIt().parse(out) for t in [t, *(t.children or [])]]
    assert "link_open" not in tokens and "html_inline" not in tokens
    assert sum(1 for t in MarkdownIt().parse(out) if t.type == "heading_open") == 7


def test_notes_as_w3c_web_annotations_with_the_selectors_of_export(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = saved_state(root)
    code, out, _ = run_notes(capsys, str(root), "--format", "json")
    assert code == 0
    annotations: list[dict[str, Any]] = json.loads(out)
    assert [a["motivation"] for a in annotations] == [
        "bookmarking",
        "commenting",
        "commenting",
        "bookmarking",
    ]
    for annotation in annotations:
        assert annotation["@context"] == "http://www.w3.org/ns/anno.jsonld"
        assert annotation["type"] == "Annotation"
        assert annotation["id"].startswith("urn:uuid:")
        assert annotation["created"].endswith("+00:00")
        assert annotation["target"]["type"] == "SpecificResource"
    bookmark, passage_note, claim_note, missing = annotations
    exported = brief_document(library.briefs[1])["claims"]
    assert bookmark["target"] == exported[0]["passages"][0]["target"]
    assert passage_note["target"] == exported[1]["passages"][1]["target"]
    assert passage_note["body"] == {
        "type": "TextualBody",
        "value": "Three, not two: [see](javascript:alert(1))\n# not a heading\n<b>raw</b>",
        "format": "text/plain",
        "purpose": "commenting",
    }
    assert "body" not in bookmark
    assert claim_note["target"] == {
        "type": "SpecificResource",
        "source": "briefs/summit.yaml",
        "selector": [
            {"type": "TextQuoteSelector", "exact": "Japan will invest one trillion dollars."}
        ],
    }
    assert bookmark["briefing:place"]["status"] == "found"
    assert bookmark["briefing:place"]["saved"]["claim"] == "invest"
    assert bookmark["briefing:place"]["line"] == 8
    assert missing["briefing:place"]["status"] == "missing"
    assert missing["briefing:place"]["now"] is None
    assert missing["target"]["selector"][0]["exact"] == "A claim since deleted."


def test_notes_without_any_state(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_notes(capsys, str(root))
    assert code == 0 and out.endswith("\n\nNo bookmarks or notes yet.\n")
    assert run_notes(capsys, str(root), "--format", "json")[:2] == (0, "[]\n")


def test_notes_write_nothing_and_say_when_the_state_cannot_be_read(
    root: Path, state_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_state(root)
    before = {p.name: p.read_bytes() for p in state_dir.iterdir()}
    assert run_notes(capsys, str(root))[0] == 0
    path = state_path(root.resolve(), state_dir)
    path.write_bytes(b"{truncated")
    before[path.name] = b"{truncated"
    code, out, err = run_notes(capsys, str(root), "--format", "json")
    assert (code, out) == (1, "[]\n")
    assert err.startswith("briefing notes: The reading state ") and "not JSON" in err
    assert err.count("\n") == 1
    assert {p.name: p.read_bytes() for p in state_dir.iterdir()} == before


def test_notes_on_a_path_that_is_no_library(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run_notes(capsys, str(tmp_path / "nowhere"))
    assert code == 2 and err.startswith("briefing notes: ") and err.count("\n") == 1


def test_notes_use_the_same_state_as_the_reader_for_a_brief_file(
    root: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    saved_state(root)
    code, out, _ = run_notes(capsys, str(root / "briefs" / "summit.yaml"), "--format", "json")
    assert code == 0 and len(json.loads(out)) == 4
    assert {a.kind for a in StateStore.open(root.resolve()).annotations()} == {
        Kind.BOOKMARK,
        Kind.NOTE,
    }


def test_a_moved_passage_is_found_again_in_its_own_source_first() -> None:
    library = build_library()
    summit = library.briefs[0]
    article_5 = summit.claims[0]  # quotes the same words in sources a and b
    in_beta = article_5.passages[1]
    stale = Place(summit.path, "b", "sources/beta.md", "article-5", Span(1, 33))
    store = StateStore.open(library.root)
    store.toggle_bookmark(stale, "Article 5 applies to the islands")
    moved = resolve(library, store.annotations()[0])
    assert moved.status is Status.MOVED and moved.place == passage_place(summit, in_beta)
