"""Files and YAML -> Library, and again when files change, re-reading only what changed.

Every problem becomes a Diagnostic that costs only its own file.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import threading
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import briefing_tui
from briefing_tui.core.library.model import (
    Anchor,
    Brief,
    Diagnostic,
    Level,
    Library,
    ProblemCounts,
    Source,
)
from briefing_tui.core.library.text import escape_name, one_line

# Reading a file (briefs, sources, anchor and PyYAML behind them) is imported where a file
# is read, not here: a reader seeded from the library cache often reads none, and those
# imports are a tenth of the reader's start-up.
if TYPE_CHECKING:
    from briefing_tui.core.library.anchor import SourceMatcher

BRIEF_SUFFIXES = (".yaml", ".yml")
SOURCE_SUFFIXES = (".txt", ".md")
# One hostile file can hold thousands of problems; past this many a file gets one summary line.
MAX_DIAGNOSTICS_PER_FILE = 100
# Messages quote the values they complain about; a 5,000-digit number is cut short.
MAX_MESSAGE_CHARS = 300
_DRIVE = re.compile(r"[A-Za-z]:")

# What says a file changed: modification time, size and inode (an editor's save replaces
# the file by renaming a new one over it). None: the file is gone.
Stamp = tuple[int, int, int] | None


class LibraryError(Exception):
    """The path cannot be opened as a library at all (message is one line)."""


@dataclass(frozen=True, slots=True)
class LibraryLocation:
    """A library root and the brief files to load from it, in file-name order."""

    root: Path
    brief_files: tuple[Path, ...]
    folder: Path | None = None  # the folder listed for brief files (None: one brief file given)

    def relisted(self) -> LibraryLocation:
        """The same library with its brief files listed again (they may have come or gone)."""
        if self.folder is None:
            return self
        try:
            return replace(self, brief_files=_brief_files(self.folder))
        except OSError as error:
            shown = escape_name(str(self.folder))
            raise LibraryError(f"{shown}: {error.strerror or error}") from None


def bundled_library_path() -> Path:
    """The bundled library: briefing_tui/bundled/ in a wheel, else the checkout root."""
    package = Path(briefing_tui.__file__).parent
    bundled = package / "bundled"
    if (bundled / "briefs").is_dir():
        return bundled
    return package.parent


def _brief_files(folder: Path) -> tuple[Path, ...]:
    # A link is listed whatever it leads to, so one leading out of the library or to a
    # device is reported rather than silently skipped (or followed).
    found = [
        entry
        for entry in folder.iterdir()
        if entry.suffix.lower() in BRIEF_SUFFIXES
        and not entry.name.startswith(".")
        and (entry.is_symlink() or entry.is_file())
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
                return LibraryLocation(root, _brief_files(briefs), briefs)
            files = _brief_files(root)
            if not files:
                raise LibraryError(f"{shown}: no briefs/ folder and no brief files (.yaml, .yml)")
            return LibraryLocation(root, files, root)
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
    return LibraryReader(location).read().library


def _bounded(diagnostics: list[Diagnostic]) -> tuple[tuple[Diagnostic, ...], ProblemCounts]:
    """Diagnostics in file order, messages made safe and short, at most so many per file.

    A file's problems past the limit become one line saying how many of each level were
    left out; the counts returned are the true ones, that line not included.
    """
    kept: list[Diagnostic] = []
    hidden: dict[str, Counter[Level]] = {}
    per_file: Counter[str] = Counter()
    for diagnostic in sorted(diagnostics, key=lambda d: (d.path, d.line or 0, d.column or 0)):
        per_file[diagnostic.path] += 1
        if per_file[diagnostic.path] <= MAX_DIAGNOSTICS_PER_FILE:
            message = one_line(diagnostic.message, MAX_MESSAGE_CHARS)
            kept.append(replace(diagnostic, message=message))
        else:
            hidden.setdefault(diagnostic.path, Counter())[diagnostic.level] += 1
    for path, levels in hidden.items():
        level = Level.ERROR if levels[Level.ERROR] else Level.WARNING
        if len(levels) == 1:
            message = f"{_count(levels.total(), f'more {level}', '')} not shown"
        else:
            left_out = ", ".join(_count(levels[each], str(each), "") for each in Level)
            message = f"{_count(levels.total(), 'more problem', '')} not shown ({left_out})"
        kept.append(Diagnostic(path, level, message))
    counts = ProblemCounts.of(diagnostics)
    return tuple(kept), replace(counts, files_cut=len(hidden))


def _stamp(path: str | Path) -> Stamp:
    try:
        status = os.stat(path)
    except (OSError, ValueError):
        return None
    return _stamp_of(status)


def _stamp_of(status: os.stat_result) -> Stamp:
    """The stamp of a file from its status."""
    return (status.st_mtime_ns, status.st_size, status.st_ino)


@dataclass(slots=True)
class SourceRead:
    """A source as last read: its stamp, the Source (None if unusable) and its problems."""

    stamp: Stamp
    source: Source | None
    diagnostics: list[Diagnostic]


@dataclass(slots=True)
class BriefRead:
    """A brief as last read, with the stamps of the sources it was anchored in."""

    stamp: Stamp
    brief: Brief | None
    diagnostics: list[Diagnostic]
    sources: dict[str, Stamp]
    # Source paths it names that could not be used (missing, a folder, leading outside):
    # the brief is read again when one of them changes, a missing file that appears say.
    refused: dict[str, Stamp] = field(default_factory=dict)

    def is_current(self, stamp: Stamp, files: _Files) -> bool:
        """Whether neither the brief file nor a source path it names changed."""
        return (
            self.stamp == stamp
            and all(files.stamp(rel) == s for rel, s in self.sources.items())
            and all(files.stamp(rel) == s for rel, s in self.refused.items())
        )

    def agrees(self, read_as: dict[int, tuple[str, Stamp]]) -> bool:
        """Whether each source of the brief is a Source read (by id: its path and stamp) at
        the stamp the brief was read with."""
        for named in self.brief.sources if self.brief is not None else ():
            relative, stamp = read_as.get(id(named.source), (None, None))
            if relative is None or self.sources.get(relative, ()) != stamp:  # (): not named
                return False
        return True


@dataclass(frozen=True, slots=True)
class Snapshot:
    """What a reader has read, to be kept on disk and handed to the next run's reader."""

    location: LibraryLocation
    briefs: dict[Path, BriefRead]
    sources: dict[str, SourceRead]  # by library-relative path


class _Files:
    """The library's source files: paths confined to the root, each source read once per change."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = str(root)
        self._root_prefix = os.path.join(self._root_text, "")
        self._reads: dict[str, SourceRead] = {}
        self.refused: set[str] = set()  # paths refused by `resolve`, since last emptied
        self._refused_paths: dict[str, str] = {}  # value -> the relative path it named
        self._matchers: dict[str, SourceMatcher] = {}  # by the model's source path
        self._stamps: dict[str, Stamp] = {}  # stamps taken during the current pass
        self._resolved: dict[str, tuple[str | None, str | None]] = {}
        self._real_folders: dict[str, str] = {}  # folder -> its real path, this pass
        self.files_read = 0  # source files read this pass

    def begin_pass(self) -> None:
        """Start reading the library again: paths and stamps are looked at afresh."""
        self._stamps.clear()
        self._resolved.clear()
        self._refused_paths.clear()
        self.files_read = 0
        self._real_folders.clear()

    def stamp(self, relative: str) -> Stamp:
        """A source file's stamp, taken once per pass."""
        if relative not in self._stamps:
            self._stamps[relative] = _stamp(os.path.join(self._root_text, relative))
        return self._stamps[relative]

    def read_source(self, relative: str) -> SourceRead:
        """The source at a library-relative path, read again only if its file changed."""
        stamp = self.stamp(relative)
        read = self._reads.get(relative)
        if read is None or read.stamp != stamp:
            name = escape_name(relative)
            self.files_read += 1
            from briefing_tui.core.library.sources import load_source

            try:
                # os.path rather than pathlib: this runs for every source of a large library.
                file = os.path.join(self._root_text, relative)
                source, diagnostics = load_source(file, name)
            except Exception as error:  # an input no check foresaw costs only this source
                source, diagnostics = None, [Diagnostic(name, Level.ERROR, unexpected(error))]
            read = self._reads[relative] = SourceRead(stamp, source, diagnostics)
        return read

    def seed(self, reads: dict[str, SourceRead]) -> None:
        """Start from sources an earlier reader read (checked against their stamps on use)."""
        self._reads = dict(reads)

    def reads(self) -> dict[str, SourceRead]:
        """Every source as last read, by library-relative path."""
        return dict(self._reads)

    def forget_except(self, kept: set[str]) -> None:
        """Drop what was read of sources no brief names any more."""
        for relative in set(self._reads) - kept:
            del self._reads[relative]
        paths = {r.source.path for r in self._reads.values() if r.source is not None}
        for path in set(self._matchers) - paths:
            del self._matchers[path]

    # What a brief asks of its library (briefs.SourceFiles).

    def relative(self, file: Path) -> str:
        """A file's library-relative posix path, escaped for display (the model's name)."""
        return escape_name(file.relative_to(self.root).as_posix())

    def resolve(self, value: str) -> tuple[str | None, str | None]:
        """A brief's source path -> (library-relative path, None) or (None, problem)."""
        if value not in self._resolved:
            self._resolved[value] = self._confine(value)
        refused = self._refused_paths.get(value)
        if refused is not None:
            self.refused.add(refused)
        return self._resolved[value]

    def _confine(self, value: str) -> tuple[str | None, str | None]:
        if "\0" in value:  # no file name holds one, and os.path refuses it with ValueError
            return None, f"source path {value!r} holds a NUL character"
        if value.startswith(("/", "\\")) or _DRIVE.match(value):
            return None, f"source path {value!r} must be relative to the library root"
        relative = posixpath.normpath(value.replace("\\", "/"))
        if relative == ".." or relative.startswith("../"):
            return None, f"source path {value!r} leads outside the library root"
        if posixpath.splitext(relative)[1].lower() not in SOURCE_SUFFIXES:
            return None, f"source {value!r} must be a .txt or .md file"
        # os.path rather than pathlib: this runs for every source of a large library.
        path = os.path.join(self._root_text, relative)
        problem = self._outside(path)
        if problem is not None:
            self._refused_paths[value] = relative
            return None, f"source path {value!r} {problem}"
        # One stat says whether it is a file (as os.path.isfile would) and is the pass's
        # stamp of it, which reading it asks for next.
        try:
            status = os.stat(path)
        except (OSError, ValueError):
            status = None
        if status is None or not stat.S_ISREG(status.st_mode):
            self._refused_paths[value] = relative
            return None, f"source file not found: {escape_name(relative)}"
        self._stamps.setdefault(relative, _stamp_of(status))
        return relative, None

    def _outside(self, path: str) -> str | None:
        """Why a path cannot be used as inside the library (None: it can)."""
        try:
            real = self._real_path(path)
        except (OSError, ValueError) as error:  # a surrogate no file system name can hold
            return f"cannot be resolved ({type(error).__name__}: {error})"
        if not real.startswith(self._root_prefix):
            return "resolves outside the library root"
        return None

    def _real_path(self, path: str) -> str:
        """os.path.realpath, with each folder's resolved once per pass (one lstat a file)."""
        folder, name = os.path.split(path)
        if os.path.islink(path):
            return os.path.realpath(path)
        real_folder = self._real_folders.get(folder)
        if real_folder is None:
            real_folder = self._real_folders[folder] = os.path.realpath(folder)
        return os.path.join(real_folder, name)

    def brief_problem(self, file: Path) -> str | None:
        """Why a listed brief file must not be read (None: it may), confined as sources are."""
        problem = self._outside(str(file))
        if problem is not None:
            return f"the brief file {problem}" if file.is_symlink() else problem
        if not file.exists():
            return "the brief file is a link to nothing"
        if not file.is_file():
            return "the brief file is not a regular file"
        return None

    def source(self, relative: str) -> Source | None:
        """The source at a library-relative path (None when it cannot be read)."""
        return self.read_source(relative).source

    def anchor(self, source: Source, quote: str, prefix: str | None, suffix: str | None) -> Anchor:
        """Anchor a quote with the source's matcher, built once per reading of the source."""
        matcher = self._matchers.get(source.path)
        if matcher is None or matcher.text is not source.text:
            from briefing_tui.core.library.anchor import SourceMatcher

            matcher = self._matchers[source.path] = SourceMatcher(source.text)
        return matcher.anchor(quote, prefix, suffix)


@dataclass(frozen=True, slots=True)
class Reading:
    """A library as read, and what changed since the reading before."""

    library: Library
    changed: tuple[str, ...] = ()  # briefs read again because they or their sources changed
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    stale: tuple[str, ...] = ()  # briefs that no longer load, shown in their last good version
    files_read: int = 0  # brief and source files read, not kept from the reading before

    def describe(self) -> str:
        """One line for the reader, e.g. "reloaded: 1 brief changed · 0 problems"."""
        parts = [
            _count(len(names), "brief", verb)
            for names, verb in (
                (self.changed, "changed"),
                (self.added, "added"),
                (self.removed, "removed"),
                (self.stale, "kept as last loaded"),
            )
            if names
        ]
        counts = self.library.problems
        problems = _count(counts.errors + counts.warnings, "problem", "")
        return "reloaded: " + " · ".join([*(parts or ["nothing changed"]), problems])


def unexpected(error: Exception) -> str:
    """The message for an exception no check foresaw, naming its type."""
    return f"could not be read: unexpected {type(error).__name__}: {error}"


def _count(number: int, noun: str, verb: str) -> str:
    words = f"{number:,} {noun}{'' if number == 1 else 's'}"
    return f"{words} {verb}" if verb else words


@dataclass(slots=True)
class LibraryReader:
    """Reads a library, and reads it again re-reading only the files that changed.

    Not for two threads at once: the reader's poller and reloads share one worker.
    """

    location: LibraryLocation
    _files: _Files = field(init=False)
    _briefs: dict[Path, BriefRead] = field(init=False, default_factory=dict)
    _folders: dict[str, Stamp] = field(init=False, default_factory=dict)  # holding sources
    _lock: threading.Lock = field(init=False, default_factory=threading.Lock)
    _first: bool = field(init=False, default=True)  # the next read is the first

    def __post_init__(self) -> None:
        self._files = _Files(self.location.root)

    @classmethod
    def seeded(cls, snapshot: Snapshot) -> LibraryReader:
        """A reader that starts from what an earlier one read: only what changed is read."""
        reader = cls(snapshot.location)
        reader._briefs = dict(snapshot.briefs)
        reader._files.seed(snapshot.sources)
        return reader

    def snapshot(self) -> Snapshot:
        """What the last read read, for a later reader to start from.

        A stale brief is left out (as is any brief whose sources are not those read, at the
        stamps it was read with), so that the next reader reads its file afresh.
        """
        with self._lock:
            sources = self._files.reads()
            read_as = {id(r.source): (rel, r.stamp) for rel, r in sources.items() if r.source}
            briefs = {
                file: replace(read, diagnostics=list(read.diagnostics))
                for file, read in self._briefs.items()
                if not (read.brief is not None and read.brief.stale) and read.agrees(read_as)
            }
            return Snapshot(self.location, briefs, sources)

    def read(self) -> Reading:
        """The library as its files are now (raises LibraryError if its folder is gone)."""
        with self._lock:
            return self._read()

    def has_changed(self, *, thorough: bool = True) -> bool:
        """Whether a brief or source file changed, came or went since the last read.

        Not thorough: the brief files, and the folders holding sources, whose time changes
        when an editor saves by renaming a new file over the old one; a source rewritten in
        place is only seen by a thorough look, which costs one stat per source.
        """
        with self._lock:
            location = self.location.relisted()
            if set(location.brief_files) != set(self._briefs):
                return True
            if any(_stamp(file) != read.stamp for file, read in self._briefs.items()):
                return True
            root = self.location.root
            if any(_stamp(root / folder) != stamp for folder, stamp in self._folders.items()):
                return True
            if not thorough:
                return False
            self._files.begin_pass()
            return any(
                self._files.stamp(rel) != stamp
                for read in self._briefs.values()
                for rel, stamp in (*read.sources.items(), *read.refused.items())
            )

    def _read(self) -> Reading:
        if not self.location.root.is_dir():
            raise LibraryError(f"{escape_name(str(self.location.root))}: the folder is gone")
        first, self._first = self._first, False
        self.location = self.location.relisted()
        files = self._files
        files.begin_pass()
        changed: list[str] = []
        added: list[str] = []
        stale: list[str] = []
        reads: dict[Path, BriefRead] = {}
        briefs_read = 0
        for file in self.location.brief_files:
            before = self._briefs.get(file)
            read = self._brief(file, before, first)
            reads[file] = read
            if read is before:
                continue
            briefs_read += 1
            path = files.relative(file)
            (changed if before is not None else added).append(path)
            if read.brief is not None and read.brief.stale:
                stale.append(path)
        removed = [files.relative(f) for f in self._briefs if f not in reads]
        self._briefs = reads
        used = {rel for read in reads.values() for rel in read.sources}
        files.forget_except(used)
        named = used.union(*(read.refused for read in reads.values()))
        folders = {posixpath.dirname(relative) for relative in named}
        self._folders = {folder: _stamp(self.location.root / folder) for folder in folders}
        numbered: list[Brief] = []
        for read in reads.values():
            if read.brief is not None:
                if read.brief.index != len(numbered):
                    read.brief = replace(read.brief, index=len(numbered))
                numbered.append(read.brief)
        diagnostics = [d for read in reads.values() for d in read.diagnostics]
        sources: dict[str, Source] = {}
        for relative in sorted(used):
            source_read = files.read_source(relative)
            diagnostics += source_read.diagnostics
            if source_read.source is not None:
                sources[source_read.source.path] = source_read.source
        shown, counts = _bounded(diagnostics)
        library = Library(self.location.root, tuple(numbered), sources, shown, counts)
        files_read = briefs_read + files.files_read
        if first:
            return Reading(library, files_read=files_read)
        changes = (tuple(changed), tuple(added), tuple(removed), tuple(stale))
        return Reading(library, *changes, files_read=files_read)

    def _brief(self, file: Path, before: BriefRead | None, first: bool) -> BriefRead:
        """A brief file read, or its earlier reading when neither it nor its sources changed.

        On the first read (of a reader seeded from an earlier run's), a brief that does not
        load is shown as it is, not as it last loaded: that was another session's edit.
        """
        stamp = _stamp(file)
        if before is not None and before.is_current(stamp, self._files):
            return before
        from briefing_tui.core.library.briefs import BriefLoader

        loader = BriefLoader(self._files, file)
        self._files.refused = set()
        problem = self._files.brief_problem(file)
        if problem is not None:
            loader.error(problem)
            brief = None
        else:
            try:
                brief = loader.load()
            except Exception as error:  # an input no check foresaw costs only this brief
                loader.error(unexpected(error))
                brief = None
        sources = {rel: self._files.stamp(rel) for rel in loader.sources_read}
        refused = {rel: self._files.stamp(rel) for rel in self._files.refused}
        if brief is None and not first and stamp is not None and before and before.brief:
            # Mid-edit, a brief often stops parsing: keep showing its last good version.
            brief = replace(before.brief, stale=True)
            sources = {**before.sources, **sources}
            loader.report(
                Level.WARNING, "the reader shows this brief as it last loaded, until it loads again"
            )
        return BriefRead(stamp, brief, loader.diagnostics, sources, refused)
