"""The reader screen: topics, the source view, the claim panel and the jumps between passages."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Grid, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing_tui.core.library.model import Brief, Claim, Diagnostic, Library, Passage
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
from briefing_tui.core.state import StateStore
from briefing_tui.ui.keys import READER_BINDINGS, READING_ACTIONS
from briefing_tui.ui.labels import claim_line, plural, source_position
from briefing_tui.ui.reading_state import ReadingState
from briefing_tui.ui.widgets.claim_panel import ClaimPanel, ReaderNotes
from briefing_tui.ui.widgets.source_tabs import SourceTabs
from briefing_tui.ui.widgets.source_view import Highlight, HighlightKind, SourceView
from briefing_tui.ui.widgets.status import LocationBar, StatusLine
from briefing_tui.ui.widgets.topics import TopicTree

if TYPE_CHECKING:
    from briefing_tui.core.suggest import Suggestion

SELECTING = "Selecting: arrows, ctrl+arrows (words) and ( ) (sentences) extend it · Esc ends"


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
    counts = library.problems
    if counts.errors + counts.warnings:
        found = plural(counts.errors + counts.warnings, "problem")
        lines.append((f"\n\n{found} found while loading: press e.", "bold"))
    return Content.assemble(*lines)


class ReaderScreen(Screen[None]):
    """Read a library of briefs: where the reader stands, its history, and every reading key."""

    BINDINGS: ClassVar[list[BindingType]] = [*READER_BINDINGS]
    HELP_NAME = "Reading"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    # "-tall" has no rules of its own: it takes "-short" off, so the default rows apply.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]

    class SearchRequested(Message):
        """The reader asked to search the library."""

    class ReloadRequested(Message):
        """The reader asked to read the library again from its files."""

    def __init__(
        self, library: Library, store: StateStore | None = None, *, fresh: bool = False
    ) -> None:
        super().__init__(id="reader")
        self.library = library
        self.history = History()
        self.place: Place | None = None
        self.state = ReadingState(self, store)
        self._fresh = fresh  # open on the first topic, whatever the store remembers
        # The jump being repeated (x or c) and the passage it started from.
        self._cycle: tuple[JumpKind, Passage | None] | None = None

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
            if not self._fresh and self.state.restore():
                self.say("Back where you left this library (b goes back further).")
            else:
                self.say("Enter chooses a topic or claim; ? lists every key.")
        self.state.tell_notice()

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
        self._cycle = None  # any move ends a run of x or c; the jump sets it again
        brief = located.brief
        self.query_one(TopicTree).show_place(brief.path, place.claim)
        self.query_one(SourceTabs).show(brief, place.source)
        self.query_one(ClaimPanel).show(
            brief, located.claim, located.passage, self._reader_notes(brief, located.claim)
        )
        view = self.query_one(SourceView)
        selected = place.passage or place.span
        highlights = self.highlights(brief, place.source)
        text = located.source.source.text if located.source else ""
        if view.text is text or view.text == text:
            view.set_highlights(highlights, selected)  # the same text keeps its scroll
        else:
            # A source opened with nothing selected opens at the topic's first passage in it,
            # not at its top (often web debris, far from any evidence).
            first = highlights[0].span if highlights else None
            view.show(text, highlights, selected, reveal=first)
        self.query_one(LocationBar).show(self.library, located)

    def _reader_notes(self, brief: Brief, claim: Claim | None) -> ReaderNotes:
        """The reader's notes on a claim and its passages, for the claim panel."""
        notes = self.state.notes_on(brief, claim)
        if not notes or claim is None:
            return ()
        found: list[tuple[int | None, str]] = []
        on_claim = self.state.note_at(notes, Place(brief.path, claim=claim.key))
        if on_claim is not None:
            found.append((None, on_claim.text))
        for number, passage in enumerate(claim.passages):
            if passage.span is not None:
                note = self.state.note_at(notes, passage_place(brief, passage))
                if note is not None:
                    found.append((number, note.text))
        return tuple(found)

    def top_offset(self) -> int:
        """The text offset at the top of the source view."""
        return self.query_one(SourceView).top_offset()

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll the source view so a text offset is at its top."""
        self.query_one(SourceView).scroll_to_offset(offset)

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

    def land(self, passage: Passage, why: str, *, same_claim: bool = False) -> None:
        """Select a passage of the current topic (switching source if needed); say where, why."""
        brief = self.brief
        if brief is None:
            return
        if passage.span is None:
            label = source_position(brief, passage.source_key)
            self.refuse(f"Orphaned: this quote was not found in {label}")
            return
        self.go(passage_place(brief, passage))
        self.say(" · ".join([why, *self.where_passage(brief, passage, same_claim=same_claim)]))

    def where_passage(self, brief: Brief, passage: Passage, *, same_claim: bool) -> list[str]:
        """A passage's stance and claim (unless the jump kept the claim), source and line."""
        parts = []
        if not same_claim:
            claim = brief.claim(passage.claim)
            parts.append(f"{passage.stance} claim {claim.index + 1}" if claim else passage.stance)
        parts.append(brief.source_label(passage.source_key))
        named = brief.source(passage.source_key)
        if named is not None and passage.span is not None:
            parts.append(f"line {named.source.line_at(passage.span.start)}")
        return parts

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

    def action_step_topic(self, step: int) -> None:
        """Move by `step` topics, round from either end to the other."""
        brief = self.brief
        if brief is None:
            return
        count = len(self.library.briefs)
        index = (brief.index + step) % count
        wrapped = " (wrapped)" if index != brief.index + step else ""
        target = self.library.briefs[index]
        self.go(topic_place(target))
        self.say(f"topic {index + 1} of {count}{wrapped} · {target.title}")

    def action_jump(self, kind_name: str) -> None:
        """Jump to the next/previous passage, or to a conflicting/corroborating one."""
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
            self.follow(in_source(located.brief, self.place.source, current, offset, kind))
            return
        if located.claim is None:
            self.follow(first_with_partner(located.brief, kind))
            return
        # Pressed again, the same jump goes on through the partners of the passage it
        # started from, instead of bouncing back between two passages.
        cycling = self._cycle is not None and self._cycle[0] is kind
        origin = self._cycle[1] if self._cycle is not None and cycling else current
        jump = related(located.claim, origin, current, kind)
        if jump.target is None:
            self.refuse(jump.reason)
            return
        self.land(jump.target, jump.reason, same_claim=True)
        self._cycle = (kind, origin)

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
        if settled is None:
            return
        self.go(settled, record=False)
        self.say_where(said)

    def say_where(self, said: str) -> None:
        """Say what brought the reader here, then where here is: topic, claim, passage, line."""
        located = self.located()
        if located is None:
            return
        brief = located.brief
        where = [f"topic {brief.index + 1} of {len(self.library.briefs)}"]
        if located.passage is not None:
            where = self.where_passage(brief, located.passage, same_claim=False)
        elif located.claim is not None:
            where.append(f"claim {located.claim.index + 1}")
        if located.passage is None and located.source is not None:
            where.append(located.source.label)
        self.say(" · ".join([said, *where]))

    def action_step_source(self, step: int) -> None:
        """Show the topic's next (or previous) source, keeping the claim; round at the ends."""
        brief = self.brief
        if self.place is None or brief is None or not brief.sources:
            self.refuse("This topic has no sources")
            return
        keys = [s.key for s in brief.sources]
        position = keys.index(self.place.source) if self.place.source in keys else -1
        index = (position + step) % len(keys)
        wrapped = position >= 0 and index != position + step
        self.open_source(brief, keys[index], " (wrapped)" if wrapped else "")

    def action_source_number(self, number: int) -> None:
        """Show the topic's source with this number, as its tab shows it."""
        brief = self.brief
        if brief is None:
            return
        if not 1 <= number <= len(brief.sources):
            self.refuse(f"This topic has {len(brief.sources)} sources")
            return
        self.open_source(brief, brief.sources[number - 1].key)

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
        """List the problems found while loading; the one chosen opens its brief."""
        from briefing_tui.ui.screens.problems import ProblemsScreen

        screen = ProblemsScreen(self.library.diagnostics, self.library.problems)
        self.app.push_screen(screen, self.open_problem)

    def open_problem(self, problem: Diagnostic | None) -> None:
        """Open the brief a problem is in, or the first brief reading the source it is in."""
        if problem is None:
            return
        brief = self.library.brief_at(problem.path)
        if brief is not None:
            self.open_claim(brief, None)
            return
        for reading in self.library.briefs:
            named = next((s for s in reading.sources if s.source.path == problem.path), None)
            if named is not None:
                self.open_source(reading, named.key)
                return
        self.refuse(f"{problem.path} did not load: fix it, then reload (r)")

    # Reading state: bookmarks, notes, copies

    def action_bookmark(self) -> None:
        """Bookmark the selected passage (or the claim), or remove its bookmark."""
        self.state.toggle_bookmark()

    def action_bookmarks(self) -> None:
        """List the bookmarks and notes."""
        self.state.show_bookmarks()

    def action_note(self) -> None:
        """Write the reader's own note on the selected passage (or the claim)."""
        self.state.edit_note()

    def action_copy_citation(self) -> None:
        """Copy the selected passage or text as a citation."""
        self.state.copy_citation(self.query_one(SourceView).selection)

    def action_copy_yaml(self) -> None:
        """Copy the selected passage or text as a YAML passage."""
        self.state.copy_yaml(self.query_one(SourceView).selection)

    # Curating

    def action_suggest(self) -> None:
        """Open the suggested passages for the chosen claim."""
        located = self.located()
        if located is None or located.claim is None:
            self.refuse("Choose a claim first: suggestions are for one claim")
            return
        from briefing_tui.ui.screens.suggestions import SuggestionsScreen

        screen = SuggestionsScreen(self.library, located.brief, located.claim)
        self.app.push_screen(screen, self.show_suggestion)

    def show_suggestion(self, suggestion: Suggestion | None) -> None:
        """Show a suggested sentence selected in its source, in the topic it was found for."""
        if suggestion is None:
            return
        brief = self.library.brief_at(suggestion.brief_path)
        named = brief.source(suggestion.source_key) if brief is not None else None
        if brief is None or named is None:
            self.refuse("That sentence's source is not one of this topic's; copy its YAML (Y)")
            return
        place = source_place(brief, named.key, brief.claim(suggestion.claim_key))
        self.go(replace(place, span=suggestion.span))
        self.say(f"suggested · {named.label} · line {suggestion.line}")

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

    @on(SourceView.TextSelected)
    def tell_selection(self, event: SourceView.TextSelected) -> None:
        """Say how much text is selected and what can be done with it."""
        if event.span is None:
            if event.selecting:
                self.say(SELECTING)
            else:
                self.say("Selection ended")
            return
        size = plural(event.span.end - event.span.start, "character")
        self.say(f"{size} selected · y copies a citation, Y a YAML passage · Esc ends")

    @on(SourceTabs.SourceChosen)
    def open_chosen_source(self, event: SourceTabs.SourceChosen) -> None:
        """Show the source whose tab was chosen."""
        brief = self.brief
        if brief is not None:
            self.open_source(brief, event.key)

    def open_source(self, brief: Brief, key: str, remark: str = "") -> None:
        """Show one source of a topic, keeping the claim when the topic stays the same."""
        located = self.located()
        claim = located.claim if located and located.brief is brief else None
        self.go(source_place(brief, key, claim))
        self.say(source_position(brief, key) + remark)

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
