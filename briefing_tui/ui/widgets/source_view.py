"""The source text, wrapped and highlighted, drawn line by line with the Line API."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from briefing_tui.core.library.model import Passage, Span
from briefing_tui.ui.wrapping import Wrapped, char_cells, column_to_offset, wrap

GUTTER = 2
KEPT_WIDTHS = 3  # wrappings remembered, so toggling between window sizes is instant
_WORD_START = re.compile(r"\b\w")
_WORD_END = re.compile(r"\w\b")
# A sentence ends at . ! ? or … (with closing quotes or brackets) before white space.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s|$)")


class HighlightKind(StrEnum):
    """What a highlighted span is; the order of the members is the order they layer in."""

    CONTEXT = "context"
    SUPPORTS = "supports"
    CONFLICTS = "conflicts"
    MATCH = "match"
    SELECTED = "selected"
    CAPTURE = "capture"  # text the reader is selecting to copy out


# The gutter glyph says what a line holds without relying on colour.
GUTTER_GLYPHS = {
    HighlightKind.CAPTURE: "▌",
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
    ALLOW_SELECT = False  # text is selected with v or a drag, by offsets into the source

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
        & > .source-view--capture {
            text-style: reverse underline;
            background: $accent-muted;
        }
        & > .source-view--gutter {
            color: $text-muted;
        }
    }
    """

    BINDINGS = [
        Binding(
            "v",
            "capture",
            "Select text",
            id="select-text",
            tooltip="Start or end selecting text, at the selected passage or the top line;"
            " arrows, ctrl+arrows (words) and ( ) (sentences) extend it; y / Y copy it",
        ),
        Binding("escape", "end_capture", "End selection", id="end-selection", show=False),
        Binding("ctrl+left", "capture_word(-1)", "Word back", id="select-word-back", show=False),
        Binding("ctrl+right", "capture_word(1)", "Word on", id="select-word-on", show=False),
        Binding(
            "left_parenthesis",
            "capture_sentence(-1)",
            "Sentence back",
            id="select-sentence-back",
            show=False,
        ),
        Binding(
            "right_parenthesis",
            "capture_sentence(1)",
            "Sentence on",
            id="select-sentence-on",
            show=False,
        ),
    ]

    class TextSelected(Message):
        """The text selected to copy out changed (span None: none yet, or no selection)."""

        def __init__(self, span: Span | None, *, selecting: bool) -> None:
            super().__init__()
            self.span = span
            self.selecting = selecting  # a selection is being made, if still empty

    class PassageClicked(Message):
        """A highlighted passage was clicked."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    def __init__(self, *, selectable: bool = True, id: str | None = None) -> None:
        super().__init__(id=id)
        self.selectable = selectable  # whether text can be selected to copy out
        self._text = ""
        self._highlights: list[Highlight] = []
        self._starts: list[int] = []
        self._longest = 0
        self._wrapped: Wrapped | None = None
        self._wraps: dict[int, Wrapped] = {}
        self._lines: LRUCache[tuple[int, int, int], Strip] = LRUCache(1024)
        self._version = 0
        self._pending: Span | None = None
        self._top_wanted: int | None = None
        self._given: list[Highlight] = []
        self._selected: Span | None = None
        # Text being selected to copy out: where it started and where its end is now.
        self._capture: tuple[int, int] | None = None
        self._pressed: int | None = None  # where a mouse button went down
        self._dragged = False
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
        self._capture = None  # a selection belongs to the text it was made in
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

    def scroll_to_offset(self, offset: int) -> None:
        """Scroll so the display line holding a text offset is at the top (a restored place)."""
        if self._wrapped is None:
            self._top_wanted = offset  # before the first layout: once the text is wrapped
            return
        self.scroll_to(y=self._wrapped.line_of(offset), animate=False, immediate=True)

    def _set_highlights(self, highlights: Iterable[Highlight], selected: Span | None) -> None:
        self._given = list(highlights)
        self._selected = selected
        self._layer()

    def _layer(self) -> None:
        """Order the highlights, with the selected span and the text being selected on top."""
        ordered = list(self._given)
        if self._selected is not None:
            ordered.append(Highlight(self._selected, HighlightKind.SELECTED))
        if self.selection is not None:
            ordered.append(Highlight(self.selection, HighlightKind.CAPTURE))
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
        top = self.top_offset() if self._top_wanted is None else self._top_wanted
        self._top_wanted = None
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

    # Selecting text to copy out (v, arrows, words, sentences; or the mouse)

    @property
    def selection(self) -> Span | None:
        """The text selected to copy out, if any."""
        if self._capture is None or self._capture[0] == self._capture[1]:
            return None
        anchor, cursor = self._capture
        return Span(min(anchor, cursor), max(anchor, cursor))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Selecting is for a view that can; extending, only while there is a selection."""
        if action == "capture":
            return self.selectable
        if action in ("end_capture", "capture_word", "capture_sentence"):
            return self._capture is not None
        return True

    def action_capture(self) -> None:
        """Start selecting at the selected span or the top line; again, end the selection."""
        if self._capture is not None:
            self.action_end_capture()
            return
        start = self._selected.start if self._selected is not None else self.top_offset()
        self._capture = (start, start)
        self._changed_capture()

    def action_end_capture(self) -> None:
        """Stop selecting; the selection is dropped."""
        self._capture = None
        self._changed_capture()

    def action_capture_word(self, step: int) -> None:
        """Move the selection's end to the end of this word, or the start of the one before."""
        if self._capture is None:
            return
        cursor = self._capture[1]
        if step > 0:
            found = _WORD_END.search(self._text, cursor)
            self._extend_to(found.end() if found else len(self._text))
        else:
            starts = [m.start() for m in _WORD_START.finditer(self._text, 0, cursor)]
            self._extend_to(starts[-1] if starts else 0)

    def action_capture_sentence(self, step: int) -> None:
        """Move the selection's end to the end of this sentence, or the start of this one."""
        if self._capture is None:
            return
        cursor = self._capture[1]
        if step > 0:
            found = _SENTENCE_END.search(self._text, cursor + 1)
            self._extend_to(found.end() if found else len(self._text))
        else:
            ends = [m.end() for m in _SENTENCE_END.finditer(self._text, 0, max(0, cursor - 1))]
            start = ends[-1] if ends else 0
            while start < cursor and self._text[start].isspace():
                start += 1
            self._extend_to(start)

    def _extend_to(self, offset: int) -> None:
        if self._capture is None:
            return
        self._capture = (self._capture[0], max(0, min(offset, len(self._text))))
        self._changed_capture()
        cursor = self._capture[1]
        self._pending = Span(cursor, cursor)  # keep the moving end in view
        self._scroll_pending()

    def _changed_capture(self) -> None:
        self._layer()
        self.refresh()
        self.post_message(self.TextSelected(self.selection, selecting=self._capture is not None))

    def action_scroll_left(self) -> None:
        """While selecting, move the selection's end back a character."""
        if self._capture is None:
            super().action_scroll_left()
        else:
            self._extend_to(self._capture[1] - 1)

    def action_scroll_right(self) -> None:
        """While selecting, move the selection's end on a character."""
        if self._capture is None:
            super().action_scroll_right()
        else:
            self._extend_to(self._capture[1] + 1)

    def action_scroll_up(self) -> None:
        """Scroll up a line; while selecting, move the selection's end up a display line."""
        if self._capture is None:
            super().action_scroll_up()
        else:
            self._move_lines(-1)

    def action_scroll_down(self) -> None:
        """Scroll down a line; while selecting, move the selection's end down a display line."""
        if self._capture is None:
            super().action_scroll_down()
        else:
            self._move_lines(1)

    def _move_lines(self, step: int) -> None:
        if self._capture is None or self._wrapped is None:
            return
        cursor = self._capture[1]
        line = self._wrapped.line_of(cursor)
        target = max(0, min(len(self._wrapped) - 1, line + step))
        column = cursor - self._wrapped.starts[line]
        start, end = self._wrapped.starts[target], self._wrapped.ends[target]
        self._extend_to(min(start + column, end))

    def _offset_at(self, event: events.MouseEvent) -> int | None:
        """The text offset under the pointer."""
        offset = event.get_content_offset(self)
        if offset is None or self._wrapped is None:
            return None
        index = round(self.scroll_y) + offset.y
        if not 0 <= index < len(self._wrapped):
            return None
        start, end = self._wrapped.starts[index], self._wrapped.ends[index]
        return column_to_offset(self._text, start, end, max(0, offset.x - GUTTER))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """Remember where a drag may start, and follow the pointer until the button is up."""
        self._pressed = self._offset_at(event) if self.selectable else None
        self._dragged = False
        if self._pressed is not None:
            self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        """Select the text dragged over, while the button is held."""
        if self._pressed is None:
            return
        at = self._offset_at(event)
        if at is None or (at == self._pressed and not self._dragged):
            return
        self._dragged = True
        self._capture = (self._pressed, at)
        self._changed_capture()

    def on_mouse_up(self, event: events.MouseUp) -> None:
        """A drag ends; the selection stays for y / Y."""
        self._pressed = None
        self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        """Select the passage under the pointer (a drag selected text instead)."""
        if self._dragged:
            self._dragged = False
            return
        at = self._offset_at(event)
        if at is None:
            return
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
