"""Reading what the reader shows: status lines, and the styles drawn on source lines."""

from __future__ import annotations

from rich.style import Style
from textual.widgets import OptionList, Static

from briefing_tui.core.library.model import Span
from briefing_tui.ui.app import BriefingApp
from briefing_tui.ui.widgets.source_view import SourceView


def shown(app: BriefingApp, selector: str) -> str:
    """The plain text a Static widget shows."""
    return str(app.query_one(selector, Static).render())


def status(app: BriefingApp) -> str:
    """The status line."""
    return shown(app, "#status")


def claim_header(app: BriefingApp) -> str:
    """The plain text of the claim panel's header."""
    return str(app.query_one("#claim-passages", OptionList).get_option("header").prompt)


def styled_chars(app: BriefingApp, span: Span) -> tuple[str, list[tuple[str, Style]]]:
    """The text of the display line holding a span's start, and each character's style."""
    view = app.query_one(SourceView)
    assert view.wrapped is not None
    line = view.wrapped.line_of(span.start)
    strip = view.render_line(line - round(view.scroll_y))
    chars = [(char, segment.style or Style()) for segment in strip for char in segment.text]
    return strip.text, chars


def style_of(app: BriefingApp, span: Span, needle: str) -> list[Style]:
    """The styles drawn on the characters of `needle` on the line holding the span."""
    text, chars = styled_chars(app, span)
    start = text.index(needle)
    return [style for _, style in chars[start : start + len(needle)]]
