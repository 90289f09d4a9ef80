"""The search index kept on disk between runs, so an unchanged library is not indexed again.

One file per library (its root and brief files) in the user's cache folder (platformdirs'
`user_cache_dir`, or BRIEFING_CACHE_DIR). It is fresh while the app's version and code, and
every brief and source file's size and time, are as they were when it was written; anything
else, a corrupt or foreign file included, is rebuilt without a word. The format holds only
numbers and text, never code: nothing read from it is executed (no pickle, no marshal).

    MAGIC, then three parts, each an 8-byte little-endian length and its bytes:
    1. JSON: format, version, code stamp, library key, every file's [path, size, mtime_ns]
    2. JSON: unit and word counts, the group table, filter labels, the catalog, and the
       byte length of each section of part 3
    3. the sections end to end: the unit columns, the vocabulary's offsets, entries and
       long-word units, the quotes (int32, little-endian), then the chunks of folded text,
       the chunks of written text and the words (UTF-8)

Every length, range and reference is checked on reading; writing is atomic (a temporary
file in the same folder, flushed to disk, then renamed over the old one).
"""

from __future__ import annotations

import mmap
import os
import sys
from array import array
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from operator import add
from pathlib import Path
from typing import Any

from briefing_tui.core.atomic import write_atomically
from briefing_tui.core.library import cachefiles
from briefing_tui.core.library.cachefiles import CACHE_ENV as CACHE_ENV
from briefing_tui.core.library.cachefiles import CacheError as CacheError
from briefing_tui.core.library.cachefiles import (
    as_int,
    as_ints,
    as_list,
    as_str,
    cache_key,
    framed,
    json_object,
    json_part,
    unframed,
)
from briefing_tui.core.library.loader import LibraryLocation
from briefing_tui.core.library.model import Library, Stance
from briefing_tui.core.search.catalog import Catalog, CatalogError
from briefing_tui.core.search.filters import Labels
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.core.search.units import (
    CHUNK_UNITS,
    KINDS,
    NONE,
    Columns,
    Group,
    HitKind,
    Progress,
    Quoting,
    Units,
)
from briefing_tui.core.search.vocabulary import Vocabulary

FORMAT = 2
MAGIC = b"briefing search index\n"
_COLUMNS = ("starts", "lengths", "groups", "spans", "lines", "claims", "passages")
_TABLE = ("group_kinds", "group_sources", "group_briefs", "group_stances")
_ARRAYS = (
    *_COLUMNS,
    *_TABLE,
    "offsets",
    "entries",
    "long_words",
    "quote_units",
    "quote_ends",
    "quoted",
)
_STANCE_BITS = tuple(Stance)  # bit k of a group's stances: this stance

Stamps = list[tuple[str, int, int]]  # (path relative to the root, size, mtime_ns)


def cache_file(location: LibraryLocation) -> Path:
    """The index cache file of a library."""
    return cachefiles.cache_folder("search") / f"{cache_key(location)}.index"


def code_stamp() -> str:
    """The app's version and the state of the code that reads libraries and indexes them."""
    return cachefiles.code_stamp(FORMAT, "library", "search")


def file_stamps(location: LibraryLocation, library: Library | None = None) -> Stamps:
    """Size and time of every file the library is read from, and of their folders."""
    root = location.root
    files = {str(file.relative_to(root)) for file in location.brief_files}
    if location.folder is not None:
        files.add(str(location.folder.relative_to(root)) or ".")
    for path in library.sources if library is not None else ():
        files.add(path)
        # A source that was missing and then appears changes its folder's time.
        files.add(str(Path(path).parent))
    stamps: Stamps = []
    for relative in sorted(files):
        try:
            status = os.stat(root / relative)
        except OSError:
            stamps.append((relative, -1, -1))
            continue
        stamps.append((relative, status.st_size, status.st_mtime_ns))
    return stamps


def _stamps_now(stamps: Stamps, root: Path) -> bool:
    """Whether every file still has the size and time recorded."""
    for relative, size, mtime in stamps:
        try:
            status = os.stat(root / relative)
        except OSError:
            if size != -1:
                return False
            continue
        if (status.st_size, status.st_mtime_ns) != (size, mtime):
            return False
    return True


def write_index(index: SearchIndex, location: LibraryLocation, stamps: Stamps) -> Path:
    """Write an index to its library's cache file, atomically; the file written."""
    target = cache_file(location)
    first = {
        "format": FORMAT,
        "code": code_stamp(),
        "root": str(location.root),
        "stamps": stamps,
    }
    units = index.units
    paths = sorted({path for group in units.table for path in group.sources})
    brief_sets = sorted({group.briefs for group in units.table})
    sections = list(_sections(index, paths, brief_sets))
    second = {
        "units": len(units),
        "chunks": len(units.chunks),
        "sizes": [len(b) for b in sections],
        "paths": paths,
        "brief_sets": brief_sets,
        "catalog": index.catalog.to_json(),
    }
    write_atomically(target, framed(MAGIC, [[json_part(first)], [json_part(second)], sections]))
    return target


def _sections(
    index: SearchIndex, paths: list[str], brief_sets: list[tuple[int, ...]]
) -> Iterator[bytes]:
    """The binary sections, in _ARRAYS order, then the texts, then the filter labels."""
    units, vocabulary = index.units, index.vocabulary
    columns = units.columns
    path_ids = {path: number for number, path in enumerate(paths)}
    brief_ids = {briefs: number for number, briefs in enumerate(brief_sets)}
    table = [array("i") for _ in _TABLE]
    for group in units.table:
        table[0].append(KINDS.index(group.kind))
        table[1].append(path_ids[group.sources[0]] if group.sources else NONE)
        table[2].append(brief_ids[group.briefs])
        table[3].append(sum(1 << _STANCE_BITS.index(stance) for stance in group.stances))
    quote_units, quote_ends, quoted = array("i"), array("i"), array("i")
    for number in sorted(units.quotes):
        quote_units.append(number)
        for quote in units.quotes[number]:
            quoted.extend((quote.brief, quote.claim, quote.passage))
        quote_ends.append(len(quoted))
    arrays = [getattr(columns, name) for name in _COLUMNS]
    arrays += table
    arrays += [
        vocabulary.offsets,
        vocabulary.entries,
        array("i", sorted(vocabulary.long_word_units)),
        quote_units,
        quote_ends,
        quoted,
    ]
    for values in arrays:
        yield _little(values).tobytes()
    for chunk in units.chunks:
        yield chunk.encode("utf-8", "surrogatepass")
    for number in range(len(units.chunks)):
        yield _written_chunk(units, number).encode("utf-8", "surrogatepass")
    yield "\n".join(vocabulary.words).encode("utf-8", "surrogatepass")
    labels = index.labels
    yield json_part({"sources": labels.sources, "kinds": labels.kinds, "topics": labels.topics})


def _written_chunk(units: Units, number: int) -> str:
    """A chunk of the units' written text, laid out as their folded chunk is."""
    first = number * CHUNK_UNITS
    last = min(first + CHUNK_UNITS, len(units))
    return "\n" + "\n".join(units.text(n) for n in range(first, last)) + "\n"


def _little(values: array[int]) -> array[int]:
    if sys.byteorder == "little":
        return values
    swapped = array("i", values)
    swapped.byteswap()
    return swapped


@dataclass(frozen=True, slots=True)
class _Read:
    """A cache file's parts, read and checked."""

    second: dict[str, Any]
    arrays: dict[str, array[int]]
    chunks: list[str]
    written: list[memoryview]  # decoded when needed: a search shows a few units' text
    words: list[str]
    labels: bytes  # JSON, read when a filter is first used


def read_index(location: LibraryLocation, library: Library | None = None) -> SearchIndex:
    """The cached index of a library if it is fresh; raises CacheError otherwise.

    With the library, text is cut from its sources; without, the cache's copy serves.
    """
    try:
        with cache_file(location).open("rb") as file:
            # Mapped, not read: the written text of most units is never looked at.
            data = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError) as error:  # ValueError: an empty file cannot be mapped
        raise CacheError(f"no cache: {error}") from None
    try:
        return _index(_read(data, location), library)
    except CacheError:
        raise
    except (CatalogError, KeyError, TypeError, ValueError, UnicodeDecodeError) as error:
        raise CacheError(f"corrupt cache: {error}") from None


def _read(data: mmap.mmap, location: LibraryLocation) -> _Read:
    parts = unframed(data, MAGIC, 3)
    first = json_object(parts[0])
    if (
        first.get("format") != FORMAT
        or first.get("code") != code_stamp()
        or first.get("root") != str(location.root)
    ):
        raise CacheError("written by another version, or for another library")
    if not _stamps_now(_stamps(first.get("stamps")), location.root):
        raise CacheError("stale: a file changed")
    second = json_object(parts[1])
    sizes = as_ints(second.get("sizes"))
    chunk_count = as_int(second.get("chunks"))
    if len(sizes) != len(_ARRAYS) + 2 * chunk_count + 2 or sum(sizes) != len(parts[2]):
        raise CacheError("sections do not add up")
    body, at = parts[2], 0
    pieces = []
    for size in sizes:
        pieces.append(body[at : at + size])
        at += size
    arrays: dict[str, array[int]] = {}
    for name, piece in zip(_ARRAYS, pieces, strict=False):
        if len(piece) % 4:
            raise CacheError(f"{name}: not whole numbers")
        values = array("i")
        values.frombytes(piece)
        arrays[name] = _little(values)
    texts = pieces[len(_ARRAYS) : -1]
    chunks = [bytes(piece).decode("utf-8") for piece in texts[:chunk_count]]
    words = bytes(texts[-1]).decode("utf-8").split("\n") if texts[-1] else []
    written = texts[chunk_count : 2 * chunk_count]
    return _Read(second, arrays, chunks, written, words, bytes(pieces[-1]))


def _index(read: _Read, library: Library | None) -> SearchIndex:
    """An index from a cache file's checked parts, checked against each other."""
    second, arrays = read.second, read.arrays
    count = as_int(second.get("units"))
    catalog = Catalog.from_json(second.get("catalog"))
    table = _table(arrays, second, len(catalog.briefs))
    columns = Columns(*(arrays[name] for name in _COLUMNS))
    for name in _COLUMNS:
        if len(arrays[name]) != count:
            raise CacheError(f"{name}: {len(arrays[name])} values for {count} units")
    if len(read.chunks) != -(-count // CHUNK_UNITS):
        raise CacheError("chunks do not hold the units")
    _check_layout(read.chunks, columns)
    _check_range("groups", columns.groups, 0, len(table))
    for name in ("spans", "lines"):
        _check_range(name, arrays[name], 0, 2**31)
    for name in ("claims", "passages"):
        _check_range(name, arrays[name], NONE, 2**31)
    units_with_claims = [n for n, claim in enumerate(columns.claims) if claim != NONE]
    for number in units_with_claims:
        group = table[columns.groups[number]]
        passage = columns.passages[number]
        if not group.briefs or not _in_catalog(catalog, group.briefs[0], columns.claims[number]):
            raise CacheError("a unit names a claim the catalog lacks")
        if passage != NONE and not _in_catalog(
            catalog, group.briefs[0], columns.claims[number], passage
        ):
            raise CacheError("a unit names a passage the catalog lacks")
    quotes = _quotes(arrays, count, catalog)
    vocabulary = _vocabulary(read.words, arrays, count)
    briefs = len(catalog.briefs)

    def labels() -> Labels:
        try:
            return _labels(json_object(memoryview(read.labels)), briefs)
        except (CacheError, TypeError, ValueError):
            return Labels([], [], [])  # filters then name nothing, as for an unknown name

    written = _Written(read.written, read.chunks)
    if library is None:
        units = Units(read.chunks, columns, table, quotes, {}, originals=written)
    else:
        texts = {path: source.text for path, source in library.sources.items()}
        for group in table:
            if group.kind is HitKind.TEXT and group.source_path not in texts:
                raise CacheError("a unit's source is not in the library")
        own = [n for n, g in enumerate(columns.groups) if table[g].kind is not HitKind.TEXT]
        starts, lengths = columns.starts, columns.lengths
        mine = {n: written(n // CHUNK_UNITS)[starts[n] : starts[n] + lengths[n]] for n in own}
        units = Units(read.chunks, columns, table, quotes, mine, texts)
    return SearchIndex(units, vocabulary, labels, catalog)


class _Written:
    """The chunks of written text, each decoded when first asked for, and checked."""

    def __init__(self, pieces: list[memoryview], folded: list[str]) -> None:
        self._pieces = pieces
        self._folded = folded
        self._decoded: dict[int, str] = {}

    def __call__(self, number: int) -> str:
        """The written text of chunk `number`."""
        text = self._decoded.get(number)
        if text is None:
            try:
                text = bytes(self._pieces[number]).decode("utf-8")
            except UnicodeDecodeError:
                text = ""
            # Folding keeps lengths, so the written chunk is laid out as the folded one;
            # one that is not shows no text rather than the wrong one.
            if len(text) != len(self._folded[number]):
                text = " " * len(self._folded[number])
            self._decoded[number] = text
        return text


def _check_layout(chunks: list[str], columns: Columns) -> None:
    """Each chunk is its units' folded texts between line breaks, as the columns say."""
    # Line breaks only between units: a scan for ^text or text$ relies on it.
    starts, lengths = columns.starts, columns.lengths
    for number, chunk in enumerate(chunks):
        first = number * CHUNK_UNITS
        last = min(first + CHUNK_UNITS, len(starts))
        sizes = array("i", map(len, chunk.split("\n")))
        if sizes[0] or sizes[-1] or sizes[1:-1] != lengths[first:last]:
            raise CacheError("a chunk does not match its units")
        expected = array("i", accumulate(map(add, sizes[1:-1], repeat(1)), initial=1))
        if starts[first:last] != expected[:-1]:
            raise CacheError("a chunk does not match its units")


def _check_range(name: str, values: array[int], low: int, high: int) -> None:
    if values and (min(values) < low or max(values) >= high):
        raise CacheError(f"{name}: out of range")


def _in_catalog(catalog: Catalog, brief: int, claim: int, passage: int = NONE) -> bool:
    if not 0 <= brief < len(catalog.briefs):
        return False
    claims = catalog.briefs[brief].claims
    if not 0 <= claim < len(claims):
        return False
    return passage == NONE or 0 <= passage < len(claims[claim].passages)


def _quotes(
    arrays: dict[str, array[int]], count: int, catalog: Catalog
) -> dict[int, tuple[Quoting, ...]]:
    units, ends, quoted = arrays["quote_units"], arrays["quote_ends"], arrays["quoted"]
    if len(units) != len(ends) or len(quoted) % 3 or (ends and ends[-1] != len(quoted)):
        raise CacheError("quotes do not add up")
    _check_range("quote_units", units, 0, count)
    quotes: dict[int, tuple[Quoting, ...]] = {}
    start = 0
    for number, end in zip(units, ends, strict=True):
        if end <= start or (end - start) % 3:
            raise CacheError("quotes do not add up")
        found = []
        for at in range(start, end, 3):
            brief, claim, passage = quoted[at : at + 3]
            if not _in_catalog(catalog, brief, claim, passage):
                raise CacheError("a quote names a passage the catalog lacks")
            found.append(Quoting(brief, claim, passage))
        quotes[number] = tuple(found)
        start = end
    return quotes


def _vocabulary(words: list[str], arrays: dict[str, array[int]], count: int) -> Vocabulary:
    offsets, entries = arrays["offsets"], arrays["entries"]
    if len(offsets) != len(words) + 1 or offsets[0] != 0 or offsets[-1] != len(entries):
        raise CacheError("the vocabulary does not add up")
    if any(b < a for a, b in zip(offsets, offsets[1:], strict=False)):
        raise CacheError("the vocabulary's offsets go backwards")
    if words != sorted(set(words)) or any(not word for word in words):
        raise CacheError("the words are not sorted and distinct")
    _check_range("entries", entries, 0, count)
    long_words = arrays["long_words"]
    _check_range("long_words", long_words, 0, count)
    return Vocabulary(words, offsets, entries, set(long_words))


def _table(arrays: dict[str, array[int]], second: dict[str, Any], briefs: int) -> list[Group]:
    """The group table, from its arrays and the paths and brief sets they name."""
    paths = [as_str(path) for path in as_list(second.get("paths"))]
    brief_sets = [tuple(as_ints(members)) for members in as_list(second.get("brief_sets"))]
    named = {brief for members in brief_sets for brief in members}
    if named and (min(named) < 0 or max(named) >= briefs):
        raise CacheError("a group names a brief the catalog lacks")
    kinds, sources, members, stances = (arrays[name] for name in _TABLE)
    if not len(kinds) == len(sources) == len(members) == len(stances):
        raise CacheError("the group table does not add up")
    _check_range("group_kinds", kinds, 0, len(KINDS))
    _check_range("group_sources", sources, NONE, len(paths))
    _check_range("group_briefs", members, 0, len(brief_sets))
    _check_range("group_stances", stances, 0, 1 << len(_STANCE_BITS))
    stance_sets = [
        frozenset(s for bit, s in enumerate(_STANCE_BITS) if mask >> bit & 1)
        for mask in range(1 << len(_STANCE_BITS))
    ]
    table = [
        Group(
            KINDS[kind],
            brief_sets[brief_set],
            (paths[source],) if source != NONE else (),
            stance_sets[mask],
        )
        for kind, source, brief_set, mask in zip(kinds, sources, members, stances, strict=True)
    ]
    for group in table:
        if group.kind in (HitKind.TEXT, HitKind.SOURCE) and not group.sources:
            raise CacheError("source text without its source")
    return table


def _labels(value: dict[str, object], briefs: int) -> Labels:
    def pairs(name: str) -> list[tuple[str, Any]]:
        found = []
        for item in as_list(value.get(name)):
            label, target = as_list(item, 2)
            found.append((as_str(label), target))
        return found

    sources = [(label, as_str(path)) for label, path in pairs("sources")]
    kinds = [(label, as_str(path)) for label, path in pairs("kinds")]
    topics = [(label, as_int(brief)) for label, brief in pairs("topics")]
    if any(not 0 <= brief < briefs for _, brief in topics):
        raise CacheError("a topic label names a brief the catalog lacks")
    return Labels(sources, kinds, topics)


def _stamps(value: object) -> Stamps:
    stamps: Stamps = []
    for item in as_list(value):
        path, size, mtime = as_list(item, 3)
        stamps.append((as_str(path), as_int(size), as_int(mtime)))
    return stamps


def open_index(
    location: LibraryLocation,
    library: Library,
    *,
    use_cache: bool = True,
    progress: Progress | None = None,
) -> SearchIndex:
    """The library's index from its cache when fresh, else built (and cached when asked)."""
    if use_cache:
        try:
            return read_index(location, library)
        except CacheError:
            pass  # missing, stale or corrupt: built again below, without a word
    index = SearchIndex.build(library, progress)
    if use_cache:
        keep(index, location, file_stamps(location, library))
    return index


def keep(index: SearchIndex, location: LibraryLocation, stamps: Stamps) -> None:
    """Write an index to the cache, if the cache folder can be written."""
    try:
        write_index(index, location, stamps)
    except OSError:
        pass  # a read-only or full disk costs the next run an index build, nothing else
