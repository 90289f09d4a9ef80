"""The app: the library and its reloads, the search index, the palette and the screens."""

from __future__ import annotations

import gc
import os
import threading
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App
from textual.screen import Screen
from textual.worker import Worker, WorkerState, get_current_worker

from briefing_tui.core.library.loader import LibraryError, LibraryReader, Reading, locate_library
from briefing_tui.core.library.model import Library
from briefing_tui.core.places import hit_place, settle
from briefing_tui.core.state import StateError, StateStore
from briefing_tui.ui.labels import source_position
from briefing_tui.ui.palette import BriefingCommands
from briefing_tui.ui.screens.reader import ReaderScreen

if TYPE_CHECKING:
    # Search is imported after the first paint, so start-up does not pay for it.
    from briefing_tui.core.search.index import SearchHit, SearchIndex
    from briefing_tui.core.search.pending import IndexBuild

STATE_SAVE_EVERY = 3.0  # seconds between saves of the place while reading
# How often --watch looks at the brief files and the folders of sources (an editor's save
# shows at once), and every how many looks it checks every source file too (a file
# rewritten in place; one stat per source, too many to make ten times a second).
WATCH_INTERVAL = 0.1
THOROUGH_EVERY = 10
TERMINAL_CHECK_EVERY = 1.0  # seconds between looks at whether the terminal is still there


class BriefingApp(App[None]):
    """Read a library of briefs; with `watch`, follow the files as they change."""

    CSS_PATH = "briefing.tcss"
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {BriefingCommands}

    def __init__(
        self,
        library: Library,
        reader: LibraryReader | None = None,
        *,
        watch: bool = False,
        store: StateStore | None = None,
        fresh: bool = False,
        search_cache: bool = True,
        library_cache: bool = False,
        terminal: int | None = None,
    ) -> None:
        # `reader` loaded the library and reads it again on reload (without one, a reload
        # reads the library's root afresh); `store` keeps the reading state (none: nothing is
        # remembered); `fresh` opens on the first topic whatever the store remembers;
        # `search_cache` False indexes afresh, reading and writing no index cache;
        # `library_cache` writes what `reader` read to the library cache, once, after the
        # first index (reloads do not: the next start reads again what changed since);
        # `terminal` is the descriptor of the terminal the reader runs on, which it quits
        # once it is gone.
        super().__init__()
        self._terminal = terminal
        self._search_cache = search_cache
        self._library_cache = library_cache and reader is not None
        self.library = library
        self._library_reader = reader
        self._store = store
        self._fresh = fresh
        self.watching = watch
        self.search_index: SearchIndex | None = None
        self._index_build: IndexBuild | None = None
        self._search_failure: str | None = None
        self._heap_frozen = False  # see `settle_heap`

    def get_default_screen(self) -> Screen[None]:
        """The reader is the app's first screen."""
        return ReaderScreen(self.library, self._store, fresh=self._fresh)

    @property
    def reader(self) -> ReaderScreen:
        """The reader screen, wherever it is in the stack."""
        screen = self.screen_stack[0]
        assert isinstance(screen, ReaderScreen)
        return screen

    def on_mount(self) -> None:
        """Index after the first paint; follow the files, save the place, watch the terminal."""
        self.call_after_refresh(self._first_painted)
        if self.watching:
            self.watch_files()
        if self._store is not None:
            self.set_interval(STATE_SAVE_EVERY, self.save_state)
        if self._terminal is not None:
            self.set_interval(TERMINAL_CHECK_EVERY, self._quit_without_terminal)

    async def _quit_without_terminal(self) -> None:
        """Quit, as Ctrl+Q does, once the terminal has hung up: no key will ever come again."""
        # A terminal with no session of its own sends no SIGHUP when it closes, and Textual
        # would go on reading its end of file, at full speed, forever.
        if self._terminal is not None and not os.isatty(self._terminal):
            await self.action_quit()

    def _first_painted(self) -> None:
        """Collect garbage again (`briefing` pauses the collector while it starts), then index."""
        gc.enable()
        self.index_library()

    def save_state(self) -> None:
        """Remember where the reader is, and write what changed, off the UI thread."""
        self.reader.state.remember()
        if self._store is not None and self._store.unsaved:
            self._write_state()

    @work(thread=True, exclusive=True, group="state", exit_on_error=False)
    def _write_state(self) -> None:
        if self._store is None:
            return
        try:
            self._store.save()
        except StateError as error:  # the changes are kept for the next save
            self.call_from_thread(self.reader.refuse, str(error))

    async def action_quit(self) -> None:
        """Save the reading state, then quit."""
        # At once, not in a worker: the process is about to end.
        self.reader.state.save()
        await super().action_quit()

    # The library and its reloads

    def library_reader(self) -> LibraryReader:
        """What reads the library again (made on first use when the app was given none)."""
        if self._library_reader is None:
            self._library_reader = LibraryReader(locate_library(self.library.root))
        return self._library_reader

    @on(ReaderScreen.ReloadRequested)
    def reload_on_request(self) -> None:
        """Read the library again now."""
        self.reader.say("Reloading the library…")
        self.reload()

    @work(thread=True, group="reload", exit_on_error=False)
    def reload(self) -> None:
        """Read the files again off the UI thread; only what changed is re-read."""
        self._read_again()

    @work(thread=True, group="watch", exit_on_error=False)
    def watch_files(self) -> None:
        """Poll the library's files (sizes, times) and reload when one changes."""
        worker = get_current_worker()
        stop = threading.Event()
        looks = 0
        while not worker.is_cancelled and not stop.wait(WATCH_INTERVAL):
            looks += 1
            try:
                changed = self.library_reader().has_changed(thorough=looks % THOROUGH_EVERY == 0)
            except LibraryError as error:
                self.call_from_thread(self.reader.refuse, f"Cannot reload: {error}")
                stop.wait(1.0)  # the folder may come back; do not flood the status line
                continue
            if changed:
                self._read_again()

    def _read_again(self) -> None:
        try:
            reading = self.library_reader().read()
        except LibraryError as error:
            self.call_from_thread(self.reader.refuse, f"Cannot reload: {error}")
            return
        self.call_from_thread(self.show_reading, reading)

    def show_reading(self, reading: Reading) -> None:
        """Show a library read again, keep the place, and index it for search anew."""
        self.library = reading.library
        self.reader.show_library(reading.library)
        self.reader.say(reading.describe())
        self.search_index = None
        self._search_failure = None
        self._index_build = None  # a search opened from now on waits for the new index
        # After the repaint: the index is built in a thread that competes for the GIL.
        self.call_after_refresh(self.index_library)

    # Search

    def index_library(self) -> None:
        """Build the search index off the UI thread (from the cache when it is fresh), once."""
        from briefing_tui.core.search.pending import IndexBuild

        # A search opened before the repaint after which this runs has begun it already; a
        # second build beside it would only slow both down (they share the GIL).
        if self._index_build is not None:
            return
        self._index_build = IndexBuild()
        self._build_index(self._index_build, self.library)

    # Described, or Textual would describe the worker by the repr of its arguments: the
    # whole library, every source's text (0.4 s on the UI thread at 2,500 sources).
    @work(
        thread=True,
        exclusive=True,
        group="search-index",
        exit_on_error=False,
        description="index the library for search",
    )
    def _build_index(self, build: IndexBuild, library: Library) -> tuple[Library, SearchIndex]:
        """Read the index from the cache, or build it, and hand it to whoever waits."""
        from briefing_tui.core.search.cache import open_index
        from briefing_tui.core.search.index import SearchIndex

        try:
            try:
                location = (
                    self._library_reader.location
                    if self._library_reader is not None
                    else locate_library(library.root)
                )
            except LibraryError:  # a library made in memory: nothing to cache it by
                index = SearchIndex.build(library, build.report)
            else:
                index = open_index(
                    location, library, use_cache=self._search_cache, progress=build.report
                )
        except Exception as error:
            build.fail(f"Search is unavailable: {error}")
            raise
        build.finish(index)
        # In this thread, not on the first filter typed; after the hand-over, so that a
        # search already waiting runs meanwhile (filters wait for what they need).
        index.prepare()
        return library, index

    @on(Worker.StateChanged)
    def keep_search_index(self, event: Worker.StateChanged) -> None:
        """Keep the index when it is built, or why it could not be."""
        if event.worker.group != "search-index":
            return
        if event.state in (WorkerState.ERROR, WorkerState.SUCCESS) and self._library_cache:
            self._library_cache = False
            self._keep_library()
        if event.state is WorkerState.ERROR:
            self._search_failure = f"Search is unavailable: {event.worker.error}"
            self.settle_heap()
        elif event.state is WorkerState.SUCCESS:
            built: tuple[Library, SearchIndex] | None = event.worker.result
            if built is not None and built[0] is self.library:  # not since replaced by a reload
                self.search_index = built[1]
                self.settle_heap()

    # After the index, not beside it: serialising the library competes for the GIL, and
    # search is what the reader waits for.
    @work(
        thread=True,
        group="library-cache",
        exit_on_error=False,
        description="keep the library cache",
    )
    def _keep_library(self) -> None:
        """Write what the reader read to the library cache: the next start reads only changes."""
        from briefing_tui.core.library.cache import keep

        if self._library_reader is not None:
            keep(self._library_reader)

    def settle_heap(self) -> None:
        """Keep the library and its index, which live until a reload, out of full collections."""
        # A full collection walks every object it tracks: about 125 ms on a 1,000-source
        # library, a stall on whichever key meets it, every few dozen keys; frozen objects
        # are skipped. After a reload the old library is among them, and is let go first.
        if self._heap_frozen:
            gc.unfreeze()
            gc.collect()
        gc.freeze()
        self._heap_frozen = True

    def on_unmount(self) -> None:
        """Hand the frozen objects back to the collector: the process may go on (tests, serve)."""
        if self._heap_frozen:
            gc.unfreeze()
            self._heap_frozen = False

    async def on_event(self, event: events.Event) -> None:
        """Open search on its key at once, before the keys typed after it are handed on."""
        # Handled later, through the reader's binding, the keys right behind it (a fast
        # typist, a paste, a busy app) would reach the reader: the q of "/quota" quits.
        if isinstance(event, events.Key) and self.screen is self.screen_stack[0]:
            active = self.screen.active_bindings.get(event.key)
            if (
                active is not None
                and active.enabled
                and active.binding.action == "search"
                and isinstance(active.node, ReaderScreen)
            ):
                self.open_search()
                return
        await super().on_event(event)

    @on(ReaderScreen.SearchRequested)
    def open_search(self) -> None:
        """Open the search screen at once, indexed or not; the chosen hit opens in the reader."""
        if self._search_failure is not None:
            self.reader.refuse(self._search_failure)
            return
        self.index_library()  # begun already, unless before the repaint after a start or reload
        from briefing_tui.ui.screens.search import SearchScreen

        library = self.library

        def open_hit(hit: SearchHit | None) -> None:
            if hit is not None:
                self.open_hit(library, hit)

        assert self._index_build is not None
        notes = self.reader.state.searchable_notes()
        self.push_screen(SearchScreen(self._index_build, library, notes), open_hit)

    def open_hit(self, searched: Library, hit: SearchHit) -> None:
        """Show a chosen search hit: its text selected in its source, or its claim or topic."""
        from briefing_tui.core.search.hits import kind_label  # search loads after the first paint

        reader = self.reader
        found = hit_place(searched, hit, reader.place)
        # The library may have been reloaded while the search screen was open.
        place = settle(self.library, found) if found is not None else None
        if place is None:
            reader.refuse("No topic reads the source of this result")
            return
        reader.go(place)
        brief = self.library.brief_at(place.brief)
        assert brief is not None
        where = [f"topic {brief.index + 1} of {len(self.library.briefs)}"]
        claim = brief.claim(place.claim) if place.claim is not None else None
        if claim is not None:
            where.append(f"claim {claim.index + 1}")
        if place.source is not None and (place.span or place.passage):
            where.append(source_position(brief, place.source))
        others = len({searched.briefs[q.brief].path for q in hit.quotes} - {place.brief})
        if others:
            where.append(f"also quoted in {others} other topic{'s' * (others != 1)}")
        reader.say(" · ".join([f"search: {kind_label(hit)}", *where]))
