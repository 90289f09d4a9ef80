"""The jump logic: next/previous in a source, corroborating/conflicting targets, history."""

from __future__ import annotations

from briefing_tui.core.library.model import Library, PassageRef, Span
from briefing_tui.core.places import (
    History,
    Jump,
    JumpKind,
    Place,
    first_with_partner,
    hit_place,
    in_source,
    related,
)
from briefing_tui.core.search.index import HitKind, SearchHit


def test_next_and_previous_follow_text_order_and_stop_at_the_ends(library: Library) -> None:
    brief = library.briefs[0]
    first = in_source(brief, "a", None, 0, JumpKind.NEXT).target
    assert first is not None and first.ref == PassageRef(0, 0, 0)
    second = in_source(brief, "a", first.ref, 0, JumpKind.NEXT).target
    assert second is not None and second.ref == PassageRef(0, 1, 0)
    last = in_source(brief, "a", PassageRef(0, 2, 0), 0, JumpKind.NEXT)
    assert last.target is None and last.reason == "No next passage in this source"
    before_first = in_source(brief, "a", first.ref, 0, JumpKind.PREVIOUS)
    assert before_first.target is None
    assert before_first.reason == "No previous passage in this source"


def test_without_a_selection_next_starts_from_the_offset(library: Library) -> None:
    brief = library.briefs[0]
    tariffs = library.sources["sources/alpha.txt"].text.index("\tTariffs")
    jump = in_source(brief, "a", None, tariffs, JumpKind.NEXT)
    assert jump.target is not None and jump.target.ref == PassageRef(0, 1, 0)
    back = in_source(brief, "a", None, tariffs, JumpKind.PREVIOUS)
    assert back.target is not None and back.target.ref == PassageRef(0, 0, 0)


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
    assert conflict.target is not None and conflict.target.ref == PassageRef(0, 1, 0)
    assert conflict.reason == "first passage in conflict in this topic"
    agree = first_with_partner(summit, JumpKind.CORROBORATING)
    assert agree.target is not None and agree.target.ref == PassageRef(0, 0, 0)
    islands = library.briefs[1]
    assert first_with_partner(islands, JumpKind.CONFLICTING) == Jump(
        None, "No conflicts in this topic"
    )
    assert first_with_partner(islands, JumpKind.CORROBORATING).target is None


def test_orphaned_passages_are_never_jump_targets(library: Library) -> None:
    brief = library.briefs[0]
    refs = [p.ref for p in brief.passages_in("a")]
    assert PassageRef(0, 2, 1) not in refs


def test_corroborating_cycles_through_the_claim(library: Library) -> None:
    claim = library.briefs[0].claims[0]
    alpha, beta = claim.passages
    assert related(claim, alpha, JumpKind.CORROBORATING).target == beta
    assert related(claim, beta, JumpKind.CORROBORATING).target == alpha


def test_conflicting_goes_to_the_opposite_stance(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    supports, conflicts, context = claim.passages
    assert related(claim, supports, JumpKind.CONFLICTING).target == conflicts
    assert related(claim, conflicts, JumpKind.CONFLICTING).target == supports
    refused = related(claim, context, JumpKind.CONFLICTING)
    assert refused.target is None and "context" in refused.reason


def test_nothing_to_corroborate_says_why(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    supports = claim.passages[0]
    jump = related(claim, supports, JumpKind.CORROBORATING)
    assert jump.target is None
    assert jump.reason == "No other passage of this claim supports it"
    lone = library.briefs[0].claims[2]
    nothing = related(lone, lone.passages[0], JumpKind.CONFLICTING)
    assert nothing.target is None
    assert nothing.reason == "Nothing in this claim conflicts with this passage"


def test_without_a_passage_the_claim_s_first_of_the_stance_is_taken(library: Library) -> None:
    claim = library.briefs[0].claims[1]
    assert related(claim, None, JumpKind.CONFLICTING).target == claim.passages[1]
    assert related(claim, None, JumpKind.CORROBORATING).target == claim.passages[0]
    assert related(library.briefs[0].claims[0], None, JumpKind.CONFLICTING).target is None


def test_history_goes_back_and_forward_like_a_browser() -> None:
    history = History()
    one, two, three = Place(0, "a"), Place(0, "b"), Place(1, "c")
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
    history.record(Place(0, "a"))
    assert history.back(Place(0, "b")) == Place(0, "a")
    assert history.can_go_forward
    history.record(Place(0, "a"))
    assert not history.can_go_forward


def test_history_is_bounded_and_skips_repeats() -> None:
    history = History(limit=3)
    for index in range(10):
        history.record(Place(index))
        history.record(Place(index))
    places = []
    current = Place(99)
    while (previous := history.back(current)) is not None:
        places.append(previous.brief)
        current = previous
    assert places == [9, 8, 7]


def test_a_text_hit_opens_in_the_current_topic_when_it_reads_that_source(
    library: Library,
) -> None:
    hit = SearchHit(HitKind.TEXT, "x", (0,), 1.0, 0, "sources/gamma.txt", Span(3, 9))
    assert hit_place(library, hit, Place(1, "a")) == Place(1, "c", span=Span(3, 9))
    assert hit_place(library, hit, Place(0, "a")) == Place(0, "c", span=Span(3, 9))
    beta = SearchHit(HitKind.TEXT, "x", (0,), 1.0, None, "sources/beta.md", Span(0, 4))
    assert hit_place(library, beta, Place(1, "c")) == Place(0, "b", span=Span(0, 4))


def test_claim_note_and_title_hits_open_their_claim_or_topic(library: Library) -> None:
    claim = SearchHit(HitKind.CLAIM, "Tariffs", (0,), 1.0, 0, claim=1)
    assert hit_place(library, claim, None) == Place(0, "a", 1, PassageRef(0, 1, 0))
    note = SearchHit(
        HitKind.NOTE,
        "says at length",
        (0,),
        1.0,
        0,
        "sources/beta.md",
        claim=1,
        passage=PassageRef(0, 1, 1),
    )
    assert hit_place(library, note, None) == Place(0, "b", 1, PassageRef(0, 1, 1))
    title = SearchHit(HitKind.TITLE, "islands", (0,), 1.0, 1)
    assert hit_place(library, title, Place(0, "a")) == Place(1, "c")


def test_a_hit_in_a_source_no_topic_reads_has_no_place(library: Library) -> None:
    hit = SearchHit(HitKind.TEXT, "x", (0,), 1.0, None, "sources/unused.txt", Span(0, 1))
    assert hit_place(library, hit, Place(0, "a")) is None
