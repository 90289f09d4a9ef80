"""The reader's keys: one Binding per action, with an id (for keymaps) and a tooltip."""

from __future__ import annotations

from textual.binding import Binding

# Footer order: the reading keys first (help, search, passages, the two jumps), so that they
# show even in 80 columns; the rest follow as the width allows, and all are in the help.
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
        "n",
        "jump('next')",
        "Next",
        id="next-passage",
        tooltip="Next passage in this source (from the last, round to the first)",
    ),
    Binding(
        "p",
        "jump('previous')",
        "Prev",
        id="previous-passage",
        tooltip="Previous passage in this source (from the first, round to the last)",
    ),
    Binding(
        "x",
        "jump('conflicting')",
        "Conflicting",
        id="conflicting",
        tooltip="Next passage conflicting with the selected one, in any source; again for each",
    ),
    Binding(
        "c",
        "jump('corroborating')",
        "Corroborating",
        id="corroborating",
        tooltip="Next passage corroborating the selected one, in any source; again for each",
    ),
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
    Binding(
        "right_square_bracket",
        "step_topic(1)",
        "Next topic",
        id="next-topic",
        tooltip="Go to the next topic (brief); from the last, round to the first",
    ),
    Binding(
        "left_square_bracket",
        "step_topic(-1)",
        "Prev topic",
        id="previous-topic",
        tooltip="Go to the previous topic (brief); from the first, round to the last",
    ),
    Binding("b,alt+left", "go_back", "Back", id="back", tooltip="Back to where the last jump left"),
    Binding(
        "f,alt+right", "go_forward", "Fwd", id="forward", tooltip="Forward again after going back"
    ),
    Binding(
        "s",
        "step_source(1)",
        "Source",
        id="next-source",
        tooltip="Show the topic's next source (from the last, round to the first)",
    ),
    Binding(
        "S",
        "step_source(-1)",
        "Prev source",
        id="previous-source",
        tooltip="Show the topic's previous source (from the first, round to the last)",
        show=False,
    ),
    *(
        Binding(
            str(number),
            f"source_number({number})",
            f"Source {number}",
            id=f"source-{number}",
            tooltip=f"Show the topic's source number {number}",
            show=False,
        )
        for number in range(1, 10)
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
    Binding(
        "asterisk",
        "bookmark",
        "Bookmark",
        id="bookmark",
        tooltip="Bookmark the selected passage (or the claim), or remove its bookmark",
        show=False,
    ),
    Binding(
        "B",
        "bookmarks",
        "Bookmarks and notes",
        id="bookmarks",
        tooltip="List your bookmarks and notes; Enter goes there",
        show=False,
    ),
    Binding(
        "a",
        "note",
        "Note",
        id="note",
        tooltip="Write your own note on the selected passage (or the claim)",
        show=False,
    ),
    Binding(
        "y",
        "copy_citation",
        "Copy citation",
        id="copy-citation",
        tooltip="Copy the selected passage or text as a citation: quote, source, file:line",
        show=False,
    ),
    Binding(
        "Y",
        "copy_yaml",
        "Copy YAML passage",
        id="copy-yaml",
        tooltip="Copy the selected passage or text as a YAML passage to paste into a brief",
        show=False,
    ),
    Binding("q", "app.quit", "Quit", id="quit", tooltip="Leave briefing", show=False),
]

# Actions that need a topic to act on: hidden when the library has no briefs.
READING_ACTIONS = frozenset(
    {
        "step_topic",
        "jump",
        "go_back",
        "go_forward",
        "step_source",
        "source_number",
        "search",
        "matrix",
        "compare",
        "figures",
        "bookmark",
        "bookmarks",
        "note",
        "copy_citation",
        "copy_yaml",
    }
)
