"""Property tests over hostile input: sanitiser, anchoring, loader and query parser never break."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from briefing_tui.core.anchor import SourceMatcher
from briefing_tui.core.model import AnchorStatus
from briefing_tui.core.text import is_clean, sanitise

# Pieces that terminals, Rich/Textual markup and YAML treat specially, mixed with any
# character, so the generated text is hostile far more often than uniform text would be.
HOSTILE_PIECES = (
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x1b]52;c;",
    "\x1b]0;",
    "\x1b]8;;",
    "\x1bP",
    "\x1b\\",
    "\x1bc",
    "\x07",
    "\x9b",
    "\x9c",
    "\x9d",
    "\x90",
    "\x85",
    "\x00",
    "\x7f",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "\u2019",
    "\u2014",
    "[",
    "[/",
    "]",
    "[@click=app.quit]",
    "[bold]",
    "\\",
    ":smile:",
    "$",
    "{",
    "}",
    "'",
    "^",
    "!",
    "|",
    "---",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!python/name:os.system ",
    "#",
    "the ",
    "quote ",
    "99 ",
    "  ",
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.characters(), st.text(max_size=8)),
    max_size=40,
).map("".join)
# Controls a terminal acts on: every C0 and C1 control but tab and newline, and DEL.
TERMINAL_CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} - {"\t", "\n"}
INVISIBLE = set(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)


@settings(max_examples=300)
@given(hostile_text)
def test_sanitised_hostile_text_is_inert_and_stable(raw: str) -> None:
    clean = sanitise(raw)
    assert not TERMINAL_CONTROLS & set(clean)
    assert not INVISIBLE & set(clean)
    assert all(unicodedata.category(c) != "Cc" for c in clean if c not in "\t\n")
    assert is_clean(clean)
    assert sanitise(clean) == clean


@settings(max_examples=150)
@given(
    raw=hostile_text,
    quote=hostile_text,
    prefix=st.none() | hostile_text,
    suffix=st.none() | hostile_text,
)
def test_anchoring_hostile_quotes_never_raises_and_stays_inside(
    raw: str, quote: str, prefix: str | None, suffix: str | None
) -> None:
    text = sanitise(raw)
    anchor = SourceMatcher(text).anchor(quote, prefix, suffix)
    if anchor.span is None:
        assert anchor.status is AnchorStatus.ORPHANED
    else:
        assert 0 <= anchor.span.start <= anchor.span.end <= len(text)
        assert anchor.status is not AnchorStatus.ORPHANED


@settings(max_examples=150)
@given(raw=hostile_text, data=st.data())
def test_quote_taken_from_sanitised_text_anchors_on_its_own_characters(
    raw: str, data: st.DataObject
) -> None:
    text = sanitise(raw)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    assume(quote.strip() != "" and quote == quote.strip())
    anchor = SourceMatcher(text).anchor(quote)
    assert anchor.status in (AnchorStatus.EXACT, AnchorStatus.AMBIGUOUS)
    assert anchor.span is not None
    assert anchor.span.start == text.find(quote)
    assert text[anchor.span.start : anchor.span.end] == quote
