"""Tabs naming the sources of the current topic, and the shown source's details."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, Tab, Tabs

from briefing_tui.core.model import Brief
from briefing_tui.ui.labels import source_details


def _tab_id(position: int) -> str:
    return f"source-{position}"


class SourceTabs(Vertical):
    """One tab per source of a brief, with outlet, title, date and kind of the active one."""

    DEFAULT_CSS = """
    SourceTabs {
        height: auto;
        #source-details { height: 1; padding: 0 1; color: $text-muted; }
    }
    """

    class SourceChosen(Message):
        """A source tab was chosen by the user."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, brief: Brief, key: str | None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._brief = brief
        self._active = key

    def compose(self) -> ComposeResult:
        """Tabs for the brief's sources, then the details line."""
        tabs = []
        active = None
        for position, source in enumerate(self._brief.sources):
            label = Content.assemble(f"{position + 1} ", source.label)
            tabs.append(Tab(label, id=_tab_id(position)))
            if source.key == self._active:
                active = _tab_id(position)
        yield Tabs(*tabs, active=active)
        yield Static(self._details(), id="source-details", markup=False)

    def _details(self) -> Content:
        if self._active is None:
            return Content("")
        source = self._brief.source(self._active)
        return source_details(source) if source else Content("")

    def show(self, brief: Brief, key: str | None) -> None:
        """Show the tabs of a brief with one source active."""
        if brief is not self._brief:
            self._brief, self._active = brief, key
            self.refresh(recompose=True)
            return
        if key == self._active:
            return
        self._active = key
        keys = [s.key for s in brief.sources]
        if key in keys:
            self.query_one(Tabs).active = _tab_id(keys.index(key))
        self.query_one("#source-details", Static).update(self._details())

    @on(Tabs.TabActivated)
    def _announce_choice(self, event: Tabs.TabActivated) -> None:
        event.stop()
        if event.tab is None or event.tab.id is None:
            return
        key = self._brief.sources[int(event.tab.id.removeprefix("source-"))].key
        if key != self._active:
            self.post_message(self.SourceChosen(key))
