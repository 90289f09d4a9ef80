"""Wrapping text to terminal cells: words, wide characters, tabs, and offsets kept exact."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.ui.wrapping import char_cells, column_to_offset, wrap


def lines(text: str, width: int) -> list[str]:
    wrapped = wrap(text, width)
    return [text[s:e] for s, e in zip(wrapped.starts, wrapped.ends, strict=True)]


def cells(line: str) -> int:
    column = 0
    for char in line:
        column += char_cells(char, column)
    return column


def test_words_wrap_at_spaces() -> None:
    assert lines("the quick brown fox jumps", 10) == ["the quick", "brown fox", "jumps"]


def test_a_word_longer_than_the_width_is_cut() -> None:
    assert lines("abcdefghij", 4) == ["abcd", "efgh", "ij"]


def test_newlines_end_lines_and_empty_lines_stay() -> None:
    assert lines("one\n\ntwo\n", 10) == ["one", "", "two"]


def test_wide_characters_count_two_cells() -> None:
    assert lines("東京東京東京", 5) == ["東京", "東京", "東京"]
    assert lines("東京 🎌 Investment will reach", 8) == ["東京 🎌", "Investme", "nt will", "reach"]


def test_tabs_reach_the_next_stop() -> None:
    assert cells("\tab") == 10
    assert lines("\tTariffs were", 16) == ["\tTariffs", "were"]
    assert lines("\tTariffs", 12) == ["\tTari", "ffs"]


def test_line_of_finds_the_display_line() -> None:
    wrapped = wrap("aaa bbb\nccc", 4)
    assert [wrapped.line_of(o) for o in (0, 4, 8, 10)] == [0, 1, 2, 2]


def test_column_to_offset_accounts_for_wide_characters_and_tabs() -> None:
    text = "東\tx"
    assert column_to_offset(text, 0, 3, 0) == 0
    assert column_to_offset(text, 0, 3, 1) == 0
    assert column_to_offset(text, 0, 3, 5) == 1
    assert column_to_offset(text, 0, 3, 8) == 2


@given(st.text(alphabet=st.sampled_from("ab \n\t東🎌é"), max_size=200), st.integers(1, 30))
def test_wrapping_covers_the_text_and_fits_the_width(text: str, width: int) -> None:
    wrapped = wrap(text, width)
    for start, end in zip(wrapped.starts, wrapped.ends, strict=True):
        line = text[start:end]
        assert "\n" not in line
        assert cells(line) <= width or len(line) == 1
    kept = "".join(text[s:e] for s, e in zip(wrapped.starts, wrapped.ends, strict=True))
    assert kept.replace(" ", "") == text.replace("\n", "").replace(" ", "")
