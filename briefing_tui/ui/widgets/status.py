"""The location bar (where the reader is) and the status line (what the last key did)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Static

from briefing_tui.core.library.loader import bundled_library_path
from briefing_tui.core.library.model import Library
from briefing_tui.core.library.text import escape_name
from briefing_tui.core.places import Located


def library_name(library: Library) -> str:
    """The library's folder name, or "bundled library" for the one that ships with briefing."""
    if library.root.resolve() == bundled_library_path().resolve():
        return "bundled library"
    # The folder is named by whoever made the library: escaped, or it could drive the terminal.
    return escape_name(library.root.name or str(library.root))


def location(library: Library, name: str, located: Located | None) -> Content:
    """Library, topic, source and claim, as one line."""
    parts: list[Content] = [Content.styled(name, "bold")]
    if located is not None:
        brief = located.brief
        parts.append(
            Content.assemble(f"topic {brief.index + 1}/{len(library.briefs)} ", brief.title)
        )
        keys = [s.key for s in brief.sources]
        if located.source is not None:
            position = keys.index(located.source.key) + 1
            parts.append(Content.assemble(f"source {position}/{len(keys)} ", located.source.label))
        if located.claim is not None:
            parts.append(Content(f"claim {located.claim.index + 1}/{len(brief.claims)}"))
    return Content(" │ ").join(parts)


def problems(library: Library) -> Content:
    """How many problems loading found, and the key that lists them."""
    counts = library.problems
    count = counts.errors + counts.warnings
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

    _name = ""

    def compose(self) -> ComposeResult:
        """Where, then the problems count."""
        yield Static(id="where", markup=False)
        yield Static(id="problems-count", markup=False)

    def show_library(self, library: Library) -> None:
        """Name a library (newly loaded or reloaded) and count its problems."""
        self._name = library_name(library)
        self.query_one("#problems-count", Static).update(problems(library))

    def show(self, library: Library, located: Located | None) -> None:
        """Describe a place in the library."""
        # One line whatever it says: no layout pass needed, which keeps every key cheap.
        self.query_one("#where", Static).update(
            location(library, self._name, located), layout=False
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
