"""The search query language: fzf-style terms, `|` alternatives and `field:` filters.

    word        the word, words it starts, near spellings, its letters in order in a word
    'text       the text exactly, as a substring ("a phrase" likewise, spaces included)
    ^text       units that start with the text; text$ units that end with it; ^text$ equal
    !text       units without the text (also !^text, !text$, !"a phrase", !field:value)
    a | b       either of two adjacent terms
    source:x    text of a source named x by key, path, outlet or title (source:"a b" for
                a name with spaces), its title and the notes on passages quoting it
    topic:x     units of a brief named x by title, file or tag
    stance:x    text covered by a passage of that stance, claims and notes with one
    kind:x      claim, note, title, summary, text or source units, or the text of sources
                of that kind (report, preview, ...) as source:x gives it

Terms are ANDed and case is ignored. A filter value names what it equals; failing that,
what contains it; failing that (4+ letters), what nearly contains it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from briefing_tui.core.library.text import sanitise

# A query is typed by a person; anything longer is pasted noise, and each term costs a lookup.
MAX_QUERY_CHARS = 512
MAX_ATOMS = 16


class TermKind(StrEnum):
    """How a term must occur in a unit."""

    FUZZY = "fuzzy"  # words, prefixes, typos, scattered letters: ranked
    EXACT = "exact"  # 'text or "a phrase": a substring
    PREFIX = "prefix"  # ^text: the unit starts with it
    SUFFIX = "suffix"  # text$: the unit ends with it
    WHOLE = "whole"  # ^text$: the unit is exactly it


class Field(StrEnum):
    """What a `field:value` filter restricts."""

    SOURCE = "source"
    TOPIC = "topic"
    STANCE = "stance"
    KIND = "kind"


@dataclass(frozen=True, slots=True)
class Term:
    """A piece of text to find; `text` is folded to lower case."""

    text: str
    kind: TermKind = TermKind.FUZZY
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Filter:
    """A `field:value` restriction; `value` is folded to lower case."""

    field: Field
    value: str
    negated: bool = False


Atom = Term | Filter


@dataclass(frozen=True, slots=True)
class Query:
    """Groups ANDed together; the atoms of one group are alternatives (`a | b`)."""

    groups: tuple[tuple[Atom, ...], ...] = ()

    @property
    def is_empty(self) -> bool:
        """Whether the query asks for nothing."""
        return not self.groups

    @property
    def atoms(self) -> tuple[Atom, ...]:
        """Every atom, in query order."""
        return tuple(atom for group in self.groups for atom in group)


def lowercase(text: str) -> str:
    """Lower-case text without changing its length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c if len(low := c.lower()) != 1 else low for c in text)


# Typographic quotes, dashes and … are searched as ASCII ('don’t' finds "don't"):
# one character for one, so offsets hold, and most text then needs one byte a character.
_TYPOGRAPHIC = str.maketrans(
    {
        **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032", "'"),
        **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033", '"'),
        **dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2015\u2212", "-"),
        "\u2026": ".",
    }
)


def fold(text: str) -> str:
    """Text as search compares it: lower case, plain quotes and dashes, breaks as spaces."""
    # As long as the text, so offsets hold; a phrase then matches across a hard wrap.
    return lowercase(text).translate(_TYPOGRAPHIC).replace("\n", " ")


_FILTER = re.compile(r"(?P<field>source|topic|stance|kind):(?P<value>.*)", re.IGNORECASE | re.S)
# A quoted phrase, or a filter with a quoted value (source:"GMI POST"), is one token.
_TOKEN = re.compile(r'!?(?:(?:source|topic|stance|kind):)?"[^"]*"?|\S+', re.IGNORECASE)


def _atom(token: str) -> Atom | None:
    negated = token.startswith("!")
    body = token[1:] if negated else token
    if match := _FILTER.fullmatch(body):
        value = match["value"]
        if value.startswith('"'):
            value = value[1:].removesuffix('"')
        value = lowercase(value).strip()
        return Filter(Field(match["field"].lower()), value, negated) if value else None
    if body.startswith('"'):
        text, kind = body[1:].removesuffix('"'), TermKind.EXACT
    elif body.startswith("'"):
        text, kind = body[1:], TermKind.EXACT
    elif body.startswith("^") and body.endswith("$") and len(body) > 2:
        text, kind = body[1:-1], TermKind.WHOLE
    elif body.startswith("^"):
        text, kind = body[1:], TermKind.PREFIX
    elif body.endswith("$") and len(body) > 1:
        text, kind = body[:-1], TermKind.SUFFIX
    else:
        # fzf treats a plain negated term as "does not contain this text".
        text, kind = body, TermKind.EXACT if negated else TermKind.FUZZY
    text = fold(text)
    return Term(text, kind, negated) if text.strip() else None


def parse_query(text: str) -> Query:
    """Parse any string into a query; nothing is an error, nonsense just matches nothing."""
    text = sanitise(text[:MAX_QUERY_CHARS])
    groups: list[list[Atom]] = []
    joining = False
    atoms = 0
    for match in _TOKEN.finditer(text):
        token = match.group()
        if token == "|":
            joining = bool(groups)
            continue
        atom = _atom(token)
        if atom is None:
            continue
        if atoms == MAX_ATOMS:
            break
        atoms += 1
        if joining:
            groups[-1].append(atom)
        else:
            groups.append([atom])
        joining = False
    return Query(tuple(tuple(group) for group in groups))
