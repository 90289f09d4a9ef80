"""Files written whole or not at all (the caches and the reading state share the writer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from briefing_tui.core.atomic import TEMPORARY_PREFIX, write_atomically


def test_a_file_is_written_whole_in_a_folder_made_for_it(tmp_path: Path) -> None:
    target = tmp_path / "made" / "file.json"
    write_atomically(target, [b"one ", b"two"])
    assert target.read_bytes() == b"one two"
    assert (target.parent.stat().st_mode & 0o777) == 0o700
    write_atomically(target, [b"three"])
    assert target.read_bytes() == b"three"
    assert sorted(path.name for path in target.parent.iterdir()) == ["file.json"]


def test_a_write_that_fails_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "file.json"
    target.write_bytes(b"old")

    def chunks() -> Iterator[bytes]:
        yield b"half of the new"
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space"):
        write_atomically(target, chunks())
    assert target.read_bytes() == b"old"
    assert not list(tmp_path.glob(f"{TEMPORARY_PREFIX}*"))
