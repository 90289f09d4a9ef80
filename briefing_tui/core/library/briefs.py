"""One brief file -> a Brief: validated, its sources read and its quotes anchored."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from briefing_tui.core.library.model import (
    META_KEYS,
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Diagnostic,
    Level,
    Passage,
    Source,
    Stance,
)
from briefing_tui.core.library.sources import FileProblem, read_utf8
from briefing_tui.core.library.text import one_line, sanitise
from briefing_tui.core.library.yamlsafe import (
    MAX_YAML_CHARS,
    Mark,
    YamlError,
    YamlMapping,
    YamlSequence,
    parse_yaml,
)

BRIEF_KEYS = ("title", "summary", "tags", "sources", "claims")
CLAIM_KEYS = ("id", "text", "note", "passages")
PASSAGE_KEYS = ("source", "quote", "stance", "prefix", "suffix", "note")
SOURCE_ENTRY_KEYS = ("path", *META_KEYS)
_STANCE_BY_VALUE = {stance.value: stance for stance in Stance}
_UNREPORTED = frozenset({AnchorStatus.EXACT, AnchorStatus.NORMALISED})
_STANCES = ", ".join(stance.value for stance in Stance)
_CLOSEST_CHARS = 60
_KEY_CHARS = 48  # a claim key derived from its text keeps this much of it


class SourceFiles(Protocol):
    """What a brief needs of its library: source paths resolved, sources read, quotes anchored."""

    def relative(self, file: Path) -> str:
        """A file's library-relative posix path, escaped for display (the model's name)."""
        ...

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        """A brief's source path -> (library-relative path, None) or (None, problem)."""
        ...

    def source(self, relative: str) -> Source | None:
        """The source at a library-relative path (None when it cannot be read)."""
        ...

    def anchor(self, source: Source, quote: str, prefix: str | None, suffix: str | None) -> Anchor:
        """Anchor a quote in a source."""
        ...


def derived_key(text: str) -> str:
    """A claim key from its text, for claims without an id: "~" and its first words, slugged."""
    words = "".join(c if c.isalnum() else " " for c in text.lower()).split()
    slug = ""
    for word in words:
        if len(slug) + len(word) + 1 > _KEY_CHARS:
            break
        slug = f"{slug}-{word}" if slug else word
    if not slug and words:
        slug = words[0][:_KEY_CHARS]
    return "~" + slug


def _unique(key: str, taken: set[str]) -> str:
    """The key, or the key with the first free "~2", "~3"… after it."""
    number = 2
    unique = key
    while unique in taken:
        unique, number = f"{key}~{number}", number + 1
    return unique


def _kind(value: Any) -> str:
    if isinstance(value, YamlMapping):
        return "a mapping"
    if isinstance(value, YamlSequence):
        return "a list"
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "text"


class BriefLoader:
    """Validates and builds one brief, reporting each problem against its line."""

    def __init__(self, files: SourceFiles, file: Path) -> None:
        self.library = files
        self.file = file
        self.path = files.relative(file)
        self.source_marks: dict[str, Mark] = {}
        self.diagnostics: list[Diagnostic] = []
        self.sources_read: set[str] = set()  # library-relative paths of the sources it names

    def report(self, level: Level, message: str, mark: Mark | None = None) -> None:
        """Record a diagnostic at a place in this brief."""
        line, column = mark if mark is not None else (None, None)
        self.diagnostics.append(Diagnostic(self.path, level, message, line, column))

    def error(self, message: str, mark: Mark | None = None) -> None:
        """Record an error at a place in this brief."""
        self.report(Level.ERROR, message, mark)

    def load(self) -> Brief | None:
        """The brief, or None (with diagnostics) when its top level is unusable."""
        try:
            data = parse_yaml(read_utf8(self.file, MAX_YAML_CHARS))
        except FileProblem as problem:
            self.error(problem.message, Mark(problem.line, 1) if problem.line else None)
            return None
        except YamlError as error:
            self.error(error.message, error.mark)
            return None
        if not isinstance(data, YamlMapping):
            where = Mark(1, 1) if data is None else getattr(data, "mark", Mark(1, 1))
            self.error(
                f"a brief must be a mapping with title and sources, not {_kind(data)}", where
            )
            return None
        self.unknown_keys(data, BRIEF_KEYS, "brief")
        title = self.text(data, "title", required=True)
        if title is not None:
            # A title is shown on one line everywhere: a line break in it (a folded YAML
            # line, NEL, U+2028) would cut it in a header, so it becomes a space.
            title = " ".join(title.split())
        summary = self.text(data, "summary")
        tags = self.tags(data)
        declared = self.sources(data)
        claims: tuple[Claim, ...] = ()
        if declared is not None:
            claims = self.claims(data, declared)
        if title is None or declared is None:
            return None
        return Brief(
            index=0,  # the library numbers its briefs once they are all loaded
            path=self.path,
            title=title,
            sources=tuple(source for source in declared.values() if source is not None),
            claims=claims,
            summary=summary,
            tags=tags,
        )

    def unknown_keys(self, mapping: YamlMapping, known: tuple[str, ...], what: str) -> None:
        """Warn about keys this mapping does not use (usually typos)."""
        for key in mapping:
            if key not in known:  # a handful of names: a set would cost more to build
                self.report(
                    Level.WARNING,
                    f"unknown key {key!r} in {what} (known: {', '.join(known)})",
                    mapping.key_mark(key),
                )

    def text(
        self, mapping: YamlMapping, key: str, *, required: bool = False, strip: bool = True
    ) -> str | None:
        """A text value, sanitised; None (with an error where due) when absent or wrong.

        Surrounding white space is dropped (block scalars end in a newline) unless `strip`
        is false, as for a prefix or suffix, where a space can be the point.
        """
        value = mapping.get(key)
        if value is None:
            if required:
                self.error(f"missing {key!r}", mapping.key_mark(key))
            return None
        if not isinstance(value, str):
            self.error(f"{key!r} must be text, not {_kind(value)}", mapping.value_mark(key))
            return None
        if not value.strip():
            if required:
                self.error(f"{key!r} is empty", mapping.value_mark(key))
            return None
        text = sanitise(value)
        return text.strip() if strip else text

    def identifier(self, mapping: YamlMapping, key: str) -> str | None:
        """A key-like value (text or a whole number), as sanitised text."""
        value = mapping.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, str) and value.strip():
            return sanitise(value)
        if value is not None:
            self.error(f"{key!r} must be a name, not {_kind(value)}", mapping.value_mark(key))
        return None

    def tags(self, data: YamlMapping) -> tuple[str, ...]:
        """The brief's tags: a list of text (one text is taken as one tag)."""
        value = data.get("tags")
        if value is None:
            return ()
        if isinstance(value, str):
            return (sanitise(value),)
        if isinstance(value, YamlSequence) and all(isinstance(tag, str) for tag in value):
            return tuple(sanitise(tag) for tag in value)
        self.error("'tags' must be a list of text", data.value_mark("tags"))
        return ()

    def sources(self, data: YamlMapping) -> dict[str, BriefSource | None] | None:
        """Declared sources by key (None for those that failed); None if unusable."""
        value = data.get("sources")
        if value is None:
            self.error("missing 'sources'", data.key_mark("sources"))
            return None
        if not isinstance(value, YamlMapping) or not value:
            message = "'sources' must map source ids to paths"
            self.error(f"{message}, not {_kind(value)}", data.value_mark("sources"))
            return None
        declared: dict[str, BriefSource | None] = {}
        given: dict[str, str | int] = {}  # each id as the brief wrote it, by its name
        for key, entry in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                self.error(f"source id {key!r} must be a name", value.key_mark(key))
                continue
            name = sanitise(str(key))  # shown as a label when a source has no outlet
            mark = value.key_mark(key)
            if name in given:
                # `1` and "1", or "k" and "k" + U+200B, are one id once read: merging them
                # silently would send one source's passages to the other.
                first = self.source_marks[name]
                self.error(
                    f"source id {key!r} (line {mark.line}) is the same id as {given[name]!r} "
                    f"(line {first.line}) once read as text; rename one",
                    mark,
                )
                continue
            given[name] = key
            self.source_marks[name] = mark
            declared[name] = self.source_entry(name, entry, value.value_mark(key))
        return declared

    def source_entry(self, key: str, entry: Any, path_mark: Mark) -> BriefSource | None:
        """One `id: path` or `id: {path, kind, ...}` entry, with its source loaded."""
        overrides: dict[str, str] = {}
        if isinstance(entry, YamlMapping):
            self.unknown_keys(entry, SOURCE_ENTRY_KEYS, f"source {key!r}")
            for meta_key in META_KEYS:
                meta = self.text(entry, meta_key)
                if meta is not None:
                    overrides[meta_key] = meta
            path_mark = entry.value_mark("path")
            if "path" not in entry:
                self.error(f"source {key!r} is missing 'path'", entry.mark)
                return None
            entry = entry["path"]
        if not isinstance(entry, str) or not entry.strip():
            self.error(
                f"source {key!r} must be a path or a mapping with 'path', not {_kind(entry)}",
                path_mark,
            )
            return None
        relative, problem = self.library.resolve(entry)
        if relative is None:
            self.error(problem or f"source {key!r} cannot be used", path_mark)
            return None
        self.sources_read.add(relative)
        source = self.library.source(relative)
        if source is None:
            return None
        return BriefSource(key, source, source.meta.merged(overrides))

    def claims(
        self, data: YamlMapping, declared: dict[str, BriefSource | None]
    ) -> tuple[Claim, ...]:
        """The brief's claims; a broken claim costs only itself."""
        value = data.get("claims")
        if value is None:
            return ()
        if not isinstance(value, YamlSequence):
            self.error(f"'claims' must be a list, not {_kind(value)}", data.value_mark("claims"))
            return ()
        claims: list[Claim] = []
        used: set[str] = set()
        ids: dict[str, int] = {}
        # Keys derived from a claim's text must not take an id a later claim gives itself.
        keys = {
            sanitise(str(item["id"]))
            for item in value
            if isinstance(item, YamlMapping) and isinstance(item.get("id"), (str, int))
        }
        for item, mark in zip(value, value.item_marks, strict=True):
            claim = self.claim(item, mark, len(claims), declared, used, ids, keys)
            if claim is not None:
                claims.append(claim)
        if value:
            for key, source in declared.items():
                if key not in used and source is not None:
                    self.report(
                        Level.WARNING,
                        f"source {key!r} is declared but no passage quotes it",
                        self.source_marks[key],
                    )
        return tuple(claims)

    def claim(
        self,
        item: Any,
        mark: Mark,
        index: int,
        declared: dict[str, BriefSource | None],
        used: set[str],
        ids: dict[str, int],
        keys: set[str],
    ) -> Claim | None:
        """One claim, or None when it has no text or no usable passage."""
        if not isinstance(item, YamlMapping):
            self.error(f"a claim must be a mapping with text and passages, not {_kind(item)}", mark)
            return None
        self.unknown_keys(item, CLAIM_KEYS, "claim")
        claim_id = self.identifier(item, "id")
        if claim_id is not None:
            if claim_id in ids:
                self.error(
                    f"duplicate claim id {claim_id!r} (first at line {ids[claim_id]})",
                    item.value_mark("id"),
                )
                claim_id = None
            else:
                ids[claim_id] = item.value_mark("id").line
        text = self.text(item, "text", required=True)
        note = self.text(item, "note")
        key = claim_id if claim_id is not None else _unique(derived_key(text or ""), keys)
        keys.add(key)
        passages = self.passages(item, key, declared, used)
        if text is None or not passages:
            return None
        return Claim(index, key, text, passages, claim_id, note, mark.line)

    def passages(
        self,
        claim: YamlMapping,
        key: str,
        declared: dict[str, BriefSource | None],
        used: set[str],
    ) -> tuple[Passage, ...]:
        """A claim's usable passages (at least one is required)."""
        value = claim.get("passages")
        if not isinstance(value, YamlSequence) or not value:
            where = claim.value_mark("passages") if "passages" in claim else claim.mark
            self.error("a claim needs a list of at least one passage", where)
            return ()
        passages: list[Passage] = []
        for item, mark in zip(value, value.item_marks, strict=True):
            passage = self.passage(item, mark, key, declared, used)
            if passage is not None:
                passages.append(passage)
        return tuple(passages)

    def passage(
        self,
        item: Any,
        mark: Mark,
        claim: str,
        declared: dict[str, BriefSource | None],
        used: set[str],
    ) -> Passage | None:
        """One passage, anchored in its source; None when it cannot be used."""
        if not isinstance(item, YamlMapping):
            self.error(
                f"a passage must be a mapping with source and quote, not {_kind(item)}", mark
            )
            return None
        self.unknown_keys(item, PASSAGE_KEYS, "passage")
        key = self.identifier(item, "source")
        quote = self.text(item, "quote", required=True)
        prefix = self.text(item, "prefix", strip=False)
        suffix = self.text(item, "suffix", strip=False)
        note = self.text(item, "note")
        stance = self.stance(item)
        if key is None:
            if "source" not in item:
                self.error("missing 'source'", item.mark)
            return None
        used.add(key)
        if key not in declared:
            self.error(f"source {key!r} is not declared in 'sources'", item.value_mark("source"))
            return None
        if quote is None or stance is None:
            return None  # the reason was reported where it lies
        brief_source = declared[key]
        if brief_source is None:
            # The source could not be used (reported at its declaration); the passage is
            # kept as an orphan so the claim and its quote are still listed, never dropped.
            anchor = Anchor(AnchorStatus.ORPHANED, score=0.0, occurrences=0)
        else:
            anchor = self.library.anchor(brief_source.source, quote, prefix, suffix)
            self.report_anchor(anchor, brief_source.source.path, item)
        path = None if brief_source is None else brief_source.source.path
        return Passage(claim, key, quote, stance, anchor, prefix, suffix, note, mark.line, path)

    def stance(self, passage: YamlMapping) -> Stance | None:
        """The passage's stance (default supports); None when it is not one of the three."""
        value = passage.get("stance")
        if value is None:
            return Stance.SUPPORTS
        # A dict lookup, not Stance(value): the enum's call costs more than the rest here.
        stance = _STANCE_BY_VALUE.get(value) if isinstance(value, str) else None
        if stance is not None:
            return stance
        self.error(
            f"unknown stance {value!r} (use {_STANCES})",
            passage.value_mark("stance"),
        )
        return None

    def report_anchor(self, anchor: Anchor, path: str, passage: YamlMapping) -> None:
        """Warn about approximate and ambiguous anchors; an orphaned quote is an error.

        The quote's mark is taken only for a report: most quotes are found exactly.
        """
        if anchor.status in _UNREPORTED:
            return
        mark = passage.value_mark("quote")
        if anchor.status is AnchorStatus.AMBIGUOUS:
            self.report(
                Level.WARNING,
                f"quote occurs {anchor.occurrences} times in {path}; add prefix or suffix",
                mark,
            )
        elif anchor.status is AnchorStatus.APPROXIMATE:
            self.report(
                Level.WARNING, f"quote matched approximately (score {anchor.score:.1f})", mark
            )
        elif anchor.status is AnchorStatus.ORPHANED:
            message = f"quote not found in {path}"
            if anchor.closest:
                closest = one_line(anchor.closest, _CLOSEST_CHARS)
                message += f'; closest: "{closest}" (score {anchor.score:.0f})'
            self.error(message, mark)
