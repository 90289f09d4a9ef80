"""Reading what the reader shows: where it stands, status lines, styles drawn on source lines."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import NamedTuple

from rich.style import Style
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import OptionList, Static

from briefing_tui.core.library.model import Library, Passage, Span
from briefing_tui.core.places import locate
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.source_view import SourceView


class PassageRef(NamedTuple):
    """A passage of a test library by its positions: brief, claim and passage."""

    brief: int
    claim: int
    passage: int


class Where(NamedTuple):
    """The reader's place told by positions, which tests of a fixed library can spell out."""

    brief: int
    source_key: str | None
    claim: int | None
    passage: PassageRef | None
    span: Span | None


def passage_at(library: Library, ref: PassageRef) -> Passage:
    """The passage at these positions."""
    return library.briefs[ref.brief].claims[ref.claim].passages[ref.passage]


def where(app: BriefingApp) -> Where | None:
    """Where the reader stands, by positions in its library (None: nowhere)."""
    reader = app.reader
    if reader.place is None:
        return None
    located = locate(reader.library, reader.place)
    assert located is not None, "the reader's place is always in its library"
    brief, claim, passage = located.brief, located.claim, located.passage
    ref = None
    if claim is not None and passage is not None:
        number = next(n for n, p in enumerate(claim.passages) if p is passage)
        ref = PassageRef(brief.index, claim.index, number)
    claim_index = claim.index if claim is not None else None
    return Where(brief.index, reader.place.source, claim_index, ref, reader.place.span)


def shown(app: BriefingApp, selector: str) -> str:
    """The plain text a Static widget shows."""
    return str(app.screen.query_one(selector, Static).render())


def status(app: BriefingApp) -> str:
    """The status line."""
    return shown(app, "#status")


def claim_header(app: BriefingApp) -> str:
    """The plain text of the claim panel's header."""
    return str(app.query_one("#claim-passages", OptionList).get_option("header").prompt)


def styled_chars(app: App[None], span: Span) -> tuple[str, list[tuple[str, Style]]]:
    """The text of the display line holding a span's start, and each character's style."""
    view = app.query_one(SourceView)
    assert view.wrapped is not None
    line = view.wrapped.line_of(span.start)
    strip = view.render_line(line - round(view.scroll_y))
    chars = [(char, segment.style or Style()) for segment in strip for char in segment.text]
    return strip.text, chars


def style_of(app: App[None], span: Span, needle: str) -> list[Style]:
    """The styles drawn on the characters of `needle` on the line holding the span."""
    text, chars = styled_chars(app, span)
    start = text.index(needle)
    return [style for _, style in chars[start : start + len(needle)]]


async def until(pilot: Pilot[None], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app work until a condition holds (the palette shows results on a timer)."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the app never got there"
        await pilot.pause(0.01)
