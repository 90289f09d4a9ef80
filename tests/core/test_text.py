"""Sanitising untrusted text, and normalising it with a map back to the original."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.library.text import (
    ESCAPE_MARK,
    escape_name,
    is_clean,
    normalise,
    normalise_with_offsets,
    sanitise,
)

BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\x1b]52;c;aGVsbG8=\x07b", f"a{ESCAPE_MARK}b"),  # OSC 52 clipboard write, BEL
        ("a\x1b]52;c;aGVsbG8=\x1b\\b", f"a{ESCAPE_MARK}b"),  # ... ended by ST
        ("\x1b]0;pwned\x07title", f"{ESCAPE_MARK}title"),  # OSC 0 window title
        ("\x1b]8;;https://x.example\x1b\\link\x1b]8;;\x1b\\", f"{ESCAPE_MARK}link{ESCAPE_MARK}"),
        ("\x1b[31mred\x1b[0m", f"{ESCAPE_MARK}red{ESCAPE_MARK}"),  # CSI colours
        ("\x1b[2J\x1b[H", ESCAPE_MARK * 2),  # CSI clear screen, cursor home
        ("x\x1bcy", f"x{ESCAPE_MARK}y"),  # ESC c: full reset
        ("\x1bP1$r\x1b\\z", f"{ESCAPE_MARK}z"),  # DCS
        ("\x9b31mred", f"{ESCAPE_MARK}red"),  # 8-bit CSI
        ("\x9d0;title\x9cz", f"{ESCAPE_MARK}z"),  # 8-bit OSC ended by 8-bit ST
        ("a\x85b", "a\nb"),  # NEXT LINE is a line break
        ("a\x80b", "a\ufffdb"),  # other C1 controls
        ("end\x1b", f"end{ESCAPE_MARK}"),  # lone ESC at the end
        ("a\x00b", "a\u2400b"),  # NUL
        ("a\x7fb", "a\u2421b"),  # DEL
        ("a\x08b\x07", "a\u2408b\u2407"),  # backspace, bell
        ("\u202eevil\u202c \u2066x\u2069", "evil x"),  # bidi overrides and isolates
        ("zero\u200bwidth\u200d\u2060", "zerowidth"),  # zero-width characters
        ("\ufeffbom", "bom"),  # byte order mark
        ("a\r\nb\rc", "a\nb\nc"),  # CRLF and lone CR
        ("a\u2028b\u2029c", "a\nb\nc"),  # Unicode line and paragraph separators
        ("keep\ttab\nand newline", "keep\ttab\nand newline"),
        ("plain “text” — kept", "plain “text” — kept"),
    ],
)
def test_sanitise(raw: str, clean: str) -> None:
    assert sanitise(raw) == clean


def test_osc_body_never_runs_past_a_line_end() -> None:
    assert sanitise("\x1b]0;unterminated\nnext line") == f"{ESCAPE_MARK}\nnext line"


def test_is_clean() -> None:
    assert is_clean("ordinary text\twith tab\n")
    assert not is_clean("bell\x07")
    assert not is_clean("hidden\u200bspace")


@given(st.text())
def test_sanitised_text_holds_no_control_escape_or_bidi_override(raw: str) -> None:
    clean = sanitise(raw)
    assert "\x1b" not in clean
    assert "\r" not in clean
    assert not BIDI_CONTROLS & set(clean)
    for char in clean:
        if char not in "\t\n":
            assert unicodedata.category(char) != "Cc", repr(char)
    assert is_clean(clean)
    assert sanitise(clean) == clean


def test_normalise_folds_space_quotes_and_dashes() -> None:
    text = "a \u201cb\u201d\u00a0\u2014  c\n\n\u2018d\u2019\u2009\u2013e\t"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "a \"b\" - c 'd' -e "
    assert list(offsets) == [0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 12, 13, 14, 15, 16, 17, 18]
    assert normalise(text) == normalised


def test_normalise_maps_a_match_back_to_the_original() -> None:
    text = "It said  \u201cno\u201d\n\u2014 twice."
    normalised, offsets = normalise_with_offsets(text)
    start = normalised.index('"no" - twice')
    end = start + len('"no" - twice')
    assert text[offsets[start] : offsets[end - 1] + 1] == "\u201cno\u201d\n\u2014 twice"


def test_normalise_of_empty_text() -> None:
    normalised, offsets = normalise_with_offsets("")
    assert normalised == ""
    assert len(offsets) == 0


@given(
    st.text(alphabet=st.sampled_from("ab \t\n\u00a0\u202f\u2007\u2014-\u201c\"'\u2019")) | st.text()
)
def test_normalise_offsets_are_increasing_and_in_range(text: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    assert len(offsets) == len(normalised)
    assert all(0 <= offset < len(text) for offset in offsets)
    assert all(a < b for a, b in zip(offsets, offsets[1:], strict=False))
    assert normalise(text) == normalised
    assert "  " not in normalised
    for char, offset in zip(normalised, offsets, strict=True):
        assert char == " " or normalise(text[offset]) == char


def test_escape_name_writes_unsafe_characters_as_escapes_and_keeps_names_distinct() -> None:
    assert escape_name("seeds/plain name.txt") == "seeds/plain name.txt"
    assert escape_name("a\x1b]0;x\x07\u202e\r.txt") == "a\\x1b]0;x\\x07\\u202e\\x0d.txt"
    assert escape_name("\U000e0041") == "\\U000e0041"
    assert escape_name("a\x1b[1m") != escape_name("a\x1b[2m")
