"""The search index: units, matching, ranking, filters, and robustness to any query."""

from __future__ import annotations

import pytest
from builders import Quote, claim, library_of, named, source
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Brief, Library, Stance
from briefing_tui.core.search.hits import hit_context, hit_label, match_runs, snippet
from briefing_tui.core.search.index import SearchHit, SearchIndex
from briefing_tui.core.search.units import MAX_UNIT_CHARS, HitKind, text_units

WIRE = (
    "The two leaders met in Washington on February 7, 2025. U.S. President Donald Trump "
    "hosted Prime Minister Shigeru Ishiba.\n"
    "They reaffirmed that Article 5 of the treaty applies to the Senkaku Islands.\n"
    "\n"
    "Japan will invest one trillion dollars in the United States. The talks lasted two hours.\n"
)
POST = (
    "Officials said the talks lasted three hours.\n"
    "Trillionaires were not mentioned.\n"
    "A trilion-dollar figure was misprinted.\n"
    "Lasted a while, the summit talks did.\n"
)
PREVIEW = "Before the summit, analysts expected tariffs to dominate.\n"


def make_library() -> Library:
    """Two briefs over three sources, one passage of each stance and notes."""
    wire = source("seeds/wire.txt", WIRE, title="Leaders meet", outlet="Example Wire")
    post = source("seeds/post.md", POST, outlet="Example Post", kind="report")
    preview = source("seeds/preview.txt", PREVIEW, title="Summit preview")
    on_wire, on_post = named("wire", wire), named("post", post)
    claims = (
        claim(0, "Japan will invest one trillion dollars.", Quote(on_wire, "Japan will invest")),
        claim(
            1,
            "The talks lasted two hours.",
            Quote(on_wire, "talks lasted two"),
            Quote(on_post, "talks lasted three hours", Stance.CONFLICTS, "says three, not two"),
            note="The sources disagree on the length.",
        ),
    )
    first = Brief(
        0, "briefs/01-summit.yaml", "Summit meeting", (on_wire, on_post), claims, "What was agreed."
    )
    second = Brief(
        1,
        "briefs/02-senkaku.yaml",
        "Senkaku Islands and Article 5",
        (named("wire", wire), named("preview", preview, kind="preview")),
    )
    return library_of(first, second)


_INDEX = SearchIndex.build(make_library())


@pytest.fixture(scope="module")
def library() -> Library:
    return make_library()


@pytest.fixture(scope="module")
def index() -> SearchIndex:
    return _INDEX


def texts(hits: list[SearchHit]) -> list[str]:
    return [hit.text for hit in hits]


def matched(hit: SearchHit) -> str:
    return "".join(hit.text[i] for i in hit.matches)


# Units


def test_text_units_are_sentences_with_their_spans() -> None:
    spans = text_units(WIRE)
    units = [WIRE[start:end] for start, end in spans]
    assert units[0] == "The two leaders met in Washington on February 7, 2025."
    assert units[1] == "U.S. President Donald Trump hosted Prime Minister Shigeru Ishiba."
    assert "The talks lasted two hours." in units
    assert all(unit == unit.strip() and unit for unit in units)


def test_a_sentence_wrapped_across_lines_is_one_unit_and_a_blank_line_ends_one() -> None:
    text = "The envoy met\nTamsin Haddad in\nGeneva on Monday\n\nA heading\n\nNext one.\n"
    units = [text[start:end] for start, end in text_units(text)]
    assert units == ["The envoy met\nTamsin Haddad in\nGeneva on Monday", "A heading", "Next one."]


def test_a_phrase_is_found_across_a_hard_wrap() -> None:
    wrapped = "Officials named\nTamsin\nHaddad as the new envoy to the talks.\n"
    library = library_of(
        Brief(0, "briefs/a.yaml", "A", (named("w", source("w.txt", wrapped)),)),
    )
    index = SearchIndex.build(library)
    for query in ('"tamsin haddad"', "'named tamsin", "tamsin haddad", "^officials named tamsin"):
        hits = index.search(query)
        assert hits and hits[0].kind is HitKind.TEXT, query
        assert hits[0].text == wrapped.strip()  # the text as written, its line breaks kept
    hit = index.search('"Tamsin Haddad"')[0]
    assert matched(hit) == "Tamsin\nHaddad"
    long_line = " ".join(["word"] * 200)
    spans = text_units(long_line.replace(" ", "\n", 150))
    assert all(end - start <= MAX_UNIT_CHARS for start, end in spans)


def test_a_huge_single_line_is_cut_into_bounded_units() -> None:
    text = "x" * 1_000_000 + " tail words"
    spans = text_units(text)
    assert all(0 < end - start <= MAX_UNIT_CHARS for start, end in spans)
    assert "".join(text[start:end] for start, end in spans).replace(" ", "") == "".join(
        text.split()
    )


def test_every_kind_of_unit_is_searchable(index: SearchIndex) -> None:
    queries = ("summit", "disagree", "three", "agreed", "example", "trillion")
    kinds = {hit.kind for query in queries for hit in index.search(query, limit=500)}
    assert kinds == set(HitKind)


def test_a_text_hit_locates_its_sentence(index: SearchIndex, library: Library) -> None:
    hit = index.search("reaffirmed")[0]
    assert hit.kind is HitKind.TEXT
    assert hit.source_path == "seeds/wire.txt" and hit.span is not None
    assert library.sources["seeds/wire.txt"].text[hit.span.start : hit.span.end] == hit.text
    assert hit.brief == 0


def test_a_passage_note_hit_names_its_passage(index: SearchIndex) -> None:
    hit = next(h for h in index.search("says three") if h.kind is HitKind.NOTE)
    assert hit.passage == 1 and hit.claim == 1 and hit.brief == 0
    assert hit.source_path == "seeds/post.md"


def test_a_claim_hit_names_its_claim(index: SearchIndex) -> None:
    hit = index.search("kind:claim invest")[0]
    assert (hit.kind, hit.brief, hit.claim) == (HitKind.CLAIM, 0, 0)


# Ranking


def test_whole_word_beats_prefix_beats_typo(index: SearchIndex) -> None:
    found = texts(index.search("trillion kind:text"))
    whole = found.index("Japan will invest one trillion dollars in the United States.")
    prefix = found.index("Trillionaires were not mentioned.")
    typo = found.index("A trilion-dollar figure was misprinted.")
    assert whole < prefix < typo


def test_letters_in_order_within_a_word_match_last(index: SearchIndex) -> None:
    hits = index.search("trlln kind:text")
    assert set(texts(hits)) == {
        "Japan will invest one trillion dollars in the United States.",
        "Trillionaires were not mentioned.",
    }
    assert all(matched(hit).lower() == "trlln" for hit in hits)
    assert hits[0].score < index.search("trillion kind:text")[-1].score


def test_exact_phrase_beats_the_same_words_apart(index: SearchIndex) -> None:
    found = texts(index.search("talks lasted kind:text"))
    assert found.index("The talks lasted two hours.") < found.index(
        "Lasted a while, the summit talks did."
    )


def test_a_title_beats_a_sentence_with_the_same_words(index: SearchIndex) -> None:
    hits = index.search("senkaku islands")
    assert hits[0].kind is HitKind.TITLE
    assert hits[0].score > hits[1].score


@pytest.mark.parametrize("typo", ["trilion", "trillon", "trillio"])
def test_typos_find_trillion(index: SearchIndex, typo: str) -> None:
    assert any("trillion" in hit.text for hit in index.search(typo))


@pytest.mark.parametrize("typo", ["Senkaku", "senkau", "Senakku", "senkaky", "SENKAKU"])
def test_typos_find_senkaku(index: SearchIndex, typo: str) -> None:
    hits = index.search(typo)
    assert hits and all("senkaku" in hit.text.lower() for hit in hits)
    at = hits[0].text.lower().index("senkaku")
    assert hits[0].matches and set(hits[0].matches) <= set(range(at, at + len("senkaku")))


def test_matches_are_the_matched_characters(index: SearchIndex) -> None:
    hit = index.search("'rillion dol")[0]
    assert matched(hit) == "rilliondol"
    assert list(hit.matches) == sorted(set(hit.matches))


# Operators


def test_exact_substring(index: SearchIndex) -> None:
    hits = index.search("'illionaire")
    assert texts(hits) == ["Trillionaires were not mentioned."]


def test_quoted_phrase(index: SearchIndex) -> None:
    assert set(texts(index.search('"lasted two hours" kind:text'))) == {
        "The talks lasted two hours."
    }


def test_prefix_and_suffix_anchor_to_the_unit(index: SearchIndex) -> None:
    assert all(t.lower().startswith("the") for t in texts(index.search("^the")))
    assert all(t.endswith("hours.") for t in texts(index.search("hours.$")))
    assert texts(index.search("^summit meeting$")) == ["Summit meeting"]


def test_negation_excludes(index: SearchIndex) -> None:
    with_three = texts(index.search("talks"))
    without = texts(index.search("talks !three"))
    assert any("three" in t for t in with_three)
    assert without and not any("three" in t.lower() for t in without)
    assert not any(t.lower().startswith("the") for t in texts(index.search("talks !^the")))


def test_negation_alone_lists_everything_else(index: SearchIndex) -> None:
    hits = index.search("!trillion", limit=1000)
    assert hits and not any("trillion" in hit.text.lower() for hit in hits)
    assert len(hits) + len(index.search("'trillion", limit=1000)) == len(index)


def test_alternatives_union(index: SearchIndex) -> None:
    hours = set(texts(index.search("hours", limit=100)))
    dollars = set(texts(index.search("dollars", limit=100)))
    assert set(texts(index.search("hours | dollars", limit=100))) == hours | dollars


def test_a_term_with_punctuation_needs_all_its_words(index: SearchIndex) -> None:
    hit = index.search("u.s.-president")[0]
    assert hit.text.startswith("U.S. President")
    assert matched(hit) == "USPresident"


def test_cached_lookups_give_the_same_results(index: SearchIndex) -> None:
    typed = [index.search("talks lasted"[:n]) for n in range(1, 13)]
    again = index.search("talks lasted")
    index.clear_cache()
    assert typed[-1] == again == index.search("talks lasted")


def test_no_match_is_empty(index: SearchIndex) -> None:
    assert index.search("zzzzqqq") == []
    assert index.search("talks zzzzqqq") == []


def test_limit_is_respected(index: SearchIndex) -> None:
    assert len(index.search("the", limit=3)) == 3


# Filters


def test_source_filter_by_key_outlet_or_path(index: SearchIndex) -> None:
    for value in ("post", "post.md", "seeds/post", "Example-Post"):
        assert index.search(f"three source:{value}")
    hits = index.search("talks source:post")
    assert {h.source_path for h in hits if h.kind is HitKind.TEXT} == {"seeds/post.md"}
    assert not any(h.source_path == "seeds/wire.txt" for h in hits)


def test_negated_source_filter(index: SearchIndex) -> None:
    hits = index.search("talks !source:post")
    assert hits and all(h.source_path != "seeds/post.md" for h in hits)


def test_topic_filter_restricts_and_names_the_topic(index: SearchIndex) -> None:
    hits = index.search("topic:senkaku the", limit=100)
    assert hits and all(h.brief == 1 for h in hits)
    assert all(h.source_path in (None, "seeds/wire.txt", "seeds/preview.txt") for h in hits)


def test_stance_filter_keeps_units_a_passage_of_that_stance_covers(index: SearchIndex) -> None:
    hits = index.search("stance:conflicts", limit=100)
    assert "Officials said the talks lasted three hours." in texts(hits)
    assert "Japan will invest one trillion dollars in the United States." not in texts(hits)
    assert "The talks lasted two hours." in texts(index.search("stance:supp kind:text"))


def test_kind_filter_by_unit_kind_or_source_kind(index: SearchIndex) -> None:
    assert {h.kind for h in index.search("kind:claim", limit=100)} == {HitKind.CLAIM}
    previews = index.search("kind:preview summit")
    assert set(texts(previews)) == {PREVIEW.strip(), "Summit preview"}


def test_a_source_named_any_way_selects_the_same_units(index: SearchIndex) -> None:
    for query in ("the", "talks", "three hours"):
        named_by = [
            index.search(f"{query} source:{value}", limit=100)
            for value in ("post", '"Example Post"', "seeds/post.md", "example-post")
        ]
        assert all(hits == named_by[0] for hits in named_by)
    hits = index.search("source:post", limit=100)
    assert {h.kind for h in hits} == {HitKind.TEXT, HitKind.SOURCE, HitKind.NOTE}
    assert all(h.source_path == "seeds/post.md" for h in hits)


def test_source_and_kind_filters_leave_out_what_is_no_source_text(index: SearchIndex) -> None:
    # The brief cites the wire, but its title, summary and claims are not the wire's text.
    assert not index.search("summit source:wire kind:title")
    assert not index.search("agreed source:wire")
    assert not index.search("kind:claim source:wire")
    assert {h.kind for h in index.search("senkaku kind:preview")} <= {HitKind.TEXT, HitKind.SOURCE}
    assert not index.search("senkaku islands kind:preview")


def test_a_filter_that_names_nothing_finds_nothing(index: SearchIndex) -> None:
    assert index.search("talks source:nosuchthing") == []


# Odd input


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "'''",
        '"',
        "|||",
        "^$",
        "$$$",
        "...",
        "?!.,;:",
        "a" * 1000,
        "the " * 250,
        "🦀 emoji 🎌",
        "\x00\x1b[2J\x07\x9b",
        "source: topic: stance: kind:",
        "[bold]markup[/]",
        "İ",
        "ß",
        "\t\n",
    ],
)
def test_odd_queries_never_raise(index: SearchIndex, query: str) -> None:
    for hit in index.search(query):
        assert all(0 <= i < len(hit.text) for i in hit.matches)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.integers(min_value=0, max_value=60))
def test_any_query_returns_matches_inside_the_unit(query: str, limit: int) -> None:
    hits = _INDEX.search(query, limit=limit)
    assert len(hits) <= limit
    for hit in hits:
        assert all(0 <= i < len(hit.text) for i in hit.matches)
        assert list(hit.matches) == sorted(set(hit.matches))


@given(st.sampled_from(["talks", "trillion", "senkaku", "hours", "summit"]), st.text(max_size=8))
def test_any_operator_around_a_word_is_safe(word: str, noise: str) -> None:
    for query in (f"'{word}{noise}", f"^{noise}{word}", f"{word}{noise}$", f"!{noise} {word}"):
        for hit in _INDEX.search(query):
            assert all(0 <= i < len(hit.text) for i in hit.matches)


# Presentation helpers


def test_snippet_keeps_short_text_and_cuts_long_text_around_the_first_match() -> None:
    assert snippet("short\ntext", (0, 1), 40) == ("short text", (0, 1))
    text = "a" * 200 + "needle" + "b" * 200
    first = text.index("needle")
    cut, matches = snippet(text, tuple(range(first, first + 6)), 60)
    assert len(cut) <= 60 and cut.startswith("…") and cut.endswith("…")
    assert "".join(cut[i] for i in matches) == "needle"


def test_match_runs_group_consecutive_offsets() -> None:
    assert match_runs([1, 2, 3, 7, 9, 10]) == [(1, 4), (7, 8), (9, 11)]
    assert match_runs([]) == []


def test_hit_place_names_topic_claim_source_and_line(index: SearchIndex, library: Library) -> None:
    text_hit = index.search("reaffirmed")[0]
    assert hit_label(index.catalog, text_hit) == "Summit meeting › Example Wire, line 2"
    note = next(h for h in index.search("says three") if h.kind is HitKind.NOTE)
    assert hit_label(index.catalog, note) == "Summit meeting › claim 2 › Example Post"


def test_hit_context_is_whole_lines_around_a_text_hit(index: SearchIndex, library: Library) -> None:
    hit = next(h for h in index.search("ishiba") if h.kind is HitKind.TEXT)
    context, offset = hit_context(library, hit, radius=400)
    assert context[offset : offset + len(hit.text)] == hit.text
    assert context.startswith("The two leaders met") and "Senkaku Islands." in context
    near, offset = hit_context(library, hit, radius=12)
    assert near[offset : offset + len(hit.text)] == hit.text
    assert near.startswith("7, 2025. U.S.")
    claim = index.search("kind:claim invest")[0]
    assert hit_context(library, claim) == (claim.text, 0)


# The bundled library


def test_bundled_source_filters_mean_one_thing() -> None:
    index = SearchIndex.build(load_library())
    gmi = "seeds/000_9292bdf23f8d844a.txt"
    tariffs = index.search("source:gmi tariffs")
    assert tariffs == index.search('tariffs source:"GMI POST"')
    assert all(h.source_path == gmi for h in tariffs)
    assert index.search("source:gmi trade") == index.search('source:"GMI POST" trade')
    assert index.search("source:gmi trade")
    assert not any(h.kind is HitKind.TITLE for h in index.search("kind:preview tariffs"))


def test_bundled_library_search() -> None:
    index = SearchIndex.build(load_library())
    senkaku = index.search("Senkaku")
    assert senkaku and "senkaku" in matched(senkaku[0]).lower()
    assert any("trillion" in hit.text for hit in index.search("trilion"))
    assert index.search("kind:claim stance:conflicts")


def test_exact_terms_inside_long_words_are_found_whole_or_not_at_all() -> None:
    long_word = "x" * 60 + "needle" + "y" * 60
    text = f"A {long_word} here.\nAnd a needlework there.\nBut {'z' * 70} not.\n"
    library = library_of(Brief(0, "briefs/a.yaml", "A", (named("w", source("w.txt", text)),)))
    index = SearchIndex.build(library)
    for query, expected in (
        ("'needle kind:text", {f"A {long_word} here.", "And a needlework there."}),
        ("'needle", {f"A {long_word} here.", "And a needlework there."}),
        (f"'{'z' * 60}", {f"But {'z' * 70} not."}),
        (f"'{'z' * 49}q", set()),
        ("'needle !'needlework", {f"A {long_word} here."}),
    ):
        assert set(texts(index.search(query, limit=10))) == expected, query
