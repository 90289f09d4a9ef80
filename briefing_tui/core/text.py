"""Sanitising untrusted text so nothing in it can drive the terminal or hide from the reader."""

from __future__ import annotations

import re

ESCAPE_MARK = "\u241b"  # SYMBOL FOR ESCAPE: stands where an escape sequence was
REPLACEMENT = "\ufffd"

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
    # Bidi embeddings/overrides/isolates and marks, zero-width and other invisible format
    # characters, and the Unicode tag block used to smuggle hidden text.
    r"|(?P<invisible>[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    r"\u2066-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f])"
    r"|(?P<separator>[\u2028\u2029])"
)


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
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_replace, text)


def is_clean(text: str) -> bool:
    """Whether the text holds nothing that sanitise would change (besides CR)."""
    return _UNSAFE.search(text) is None
