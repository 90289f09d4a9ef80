"""The command palette: topics, claims, sources and the reader's actions, fuzzy-matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch

if TYPE_CHECKING:
    from briefing_tui.ui.app import BriefingApp


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing the palette offers: what is shown, what it does and a fixed help line."""

    kind: str
    name: str
    run: Callable[[], object]
    help: str  # the palette parses help as markup, so it never holds library text


class BriefingCommands(Provider):
    """Topics, claims, sources and actions of the reader."""

    def _app(self) -> BriefingApp:
        from briefing_tui.ui.app import BriefingApp

        assert isinstance(self.app, BriefingApp)
        return self.app

    def _entries(self) -> Iterator[Entry]:
        app = self._app()
        for brief in app.library.briefs:
            yield Entry("topic", brief.title, partial(app.open_claim, brief.index, None), "Topic")
            for claim in brief.claims:
                run = partial(app.open_claim, brief.index, claim.index)
                yield Entry("claim", claim.text, run, "Claim")
            for source in brief.sources:
                name = f"{source.label} ({brief.title})"
                yield Entry(
                    "source", name, partial(app.open_source_of, brief.index, source.key), "Source"
                )
        offered: set[str] = set()
        for active in self.screen.active_bindings.values():
            binding = active.binding
            if binding.description and active.node is app and binding.action not in offered:
                offered.add(binding.action)
                run = partial(app.run_action, binding.action)
                help_line = (
                    f"{binding.tooltip or binding.description} ({app.get_key_display(binding)})"
                )
                yield Entry("action", binding.description, run, help_line.replace("[", "\\["))

    @staticmethod
    def _display(entry: Entry, offsets: tuple[int, ...] = ()) -> Content:
        # Textual's Matcher.highlight parses the candidate as markup; ours never does.
        name = Content(entry.name)
        for offset in offsets:
            name = name.stylize("bold underline", offset, offset + 1)
        return Content.assemble((f"{entry.kind}: ", "dim"), name)

    async def discover(self) -> Hits:
        """Every topic and action, before anything is typed."""
        for entry in self._entries():
            if entry.kind in ("topic", "action"):
                yield DiscoveryHit(
                    self._display(entry), entry.run, text=entry.name, help=entry.help
                )

    async def search(self, query: str) -> Hits:
        """Everything whose name fuzzily matches the query."""
        fuzzy = FuzzySearch()
        for entry in self._entries():
            score, offsets = fuzzy.match(query, entry.name)
            if score > 0:
                yield Hit(
                    score,
                    self._display(entry, tuple(offsets)),
                    entry.run,
                    text=entry.name,
                    help=entry.help,
                )
