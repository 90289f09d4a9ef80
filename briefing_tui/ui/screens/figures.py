"""Figures that differ: each claim's figures by source, and every difference in the library."""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from briefing_tui.core.figures import (
    ClaimFigures,
    ClaimPlace,
    Difference,
    FigureComparison,
    SourcedFigure,
    compare_figures,
    consistent,
)
from briefing_tui.core.library.model import Brief, Library, Stance
from briefing_tui.core.library.text import escape_name, one_line
from briefing_tui.core.places import Place, locate, passage_place
from briefing_tui.ui.labels import STANCE_GLYPHS, STANCE_STYLES, source_position
from briefing_tui.ui.widgets.status import StatusLine

DIFFERS = Content.styled("≠ differs", "$text-error bold")
AGREES = Content.styled("= agrees ", "$text-success")
ALONE = Content("         ")  # no other source gives a figure it could be compared with
LABEL_CHARS = 30  # a source's label in a line; its file and line follow

FigureEntry = tuple[ClaimFigures, SourcedFigure]
Target = tuple[str, str | None, SourcedFigure | None]  # brief path, claim key, figure


def agrees(claim: ClaimFigures, sourced: SourcedFigure) -> bool:
    """Whether another source gives a figure of the same dimension consistent with this one."""
    dimension = sourced.figure.dimension
    return dimension is not None and any(
        other.source_path != sourced.source_path
        and other.figure.dimension == dimension
        and consistent(other.figure, sourced.figure)
        for other in claim.figures
    )


def where(sourced: SourcedFigure) -> str:
    """`file:line` (the file's name: its folder is the library's), beside the quote or in it.

    A source known only by its file name is already named: its line is enough.
    """
    name = escape_name(PurePosixPath(sourced.source_path).name)
    line = f"line {sourced.line}" if sourced.label == name else f"{name}:{sourced.line}"
    return line if sourced.in_passage else f"{line}, beside the quote"


def figure_line(sourced: SourcedFigure) -> Content:
    """A source's figure: stance, source, the figure as written, and where it is."""
    parts: list[Content | str | tuple[str, str]] = [
        (STANCE_GLYPHS[sourced.stance], STANCE_STYLES[sourced.stance]),
        " ",
        (one_line(sourced.label, LABEL_CHARS), "bold"),
    ]
    if sourced.stance is not Stance.SUPPORTS:
        parts.append(f" ({sourced.stance})")
    parts += [": ", (sourced.figure.shown, "underline"), "  ", (where(sourced), "$text-muted")]
    return Content.assemble(*parts)


def claim_heading(claim: ClaimPlace, whole: bool) -> Content:
    """A claim's heading in the list: its number and text (and its topic, library-wide)."""
    heading = Content.assemble((f"claim {claim.claim_index + 1}: ", "bold"), (claim.text, "bold"))
    if whole:
        heading = Content.assemble((claim.brief_title, "italic"), " · ", heading)
    return heading


def difference_option(library: Library, difference: Difference) -> Content:
    """A difference: what differs, in which claim, then both sides (Enter and o open them)."""
    claim = difference.claim
    first, second = difference.first, difference.second
    brief = library.brief_at(claim.brief_path)
    topic = f"topic {brief.index + 1} · " if brief is not None else ""
    return Content.assemble(
        ("≠ ", "$text-error bold"),
        (first.figure.dimension or "figures", "bold"),
        f" · {topic}claim {claim.claim_index + 1}: ",
        claim.text,
        "\n  ⏎ ",
        figure_line(first),
        "\n  o ",
        figure_line(second),
    )


def figure_place(library: Library, claim: ClaimPlace, sourced: SourcedFigure) -> Place | None:
    """Where a figure opens: its passage, or (beside the quote) the figure in its source."""
    brief = library.brief_at(claim.brief_path)
    found = brief.claim(claim.claim_key) if brief is not None else None
    if brief is None or found is None:
        return None
    if sourced.in_passage:
        return passage_place(brief, found.passages[sourced.passage_index])
    return Place(
        brief.path, sourced.source_key, sourced.source_path, found.key, span=sourced.figure.span
    )


class FiguresScreen(Screen[tuple[Place, str] | None]):
    """Each claim's figures source by source, differing ones marked, beside every difference."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="figures.help",
            tooltip="Show the keys of this view",
        ),
        Binding("escape", "close", "Back", id="figures.close", tooltip="Back to the reader"),
        Binding(
            "t",
            "scope",
            "Topic/all",
            id="figures.scope",
            tooltip="List the figures of this topic, or of the whole library",
        ),
        Binding(
            "o",
            "other_side",
            "Other side",
            id="figures.other-side",
            tooltip="Open the other side of the difference (Enter opens the first)",
        ),
        Binding(
            "tab,shift+tab",
            "focus_other",
            "Other list",
            id="figures.focus",
            tooltip="Move between the figures by claim and the differences",
        ),
    ]

    CSS = """
    FiguresScreen {
        #figures-title {
            height: 1; padding: 0 1; background: $panel;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        #figures-lists { layout: horizontal; height: 1fr; }
        .figures-pane { width: 1fr; height: 1fr; }
        #figures-differences-pane { border-left: vkey $panel-lighten-2; }
        .figures-heading { height: 1; padding: 0 1; background: $panel; text-style: bold; }
        .figures-pane:focus-within .figures-heading { text-style: bold reverse; }
        OptionList { height: 1fr; border: none; overflow-y: scroll; scrollbar-size-vertical: 1; }
        OptionList > .option-list--option-disabled { color: $foreground; }
    }
    FiguresScreen.-stacked {
        #figures-lists { layout: vertical; }
        #figures-differences-pane { border-left: none; border-top: hkey $panel-lighten-2; }
    }
    """
    HORIZONTAL_BREAKPOINTS = [
        (0, "-stacked"),
        (100, "-side-by-side"),
    ]

    def __init__(self, library: Library, place: Place) -> None:
        super().__init__()
        self.library = library
        located = locate(library, place)
        assert located is not None, "the figures open on a place of its library"
        self.brief: Brief = located.brief
        # Where the cursor goes when the list is made: a claim, and a figure of it if known.
        self.start: Target = (self.brief.path, place.claim, None)
        self.whole = False
        self.topic = compare_figures(library, [self.brief])
        self.everything: FigureComparison | None = None  # compared off the UI thread
        self.figure_entries: list[FigureEntry | None] = []
        self.differences: tuple[Difference, ...] = ()

    @property
    def figures_list(self) -> OptionList:
        """The figures of each claim."""
        return self.query_one("#figures-claims", OptionList)

    @property
    def differences_list(self) -> OptionList:
        """Every difference in the library."""
        return self.query_one("#figures-differences", OptionList)

    def compose(self) -> ComposeResult:
        """What is listed, the figures by claim beside the differences, a status line."""
        yield Static(id="figures-title", markup=False)
        with Horizontal(id="figures-lists"):
            with Vertical(id="figures-claims-pane", classes="figures-pane"):
                yield Static(id="figures-claims-heading", classes="figures-heading")
                yield OptionList(id="figures-claims")
            with Vertical(id="figures-differences-pane", classes="figures-pane"):
                yield Static(id="figures-differences-heading", classes="figures-heading")
                yield OptionList(id="figures-differences")
        yield StatusLine(id="figures-status")
        yield Footer()

    def on_mount(self) -> None:
        """List the topic's figures now, and compare the whole library's off the UI thread."""
        self.list_figures(self.topic)
        self.list_differences()
        self.figures_list.focus()
        self.compare_library()
        self.say("Enter opens a figure in the reader · t the whole library · Tab the differences")

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def compare_library(self) -> FigureComparison:
        """Every claim's figures in the library."""
        return compare_figures(self.library)

    @on(Worker.StateChanged)
    def library_compared(self, event: Worker.StateChanged) -> None:
        """List the library's differences (and its figures, when asked for) once compared."""
        if event.worker.group != "figures":
            return
        if event.state is WorkerState.ERROR:
            self.refuse(f"Could not compare the library's figures: {event.worker.error}")
        if event.state is not WorkerState.SUCCESS:
            return
        result: FigureComparison | None = event.worker.result
        if result is None:
            return
        self.everything = result
        self.list_differences()
        if self.whole:
            self.list_figures(result)

    def list_figures(self, comparison: FigureComparison) -> None:
        """List each claim's figures, a line each under its claim; the cursor at `start`."""
        options: list[Option] = []
        entries: list[FigureEntry | None] = []
        start = first = None
        brief_path, claim_key, wanted = self.start
        for claim in comparison.claims:
            heading = claim_heading(claim.claim, self.whole)
            if claim.differences:
                dimensions = ", ".join(claim.dimensions_differing())
                heading = Content.assemble(heading, "\n", DIFFERS, f" in {dimensions}")
            options.append(Option(heading, disabled=True))
            entries.append(None)
            differing = claim.differing()
            for sourced in claim.figures:
                if (claim.claim.brief_path, claim.claim.claim_key) == (brief_path, claim_key):
                    first = len(options) if first is None else first
                    start = len(options) if sourced == wanted else start
                mark = (
                    DIFFERS if sourced in differing else AGREES if agrees(claim, sourced) else ALONE
                )
                options.append(Option(Content.assemble(mark, " ", figure_line(sourced))))
                entries.append((claim, sourced))
        figures = self.figures_list
        figures.set_options(options)
        self.figure_entries = entries
        if start is None:
            start = first
        if start is None:
            start = next((n for n, entry in enumerate(entries) if entry is not None), None)
        figures.highlighted = start
        count = sum(len(claim.figures) for claim in comparison.claims)
        scope = "the library" if self.whole else "this topic"
        self.query_one("#figures-claims-heading", Static).update(
            Content(f"Figures by claim in {scope}: {count} in {len(comparison.claims)} claims")
        )
        if not options:
            figures.add_option(
                Option(Content("No passage of this topic gives a figure."), disabled=True)
            )
        self._title()

    def list_differences(self) -> None:
        """List every difference in the library, or say they are being compared."""
        heading = self.query_one("#figures-differences-heading", Static)
        differences = self.differences_list
        if self.everything is None:
            heading.update(Content("Differences across the library"))
            differences.set_options(
                [Option(Content("Comparing the library's figures…"), disabled=True)]
            )
            return
        self.differences = self.everything.differences
        options = [Option(difference_option(self.library, d)) for d in self.differences]
        if not options:
            options = [Option(Content("No figures differ between sources."), disabled=True)]
        differences.set_options(options)
        if self.differences:
            differences.highlighted = 0
        claims = len({(d.claim.brief_path, d.claim.claim_key) for d in self.differences})
        heading.update(
            Content(f"Differences across the library: {len(self.differences)} in {claims} claims")
        )
        self._title()

    def _title(self) -> None:
        brief = self.brief
        found = sum(len(claim.differences) for claim in self.topic.claims)
        parts = [
            Content.styled("Figures", "bold"),
            Content.assemble(
                f"topic {brief.index + 1}/{len(self.library.briefs)} ", (brief.title, "bold")
            ),
            Content(f"{found} difference{'s' * (found != 1)} in this topic"),
        ]
        if self.everything is not None:
            total = len(self.everything.differences)
            parts.append(Content(f"{total} in the library"))
        self.query_one("#figures-title", Static).update(Content(" │ ").join(parts))

    def _cursor(self) -> Target:
        """Where the cursor of the figures list is, to find it again in another list."""
        entry = self.highlighted_figure
        if entry is None:
            return self.start
        return entry[0].claim.brief_path, entry[0].claim.claim_key, entry[1]

    @property
    def highlighted_figure(self) -> FigureEntry | None:
        """The claim and figure under the cursor of the figures list."""
        index = self.figures_list.highlighted
        return (
            self.figure_entries[index]
            if index is not None and index < len(self.figure_entries)
            else None
        )

    @property
    def highlighted_difference(self) -> Difference | None:
        """The difference under the cursor of the differences list."""
        index = self.differences_list.highlighted
        return (
            self.differences[index] if index is not None and index < len(self.differences) else None
        )

    def say(self, message: str) -> None:
        """Tell the reader what happened."""
        self.query_one(StatusLine).say(message)

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        self.query_one(StatusLine).say(message, refused=True)
        self.app.bell()

    def open_figure(self, claim: ClaimPlace, sourced: SourcedFigure) -> None:
        """Close on a figure's place, saying which figure it is."""
        place = figure_place(self.library, claim, sourced)
        brief = self.library.brief_at(claim.brief_path)
        if place is None or brief is None:
            self.refuse("That claim is no longer in the library")
            return
        where = source_position(brief, sourced.source_key)
        said = f"figures: claim {claim.claim_index + 1} · {where} · {sourced.figure.shown}"
        self.dismiss((place, said))

    # What the lists report

    @on(OptionList.OptionSelected, "#figures-claims")
    def open_chosen_figure(self, event: OptionList.OptionSelected) -> None:
        """Open the chosen figure in the reader."""
        entry = self.figure_entries[event.option_index]
        if entry is not None:
            self.open_figure(entry[0].claim, entry[1])

    @on(OptionList.OptionSelected, "#figures-differences")
    def open_first_side(self, event: OptionList.OptionSelected) -> None:
        """Open the first side of the chosen difference in the reader."""
        if event.option_index < len(self.differences):
            difference = self.differences[event.option_index]
            self.open_figure(difference.claim, difference.first)

    # Actions

    def action_other_side(self) -> None:
        """Open the other side of a difference: of the one chosen, or the figure's first."""
        if self.focused is self.differences_list:
            difference = self.highlighted_difference
            if difference is None:
                self.refuse("No difference chosen")
                return
            self.open_figure(difference.claim, difference.second)
            return
        entry = self.highlighted_figure
        if entry is None:
            self.refuse("No figure chosen")
            return
        claim, sourced = entry
        for difference in claim.differences:
            if sourced in (difference.first, difference.second):
                other = difference.second if sourced is difference.first else difference.first
                self.open_figure(claim.claim, other)
                return
        self.refuse("No other source gives a figure that differs from this one")

    def action_scope(self) -> None:
        """List the figures of this topic, or of the whole library."""
        self.start = self._cursor()
        self.whole = not self.whole
        if not self.whole:
            self.list_figures(self.topic)
            self.say("figures of this topic")
        elif self.everything is None:
            self.figures_list.set_options(
                [Option(Content("Comparing the library's figures…"), disabled=True)]
            )
            self.figure_entries = [None]
            self.say("comparing the figures of the whole library…")
        else:
            self.list_figures(self.everything)
            self.say("figures of the whole library")

    def action_focus_other(self) -> None:
        """Move between the figures by claim and the differences."""
        figures = self.figures_list
        (self.differences_list if self.focused is figures else figures).focus()

    def action_help(self) -> None:
        """List the keys of this view."""
        from briefing_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings))

    def action_close(self) -> None:
        """Go back to the reader, where it was."""
        self.dismiss(None)
