"""The location bar (where the reader is) and the status line (what the last key did)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from briefing_tui.core.library.loader import bundled_library_path
from briefing_tui.core.library.model import Library
from briefing_tui.core.library.text import escape_name
from briefing_tui.core.places import Place


def library_name(library: Library) -> str:
    """The library's folder name, or "bundled library" for the one that ships with briefing."""
    if library.root.resolve() == bundled_library_path().resolve():
        return "bundled library"
    # The folder is named by whoever made the library: escaped, or it could drive the terminal.
    return escape_name(library.root.name or str(library.root))


def location(library: Library, name: str, place: Place | None) -> Content:
    """Library, topic, source and claim, as one line."""
    parts: list[Content] = [Content.styled(name, "bold")]
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
    return Content(" │ ").join(parts)


def problems(library: Library) -> Content:
    """How many problems loading found, and the key that lists them."""
    count = len(library.diagnostics)
    if not count:
        return Content.styled("no problems", "$text-muted")
    noun = "problem" if count == 1 else "problems"
    return Content.styled(f"⚠ {count} {noun} (e)", "$text-warning bold")


class LocationBar(Horizontal):
    """One line saying where the reader is, with the problems count kept at the right."""

    DEFAULT_CSS = """
    LocationBar {
        height: 1; background: $panel;
        #where { width: 1fr; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
        #problems-count { width: auto; padding: 0 1; }
    }
    """

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._library = library
        self._name = library_name(library)

    def compose(self) -> ComposeResult:
        """Where, then the problems count."""
        yield Static(id="where", markup=False)
        yield Static(problems(self._library), id="problems-count", markup=False)

    def show(self, place: Place | None) -> None:
        """Describe a place in the library."""
        # One line whatever it says: no layout pass needed, which keeps every key cheap.
        self.query_one("#where", Static).update(
            location(self._library, self._name, place), layout=False
        )


class StatusLine(Static):
    """One line saying what the last jump did, or why it could not."""

    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusLine.-refused { color: $text-warning; text-style: bold; }
    StatusLine.-peek { height: auto; max-height: 3; text-wrap: wrap; }
    """

    def say(self, message: Content | str, refused: bool = False) -> None:
        """Show a message; a refusal (nothing to jump to) stands out."""
        # A one-line message needs no layout pass, unless a peek had made the line taller.
        peeked = self.has_class("-peek")
        self.update(Content(message) if isinstance(message, str) else message, layout=peeked)
        self.set_class(refused, "-refused")
        self.remove_class("-peek")

    def peek(self, text: Content) -> None:
        """Show a text in full, wrapped over up to three lines (a claim the sidebar cuts)."""
        self.update(text, layout=True)
        self.remove_class("-refused")
        self.add_class("-peek")
