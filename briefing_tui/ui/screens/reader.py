"""The reader screen: topics, the source view, the claim panel and the jumps between passages."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing_tui.core.library.model import Brief, Claim, Library, Passage
from briefing_tui.core.library.text import escape_name
from briefing_tui.core.places import (
    History,
    Jump,
    JumpKind,
    Located,
    Place,
    claim_place,
    first_with_partner,
    in_source,
    locate,
    passage_place,
    related,
    settle,
    source_place,
    topic_place,
)
from briefing_tui.ui.keys import READER_BINDINGS, READING_ACTIONS
from briefing_tui.ui.labels import claim_line, source_position
from briefing_tui.ui.widgets.claim_panel import ClaimPanel
from briefing_tui.ui.widgets.source_tabs import SourceTabs
from briefing_tui.ui.widgets.source_view import Highlight, HighlightKind, SourceView
from briefing_tui.ui.widgets.status import LocationBar, StatusLine
from briefing_tui.ui.widgets.topics import TopicTree


def empty_message(library: Library) -> Content:
    """What to tell a reader whose library has no brief to show."""
    # Escaped like every file name in the model: the folder's name is untrusted.
    root = escape_name(str(library.root))
    lines: list[str | tuple[str, str]] = [
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


class ReaderScreen(Screen[None]):
    """Read a library of briefs: where the reader stands, its history, and every reading key."""

    BINDINGS: ClassVar[list[BindingType]] = [*READER_BINDINGS]
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    # "-tall" has no rules of its own: it takes "-short" off, so the default rows apply.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    class SearchRequested(Message):
        """The reader asked to search the library."""

    class ReloadRequested(Message):
        """The reader asked to read the library again from its files."""

    def __init__(self, library: Library) -> None:
        super().__init__(id="reader")
        self.library = library
        self.history = History()
        self.place: Place | None = None

    def compose(self) -> ComposeResult:
        """The location bar, the three panes (or the empty-library message) and the footer."""
        yield LocationBar(id="location")
        with Grid(id="body"):
            yield TopicTree(id="topics")
            with Vertical(id="reader-source"):
                yield SourceTabs(id="tabs")
                yield SourceView(id="source")
            yield ClaimPanel(id="claim")
        yield Static(id="empty")
        yield StatusLine(id="status")
        yield Footer()

    def on_mount(self) -> None:
        """Open the first topic, or say why there is nothing to open."""
        self.show_library(self.library)
        if self.library.briefs:
            self.query_one(TopicTree).focus()
            self.say("Enter chooses a topic or claim; ? lists every key.")

    def show_library(self, library: Library) -> None:
        """Read a library (the first, or a reloaded one), keeping the place where it still is."""
        self.library = library
        self.query_one(LocationBar).show_library(library)
        self.query_one(TopicTree).show_library(library)
        self.query_one(ClaimPanel).forget()
        self.query_one("#body").display = bool(library.briefs)
        empty = self.query_one("#empty", Static)
        empty.display = not library.briefs
        if not library.briefs:
            empty.update(empty_message(library))
            self.place = None
            self.query_one(LocationBar).show(library, None)
            self.refuse("No briefs in this library.")
            return
        kept = settle(library, self.place) if self.place is not None else None
        self.go(kept or topic_place(library.briefs[0]), record=False)

    # Places

    def located(self) -> Located | None:
        """What the current place names in the library."""
        return locate(self.library, self.place) if self.place is not None else None

    @property
    def brief(self) -> Brief | None:
        """The topic shown."""
        located = self.located()
        return located.brief if located else None

    def go(self, place: Place, *, record: bool = True) -> None:
        """Show a place of this library, remembering the one left in the history."""
        located = locate(self.library, place)
        if located is None:
            return
        if record and self.place is not None and place != self.place:
            self.history.record(self.place)
        self.place = place
        brief = located.brief
        self.query_one(TopicTree).show_place(brief.path, place.claim)
        self.query_one(SourceTabs).show(brief, place.source)
        self.query_one(ClaimPanel).show(brief, located.claim, located.passage)
        view = self.query_one(SourceView)
        selected = place.passage or place.span
        highlights = self.highlights(brief, place.source)
        text = located.source.source.text if located.source else ""
        if view.text is text or view.text == text:
            view.set_highlights(highlights, selected)  # the same text keeps its scroll
        else:
            view.show(text, highlights, selected)
        self.query_one(LocationBar).show(self.library, located)

    @staticmethod
    def highlights(brief: Brief, source_key: str | None) -> list[Highlight]:
        """Every passage of the topic in one source, marked by stance."""
        if source_key is None:
            return []
        return [
            Highlight(p.span, HighlightKind(p.stance.value), p)
            for p in brief.passages_in(source_key)
            if p.span is not None
        ]

    def land(self, passage: Passage, why: str) -> None:
        """Select a passage of the current topic (switching source if needed); say where, why."""
        brief = self.brief
        if brief is None:
            return
        label = source_position(brief, passage.source_key)
        if passage.span is None:
            self.refuse(f"Orphaned: this quote was not found in {label}")
            return
        self.go(passage_place(brief, passage))
        claim = brief.claim(passage.claim)
        number = f"claim {claim.index + 1}" if claim else "claim"
        role = number if why == passage.stance else f"{passage.stance} {number}"
        self.say(f"{why} · {role} · {label}")

    def say(self, message: str) -> None:
        """Tell the reader what happened."""
        self.query_one(StatusLine).say(message)

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        self.query_one(StatusLine).say(message, refused=True)
        self.app.bell()

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
        brief = self.brief
        if brief is None:
            return
        index = brief.index + step
        if not 0 <= index < len(self.library.briefs):
            self.refuse("Already at the last topic" if step > 0 else "Already at the first topic")
            return
        target = self.library.briefs[index]
        self.go(topic_place(target))
        self.say(f"topic {index + 1} of {len(self.library.briefs)} · {target.title}")

    def action_jump(self, kind_name: str) -> None:
        """Jump to the next/previous passage, or to a corroborating/conflicting one."""
        located = self.located()
        if self.place is None or located is None:
            return
        kind = JumpKind[kind_name.upper()]
        current = located.passage
        if kind in (JumpKind.NEXT, JumpKind.PREVIOUS):
            if self.place.source is None:
                self.refuse("This topic has no sources")
                return
            # From the selected passage or search hit; with neither, from either end.
            offset = self.place.span.start if self.place.span else None
            jump = in_source(located.brief, self.place.source, current, offset, kind)
        elif located.claim is None:
            jump = first_with_partner(located.brief, kind)
        else:
            jump = related(located.claim, current, kind)
        self.follow(jump)

    def follow(self, jump: Jump) -> None:
        """Land where a jump goes, or say why it goes nowhere."""
        if jump.target is None:
            self.refuse(jump.reason)
        else:
            self.land(jump.target, jump.reason)

    def action_go_back(self) -> None:
        """Return to where the last jump left."""
        self._retrace(self.history.back, "back", "Nothing to go back to")

    def action_go_forward(self) -> None:
        """Go forward again after going back."""
        self._retrace(self.history.forward, "forward", "Nothing to go forward to")

    def _retrace(self, step: Callable[[Place], Place | None], said: str, refusal: str) -> None:
        if self.place is None:
            return
        place = step(self.place)
        if place is None:
            self.refuse(refusal)
            return
        # A place from before a reload is found again in the library as it is now.
        settled = settle(self.library, place)
        if settled is not None:
            self.go(settled, record=False)
            self.say(said)

    def action_next_source(self) -> None:
        """Show the topic's next source, keeping the claim."""
        brief = self.brief
        if self.place is None or brief is None or not brief.sources:
            self.refuse("This topic has no sources")
            return
        keys = [s.key for s in brief.sources]
        position = keys.index(self.place.source) if self.place.source in keys else -1
        self.open_source(brief, keys[(position + 1) % len(keys)])

    def action_search(self) -> None:
        """Ask for the search screen; the chosen hit comes back through `open_place`."""
        self.post_message(self.SearchRequested())

    def action_reload(self) -> None:
        """Ask for the library to be read again from its files."""
        self.post_message(self.ReloadRequested())

    def action_help(self) -> None:
        """List every active key."""
        from briefing_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings))

    def action_problems(self) -> None:
        """List the problems found while loading."""
        from briefing_tui.ui.screens.problems import ProblemsScreen

        self.app.push_screen(ProblemsScreen(self.library.diagnostics))

    # What the widgets report

    @on(TopicTree.TopicChosen)
    def open_topic_or_claim(self, event: TopicTree.TopicChosen) -> None:
        """Show the topic or claim chosen in the sidebar."""
        brief = self.library.brief_at(event.brief)
        if brief is not None:
            self.open_claim(brief, brief.claim(event.claim) if event.claim else None)

    @on(TopicTree.TopicHighlighted)
    def peek_at_topic_or_claim(self, event: TopicTree.TopicHighlighted) -> None:
        """Show the highlighted topic or claim in full: the sidebar cuts long ones short."""
        # The cursor also follows every jump; the place shown needs no peek.
        if self.place is None or (event.brief, event.claim) == (self.place.brief, self.place.claim):
            return
        brief = self.library.brief_at(event.brief)
        if brief is None:
            return
        claim = brief.claim(event.claim) if event.claim is not None else None
        if claim is None:
            where = f"topic {brief.index + 1} of {len(self.library.briefs)} · "
            self.query_one(StatusLine).peek(Content.assemble(where, (brief.title, "bold")))
            return
        where = f"claim {claim.index + 1} of {len(brief.claims)} · "
        self.query_one(StatusLine).peek(Content.assemble(where, claim_line(claim)))

    @on(ClaimPanel.ClaimChosen)
    def open_claim_from_overview(self, event: ClaimPanel.ClaimChosen) -> None:
        """Show the claim chosen in the topic overview."""
        self.open_claim(event.brief, event.claim)

    def open_claim(self, brief: Brief, claim: Claim | None) -> None:
        """Show a topic, or one of its claims with its first passage selected."""
        if claim is None:
            self.go(topic_place(brief))
            self.say(f"topic {brief.index + 1} of {len(self.library.briefs)}")
            return
        shown = self.place.source if self.place and self.place.brief == brief.path else None
        place = claim_place(brief, claim, shown)
        self.go(place)
        if place.passage is None:
            self.refuse("None of this claim's quotes were found in its sources")
        else:
            where = source_position(brief, place.source or "")
            self.say(f"claim {claim.index + 1} · {where}")

    @on(ClaimPanel.PassageChosen)
    @on(SourceView.PassageClicked)
    def open_passage(self, event: ClaimPanel.PassageChosen | SourceView.PassageClicked) -> None:
        """Jump to the passage chosen in the claim panel or clicked in the text."""
        self.land(event.passage, "chosen")

    @on(SourceTabs.SourceChosen)
    def open_chosen_source(self, event: SourceTabs.SourceChosen) -> None:
        """Show the source whose tab was chosen."""
        brief = self.brief
        if brief is not None:
            self.open_source(brief, event.key)

    def open_source(self, brief: Brief, key: str) -> None:
        """Show one source of a topic, keeping the claim when the topic stays the same."""
        located = self.located()
        claim = located.claim if located and located.brief is brief else None
        self.go(source_place(brief, key, claim))
        self.say(source_position(brief, key))

    def open_place(self, place: Place, said: str) -> None:
        """Go to a place found elsewhere (a search hit, a palette entry) and say what it is."""
        self.go(place)
        self.say(said)

    # Views

    def action_matrix(self) -> None:
        """Show the claim × source matrix of this topic (and, from there, of the library)."""
        from briefing_tui.ui.screens.matrix import MatrixScreen

        if self.place is not None:
            self.open_view(MatrixScreen(self.library, self.place))

    def action_compare(self) -> None:
        """Show the selected passage beside its partner in another source."""
        from briefing_tui.ui.screens.compare import CompareScreen, opening_pair

        located = self.located()
        if located is None:
            return
        pair = opening_pair(located)
        if isinstance(pair, str):
            self.refuse(pair)
        else:
            self.open_view(CompareScreen(self.library, located.brief, pair))

    def action_figures(self) -> None:
        """Show the figures each source gives for each claim, and where they differ."""
        from briefing_tui.ui.screens.figures import FiguresScreen

        if self.place is not None:
            self.open_view(FiguresScreen(self.library, self.place))

    def open_view(self, view: Screen[tuple[Place, str] | None]) -> None:
        """Show a view over the reader; the place it closes on, if any, opens in the reader."""

        def opened(result: tuple[Place, str] | None) -> None:
            if result is None:
                return
            place, said = result
            # The library may have been reloaded while the view was open.
            settled = settle(self.library, place)
            if settled is not None:
                self.open_place(settled, said)

        self.app.push_screen(view, opened)
