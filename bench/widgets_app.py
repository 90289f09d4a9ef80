"""A second reference for start-up: the reader's first screen drawn by Textual alone.

Textual's own widgets, the reader's stylesheet and footer keys, and the words the reader's
first screen shows (its topics and claims in a Tree, the first source in a Static, the
topic's overview in an OptionList), read from a JSON file that `write_screen` made
beforehand; not one module of briefing is imported. What this app takes beyond the
minimal app is what Textual's widgets cost to draw that screen; what `briefing` takes
beyond this app is briefing's own code: its imports, reading the library and state, and
its widgets' work. With --statics the topics and the claim panel are plain `Static`s
holding the same lines, which tells what the `Tree` and the `OptionList` cost.

    python bench/widgets_app.py SCREEN.json [--statics]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.widgets import Footer, OptionList, Static, Tree
from textual.widgets.option_list import Option

# The reader's first status message, which bench/terminal.py waits for.
READY = "Enter chooses a topic or claim; ? lists every key."
# What the reader shows of a source at first: enough to fill any terminal measured.
SOURCE_CHARS = 8000


class WidgetsApp(App[None]):
    """The reader's first screen, from a description of what it shows."""

    def __init__(self, screen: dict[str, Any], *, statics: bool = False) -> None:
        super().__init__(css_path=screen["css"])
        self.shown = screen
        self.statics = statics

    def compose(self) -> ComposeResult:
        """The reader's layout: location, topics, tabs and source, claim panel, status, keys."""
        shown = self.shown
        yield Static(shown["location"], id="location", markup=False)
        with Grid(id="body"):
            yield self._topics() if not self.statics else self._topic_lines()
            with Vertical(id="reader-source"):
                yield Static(shown["tabs"], id="tabs", markup=False)
                yield Static(shown["source"], id="source", markup=False)
            if self.statics:
                lines = "\n".join([shown["overview"], *shown["claims"]])
                yield Static(lines, id="claim", markup=False)
            else:
                options = [Option(shown["overview"], disabled=True)]
                options += [Option(line) for line in shown["claims"]]
                yield OptionList(*options, id="claim")
        yield Static(READY, id="status", markup=False)
        yield Footer()

    def _topics(self) -> Tree[None]:
        """The topics and the claims of the expanded ones, in a Tree."""
        tree: Tree[None] = Tree("Topics", id="topics")
        tree.show_root = False
        for title, claims, expanded in self.shown["topics"]:
            node = tree.root.add(title, expand=expanded, allow_expand=bool(claims))
            # A collapsed topic's claims are not drawn: made only when it is opened, as the
            # reader makes them.
            for claim in claims if expanded else ():
                node.add_leaf(claim)
        return tree

    def _topic_lines(self) -> Static:
        """The same lines as the Tree's, in a Static that can take the focus."""
        lines: list[str] = []
        for title, claims, expanded in self.shown["topics"]:
            lines.append(("▼ " if expanded else "▶ ") + title)
            lines += [f"├── {claim}" for claim in claims if expanded]
        topics = Static("\n".join(lines), id="topics", markup=False)
        # One line a node, cut at the edge, as in a Tree.
        topics.styles.text_wrap = "nowrap"
        topics.styles.text_overflow = "clip"
        topics.can_focus = True
        return topics

    def on_mount(self) -> None:
        """The topics have the focus, as in the reader."""
        self.query_one("#topics").focus()

    def action_noop(self, key: int) -> None:
        """Every footer key does nothing here."""


def with_keys(screen: dict[str, Any]) -> type[WidgetsApp]:
    """The app with the reader's footer keys (each its own action: the footer shows each
    action once), which Textual reads from the class, when it is made."""
    keys = [
        Binding(key, f"noop({number})", description)
        for number, (key, description) in enumerate(screen["keys"])
    ]
    return type("ReaderScreenApp", (WidgetsApp,), {"BINDINGS": keys})


def write_screen(library: str | None, to: Path) -> Path:
    """Describe the reader's first screen on a library (None: the bundled one) in `to`."""
    # Imported here: the app itself must not pay for briefing's modules.
    from briefing_tui.core.library.loader import load_library
    from briefing_tui.ui.keys import READER_BINDINGS
    from briefing_tui.ui.labels import badge_text
    from briefing_tui.ui.widgets.topics import EXPANDED_LINES

    loaded = load_library(library)
    lines = len(loaded.briefs) + sum(len(brief.claims) for brief in loaded.briefs)
    brief = loaded.briefs[0]
    topics = [
        (
            other.title,
            [f"{badge_text(claim)} {claim.text}" for claim in other.claims],
            other is brief or lines <= EXPANDED_LINES,
        )
        for other in loaded.briefs
    ]
    first = brief.sources[0].source if brief.sources else None
    screen = {
        "css": str(Path(sys.modules["briefing_tui.ui"].__file__ or "").parent / "briefing.tcss"),
        "keys": [
            (binding.key, binding.description)
            for binding in READER_BINDINGS
            if isinstance(binding, Binding) and binding.show
        ],
        "location": f"{loaded.root.name} › {brief.title}",
        "topics": topics,
        "tabs": "  ".join(source.key for source in brief.sources),
        "source": first.text[:SOURCE_CHARS] if first is not None else "",
        "overview": "\n".join(filter(None, [brief.title, brief.summary, "Sources", "Claims"])),
        "claims": [f"{badge_text(claim)} {claim.text}" for claim in brief.claims],
    }
    to.parent.mkdir(parents=True, exist_ok=True)
    to.write_text(json.dumps(screen), encoding="utf-8")
    return to


def command(screen: Path, *, statics: bool = False) -> list[str]:
    """How the benchmarks spawn this app on a screen `write_screen` described."""
    return [sys.executable, str(Path(__file__).resolve()), str(screen)] + ["--statics"] * statics


if __name__ == "__main__":
    described = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    with_keys(described)(described, statics="--statics" in sys.argv[2:]).run()
