"""Places and jumps: next/previous in a source, corroborating/conflicting targets, history."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import Quote, claim, library_of, named, source, span_of
from fixture_library import build_library

from briefing_tui.core.library.model import Brief, Library, Passage, Span, Stance
from briefing_tui.core.places import (
    History,
    Jump,
    JumpKind,
    Place,
    claim_place,
    first_with_partner,
    hit_place,
    in_source,
    locate,
    passage_place,
    related,
    settle,
    source_place,
    topic_place,
)
from briefing_tui.core.search.index import HitKind, SearchHit

SUMMIT, ISLANDS = "briefs/01-summit.yaml", "briefs/02-islands.yaml"
ALPHA, BETA, GAMMA = "sources/alpha.txt", "sources/beta.md", "sources/gamma.txt"


@pytest.fixture
def library() -> Library:
    """The fixture library."""
    return build_library()


def passage(library: Library, brief: int, claim: int, number: int) -> Passage:
    """A passage of the fixture library by its positions."""
    return library.briefs[brief].claims[claim].passages[number]


def test_next_and_previous_follow_text_order_and_wrap_round_at_the_ends(
    library: Library,
) -> None:
    brief = library.briefs[0]
    first = in_source(brief, "a", None, 0, JumpKind.NEXT).target
    assert first is passage(library, 0, 0, 0)
    second = in_source(brief, "a", first, 0, JumpKind.NEXT).target
    assert second is passage(library, 0, 1, 0)
    past_last = in_source(brief, "a", passage(library, 0, 2, 0), 0, JumpKind.NEXT)
    assert past_last.target is first
    assert past_last.reason == "next passage (wrapped to the first in this source)"
    before_first = in_source(brief, "a", first, 0, JumpKind.PREVIOUS)
    assert before_first.target is passage(library, 0, 2, 0)
    assert before_first.reason == "previous passage (wrapped to the last in this source)"


def test_without_a_selection_next_starts_from_the_offset(library: Library) -> None:
    brief = library.briefs[0]
    tariffs = library.sources["sources/alpha.txt"].text.index("\tTariffs")
    jump = in_source(brief, "a", None, tariffs, JumpKind.NEXT)
    assert jump.target is passage(library, 0, 1, 0)
    back = in_source(brief, "a", None, tariffs, JumpKind.PREVIOUS)
    assert back.target is passage(library, 0, 0, 0)


def test_with_nothing_selected_next_and_previous_take_the_first_and_last(
    library: Library,
) -> None:
    brief = library.briefs[0]
    first = in_source(brief, "a", None, None, JumpKind.NEXT)
    assert first.target == brief.passages_in("a")[0]
    assert first.reason == "first passage in this source"
    last = in_source(brief, "a", None, None, JumpKind.PREVIOUS)
    assert last.target == brief.passages_in("a")[-1]
    assert last.reason == "last passage in this source"


def test_with_no_claim_chosen_jumps_take_the_topic_s_first_partnered_passage(
    library: Library,
) -> None:
    summit = library.briefs[0]
    conflict = first_with_partner(summit, JumpKind.CONFLICTING)
    # Claim 1 is corroborated only; claim 2's supporting passage is the first with a conflict.
    assert conflict.target is passage(library, 0, 1, 0)
    assert conflict.reason == "first passage in conflict in this topic"
    agree = first_with_partner(summit, JumpKind.CORROBORATING)
    assert agree.target is passage(library, 0, 0, 0)
    islands = library.briefs[1]
    assert first_with_partner(islands, JumpKind.CONFLICTING) == Jump(
        None, "No conflicts in this topic"
    )
    assert first_with_partner(islands, JumpKind.CORROBORATING).target is None


def test_orphaned_passages_are_never_jump_targets(library: Library) -> None:
    brief = library.briefs[0]
    assert passage(library, 0, 2, 1) not in brief.passages_in("a")


def test_corroborating_goes_to_the_other_supporting_passage(library: Library) -> None:
    claim = library.briefs[0].claims[0]
    alpha, beta = claim.passages
    assert related(claim, alpha, alpha, JumpKind.CORROBORATING) == Jump(
        beta, "corroborating 1 of 1"
    )
    again = related(claim, alpha, beta, JumpKind.CORROBORATING)
    assert again == Jump(beta, "corroborating 1 of 1 (wrapped to the first)")


def test_conflicting_goes_to_the_opposite_stance(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    supports, conflicts, context = claim.passages
    assert related(claim, supports, supports, JumpKind.CONFLICTING).target is conflicts
    assert related(claim, conflicts, conflicts, JumpKind.CONFLICTING).target is supports
    refused = related(claim, context, context, JumpKind.CONFLICTING)
    assert refused.target is None and "context" in refused.reason


def test_repeated_conflicting_visits_every_opposing_passage_in_turn() -> None:
    wire = named("w", source("s/w.txt", "Yes it was. No it was not. It never was."))
    said = claim(
        0,
        "It was.",
        Quote(wire, "Yes it was."),
        Quote(wire, "No it was not.", Stance.CONFLICTS),
        Quote(wire, "It never was.", Stance.CONFLICTS),
    )
    yes, no, never = said.passages
    first = related(said, yes, yes, JumpKind.CONFLICTING)
    assert first == Jump(no, "conflicting 1 of 2")
    second = related(said, yes, no, JumpKind.CONFLICTING)  # on from the passage it started at
    assert second == Jump(never, "conflicting 2 of 2")
    third = related(said, yes, never, JumpKind.CONFLICTING)
    assert third == Jump(no, "conflicting 1 of 2 (wrapped to the first)")


def test_an_orphaned_partner_is_said_to_be_not_found() -> None:
    wire = named("w", source("s/w.txt", "Yes it was."))
    said = claim(0, "It was.", Quote(wire, "Yes it was."), Quote(wire, "Nowhere", Stance.CONFLICTS))
    jump = related(said, said.passages[0], said.passages[0], JumpKind.CONFLICTING)
    assert jump == Jump(
        None, "The conflicting quote was not found in the source (see the claim panel)"
    )


def test_nothing_to_corroborate_says_why(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    supports = claim.passages[0]
    jump = related(claim, supports, supports, JumpKind.CORROBORATING)
    assert jump.target is None
    assert jump.reason == "No other passage of this claim supports it"
    lone = library.briefs[0].claims[2]
    nothing = related(lone, lone.passages[0], lone.passages[0], JumpKind.CONFLICTING)
    assert nothing.target is None
    assert nothing.reason == "Nothing in this claim conflicts with this passage"


def test_without_a_passage_the_claim_s_first_of_the_stance_is_taken(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    assert related(claim, None, None, JumpKind.CONFLICTING).target is claim.passages[1]
    assert related(claim, None, None, JumpKind.CORROBORATING).target is claim.passages[0]
    topic = library.briefs[0].claims[0]
    assert related(topic, None, None, JumpKind.CONFLICTING).target is None


def test_history_goes_back_and_forward_like_a_browser() -> None:
    history = History()
    one, two, three = Place(SUMMIT, "a"), Place(SUMMIT, "b"), Place(ISLANDS, "c")
    history.record(one)
    history.record(two)
    assert history.back(three) == two
    assert history.back(two) == one
    assert history.back(one) is None
    assert history.forward(one) == two
    assert history.forward(two) == three
    assert history.forward(three) is None


def test_a_new_jump_forgets_the_forward_stack() -> None:
    history = History()
    history.record(Place(SUMMIT, "a"))
    assert history.back(Place(SUMMIT, "b")) == Place(SUMMIT, "a")
    assert history.can_go_forward
    history.record(Place(SUMMIT, "a"))
    assert not history.can_go_forward


def test_history_is_bounded_and_skips_repeats() -> None:
    history = History(limit=3)
    for index in range(10):
        history.record(Place(f"briefs/{index}.yaml"))
        history.record(Place(f"briefs/{index}.yaml"))
    places = []
    current = Place("briefs/99.yaml")
    while (previous := history.back(current)) is not None:
        places.append(previous.brief)
        current = previous
    assert places == ["briefs/9.yaml", "briefs/8.yaml", "briefs/7.yaml"]


def test_a_text_hit_opens_in_the_current_topic_when_it_reads_that_source(
    library: Library,
) -> None:
    hit = SearchHit(HitKind.TEXT, "x", (0,), 1.0, 0, GAMMA, Span(3, 9))
    assert hit_place(library, hit, Place(ISLANDS, "a")) == Place(
        ISLANDS, "c", GAMMA, span=Span(3, 9)
    )
    assert hit_place(library, hit, Place(SUMMIT, "a")) == Place(SUMMIT, "c", GAMMA, span=Span(3, 9))
    beta = SearchHit(HitKind.TEXT, "x", (0,), 1.0, None, BETA, Span(0, 4))
    assert hit_place(library, beta, Place(ISLANDS, "c")) == Place(
        SUMMIT, "b", BETA, span=Span(0, 4)
    )


def test_claim_note_and_title_hits_open_their_claim_or_topic(library: Library) -> None:
    claim = SearchHit(HitKind.CLAIM, "Tariffs", (0,), 1.0, 0, claim=1)
    first = passage(library, 0, 1, 0).span
    assert hit_place(library, claim, None) == Place(SUMMIT, "a", ALPHA, "tariffs", first)
    note = SearchHit(HitKind.NOTE, "says at length", (0,), 1.0, 0, BETA, claim=1, passage=1)
    second = passage(library, 0, 1, 1).span
    assert hit_place(library, note, None) == Place(SUMMIT, "b", BETA, "tariffs", second)
    title = SearchHit(HitKind.TITLE, "islands", (0,), 1.0, 1)
    assert hit_place(library, title, Place(SUMMIT, "a")) == Place(ISLANDS, "c", GAMMA)


def test_a_hit_in_a_source_no_topic_reads_has_no_place(library: Library) -> None:
    hit = SearchHit(HitKind.TEXT, "x", (0,), 1.0, None, "sources/unused.txt", Span(0, 1))
    assert hit_place(library, hit, Place(SUMMIT, "a")) is None


# Places found again in a library loaded anew


def test_a_place_settles_on_itself_in_the_same_library(library: Library) -> None:
    chosen = passage(library, 0, 1, 1)
    place = passage_place(library.briefs[0], chosen)
    assert place == Place(SUMMIT, "b", BETA, "tariffs", chosen.span)
    assert settle(library, place) == place
    located = locate(library, place)
    assert located is not None and located.passage is chosen


def test_a_place_names_its_brief_by_path_so_an_earlier_brief_failing_moves_nothing(
    library: Library,
) -> None:
    place = topic_place(library.briefs[1])
    without_first = library_of(library.briefs[1])
    assert without_first.briefs[0].index == 0  # the islands are now topic 1
    located = locate(without_first, settle(without_first, place) or place)
    assert located is not None and located.brief.path == ISLANDS


def test_a_claim_that_is_gone_settles_on_its_topic(library: Library) -> None:
    place = claim_place(library.briefs[0], library.briefs[0].claims[1], "b")
    summit = library.briefs[0]
    edited = library_of(replace(summit, claims=summit.claims[:1]), library.briefs[1])
    assert settle(edited, place) == Place(SUMMIT, "b", BETA)


def test_a_topic_that_is_gone_settles_on_the_first_topic(library: Library) -> None:
    place = topic_place(library.briefs[1])
    edited = library_of(library.briefs[0])
    assert settle(edited, place) == topic_place(edited.briefs[0])
    assert settle(library_of(), place) is None


def test_a_passage_whose_quote_moved_is_found_again_in_its_claim_and_source() -> None:
    wire = named("w", source("s/w.txt", "Alpha. Beta gamma. Delta."))
    before = library_of(
        Brief(0, "briefs/x.yaml", "X", (wire,), (claim(0, "C", Quote(wire, "Beta gamma")),))
    )
    place = passage_place(before.briefs[0], before.briefs[0].claims[0].passages[0])
    moved = named("w", source("s/w.txt", "A longer opening. Alpha. Beta gamma. Delta."))
    after = library_of(
        Brief(0, "briefs/x.yaml", "X", (moved,), (claim(0, "C", Quote(moved, "Beta gamma")),))
    )
    settled = settle(after, place)
    assert settled is not None and settled.passage == span_of(moved.source.text, "Beta gamma")
    located = locate(after, settled)
    assert located is not None and located.passage is after.briefs[0].claims[0].passages[0]


def test_a_renamed_source_key_is_found_again_by_its_file(library: Library) -> None:
    place = source_place(library.briefs[0], "b")
    summit = library.briefs[0]
    renamed = tuple(replace(s, key="beta") if s.key == "b" else s for s in summit.sources)
    edited = library_of(replace(summit, sources=renamed), library.briefs[1])
    assert settle(edited, place) == Place(SUMMIT, "beta", BETA)


def test_a_selected_span_past_the_end_of_an_edited_source_is_dropped(library: Library) -> None:
    text = library.sources[GAMMA].text
    place = Place(ISLANDS, "c", GAMMA, span=Span(len(text) - 4, len(text)))
    assert settle(library, place) == place
    islands = library.briefs[1]
    short = named("c", source(GAMMA, "Short."))
    edited = library_of(library.briefs[0], replace(islands, sources=(short, islands.sources[1])))
    assert settle(edited, place) == Place(ISLANDS, "c", GAMMA)
