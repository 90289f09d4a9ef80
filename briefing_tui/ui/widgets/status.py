"""The location bar (where the reader is) and the status line (what the last key did)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from briefing_tui.core.model import Library
from briefing_tui.ui.navigation import Place


def location(library: Library, place: Place | None) -> Content:
    """Library, topic, source, claim and problems, as one line."""
    parts: list[Content] = [Content.styled(library.root.name or str(library.root), "bold")]
    if place is not None and library.briefs:
        brief = library.briefs[place.brief]
        parts.append(
            Content.assemble(f"topic {brief.index + 1}/{len(library.briefs)} ", brief.title)
        )
        keys = [s.key for s in brief.sources]
        if place.source_key in keys:
            source = brief.sources[keys.index(place.source_key)]
            position = keys.index(place.source_key) + 1
            parts.append(Content.assemble(f"source {position}/{len(keys)} ", source.label))
        if place.claim is not None:
            parts.append(Content(f"claim {place.claim + 1}/{len(brief.claims)}"))
    problems = len(library.diagnostics)
    if problems:
        noun = "problem" if problems == 1 else "problems"
        parts.append(Content.styled(f"⚠ {problems} {noun}", "$text-warning bold"))
    else:
        parts.append(Content.styled("no problems", "$text-muted"))
    return Content(" │ ").join(parts)


class LocationBar(Static):
    """One line saying where the reader is."""

    DEFAULT_CSS = """
    LocationBar {
        height: 1; padding: 0 1; background: $panel; text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    def show(self, library: Library, place: Place | None) -> None:
        """Describe a place in the library."""
        self.update(location(library, place))


class StatusLine(Static):
    """One line saying what the last jump did, or why it could not."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine.-refused { color: $text-warning; text-style: bold; }
    """

    def say(self, message: Content | str, refused: bool = False) -> None:
        """Show a message; a refusal (nothing to jump to) stands out."""
        self.update(Content(message) if isinstance(message, str) else message)
        self.set_class(refused, "-refused")
