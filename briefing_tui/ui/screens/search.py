"""The search screen: a query box, ranked results as you type, and a preview of each."""

from __future__ import annotations

from collections.abc import Sequence

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from briefing_tui.core.library.model import Library
from briefing_tui.core.search.catalog import Catalog
from briefing_tui.core.search.hits import (
    KIND_WIDTH,
    hit_context,
    hit_label,
    kind_label,
    match_runs,
    no_results_hint,
    snippet,
)
from briefing_tui.core.search.index import SearchHit, SearchIndex
from briefing_tui.core.search.own_notes import OwnNote, OwnNotesSearch, merged
from briefing_tui.core.search.pending import IndexBuild
from briefing_tui.core.search.units import HitKind
from briefing_tui.ui.labels import stance_mark

PLACEHOLDER = "words  'exact  ^start  end$  !not  a | b  source: topic: stance: kind:"
RESULT_LIMIT = 100
SNIPPET_CHARS = 160  # results wrap in the list; this keeps each to a few lines
MATCH_STYLE = "bold reverse"
PROGRESS_EVERY = 0.1  # seconds between updates of "indexing the library… N%"
UNIT_STYLE = "underline"


def highlighted(text: str, matches: tuple[int, ...], offset: int = 0) -> Content:
    """Untrusted text as Content, with the matched characters (shifted by offset) styled."""
    content = Content(text)
    for start, end in match_runs(matches):
        content = content.stylize(MATCH_STYLE, start + offset, end + offset)
    return content


class SearchScreen(ModalScreen[SearchHit | None]):
    """Search the whole library; dismisses with the chosen hit, or None.

    It opens at once, before the index is built: it takes every key, shows how far the
    index has got, and runs the query typed so far when the index is ready.
    """

    BINDINGS = [
        Binding("escape", "close", "Close", id="search.close", tooltip="Close without opening"),
        Binding(
            "down", "move(1)", "Next result", id="search.next", tooltip="Highlight the next result"
        ),
        Binding(
            "up",
            "move(-1)",
            "Previous result",
            id="search.previous",
            tooltip="Highlight the previous result",
        ),
        Binding(
            "pagedown",
            "move(10)",
            "Results down",
            id="search.page_down",
            tooltip="Ten results down",
            show=False,
        ),
        Binding(
            "pageup",
            "move(-10)",
            "Results up",
            id="search.page_up",
            tooltip="Ten results up",
            show=False,
        ),
    ]

    DEFAULT_CSS = """
    SearchScreen {
        align: center middle;
        #search {
            width: 94%; height: 90%; border: thick $primary; background: $surface;
        }
        #search-query { margin: 0 1; }
        #search-status { height: 1; padding: 0 2; color: $text-muted; }
        #search-body { height: 1fr; }
        #search-results { width: 3fr; height: 1fr; border: none; }
        #search-preview-scroll {
            width: 2fr; height: 1fr; border-left: solid $primary-muted; padding: 0 1;
        }
        #search-help { height: 1; padding: 0 2; color: $text-muted; }
    }
    """

    def __init__(
        self,
        index: SearchIndex | IndexBuild,
        library: Library,
        own_notes: Sequence[OwnNote] = (),
    ) -> None:
        super().__init__()
        self._build = index if isinstance(index, IndexBuild) else IndexBuild.of(index)
        self._library = library
        self._own_notes = own_notes  # the reader's, searched beside the library's index
        self._own_search: OwnNotesSearch | None = None
        self._progress_timer: Timer | None = None
        self._latest_query = ""
        self._hits: list[SearchHit] = []

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        """The results shown, in order."""
        return tuple(self._hits)

    def compose(self) -> ComposeResult:
        """The query box, a status line, results beside a preview, and a key reminder."""
        with Vertical(id="search"):
            yield Input(placeholder=PLACEHOLDER, id="search-query")
            yield Static(Content(""), id="search-status")
            with Horizontal(id="search-body"):
                yield OptionList(id="search-results")
                with VerticalScroll(id="search-preview-scroll"):
                    yield Static(Content(""), id="search-preview")
            yield Static(
                Content("↑↓ choose · Enter open · Esc close"),
                id="search-help",
            )

    def on_mount(self) -> None:
        """Start with the cursor in the query box, saying how far indexing has got."""
        results = self.query_one("#search-results", OptionList)
        results.can_focus = False  # typing never leaves the query box
        box = self.query_one("#search-query", Input)
        box.select_on_focus = False  # a letter typed while it takes the focus back stays
        box.focus()
        if not self._build.done:
            self._progress_timer = self.set_interval(PROGRESS_EVERY, self._show_progress)
            self._show_progress()

    def _show_progress(self) -> None:
        """Say how far indexing has got, or, once done, what the query found."""
        build = self._build
        if build.done:
            if self._progress_timer is not None:
                self._progress_timer.stop()
            if build.error is not None:
                self._say(build.error)
            elif not self._latest_query.strip():
                self._say("")
            return  # a query typed meanwhile is running, and says what it found
        percent = f" {build.progress:.0%}" if build.progress else ""
        waiting = " (the query runs when it is ready)" if self._latest_query.strip() else ""
        self._say(f"indexing the library…{percent}{waiting}")

    def _say(self, status: str) -> None:
        self.query_one("#search-status", Static).update(Content(status))

    def on_key(self, event: events.Key) -> None:
        """A letter typed anywhere on the screen goes into the query box."""
        # Keys pressed right after "/" can reach the screen before the box has the focus.
        box = self.query_one("#search-query", Input)
        if event.is_printable and event.character and not box.has_focus:
            box.focus()
            box.insert_text_at_cursor(event.character)
            event.stop()

    @property
    def catalog(self) -> Catalog | None:
        """What labelling hits needs, once the index is built."""
        index = self._build.index
        return index.catalog if index is not None else None

    @on(Input.Changed, "#search-query")
    def _query_changed(self, event: Input.Changed) -> None:
        self._start(event.value)

    def _start(self, query: str) -> None:
        self._latest_query = query
        if not query.strip():
            self._show([])
            return
        self._run_search(query)

    @work(thread=True, exclusive=True, group="search", name="search")
    def _run_search(self, query: str) -> tuple[str, list[SearchHit]] | None:
        """Search off the UI thread, once the index is built; a newer query cancels this one."""
        index = self._build.wait()
        if index is None or get_current_worker().is_cancelled:
            return None  # no index, or a newer query runs instead
        found = index.search(query, limit=RESULT_LIMIT)
        if not self._own_notes:
            return query, found
        if self._own_search is None:  # the labels and catalog of the library's index
            self._own_search = OwnNotesSearch(self._own_notes, index.labels, index.catalog)
        own = self._own_search.search(query, limit=RESULT_LIMIT)
        return query, merged(found, own, RESULT_LIMIT)

    @on(Worker.StateChanged)
    def _search_finished(self, event: Worker.StateChanged) -> None:
        if event.worker.name != "search" or event.state is not WorkerState.SUCCESS:
            return
        result: tuple[str, list[SearchHit]] | None = event.worker.result
        if result is None:
            return
        query, hits = result
        if query == self._latest_query:  # results of a stale query are dropped
            self._show(hits)

    def _show(self, hits: list[SearchHit]) -> None:
        self._hits = hits
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        results.add_options(Option(self._result(hit)) for hit in hits)
        if hits:
            results.highlighted = 0
        else:
            self._preview(None)
        count = len(hits)
        status = "" if not self._latest_query.strip() else f"{count} result{'s' * (count != 1)}"
        if count == RESULT_LIMIT:
            status = f"first {count} results"
        elif status and not count:
            status = f"no results: {no_results_hint(self._latest_query)}"
        if not self._build.done:
            return  # still indexing: the progress stays in the status line
        self._say(status)

    def _result(self, hit: SearchHit) -> Content:
        place = Content.styled(f"{kind_label(hit):<{KIND_WIDTH}}", "bold") + Content.styled(
            self._label(hit), "dim"
        )
        cut, matches = snippet(hit.text, hit.matches, SNIPPET_CHARS)
        return Content("\n").join([place, Content("  ") + highlighted(cut, matches)])

    @on(OptionList.OptionHighlighted, "#search-results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(self._hits[event.option_index])

    @on(OptionList.OptionSelected, "#search-results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._hits[event.option_index])

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        hit = self.highlighted_hit
        if hit is not None:
            self.dismiss(hit)

    @property
    def highlighted_hit(self) -> SearchHit | None:
        """The result under the cursor."""
        index = self.query_one("#search-results", OptionList).highlighted
        return self._hits[index] if index is not None and index < len(self._hits) else None

    def action_move(self, step: int) -> None:
        """Move the cursor through the results while the query box keeps the focus."""
        results = self.query_one("#search-results", OptionList)
        if not self._hits:
            return
        current = results.highlighted if results.highlighted is not None else -1
        results.highlighted = max(0, min(len(self._hits) - 1, current + step))

    def action_close(self) -> None:
        """Close without choosing."""
        self.dismiss(None)

    def _preview(self, hit: SearchHit | None) -> None:
        preview = self.query_one("#search-preview", Static)
        if hit is None:
            preview.update(Content(""))
            return
        context, offset = hit_context(self._library, hit)
        body = highlighted(context, hit.matches, offset)
        if hit.kind is HitKind.TEXT:
            body = body.stylize(UNIT_STYLE, offset, offset + len(hit.text))
        if hit.kind is HitKind.TITLE:  # a title is its own heading
            parts = [body.stylize("bold")]
        else:
            heading = (
                f"{kind_label(hit)} · {self._label(hit)}" if hit.by_reader else self._label(hit)
            )
            parts = [Content.styled(heading, "bold"), body]
        parts += self._details(hit)
        preview.update(Content("\n\n").join(parts))
        self.query_one("#search-preview-scroll", VerticalScroll).scroll_home(animate=False)

    def _label(self, hit: SearchHit) -> str:
        catalog = self.catalog
        return hit_label(catalog, hit) if catalog is not None else ""

    def _details(self, hit: SearchHit) -> list[Content]:
        """What else a reader wants beside a non-text hit: its claim and passages."""
        if hit.brief is None or hit.kind in (HitKind.TEXT, HitKind.SOURCE):
            return []
        brief = self._library.briefs[hit.brief]
        if hit.claim is None:
            summary = [Content(brief.summary)] if brief.summary else []
            claims = [Content(f"• {claim.text}") for claim in brief.claims]
            return summary + ([Content("\n").join(claims)] if claims else [])
        claim = brief.claims[hit.claim]
        lines = [] if hit.kind is HitKind.CLAIM else [Content.styled(claim.text, "italic")]
        for number, passage in enumerate(claim.passages):
            if hit.passage is not None and number != hit.passage:
                continue
            label = brief.source_label(passage.source_key)
            stance = stance_mark(passage.stance, passage.stance.value)
            lines.append(stance + Content(f" · {label}: “{passage.quote}”"))
        return [Content("\n").join(lines)] if lines else []
