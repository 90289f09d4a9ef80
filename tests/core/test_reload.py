"""Reading a library again: only what changed is re-read, and a broken edit costs nothing."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from builders import LibraryMaker

from briefing_tui.core.library.loader import (
    LibraryError,
    LibraryReader,
    Reading,
    locate_library,
)
from briefing_tui.core.library.model import Level
from briefing_tui.core.places import claim_place, locate, settle


def save(file: Path, text: str) -> None:
    """Save as an editor does: write a temporary file beside it, then rename it over."""
    temporary = file.with_name(f".{file.name}.swp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, file)


@pytest.fixture
def other(good_brief: str) -> str:
    """The good brief under another title."""
    return good_brief.replace("title: Summit", "title: Other")


@pytest.fixture
def root(make_library: LibraryMaker, good_brief: str, other: str) -> Path:
    """A library of two briefs over two sources."""
    return make_library({"a.yaml": good_brief, "b.yaml": other})


def reader_of(root: Path) -> tuple[LibraryReader, Reading]:
    reader = LibraryReader(locate_library(root))
    return reader, reader.read()


def test_reading_again_without_changes_keeps_every_object(root: Path) -> None:
    reader, first = reader_of(root)
    assert not reader.has_changed()
    again = reader.read()
    assert (again.changed, again.added, again.removed) == ((), (), ())
    assert all(a is b for a, b in zip(first.library.briefs, again.library.briefs, strict=True))
    assert again.describe() == "reloaded: nothing changed · 0 problems"


def test_an_edited_brief_alone_is_read_again(root: Path, other: str) -> None:
    reader, first = reader_of(root)
    save(root / "briefs" / "b.yaml", other.replace("title: Other", "title: Edited"))
    assert reader.has_changed()
    again = reader.read()
    assert again.changed == ("briefs/b.yaml",)
    assert again.library.briefs[0] is first.library.briefs[0]
    assert again.library.briefs[1].title == "Edited"
    assert again.describe() == "reloaded: 1 brief changed · 0 problems"


def test_an_edited_source_re_anchors_the_briefs_that_quote_it(root: Path) -> None:
    reader, first = reader_of(root)
    post = root / "seeds" / "post.md"
    save(post, "A new first line.\n" + post.read_text(encoding="utf-8"))
    again = reader.read()
    assert set(again.changed) == {"briefs/a.yaml", "briefs/b.yaml"}
    before = first.library.briefs[0].claims[1].passages[1]
    after = again.library.briefs[0].claims[1].passages[1]
    assert before.span is not None and after.span is not None
    assert after.span.start == before.span.start + len("A new first line.\n")
    text = again.library.sources["seeds/post.md"].text
    assert text[after.span.start : after.span.end] == "the talks lasted three hours"


def test_a_brief_that_stops_parsing_keeps_its_last_good_version_marked_stale(
    root: Path, other: str
) -> None:
    reader, first = reader_of(root)
    save(root / "briefs" / "b.yaml", "title: [Half typed\n")
    again = reader.read()
    stale = again.library.briefs[1]
    assert stale.stale and stale.title == "Other"
    assert again.stale == ("briefs/b.yaml",)
    problems = [d for d in again.library.diagnostics if d.path == "briefs/b.yaml"]
    assert {d.level for d in problems} == {Level.ERROR, Level.WARNING}
    assert any("as it last loaded" in d.message for d in problems)
    save(root / "briefs" / "b.yaml", other)
    fixed = reader.read()
    assert not fixed.library.briefs[1].stale and fixed.library.diagnostics == ()


def test_briefs_that_come_and_go_are_said(root: Path, other: str) -> None:
    reader, _ = reader_of(root)
    (root / "briefs" / "a.yaml").unlink()
    save(root / "briefs" / "c.yaml", other.replace("title: Other", "title: New"))
    assert reader.has_changed()
    again = reader.read()
    assert (again.added, again.removed) == (("briefs/c.yaml",), ("briefs/a.yaml",))
    assert [b.index for b in again.library.briefs] == [0, 1]
    assert again.describe() == "reloaded: 1 brief added · 1 brief removed · 0 problems"


def test_a_place_survives_a_reload_that_moves_its_brief(root: Path) -> None:
    reader, first = reader_of(root)
    brief = first.library.briefs[1]
    place = claim_place(brief, brief.claims[1], "post")
    (root / "briefs" / "a.yaml").unlink()  # b.yaml is now the first topic
    again = reader.read().library
    settled = settle(again, place)
    assert settled == place
    located = locate(again, place)
    assert located is not None and located.brief.index == 0 and located.claim is not None
    assert located.claim.id == "length"


def test_a_vanished_library_folder_is_one_clear_error(root: Path) -> None:
    reader, _ = reader_of(root)
    shutil.rmtree(root)
    with pytest.raises(LibraryError, match="gone|No such file"):
        reader.has_changed()
    with pytest.raises(LibraryError, match="gone"):
        reader.read()


def test_a_source_replaced_by_a_folder_costs_only_its_passages(root: Path) -> None:
    reader, _ = reader_of(root)
    post = root / "seeds" / "post.md"
    post.unlink()
    post.mkdir()
    again = reader.read()
    assert len(again.library.briefs) == 2
    assert any("post.md" in d.message for d in again.library.diagnostics)


def test_a_quick_look_sees_saves_and_a_thorough_one_sees_in_place_rewrites(root: Path) -> None:
    reader, _ = reader_of(root)
    post = root / "seeds" / "post.md"
    save(post, post.read_text(encoding="utf-8") + "A saved line.\n")
    assert reader.has_changed(thorough=False)  # the rename changed the folder
    reader.read()
    folder = (root / "seeds").stat()
    with post.open("a", encoding="utf-8") as stream:
        stream.write("A line written in place.\n")
    assert (root / "seeds").stat().st_mtime_ns == folder.st_mtime_ns  # in place: folder as was
    assert not reader.has_changed(thorough=False)
    assert reader.has_changed()


def test_a_missing_source_that_appears_is_read(root: Path) -> None:
    post = root / "seeds" / "post.md"
    text = post.read_text(encoding="utf-8")
    post.unlink()
    reader, first = reader_of(root)
    assert any("not found" in d.message for d in first.library.diagnostics)
    assert not reader.has_changed()
    post.write_text(text, encoding="utf-8")
    assert reader.has_changed(thorough=False)  # the folder of a missing source is watched
    again = reader.read()
    assert again.changed == ("briefs/a.yaml", "briefs/b.yaml")
    assert not any("not found" in d.message for d in again.library.diagnostics)
