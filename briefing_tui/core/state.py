"""The reading state of a library: last place, jump history, bookmarks and the reader's notes.

One JSON file per library (named by a hash of its resolved root) in the user's state folder,
`platformdirs.user_state_dir("briefing")` or `$BRIEFING_STATE_DIR`. It is written atomically
(a temporary file in the same folder, fsync, `os.replace`) and merged entry by entry under
an exclusive lock, so two readers on one library never lose each other's changes: each
bookmark or note is kept by id, the newer change wins, and a deletion stays behind as a
tombstone for a while so a reader that still holds the entry cannot bring it back. A file
that cannot be read (corrupt, truncated, too large, of another version or library) is set
aside under a new name, never overwritten, and the store says so once.

Everything read back is validated: a record that does not hold up is dropped and counted
(the file as it was is kept aside), never a crash. Notes and quotes are untrusted text and
are sanitised on the way in and on the way out.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import stat
import threading
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from briefing_tui.core.atomic import write_atomically
from briefing_tui.core.library.model import Span
from briefing_tui.core.library.text import escape_name, is_clean, sanitise
from briefing_tui.core.places import Place

FORMAT = "briefing-state"
VERSION = 1
STATE_DIR_VARIABLE = "BRIEFING_STATE_DIR"
MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_NOTE_CHARS = 10_000
MAX_QUOTE_CHARS = 2_000  # what a bookmark keeps of the text it was made on
MAX_NAME_CHARS = 4_096  # a brief path, a source key or path, a claim key
MAX_OFFSET = 2**31  # far past any source the loader accepts
HISTORY_LIMIT = 100
# How long a deletion is remembered: a reader left open longer than this on a library that
# another reader changed may show a deleted bookmark again, nothing worse.
TOMBSTONE_AGE = timedelta(days=30)

_ID = re.compile(r"[0-9A-Za-z_-]{1,64}")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SLUG_CHARS = re.compile(r"[^0-9A-Za-z]+")

Clock = Callable[[], datetime]


class StateError(Exception):
    """The state cannot be saved (the message is one line, fit for the status line)."""


class InvalidRecord(ValueError):
    """A record of a state file that does not hold up; it is dropped and counted."""


class Kind(StrEnum):
    """What an annotation is."""

    BOOKMARK = "bookmark"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class LastPlace:
    """Where the reader was: the place, the source view's scroll and the jump history."""

    place: Place
    top: int  # text offset at the top of the source view
    history: tuple[Place, ...]  # the back stack of jumps, oldest first
    updated: datetime


@dataclass(frozen=True, slots=True)
class Annotation:
    """A bookmark or a reader's note on a place; a deleted one stays as a tombstone."""

    id: str
    kind: Kind
    place: Place
    quote: str  # the passage, span or claim text when it was made, to show if it goes missing
    created: datetime
    updated: datetime
    text: str = ""  # the note (a bookmark has none)
    deleted: bool = False


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one state file holds."""

    root: str
    last: LastPlace | None = None
    annotations: Mapping[str, Annotation] = field(default_factory=dict)  # by id, tombstones too


def now_utc() -> datetime:
    """The current time, in UTC."""
    return datetime.now(UTC)


# Places and records as JSON


def place_to_json(place: Place) -> dict[str, Any]:
    """A place as plain JSON data."""
    return {
        "brief": place.brief,
        "source": place.source,
        "source_path": place.source_path,
        "claim": place.claim,
        "passage": list(place.passage) if place.passage is not None else None,
        "span": list(place.span) if place.span is not None else None,
    }


def place_from_json(data: object) -> Place:
    """A place read back from JSON data, every field checked (InvalidRecord when one fails)."""
    record = _mapping(data, "place")
    place = Place(
        brief=_name(record.get("brief"), "brief"),
        source=_optional_name(record.get("source"), "source"),
        source_path=_optional_name(record.get("source_path"), "source_path"),
        claim=_optional_name(record.get("claim"), "claim"),
        passage=_span(record.get("passage"), "passage"),
        span=_span(record.get("span"), "span"),
    )
    if place.passage is not None and (place.claim is None or place.source is None):
        raise InvalidRecord("a passage needs its claim and its source")
    if place.span is not None and place.source is None:
        raise InvalidRecord("a span needs its source")
    return place


def _mapping(data: object, what: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InvalidRecord(f"{what} must be an object")
    return data


def _name(value: object, what: str) -> str:
    # Names come from the model, which holds them escaped: anything unclean was not written here.
    if not isinstance(value, str) or not 0 < len(value) <= MAX_NAME_CHARS:
        raise InvalidRecord(f"{what} must be a name of 1 to {MAX_NAME_CHARS} characters")
    if not is_clean(value) or "\r" in value:
        raise InvalidRecord(f"{what} holds control characters")
    return value


def _optional_name(value: object, what: str) -> str | None:
    return None if value is None else _name(value, what)


def _span(value: object, what: str) -> Span | None:
    if value is None:
        return None
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in value)
    ):
        raise InvalidRecord(f"{what} must be [start, end]")
    start, end = value
    if not 0 <= start <= end <= MAX_OFFSET:
        raise InvalidRecord(f"{what} must have 0 <= start <= end")
    return Span(start, end)


def _offset(value: object, what: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_OFFSET:
        raise InvalidRecord(f"{what} must be an offset")
    return value


def _time(value: object, what: str) -> datetime:
    if not isinstance(value, str) or len(value) > 40:
        raise InvalidRecord(f"{what} must be a time")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidRecord(f"{what} must be a time") from None
    if moment.tzinfo is None:
        raise InvalidRecord(f"{what} must say its time zone")
    return moment.astimezone(UTC)


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or len(value) > limit:
        raise InvalidRecord(f"{what} must be text of at most {limit} characters")
    return clean_text(value)


def clean_text(text: str) -> str:
    """Untrusted text (a note, a quote) made safe to keep and to show."""
    return _SURROGATE.sub("\ufffd", sanitise(text))


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def annotation_to_json(annotation: Annotation) -> dict[str, Any]:
    """An annotation as plain JSON data."""
    return {
        "id": annotation.id,
        "kind": annotation.kind.value,
        "place": place_to_json(annotation.place),
        "quote": annotation.quote,
        "text": annotation.text,
        "created": _stamp(annotation.created),
        "updated": _stamp(annotation.updated),
        "deleted": annotation.deleted,
    }


def annotation_from_json(data: object) -> Annotation:
    """An annotation read back from JSON data, every field checked."""
    record = _mapping(data, "annotation")
    identifier = record.get("id")
    if not isinstance(identifier, str) or not _ID.fullmatch(identifier):
        raise InvalidRecord("id must be 1 to 64 letters, digits, - or _")
    kind = next((k for k in Kind if k.value == record.get("kind")), None)
    if kind is None:
        raise InvalidRecord("kind must be bookmark or note")
    deleted = record.get("deleted", False)
    if not isinstance(deleted, bool):
        raise InvalidRecord("deleted must be true or false")
    return Annotation(
        id=identifier,
        kind=kind,
        place=place_from_json(record.get("place")),
        quote=_text(record.get("quote", ""), "quote", MAX_QUOTE_CHARS),
        created=_time(record.get("created"), "created"),
        updated=_time(record.get("updated"), "updated"),
        text=_text(record.get("text", ""), "text", MAX_NOTE_CHARS),
        deleted=deleted,
    )


def _last_to_json(last: LastPlace) -> dict[str, Any]:
    return {
        "place": place_to_json(last.place),
        "top": last.top,
        "history": [place_to_json(p) for p in last.history],
        "updated": _stamp(last.updated),
    }


def _last_from_json(data: object) -> tuple[LastPlace, int]:
    """The last place, and how many of its history entries were dropped."""
    record = _mapping(data, "last")
    history = record.get("history", [])
    if not isinstance(history, list):
        raise InvalidRecord("history must be a list")
    kept = history[-HISTORY_LIMIT:]
    places: list[Place] = []
    for item in kept:
        try:
            places.append(place_from_json(item))
        except InvalidRecord:
            continue
    last = LastPlace(
        place=place_from_json(record.get("place")),
        top=_offset(record.get("top", 0), "top"),
        history=tuple(places),
        updated=_time(record.get("updated"), "updated"),
    )
    return last, len(kept) - len(places)


class UnreadableState(Exception):
    """A state file that cannot be used at all (the message says why, in a few words)."""


def encode(snapshot: Snapshot) -> bytes:
    """A snapshot as the bytes of a state file."""
    document = {
        "format": FORMAT,
        "version": VERSION,
        "root": snapshot.root,
        "last": _last_to_json(snapshot.last) if snapshot.last is not None else None,
        "annotations": [
            annotation_to_json(a)
            for a in sorted(snapshot.annotations.values(), key=lambda a: (a.created, a.id))
        ],
    }
    # ASCII with escapes: any string (a file name that is not UTF-8) survives exactly.
    return (json.dumps(document, ensure_ascii=True, indent=1) + "\n").encode("ascii")


def decode(data: bytes, root: str) -> tuple[Snapshot, int]:
    """A state file's bytes as a snapshot, and how many of its records were dropped."""
    if len(data) > MAX_FILE_BYTES:
        raise UnreadableState(f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")
    try:
        document = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UnreadableState("not UTF-8") from None
    except RecursionError:
        raise UnreadableState("nested too deeply") from None
    except ValueError:
        raise UnreadableState("not JSON (truncated or corrupt)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise UnreadableState("not a briefing state file")
    version = document.get("version")
    if version != VERSION:
        raise UnreadableState(f"unknown version {escape_name(str(version))[:20]}")
    if document.get("root") != root:
        raise UnreadableState("it belongs to another library")
    dropped = 0
    last = None
    if document.get("last") is not None:
        try:
            last, dropped = _last_from_json(document["last"])
        except InvalidRecord:
            dropped += 1
    items = document.get("annotations", [])
    if not isinstance(items, list):
        raise UnreadableState("annotations is not a list")
    annotations: dict[str, Annotation] = {}
    for item in items:
        try:
            annotation = annotation_from_json(item)
        except InvalidRecord:
            dropped += 1
            continue
        known = annotations.get(annotation.id)
        if known is None or known.updated <= annotation.updated:
            annotations[annotation.id] = annotation
    return Snapshot(root, last, annotations), dropped


# Where the files are


def state_folder() -> Path:
    """The folder of state files: $BRIEFING_STATE_DIR, else the user's state folder."""
    override = os.environ.get(STATE_DIR_VARIABLE)
    if override:
        return Path(override)
    import platformdirs  # only when needed: the override makes it unnecessary

    return Path(platformdirs.user_state_dir("briefing", appauthor=False))


def state_path(root: Path, folder: Path | None = None) -> Path:
    """The state file of the library at this resolved root: a readable slug and a hash."""
    digest = hashlib.sha256(os.fsencode(str(root))).hexdigest()[:16]
    slug = _SLUG_CHARS.sub("-", root.name).strip("-").lower()[:40] or "library"
    return (folder or state_folder()) / f"{slug}-{digest}.json"


def _read_bounded(path: Path) -> bytes | None:
    """A file's bytes, at most one past the cap (None when there is no file)."""
    try:
        # Non-blocking: a FIFO put in the file's place must not hang the reader.
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except (FileNotFoundError, NotADirectoryError):  # no file, or not even its folder
        return None
    with os.fdopen(handle, "rb") as file:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            raise UnreadableState("not a regular file")
        return file.read(MAX_FILE_BYTES + 1)


def _target(place: Place) -> tuple[str | int | None, ...]:
    """What a bookmark or note is on: the passage, the span, the claim or the topic."""
    if place.passage is not None:
        return ("passage", place.brief, place.claim, place.source_path, *place.passage)
    if place.span is not None:
        return ("span", place.brief, place.source_path, *place.span)
    if place.claim is not None:
        return ("claim", place.brief, place.claim)
    return ("topic", place.brief)


def same_target(one: Place, other: Place) -> bool:
    """Whether two places select the same passage, span, claim or topic."""
    return _target(one) == _target(other)


class StateStore:
    """The reading state of one library: read at open, changed in memory, merged on save.

    Changes are made from the UI thread and saved from any one thread at a time; a save
    does its file work outside the store's own lock, so changes never wait for a disk.
    """

    def __init__(self, root: Path, path: Path, *, writable: bool, clock: Clock) -> None:
        self.root = str(root)
        self.path = path
        self.writable = writable
        self._clock = clock
        self._mutex = threading.Lock()  # guards the fields below
        self._saving = threading.Lock()  # one save at a time
        self._last: LastPlace | None = None
        self._entries: dict[str, Annotation] = {}
        self._changed: set[str] = set()
        self._last_changed = False
        self._notices: list[str] = []
        self._kept_aside: bytes | None = None  # digest of the file last copied aside

    @classmethod
    def open(
        cls,
        root: Path,
        *,
        folder: Path | None = None,
        writable: bool = True,
        clock: Clock = now_utc,
    ) -> StateStore:
        """The state of the library at this resolved root; `writable=False` writes nothing."""
        store = cls(root, state_path(root, folder), writable=writable, clock=clock)
        store._load()
        return store

    # What the reader asks

    @property
    def last(self) -> LastPlace | None:
        """Where the reader was when the state was last saved or remembered."""
        return self._last

    def take_notice(self) -> str | None:
        """What the reader should be told about the state file, once (None: nothing)."""
        with self._mutex:
            notices, self._notices = self._notices, []
        return " ".join(notices) if notices else None

    def annotations(self, kind: Kind | None = None) -> list[Annotation]:
        """The bookmarks and notes (or one kind of them), oldest first, without tombstones."""
        with self._mutex:
            live = [a for a in self._entries.values() if not a.deleted]
        return sorted(
            (a for a in live if kind is None or a.kind is kind), key=lambda a: (a.created, a.id)
        )

    def at(self, kind: Kind, place: Place) -> Annotation | None:
        """The bookmark or note on what this place selects, if there is one."""
        return next((a for a in self.annotations(kind) if same_target(a.place, place)), None)

    @property
    def unsaved(self) -> bool:
        """Whether there are changes not yet saved."""
        return bool(self._changed) or self._last_changed

    # Changes

    def remember(self, place: Place, top: int, history: tuple[Place, ...] = ()) -> None:
        """Keep the current place, scroll and jump history (saved with the next save)."""
        top, history = max(0, min(top, MAX_OFFSET)), history[-HISTORY_LIMIT:]
        with self._mutex:
            kept = self._last
            if kept is not None and (kept.place, kept.top, kept.history) == (place, top, history):
                return
            self._last = LastPlace(place, top, history, self._now())
            self._last_changed = True

    def toggle_bookmark(self, place: Place, quote: str) -> Annotation:
        """Bookmark what the place selects, or remove its bookmark; the record that results."""
        existing = self.at(Kind.BOOKMARK, place)
        if existing is not None:
            return self._delete(existing)
        now = self._now()
        bookmark = Annotation(
            uuid.uuid4().hex,
            Kind.BOOKMARK,
            place,
            _clip(clean_text(quote), MAX_QUOTE_CHARS),
            now,
            now,
        )
        return self._put(bookmark)

    def set_note(self, place: Place, quote: str, text: str) -> Annotation | None:
        """Write the note on what the place selects; empty text removes it (None: no note)."""
        text = clean_text(text).strip()
        if len(text) > MAX_NOTE_CHARS:
            raise StateError(f"A note holds at most {MAX_NOTE_CHARS:,} characters")
        existing = self.at(Kind.NOTE, place)
        if not text:
            return self._delete(existing) if existing is not None else None
        now = self._now()
        if existing is not None:
            return self._put(replace(existing, text=text, updated=now))
        quoted = _clip(clean_text(quote), MAX_QUOTE_CHARS)
        return self._put(Annotation(uuid.uuid4().hex, Kind.NOTE, place, quoted, now, now, text))

    def remove(self, identifier: str) -> Annotation | None:
        """Delete a bookmark or note by id; the record as it was (None: there was none)."""
        with self._mutex:
            found = self._entries.get(identifier)
        if found is None or found.deleted:
            return None
        self._delete(found)
        return found

    def restore(self, annotation: Annotation) -> Annotation:
        """Put back a bookmark or note that was removed (as `remove` returned it)."""
        return self._put(replace(annotation, deleted=False, updated=self._now()))

    def _delete(self, annotation: Annotation) -> Annotation:
        # A tombstone keeps no text: what the reader deleted does not linger on disk.
        return self._put(replace(annotation, quote="", text="", deleted=True, updated=self._now()))

    def _put(self, annotation: Annotation) -> Annotation:
        with self._mutex:
            self._entries[annotation.id] = annotation
            self._changed.add(annotation.id)
        return annotation

    def _now(self) -> datetime:
        return self._clock().astimezone(UTC)

    def _notice(self, message: str) -> None:
        with self._mutex:  # a save in a worker thread may have something to say
            self._notices.append(message)

    # The file

    def save(self) -> bool:
        """Merge the changes into the file under its lock and write it (False: nothing to do).

        Raises StateError when the file cannot be written; the changes are then kept, to
        be saved by the next call.
        """
        if not self.writable:
            return False
        with self._saving:
            with self._mutex:
                if not self._changed and not self._last_changed:
                    return False
                changes = {i: self._entries[i] for i in self._changed}
                last = self._last if self._last_changed else None
                self._changed, self._last_changed = set(), False
            try:
                merged = self._write_merged(changes, last)
            except BaseException as error:
                with self._mutex:  # kept, to be saved by the next call
                    self._changed |= changes.keys()
                    self._last_changed = self._last_changed or last is not None
                if isinstance(error, OSError):
                    raise StateError(
                        f"Cannot save the reading state in {_shown(self.path.parent)}: "
                        f"{error.strerror or error}"
                    ) from None
                raise
            with self._mutex:
                # What another reader saved shows here too, except what changed meanwhile.
                for identifier in set(self._entries) - set(merged.annotations) - self._changed:
                    del self._entries[identifier]
                for identifier, annotation in merged.annotations.items():
                    if identifier not in self._changed:
                        self._entries[identifier] = annotation
        return True

    def _write_merged(self, changes: Mapping[str, Annotation], last: LastPlace | None) -> Snapshot:
        self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        with self._locked():
            disk = self._read_and_repair()
            merged = merge(disk, changes, last, self._now())
            data = encode(merged)
            if len(data) > MAX_FILE_BYTES:
                raise StateError(
                    f"Not saved: the reading state would pass {MAX_FILE_BYTES // 2**20} MiB; "
                    "remove some notes"
                )
            write_atomically(self.path, [data])
        return merged

    @contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the exclusive lock on this library's state (a side file, never replaced)."""
        lock = self.path.with_name(self.path.name + ".lock")
        # Never through a link: the reader creates nothing outside its state folder.
        handle = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX)
            yield
        finally:
            os.close(handle)  # closing releases the lock

    def _load(self) -> None:
        _, snapshot, problem = self._read()
        if problem is not None and self.writable:
            # Repaired under the lock: another reader may have just written a good file.
            try:
                with self._locked():
                    snapshot = self._read_and_repair()
            except OSError as error:
                self.writable = False
                self._notice(
                    f"The reading state {_shown(self.path)} could not be read ({problem}) nor "
                    f"set aside ({error.strerror or error}): nothing will be saved this session."
                )
                snapshot = None
        elif problem is not None:
            self._notice(
                f"The reading state {_shown(self.path)} could not be read ({problem}); "
                "it was left as it is."
            )
        if snapshot is not None:
            self._last = snapshot.last
            self._entries = dict(snapshot.annotations)

    def _read(self) -> tuple[bytes | None, Snapshot | None, str | None]:
        """The file's bytes and snapshot, and what is wrong with it (None: nothing)."""
        try:
            data = _read_bounded(self.path)
        except OSError as error:
            return None, None, f"unreadable: {error.strerror or error}"
        except UnreadableState as problem:
            return None, None, str(problem)
        if data is None:
            return None, None, None
        try:
            snapshot, dropped = decode(data, self.root)
        except UnreadableState as problem:
            return data, None, str(problem)
        if dropped:
            return data, snapshot, f"{dropped} entries could not be read"
        return data, snapshot, None

    def _read_and_repair(self) -> Snapshot:
        """Read the file (the lock held); set aside what cannot be read, keeping it whole."""
        data, snapshot, problem = self._read()
        if problem is None:
            return snapshot or Snapshot(self.root)
        aside = self._aside_path()
        if snapshot is None:
            os.rename(self.path, aside)
            self._notice(
                f"The reading state could not be read ({problem}): it was set aside as "
                f"{_shown(aside)} and the reader starts afresh."
            )
            return Snapshot(self.root)
        # Some records were dropped: the rest is used, the file as it was is kept aside
        # (once: until the next save rewrites it, every read drops the same records).
        digest = hashlib.sha256(data or b"").digest()
        if digest == self._kept_aside:
            return snapshot
        write_atomically(aside, [data or b""])
        self._kept_aside = digest
        self._notice(
            f"In the reading state, {problem} and were dropped; the file as it was is kept "
            f"as {_shown(aside)}."
        )
        return snapshot

    def _aside_path(self) -> Path:
        stamp = self._now().strftime("%Y%m%dT%H%M%S.%fZ")
        candidate = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}.json")
        number = 1
        while candidate.exists():  # under the lock: no other reader is choosing a name now
            number += 1
            candidate = self.path.with_name(f"{self.path.stem}.corrupt-{stamp}-{number}.json")
        return candidate


def merge(
    disk: Snapshot,
    changes: Mapping[str, Annotation],
    last: LastPlace | None,
    now: datetime,
) -> Snapshot:
    """The file's snapshot with one reader's changes laid over it, the newer change winning."""
    entries = dict(disk.annotations)
    for identifier, ours in changes.items():
        theirs = entries.get(identifier)
        if theirs is None or theirs.updated <= ours.updated:
            entries[identifier] = ours
    cutoff = now - TOMBSTONE_AGE
    kept = {i: a for i, a in entries.items() if not (a.deleted and a.updated < cutoff)}
    newest = disk.last
    if last is not None and (newest is None or newest.updated <= last.updated):
        newest = last
    return Snapshot(disk.root, newest, kept)


def _shown(path: Path) -> str:
    return escape_name(str(path))
