"""The index cache: the same results as a built index, fresh only while no file changed,
and anything else (stale, corrupt, foreign) refused so that the index is built again."""

from __future__ import annotations

import os
import random
import re
import sys
from pathlib import Path

import pytest

from briefing_tui.core.library.loader import load_location, locate_library
from briefing_tui.core.search.cache import (
    MAGIC,
    CacheError,
    cache_file,
    file_stamps,
    open_index,
    read_index,
    write_index,
)
from briefing_tui.core.search.index import SearchIndex

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate_library  # noqa: E402  (the benchmarks' generator)

OPERATORS = ("", "", "'", "^", "!", "")
FIXED = (
    "senkaku",
    "senakku islands",
    "'to the",
    "^i",
    "'r",
    "the | a",
    "hours.$",
    "kind:claim investment",
    "source:gmi tariffs",
    "stance:conflicts jobs",
    "topic:trade alliance",
    "!the",
    '"prime minister" japan',
    "u.s.-japan",
    "55,000",
)


def queries(index: SearchIndex, count: int, seed: int) -> list[str]:
    """Typed prefixes of fixed queries, and random words of the index with operators."""
    rng = random.Random(seed)
    words = sorted({w for text in index.unit_texts() for w in re.findall(r"\w+", text.lower())})
    typed = [query[:n] for query in FIXED for n in range(1, len(query) + 1)]
    for _ in range(count):
        query = rng.choice(OPERATORS) + rng.choice(words)
        if rng.random() < 0.4:
            query += " " + rng.choice(words)[: rng.randint(1, 6)]
        typed.append(query)
    return typed


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_library(tmp_path_factory.mktemp("generated"), 40, 120, 20, seed=5)


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_a_cached_index_finds_what_the_built_one_finds(which: str, generated: Path) -> None:
    location = locate_library(None if which == "bundled" else generated)
    library = load_location(location)
    built = SearchIndex.build(library)
    write_index(built, location, file_stamps(location, library))
    without_library = read_index(location)
    with_library = read_index(location, library)
    asked = queries(built, 200, seed=len(which))
    assert len(asked) > 300
    for query in asked:
        expected = built.search(query, limit=30)
        assert without_library.search(query, limit=30) == expected, query
        assert with_library.search(query, limit=30) == expected, query


@pytest.fixture
def cached(generated: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the generated library with its index cached; (root, cache file)."""
    root = tmp_path / "library"
    for file in generated.rglob("*"):
        if file.is_file():
            target = root / file.relative_to(generated)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
    location = locate_library(root)
    open_index(location, load_location(location))
    return root, cache_file(location)


def test_the_cache_lives_in_the_folder_the_environment_names(
    cached: tuple[Path, Path], own_cache_folder: Path
) -> None:
    _, file = cached
    assert file.parent == own_cache_folder and file.read_bytes().startswith(MAGIC)
    assert [p.name for p in own_cache_folder.iterdir()] == [file.name]  # no temporary left


def test_a_changed_source_or_brief_makes_the_cache_stale(cached: tuple[Path, Path]) -> None:
    root, _ = cached
    location = locate_library(root)
    read_index(location)
    source = next((root / "sources").iterdir())
    source.write_text(source.read_text(encoding="utf-8") + "\nA new sentence.\n", "utf-8")
    with pytest.raises(CacheError, match="stale"):
        read_index(location)
    open_index(location, load_location(location))  # built again, silently
    assert read_index(location).search("'a new sentence")


def test_a_touched_file_or_a_new_brief_makes_the_cache_stale(cached: tuple[Path, Path]) -> None:
    root, _ = cached
    brief = next((root / "briefs").iterdir())
    status = brief.stat()
    os.utime(brief, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))
    with pytest.raises(CacheError):
        read_index(locate_library(root))
    open_index(locate_library(root), load_location(locate_library(root)))
    (root / "briefs" / "zz-new.yaml").write_text("title: New\nsources: {}\n", "utf-8")
    with pytest.raises(CacheError):
        read_index(locate_library(root))


def test_another_version_of_the_app_does_not_read_the_cache(
    cached: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    root, _ = cached
    monkeypatch.setattr("briefing_tui.core.search.cache.code_stamp", lambda: "another")
    with pytest.raises(CacheError, match="another version"):
        read_index(locate_library(root))


def corruptions(data: bytes) -> list[bytes]:
    """The file cut short, padded, zeroed, or with bytes flipped across it."""
    rng = random.Random(7)
    spoiled = [b"", data[:10], data[: len(data) // 2], data + b"x", b"\0" * len(data)]
    for _ in range(40):
        at = rng.randrange(len(MAGIC), len(data))
        spoiled.append(data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :])
    return spoiled


def test_a_corrupt_cache_is_refused_never_a_crash(cached: tuple[Path, Path]) -> None:
    root, file = cached
    location = locate_library(root)
    library = load_location(location)
    good = file.read_bytes()
    expected = SearchIndex.build(library).search("the", limit=20)
    for spoiled in corruptions(good):
        file.write_bytes(spoiled)
        try:
            index = read_index(location, library)
        except CacheError:
            index = open_index(location, library)  # what the app and the CLI do
        # A flip that leaves the file well formed (a letter of a word) may change results,
        # but they must hold together.
        for hit in index.search("the", limit=20):
            assert all(0 <= m < len(hit.text) for m in hit.matches)
    file.write_bytes(good)
    assert read_index(location, library).search("the", limit=20) == expected


def test_a_file_that_is_not_a_cache_is_refused(cached: tuple[Path, Path]) -> None:
    root, file = cached
    file.write_bytes(b"\x80\x04\x95 a pickle, say")
    with pytest.raises(CacheError, match="not a cache file"):
        read_index(locate_library(root))
