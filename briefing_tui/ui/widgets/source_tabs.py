"""The source switcher: one tab per source of the topic, and the shown source's details."""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.message import Message
from textual.widget import Widget

from briefing_tui.core.library.model import Brief
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
        active_style = self.get_visual_style("source-tabs--active", partial=True)
        tabs: list[tuple[Content, str]] = []
        sources = self._brief.sources if self._brief else ()
        for position, source in enumerate(sources, start=1):
            label = Content.assemble(f" {position} ", source.label, " ")
            if source.key == self._active:
                label = label.stylize(active_style)
            tabs.append((label, source.key))
        first = self._first_visible(tabs, width)
        line = Content(CLIPPED) if first else Content("")
        self._cells = []
        for number, (label, key) in enumerate(tabs[first:]):
            if number:
                line = line + Content(SEPARATOR)
            self._cells.append((line.cell_length, line.cell_length + label.cell_length, key))
            line = line + label
        shown = self._brief.source(self._active) if self._brief and self._active else None
        details = source_details(shown) if shown else Content("")
        details = details.stylize_before(
            self.get_visual_style("source-tabs--details", partial=True)
        )
        return Content("\n").join([line, details])

    def _first_visible(self, tabs: list[tuple[Content, str]], width: int) -> int:
        """The first tab to draw so that the active one fits in the width."""
        keys = [key for _, key in tabs]
        if self._active not in keys:
            return 0
        active = keys.index(self._active)
        for first in range(active + 1):
            shown = sum(label.cell_length for label, _ in tabs[first : active + 1])
            shown += len(SEPARATOR) * (active - first) + (len(CLIPPED) if first else 0)
            if shown <= width:
                return first
        return active

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
