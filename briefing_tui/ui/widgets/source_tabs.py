"""The source switcher: one tab per source of the topic, and the shown source's details."""

from __future__ import annotations

from rich.cells import cell_len
from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from briefing_tui.core.library.model import Brief, BriefSource
from briefing_tui.ui.labels import source_details

SEPARATOR = " │ "
CLIPPED = "‹ "


class SourceTabs(Widget):
    """Tabs naming a topic's sources (the shown one reversed), then the shown one's details."""

    # Drawn as two lines of Content rather than a Tabs widget: changing topic then changes
    # what is drawn, without mounting widgets, which keeps topic keys fast.

    DEFAULT_CSS = """
    SourceTabs {
        height: 2;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        background: $panel;
        & > .source-tabs--active { text-style: bold reverse; }
        & > .source-tabs--details { color: $text-muted; }
    }
    """
    COMPONENT_CLASSES = {"source-tabs--active", "source-tabs--details"}

    class SourceChosen(Message):
        """A source tab was clicked."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._brief: Brief | None = None
        self._active: str | None = None
        self._cells: list[tuple[int, int, str]] = []  # (first cell, end cell, key) per tab

    def show(self, brief: Brief, key: str | None) -> None:
        """Show the tabs of a brief with one source active."""
        if brief is not self._brief or key != self._active:
            self._brief, self._active = brief, key
            self.refresh()

    def render(self) -> Content:
        """The tab line, clipped so the active tab shows, then the details line."""
        width = self.content_region.width or self.size.width
        sources = self._brief.sources if self._brief else ()
        keys = [source.key for source in sources]
        active = keys.index(self._active) if self._active in keys else None
        # Only the tabs in view are measured and drawn: a topic may name thousands of
        # sources, and building the whole line on each switch would cost seconds.
        first = 0 if active is None else self._first_visible(sources, active, width)
        pieces: list[str | Content] = [CLIPPED] if first else []
        length = len(CLIPPED) if first else 0
        self._cells = []
        active_style = self.get_visual_style("source-tabs--active", partial=True)
        for position in range(first, len(sources)):
            if length > width:
                break  # one tab past the edge, so the line ends in an ellipsis
            if position > first:
                pieces.append(SEPARATOR)
                length += len(SEPARATOR)
            text = _label(position, sources)
            label = Content(text).stylize(active_style) if position == active else text
            pieces.append(label)
            self._cells.append((length, length + cell_len(text), keys[position]))
            length += cell_len(text)
        line = Content.assemble(*pieces)
        shown = sources[active] if active is not None else None
        details = source_details(shown) if shown else Content("")
        details = details.stylize_before(
            self.get_visual_style("source-tabs--details", partial=True)
        )
        return Content("\n").join([line, details])

    @staticmethod
    def _first_visible(sources: tuple[BriefSource, ...], active: int, width: int) -> int:
        """The first tab to draw so that the active one fits in the width."""
        # Walking back from the active tab measures only the tabs that will be drawn.
        first = active
        used = cell_len(_label(active, sources))
        while first > 0:
            wider = used + len(SEPARATOR) + cell_len(_label(first - 1, sources))
            if wider + (len(CLIPPED) if first > 1 else 0) > width:
                break
            first, used = first - 1, wider
        return first

    def on_click(self, event: events.Click) -> None:
        """Announce the source whose tab was clicked."""
        offset = event.get_content_offset(self)
        if offset is None or offset.y != 0:
            return
        for start, end, key in self._cells:
            if start <= offset.x < end:
                if key != self._active:
                    self.post_message(self.SourceChosen(key))
                return


def _label(position: int, sources: tuple[BriefSource, ...]) -> str:
    """The text of a tab: its number and the source's label, on one line."""
    return f" {position + 1} {' '.join(sources[position].label.split())} "
