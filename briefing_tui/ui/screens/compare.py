"""Compare two sources side by side: a passage facing its partner of the same claim.

The left pane holds a passage, the right pane a passage of the same claim in another source
file (its partner): conflicting first, then corroborating, then context. `x` and `c` move
the right pane through the conflicting or corroborating partners, `o` to the next source
that quotes the claim; `n` and `p` move the left pane to the next or previous passage of its
source that has a partner, the right pane following (in the same source when it quotes that
claim too); `w` swaps the panes. Both panes scroll so their passages sit on the same row.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Static

from briefing_tui.core.library.model import Brief, Claim, Library, Passage, Stance
from briefing_tui.core.places import Located, Place, passage_place
from briefing_tui.ui.labels import (
    STATUS_GLYPHS,
    STATUS_STYLES,
    source_details,
    source_position,
    stance_mark,
)
from briefing_tui.ui.widgets.source_view import GUTTER, Highlight, HighlightKind, SourceView
from briefing_tui.ui.widgets.status import StatusLine

RETRIES = 5  # layout passes to wait for both panes to be wrapped at their width


@dataclass(frozen=True, slots=True)
class Pair:
    """A passage (left) and a passage of the same claim in another source file (right)."""

    claim: Claim
    left: Passage
    right: Passage


def file_of(brief: Brief, passage: Passage) -> str | None:
    """The file of a passage's source (None when the source could not be loaded)."""
    source = brief.source(passage.source_key)
    return source.source.path if source else None


def partners(brief: Brief, claim: Claim, passage: Passage) -> list[Passage]:
    """The claim's passages found in other source files: conflicting, corroborating, context."""
    here = file_of(brief, passage)
    others = [
        p for p in claim.passages if p.span is not None and file_of(brief, p) not in (here, None)
    ]
    conflicting, corroborating = claim.conflicting(passage), claim.corroborating(passage)
    return sorted(others, key=lambda p: 0 if p in conflicting else 1 if p in corroborating else 2)


def opening_pair(located: Located) -> Pair | str:
    """The pair to open on: the selected passage and its partner; else the first pair there is.

    With no passage selected, the first passage (of the chosen claim, else of the topic)
    with a conflicting partner, else with any partner. A string says why there is none.
    """
    brief, claim, passage = located.brief, located.claim, located.passage
    if claim is not None and passage is not None:
        found = partners(brief, claim, passage)
        if not found:
            return "No other source quotes this claim: nothing to compare it with"
        return Pair(claim, passage, found[0])
    claims = [claim] if claim is not None else list(brief.claims)
    for conflicts_only in (True, False):
        for candidate in claims:
            for start in candidate.passages:
                if start.span is None:
                    continue
                found = partners(brief, candidate, start)
                if found and (not conflicts_only or found[0] in candidate.conflicting(start)):
                    return Pair(candidate, start, found[0])
    where = "this claim" if claim is not None else "this topic"
    return f"No two sources quote the same claim in {where}: nothing to compare"


def follow(brief: Brief, claim: Claim, passage: Passage, beside: str | None) -> Passage | None:
    """The partner of a passage to show: in the file `beside` if it quotes the claim too."""
    found = partners(brief, claim, passage)
    same = [p for p in found if file_of(brief, p) == beside]
    return next(iter(same or found), None)


class CompareScreen(Screen[tuple[Place, str] | None]):
    """Two sources side by side (stacked when narrow), one passage facing its partner."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "question_mark,f1",
            "help",
            "Help",
            id="compare.help",
            tooltip="Show the keys of this view",
        ),
        Binding(
            "escape",
            "close",
            "Back",
            id="compare.close",
            tooltip="Back to the reader, at the left pane's passage",
        ),
        Binding(
            "x",
            "partner('conflicting')",
            "Conflicts",
            id="compare.conflicting",
            tooltip="Right pane: the next passage in another source that conflicts with the left",
        ),
        Binding(
            "c",
            "partner('corroborating')",
            "Agrees",
            id="compare.corroborating",
            tooltip="Right pane: the next passage in another source that agrees with the left",
        ),
        Binding(
            "n",
            "step(1)",
            "Next",
            id="compare.next",
            tooltip="Left pane: the next passage in its source that another source also quotes",
        ),
        Binding(
            "p",
            "step(-1)",
            "Prev",
            id="compare.previous",
            tooltip="Left pane: the previous passage in its source that another source quotes",
        ),
        Binding(
            "o",
            "other_source",
            "Other source",
            id="compare.other-source",
            tooltip="Right pane: the next source that quotes this claim",
        ),
        Binding("w", "swap", "Swap", id="compare.swap", tooltip="Swap the left and right panes"),
        Binding(
            "tab,shift+tab",
            "focus_other",
            "Other pane",
            id="compare.focus",
            tooltip="Move the focus (and the scrolling keys) to the other pane",
        ),
    ]

    CSS = """
    CompareScreen {
        #compare-title {
            height: 1; padding: 0 1; background: $panel;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        #compare-panes { layout: horizontal; height: 1fr; }
        .compare-pane { width: 1fr; height: 1fr; }
        #compare-right-pane { border-left: vkey $panel-lighten-2; }
        .compare-header {
            height: 1; padding: 0 1; background: $panel;
            text-wrap: nowrap; text-overflow: ellipsis;
        }
        .compare-pane:focus-within .compare-header { text-style: bold reverse; }
        SourceView { height: 1fr; }
    }
    CompareScreen.-stacked {
        #compare-panes { layout: vertical; }
        #compare-right-pane { border-left: none; border-top: hkey $panel-lighten-2; }
    }
    """
    # Side by side from 100 columns: below, each pane would wrap its text too narrowly.
    HORIZONTAL_BREAKPOINTS = [
        (0, "-stacked"),
        (100, "-side-by-side"),
    ]

    def __init__(self, library: Library, brief: Brief, pair: Pair) -> None:
        super().__init__()
        self.library = library
        self.brief = brief
        self.pair = pair

    @property
    def left(self) -> SourceView:
        """The left (or upper) pane."""
        return self.query_one("#compare-left", SourceView)

    @property
    def right(self) -> SourceView:
        """The right (or lower) pane."""
        return self.query_one("#compare-right", SourceView)

    def compose(self) -> ComposeResult:
        """The claim, the two panes with their headers, the status line and the footer."""
        yield Static(id="compare-title", markup=False)
        with Horizontal(id="compare-panes"):
            for side in ("left", "right"):
                with Vertical(id=f"compare-{side}-pane", classes="compare-pane"):
                    yield Static(id=f"compare-{side}-header", classes="compare-header")
                    yield SourceView(selectable=False, id=f"compare-{side}")
        yield StatusLine(id="compare-status")
        yield Footer()

    def on_mount(self) -> None:
        """Show the pair, the focus on the left pane."""
        self.left.focus()
        self.show(self.pair, self.role(self.pair))

    def show(self, pair: Pair, said: str) -> None:
        """Show a pair in the panes, facing each other, and say why."""
        self.pair = pair
        claim = pair.claim
        status = Content.styled(
            f"{STATUS_GLYPHS[claim.status]} {claim.status}", STATUS_STYLES[claim.status]
        )
        brief = self.brief
        self.query_one("#compare-title", Static).update(
            Content.assemble(
                ("Compare", "bold"),
                f" │ topic {brief.index + 1}/{len(self.library.briefs)} ",
                brief.title,
                f" │ claim {claim.index + 1} of {len(brief.claims)} · ",
                status,
                " · ",
                (claim.text, "bold"),
            )
        )
        for side, passage in (("left", pair.left), ("right", pair.right)):
            self._show_pane(side, passage)
        self.say(said)
        self.face()

    def _show_pane(self, side: str, passage: Passage) -> None:
        source = self.brief.source(passage.source_key)
        assert source is not None, "a pair's passages are anchored in loaded sources"
        header = Content.assemble(
            stance_mark(passage.stance, str(passage.stance)), " · ", source_details(source)
        )
        self.query_one(f"#compare-{side}-header", Static).update(header)
        view = self.query_one(f"#compare-{side}", SourceView)
        path = source.source.path
        # The claim's passages in this file, as the reader marks them.
        highlights = [
            Highlight(p.span, HighlightKind(p.stance.value), p)
            for p in self.pair.claim.passages
            if p.span is not None and file_of(self.brief, p) == path
        ]
        text = source.source.text
        if view.text is text:
            view.set_highlights(highlights, passage.span)
        else:
            view.show(text, highlights, passage.span)

    def face(self, tries: int = RETRIES) -> None:
        """Scroll both panes so that their passages sit on the same row, a third of the way."""
        views = (self.left, self.right)
        spans = (self.pair.left.span, self.pair.right.span)
        wrapped = [view.wrapped for view in views]
        ready = all(
            w is not None and w.width == view.scrollable_content_region.width - GUTTER
            for w, view in zip(wrapped, views, strict=True)
        )
        if not ready:
            # Wrapped at the panes' widths only once they are laid out.
            if tries:
                self.call_after_refresh(self.face, tries - 1)
            return
        lines = [
            w.line_of(span.start)
            for w, span in zip(wrapped, spans, strict=True)
            if w is not None and span is not None
        ]
        height = min(view.scrollable_content_region.height for view in views)
        # Each pane can put its passage on rows from (line - its furthest scroll) to line.
        lowest = max(
            [0, *(line - view.max_scroll_y for line, view in zip(lines, views, strict=True))]
        )
        highest = min(lines)
        row = max(lowest, min(height // 3, highest))  # a third of the way down
        for line, view in zip(lines, views, strict=True):
            view.scroll_to(y=line - row, animate=False, immediate=True)

    def on_resize(self) -> None:
        """Face the passages again once the panes are wrapped at their new widths."""
        self.call_after_refresh(self.face)

    def say(self, message: str) -> None:
        """Tell the reader what happened."""
        self.query_one(StatusLine).say(message)

    def refuse(self, message: str) -> None:
        """Tell the reader why nothing happened."""
        self.query_one(StatusLine).say(message, refused=True)
        self.app.bell()

    def role(self, pair: Pair) -> str:
        """How the right passage of a pair bears on the left one, and where it is."""
        if pair.right in pair.claim.conflicting(pair.left):
            role = "conflicts"
        elif pair.right in pair.claim.corroborating(pair.left):
            role = "corroborates"
        else:
            role = str(pair.right.stance)  # context, or a passage beside a context one
        return f"{role} · {source_position(self.brief, pair.right.source_key)}"

    # Actions

    def action_partner(self, kind: str) -> None:
        """Show the next conflicting (or corroborating) partner in the right pane."""
        pair = self.pair
        claim, left = pair.claim, pair.left
        conflicting = kind == "conflicting"
        if left.stance is Stance.CONTEXT:
            self.refuse("A context passage neither corroborates nor conflicts with others")
            return
        wanted = claim.conflicting(left) if conflicting else claim.corroborating(left)
        pool = [p for p in partners(self.brief, claim, left) if p in wanted]
        if not pool:
            self.refuse(
                "Nothing in another source conflicts with this passage"
                if conflicting
                else "No other source agrees with this passage"
            )
            return
        pool.sort(key=claim.passages.index)
        after = claim.passages.index(pair.right)
        target = next((p for p in pool if claim.passages.index(p) > after), pool[0])
        if pair.right in pool and target is pair.right:
            target = pool[0]
        number = pool.index(target) + 1
        word = "conflicts" if conflicting else "corroborates"
        where = source_position(self.brief, target.source_key)
        self.show(Pair(claim, left, target), f"{word} · {number} of {len(pool)} · {where}")

    def action_other_source(self) -> None:
        """Show the next source quoting this claim in the right pane."""
        pair = self.pair
        found = partners(self.brief, pair.claim, pair.left)
        files = list(dict.fromkeys(path for p in found if (path := file_of(self.brief, p))))
        current = file_of(self.brief, pair.right)
        if files == [current]:
            self.refuse("No other source quotes this claim")
            return
        position = files.index(current) if current in files else -1
        path = files[(position + 1) % len(files)]
        target = next(p for p in found if file_of(self.brief, p) == path)
        chosen = Pair(pair.claim, pair.left, target)
        number = files.index(path) + 1
        self.show(
            chosen, f"source {number} of {len(files)} quoting this claim · {self.role(chosen)}"
        )

    def action_step(self, step: int) -> None:
        """Move the left pane along its source to a passage with a partner; the right follows."""
        pair = self.pair
        passages = self.brief.passages_in(pair.left.source_key)
        at = next(n for n, p in enumerate(passages) if p is pair.left)
        beside = file_of(self.brief, pair.right)
        index = at + step
        while 0 <= index < len(passages):
            candidate = passages[index]
            claim = self.brief.claim(candidate.claim)
            partner = follow(self.brief, claim, candidate, beside) if claim else None
            if claim is not None and partner is not None:
                chosen = Pair(claim, candidate, partner)
                where = "next passage" if step > 0 else "previous passage"
                self.show(chosen, f"{where} · claim {claim.index + 1} · {self.role(chosen)}")
                return
            index += step
        self.refuse(
            "No next passage in this source that another source also quotes"
            if step > 0
            else "No previous passage in this source that another source also quotes"
        )

    def action_swap(self) -> None:
        """Swap the panes: the right passage moves to the left, and the left to the right."""
        pair = self.pair
        swapped = Pair(pair.claim, pair.right, pair.left)
        self.show(
            swapped, f"swapped · left: {source_position(self.brief, swapped.left.source_key)}"
        )

    def action_focus_other(self) -> None:
        """Move the focus to the other pane."""
        (self.right if self.focused is self.left else self.left).focus()

    def action_help(self) -> None:
        """List the keys of this view."""
        from briefing_tui.ui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.active_bindings))

    def action_close(self) -> None:
        """Go back to the reader at the left pane's passage."""
        left = self.pair.left
        claim = self.pair.claim
        where = source_position(self.brief, left.source_key)
        said = f"compare: back at claim {claim.index + 1} · {where}"
        self.dismiss((passage_place(self.brief, left), said))

    @on(SourceView.PassageClicked)
    def choose_clicked(self, event: SourceView.PassageClicked) -> None:
        """A passage clicked in a pane takes that pane's place."""
        pair, clicked = self.pair, event.passage
        if file_of(self.brief, clicked) == file_of(self.brief, pair.left):
            partner = follow(self.brief, pair.claim, clicked, file_of(self.brief, pair.right))
            if partner is None:
                return
            chosen = Pair(pair.claim, clicked, partner)
        else:
            chosen = Pair(pair.claim, pair.left, clicked)
        self.show(chosen, f"chosen · {self.role(chosen)}")
