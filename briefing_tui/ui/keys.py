"""The reader's keys: one Binding per action, with an id (for keymaps) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

# Footer order: help and search first, so they show even in 80 columns.
READER_BINDINGS = [
    Binding("question_mark,f1", "help", "Help", id="help", tooltip="Show this list of keys"),
    Binding(
        "slash",
        "search",
        "Search",
        id="search",
        tooltip="Search sources, claims, notes and titles",
    ),
    Binding(
        "right_square_bracket",
        "next_topic",
        "Next topic",
        id="next-topic",
        tooltip="Go to the next topic (brief)",
    ),
    Binding(
        "left_square_bracket",
        "previous_topic",
        "Prev topic",
        id="previous-topic",
        tooltip="Go to the previous topic (brief)",
    ),
    Binding(
        "n",
        "jump('next')",
        "Next",
        id="next-passage",
        tooltip="Next passage in this source, or its first",
    ),
    Binding(
        "p",
        "jump('previous')",
        "Prev",
        id="previous-passage",
        tooltip="Previous passage in this source, or its last",
    ),
    Binding(
        "c",
        "jump('corroborating')",
        "Agrees",
        id="corroborating",
        tooltip="Next passage of this claim with the same stance, in any source",
    ),
    Binding(
        "x",
        "jump('conflicting')",
        "Conflicts",
        id="conflicting",
        tooltip="Next passage of this claim with the opposite stance, in any source",
    ),
    Binding("b,alt+left", "go_back", "Back", id="back", tooltip="Back to where the last jump left"),
    Binding(
        "f,alt+right", "go_forward", "Fwd", id="forward", tooltip="Forward again after going back"
    ),
    Binding(
        "s",
        "next_source",
        "Source",
        id="next-source",
        tooltip="Show the next source of this topic",
    ),
    Binding(
        "e",
        "problems",
        "Problems",
        id="problems",
        tooltip="Problems found while loading the library",
    ),
    Binding(
        "r",
        "reload",
        "Reload library",
        id="reload",
        tooltip="Read the library again from its files, keeping the place",
        show=False,
    ),
    Binding("q", "app.quit", "Quit", id="quit", tooltip="Leave briefing", show=False),
    Binding(
        "m",
        "matrix",
        "Claim matrix",
        id="matrix",
        tooltip="Claims against sources: each source's stance on each claim",
    ),
    Binding(
        "equals_sign",
        "compare",
        "Compare sources",
        id="compare",
        tooltip="Two sources side by side, the passage facing its partner in the other",
    ),
    Binding(
        "number_sign",
        "figures",
        "Figures",
        id="figures",
        tooltip="Figures and dates the sources give for each claim, and where they differ",
    ),
]

# Actions that need a topic to act on: hidden when the library has no briefs.
READING_ACTIONS = frozenset(
    {
        "next_topic",
        "previous_topic",
        "jump",
        "go_back",
        "go_forward",
        "next_source",
        "search",
        "matrix",
        "compare",
        "figures",
    }
)
