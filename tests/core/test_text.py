"""Sanitising untrusted text, and normalising it with a map back to the original."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.library import text as text_module
from briefing_tui.core.library.text import (
    ESCAPE_MARK,
    escape_name,
    is_clean,
    normalise,
    normalise_newlines,
    normalise_with_offsets,
    sanitise,
    sanitise_with_offsets,
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


@pytest.mark.parametrize("code", range(0x100))
def test_the_printable_ascii_fast_path_agrees_with_the_full_search_on_every_latin1_character(
    code: int,
) -> None:
    raw = f"plain {chr(code)} text"
    assert text_module._is_safe(raw) == text_module._holds_no_trigger(raw)
    # Safe: tab, newline, printable ASCII, and Latin-1's letters and signs but SOFT HYPHEN.
    printable = 0x20 <= code <= 0x7E or 0xA0 <= code != 0xAD
    assert text_module._is_safe(raw) == (printable or code in (0x09, 0x0A))
    assert sanitise(raw) == text_module._sanitise_unsafe(normalise_newlines(raw))


@given(st.text(st.characters(max_codepoint=0x7F)) | st.text())
def test_the_printable_ascii_fast_path_agrees_with_the_full_search(raw: str) -> None:
    assert text_module._is_safe(raw) == text_module._holds_no_trigger(raw)
    # The fast path returns text as is; the general path, run on it, must agree.
    assert sanitise(raw) == text_module._sanitise_unsafe(normalise_newlines(raw))


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
    assert [offsets.span(k, k + 1) for k in range(len(normalised))] == [
        (0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (6, 7), (7, 9), (9, 10), (10, 12),
        (12, 13), (13, 14), (14, 15), (15, 16), (16, 17), (17, 18), (18, 19),
    ]  # fmt: skip
    assert normalise(text) == normalised


def test_normalise_maps_a_match_back_to_the_original() -> None:
    text = "It said  \u201cno\u201d\n\u2014 twice."
    normalised, offsets = normalise_with_offsets(text)
    start = normalised.index('"no" - twice')
    start, end = offsets.span(start, start + len('"no" - twice'))
    assert text[start:end] == "\u201cno\u201d\n\u2014 twice"


def test_normalise_composes_letters_and_accents_and_maps_them_back() -> None:
    text = "Cafe\u0301 ou\u0300 l\u2019e\u0301te\u0301 passe\u0301."  # written NFD
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "Caf\u00e9 o\u00f9 l'\u00e9t\u00e9 pass\u00e9."
    start = normalised.index("o\u00f9 l'\u00e9t\u00e9")
    start, end = offsets.span(start, start + len("o\u00f9 l'\u00e9t\u00e9"))
    assert text[start:end] == "ou\u0300 l\u2019e\u0301te\u0301"
    assert normalise("10\u00b2") == "10\u00b2"  # compatibility forms stay themselves


def test_normalise_of_empty_and_unchanged_text_needs_no_map() -> None:
    for text in ("", "plain text with single spaces"):
        normalised, offsets = normalise_with_offsets(text)
        assert normalised == text
        assert not offsets
        assert offsets.span(0, len(text)) == (0, len(text))


@given(
    st.text(
        alphabet=st.sampled_from("ab \t\n\u00a0\u202f\u2007\u2014-\u201c\"'\u2019e\u0301\u0300")
    )
    | st.text()
)
def test_normalise_offsets_cover_each_character_in_order(text: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    assert normalise(text) == normalised
    assert "  " not in normalised
    previous = 0
    for k, char in enumerate(normalised):
        start, end = offsets.span(k, k + 1)
        assert previous <= start < end <= len(text)
        assert char in normalise(text[start:end]) or char == " "
        previous = start


@given(st.text(), st.data())
def test_a_normalised_span_maps_to_text_that_normalises_to_it(
    text: str, data: st.DataObject
) -> None:
    normalised, offsets = normalise_with_offsets(text)
    i = data.draw(st.integers(0, len(normalised)))
    j = data.draw(st.integers(i, len(normalised)))
    start, end = offsets.span(i, j)
    assert 0 <= start <= end <= len(text)
    assert normalised[i:j].strip() in normalise(text[start:end])


def test_escape_name_writes_unsafe_characters_as_escapes_and_keeps_names_distinct() -> None:
    assert escape_name("seeds/plain name.txt") == "seeds/plain name.txt"
    assert escape_name("a\x1b]0;x\x07\u202e\r.txt") == "a\\x1b]0;x\\x07\\u202e\\x0d.txt"
    assert escape_name("\U000e0041") == "\\U000e0041"
    assert escape_name("a\x1b[1m") != escape_name("a\x1b[2m")


# Format characters that terminals draw as nothing, beyond the usual zero-width ones, and
# the default-ignorable code points that are not format characters.
HIDING = [
    *map(chr, range(0x1D173, 0x1D17B)),  # musical symbol begin beam ... end phrase
    "\U00013430",  # Egyptian hieroglyph vertical joiner
    "\U000110bd",  # Kaithi number sign
    "\u0600",  # Arabic number sign
    "\u06dd",  # Arabic end of ayah
    "\u115f", "\u1160", "\u3164", "\uffa0",  # Hangul fillers
    "\u034f",  # combining grapheme joiner
    "\u17b4", "\u17b5",  # Khmer inherent vowels
    "\u180b", "\ufe00", "\ufe0f", "\U000e0100",  # variation selectors
    "\u2065", "\ufff0", "\U000e0000", "\U000e0fff",  # unassigned, default ignorable
    "\U000e0041",  # tag letter A
]  # fmt: skip


@pytest.mark.parametrize("hidden", HIDING, ids=lambda c: f"U+{ord(c):04X}")
def test_characters_that_draw_as_nothing_are_removed(hidden: str) -> None:
    assert sanitise(f"pass{hidden}word") == "password"
    assert is_clean("password") and not is_clean(f"pass{hidden}word")
    code = ord(hidden)
    escaped = f"\\U{code:08x}" if code > 0xFFFF else f"\\u{code:04x}"
    assert escape_name(f"a{hidden}b") == f"a{escaped}b"


def test_every_format_character_is_removed() -> None:
    for code in (*range(0x20000), *range(0xE0000, 0xF0000)):
        char = chr(code)
        if unicodedata.category(char) == "Cf":
            assert sanitise(f"a{char}b") == "ab", f"U+{code:04X}"


def test_the_stored_format_characters_are_what_unicode_data_says() -> None:
    if unicodedata.unidata_version != text_module._FORMAT_VERSION:
        pytest.skip("this Python's Unicode differs from the stored one: it is scanned")
    assert text_module._scan_format_characters() == text_module._FORMAT_CHARACTERS


FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (FAMILY, "\U0001f468\U0001f469\U0001f467\U0001f466"),  # the same width everywhere
        ("\u2764\ufe0f", "\u2764"),  # the heart in its text form
        ("\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", "\U0001f3f4"),
    ],
)
def test_emoji_lose_their_joiners_selectors_and_tags(raw: str, clean: str) -> None:
    assert sanitise(raw) == clean


def test_a_lone_surrogate_is_replaced_and_escaped_in_names() -> None:
    assert sanitise("bad\udc80byte") == "bad\ufffdbyte"
    assert escape_name("bad\udc80.txt") == "bad\\x80.txt"  # the byte os.fsdecode met


def test_sanitise_maps_back_to_the_text_as_written() -> None:
    raw = "Soft\u00adhy\u00adphen \x1b[1mbold\x1b[0m \u200bzero \x00 end"
    clean, offsets = sanitise_with_offsets(raw)
    assert clean == sanitise(raw) == f"Softhyphen {ESCAPE_MARK}bold{ESCAPE_MARK} zero \u2400 end"
    start = clean.index("bold")
    assert offsets.span(start, start + 4) == (raw.index("bold"), raw.index("bold") + 4)
    start, end = offsets.span(0, len("Softhyphen"))
    assert raw[start:end] == "Soft\u00adhy\u00adphen"
    assert offsets.span(clean.index("zero"), clean.index("zero") + 4)[0] == raw.index("zero")
    mark = clean.index(ESCAPE_MARK)
    assert offsets.span(mark, mark + 1) == (raw.index("\x1b"), raw.index("\x1b") + 4)
    clean, offsets = sanitise_with_offsets("clean\r\ntext")
    assert clean == "clean\ntext" and not offsets


TERMINAL_TEXT = st.text(
    alphabet=st.sampled_from(
        ["a", " ", "\n", "\x1b", "[", "]", "0", ";", "m", "\x07", "\\", "\x9b", "\x9d", "\x00",
         "\u200b", "\u200d", "\ufe0f", "\U0001f468", "\u00ad", "\u202e", "\r", "\x85", "\ud800"]
    )
) | st.text()  # fmt: skip


@given(TERMINAL_TEXT)
def test_sanitise_with_offsets_agrees_with_sanitise_and_maps_each_character(raw: str) -> None:
    clean, offsets = sanitise_with_offsets(raw)
    assert clean == sanitise(raw)
    written = normalise_newlines(raw)
    done = 0
    for k, char in enumerate(clean):
        start, end = offsets.span(k, k + 1)
        assert sanitise(written[done:start]) == ""  # only removed characters in between
        assert written[start:end] == char or sanitise(written[start:end]) == char
        done = end
    assert sanitise(written[done:]) == ""


@given(st.text(alphabet=st.sampled_from("ab \n\u00a0\u2014\u201ce\u0301\u0300.")), st.data())
def test_normalising_in_chunks_gives_the_same_text_and_spans(
    text: str, data: st.DataObject
) -> None:
    whole, whole_offsets = normalise_with_offsets(text)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "_CHUNK", 3)  # a long text's chunks, in miniature
        chunked, chunked_offsets = normalise_with_offsets(text)
    assert chunked == whole == normalise(text)
    i = data.draw(st.integers(0, len(whole)))
    j = data.draw(st.integers(i, len(whole)))
    assert chunked_offsets.span(i, j) == whole_offsets.span(i, j)


def test_a_long_text_is_mapped_chunk_by_chunk() -> None:
    text = ("word  " * 30_000) + "Cafe\u0301  end"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "word " * 30_000 + "Caf\u00e9 end"
    start = normalised.index("Caf\u00e9")
    assert offsets.span(start, start + 4) == (text.index("Cafe"), text.index("Cafe") + 5)
    assert offsets.span(0, len(normalised)) == (0, len(text))


@given(TERMINAL_TEXT, st.data())
def test_sanitising_in_chunks_gives_the_same_text_and_spans(raw: str, data: st.DataObject) -> None:
    whole, whole_offsets = sanitise_with_offsets(raw)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(text_module, "_CHUNK", 2)  # a long text's chunks, in miniature
        chunked, chunked_offsets = sanitise_with_offsets(raw)
    assert chunked == whole
    i = data.draw(st.integers(0, len(whole)))
    j = data.draw(st.integers(i, len(whole)))
    assert chunked_offsets.span(i, j) == whole_offsets.span(i, j)
