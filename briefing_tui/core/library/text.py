"""Sanitising untrusted text so nothing in it can drive the terminal or hide from the reader.

What is removed is decided by Unicode property, not by a list of known tricks: every format
character (general category Cf: zero-width, bidi, SHY, the Arabic number signs, Egyptian
hieroglyph and musical format controls, tags...) and every default-ignorable code point
(Hangul fillers, variation selectors, the combining grapheme joiner, unassigned ignorables),
which terminals draw as nothing while search still sees them.

That includes the zero-width joiner and variation selectors inside emoji: a family emoji
shows as its four members, and a red heart in its text form. A joined emoji takes two
cells on a terminal that joins it and eight on one that does not, while the reader lays
out one width for it; separate emoji take the same cells everywhere. Tag characters go
too (a subdivision flag shows as a plain black flag): they are the usual way to smuggle
hidden text.

Edits keep an `OffsetMap` back to the text as written, recording only the stretches whose
length changed, so a clean text costs nothing and offsets can be told in either text.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections.abc import Callable
from functools import partial
from itertools import accumulate, compress
from operator import ne, sub

ESCAPE_MARK = "\u241b"  # SYMBOL FOR ESCAPE: stands where an escape sequence was
REPLACEMENT = "\ufffd"

# Category Cf as Unicode 14.0.0 (Python 3.11) assigns it: `_scan_format_characters()` run
# ahead of time, since scanning costs tens of milliseconds at every start-up. Another
# Unicode version is scanned at import; a test checks that the two agree.
_FORMAT_VERSION = "14.0.0"
_FORMAT_CHARACTERS = (
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
)
# Unicode puts format and default-ignorable characters in planes 0, 1 and 14 only: planes 2
# and 3 hold ideographs, 4 to 13 nothing, 15 and 16 private use.
_FORMAT_PLANES = (0, 1, 14)
# Default_Ignorable_Code_Point beyond category Cf, from its definition in Unicode's
# DerivedCoreProperties: Other_Default_Ignorable_Code_Point (the combining grapheme joiner,
# Hangul fillers, Khmer inherent vowels, and unassigned code points kept ignorable: U+2065,
# U+FFF0-FFF8, all of U+E0000-E0FFF) and Variation_Selector (U+180B-180D, U+180F,
# U+FE00-FE0F, U+E0100-E01EF); none of them is white space.
_OTHER_IGNORABLE = (
    "\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180d\u180f\u2065\u3164\ufe00-\ufe0f\uffa0"
    "\ufff0-\ufff8\U000e0000-\U000e0fff"
)


def _scan_format_characters() -> str:
    """Category Cf from the running Python's Unicode data, as a regex class body."""
    found: list[int] = []
    for plane in _FORMAT_PLANES:
        base = plane << 16
        categories = "".join(map(unicodedata.category, map(chr, range(base, base + 0x10000))))
        index = categories.find("Cf")
        while index >= 0:
            if index % 2 == 0:  # two letters per code point: a match must start on one
                found.append(base + index // 2)
            index = categories.find("Cf", index + 1)
    ranges: list[list[int]] = []
    for code in found:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


_FORMAT = (
    _FORMAT_CHARACTERS
    if unicodedata.unidata_version == _FORMAT_VERSION
    else _scan_format_characters()
)
_INVISIBLE = _FORMAT + _OTHER_IGNORABLE
_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f"
_SURROGATES = "\ud800-\udfff"  # only a str built from bytes with surrogateescape holds one

# Escape sequences of two characters or more; a lone ESC or 8-bit introducer is a single
# control, replaced one for one below. A string-type control (OSC, DCS, SOS, PM, APC) runs
# to its terminator; terminals would swallow everything up to it, so it goes whole, but
# never past a line end or 4 KiB.
_STRING_BODY = r"[^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)?"
_SEQUENCE = (
    r"(?:\x1b\[|\x9b(?=[\x20-\x7e]))[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]?"  # CSI, maybe cut short
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f](?=[^\x1b\n]|\x1b\\))"
    + _STRING_BODY  # OSC, DCS, SOS, PM, APC
    + r"|\x1b[\x20-\x2f]*[\x30-\x7e]"  # two-character escapes: ESC c, ESC 7, ESC ( B
)
_SEQUENCES = re.compile(_SEQUENCE)
_SEQUENCE_START = re.compile(r"[\x1b\x90\x98\x9b\x9d\x9e\x9f]")
_INVISIBLE_RUN = f"[{_INVISIBLE}]+"
_INVISIBLE_RUNS = re.compile(_INVISIBLE_RUN)
_INVISIBLE_CHAR = re.compile(f"[{_INVISIBLE}]")
# The same, as one group to split by, for the offset maps.
_SEQUENCE_PIECES = re.compile(f"({_SEQUENCE})")
_INVISIBLE_PIECES = re.compile(f"({_INVISIBLE_RUN})")
# No escape sequence or invisible run reaches across a line end, nor across an ESC that is
# not the start of a string terminator (ESC \), so a text is mapped in chunks cut there;
# where no sequence starts at all, before any visible character.
_SANITISE_CUT = re.compile(r"\n|\x1b(?!\\)")
_VISIBLE = re.compile(f"[^{_INVISIBLE}]")


def _sanitise_cut(text: str, start: int, at: int) -> int:
    """Where a chunk of text to sanitise, begun at `start`, can end: at `at` or after."""
    found = _SANITISE_CUT.search(text, at, at + _CHUNK)
    if found is None and _SEQUENCE_START.search(text, start, at + _CHUNK) is None:
        found = _VISIBLE.search(text, at)
    elif found is None:
        found = _SANITISE_CUT.search(text, at)
    return found.start() if found else len(text)


# Characters replaced one for one: C0 controls as their Control Pictures glyph (NUL is ␀,
# a lone ESC ␛), DEL ␡, NEXT LINE and the Unicode line and paragraph separators a line
# break, a lone 8-bit escape introducer ␛, other C1 controls and lone surrogates U+FFFD.
_ONE_FOR_ONE: dict[int, str | int] = {
    **{code: 0x2400 + code for code in range(0x20) if code not in (0x09, 0x0A)},
    0x7F: 0x2421,
    **dict.fromkeys(range(0x80, 0xA0), REPLACEMENT),
    **dict.fromkeys((0x1B, 0x90, 0x98, 0x9B, 0x9D, 0x9E, 0x9F), ESCAPE_MARK),
    **dict.fromkeys((0x85, 0x2028, 0x2029), "\n"),
    **dict.fromkeys(range(0xD800, 0xE000), REPLACEMENT),
}
_ONE_FOR_ONE_CHAR = re.compile(f"[{_CONTROLS}\u2028\u2029{_SURROGATES}]")
# Every character sanitise may change; most text holds none, and searching for them is the
# whole cost of sanitising it.
_TRIGGER = re.compile(f"[{_CONTROLS}\u2028\u2029{_SURROGATES}{_INVISIBLE}]")


def _basic_plane(class_body: str) -> str:
    """The items of a regex class body (characters and ranges) below U+10000."""
    items = re.findall(r"(.)(?:-(.))?", class_body, re.DOTALL)
    return "".join(a + (f"-{b}" if b else "") for a, b in items if a < "\U00010000")


# A class reaching past U+FFFF is searched range by range, three times slower than one
# below it (a table lookup per character); so the search is for the basic plane's unsafe
# characters or any astral one, and only a text that holds astral characters is searched
# again, from the first of them, for the whole class.
_CANDIDATE = re.compile(
    f"[{_CONTROLS}\u2028\u2029{_SURROGATES}{_basic_plane(_INVISIBLE)}\U00010000-\U0010ffff]"
)


_BASIC_INVISIBLE_CHAR = re.compile(f"[{_basic_plane(_INVISIBLE)}]")
_BASIC_INVISIBLE_RUNS = re.compile(f"[{_basic_plane(_INVISIBLE)}]+")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _is_safe(text: str) -> bool:
    """Whether no character of the text is one sanitise changes (CR aside)."""
    # Printable ASCII (space to tilde) holds none of them. The check is O(1) for isascii
    # and a table lookup a character for isprintable, twice as fast as the search below:
    # most values in a brief are such text.
    if text.isascii() and text.isprintable():
        return True
    return _holds_no_trigger(text)


def _holds_no_trigger(text: str) -> bool:
    """`_is_safe` for any text: the search for every character sanitise changes."""
    found = _CANDIDATE.search(text)
    if found is None:
        return True
    if found.group() < "\U00010000":
        return False
    return _TRIGGER.search(text, found.start()) is None


class OffsetMap:
    """Where each position of an edited text was in the text before the edits.

    Only stretches whose length changed are recorded (a removed character, an escape
    sequence become one mark, a run of spaces become one), in layers for edits made one
    after another, so an unedited text has an empty map. A span maps outward: it takes in
    the whole of any stretch it overlaps and leaves out characters removed at its edges.
    """

    __slots__ = ("_layers",)

    def __init__(self, layers: tuple[_Layer, ...] = ()) -> None:
        self._layers = tuple(layer for layer in layers if layer.starts)

    def __bool__(self) -> bool:
        return bool(self._layers)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the edited text as the span of the original it came from."""
        start = self.position(start, at_start=True)
        return start, max(start, self.position(end, at_start=False))

    def position(self, position: int, *, at_start: bool) -> int:
        """Where a position of the edited text was, as the start or the end of a span."""
        for layer in reversed(self._layers):
            position = layer.position(position, at_start=at_start)
        return position


class _Layer:
    """The length-changing edits of one pass: result [start, end) came from the original
    [start + shift before, end + shift after), with a 1:1 copy in between."""

    __slots__ = ("starts", "ends", "shifts")

    def __init__(self) -> None:
        self.starts = array("i")
        self.ends = array("i")
        self.shifts = array("i")  # original position minus result position, after each edit

    def add(self, starts: list[int], ends: list[int], originals: list[int]) -> None:
        """Record edits that produced result [starts[k], ends[k]), ending at originals[k]."""
        self.starts.extend(starts)
        self.ends.extend(ends)
        self.shifts.extend(map(sub, originals, ends))

    def position(self, position: int, *, at_start: bool) -> int:
        """Where a position was before this layer's edits."""
        starts, ends, shifts = self.starts, self.ends, self.shifts
        index = bisect_left(starts, position)  # edits before `index` start before position
        if index and ends[index - 1] > position:  # inside an edit: take all of it
            if at_start:
                return starts[index - 1] + (shifts[index - 2] if index > 1 else 0)
            return ends[index - 1] + shifts[index - 1]
        shift = shifts[index - 1] if index else 0
        if at_start:  # step over characters removed right here
            while index < len(starts) and starts[index] == position == ends[index]:
                shift = shifts[index]
                index += 1
        return position + shift


class _ChunkedOffsetMap(OffsetMap):
    """The offset map of an edit made chunk by chunk, each chunk's map built when first used.

    Building every record of a long text up front costs seconds on a hostile one (millions
    of double spaces); a quote's matches need the maps of a few chunks only.
    """

    __slots__ = ("_text", "_edit", "_cuts", "_results", "_maps")

    def __init__(
        self,
        text: str,
        edit: Callable[[str], tuple[str, OffsetMap]],
        cuts: list[int],
        results: list[int],
    ) -> None:
        super().__init__()
        self._text, self._edit = text, edit
        self._cuts, self._results = cuts, results  # where each chunk starts, before and after
        self._maps: dict[int, OffsetMap] = {}

    def __bool__(self) -> bool:
        return True

    def position(self, position: int, *, at_start: bool) -> int:
        """Where a position of the edited text was, as the start or the end of a span."""
        # The chunk holding the position; at a cut, an end belongs to the chunk before (which
        # may end with removed characters it must leave out).
        chunk = bisect_left(self._results, position + at_start) - 1
        if chunk < 0:
            return 0
        if chunk == len(self._cuts) - 1:
            return self._cuts[chunk]  # the very end
        offsets = self._maps.get(chunk)
        if offsets is None:
            text = self._text[self._cuts[chunk] : self._cuts[chunk + 1]]
            offsets = self._maps[chunk] = self._edit(text)[1]
        local = position - self._results[chunk]
        return self._cuts[chunk] + offsets.position(local, at_start=at_start)


def _edits(
    text: str, pattern: re.Pattern[str], replace: Callable[[list[str]], list[str]]
) -> tuple[str, _Layer]:
    """Replace every match of a one-group pattern by `replace` of the matches, with the map.

    Runs at C speed however many matches there are: the text is split by the pattern, and
    positions come from running sums of the pieces' lengths.
    """
    pieces = pattern.split(text)
    matched = pieces[1::2]
    originals = list(accumulate(map(len, pieces)))
    replaced = replace(matched)
    pieces[1::2] = replaced
    results = list(accumulate(map(len, pieces)))
    changed = list(map(ne, map(len, matched), map(len, replaced)))
    layer = _Layer()
    layer.add(  # piece 2k + 1 is match k: it starts where piece 2k ends
        list(compress(results[0::2], changed)),
        list(compress(results[1::2], changed)),
        list(compress(originals[1::2], changed)),
    )
    return "".join(pieces), layer


def _in_chunks(
    text: str,
    edit: Callable[[str], str],
    mapped: Callable[[str], tuple[str, OffsetMap]],
    cut: Callable[[str, int, int], int],
) -> tuple[str, OffsetMap]:
    """An edit made chunk by chunk, each chunk ending where `cut` says no edit reaches across,
    with a map of `mapped` (the same edit, with its map) made for a chunk when a position
    there is asked for."""
    pieces: list[str] = []
    cuts, results = [0], [0]
    while cuts[-1] < len(text):
        cuts.append(cut(text, cuts[-1], cuts[-1] + _CHUNK))
        pieces.append(edit(text[cuts[-2] : cuts[-1]]))
        results.append(results[-1] + len(pieces[-1]))
    if results == cuts:  # no length changed anywhere
        return "".join(pieces), OffsetMap()
    return "".join(pieces), _ChunkedOffsetMap(text, mapped, cuts, results)


_CHUNK = 1 << 16  # characters of text edited, and mapped when asked, at a time


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _sanitise_unsafe(text: str) -> str:
    """What sanitise does after newlines: every pass in C, whatever the input."""
    if _SEQUENCE_START.search(text):
        text = _SEQUENCES.sub(ESCAPE_MARK, text)
    # Removing the basic plane's invisible characters first, then the astral ones where
    # there are astral characters at all, spares most text the slow search of the whole
    # class (see _CANDIDATE).
    if _BASIC_INVISIBLE_CHAR.search(text):
        text = _BASIC_INVISIBLE_RUNS.sub("", text)
    if _ASTRAL.search(text) and _INVISIBLE_CHAR.search(text):
        text = _INVISIBLE_RUNS.sub("", text)
    if _ONE_FOR_ONE_CHAR.search(text):
        text = text.translate(_ONE_FOR_ONE)
    return text


def sanitise(text: str) -> str:
    """Return text safe to show: newlines normalised, escapes and controls made visible.

    Tab and newline are kept. Escape sequences become one visible mark, other controls
    their Control Pictures glyph, and invisible characters are removed (see the module's
    docstring). Everything that offsets refer to is computed on the result; see
    `sanitise_with_offsets` for the way back.
    """
    text = normalise_newlines(text)
    if _is_safe(text):
        return text
    return _sanitise_unsafe(text)


def sanitise_with_offsets(text: str) -> tuple[str, OffsetMap]:
    """`sanitise`, with the map from the result back to the text after newline normalisation.

    The map of a long text is built a chunk at a time, where a position is first asked for.
    """
    text = normalise_newlines(text)
    if _is_safe(text):
        return text, OffsetMap()
    return _in_chunks(text, _sanitise_unsafe, _sanitise_chunk, _sanitise_cut)


def _sanitise_chunk(text: str) -> tuple[str, OffsetMap]:
    """`_sanitise_unsafe` of a chunk with its map: a layer per pass that changes lengths."""
    layers: list[_Layer] = []
    if _SEQUENCE_START.search(text):
        text, layer = _edits(text, _SEQUENCE_PIECES, _marks)
        layers.append(layer)
    if _INVISIBLE_CHAR.search(text):
        text, layer = _edits(text, _INVISIBLE_PIECES, _nothing)
        layers.append(layer)
    if _ONE_FOR_ONE_CHAR.search(text):
        text = text.translate(_ONE_FOR_ONE)
    return text, OffsetMap(tuple(layers))


def _marks(sequences: list[str]) -> list[str]:
    return [ESCAPE_MARK] * len(sequences)


def _nothing(runs: list[str]) -> list[str]:
    return [""] * len(runs)


class WrittenText:
    """A text as written, kept beside its sanitised form where sanitising changed it.

    The offset map back to it is built on first use (by an export), not at load.
    """

    __slots__ = ("text", "_offsets")

    def __init__(self, text: str) -> None:
        self.text = text
        self._offsets: OffsetMap | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """A span of the sanitised text as the span of this text that it shows."""
        if self._offsets is None:
            self._offsets = sanitise_with_offsets(self.text)[1]
        return self._offsets.span(start, end)


def is_clean(text: str) -> bool:
    """Whether the text holds nothing that sanitise would change (besides CR)."""
    return _is_safe(text)


# Typographic variants that a quote may use where the source uses another: each folds to
# one ASCII character, so folding never changes the length of the text.
_FOLD = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
    **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
}
# Any white space that is not already a single plain space: `\s` covers NBSP, U+2007,
# U+202F and the other Unicode spaces.
_SPACE_TO_COLLAPSE = re.compile(r"(\s{2,}|[^\S ])")
_WHITESPACE_RUN = re.compile(r"\s+")
# Canonical composition never reaches across an ASCII character (none composes with what
# precedes it), so each non-ASCII run with the character before it is composed alone.
_COMPOSABLE = re.compile(r"([\x00-\x7f]?[^\x00-\x7f]+)")
# Cutting before an ASCII character other than white space splits no run of either kind,
# so a long text is normalised in chunks cut there.
_SAFE_CUT = re.compile(r"[!-~]")


def _normalise_cut(text: str, start: int, at: int) -> int:
    """Where a chunk of text to normalise can end: at `at` or after."""
    found = _SAFE_CUT.search(text, at)
    return found.start() if found else len(text)


_nfc = partial(unicodedata.normalize, "NFC")


def _fold(text: str) -> str:
    """Quotes and dashes folded to ASCII (one `str.replace` per variant present: on text
    that is not ASCII that is several times faster than `str.translate`)."""
    for variant, ascii_form in _FOLD.items():
        if variant in text:
            text = text.replace(variant, ascii_form)
    return text


def normalise(text: str) -> str:
    """The normalised form of text (see `normalise_with_offsets`), without the offset map."""
    return _WHITESPACE_RUN.sub(" ", _nfc(_fold(text)))


def normalise_with_offsets(text: str) -> tuple[str, OffsetMap]:
    """Fold quotes, dashes, Unicode composition and white space runs, with the map back.

    Curly and straight quotes become `'` or `"`, hyphens and dashes `-`, text is composed
    canonically (NFC: a letter and its combining accent become one character, so `é` typed
    either way is the same; compatibility forms such as `²` stay themselves), and every run
    of white space one space. A match in the result maps back with `offsets.span`.
    """
    return _in_chunks(text, normalise, _normalise_chunk, _normalise_cut)


def _normalise_chunk(text: str) -> tuple[str, OffsetMap]:
    """`normalise_with_offsets` of a chunk, its map built in full."""
    folded = _fold(text)
    layers: list[_Layer] = []
    if not unicodedata.is_normalized("NFC", folded):
        folded, layer = _edits(folded, _COMPOSABLE, _compose)
        layers.append(layer)
    normalised, layer = _edits(folded, _SPACE_TO_COLLAPSE, _spaces)
    return normalised, OffsetMap((*layers, layer))


def _compose(runs: list[str]) -> list[str]:
    return list(map(_nfc, runs))


def _spaces(runs: list[str]) -> list[str]:
    return [" "] * len(runs)


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return (
        f"\\x{code:02x}"
        if code < 0x100
        else f"\\u{code:04x}"
        if code < 0x10000
        else f"\\U{code:08x}"
    )


# In a name, tab and line breaks are escaped too (a newline in a file name must not start a
# line of output), and so are surrogates: os.fsdecode turns each byte that is not UTF-8 into
# one of U+DC80..U+DCFF, which is written back as that byte, `\xff`.
_UNSAFE_IN_NAME = re.compile(f"[\t\n\r\ud800-\udfff{_TRIGGER.pattern[1:-1]}]")
_FSDECODED_BYTES = range(0xDC80, 0xDD00)


def _escaped_in_name(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if code in _FSDECODED_BYTES else _escaped(match)


def escape_name(name: str) -> str:
    """A file or folder name safe to show on one line, each unsafe character as an escape.

    Unlike sanitise, distinct names stay distinct (they are used as keys).
    """
    if _UNSAFE_IN_NAME.search(name) is None:
        return name
    return _UNSAFE_IN_NAME.sub(_escaped_in_name, name)


def one_line(text: str, limit: int | None = None) -> str:
    """Untrusted text made safe and flat for one line, cut to `limit` characters if given."""
    flat = " ".join(sanitise(text).split())
    return flat if limit is None or len(flat) <= limit else flat[: limit - 1] + "…"
