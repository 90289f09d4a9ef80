"""The reader: topics, the source view, the claim panel and the jumps between passages."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.widgets import Footer, Static
from textual.worker import Worker, WorkerState

from briefing_tui.core.library.model import Brief, Library, Passage
from briefing_tui.core.library.text import escape_name
from briefing_tui.core.places import (
    History,
    Jump,
    JumpKind,
    Place,
    claim_place,
    first_with_partner,
    hit_place,
    in_source,
    related,
    source_position,
    topic_place,
)
from briefing_tui.ui.keys import READER_BINDINGS, READING_ACTIONS
from briefing_tui.ui.labels import claim_line
from briefing_tui.ui.palette import BriefingCommands
from briefing_tui.ui.widgets.claim_panel import ClaimPanel
from briefing_tui.ui.widgets.source_tabs import SourceTabs
from briefing_tui.ui.widgets.source_view import Highlight, HighlightKind, SourceView
from briefing_tui.ui.widgets.status import LocationBar, StatusLine
from briefing_tui.ui.widgets.topics import TopicTree

if TYPE_CHECKING:
    # Search is imported after the first paint, so start-up does not pay for it; so are
    # the help and problems screens, when first asked for.
    from briefing_tui.core.search.index import SearchHit, SearchIndex


def empty_message(library: Library) -> Content:
    """What to tell a reader whose library has no brief to show."""
    # Escaped like every file name in the model: the folder's name is untrusted.
    root = escape_name(str(library.root))
    lines = [
        (f"No briefs to show in {root}.", "bold"),
        "\n\nA library holds a briefs/ folder with one YAML file per topic, naming its"
        " sources and claims (see the README for the format).",
        f"\nAdd a brief as {root}/briefs/<topic>.yaml, then run: briefing check {root}",
    ]
    if library.diagnostics:
        lines.append(
            (f"\n\n{len(library.diagnostics)} problems were found while loading: press e.", "bold")
        )
    return Content.assemble(*lines)


class BriefingApp(App[None]):
    """Read a library of briefs: topics, sources with passages highlighted, and jumps."""

    CSS_PATH = "briefing.tcss"
    TITLE = "briefing"
    COMMANDS = App.COMMANDS | {BriefingCommands}
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    # "-tall" has no rules of its own: it takes "-short" off, so the default rows apply.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    BINDINGS = READER_BINDINGS

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.history = History()
        self.place: Place | None = None
        self.search_index: SearchIndex | None = None
        self._search_waiting = False
        self._search_failure: str | None = None

    def compose(self) -> ComposeResult:
        """The location bar, the three panes (or the empty-library message) and the footer."""
        yield LocationBar(self.library, id="location")
        if self.library.briefs:
            with Grid(id="body"):
                yield TopicTree(self.library, id="topics")
                with Vertical(id="reader"):
                    first = topic_place(self.library, 0)
                    yield SourceTabs(self.library.briefs[0], first.source_key, id="tabs")
                    yield SourceView(id="source")
                yield ClaimPanel(id="claim")
        else:
            yield Static(empty_message(self.library), id="empty")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Open the first topic, or say why there is nothing to open."""
        self.query_one(LocationBar).show(None)
        if not self.library.briefs:
            self.query_one(StatusLine).say("No briefs in this library.", refused=True)
            return
        self.go(topic_place(self.library, 0), record=False)
        self.query_one(TopicTree).focus()
        self.query_one(StatusLine).say("Enter chooses a topic or claim; ? lists every key.")
        self.call_after_refresh(self.index_library)

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def index_library(self) -> SearchIndex:
        """Build the search index off the UI thread, after the first paint."""
        from briefing_tui.core.search.index import SearchIndex

        return SearchIndex.build(self.library)

    @on(Worker.StateChanged)
    def keep_search_index(self, event: Worker.StateChanged) -> None:
        """Keep the index when it is built, and open search if the reader is waiting for it."""
        if event.worker.group != "search-index":
            return
        if event.state is WorkerState.ERROR:
            self._search_failure = f"Search is unavailable: {event.worker.error}"
            if self._search_waiting:
                self.refuse(self._search_failure)
        elif event.state is WorkerState.SUCCESS:
            self.search_index = event.worker.result
            if self._search_waiting:
                self.action_search()
        else:
            return
        self._search_waiting = False

    # Places

    @property
    def brief(self) -> Brief | None:
        """The topic shown."""
        return self.library.briefs[self.place.brief] if self.place else None

    def go(self, place: Place, *, record: bool = True) -> None:
        """Show a place, remembering the one left in the history."""
        if record and self.place is not None and place != self.place:
            self.history.record(self.place)
        previous, self.place = self.place, place
        brief = self.library.briefs[place.brief]
        self.query_one(TopicTree).show_place(place.brief, place.claim)
        self.query_one(SourceTabs).show(brief, place.source_key)
        self.query_one(ClaimPanel).show(brief, place.claim, place.passage)
        view = self.query_one(SourceView)
        selected = self.library.passage(place.passage).span if place.passage else place.span
        same_source = (
            previous is not None
            and previous.brief == place.brief
            and previous.source_key == place.source_key
        )
        highlights = self.highlights(brief, place.source_key)
        if same_source:
            view.set_highlights(highlights, selected)
        else:
            source = brief.source(place.source_key) if place.source_key else None
            view.show(source.source.text if source else "", highlights, selected)
        self.query_one(LocationBar).show(place)

    @staticmethod
    def highlights(brief: Brief, source_key: str | None) -> list[Highlight]:
        """Every passage of the topic in one source, marked by stance."""
        if source_key is None:
            return []
        return [
            Highlight(p.span, HighlightKind(p.stance.value), p.ref)
            for p in brief.passages_in(source_key)
            if p.span is not None
        ]

    def land(self, passage: Passage, why: str) -> None:
        """Select a passage (switching source if needed) and say where and why."""
        brief = self.library.briefs[passage.ref.brief]
        label = source_position(brief, passage.source_key)
        if passage.span is None:
            self.refuse(f"Orphaned: this quote was not found in {label}")
            return
        self.go(Place(brief.index, passage.source_key, passage.ref.claim, passage.ref))
        claim = f"claim {passage.ref.claim + 1}"
        role = claim if why == passage.stance else f"{passage.stance} {claim}"
        self.say(f"{why} · {role} · {label}")

    def say(self, message: str) -> None:
        """Tell the reader what happened."""
        self.query_one(StatusLine).say(message)

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        self.query_one(StatusLine).say(message, refused=True)
        self.bell()

    def current_passage(self) -> Passage | None:
        """The selected passage, if any."""
        return (
            self.library.passage(self.place.passage) if self.place and self.place.passage else None
        )

    # Actions

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reading keys need a topic; without briefs they are hidden."""
        # Hidden, not greyed out: the footer and help then offer only what works.
        return bool(self.library.briefs) or action not in READING_ACTIONS

    def action_next_topic(self) -> None:
        """Show the next topic."""
        self.step_topic(+1)

    def action_previous_topic(self) -> None:
        """Show the previous topic."""
        self.step_topic(-1)

    def step_topic(self, step: int) -> None:
        """Move by `step` topics, refusing past either end."""
        if self.place is None:
            return
        index = self.place.brief + step
        if not 0 <= index < len(self.library.briefs):
            self.refuse("Already at the last topic" if step > 0 else "Already at the first topic")
            return
        self.go(topic_place(self.library, index))
        brief = self.library.briefs[index]
        self.say(f"topic {index + 1} of {len(self.library.briefs)} · {brief.title}")

    def action_jump(self, kind_name: str) -> None:
        """Jump to the next/previous passage, or to a corroborating/conflicting one."""
        if self.place is None or self.brief is None:
            return
        kind = JumpKind[kind_name.upper()]
        current = self.current_passage()
        if kind in (JumpKind.NEXT, JumpKind.PREVIOUS):
            if self.place.source_key is None:
                self.refuse("This topic has no sources")
                return
            # From the selected passage or search hit; with neither, from either end.
            offset = self.place.span.start if self.place.span else None
            jump = in_source(self.brief, self.place.source_key, self.place.passage, offset, kind)
        else:
            claim = self.place.claim if current is None else current.ref.claim
            if claim is None:
                jump = first_with_partner(self.brief, kind)
            else:
                jump = related(self.brief.claims[claim], current, kind)
        self.follow(jump)

    def follow(self, jump: Jump) -> None:
        """Land where a jump goes, or say why it goes nowhere."""
        if jump.target is None:
            self.refuse(jump.reason)
        else:
            self.land(jump.target, jump.reason)

    def action_back(self) -> None:
        """Return to where the last jump left."""
        if self.place is None:
            return
        place = self.history.back(self.place)
        if place is None:
            self.refuse("Nothing to go back to")
            return
        self.go(place, record=False)
        self.say("back")

    def action_forward(self) -> None:
        """Go forward again after going back."""
        if self.place is None:
            return
        place = self.history.forward(self.place)
        if place is None:
            self.refuse("Nothing to go forward to")
            return
        self.go(place, record=False)
        self.say("forward")

    def action_next_source(self) -> None:
        """Show the topic's next source, keeping the claim."""
        brief = self.brief
        if self.place is None or brief is None or not brief.sources:
            self.refuse("This topic has no sources")
            return
        keys = [s.key for s in brief.sources]
        position = keys.index(self.place.source_key) if self.place.source_key in keys else -1
        self.open_source_of(brief.index, keys[(position + 1) % len(keys)])

    def action_search(self) -> None:
        """Open the search screen; the chosen hit opens in the reader."""
        if self._search_failure is not None:
            self.refuse(self._search_failure)
            return
        if self.search_index is None:
            self._search_waiting = True
            self.say("Indexing the library for search…")
            return
        from briefing_tui.ui.screens.search import SearchScreen

        self.push_screen(SearchScreen(self.search_index, self.library), self.open_hit)

    def open_hit(self, hit: SearchHit | None) -> None:
        """Show a chosen search hit: its text selected in its source, or its claim or topic."""
        if hit is None:
            return
        place = hit_place(self.library, hit, self.place)
        if place is None:
            self.refuse("No topic reads the source of this result")
            return
        self.go(place)
        brief = self.library.briefs[place.brief]
        where = [f"topic {brief.index + 1} of {len(self.library.briefs)}"]
        if place.claim is not None:
            where.append(f"claim {place.claim + 1}")
        if place.source_key is not None and (place.span or place.passage):
            where.append(source_position(brief, place.source_key))
        self.say(" · ".join([f"search: {hit.kind}", *where]))

    def action_help(self) -> None:
        """List every active key."""
        from briefing_tui.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.screen.active_bindings))

    def action_problems(self) -> None:
        """List the problems found while loading."""
        from briefing_tui.ui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(self.library.diagnostics))

    # What the widgets report

    @on(TopicTree.TopicChosen)
    def open_topic_or_claim(self, event: TopicTree.TopicChosen) -> None:
        """Show the topic or claim chosen in the sidebar."""
        self.open_claim(event.brief, event.claim)

    @on(TopicTree.TopicHighlighted)
    def peek_at_topic_or_claim(self, event: TopicTree.TopicHighlighted) -> None:
        """Show the highlighted topic or claim in full: the sidebar cuts long ones short."""
        # The cursor also follows every jump; the place shown needs no peek.
        if self.place is None or (event.brief, event.claim) == (self.place.brief, self.place.claim):
            return
        brief = self.library.briefs[event.brief]
        if event.claim is None:
            where = f"topic {brief.index + 1} of {len(self.library.briefs)} · "
            self.query_one(StatusLine).peek(Content.assemble(where, (brief.title, "bold")))
            return
        claim = brief.claims[event.claim]
        where = f"claim {claim.index + 1} of {len(brief.claims)} · "
        self.query_one(StatusLine).peek(Content.assemble(where, claim_line(claim)))

    @on(ClaimPanel.ClaimChosen)
    def open_claim_from_overview(self, event: ClaimPanel.ClaimChosen) -> None:
        """Show the claim chosen in the topic overview."""
        self.open_claim(event.brief, event.claim)

    def open_claim(self, brief: int, claim: int | None) -> None:
        """Show a topic, or one of its claims with its first passage selected."""
        if claim is None:
            self.go(topic_place(self.library, brief))
            self.say(f"topic {brief + 1} of {len(self.library.briefs)}")
            return
        shown = self.place.source_key if self.place and self.place.brief == brief else None
        place = claim_place(self.library, brief, claim, shown)
        self.go(place)
        if place.passage is None:
            self.refuse("None of this claim's quotes were found in its sources")
        else:
            where = source_position(self.library.briefs[brief], place.source_key or "")
            self.say(f"claim {claim + 1} · {where}")

    @on(ClaimPanel.PassageChosen)
    @on(SourceView.PassageClicked)
    def open_passage(self, event: ClaimPanel.PassageChosen | SourceView.PassageClicked) -> None:
        """Jump to the passage chosen in the claim panel or clicked in the text."""
        self.land(self.library.passage(event.ref), "chosen")

    @on(SourceTabs.SourceChosen)
    def open_chosen_source(self, event: SourceTabs.SourceChosen) -> None:
        """Show the source whose tab was chosen."""
        if self.place is not None:
            self.open_source_of(self.place.brief, event.key)

    def open_source_of(self, brief: int, key: str) -> None:
        """Show one source of a topic, keeping the claim when the topic stays the same."""
        claim = self.place.claim if self.place and self.place.brief == brief else None
        self.go(Place(brief, key, claim))
        self.say(source_position(self.library.briefs[brief], key))


def make_app(library: Library) -> BriefingApp:
    """The reader for a loaded library (one factory for the CLI and the tests)."""
    return BriefingApp(library)
