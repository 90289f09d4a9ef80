"""Sanitising untrusted text so nothing in it can drive the terminal or hide from the reader."""

from __future__ import annotations

import re
from array import array

ESCAPE_MARK = "\u241b"  # SYMBOL FOR ESCAPE: stands where an escape sequence was
REPLACEMENT = "\ufffd"

# Bidi embeddings/overrides/isolates and marks, zero-width and other invisible format
# characters, and the Unicode tag block used to smuggle hidden text.
_INVISIBLE = (
    r"\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f"
)
# A string-type control (OSC, DCS, SOS, PM, APC) runs to its terminator; terminals would
# swallow everything up to it, so we drop it whole, but never past a line end or 4 KiB.
_STRING_BODY = r"[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)?"
_UNSAFE = re.compile(
    r"(?P<esc>"
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI, possibly truncated
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])"
    + _STRING_BODY  # OSC, DCS, SOS, PM, APC
    + r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # two-character escapes: ESC c, ESC 7, ESC ( B
    r"|\x1b"  # a lone ESC
    r")"
    r"|(?P<control>[\x00-\x08\x0b-\x1f\x7f-\x9f])"
    r"|(?P<invisible>[" + _INVISIBLE + "])"
    r"|(?P<separator>[\u2028\u2029])"
)
# Every match of _UNSAFE starts with one of these characters. Searching a character class
# is about twenty times faster than the alternation, and most text holds none of them.
_TRIGGER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029" + _INVISIBLE + "]")


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _replace(match: re.Match[str]) -> str:
    kind = match.lastgroup
    if kind == "esc":
        return ESCAPE_MARK
    if kind == "invisible":
        return ""
    if kind == "separator":
        return "\n"
    char = match.group()
    code = ord(char)
    if code == 0x85:  # NEXT LINE is a line break, not a command
        return "\n"
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: NUL becomes ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def sanitise(text: str) -> str:
    """Return text safe to show: newlines normalised, escapes and controls made visible.

    Tab and newline are kept. Escape sequences become one visible mark, other controls
    their Control Pictures glyph, and invisible bidi/zero-width characters are removed.
    Everything that offsets refer to is computed on the result.
    """
    text = normalise_newlines(text)
    trigger = _TRIGGER.search(text)
    if trigger is None:
        return text
    parts: list[str] = []
    done = 0
    while trigger is not None:
        # Jump from trigger to trigger: the alternation is only tried where a match starts.
        unsafe = _UNSAFE.match(text, trigger.start())
        assert unsafe is not None  # every trigger character starts a match
        parts += (text[done : unsafe.start()], _replace(unsafe))
        done = unsafe.end()
        trigger = _TRIGGER.search(text, done)
    parts.append(text[done:])
    return "".join(parts)


def is_clean(text: str) -> bool:
    """Whether the text holds nothing that sanitise would change (besides CR)."""
    return _TRIGGER.search(text) is None


# Typographic variants that a quote may use where the source uses another: each folds to
# one ASCII character, so folding never changes the length of the text.
_FOLD = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
    }
)
# Any white space that is not already a single plain space: `\s` covers NBSP, U+2007,
# U+202F and the other Unicode spaces.
_SPACE_TO_COLLAPSE = re.compile(r"\s{2,}|[^\S ]")
_WHITESPACE_RUN = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The normalised form of text (see `normalise_with_offsets`), without the offset map."""
    return _WHITESPACE_RUN.sub(" ", text.translate(_FOLD))


def normalise_with_offsets(text: str) -> tuple[str, array[int]]:
    """Fold quotes, dashes and white space runs; map each result character to its origin.

    Curly and straight quotes become `'` or `"`, hyphens and dashes `-`, and every run of
    white space one space. `offsets[k]` is the index in `text` of the character that became
    character `k` of the result (the first one, for a collapsed run), so offsets strictly
    increase and a match in the result maps back to `text[offsets[start]:offsets[end-1]+1]`.
    """
    folded = text.translate(_FOLD)
    pieces: list[str] = []
    offsets = array("q")
    done = 0
    for run in _SPACE_TO_COLLAPSE.finditer(folded):
        start, end = run.span()
        pieces.append(folded[done:start])
        offsets.extend(range(done, start))
        pieces.append(" ")
        offsets.append(start)
        done = end
    pieces.append(folded[done:])
    offsets.extend(range(done, len(folded)))
    return "".join(pieces), offsets


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


def escape_name(name: str) -> str:
    """A file or folder name safe to show, with each unsafe character written as an escape.

    Unlike sanitise, distinct names stay distinct (they are used as keys), and CR is escaped.
    """
    if "\r" not in name and _TRIGGER.search(name) is None:
        return name
    return re.sub(f"[\r{_TRIGGER.pattern[1:-1]}]", _escaped, name)


def one_line(text: str, limit: int | None = None) -> str:
    """Untrusted text made safe and flat for one line, cut to `limit` characters if given."""
    flat = " ".join(sanitise(text).split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"
