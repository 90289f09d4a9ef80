"""An index still being built in another thread: how far it has got, then it or why not."""

from __future__ import annotations

import threading

from briefing_tui.core.search.index import SearchIndex


class IndexBuild:
    """A search index on its way: searches wait for it, screens show its progress."""

    def __init__(self) -> None:
        self._done = threading.Event()
        self._index: SearchIndex | None = None
        self._error: str | None = None
        self.progress = 0.0  # from 0 to 1: written by the builder, read by whoever shows it

    @classmethod
    def of(cls, index: SearchIndex) -> IndexBuild:
        """An index that is already there."""
        build = cls()
        build.finish(index)
        return build

    @property
    def done(self) -> bool:
        """Whether the index is built, or failed to be."""
        return self._done.is_set()

    @property
    def index(self) -> SearchIndex | None:
        """The index, once built."""
        return self._index

    @property
    def error(self) -> str | None:
        """Why there is no index, if the build failed."""
        return self._error

    def report(self, fraction: float) -> None:
        """Note how far the build has got (0 to 1)."""
        self.progress = min(max(fraction, 0.0), 1.0)

    def finish(self, index: SearchIndex) -> None:
        """Hand over the built index to whoever waits for it."""
        self._index = index
        self.progress = 1.0
        self._done.set()

    def fail(self, error: str) -> None:
        """Say why there will be no index."""
        self._error = error
        self._done.set()

    def wait(self, timeout: float | None = None) -> SearchIndex | None:
        """The index once built (None if the build failed or the wait timed out)."""
        self._done.wait(timeout)
        return self._index
