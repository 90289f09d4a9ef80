"""The reader's notes are found by search, with the library's query language, as the reader's."""

from __future__ import annotations

from pathlib import Path

import pytest
from fixture_library import build_library

from briefing_tui.core.annotations import resolve_all, searchable_notes
from briefing_tui.core.library.model import Library, Span
from briefing_tui.core.places import Place, claim_place, hit_place, passage_place
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.core.search.own_notes import OwnNotesSearch, merged
from briefing_tui.core.search.units import HitKind
from briefing_tui.core.state import StateStore

ON_CLAIM = "Ask the ministry which outlet had the briefing"
ON_PASSAGE = "Beta Times contradicts the wire here"
ON_TEXT = "Check this filler paragraph against the transcript"


@pytest.fixture
def library() -> Library:
    """The fixture library."""
    return build_library()


@pytest.fixture
def notes(library: Library, tmp_path: Path) -> tuple[StateStore, OwnNotesSearch, SearchIndex]:
    """A note on a claim, one on a passage and one on text that no passage quotes."""
    store = StateStore.open(tmp_path / "library")
    summit = library.briefs[0]
    tariffs = summit.claims[1]
    store.set_note(Place(summit.path, claim=tariffs.key), tariffs.text, ON_CLAIM)
    conflicting = tariffs.passages[1]
    store.set_note(passage_place(summit, conflicting), conflicting.quote, ON_PASSAGE)
    text = Span(200, 260)
    place = Place(summit.path, "a", "sources/alpha.txt", span=text)
    store.set_note(place, library.sources["sources/alpha.txt"].text[200:260], ON_TEXT)
    store.toggle_bookmark(Place(summit.path, claim=summit.claims[0].key), "a bookmark")
    index = SearchIndex.build(library)
    own = searchable_notes(resolve_all(library, store.annotations()))
    return store, OwnNotesSearch(own, index.labels, index.catalog), index


def test_only_notes_are_searched_not_bookmarks(
    notes: tuple[StateStore, OwnNotesSearch, SearchIndex],
) -> None:
    _, search, _ = notes
    assert len(search) == 3


def test_a_note_is_found_by_a_word_with_a_typo_and_is_the_readers(
    notes: tuple[StateStore, OwnNotesSearch, SearchIndex],
) -> None:
    _, search, _ = notes
    (hit,) = search.search("minstry")
    assert hit.text == ON_CLAIM and hit.by_reader and hit.kind is HitKind.NOTE
    assert hit.text[hit.matches[0] : hit.matches[-1] + 1] == "ministry"


def test_kind_note_finds_the_readers_notes_beside_the_curators(
    notes: tuple[StateStore, OwnNotesSearch, SearchIndex],
) -> None:
    _, search, index = notes
    found = merged(index.search("kind:note"), search.search("kind:note"), 50)
    curators = {hit.text for hit in found if not hit.by_reader}
    readers = {hit.text for hit in found if hit.by_reader}
    assert curators == {"The outlets disagree.", "says at length"}
    assert readers == {ON_CLAIM, ON_PASSAGE, ON_TEXT}
    assert search.search("kind:claim") == []


def test_filters_apply_to_the_readers_notes_as_to_the_library(
    notes: tuple[StateStore, OwnNotesSearch, SearchIndex],
) -> None:
    _, search, _ = notes
    # A note on a claim has its passages' stances, as the curator's have; on a passage, its own.
    assert {h.text for h in search.search("stance:conflicts")} == {ON_CLAIM, ON_PASSAGE}
    assert [h.text for h in search.search("stance:supports")] == [ON_CLAIM]
    assert {h.text for h in search.search("topic:trade")} == {ON_CLAIM, ON_PASSAGE, ON_TEXT}
    assert search.search("topic:islands") == []
    assert [h.text for h in search.search('source:"Beta Times"')] == [ON_PASSAGE]
    assert {h.text for h in search.search("!beta")} == {ON_CLAIM, ON_TEXT}


def test_each_hit_opens_where_its_note_is(
    library: Library, notes: tuple[StateStore, OwnNotesSearch, SearchIndex]
) -> None:
    _, search, _ = notes
    summit = library.briefs[0]
    tariffs = summit.claims[1]
    (on_claim,) = search.search("ministry")
    assert hit_place(library, on_claim, None) == claim_place(summit, tariffs, None)
    (on_passage,) = search.search("contradicts")
    assert hit_place(library, on_passage, None) == passage_place(summit, tariffs.passages[1])
    (on_text,) = search.search("transcript")
    opened = hit_place(library, on_text, None)
    assert opened is not None and opened.span == Span(200, 260)
    assert opened.source_path == "sources/alpha.txt"


def test_a_note_whose_topic_is_gone_is_not_searched(
    library: Library, notes: tuple[StateStore, OwnNotesSearch, SearchIndex]
) -> None:
    store, _, _ = notes
    store.set_note(Place("briefs/gone.yaml", claim="x"), "a claim", "a lost note")
    own = searchable_notes(resolve_all(library, store.annotations()))
    assert "a lost note" not in {note.text for note in own}


def test_merged_keeps_the_best_first_and_the_library_first_on_a_tie(
    notes: tuple[StateStore, OwnNotesSearch, SearchIndex],
) -> None:
    _, search, index = notes
    found, own = index.search("outlet"), search.search("outlet")
    both = merged(found, own, 50)
    assert [h.score for h in both] == sorted((h.score for h in both), reverse=True)
    assert len(both) == len(found) + len(own)
    assert merged(found, own, 1) == both[:1]
    tie = [h for h in both if h.score == both[0].score]
    assert [h.by_reader for h in tie] == sorted(h.by_reader for h in tie)
