"""Anchoring quotes in source text: exact, normalised, approximate, ambiguous, orphaned."""

import subprocess
import sys
import unicodedata

from hypothesis import assume, given
from hypothesis import strategies as st
from rapidfuzz import fuzz

from briefing_tui.core.library.anchor import (
    _BOUNDARY,
    MAX_OCCURRENCES,
    MIN_SCORE,
    SEEDED_TEXT,
    SourceMatcher,
    _Context,
    _similarity,
)
from briefing_tui.core.library.model import Anchor, AnchorStatus, Span
from briefing_tui.core.library.text import normalise, normalise_newlines, sanitise

ARTICLE = (
    "On February 7, 2025, Japanese Prime Minister Shigeru Ishiba and U.S. President Donald\n"
    "Trump convened in Washington, D.C., to reaffirm and strengthen the U.S.-Japan alliance.\n"
    "Their discussions encompassed economic collaboration, defense commitments, and regional\n"
    "security concerns, particularly in the Indo-Pacific. They reaffirmed that Article 5 of\n"
    "the Japan-U.S. Security Treaty applies to the Senkaku Islands. Japan’s direct investment\n"
    "in the U.S. supports over 850,000 American jobs.\n"
)


def spanned(text: str, anchor: Anchor) -> str:
    """The text an anchor points at."""
    assert anchor.span is not None
    return text[anchor.span.start : anchor.span.end]


def test_exact_quote_anchors_exactly() -> None:
    quote = "reaffirm and strengthen the U.S.-Japan alliance"
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    start = ARTICLE.index(quote)
    assert anchor == Anchor(AnchorStatus.EXACT, Span(start, start + len(quote)))


def test_repeated_quote_without_context_is_ambiguous_at_first_occurrence() -> None:
    text = "The fleet sailed. The fleet sailed again. Later the fleet sailed home."
    anchor = SourceMatcher(text).anchor("fleet sailed")
    assert anchor.status is AnchorStatus.AMBIGUOUS
    assert anchor.span == Span(4, 16)
    assert anchor.occurrences == 3


def test_prefix_chooses_among_repeated_occurrences() -> None:
    text = "The fleet sailed. The fleet sailed again. Later the fleet sailed home."
    anchor = SourceMatcher(text).anchor("fleet sailed", prefix="Later the ")
    assert anchor.status is AnchorStatus.EXACT
    assert anchor.span == Span(text.index("fleet sailed home"), text.index(" home"))


def test_suffix_chooses_among_repeated_occurrences() -> None:
    text = "The fleet sailed. The fleet sailed again. Later the fleet sailed home."
    anchor = SourceMatcher(text).anchor("fleet sailed", suffix=" again")
    assert anchor == Anchor(AnchorStatus.EXACT, Span(22, 34))


def test_context_is_compared_tolerant_of_spacing_quotes_and_dashes() -> None:
    text = "He said “no” — twice.\nHe said “no” – then left."
    anchor = SourceMatcher(text).anchor("He said", suffix='"no"  -   then')
    assert anchor == Anchor(AnchorStatus.EXACT, Span(22, 29))


def test_context_matching_several_occurrences_stays_ambiguous() -> None:
    text = "a cat, a cat, a dog"
    anchor = SourceMatcher(text).anchor("cat", prefix="a")
    assert anchor.status is AnchorStatus.AMBIGUOUS
    assert anchor.span == Span(2, 5)
    assert anchor.occurrences == 2


def test_overlapping_occurrences_are_counted() -> None:
    anchor = SourceMatcher("bananas").anchor("ana")
    assert anchor.status is AnchorStatus.AMBIGUOUS
    assert anchor.span == Span(1, 4)
    assert anchor.occurrences == 2
    assert SourceMatcher("bananas").anchor("ana", suffix="s").span == Span(3, 6)
    assert SourceMatcher("bananas").anchor("ana", prefix="b").span == Span(1, 4)


def test_differing_white_space_and_line_breaks_anchor_normalised() -> None:
    quote = "Donald Trump convened in Washington,   D.C."
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    assert anchor.status is AnchorStatus.NORMALISED
    assert spanned(ARTICLE, anchor) == "Donald\nTrump convened in Washington, D.C."


def test_non_breaking_spaces_and_surrounding_blanks_anchor_normalised() -> None:
    text = "It cost 55\u00a0000\u202fyen in all."
    anchor = SourceMatcher(text).anchor("  cost 55 000 yen\n")
    assert anchor == Anchor(AnchorStatus.NORMALISED, Span(3, 18))


def test_straight_quotes_and_hyphens_match_curly_quotes_and_dashes() -> None:
    text = "She called it “a ‘new’ era” — and meant it; pages 10–12."
    anchor = SourceMatcher(text).anchor("\"a 'new' era\" - and meant it; pages 10-12")
    assert anchor.status is AnchorStatus.NORMALISED
    assert spanned(text, anchor) == "“a ‘new’ era” — and meant it; pages 10–12"


def test_crlf_source_anchors_after_newline_normalisation() -> None:
    text = normalise_newlines("first line\r\nsecond line\r\nthird line\r\n")
    anchor = SourceMatcher(text).anchor("first line second line")
    assert anchor == Anchor(AnchorStatus.NORMALISED, Span(0, 22))


def test_repeated_normalised_quote_is_chosen_by_prefix() -> None:
    text = "one: a\u00a0b. two: a\u00a0b."
    assert SourceMatcher(text).anchor("a b").status is AnchorStatus.AMBIGUOUS
    anchor = SourceMatcher(text).anchor("a b", prefix="two:")
    assert anchor == Anchor(AnchorStatus.NORMALISED, Span(15, 18))


def test_misquote_anchors_approximately_with_its_score() -> None:
    quote = "They affirmed that Article 5 of the Japan-US Security Treaty applies to the Senkakus"
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert MIN_SCORE <= anchor.score < 100
    assert spanned(ARTICLE, anchor).startswith("They reaffirmed that Article 5")
    assert spanned(ARTICLE, anchor).endswith("the Senkaku")


def test_approximate_span_keeps_whole_words() -> None:
    quote = "economic colaboration, defence commitments and regional security"
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert spanned(ARTICLE, anchor) == (
        "economic collaboration, defense commitments, and regional\nsecurity"
    )


def test_prefix_breaks_a_tie_between_equal_misquotes() -> None:
    text = "Alpha said the harvest was poor this year. Beta said the harvest was poor this year."
    quote = "the harvest was pooor this year"
    assert SourceMatcher(text).anchor(quote).status is AnchorStatus.AMBIGUOUS
    anchor = SourceMatcher(text).anchor(quote, prefix="Beta said")
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert anchor.span == Span(text.index("the harvest", 40), len(text) - 1)


def test_empty_and_blank_quotes_are_orphaned() -> None:
    for quote in ("", "   ", "\n\t\u00a0"):
        anchor = SourceMatcher(ARTICLE).anchor(quote)
        assert anchor.status is AnchorStatus.ORPHANED
        assert anchor.span is None


def test_absent_quote_is_orphaned_with_the_closest_text() -> None:
    quote = "Japan's direct investment in Canada supports 50 Canadian farms"
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    assert anchor.status is AnchorStatus.ORPHANED
    assert anchor.span is None
    assert anchor.closest is not None
    assert anchor.closest.startswith("Japan’s direct investment in the U.S.")
    assert 50 <= anchor.score < MIN_SCORE


def test_closest_text_is_one_line_and_cut_short() -> None:
    quote = (
        "Their talks encompassed economic cooperation, defence pledges and regional "
        "safety worries, in particular in the Indo-Pacific region. They said Article 9"
    )
    anchor = SourceMatcher(ARTICLE).anchor(quote)
    assert anchor.status is AnchorStatus.ORPHANED
    assert anchor.closest is not None
    assert len(anchor.closest) == 80
    assert anchor.closest.endswith("…")
    assert "\n" not in anchor.closest


def test_unrelated_quote_is_orphaned_without_closest() -> None:
    anchor = SourceMatcher(ARTICLE).anchor("zzzz qqqq xxxx vvvv")
    assert anchor == Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)


def test_short_misquote_is_not_anchored_approximately() -> None:
    anchor = SourceMatcher(ARTICLE).anchor("Japam's direct")
    assert anchor.status is AnchorStatus.ORPHANED


def test_long_repetitive_text_and_long_quote_do_not_go_cubic() -> None:
    text = "hello " * 200_000
    quote = "hellx " * 5_000
    anchor = SourceMatcher(text).anchor(quote)
    assert anchor.status is AnchorStatus.ORPHANED
    assert anchor.closest is not None


def test_long_misquote_in_long_text_is_found_by_head_and_tail() -> None:
    sentences = [f"Sentence number {n} says something about item {n * 7}." for n in range(3000)]
    text = " ".join(sentences)
    start = text.index("Sentence number 1000 ")
    end = text.index(" Sentence number 1200 ")
    quote = text[start:end].replace("something", "somthing")
    anchor = SourceMatcher(text).anchor(quote)
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert anchor.span == Span(start, end)


def test_quote_longer_than_the_text_is_orphaned() -> None:
    anchor = SourceMatcher("A short source.").anchor("A short source. " * 20)
    assert anchor.status is AnchorStatus.ORPHANED


def test_empty_text_orphans_everything() -> None:
    assert SourceMatcher("").anchor("anything at all here").status is AnchorStatus.ORPHANED


text_strategy = st.text(
    alphabet=st.sampled_from("ab \n\t\u00a0\u2014-\u201c\"'’.x\u0000\u202e"), max_size=60
) | st.text(max_size=60)


@given(text=text_strategy, quote=text_strategy, prefix=text_strategy, suffix=text_strategy)
def test_anchoring_never_raises_and_spans_are_in_range(
    text: str, quote: str, prefix: str, suffix: str
) -> None:
    for context in ((None, None), (prefix, suffix), (prefix, None), (None, suffix)):
        anchor = SourceMatcher(text).anchor(quote, *context)
        if anchor.span is None:
            assert anchor.status is AnchorStatus.ORPHANED
        else:
            assert 0 <= anchor.span.start < anchor.span.end <= len(text)
            assert anchor.status is not AnchorStatus.ORPHANED
        assert 0 <= anchor.score <= 100


@given(text=text_strategy, data=st.data())
def test_substring_with_full_context_anchors_exactly_to_itself(
    text: str, data: st.DataObject
) -> None:
    text = sanitise(text)
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    assume(normalise(text[i:j]).strip())
    quote = text[i:j]
    anchor = SourceMatcher(text).anchor(quote, prefix=text[:i], suffix=text[j:])
    assert anchor == Anchor(AnchorStatus.EXACT, Span(i, j))


@given(text=text_strategy, quote=text_strategy)
def test_anchored_span_holds_the_quote_when_exact(text: str, quote: str) -> None:
    anchor = SourceMatcher(text).anchor(quote)
    if anchor.status is AnchorStatus.EXACT:
        assert spanned(text, anchor) == quote


words = st.lists(
    st.sampled_from(["the", "cat", "sat", "on", "a", "mat", "\u2014", "\u201cno\u201d", "\n", " "]),
    max_size=400,
).map(" ".join)


@given(text=words, quote=words, prefix=words, suffix=words)
def test_anchoring_repetitive_word_texts_never_raises(
    text: str, quote: str, prefix: str, suffix: str
) -> None:
    anchor = SourceMatcher(text).anchor(quote, prefix, suffix)
    if anchor.span is not None:
        assert 0 <= anchor.span.start < anchor.span.end <= len(text)


@given(text=words, data=st.data())
def test_misquoted_substring_anchors_in_range(text: str, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(text)))
    j = data.draw(st.integers(i, len(text)))
    k = data.draw(st.integers(i, max(i, j - 1)))
    quote = text[i:k] + "x" + text[k + 1 : j]
    anchor = SourceMatcher(text).anchor(quote)
    if anchor.span is not None:
        assert 0 <= anchor.span.start < anchor.span.end <= len(text)
        assert anchor.status is not AnchorStatus.ORPHANED


def test_a_quote_typed_composed_anchors_in_a_source_written_decomposed() -> None:
    text = "Le ministre a de\u0301clare\u0301 que l\u2019accord e\u0301tait sign\u00e9."
    anchor = SourceMatcher(text).anchor("a d\u00e9clar\u00e9 que l'accord \u00e9tait")
    assert anchor.status is AnchorStatus.NORMALISED
    assert spanned(text, anchor) == "a de\u0301clare\u0301 que l\u2019accord e\u0301tait"


def _long_text() -> str:
    """A text past SEEDED_TEXT of numbered sentences, none alike."""
    sentences = [
        f"Report {n} says the harbour moved {n * 7} boxes on day {n}." for n in range(6000)
    ]
    text = " ".join(sentences)
    assert len(text) > SEEDED_TEXT
    return text


def test_a_misquote_in_a_long_text_is_found_where_its_words_are() -> None:
    text = _long_text()
    start = text.index("Report 4321 ")
    end = text.index(" Report 4322 ")
    anchor = SourceMatcher(text).anchor(text[start:end].replace("harbour", "harbor"))
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert anchor.span == Span(start, end)


def test_equal_misquotes_in_a_long_text_are_ambiguous_until_the_prefix_chooses() -> None:
    text = _long_text()
    repeated = "The minister said the harvest was poor this year."
    text = f"{text} Alpha: {repeated} {text} Beta: {repeated}"
    quote = "the minister said the harvest was pooor this year"
    assert SourceMatcher(text).anchor(quote).status is AnchorStatus.AMBIGUOUS
    anchor = SourceMatcher(text).anchor(quote, prefix="Beta:")
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert anchor.span is not None and anchor.span.start > text.index("Beta:")


def test_an_orphan_in_a_long_text_is_orphaned() -> None:
    anchor = SourceMatcher(_long_text()).anchor("Nothing like this sentence is anywhere in there")
    assert anchor.status is AnchorStatus.ORPHANED


def test_a_long_near_miss_scores_below_100_and_anchors_approximately() -> None:
    text = _long_text()
    start, end = text.index("Report 100 "), text.index(" Report 5900 ")
    quote = text[start:end].replace("Report 3000 ", "Report 3OOO ")
    anchor = SourceMatcher(text).anchor(quote)
    assert anchor.status is AnchorStatus.APPROXIMATE
    assert anchor.span == Span(start, end)
    assert MIN_SCORE <= anchor.score < 100


def test_a_long_quote_is_scored_no_higher_than_its_true_score() -> None:
    text = _long_text()[:20_000]
    for quote in (
        text,
        text.replace("harbour", "harbor"),
        text[:5000] + text[9000:],
        text.replace("e", "E", 40),
        text[::-1],
    ):
        assert _similarity(quote, text) <= fuzz.ratio(quote, text) + 1e-9
    assert _similarity(text, text) == 100
    assert _similarity(text.replace("harbour", "harbor"), text) > 99


def test_a_quote_found_too_often_is_ambiguous_with_a_lower_bound_on_its_count() -> None:
    text = "ab " * (MAX_OCCURRENCES + 500)
    anchor = SourceMatcher(text).anchor("ab")
    assert anchor.status is AnchorStatus.AMBIGUOUS
    assert anchor.occurrences == MAX_OCCURRENCES + 500
    anchor = SourceMatcher(text + "then ab end").anchor("ab", suffix=" end")
    assert anchor.status is AnchorStatus.AMBIGUOUS  # the one that fits is past the first ones


# Pieces that normalisation joins, reorders or collapses across their neighbours: combining
# marks of several classes (in runs longer than a context window), Hangul jamo, a kana and
# its voicing mark, white space of several kinds, curly quotes and dashes.
FOLDED_PIECES = st.sampled_from(
    [
        "a",
        "e",
        "Q",
        " ",
        "  ",
        "\n",
        "\u00a0",
        "\u2003",
        "\u201c",
        "\u2014",
        "\u00e9",
        "\u0301",
        "\u0316",
        "\u0323",
        "\u0308",
        "\u1100",
        "\u1161",
        "\u11a8",
        "\uac00",
        "\u304b",
        "\u3099",
        "\u4e00",
    ]
)
MARK_RUNS = st.builds(
    str.__mul__, st.sampled_from(["\u0301", "\u0316", "\u0323\u0301"]), st.integers(1, 40)
)
folded_texts = st.lists(FOLDED_PIECES | MARK_RUNS, max_size=40).map("".join)


@given(text=folded_texts, data=st.data())
def test_context_read_from_windows_agrees_with_the_whole_text_normalised(
    text: str, data: st.DataObject
) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    reach = st.integers(0, len(text))
    prefix = data.draw(st.builds(lambda n: text[max(0, start - n) : start], reach) | folded_texts)
    suffix = data.draw(st.builds(lambda n: text[end : end + n], reach) | folded_texts)
    context = _Context.of(prefix, suffix)
    assume(context is not None)
    assert context is not None
    whole = normalise(text[:start]).removesuffix(" ").endswith(context.folded_prefix) and normalise(
        text[end:]
    ).removeprefix(" ").startswith(context.folded_suffix)
    assert SourceMatcher(text)._fits(Span(start, end), context) == whole


def test_a_prefix_composed_across_a_long_run_of_marks_still_chooses() -> None:
    for count in range(1, 80):
        # é and marks below, which canonical ordering puts before the acute that composes
        marks = "e\u0301" + "\u0316" * count
        text = marks + "QQ zz QQ"
        anchor = SourceMatcher(text).anchor("QQ", prefix="\u0316")
        assert anchor == Anchor(AnchorStatus.EXACT, Span(len(marks), len(marks) + 2)), count


def test_no_character_a_window_starts_at_composes_with_what_precedes_it() -> None:
    firsts, seconds = set(), set()
    for code in range(sys.maxunicode + 1):
        parts = unicodedata.decomposition(chr(code)).split()
        if len(parts) == 2 and not parts[0].startswith("<"):
            firsts.add(chr(int(parts[0], 16)))
            seconds.add(chr(int(parts[1], 16)))
    for code in range(sys.maxunicode + 1):
        character = chr(code)
        if character.isspace():  # a window may start after white space
            assert character not in firsts
            assert unicodedata.combining(unicodedata.normalize("NFD", character)[-1]) == 0
        elif _BOUNDARY.match("x" + character, 1) and not character.isascii():
            assert character not in seconds
            assert unicodedata.combining(unicodedata.normalize("NFD", character)[0]) == 0


def test_loading_a_library_does_not_import_rapidfuzz() -> None:
    # Only the approximate tier uses it; most starts never reach it.
    code = "import sys, briefing_tui.core.library.loader; print('rapidfuzz' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "False", result.stderr
