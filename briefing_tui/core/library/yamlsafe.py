"""Safe YAML for untrusted files: plain values only, with the line and column of every value.

Nothing is ever constructed by PyYAML: the parser's events are turned into values here, so
tags such as `!!python/object/apply` are refused before they could mean anything, aliases
(billion laughs, self-reference) are refused outright, and nesting depth and duplicate keys
are checked while the events stream in. Every problem is a `YamlError` with one line and,
where there is one, the place; no other exception escapes.

Mapping keys are always text, since in this format every key is a name (a field, a source
id). A key that YAML reads as a number, true/false or null keeps the text it is written as
(an integer in decimal), so `1`, `1.0` and `true` stay three distinct keys. Keys that YAML
holds equal (`1` and `0x1`, `1.0` and `1.00`, `yes` and `true`) or that name the same text
(`1` and `"1"`) are duplicates.

Every value returned can be printed. A plain scalar that looks like a number but is longer
than MAX_NUMBER_CHARS, or an integer Python refuses to print (over 4,300 digits), stays text
as written; with an explicit `!!int` or `!!float` tag it is refused, as is any tagged value
that is not of its type (`!!bool maybe`, `!!int ""`).
"""

from __future__ import annotations

from typing import Any, NamedTuple, Protocol

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)
from yaml.nodes import ScalarNode

MAX_YAML_CHARS = 1 << 20  # 1 MiB: a brief is a page of text, not a data dump
MAX_DEPTH = 20
# Longer numbers are not read as numbers: a sexagesimal integer costs quadratic time to
# build, and a decimal one this long is past what Python prints.
MAX_NUMBER_CHARS = 4300
# Integers written in fewer characters always have fewer than 4,300 decimal digits, the
# most Python converts to text; longer ones are tried.
_SURELY_PRINTABLE = 1000
_SHOWN_CHARS = 40  # of a refused value, in its message

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_MAP_TAGS = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS = frozenset({None, "!", _TAG + "seq"})
_CONSTRUCTOR = SafeConstructor()
_IMPLICIT_FIRST = frozenset(_Loader.yaml_implicit_resolvers)  # first characters they claim
# What PyYAML's constructors raise on a scalar that is not of their type.
_CONSTRUCTOR_ERRORS = (ValueError, KeyError, IndexError, TypeError, OverflowError)


class Mark(NamedTuple):
    """A 1-based line and column in a YAML text."""

    line: int
    column: int


class YamlError(Exception):
    """The text is not acceptable YAML; the message is one line, the mark where it went wrong."""

    def __init__(self, message: str, mark: Mark | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Place(Protocol):
    """Where the parser says a node starts (0-based), converted to a Mark only when asked."""

    line: int
    column: int


def _to_mark(place: _Place) -> Mark:
    return Mark(place.line + 1, place.column + 1)


class YamlMapping(dict[str, Any]):
    """A mapping (keys are text) that remembers where it, each key and each value start."""

    __slots__ = ("mark", "_key_places", "_value_places")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        # Kept as the parser gives them: most are never asked for.
        self._key_places: dict[str, _Place] = {}
        self._value_places: dict[str, _Place] = {}

    def key_mark(self, key: str) -> Mark:
        """Where the key is written, or where the mapping starts when it is absent."""
        place = self._key_places.get(key)
        return self.mark if place is None else _to_mark(place)

    def value_mark(self, key: str) -> Mark:
        """Where the key's value starts, or where the mapping starts when it is absent."""
        place = self._value_places.get(key)
        return self.mark if place is None else _to_mark(place)


class YamlSequence(list[Any]):
    """A list that remembers where it and each item start."""

    __slots__ = ("mark", "item_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.item_marks: list[Mark] = []


def _tag_name(tag: str | None) -> str:
    tag = tag or "!"
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _mark(event: Any) -> Mark:
    return _to_mark(event.start_mark)


def _shown(value: str) -> str:
    """A refused value for a message: quoted, cut short."""
    if len(value) > _SHOWN_CHARS:
        return repr(value[: _SHOWN_CHARS - 1] + "…")
    return repr(value)


class _NotANumber(Exception):
    """A scalar tagged or resolved as a number that Python cannot hold or print as one."""


def _number(kind: str, value: str) -> int | float:
    """The int or float a scalar writes; _NotANumber (saying why) when there is none."""
    if len(value) > MAX_NUMBER_CHARS:
        raise _NotANumber(f"a number longer than {MAX_NUMBER_CHARS:,} characters")
    node = ScalarNode(_TAG + kind, value)
    try:
        if kind == "float":
            return _CONSTRUCTOR.construct_yaml_float(node)
        number: int = _CONSTRUCTOR.construct_yaml_int(node)
    except _CONSTRUCTOR_ERRORS:
        raise _NotANumber("not a number") from None
    if len(value) > _SURELY_PRINTABLE:
        try:
            str(number)
        except ValueError:  # Python refuses to print an integer of more than 4,300 digits
            raise _NotANumber("an integer too large to print") from None
    return number


def _scalar(event: ScalarEvent, loader: Any) -> Any:
    """The value of a scalar: text, int, float, bool or None."""
    value: str = event.value
    tag = event.tag
    explicit = tag is not None and tag != "!"
    if tag is None or tag == "!":
        if not event.implicit[0] or (value and value[0] not in _IMPLICIT_FIRST):
            return value  # quoted, or plain text that no implicit type (int, bool...) could claim
        tag = loader.resolve(ScalarNode, value, event.implicit)
    kind = tag[len(_TAG) :] if tag.startswith(_TAG) else None
    if kind in ("str", "value", "timestamp"):
        return value  # dates and times stay as written: ISO text, never datetime
    if kind == "null":
        return None
    if kind == "bool":
        truth = _CONSTRUCTOR.bool_values.get(value.lower())
        if truth is None:
            raise YamlError(f"not true or false: {_shown(value)}", _mark(event))
        return truth
    if kind in ("int", "float"):
        try:
            return _number(kind, value)
        except _NotANumber as error:
            if not explicit:
                return value  # looks like a number, cannot be one: the text as written
            raise YamlError(f"{error}: {_shown(value)}", _mark(event)) from None
    if kind == "merge":
        raise YamlError("merge keys (<<) are not allowed", _mark(event))
    raise YamlError(f"tag {_tag_name(tag)} is not allowed", _mark(event))


def _key(value: Any, written: str) -> tuple[str, tuple[type, Any] | None]:
    """A scalar key as text, and what YAML compares it by when the text alone does not say."""
    if isinstance(value, str):
        return value, None
    if isinstance(value, bool) or value is None:
        return written, (type(value), value)
    if isinstance(value, int):
        return str(value), None  # decimal, as the loader names a source given as a number
    return written, (float, value.hex())  # so NaN equals itself, as YAML keys should


class _Open:
    """A mapping or sequence being filled, with the key waiting for its value."""

    __slots__ = ("collection", "is_mapping", "places", "key", "key_place", "identities")

    def __init__(self, event: CollectionStartEvent, depth: int) -> None:
        """The collection an event starts, refused when anchored, tagged or too deep."""
        if event.anchor is not None:
            raise YamlError(f"anchors (&{event.anchor}) are not allowed", _mark(event))
        start: Any = event.start_mark
        mark = Mark(start.line + 1, start.column + 1)
        self.collection: YamlMapping | YamlSequence
        self.is_mapping = type(event) is MappingStartEvent
        if self.is_mapping:
            if event.tag not in _MAP_TAGS:
                raise YamlError(f"tag {_tag_name(event.tag)} is not allowed", mark)
            self.collection = mapping = YamlMapping(mark)
            # Where each key was written, for the duplicate check without a lookup.
            self.places = mapping._key_places
        else:
            if event.tag not in _SEQ_TAGS:
                raise YamlError(f"tag {_tag_name(event.tag)} is not allowed", mark)
            self.collection = YamlSequence(mark)
            self.places = {}
        if depth >= MAX_DEPTH:
            raise YamlError(f"nested deeper than {MAX_DEPTH} levels", mark)
        self.key: str | None = None
        self.key_place: _Place | None = None
        # Keys whose text does not say what YAML compares them by (true, 1.0, null); most
        # mappings have none, so the dict is made for the first.
        self.identities: dict[tuple[type, Any], _Place] | None = None


def _build(loader: Any) -> Any:
    """Turn the parser's events into plain values with marks.

    One loop with the common cases inlined, since it runs for every value of every brief.
    libyaml's composer (`get_single_node`) is slower even before its checks are added back:
    it builds a Python node and calls the Python resolver and descend/ascend hooks for every
    value (on the 1,167 briefs and front matters of bench_load.py: 139 ms to compose and
    walk the nodes against 127 ms for this loop), hides anchors, and recurses in C as deep
    as the text nests.
    """
    stack: list[_Open] = []
    parent: _Open | None = None  # stack[-1], the collection being filled
    root: Any = None
    documents = 0
    # What each plain scalar an implicit type may claim resolves to: keys repeat (`text`,
    # `title`...) and the resolver's regular expressions cost more than a lookup.
    resolved: dict[str, Any] = {}
    new_mark = tuple.__new__  # Mark(line, column) without NamedTuple's Python-level __new__
    for event in iter(loader.get_event, None):
        kind = type(event)
        value: Any
        opened = None
        if kind is ScalarEvent:
            if event.anchor is not None:
                raise YamlError(f"anchors (&{event.anchor}) are not allowed", _mark(event))
            value = event.value
            if event.tag is not None:
                value = _scalar(event, loader)
            elif event.implicit[0] and (not value or value[0] in _IMPLICIT_FIRST):
                # Plain text an implicit type (int, bool...) may claim.
                written = value
                value = resolved.get(written, resolved)
                if value is resolved:
                    value = resolved[written] = _scalar(event, loader)
        elif kind is MappingStartEvent or kind is SequenceStartEvent:
            opened = _Open(event, len(stack))
            value = opened.collection
        elif kind is MappingEndEvent or kind is SequenceEndEvent:
            stack.pop()
            parent = stack[-1] if stack else None
            continue
        elif kind is AliasEvent:
            raise YamlError(f"aliases (*{event.anchor}) are not allowed", _mark(event))
        else:
            if kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise YamlError("more than one YAML document in the file", _mark(event))
            continue
        start = event.start_mark
        if parent is None:
            root = value
        elif not parent.is_mapping:
            sequence: Any = parent.collection
            sequence.append(value)
            sequence.item_marks.append(new_mark(Mark, (start.line + 1, start.column + 1)))
        elif (key := parent.key) is not None:
            mapping: Any = parent.collection
            mapping[key] = value
            mapping._key_places[key] = parent.key_place
            mapping._value_places[key] = start
            parent.key = None
        elif opened is not None:
            raise YamlError("a mapping key must be a plain value", _to_mark(start))
        elif type(value) is str and value not in parent.places:
            parent.key = value  # text that repeats no key before it: the common case
            parent.key_place = start
        else:
            parent.key = _new_key(parent, value, event.value, start)
            parent.key_place = start
        if opened is not None:
            stack.append(opened)
            parent = opened
    return root


def _new_key(parent: _Open, value: Any, written: str, place: _Place) -> str:
    """A key's text, once it is known not to repeat one before it in the mapping."""
    text, identity = _key(value, written)
    first = parent.places.get(text)
    if first is None and identity is not None:
        if parent.identities is None:
            parent.identities = {}
        first = parent.identities.get(identity)
        if first is None:
            parent.identities[identity] = place
    if first is not None:
        message = f"duplicate key {_shown(text)} (first at line {first.line + 1})"
        raise YamlError(message, _to_mark(place))
    return text


def _syntax_error(error: yaml.YAMLError, text: str) -> YamlError:
    if isinstance(error, yaml.MarkedYAMLError) and error.problem_mark is not None:
        mark = Mark(error.problem_mark.line + 1, error.problem_mark.column + 1)
        problem = error.problem or "invalid YAML"
        if error.context:
            problem = f"{error.context}: {problem}"
        return YamlError(f"YAML syntax error: {problem}", mark)
    if isinstance(error, yaml.reader.ReaderError):
        # libyaml counts the position in bytes of the UTF-8 text, the pure-Python reader
        # in characters.
        if _Loader is yaml.SafeLoader:
            before = text[: error.position]
        else:
            before = text.encode()[: error.position].decode(errors="ignore")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        character = error.character if isinstance(error.character, int) else ord(error.character)
        return YamlError(
            f"YAML syntax error: character U+{character:04X} is not allowed ({error.reason})",
            Mark(line, column),
        )
    return YamlError("YAML syntax error: " + " ".join(str(error).split()))


def _surrogate_error(error: UnicodeEncodeError, text: str) -> YamlError:
    """A lone surrogate (only a str built in Python can hold one), located."""
    before = text[: error.start]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    character = ord(text[error.start])
    return YamlError(
        f"YAML syntax error: character U+{character:04X} is not allowed (a lone surrogate)",
        Mark(line, column),
    )


def parse_yaml(text: str, max_chars: int = MAX_YAML_CHARS) -> Any:
    """Parse one YAML document into str/int/float/bool/None, YamlSequence and YamlMapping.

    Raises YamlError (with a mark where there is one) for anything unsafe or malformed.
    An empty document is None.
    """
    if len(text) > max_chars:
        raise YamlError(f"larger than the YAML size limit ({max_chars:,} characters)")
    try:
        loader = _Loader(text)
    except UnicodeEncodeError as error:  # libyaml is handed UTF-8
        raise _surrogate_error(error, text) from None
    try:
        return _build(loader)
    except yaml.YAMLError as error:
        raise _syntax_error(error, text) from None
    finally:
        loader.dispose()
