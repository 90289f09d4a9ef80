"""The command palette: topics, claims, sources and the reader's actions, fuzzy-matched."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch

from briefing_tui.ui.screens.reader import ReaderScreen


@dataclass(frozen=True, slots=True)
class Entry:
    """One thing the palette offers: what is shown, what it does and a fixed help line."""

    kind: str
    name: str
    run: Callable[[], object]
    help: str  # the palette parses help as markup, so it never holds library text


class BriefingCommands(Provider):
    """Topics, claims, sources and actions of the reader."""

    def _entries(self) -> Iterator[Entry]:
        reader = self.screen
        if not isinstance(reader, ReaderScreen):
            return  # the palette offers the reader's places and keys, over the reader only
        for brief in reader.library.briefs:
            yield Entry("topic", brief.title, partial(reader.open_claim, brief, None), "Topic")
            for claim in brief.claims:
                run = partial(reader.open_claim, brief, claim)
                yield Entry("claim", claim.text, run, "Claim")
            for source in brief.sources:
                name = f"{source.label} ({brief.title})"
                yield Entry(
                    "source", name, partial(reader.open_source, brief, source.key), "Source"
                )
        located = reader.located()
        if located is not None and located.claim is not None:
            yield Entry(
                "action",
                "Suggest passages for this claim",
                reader.action_suggest,
                "Sentences of this topic's sources no passage quotes yet that bear on the claim",
            )
        offered: set[str] = set()
        app = self.app
        for active in reader.active_bindings.values():
            binding = active.binding
            if binding.description and active.node is reader and binding.action not in offered:
                offered.add(binding.action)
                act = partial(reader.run_action, binding.action)
                help_line = (
                    f"{binding.tooltip or binding.description} ({app.get_key_display(binding)})"
                )
                yield Entry("action", binding.description, act, help_line.replace("[", "\\["))

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
