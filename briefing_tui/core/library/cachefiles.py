"""What the caches kept between runs share: their folder, their names, staleness, writing.

A cache is derived data: each is one file per library in the user's cache folder
(platformdirs' `user_cache_dir`, or BRIEFING_CACHE_DIR), fresh while the app's version and
code are as they were, and written atomically so that a reader never sees half of one.
"""

from __future__ import annotations

import hashlib
import json
import mmap
import os
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from briefing_tui import __version__
from briefing_tui.core.library.loader import LibraryLocation

CACHE_ENV = "BRIEFING_CACHE_DIR"
_LENGTH = struct.Struct("<Q")  # the byte length of a part, before it
_CORE = Path(__file__).resolve().parent.parent


class CacheError(ValueError):
    """A cache file that cannot be used: missing, stale, foreign or corrupt."""


def cache_folder(kind: str) -> Path:
    """Where caches of a kind live: BRIEFING_CACHE_DIR, else the user's cache folder."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen:
        return Path(chosen)
    from platformdirs import user_cache_dir  # only when a cache is used

    return Path(user_cache_dir("briefing", appauthor=False)) / kind


def cache_key(location: LibraryLocation) -> str:
    """A library's name among cache files: from its root and, for one brief file, that file."""
    named = [str(location.root)]
    if location.folder is None:
        named += [str(file) for file in location.brief_files]
    return hashlib.sha256("\0".join(named).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def code_stamp(file_format: int, *packages: str) -> str:
    """The app's version, a cache's format, and the state of the code of these core packages."""
    # A checkout changes its code under one version number: its files' sizes and times tell.
    parts = [__version__, str(file_format)]
    for package in packages:
        for file in sorted((_CORE / package).glob("*.py")):
            status = file.stat()
            parts.append(f"{file.name}:{status.st_size}:{status.st_mtime_ns}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


# A cache file: a magic line, then its parts, each its 8-byte little-endian length and bytes.


def framed(magic: bytes, parts: Iterable[Sequence[bytes]]) -> list[bytes]:
    """A cache file's bytes in chunks: the magic line, then each part's pieces after its length."""
    chunks = [magic]
    for pieces in parts:
        chunks.append(_LENGTH.pack(sum(map(len, pieces))))
        chunks.extend(pieces)
    return chunks


def unframed(data: bytes | mmap.mmap, magic: bytes, count: int) -> list[memoryview]:
    """The parts of a file that `framed` wrote; raises CacheError unless it holds just those."""
    view = memoryview(data)
    if view[: len(magic)] != magic:
        raise CacheError("not a cache file")
    view = view[len(magic) :]
    parts: list[memoryview] = []
    for _ in range(count):
        if len(view) < _LENGTH.size:
            raise CacheError("cut short")
        (size,) = _LENGTH.unpack(view[: _LENGTH.size])
        if size > len(view) - _LENGTH.size:
            raise CacheError("cut short")
        parts.append(view[_LENGTH.size : _LENGTH.size + size])
        view = view[_LENGTH.size + size :]
    if len(view):
        raise CacheError("trailing bytes")
    return parts


def json_part(value: dict[str, Any]) -> bytes:
    """A JSON object as the bytes of a part."""
    # ASCII escapes: a path that is not UTF-8 holds lone surrogates, which JSON keeps as \udcff.
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode("ascii")


def json_object(part: memoryview) -> dict[str, Any]:
    """The JSON object a part holds."""
    return as_mapping(json.loads(bytes(part).decode("utf-8")))


# Checks of values read from a cache file's JSON, which is untrusted.


def as_mapping(value: object) -> dict[str, Any]:
    """The value, if it is a JSON object."""
    if not isinstance(value, dict):
        raise CacheError("expected an object")
    return value


def as_list(value: object, length: int | None = None) -> list[Any]:
    """The value, if it is a JSON list (of this length, if given)."""
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise CacheError("expected a list")
    return value


def as_str(value: object) -> str:
    """The value, if it is text."""
    if not isinstance(value, str):
        raise CacheError("expected a string")
    return value


def as_int(value: object) -> int:
    """The value, if it is a whole number (true and false are not)."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise CacheError("expected a whole number")
    return value


def as_ints(value: object) -> list[int]:
    """The value, if it is a list of whole numbers."""
    return [as_int(item) for item in as_list(value)]
