"""Files and YAML -> Library: every problem becomes a Diagnostic that costs only its own part."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import briefing_tui
from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.model import (
    META_KEYS,
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Diagnostic,
    Level,
    Library,
    Passage,
    PassageRef,
    Source,
    Stance,
)
from briefing_tui.core.library.sources import (
    SOURCE_SUFFIXES,
    FileProblem,
    load_source,
    read_utf8,
)
from briefing_tui.core.library.text import escape_name, one_line, sanitise
from briefing_tui.core.library.yamlsafe import (
    MAX_YAML_CHARS,
    Mark,
    YamlError,
    YamlMapping,
    YamlSequence,
    parse_yaml,
)

BRIEF_SUFFIXES = (".yaml", ".yml")
BRIEF_KEYS = ("title", "summary", "tags", "sources", "claims")
CLAIM_KEYS = ("id", "text", "note", "passages")
PASSAGE_KEYS = ("source", "quote", "stance", "prefix", "suffix", "note")
SOURCE_ENTRY_KEYS = ("path", *META_KEYS)
_STANCE_VALUES = frozenset(stance.value for stance in Stance)
_STANCES = ", ".join(stance.value for stance in Stance)
_CLOSEST_CHARS = 60
# One hostile file can hold thousands of problems; past this many a file gets one summary line.
MAX_DIAGNOSTICS_PER_FILE = 100
# Messages quote the values they complain about; a 5,000-digit number is cut short.
MAX_MESSAGE_CHARS = 300
_DRIVE = re.compile(r"[A-Za-z]:")


class LibraryError(Exception):
    """The path cannot be opened as a library at all (message is one line)."""


@dataclass(frozen=True, slots=True)
class LibraryLocation:
    """A library root and the brief files to load from it, in file-name order."""

    root: Path
    brief_files: tuple[Path, ...]


def bundled_library_path() -> Path:
    """The bundled library: briefing_tui/bundled/ in a wheel, else the checkout root."""
    package = Path(briefing_tui.__file__).parent
    bundled = package / "bundled"
    if (bundled / "briefs").is_dir():
        return bundled
    return package.parent


def _brief_files(folder: Path) -> tuple[Path, ...]:
    found = [
        entry
        for entry in folder.iterdir()
        if entry.suffix.lower() in BRIEF_SUFFIXES
        and not entry.name.startswith(".")
        and entry.is_file()
    ]
    return tuple(sorted(found, key=lambda entry: entry.name))


def locate_library(path: str | Path | None = None) -> LibraryLocation:
    """Find the root and brief files for PATH: a library root or one brief file."""
    given = bundled_library_path() if path is None else Path(path)
    shown = escape_name(str(given))  # the message goes to a terminal
    try:
        if given.is_dir():
            root = given.resolve()
            briefs = root / "briefs"
            if briefs.is_dir():
                return LibraryLocation(root, _brief_files(briefs))
            files = _brief_files(root)
            if not files:
                raise LibraryError(f"{shown}: no briefs/ folder and no brief files (.yaml, .yml)")
            return LibraryLocation(root, files)
        if given.is_file():
            if given.suffix.lower() not in BRIEF_SUFFIXES:
                raise LibraryError(f"{shown}: not a brief file (.yaml or .yml)")
            file = given.resolve()
            folder = file.parent
            root = folder.parent if folder.name == "briefs" else folder
            return LibraryLocation(root, (file,))
    except OSError as error:
        raise LibraryError(f"{shown}: {error.strerror or error}") from None
    if given.exists():
        raise LibraryError(f"{shown}: not a folder or a brief file")
    raise LibraryError(f"{shown}: no such file or folder")


def load_library(path: str | Path | None = None) -> Library:
    """Load a library root or one brief file (None: the bundled library)."""
    return load_location(locate_library(path))


def load_location(location: LibraryLocation) -> Library:
    """Load the briefs of a located library, with the sources they name."""
    loader = _LibraryLoader(location.root)
    briefs: list[Brief] = []
    for file in location.brief_files:
        brief = _BriefLoader(loader, file, len(briefs)).load()
        if brief is not None:
            briefs.append(brief)
    sources = {source.path: source for source in loader.sources.values()}
    return Library(location.root, tuple(briefs), sources, _bounded(loader.diagnostics))


def _bounded(diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Diagnostics in file order, messages made safe and short, at most so many per file."""
    kept: list[Diagnostic] = []
    per_file: dict[str, int] = {}
    for diagnostic in sorted(diagnostics, key=lambda d: (d.path, d.line or 0, d.column or 0)):
        count = per_file[diagnostic.path] = per_file.get(diagnostic.path, 0) + 1
        if count <= MAX_DIAGNOSTICS_PER_FILE:
            message = one_line(diagnostic.message, MAX_MESSAGE_CHARS)
            kept.append(replace(diagnostic, message=message))
    for path, count in per_file.items():
        if count > MAX_DIAGNOSTICS_PER_FILE:
            hidden = count - MAX_DIAGNOSTICS_PER_FILE
            kept.append(Diagnostic(path, Level.ERROR, f"{hidden} more problems not shown"))
    return tuple(kept)


class _LibraryLoader:
    """What the briefs of one library share: its sources (each read once) and matchers."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = str(root)
        self._root_prefix = os.path.join(self._root_text, "")
        self.diagnostics: list[Diagnostic] = []
        self.sources: dict[str, Source] = {}
        self._matchers: dict[str, SourceMatcher] = {}
        self._unreadable: set[str] = set()
        self._resolved: dict[str, tuple[str | None, str | None]] = {}

    def relative(self, file: Path) -> str:
        """A file's library-relative posix path, escaped for display (the model's name)."""
        return escape_name(file.relative_to(self.root).as_posix())

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        """A brief's source path -> (library-relative path, None) or (None, problem)."""
        if value not in self._resolved:
            self._resolved[value] = self._confine(value)
        return self._resolved[value]

    def _confine(self, value: str) -> tuple[str | None, str | None]:
        if value.startswith(("/", "\\")) or _DRIVE.match(value):
            return None, f"source path {value!r} must be relative to the library root"
        relative = posixpath.normpath(value.replace("\\", "/"))
        if relative == ".." or relative.startswith("../"):
            return None, f"source path {value!r} leads outside the library root"
        if posixpath.splitext(relative)[1].lower() not in SOURCE_SUFFIXES:
            return None, f"source {value!r} must be a .txt or .md file"
        # os.path rather than pathlib: this runs for every source of a large library.
        real = os.path.realpath(os.path.join(self._root_text, relative))
        if not real.startswith(self._root_prefix):
            return None, f"source path {value!r} resolves outside the library root"
        if not os.path.isfile(real):
            return None, f"source file not found: {escape_name(relative)}"
        return relative, None

    def source(self, relative: str) -> Source | None:
        """The source at a library-relative path, read on first use."""
        if relative in self.sources:
            return self.sources[relative]
        if relative in self._unreadable:
            return None
        source, diagnostics = load_source(self.root / relative, escape_name(relative))
        self.diagnostics.extend(diagnostics)
        if source is None:
            self._unreadable.add(relative)
            return None
        self.sources[relative] = source
        return source

    def anchor(self, source: Source, quote: str, prefix: str | None, suffix: str | None) -> Anchor:
        """Anchor a quote with the source's matcher, built once per source."""
        matcher = self._matchers.get(source.path)
        if matcher is None:
            matcher = self._matchers[source.path] = SourceMatcher(source.text)
        return matcher.anchor(quote, prefix, suffix)


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


class _BriefLoader:
    """Validates and builds one brief, reporting each problem against its line."""

    def __init__(self, library: _LibraryLoader, file: Path, index: int) -> None:
        self.library = library
        self.file = file
        self.index = index
        self.path = library.relative(file)
        self.source_marks: dict[str, Mark] = {}

    def report(self, level: Level, message: str, mark: Mark | None = None) -> None:
        """Record a diagnostic at a place in this brief."""
        line, column = mark if mark is not None else (None, None)
        self.library.diagnostics.append(Diagnostic(self.path, level, message, line, column))

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
        summary = self.text(data, "summary")
        tags = self.tags(data)
        declared = self.sources(data)
        claims: tuple[Claim, ...] = ()
        if declared is not None:
            claims = self.claims(data, declared)
        if title is None or declared is None:
            return None
        return Brief(
            index=self.index,
            path=self.path,
            title=title,
            sources=tuple(source for source in declared.values() if source is not None),
            claims=claims,
            summary=summary,
            tags=tags,
        )

    def unknown_keys(self, mapping: YamlMapping, known: Iterable[str], what: str) -> None:
        """Warn about keys this mapping does not use (usually typos)."""
        allowed = set(known)
        for key in mapping:
            if key not in allowed:
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
        for key, entry in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                self.error(f"source id {key!r} must be a name", value.key_mark(key))
                continue
            name = sanitise(str(key))  # shown as a label when a source has no outlet
            self.source_marks[name] = value.key_mark(key)
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
        for item, mark in zip(value, value.item_marks, strict=True):
            claim = self.claim(item, mark, len(claims), declared, used, ids)
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
        passages = self.passages(item, index, declared, used)
        if text is None or not passages:
            return None
        return Claim(index, text, passages, claim_id, note, mark.line)

    def passages(
        self,
        claim: YamlMapping,
        index: int,
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
            ref = PassageRef(self.index, index, len(passages))
            passage = self.passage(item, mark, ref, declared, used)
            if passage is not None:
                passages.append(passage)
        return tuple(passages)

    def passage(
        self,
        item: Any,
        mark: Mark,
        ref: PassageRef,
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
            self.report_anchor(anchor, brief_source.source.path, item.value_mark("quote"))
        return Passage(ref, key, quote, stance, anchor, prefix, suffix, note, mark.line)

    def stance(self, passage: YamlMapping) -> Stance | None:
        """The passage's stance (default supports); None when it is not one of the three."""
        value = passage.get("stance")
        if value is None:
            return Stance.SUPPORTS
        if isinstance(value, str) and value in _STANCE_VALUES:
            return Stance(value)
        self.error(
            f"unknown stance {value!r} (use {_STANCES})",
            passage.value_mark("stance"),
        )
        return None

    def report_anchor(self, anchor: Anchor, path: str, mark: Mark) -> None:
        """Warn about approximate and ambiguous anchors; an orphaned quote is an error."""
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
