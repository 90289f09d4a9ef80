"""The source text, wrapped and highlighted, drawn line by line with the Line API."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing_tui.core.library.model import Passage, Span
from briefing_tui.ui.wrapping import Wrapped, char_cells, column_to_offset, wrap

GUTTER = 2
KEPT_WIDTHS = 3  # wrappings remembered, so toggling between window sizes is instant


class HighlightKind(StrEnum):
    """What a highlighted span is; the order of the members is the order they layer in."""

    CONTEXT = "context"
    SUPPORTS = "supports"
    CONFLICTS = "conflicts"
    MATCH = "match"
    SELECTED = "selected"


# The gutter glyph says what a line holds without relying on colour.
GUTTER_GLYPHS = {
    HighlightKind.SELECTED: "▶",
    HighlightKind.MATCH: "◆",
    HighlightKind.CONFLICTS: "✖",
    HighlightKind.SUPPORTS: "✔",
    HighlightKind.CONTEXT: "○",
}
LAYERS = list(HighlightKind)


@dataclass(frozen=True, slots=True)
class Highlight:
    """A span of the source to mark, and the passage it belongs to (if any)."""

    span: Span
    kind: HighlightKind
    passage: Passage | None = None


class SourceView(ScrollView, can_focus=True):
    """One source's text wrapped to the view, with the topic's passages highlighted."""

    HELP_NAME = "In the source text"

    COMPONENT_CLASSES = {f"source-view--{kind}" for kind in HighlightKind} | {"source-view--gutter"}

    DEFAULT_CSS = """
    SourceView {
        overflow-x: hidden;
        overflow-y: scroll;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        /* Focus shows as a tint and an accented scrollbar: no border, so no re-wrapping. */
        &:focus {
            background-tint: $foreground 6%;
            scrollbar-color: $accent;
        }
        & > .source-view--supports {
            text-style: underline;
            background: $success-muted;
        }
        & > .source-view--conflicts {
            text-style: italic underline;
            background: $error-muted;
        }
        & > .source-view--context {
            text-style: italic;
            background: $primary-muted;
        }
        & > .source-view--match {
            text-style: bold underline;
            background: $warning-muted;
        }
        & > .source-view--selected {
            text-style: bold reverse;
        }
        & > .source-view--gutter {
            color: $text-muted;
        }
    }
    """

    class PassageClicked(Message):
        """A highlighted passage was clicked."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""
        self._highlights: list[Highlight] = []
        self._starts: list[int] = []
        self._longest = 0
        self._wrapped: Wrapped | None = None
        self._wraps: dict[int, Wrapped] = {}
        self._lines: LRUCache[tuple[int, int, int], Strip] = LRUCache(1024)
        self._version = 0
        self._pending: Span | None = None
        self._mark_styles: dict[str, Style] = {}

    @property
    def text(self) -> str:
        """The text shown."""
        return self._text

    @property
    def wrapped(self) -> Wrapped | None:
        """The display lines at the current width (None before the first layout)."""
        return self._wrapped

    def show(
        self,
        text: str,
        highlights: Iterable[Highlight],
        selected: Span | None,
        reveal: Span | None = None,
    ) -> None:
        """Show a text with its highlights, scrolled to the selected span, or to `reveal`
        (the first passage, say), or to the top."""
        self._text = text
        self._wraps.clear()
        self._wrapped = None
        self._set_highlights(highlights, selected)
        self.scroll_to(y=0, animate=False, immediate=True)
        self._rewrap()
        self._pending = selected or reveal
        self._scroll_pending()

    def set_highlights(self, highlights: Iterable[Highlight], selected: Span | None) -> None:
        """Change the highlights and the selection of the text shown, keeping it in view."""
        self._set_highlights(highlights, selected)
        self.refresh()
        self._pending = selected
        self._scroll_pending()

    def top_offset(self) -> int:
        """The text offset at the top of the view."""
        if not self._wrapped or not len(self._wrapped):
            return 0
        line = min(round(self.scroll_y), len(self._wrapped) - 1)
        return self._wrapped.starts[line]

    def _set_highlights(self, highlights: Iterable[Highlight], selected: Span | None) -> None:
        ordered = list(highlights)
        if selected is not None:
            ordered.append(Highlight(selected, HighlightKind.SELECTED))
        ordered.sort(key=lambda h: (h.span.start, LAYERS.index(h.kind)))
        self._highlights = ordered
        self._starts = [h.span.start for h in ordered]
        self._longest = max((h.span.end - h.span.start for h in ordered), default=0)
        self._version += 1

    def _covering(self, start: int, end: int) -> Sequence[Highlight]:
        """The highlights that overlap `[start, end)` (or touch it, for an empty line)."""
        low = bisect_left(self._starts, start - self._longest)
        high = bisect_left(self._starts, max(end, start + 1))
        return [h for h in self._highlights[low:high] if h.span.end > start]

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width - GUTTER
        if width <= 0:
            return
        if self._wrapped is not None and self._wrapped.width == width:
            return
        top = self.top_offset()
        wrapped = self._wraps.get(width)
        if wrapped is None:
            wrapped = self._wraps[width] = wrap(self._text, width)
            while len(self._wraps) > KEPT_WIDTHS:
                del self._wraps[next(iter(self._wraps))]
        self._wrapped = wrapped
        self._lines.clear()
        self.virtual_size = Size(width + GUTTER, len(wrapped))
        self.scroll_to(y=wrapped.line_of(top), animate=False, immediate=True)

    def _scroll_pending(self) -> None:
        if self._pending is None or self._wrapped is None or not self.size.height:
            return
        span, self._pending = self._pending, None
        first = self._wrapped.line_of(span.start)
        last = self._wrapped.line_of(max(span.start, span.end - 1))
        top, height = round(self.scroll_y), self.scrollable_content_region.height
        if first < top or last >= top + height:
            self.scroll_to(y=max(0, first - height // 3), animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        """Re-wrap for the new width."""
        self._rewrap()
        self._scroll_pending()

    def notify_style_update(self) -> None:
        """Forget rendered lines and looked-up styles when the theme or styles change."""
        super().notify_style_update()
        self._lines.clear()
        self._mark_styles.clear()

    def _style(self, name: str) -> Style:
        """A component style, looked up once per theme rather than once per line."""
        style = self._mark_styles.get(name)
        if style is None:
            style = self._mark_styles[name] = self.get_component_rich_style(f"source-view--{name}")
        return style

    def render_line(self, y: int) -> Strip:
        """The display line at row `y` of the view."""
        width = self.scrollable_content_region.width
        index = round(self.scroll_y) + y
        if self._wrapped is None or index >= len(self._wrapped):
            return Strip.blank(width, self.rich_style)
        key = (index, width, self._version)
        strip = self._lines.get(key)
        if strip is None:
            strip = self._render_display_line(index, width)
            self._lines[key] = strip
        return strip

    def _render_display_line(self, index: int, width: int) -> Strip:
        assert self._wrapped is not None
        start, end = self._wrapped.starts[index], self._wrapped.ends[index]
        base = self.rich_style
        covering = self._covering(start, end)
        top_mark = max((h.kind for h in covering), key=LAYERS.index, default=None)
        glyph = GUTTER_GLYPHS[top_mark] if top_mark else " "
        segments = [Segment(glyph.ljust(GUTTER), base + self._style("gutter"))]
        cuts = sorted(
            {start, end}
            | {h.span.start for h in covering if start < h.span.start < end}
            | {h.span.end for h in covering if start < h.span.end < end}
        )
        column = 0
        for piece_start, piece_end in zip(cuts, cuts[1:], strict=False):
            marks = sorted(
                {h.kind for h in covering if h.span.start < piece_end and h.span.end > piece_start},
                key=LAYERS.index,
            )
            style = base + Style.combine(self._style(mark) for mark in marks) if marks else base
            piece, column = _expand_tabs(self._text[piece_start:piece_end], column)
            segments.append(Segment(piece, style))
        return Strip(segments).adjust_cell_length(width, base)

    # Paging jumps at once, as in a pager: an animated scroll through a long text redraws
    # it frame by frame and keeps the reader waiting.

    def action_page_down(self) -> None:
        """Scroll down a page at once."""
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        """Scroll up a page at once."""
        self.scroll_page_up(animate=False)

    def action_scroll_home(self) -> None:
        """Go to the start of the text at once."""
        self.scroll_home(animate=False)

    def action_scroll_end(self) -> None:
        """Go to the end of the text at once."""
        self.scroll_end(animate=False)

    def on_click(self, event: events.Click) -> None:
        """Select the passage under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None or self._wrapped is None:
            return
        index = round(self.scroll_y) + offset.y
        if index >= len(self._wrapped):
            return
        start, end = self._wrapped.starts[index], self._wrapped.ends[index]
        at = column_to_offset(self._text, start, end, offset.x - GUTTER)
        hits = [
            h
            for h in self._covering(at, at + 1)
            if h.passage is not None and h.span.start <= at < h.span.end
        ]
        if hits:
            shortest = min(hits, key=lambda h: h.span.end - h.span.start)
            assert shortest.passage is not None
            self.post_message(self.PassageClicked(shortest.passage))


def _expand_tabs(piece: str, column: int) -> tuple[str, int]:
    """The piece with tabs expanded from `column`, and the column after it."""
    if "\t" not in piece and piece.isascii():
        return piece, column + len(piece)
    out: list[str] = []
    for char in piece:
        cells = char_cells(char, column)
        out.append(" " * cells if char == "\t" else char)
        column += cells
    return "".join(out), column
