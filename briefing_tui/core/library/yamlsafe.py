"""Safe YAML for untrusted files: plain values only, with the line and column of every value.

Nothing is ever constructed by PyYAML: the parser's events are turned into values here, so
tags such as `!!python/object/apply` are refused before they could mean anything, aliases
(billion laughs, self-reference) are refused outright, and nesting depth and duplicate keys
are checked while the events stream in.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (
    AliasEvent,
    CollectionStartEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
)
from yaml.nodes import ScalarNode

MAX_YAML_CHARS = 1 << 20  # 1 MiB: a brief is a page of text, not a data dump
MAX_DEPTH = 20

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_MAP_TAGS = frozenset({None, "!", _TAG + "map"})
_SEQ_TAGS = frozenset({None, "!", _TAG + "seq"})
_CONSTRUCTOR = SafeConstructor()
_IMPLICIT_FIRST = frozenset(_Loader.yaml_implicit_resolvers)  # first characters they claim


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


class YamlMapping(dict[Any, Any]):
    """A mapping that remembers where it, each key and each value start."""

    __slots__ = ("mark", "key_marks", "value_marks")

    def __init__(self, mark: Mark) -> None:
        super().__init__()
        self.mark = mark
        self.key_marks: dict[Any, Mark] = {}
        self.value_marks: dict[Any, Mark] = {}

    def key_mark(self, key: Any) -> Mark:
        """Where the key is written, or where the mapping starts when it is absent."""
        return self.key_marks.get(key, self.mark)

    def value_mark(self, key: Any) -> Mark:
        """Where the key's value starts, or where the mapping starts when it is absent."""
        return self.value_marks.get(key, self.mark)


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


def _mark(event: Event) -> Mark:
    start = event.start_mark
    return Mark(start.line + 1, start.column + 1) if start is not None else Mark(1, 1)


def _scalar(event: ScalarEvent, loader: Any) -> Any:
    tag = event.tag
    if tag is None or tag == "!":
        value = event.value
        if not event.implicit[0] or (value and value[0] not in _IMPLICIT_FIRST):
            return value  # quoted, or plain text that no implicit type (int, bool...) could claim
        tag = loader.resolve(ScalarNode, value, event.implicit)
    kind = tag[len(_TAG) :] if tag.startswith(_TAG) else None
    if kind in ("str", "value", "timestamp"):
        return event.value  # dates and times stay as written: ISO text, never datetime
    if kind == "null":
        return None
    if kind == "bool":
        return _CONSTRUCTOR.construct_yaml_bool(ScalarNode(tag, event.value))
    if kind in ("int", "float"):
        node = ScalarNode(tag, event.value)
        try:
            if kind == "int":
                return _CONSTRUCTOR.construct_yaml_int(node)
            return _CONSTRUCTOR.construct_yaml_float(node)
        except ValueError as error:
            raise YamlError(f"not a number: {event.value!r}", _mark(event)) from error
    if kind == "merge":
        raise YamlError("merge keys (<<) are not allowed", _mark(event))
    raise YamlError(f"tag {_tag_name(tag)} is not allowed", _mark(event))


def _collection(event: CollectionStartEvent) -> YamlMapping | YamlSequence:
    if event.anchor is not None:
        raise YamlError(f"anchors (&{event.anchor}) are not allowed", _mark(event))
    mark = _mark(event)
    if isinstance(event, MappingStartEvent):
        if event.tag not in _MAP_TAGS:
            raise YamlError(f"tag {_tag_name(event.tag)} is not allowed", mark)
        return YamlMapping(mark)
    if event.tag not in _SEQ_TAGS:
        raise YamlError(f"tag {_tag_name(event.tag)} is not allowed", mark)
    return YamlSequence(mark)


class _Builder:
    """Turns a stream of parser events into plain values with marks."""

    def __init__(self, loader: Any) -> None:
        self.loader = loader
        self.stack: list[YamlMapping | YamlSequence] = []
        self.pending_key: list[tuple[Any, Mark] | None] = []
        self.root: Any = None
        self.documents = 0

    def feed(self, event: Event) -> None:
        """Take one event."""
        if isinstance(event, ScalarEvent):
            if event.anchor is not None:
                raise YamlError(f"anchors (&{event.anchor}) are not allowed", _mark(event))
            self._add(_scalar(event, self.loader), _mark(event), is_scalar=True)
        elif isinstance(event, CollectionStartEvent):
            collection = _collection(event)
            if len(self.stack) >= MAX_DEPTH:
                raise YamlError(f"nested deeper than {MAX_DEPTH} levels", collection.mark)
            self._add(collection, collection.mark, is_scalar=False)
            self.stack.append(collection)
            self.pending_key.append(None)
        elif isinstance(event, (MappingEndEvent, SequenceEndEvent)):
            self.stack.pop()
            self.pending_key.pop()
        elif isinstance(event, AliasEvent):
            raise YamlError(f"aliases (*{event.anchor}) are not allowed", _mark(event))
        elif isinstance(event, DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise YamlError("more than one YAML document in the file", _mark(event))

    def _add(self, value: Any, mark: Mark, *, is_scalar: bool) -> None:
        if not self.stack:
            self.root = value
            return
        parent = self.stack[-1]
        if isinstance(parent, YamlSequence):
            parent.append(value)
            parent.item_marks.append(mark)
            return
        pending = self.pending_key[-1]
        if pending is None:
            if not is_scalar:
                raise YamlError("a mapping key must be a plain value", mark)
            if value in parent.key_marks:
                first = parent.key_marks[value]
                raise YamlError(f"duplicate key {value!r} (first at line {first.line})", mark)
            self.pending_key[-1] = (value, mark)
            return
        key, key_mark = pending
        parent[key] = value
        parent.key_marks[key] = key_mark
        parent.value_marks[key] = mark
        self.pending_key[-1] = None


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


def parse_yaml(text: str, max_chars: int = MAX_YAML_CHARS) -> Any:
    """Parse one YAML document into str/int/float/bool/None, YamlSequence and YamlMapping.

    Raises YamlError (with a mark where there is one) for anything unsafe or malformed.
    An empty document is None.
    """
    if len(text) > max_chars:
        raise YamlError(f"larger than the YAML size limit ({max_chars:,} characters)")
    loader = _Loader(text)
    builder = _Builder(loader)
    try:
        while loader.check_event():
            builder.feed(loader.get_event())
    except yaml.YAMLError as error:
        raise _syntax_error(error, text) from None
    finally:
        loader.dispose()
    return builder.root
