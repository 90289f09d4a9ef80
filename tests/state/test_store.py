"""The reading-state store: round trips, damaged files set aside, merges between readers."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from briefing_tui.core.atomic import TEMPORARY_PREFIX
from briefing_tui.core.library.model import Span
from briefing_tui.core.places import Place
from briefing_tui.core.state import (
    HISTORY_LIMIT,
    MAX_FILE_BYTES,
    MAX_NOTE_CHARS,
    STATE_DIR_VARIABLE,
    TOMBSTONE_AGE,
    InvalidRecord,
    Kind,
    StateError,
    StateStore,
    place_from_json,
    place_to_json,
    state_folder,
    state_path,
)

ROOT = Path("/libraries/summit")
PASSAGE = Place("briefs/01-summit.yaml", "a", "sources/alpha.txt", "tariffs", passage=Span(95, 139))
CLAIM = Place("briefs/01-summit.yaml", "b", "sources/beta.md", "article-5")
SPAN = Place("briefs/02-islands.yaml", "c", "sources/gamma.txt", span=Span(3, 9))
TOPIC = Place("briefs/02-islands.yaml")


class Clock:
    """A clock that moves one second each time it is read."""

    def __init__(self, start: datetime = datetime(2025, 2, 7, 10, tzinfo=UTC)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


def open_store(folder: Path, clock: Clock | None = None, **options: Any) -> StateStore:
    return StateStore.open(ROOT, folder=folder, clock=clock or Clock(), **options)


def file_of(folder: Path) -> Path:
    return state_path(ROOT, folder)


def document(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(file_of(folder).read_text(encoding="ascii"))
    return data


def saved_store(folder: Path) -> StateStore:
    """A store with a bookmark, a note and a last place, saved."""
    store = open_store(folder)
    store.toggle_bookmark(PASSAGE, "Tariffs were not discussed, officials said.")
    store.set_note(CLAIM, "Article 5 covers the islands.", "Check the statement's wording.")
    store.remember(PASSAGE, 120, (TOPIC, CLAIM))
    assert store.save()
    return store


def asides(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.corrupt-*.json"))


# Places as JSON


@pytest.mark.parametrize("place", [PASSAGE, CLAIM, SPAN, TOPIC])
def test_a_place_survives_json(place: Place) -> None:
    assert place_from_json(json.loads(json.dumps(place_to_json(place)))) == place


@pytest.mark.parametrize(
    "change",
    [
        {"brief": ""},
        {"brief": 7},
        {"brief": "x" * 5000},
        {"brief": "briefs/\x1b]0;title\x07.yaml"},
        {"claim": ["tariffs"]},
        {"passage": [5, 2]},
        {"passage": [-1, 2]},
        {"passage": [1, 2, 3]},
        {"passage": [True, 2]},
        {"passage": [1.5, 2]},
        {"passage": "1-2"},
        {"passage": [0, 2**40]},
        {"claim": None},  # a passage needs its claim
        {"source": None, "passage": None, "span": [1, 2]},  # a span needs its source
    ],
)
def test_an_invalid_place_is_refused(change: dict[str, Any]) -> None:
    data = {**place_to_json(PASSAGE), **change}
    with pytest.raises(InvalidRecord):
        place_from_json(data)


def test_a_place_that_is_not_an_object_is_refused() -> None:
    for data in (None, [], "briefs/x.yaml", 3):
        with pytest.raises(InvalidRecord):
            place_from_json(data)


# Round trips


def test_bookmarks_notes_and_the_last_place_survive_a_restart(state_dir: Path) -> None:
    saved = saved_store(state_dir)
    again = open_store(state_dir)
    assert again.take_notice() is None
    assert again.annotations() == saved.annotations()
    bookmark, note = again.annotations(Kind.BOOKMARK)[0], again.annotations(Kind.NOTE)[0]
    assert (bookmark.place, bookmark.quote) == (
        PASSAGE,
        "Tariffs were not discussed, officials said.",
    )
    assert (note.place, note.text, note.quote) == (
        CLAIM,
        "Check the statement's wording.",
        "Article 5 covers the islands.",
    )
    assert again.last is not None
    assert (again.last.place, again.last.top, again.last.history) == (PASSAGE, 120, (TOPIC, CLAIM))


def test_the_file_says_its_format_version_and_library(state_dir: Path) -> None:
    saved_store(state_dir)
    data = document(state_dir)
    assert (data["format"], data["version"], data["root"]) == ("briefing-state", 1, str(ROOT))
    assert [a["kind"] for a in data["annotations"]] == ["bookmark", "note"]
    assert data["last"]["place"]["passage"] == [95, 139]


def test_the_file_is_named_by_the_library_and_written_privately(state_dir: Path) -> None:
    saved_store(state_dir)
    path = file_of(state_dir)
    assert path.name.startswith("summit-") and path.suffix == ".json"
    assert state_path(Path("/elsewhere/summit"), state_dir) != path
    mode = stat.S_IMODE(path.stat().st_mode)
    assert mode & 0o077 == 0 and mode & 0o111 == 0
    # Nothing but the file and its lock: no temporary file is left behind.
    assert sorted(p.name for p in state_dir.iterdir()) == [path.name, path.name + ".lock"]


def test_the_state_folder_is_the_override_or_the_users_state_folder(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert state_folder() == state_dir
    monkeypatch.delenv(STATE_DIR_VARIABLE)
    import platformdirs

    assert state_folder() == Path(platformdirs.user_state_dir("briefing", appauthor=False))


def test_nothing_is_written_until_there_is_something_to_save(state_dir: Path) -> None:
    store = open_store(state_dir)
    assert not store.save()
    assert not state_dir.exists()
    store.remember(TOPIC, 0)
    assert store.save()
    again = open_store(state_dir)
    assert again.last is not None
    again.remember(TOPIC, 0, ())  # the same place: nothing changed
    assert not again.unsaved and not again.save()


def test_the_history_is_bounded(state_dir: Path) -> None:
    store = open_store(state_dir)
    history = tuple(Place(f"briefs/{n}.yaml") for n in range(HISTORY_LIMIT + 50))
    store.remember(TOPIC, 0, history)
    store.save()
    last = open_store(state_dir).last
    assert last is not None and last.history == history[-HISTORY_LIMIT:]


# Bookmarks and notes


def test_a_bookmark_toggles_on_what_the_place_selects(state_dir: Path) -> None:
    store = open_store(state_dir)
    added = store.toggle_bookmark(CLAIM, "Article 5 covers the islands.")
    assert not added.deleted
    # The same claim with another source shown is the same bookmark.
    elsewhere = Place(CLAIM.brief, "a", "sources/alpha.txt", CLAIM.claim)
    assert store.at(Kind.BOOKMARK, elsewhere) == added
    assert store.at(Kind.BOOKMARK, PASSAGE) is None
    removed = store.toggle_bookmark(elsewhere, "")
    assert removed.deleted and removed.id == added.id
    assert store.annotations() == []


def test_a_note_is_written_changed_and_removed_by_emptying_it(state_dir: Path) -> None:
    store = open_store(state_dir)
    first = store.set_note(PASSAGE, "quote", "  first thought \n")
    assert first is not None and first.text == "first thought"
    second = store.set_note(PASSAGE, "quote", "second thought")
    assert second is not None and (second.id, second.created) == (first.id, first.created)
    assert [n.text for n in store.annotations(Kind.NOTE)] == ["second thought"]
    assert store.set_note(PASSAGE, "quote", "   ") is not None
    assert store.annotations(Kind.NOTE) == []
    assert store.set_note(PASSAGE, "quote", "") is None  # nothing to remove


def test_a_removed_entry_keeps_no_text_and_can_be_put_back(state_dir: Path) -> None:
    store = open_store(state_dir)
    note = store.set_note(CLAIM, "Article 5 covers the islands.", "private thought")
    assert note is not None
    removed = store.remove(note.id)
    assert removed == note
    assert store.remove(note.id) is None
    store.save()
    assert "private thought" not in file_of(state_dir).read_text(encoding="ascii")
    restored = store.restore(note)
    assert (restored.text, restored.deleted) == ("private thought", False)


def test_notes_and_quotes_are_sanitised_on_the_way_in(state_dir: Path) -> None:
    store = open_store(state_dir)
    note = store.set_note(PASSAGE, "a\x1b[31mred\u202equote", "pasted \x1b]52;c;SGk=\x07 here\x00")
    assert note is not None
    assert note.text == "pasted \u241b here\u2400"
    assert note.quote == "a\u241bredquote"


def test_notes_are_sanitised_on_the_way_out_of_the_file(state_dir: Path) -> None:
    saved_store(state_dir)
    data = document(state_dir)
    data["annotations"][1]["text"] = "evil \x1b[2J\x1b]0;pwned\x07 \ud800 note"
    file_of(state_dir).write_text(json.dumps(data), encoding="ascii")
    note = open_store(state_dir).annotations(Kind.NOTE)[0]
    assert note.text == "evil \u241b\u241b \ufffd note"


def test_a_note_too_long_is_refused(state_dir: Path) -> None:
    store = open_store(state_dir)
    with pytest.raises(StateError, match="at most 10,000 characters"):
        store.set_note(PASSAGE, "quote", "x" * (MAX_NOTE_CHARS + 1))
    assert store.annotations() == []


def test_a_long_quote_is_cut(state_dir: Path) -> None:
    bookmark = open_store(state_dir).toggle_bookmark(PASSAGE, "word " * 1000)
    assert len(bookmark.quote) == 2000 and bookmark.quote.endswith("…")


# Damaged files


def damaged(folder: Path, data: bytes) -> bytes:
    folder.mkdir(parents=True, exist_ok=True)
    file_of(folder).write_bytes(data)
    return data


def assert_set_aside(folder: Path, store: StateStore, original: bytes, reason: str) -> None:
    notice = store.take_notice()
    assert notice is not None and reason in notice and "set aside" in notice
    assert store.take_notice() is None  # said once
    assert store.annotations() == [] and store.last is None
    (aside,) = asides(folder)
    assert aside.read_bytes() == original
    assert aside.name in notice
    assert not file_of(folder).exists()


def valid_bytes(folder: Path) -> bytes:
    saved_store(folder)
    data = file_of(folder).read_bytes()
    file_of(folder).unlink()
    return data


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"{not json", "not JSON"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b"", "not JSON"),
        (b"[]", "not a briefing state file"),
        (b'{"format": "something-else", "version": 1}', "not a briefing state file"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
    ],
)
def test_a_corrupt_file_is_set_aside_and_the_reader_starts_clean(
    state_dir: Path, data: bytes, reason: str
) -> None:
    original = damaged(state_dir, data)
    assert_set_aside(state_dir, open_store(state_dir), original, reason)


def test_a_truncated_file_is_set_aside(state_dir: Path) -> None:
    whole = valid_bytes(state_dir)
    original = damaged(state_dir, whole[: len(whole) // 2])
    assert_set_aside(state_dir, open_store(state_dir), original, "truncated")


def test_a_file_of_another_version_is_set_aside(state_dir: Path) -> None:
    data = json.loads(valid_bytes(state_dir))
    data["version"] = 2
    original = damaged(state_dir, json.dumps(data).encode())
    assert_set_aside(state_dir, open_store(state_dir), original, "unknown version 2")


def test_a_file_of_another_library_is_set_aside(state_dir: Path) -> None:
    data = json.loads(valid_bytes(state_dir))
    data["root"] = "/somewhere/else"
    original = damaged(state_dir, json.dumps(data).encode())
    assert_set_aside(state_dir, open_store(state_dir), original, "another library")


def test_a_file_too_large_is_set_aside_unread(state_dir: Path) -> None:
    original = damaged(state_dir, b" " * (MAX_FILE_BYTES + 1))
    assert_set_aside(state_dir, open_store(state_dir), original, "larger than 4 MiB")


def test_something_that_is_not_a_file_is_set_aside_without_hanging(state_dir: Path) -> None:
    state_dir.mkdir()
    os.mkfifo(file_of(state_dir))
    store = open_store(state_dir)
    notice = store.take_notice()
    assert notice is not None and "not a regular file" in notice
    (aside,) = asides(state_dir)
    assert stat.S_ISFIFO(aside.stat().st_mode)


def test_after_setting_aside_the_next_save_starts_a_new_file(state_dir: Path) -> None:
    original = damaged(state_dir, b"{broken")
    store = open_store(state_dir)
    store.toggle_bookmark(CLAIM, "Article 5 covers the islands.")
    store.save()
    assert len(open_store(state_dir).annotations()) == 1
    (aside,) = asides(state_dir)
    assert aside.read_bytes() == original


def test_records_that_do_not_hold_up_are_dropped_and_counted_and_the_file_kept(
    state_dir: Path,
) -> None:
    data = json.loads(valid_bytes(state_dir))
    good = data["annotations"][0]
    data["annotations"] += [
        {**good, "id": "bad id!"},
        {**good, "id": "x1", "kind": "highlight"},
        {**good, "id": "x2", "place": {**good["place"], "passage": [9, 3]}},
        {**good, "id": "x3", "created": "yesterday"},
        {**good, "id": "x4", "created": "2025-02-07T10:00:00"},  # no time zone
        {**good, "id": "x5", "text": "x" * (MAX_NOTE_CHARS + 1)},
        {**good, "id": "x6", "deleted": "no"},
        "not a record",
    ]
    data["last"]["history"].append({"brief": 3})
    original = damaged(state_dir, json.dumps(data).encode())
    store = open_store(state_dir)
    notice = store.take_notice()
    assert notice is not None and "9 entries could not be read" in notice
    assert [a.kind for a in store.annotations()] == [Kind.BOOKMARK, Kind.NOTE]
    assert store.last is not None and store.last.history == (TOPIC, CLAIM)
    (aside,) = asides(state_dir)
    assert aside.read_bytes() == original
    # The file itself is left alone until the next save, which keeps what was read.
    store.remember(CLAIM, 0)
    store.save()
    assert store.take_notice() is None and len(asides(state_dir)) == 1  # kept aside once
    assert len(document(state_dir)["annotations"]) == 2
    assert open_store(state_dir).take_notice() is None


def test_a_reader_that_writes_nothing_leaves_a_corrupt_file_where_it_is(state_dir: Path) -> None:
    original = damaged(state_dir, b"{broken")
    before = sorted(p.name for p in state_dir.iterdir())
    store = open_store(state_dir, writable=False)
    notice = store.take_notice()
    assert notice is not None and "left as it is" in notice
    store.toggle_bookmark(CLAIM, "kept in memory")
    assert len(store.annotations()) == 1
    assert not store.save()
    assert sorted(p.name for p in state_dir.iterdir()) == before
    assert file_of(state_dir).read_bytes() == original


def test_a_reader_that_writes_nothing_still_reads(state_dir: Path) -> None:
    saved_store(state_dir)
    before = {p.name: p.read_bytes() for p in state_dir.iterdir()}
    store = open_store(state_dir, writable=False)
    assert len(store.annotations()) == 2
    store.remember(CLAIM, 5)
    assert not store.save()
    assert {p.name: p.read_bytes() for p in state_dir.iterdir()} == before


def test_a_file_that_cannot_be_set_aside_is_never_overwritten(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = damaged(state_dir, b"{broken")

    def refuse(*args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "rename", refuse)
    store = open_store(state_dir)
    notice = store.take_notice()
    assert notice is not None and "nothing will be saved this session" in notice
    store.toggle_bookmark(CLAIM, "quote")
    assert not store.save()
    assert file_of(state_dir).read_bytes() == original


def test_a_folder_that_cannot_be_written_keeps_the_changes_for_later(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the state folder should be", encoding="utf-8")
    store = open_store(blocker / "state")
    assert store.take_notice() is None
    store.toggle_bookmark(CLAIM, "quote")
    with pytest.raises(StateError, match="Cannot save the reading state in") as raised:
        store.save()
    assert "\n" not in str(raised.value)
    assert store.unsaved and len(store.annotations()) == 1
    blocker.unlink()
    assert store.save()
    assert len(open_store(blocker / "state").annotations()) == 1


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_folder_is_read_and_a_save_says_why_it_failed(state_dir: Path) -> None:
    saved_store(state_dir)
    state_dir.chmod(0o500)
    try:
        store = open_store(state_dir)
        assert len(store.annotations()) == 2
        store.toggle_bookmark(SPAN, "quote")
        with pytest.raises(StateError, match="Permission denied"):
            store.save()
    finally:
        state_dir.chmod(0o700)


def test_a_state_too_large_to_save_is_refused_and_kept(state_dir: Path) -> None:
    store = open_store(state_dir)
    for n in range(MAX_FILE_BYTES // (MAX_NOTE_CHARS * 6) + 1):
        place = Place("briefs/a.yaml", "a", "sources/a.txt", span=Span(n, n + 1))
        store.set_note(place, "q", "\u00e9" * MAX_NOTE_CHARS)  # six bytes each as \u00e9
    with pytest.raises(StateError, match="would pass 4 MiB"):
        store.save()
    assert not file_of(state_dir).exists()
    assert store.unsaved


# Two readers on one library


def test_each_reader_keeps_what_the_other_saved(state_dir: Path) -> None:
    one, two = open_store(state_dir), open_store(state_dir)
    one.toggle_bookmark(PASSAGE, "one")
    two.toggle_bookmark(CLAIM, "two")
    one.save()
    two.save()
    assert {a.quote for a in open_store(state_dir).annotations()} == {"one", "two"}
    assert {a.quote for a in two.annotations()} == {"one", "two"}  # merged into memory too
    one.toggle_bookmark(SPAN, "three")
    one.save()
    assert {a.quote for a in one.annotations()} == {"one", "two", "three"}


def test_a_deletion_is_not_undone_by_a_reader_that_still_holds_the_entry(state_dir: Path) -> None:
    saved_store(state_dir)
    one, two = open_store(state_dir), open_store(state_dir)
    bookmark = one.annotations(Kind.BOOKMARK)[0]
    one.remove(bookmark.id)
    one.save()
    two.toggle_bookmark(SPAN, "new")  # two still holds the removed bookmark, unchanged
    two.save()
    assert {a.quote for a in open_store(state_dir).annotations(Kind.BOOKMARK)} == {"new"}
    assert bookmark.id not in {a.id for a in two.annotations()}


def test_the_newer_change_to_one_note_wins(state_dir: Path) -> None:
    clock = Clock()
    first = open_store(state_dir, clock)
    first.set_note(CLAIM, "quote", "original")
    first.save()
    one, two = open_store(state_dir, clock), open_store(state_dir, clock)
    one.set_note(CLAIM, "quote", "older edit")
    two.set_note(CLAIM, "quote", "newer edit")
    two.save()
    one.save()  # saved last, but changed first
    assert [n.text for n in open_store(state_dir).annotations(Kind.NOTE)] == ["newer edit"]
    assert [n.text for n in one.annotations(Kind.NOTE)] == ["newer edit"]


def test_tombstones_are_forgotten_after_a_while(state_dir: Path) -> None:
    clock = Clock()
    store = open_store(state_dir, clock)
    bookmark = store.toggle_bookmark(CLAIM, "quote")
    store.remove(bookmark.id)
    store.save()
    assert len(document(state_dir)["annotations"]) == 1  # the tombstone
    clock.now += TOMBSTONE_AGE + timedelta(days=1)
    store.toggle_bookmark(SPAN, "later")
    store.save()
    assert [a["quote"] for a in document(state_dir)["annotations"]] == ["later"]


WRITER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from briefing_tui.core.library.model import Span
    from briefing_tui.core.places import Place
    from briefing_tui.core.state import StateStore

    folder, name, count = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    go = Path(sys.argv[4])
    while not go.exists():
        pass
    store = StateStore.open(Path("/libraries/summit"), folder=folder)
    for n in range(count):
        place = Place(f"briefs/{name}.yaml", "a", "sources/a.txt", span=Span(n, n + 1))
        store.toggle_bookmark(place, f"{name} {n}")
        store.set_note(Place("briefs/a.yaml", claim=name), name, f"{name} wrote {n}")
        store.remember(place, n)
        store.save()
    """
)


def writers(folder: Path, go: Path, count: int) -> Iterator[subprocess.Popen[bytes]]:
    for name in ("left", "right"):
        yield subprocess.Popen(
            [sys.executable, "-c", WRITER, str(folder), name, str(count), str(go)],
            stderr=subprocess.PIPE,
        )


def test_two_processes_saving_at_once_lose_nothing(state_dir: Path, tmp_path: Path) -> None:
    count = 40
    go = tmp_path / "go"
    processes = list(writers(state_dir, go, count))
    go.touch()
    for process in processes:
        _, errors = process.communicate(timeout=120)
        assert process.returncode == 0, errors.decode()
    store = open_store(state_dir)
    assert store.take_notice() is None
    quotes = {a.quote for a in store.annotations(Kind.BOOKMARK)}
    assert quotes == {f"{name} {n}" for name in ("left", "right") for n in range(count)}
    notes = {a.text for a in store.annotations(Kind.NOTE)}
    assert notes == {f"left wrote {count - 1}", f"right wrote {count - 1}"}
    assert asides(state_dir) == []
    assert not list(state_dir.glob(f"{TEMPORARY_PREFIX}*"))


def test_changes_made_while_a_save_is_writing_are_kept_for_the_next(
    state_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(state_dir)
    store.toggle_bookmark(CLAIM, "before")
    write = StateStore._write_merged

    def write_while_the_reader_changes(self: StateStore, *args: Any) -> Any:
        self.toggle_bookmark(SPAN, "during")  # the UI thread, while a worker saves
        self.remember(TOPIC, 3)
        return write(self, *args)

    monkeypatch.setattr(StateStore, "_write_merged", write_while_the_reader_changes)
    assert store.save()
    monkeypatch.undo()
    assert {a.quote for a in store.annotations()} == {"before", "during"}
    assert store.unsaved
    assert {a["quote"] for a in document(state_dir)["annotations"]} == {"before"}
    assert store.save() and not store.unsaved
    again = open_store(state_dir)
    assert {a.quote for a in again.annotations()} == {"before", "during"}
    assert again.last is not None and again.last.place == TOPIC
