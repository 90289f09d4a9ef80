"""Files written whole or not at all: the caches and the reading state."""

from __future__ import annotations

import contextlib
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path

TEMPORARY_PREFIX = ".tmp-"
# A temporary file this old was left by a writer that died (killed mid-write): none takes long.
STALE_TEMPORARY_S = 3600.0


def write_atomically(target: Path, chunks: Iterable[bytes]) -> None:
    """Write a file whole or not at all: a temporary beside it, flushed to disk, renamed over."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _remove_stale_temporaries(target.parent)
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=TEMPORARY_PREFIX, suffix=target.suffix
    )
    try:
        with os.fdopen(handle, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(name, target)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise
    # The rename itself is durable only once the folder is synced.
    with contextlib.suppress(OSError):
        folder = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _remove_stale_temporaries(folder: Path) -> None:
    """Remove what writers that died left behind; another writer's file in use is kept."""
    deadline = time.time() - STALE_TEMPORARY_S
    for left in folder.glob(f"{TEMPORARY_PREFIX}*"):
        with contextlib.suppress(OSError):  # gone meanwhile, or not ours to remove
            if left.lstat().st_mtime < deadline:
                left.unlink()
