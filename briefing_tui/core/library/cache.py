"""What the reader read of a library, kept on disk so that the next run reads only what changed.

One file per library (see cachefiles) holds every brief and source as a LibraryReader last
read them, each with the stamp (time, size, inode) of its file then. A reader seeded from it
reads the library as a reload does: every stamp is looked at, and only files whose stamp
changed are read again. The cache is fresh while the app's version and the code that reads
libraries are as they were; a stale, foreign or corrupt file is ignored without a word (the
library is read afresh, and the cache written again). It holds only numbers and text, never
code: nothing read from it is executed (no pickle, no marshal).

    MAGIC, then three parts, each an 8-byte little-endian length and its bytes:
    1. JSON: format, code stamp, library root, and the CRC-32 of parts 2 and 3
    2. JSON: every source read and every brief read (see _source_value, _brief_value), with
       the byte length of each of their texts in part 3
    3. the sources' texts end to end (UTF-8): each one's sanitised text, then its text as
       written where sanitising changed it

Every type, length, span and reference is checked on reading: a brief's sources must be
sources of the cache read at the stamp the brief was read with, and a passage's span must
lie in its source's text. Source text is stored, not read again: reading a source (and
parsing its front matter) is what costs, and the file is about as large as the sources.
"""

from __future__ import annotations

import gc
import math
import zlib
from pathlib import Path
from typing import Any

from briefing_tui.core.atomic import write_atomically
from briefing_tui.core.library import cachefiles
from briefing_tui.core.library.cachefiles import (
    CacheError,
    as_int,
    as_list,
    as_str,
    cache_key,
    framed,
    json_object,
    json_part,
    unframed,
)
from briefing_tui.core.library.loader import (
    BriefRead,
    LibraryLocation,
    LibraryReader,
    Snapshot,
    SourceRead,
    Stamp,
)
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
    SourceMeta,
    Span,
    Stance,
)
from briefing_tui.core.library.text import WrittenText

FORMAT = 1
MAGIC = b"briefing library cache\n"
_LEVELS = {level.value: level for level in Level}
_STANCES = {stance.value: stance for stance in Stance}
_STATUSES = {status.value: status for status in AnchorStatus}


def cache_file(location: LibraryLocation) -> Path:
    """The library cache file of a library."""
    return cachefiles.cache_folder("library") / f"{cache_key(location)}.library"


def code_stamp() -> str:
    """The app's version and the state of the code that reads libraries."""
    return cachefiles.code_stamp(FORMAT, "library")


def open_reader(location: LibraryLocation, *, use_cache: bool = True) -> LibraryReader:
    """A reader of the library, seeded from its cache when there is a usable one."""
    if use_cache:
        try:
            return LibraryReader.seeded(read_snapshot(location))
        except CacheError:
            pass  # missing, stale or corrupt: the library is read afresh, without a word
    return LibraryReader(location)


def keep(reader: LibraryReader) -> None:
    """Write what a reader read to the cache, if the cache folder can be written."""
    try:
        write_snapshot(reader.snapshot())
    except (OSError, ValueError):
        pass  # a read-only or full disk costs the next run a reading of the files, nothing else


# Writing


def write_snapshot(snapshot: Snapshot) -> Path:
    """Write what a reader read to its library's cache file, atomically; the file written."""
    texts: list[bytes] = []
    paths = {id(r.source): rel for rel, r in snapshot.sources.items() if r.source is not None}
    body = {
        "sources": [_source_value(rel, read, texts) for rel, read in snapshot.sources.items()],
        "briefs": [_brief_value(file, read, paths) for file, read in snapshot.briefs.items()],
    }
    body_bytes = json_part(body)
    head = {
        "format": FORMAT,
        "code": code_stamp(),
        "root": str(snapshot.location.root),
        "crc": _crc(body_bytes, texts),
    }
    target = cache_file(snapshot.location)
    write_atomically(target, framed(MAGIC, [[json_part(head)], [body_bytes], texts]))
    return target


def _crc(body: bytes | memoryview, texts: list[bytes] | list[memoryview]) -> int:
    """A check of the body and texts: a file spoilt on disk is refused, not shown."""
    crc = zlib.crc32(body)
    for text in texts:
        crc = zlib.crc32(text, crc)
    return crc


def _stamp_value(stamp: Stamp) -> list[int] | None:
    return None if stamp is None else list(stamp)


def _diagnostic_value(diagnostic: Diagnostic) -> list[Any]:
    d = diagnostic
    return [d.path, d.level.value, d.message, d.line, d.column]


def _meta_value(meta: SourceMeta) -> list[str | None]:
    return [getattr(meta, key) for key in META_KEYS]


def _source_value(relative: str, read: SourceRead, texts: list[bytes]) -> list[Any]:
    """[path, stamp, source or null, diagnostics]; the source's texts go to `texts`."""
    source = read.source
    value = None
    if source is not None:
        text = source.text.encode("utf-8", "surrogatepass")
        texts.append(text)
        written = None
        if source.written is not None:
            texts.append(source.written.text.encode("utf-8", "surrogatepass"))
            written = len(texts[-1])
        meta = _meta_value(source.meta)
        value = [source.path, len(text), written, source.body_line, meta]
    diagnostics = [_diagnostic_value(d) for d in read.diagnostics]
    return [relative, _stamp_value(read.stamp), value, diagnostics]


def _brief_value(file: Path, read: BriefRead, paths: dict[int, str]) -> list[Any]:
    """[file, stamp, brief or null, diagnostics, source stamps, refused path stamps]."""
    brief = None if read.brief is None else _brief_model_value(read.brief, paths)
    return [
        str(file),
        _stamp_value(read.stamp),
        brief,
        [_diagnostic_value(d) for d in read.diagnostics],
        [[rel, _stamp_value(stamp)] for rel, stamp in read.sources.items()],
        [[rel, _stamp_value(stamp)] for rel, stamp in read.refused.items()],
    ]


def _brief_model_value(brief: Brief, paths: dict[int, str]) -> list[Any]:
    """A brief, its sources named by their library-relative path in the cache."""
    b = brief
    sources = [[s.key, paths[id(s.source)], _meta_value(s.meta)] for s in b.sources]
    claims = [_claim_value(claim) for claim in b.claims]
    return [b.index, b.path, b.title, sources, claims, b.summary, list(b.tags)]


def _claim_value(claim: Claim) -> list[Any]:
    c = claim
    passages = [_passage_value(p) for p in c.passages]
    return [c.index, c.key, c.text, passages, c.id, c.note, c.line]


def _passage_value(passage: Passage) -> list[Any]:
    """A passage and its anchor in one list (start and end null without a span)."""
    p, a = passage, passage.anchor
    start, end = (None, None) if a.span is None else a.span
    return [
        *(p.claim, p.source_key, p.quote, p.stance.value, p.prefix, p.suffix, p.note, p.line),
        *(p.source_path, a.status.value, start, end, float(a.score), a.occurrences, a.closest),
    ]


# Reading


def read_snapshot(location: LibraryLocation) -> Snapshot:
    """What a reader of the library last read, from its cache; raises CacheError if unusable."""
    try:
        data = cache_file(location).read_bytes()
    except (OSError, ValueError) as error:
        raise CacheError(f"no cache: {error}") from None
    collecting = gc.isenabled()
    # Every object made here lives as long as the library: collections while they are
    # made (half the time taken, else) would find nothing to free.
    gc.disable()
    try:
        body, texts = _parts(data, location)
        sources = _sources(as_list(body.get("sources")), texts)
        briefs = _briefs(as_list(body.get("briefs")), sources)
    except CacheError:
        raise
    except Exception as error:  # a corruption no check foresaw costs only the cache
        raise CacheError(f"corrupt cache: {type(error).__name__}: {error}") from None
    finally:
        if collecting:
            gc.enable()
    return Snapshot(location, briefs, sources)


def _parts(data: bytes, location: LibraryLocation) -> tuple[dict[str, Any], memoryview]:
    """The body, parsed, and the texts, of a file checked to hold just those, fresh."""
    parts = unframed(data, MAGIC, 3)
    head = json_object(parts[0])
    # Looked at before the body is parsed: after an upgrade, that is all a start costs.
    if head.get("format") != FORMAT or head.get("code") != code_stamp():
        raise CacheError("written by another version")
    if head.get("root") != str(location.root):
        raise CacheError("written for another library")
    if head.get("crc") != _crc(parts[1], [parts[2]]):
        raise CacheError("spoilt: its check does not match")
    return json_object(parts[1]), parts[2]


class _Texts:
    """The texts part, handed out in order, each of a length the JSON part states."""

    def __init__(self, view: memoryview) -> None:
        self._view = view
        self._at = 0

    def take(self, size: object) -> str:
        """The next text, `size` bytes long."""
        size = as_int(size)
        if size < 0 or self._at + size > len(self._view):
            raise CacheError("texts cut short")
        text = str(self._view[self._at : self._at + size], "utf-8", "surrogatepass")
        self._at += size
        return text

    def check_used(self) -> None:
        """Refuse texts left over: the JSON part does not describe this texts part."""
        if self._at != len(self._view):
            raise CacheError("texts left over")


def _sources(items: list[Any], view: memoryview) -> dict[str, SourceRead]:
    texts = _Texts(view)
    reads: dict[str, SourceRead] = {}
    for item in items:
        relative, stamp, value, diagnostics = as_list(item, 4)
        relative = as_str(relative)
        if relative in reads:
            raise CacheError("a source read twice")
        source = None if value is None else _source(value, texts)
        reads[relative] = SourceRead(_stamp(stamp), source, _diagnostics(diagnostics))
    texts.check_used()
    return reads


def _source(value: object, texts: _Texts) -> Source:
    path, size, written_size, body_line, meta = as_list(value, 5)
    text = texts.take(size)
    written = None if written_size is None else WrittenText(texts.take(written_size))
    return Source(as_str(path), text, _meta(meta), as_int(body_line), written)


def _briefs(items: list[Any], sources: dict[str, SourceRead]) -> dict[Path, BriefRead]:
    reads: dict[Path, BriefRead] = {}
    for item in items:
        file, stamp, value, diagnostics, used, refused = as_list(item, 6)
        file = Path(as_str(file))
        if file in reads:
            raise CacheError("a brief read twice")
        read = BriefRead(_stamp(stamp), None, _diagnostics(diagnostics), _stamps(used))
        read.refused = _stamps(refused)
        if value is not None:
            read.brief = _brief(value, read.sources, sources)
        reads[file] = read
    return reads


def _brief(value: object, used: dict[str, Stamp], sources: dict[str, SourceRead]) -> Brief:
    index, path, title, named, claims, summary, tags = as_list(value, 7)
    brief_sources = tuple(_brief_source(item, used, sources) for item in as_list(named))
    by_key = {named.key: named.source for named in brief_sources}
    if len(by_key) != len(brief_sources):
        raise CacheError("a brief names one source key twice")
    return Brief(
        as_int(index),
        as_str(path),
        as_str(title),
        brief_sources,
        tuple(_claim(claim, by_key) for claim in as_list(claims)),
        _optional_str(summary),
        tuple(as_str(tag) for tag in as_list(tags)),
    )


def _brief_source(
    value: object, used: dict[str, Stamp], sources: dict[str, SourceRead]
) -> BriefSource:
    """A source of a brief: the very Source of the cache's reads, as the loader shares it."""
    key, relative, meta = as_list(value, 3)
    relative = as_str(relative)
    read = sources.get(relative)
    if read is None or read.source is None or relative not in used:
        raise CacheError("a brief names a source the cache lacks")
    if read.stamp != used[relative]:
        raise CacheError("a brief was read with another version of its source")
    return BriefSource(as_str(key), read.source, _meta(meta))


def _claim(value: object, sources: dict[str, Source]) -> Claim:
    index, key, text, passages, claim_id, note, line = as_list(value, 7)
    return Claim(
        as_int(index),
        as_str(key),
        as_str(text),
        tuple(_passage(passage, sources) for passage in as_list(passages)),
        _optional_str(claim_id),
        _optional_str(note),
        _optional_int(line),
    )


def _passage(value: object, sources: dict[str, Source]) -> Passage:
    claim, key, quote, stance, prefix, suffix, note, line, path, *anchor = as_list(value, 15)
    key = as_str(key)
    source = sources.get(key)
    if path is not None and (source is None or source.path != path):
        raise CacheError("a passage names a source its brief lacks")
    return Passage(
        as_str(claim),
        key,
        as_str(quote),
        _STANCES[stance],
        _anchor(anchor, None if path is None else source),
        _optional_str(prefix),
        _optional_str(suffix),
        _optional_str(note),
        _optional_int(line),
        path,
    )


def _anchor(value: list[Any], source: Source | None) -> Anchor:
    status, start, end, score, occurrences, closest = value
    if not isinstance(score, float) or not math.isfinite(score):
        raise CacheError("expected a number")
    span = None
    if start is not None or end is not None:
        start, end = as_int(start), as_int(end)
        if source is None or not 0 <= start <= end <= len(source.text):
            raise CacheError("a span out of its source's text")
        span = Span(start, end)
    return Anchor(_STATUSES[status], span, score, as_int(occurrences), _optional_str(closest))


def _meta(value: object) -> SourceMeta:
    # Positional: SourceMeta's fields are META_KEYS, in that order.
    return SourceMeta(*(_optional_str(item) for item in as_list(value, len(META_KEYS))))


def _diagnostics(value: object) -> list[Diagnostic]:
    diagnostics = []
    for item in as_list(value):
        path, level, message, line, column = as_list(item, 5)
        diagnostics.append(
            Diagnostic(
                as_str(path),
                _LEVELS[level],
                as_str(message),
                _optional_int(line),
                _optional_int(column),
            )
        )
    return diagnostics


def _stamps(value: object) -> dict[str, Stamp]:
    stamps: dict[str, Stamp] = {}
    for item in as_list(value):
        relative, stamp = as_list(item, 2)
        stamps[as_str(relative)] = _stamp(stamp)
    return stamps


def _stamp(value: object) -> Stamp:
    if value is None:
        return None
    mtime, size, inode = map(as_int, as_list(value, 3))
    return (mtime, size, inode)


def _optional_str(value: object) -> str | None:
    return None if value is None else as_str(value)


def _optional_int(value: object) -> int | None:
    return None if value is None else as_int(value)
