"""The library cache: a reader seeded from it reads what a fresh reader reads, re-reading only
what changed, and any file it cannot trust (stale, corrupt, foreign, tampered) is ignored."""

from __future__ import annotations

import dataclasses
import enum
import json
import os
import random
import shutil
import struct
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from builders import write_library
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_tui.core.atomic import STALE_TEMPORARY_S
from briefing_tui.core.library import cache
from briefing_tui.core.library.cache import (
    MAGIC,
    cache_file,
    keep,
    open_reader,
    read_snapshot,
    write_snapshot,
)
from briefing_tui.core.library.cachefiles import CACHE_ENV, CacheError
from briefing_tui.core.library.loader import LibraryReader, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.library.text import WrittenText

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "hostile"))
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate_library  # noqa: E402  (the benchmarks' generator)
from hostile_files import (  # noqa: E402  (the hostile tests' libraries)
    build_file_name_library,
    build_forging_library,
    build_hostile_library,
)

_LENGTH = struct.Struct("<Q")

SOURCES: dict[str, str | bytes] = {
    "sources/wire.txt": (
        "---\ntitle: Leaders meet\noutlet: Example Wire\npublished: 2025-02-07\n---\n"
        "The two leaders met in Washington.\nThe talks lasted two hours.\n"
        "The talks lasted two hours, officials said.\n"
    ),
    # Controls, an escape sequence, bidi and zero-width characters are sanitised away: the
    # source keeps its text as written beside it.
    "sources/odd.md": (
        "Caf\u00e9 \u65e5\u672c \U0001f600 \x1b[31mred\x1b[0m and a bell\x07 here.\n"
        "Zero\u200bwidth and \u202eright-to-left\u202c text; the levee held.\n"
    ),
    "sources/front.txt": "---\ntitle: [unclosed\nunknown: 1\n---\nBody of a bad front matter.\n",
    "sources/latin1.txt": "Caf\u00e9 in Latin-1.\n".encode("latin-1"),
}
BRIEF = """\
title: Summit \u00e9t\u00e9
summary: What was agreed.
tags: [trade, "s\u00e9curit\u00e9"]
sources:
  wire: sources/wire.txt
  odd:
    path: sources/odd.md
    outlet: Odd \u00c9dition
  front: sources/front.txt
  latin: sources/latin1.txt
  gone: sources/missing.txt
  out: ../outside.txt
claims:
  - id: length
    text: The talks lasted two hours.
    note: Quoted twice.
    passages:
      - source: wire
        quote: The talks lasted two hours
      - source: wire
        quote: The talks lasted two hours, officials said.
        stance: conflicts
        prefix: "hours.\\n"
      - source: odd
        quote: the levee held
        stance: context
        note: beside the point
  - text: Approximate and orphaned quotes.
    passages:
      - source: wire
        quote: The two leaders met in Washingtn.
      - source: wire
        quote: Nothing like this is in the source at all, not a word.
      - source: latin
        quote: Caf\u00e9
      - source: gone
        quote: gone
  - text: A claim without passages.
    passages: []
  - id: length
    text: A duplicate id.
    passages:
      - source: undeclared
        quote: x
      - source: wire
        quote: two hours
        stance: sideways
"""
BROKEN = "title: [unclosed\n"
NOT_A_MAPPING = "- a list\n- not a brief\n"
OTHER = """\
title: Other
sources:
  wire: sources/wire.txt
claims:
  - text: The leaders met.
    passages:
      - source: wire
        quote: The two leaders met in Washington.
"""


def dump(value: object) -> object:
    """Every field of a model value, recursively: Passage compares by identity, not value."""
    if isinstance(value, WrittenText):
        return ("WrittenText", value.text)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = dataclasses.fields(value)
        return (type(value).__name__, [(f.name, dump(getattr(value, f.name))) for f in fields])
    if isinstance(value, enum.Enum):
        return (type(value).__name__, value.value)
    if isinstance(value, dict):
        return sorted((dump(k), dump(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return [dump(item) for item in value]
    if isinstance(value, float):
        return repr(value)
    return value


def check_identity(library: Library) -> None:
    """Each brief's source is the library's very Source object, as the loader shares it."""
    for brief in library.briefs:
        for named in brief.sources:
            assert library.sources[named.source.path] is named.source


def fresh(root: Path) -> Library:
    return LibraryReader(locate_library(root)).read().library


def seeded(root: Path) -> Library:
    """The library as a reader seeded from the cache reads it (the cache must be usable)."""
    location = locate_library(root)
    library = LibraryReader.seeded(read_snapshot(location)).read().library
    check_identity(library)
    return library


def cache_it(root: Path) -> Path:
    """Read the library afresh and write the cache; the cache file."""
    reader = LibraryReader(locate_library(root))
    reader.read()
    return write_snapshot(reader.snapshot())


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    """A library of hostile bits: sanitised text, errors, warnings, missing and bad sources."""
    (tmp_path / "outside.txt").write_text("Outside the library.\n", encoding="utf-8")
    briefs = {"a.yaml": BRIEF, "b.yaml": OTHER, "c.yaml": BROKEN, "d.yaml": NOT_A_MAPPING}
    return write_library(tmp_path / "lib", briefs, SOURCES)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_library(tmp_path_factory.mktemp("generated"), 30, 90, 12, seed=3)


@pytest.mark.parametrize("which", ["bundled", "generated", "odd", "hostile", "names", "forging"])
def test_a_seeded_reader_reads_what_a_fresh_reader_reads(
    which: str, generated: Path, odd: Path, tmp_path: Path
) -> None:
    root = {
        "bundled": lambda: locate_library(None).root,
        "generated": lambda: generated,
        "odd": lambda: odd,
        "hostile": lambda: build_hostile_library(tmp_path / "hostile"),
        "names": lambda: build_file_name_library(tmp_path / "names"),
        "forging": lambda: build_forging_library(tmp_path / "forging"),
    }[which]()
    expected = fresh(root)
    assert expected.diagnostics or which in ("bundled", "generated")
    cache_it(root)
    assert dump(seeded(root)) == dump(expected)


def test_the_odd_library_has_what_the_cache_must_keep(odd: Path) -> None:
    library = fresh(odd)
    assert library.sources["sources/odd.md"].written is not None
    statuses = {p.anchor.status.value for b in library.briefs for p in b.passages()}
    assert statuses == {"exact", "approximate", "ambiguous", "orphaned"}
    levels = {d.level.value for d in library.diagnostics}
    assert levels == {"error", "warning"}


def test_a_seeded_reader_of_an_unchanged_library_reads_no_file(
    odd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_it(odd)
    loads: list[str] = []
    monkeypatch.setattr(
        "briefing_tui.core.library.sources.load_source",
        lambda *args: loads.append("source") or (None, []),
    )
    monkeypatch.setattr(
        "briefing_tui.core.library.briefs.BriefLoader.load",
        lambda self: loads.append("brief"),
    )
    reading = open_reader(locate_library(odd)).read()
    assert loads == [] and reading.files_read == 0
    assert (reading.changed, reading.added, reading.removed) == ((), (), ())


def save(file: Path, text: str) -> None:
    """Save as an editor does: a temporary file renamed over the old one."""
    temporary = file.with_name(f".{file.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, file)


def touch(file: Path) -> None:
    status = file.stat()
    os.utime(file, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))


def append(file: Path, text: str) -> None:
    """Write in place: the inode stays, the size and time change."""
    with file.open("a", encoding="utf-8") as stream:
        stream.write(text)


EDITS: dict[str, Callable[[Path], object]] = {
    "brief edited": lambda root: save(
        root / "briefs" / "b.yaml", OTHER.replace("title: Other", "title: Edited")
    ),
    "brief touched": lambda root: touch(root / "briefs" / "a.yaml"),
    "brief broken": lambda root: save(root / "briefs" / "b.yaml", BROKEN),
    "broken brief fixed": lambda root: save(root / "briefs" / "c.yaml", OTHER),
    "brief added": lambda root: (root / "briefs" / "e.yaml").write_text(OTHER, "utf-8"),
    "brief removed": lambda root: (root / "briefs" / "b.yaml").unlink(),
    "source touched": lambda root: touch(root / "sources" / "wire.txt"),
    "source rewritten in place": lambda root: append(
        root / "sources" / "wire.txt", "The two leaders met in Washingtn.\n"
    ),
    "source saved": lambda root: save(root / "sources" / "odd.md", "the levee held\n"),
    "source removed": lambda root: (root / "sources" / "wire.txt").unlink(),
    "missing source added": lambda root: (root / "sources" / "missing.txt").write_text(
        "gone\n", "utf-8"
    ),
    "source made UTF-8": lambda root: save(root / "sources" / "latin1.txt", "Caf\u00e9.\n"),
    "source folder replaced": lambda root: shutil.rmtree(root / "sources"),
}


@pytest.mark.parametrize("edit", list(EDITS))
def test_after_an_edit_a_seeded_reader_reads_what_a_fresh_reader_reads(
    edit: str, odd: Path
) -> None:
    cache_it(odd)
    EDITS[edit](odd)
    assert dump(seeded(odd)) == dump(fresh(odd))


def test_a_stale_brief_is_not_kept_but_read_afresh(odd: Path) -> None:
    reader = LibraryReader(locate_library(odd))
    reader.read()
    save(odd / "briefs" / "b.yaml", BROKEN)
    assert reader.read().stale == ("briefs/b.yaml",)
    snapshot = reader.snapshot()
    assert odd / "briefs" / "b.yaml" not in snapshot.briefs
    write_snapshot(snapshot)
    library = seeded(odd)
    assert library.brief_at("briefs/b.yaml") is None  # broken, read afresh: not the stale one
    assert dump(library) == dump(fresh(odd))


def test_the_file_is_magic_then_json_then_utf8_text(odd: Path, own_cache_folder: Path) -> None:
    file = cache_it(odd)
    assert file.parent == own_cache_folder and file.suffix == ".library"
    assert [p.name for p in own_cache_folder.iterdir()] == [file.name]  # no temporary left
    data = file.read_bytes()
    assert data.startswith(MAGIC)
    at, parts = len(MAGIC), []
    for _ in range(3):
        (size,) = _LENGTH.unpack_from(data, at)
        parts.append(data[at + _LENGTH.size : at + _LENGTH.size + size])
        at += _LENGTH.size + size
    assert at == len(data)
    head, body = (json.loads(part.decode("ascii")) for part in parts[:2])
    assert head["root"] == str(odd.resolve()) and set(body) == {"sources", "briefs"}
    assert "the levee held" in parts[2].decode("utf-8")


def test_what_a_writer_that_died_left_is_removed_and_a_live_one_is_kept(
    odd: Path, own_cache_folder: Path
) -> None:
    own_cache_folder.mkdir(parents=True, exist_ok=True)
    dead = own_cache_folder / ".tmp-killed.library"  # a reader killed while writing
    live = own_cache_folder / ".tmp-writing.index"  # another reader writing now
    for left in (dead, live):
        left.write_bytes(b"half a cache")
    old = time.time() - STALE_TEMPORARY_S - 60
    os.utime(dead, (old, old))
    file = cache_it(odd)
    assert sorted(p.name for p in own_cache_folder.iterdir()) == [live.name, file.name]


def rewrite(file: Path, change: Callable[[dict[str, object]], None]) -> None:
    """Change a cache file's body as JSON, and write it back well formed, check and all."""
    data = file.read_bytes()
    at = len(MAGIC)
    sizes = []
    for _ in range(3):
        (size,) = _LENGTH.unpack_from(data, at)
        sizes.append((at + _LENGTH.size, size))
        at += _LENGTH.size + size
    head, body = (json.loads(data[a : a + n]) for a, n in sizes[:2])
    texts = data[sizes[2][0] :]
    change(body)
    body_bytes = json.dumps(body).encode("ascii")
    head["crc"] = cache._crc(body_bytes, [texts])
    head_bytes = json.dumps(head).encode("ascii")
    parts = [head_bytes, body_bytes, texts]
    file.write_bytes(MAGIC + b"".join(_LENGTH.pack(len(p)) + p for p in parts))


def first_passage(body: dict[str, object]) -> list[object]:
    """The first passage with a span in the first brief that has one."""
    for read in body["briefs"]:  # type: ignore[attr-defined]
        brief = read[2]
        for claim in brief[4] if brief else ():
            for passage in claim[3]:
                if passage[10] is not None:
                    return passage  # type: ignore[no-any-return]
    raise AssertionError("no passage with a span")


def set_span_end(body: dict[str, object]) -> None:
    passage = first_passage(body)
    passage[11] = 10**6


def set_stance(body: dict[str, object]) -> None:
    first_passage(body)[3] = "sideways"


def set_score(body: dict[str, object]) -> None:
    first_passage(body)[12] = "100"


def set_bool_line(body: dict[str, object]) -> None:
    first_passage(body)[7] = True


def drop_source(body: dict[str, object]) -> None:
    sources = body["sources"]
    assert isinstance(sources, list)
    del sources[[s[0] for s in sources].index("sources/wire.txt")]


def foreign_source_path(body: dict[str, object]) -> None:
    first_passage(body)[8] = "sources/elsewhere.txt"


def other_source_stamp(body: dict[str, object]) -> None:
    sources = body["sources"]
    assert isinstance(sources, list)
    for source in sources:
        source[1] = [0, 0, 0]


def longer_text(body: dict[str, object]) -> None:
    sources = body["sources"]
    assert isinstance(sources, list)
    sources[0][2][1] += 1


TAMPERINGS: dict[str, Callable[[dict[str, object]], None]] = {
    "span beyond the text": set_span_end,
    "unknown stance": set_stance,
    "score as text": set_score,
    "line as true": set_bool_line,
    "a brief's source gone": drop_source,
    "a passage's source not its brief's": foreign_source_path,
    "sources of other stamps": other_source_stamp,
    "a text's length wrong": longer_text,
    "briefs as a mapping": lambda body: body.update(briefs={}),
    "no sources": lambda body: body.pop("sources"),
}


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_well_formed_but_tampered_file_is_refused(tampering: str, odd: Path) -> None:
    file = cache_it(odd)
    read_snapshot(locate_library(odd))  # usable before
    rewrite(file, TAMPERINGS[tampering])
    with pytest.raises(CacheError):
        read_snapshot(locate_library(odd))
    assert dump(open_reader(locate_library(odd)).read().library) == dump(fresh(odd))


def corruptions(data: bytes) -> list[bytes]:
    """The file cut short, padded, zeroed, foreign, or with bytes flipped across it."""
    rng = random.Random(7)
    spoiled = [b"", MAGIC, data[:10], data[: len(data) // 2], data + b"x", b"\0" * len(data)]
    spoiled += [b"\x80\x04\x95 a pickle, say", b"briefing search index\n" + data[len(MAGIC) :]]
    for _ in range(30):
        at = rng.randrange(len(MAGIC), len(data))
        spoiled.append(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :])
    return spoiled


def test_a_corrupt_file_is_ignored_and_the_library_read_afresh(odd: Path) -> None:
    file = cache_it(odd)
    expected = dump(fresh(odd))
    for spoiled in corruptions(file.read_bytes()):
        file.write_bytes(spoiled)
        with pytest.raises(CacheError):
            read_snapshot(locate_library(odd))
        assert dump(open_reader(locate_library(odd)).read().library) == expected


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_spoiling_of_the_file_never_raises_and_falls_back(
    data: st.DataObject, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # Function-scoped fixtures do not mix with @given: a library and a cache folder of its own.
    base = tmp_path_factory.mktemp("spoilt")
    root = write_library(base / "lib", {"a.yaml": BRIEF, "b.yaml": OTHER}, SOURCES)
    os.environ[CACHE_ENV] = str(base / "cache")
    good = cache_it(root).read_bytes()
    expected = dump(fresh(root))
    # Places as numbers taken modulo the file's length, which varies with the folder's name.
    edits = data.draw(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=8))
    spoiled = bytearray(good)
    for at, value in edits:
        spoiled[at % len(good)] = value
    cut = data.draw(st.none() | st.integers(0, 10**6))
    kept = spoiled if cut is None else spoiled[: cut % len(good)]
    cache_file(locate_library(root)).write_bytes(bytes(kept))
    assert dump(open_reader(locate_library(root)).read().library) == expected


def test_another_version_of_the_app_does_not_read_the_cache(
    odd: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache_it(odd)
    monkeypatch.setattr("briefing_tui.core.library.cache.code_stamp", lambda: "another")
    with pytest.raises(CacheError, match="another version"):
        read_snapshot(locate_library(odd))


def test_a_cache_of_another_library_is_not_read(odd: Path, tmp_path: Path) -> None:
    file = cache_it(odd)
    other = write_library(tmp_path / "other", {"b.yaml": OTHER}, SOURCES)
    shutil.copy(file, cache_file(locate_library(other)))
    with pytest.raises(CacheError, match="another library"):
        read_snapshot(locate_library(other))


def test_a_cache_folder_that_cannot_be_written_costs_nothing(
    odd: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setenv(CACHE_ENV, str(blocked))
    reader = open_reader(locate_library(odd))
    reader.read()
    keep(reader)  # no exception
    assert blocked.read_text(encoding="utf-8") == ""
    monkeypatch.setenv(CACHE_ENV, str(blocked / "below"))
    keep(reader)
    assert dump(open_reader(locate_library(odd)).read().library) == dump(fresh(odd))


def test_without_the_cache_nothing_is_read_from_it(odd: Path) -> None:
    file = cache_it(odd)
    file.write_bytes(b"garbage")
    reader = open_reader(locate_library(odd), use_cache=False)
    assert reader.read().files_read > 0
    assert file.read_bytes() == b"garbage"
