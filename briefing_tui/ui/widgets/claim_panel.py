"""The claim panel: the chosen claim and its passages by stance, or the topic's overview."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.cache import LRUCache
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from briefing_tui.core.library.model import Brief, Claim, Passage, Stance
from briefing_tui.ui.labels import (
    STANCE_GLYPHS,
    STANCE_LEGEND,
    STATUS_GLYPHS,
    STATUS_LEGEND,
    STATUS_STYLES,
    anchor_remark,
    badge,
    claim_line,
    cut,
    source_details,
    stance_mark,
)

HEADER = "header"
LABEL_CHARS = 60
# A topic naming thousands of sources lists the first few: the overview is drawn on every
# topic switch, and a list of all of them would take seconds.
SOURCES_LISTED = 12  # a source's label on one line of the panel, however long its title
LEGEND = Content.styled(f"\n{STANCE_LEGEND}\n{STATUS_LEGEND}", "$text-muted")
OPTIONS_KEPT = 64
STANCE_HEADINGS = {
    Stance.SUPPORTS: "Supports",
    Stance.CONFLICTS: "Conflicts",
    Stance.CONTEXT: "Context",
}


# The reader's own notes, by the passage they are on (its position in the claim; None: on the
# claim itself). Kept apart from the curator's notes, and marked as the reader's.
ReaderNotes = tuple[tuple[int | None, str], ...]
YOUR_NOTE = "✎ your note: "


def _your_note(text: str) -> list[Content | str | tuple[str, str]]:
    return ["\n", (YOUR_NOTE, "$text-accent bold"), (text, "$text-accent")]


def _passage_option(brief: Brief, number: int, passage: Passage, mine: str | None) -> Option:
    parts: list[Content | str | tuple[str, str]] = [
        stance_mark(passage.stance),
        (cut(brief.source_label(passage.source_key), LABEL_CHARS), "bold"),
        "\n“",
        passage.quote,
        "”",
    ]
    if passage.note:
        parts += ["\n", ("note: ", "italic"), passage.note]
    if mine:
        parts += _your_note(mine)
    remark = anchor_remark(passage)
    if remark:
        parts += ["\n", (f"⚠ {remark}", "$text-warning")]
    return Option(Content.assemble(*parts), id=_passage_id(number))


def _passage_id(number: int) -> str:
    """The option id of a claim's passage, by its position in the claim (one claim is listed)."""
    return f"passage-{number}"


def _claim_header(claim: Claim, mine: str | None) -> Content:
    status = Content.styled(
        f"{STATUS_GLYPHS[claim.status]} {claim.status}", f"{STATUS_STYLES[claim.status]} bold"
    )
    parts: list[Content | str | tuple[str, str]] = [
        (claim.text, "bold"),
        "\n",
        badge(claim),
        " ",
        status,
    ]
    if claim.note:
        parts += ["\n", ("note: ", "italic"), claim.note]
    if mine:
        parts += _your_note(mine)
    parts += [LEGEND]
    return Content.assemble(*parts)


def _topic_header(brief: Brief) -> Content:
    parts: list[Content | str | tuple[str, str]] = [(brief.title, "bold")]
    if brief.summary:
        parts += ["\n", brief.summary]
    if brief.tags:
        parts += ["\n", ("tags: ", "italic"), ", ".join(brief.tags)]
    parts.append(("\n\nSources", "bold"))
    for position, source in enumerate(brief.sources[:SOURCES_LISTED], start=1):
        parts += [f"\n{position}. ", source_details(source)]
    if len(brief.sources) > SOURCES_LISTED:
        more = len(brief.sources) - SOURCES_LISTED
        parts.append((f"\n… and {more:,} more (s, S and the tabs show them)", "italic"))
    parts.append(("\n\nClaims" if brief.claims else "\n\nNo claims yet.", "bold"))
    if brief.claims:
        parts.append(LEGEND)
    return Content.assemble(*parts)


class ClaimPanel(Vertical):
    """Shows a claim with its passages grouped by stance; choosing a passage jumps to it."""

    HELP_NAME = "In the claim panel"

    # The header is the list's first (disabled) option rather than a widget of its own:
    # a new claim then changes one widget's content, and costs one layout pass, not three.
    DEFAULT_CSS = """
    ClaimPanel {
        #claim-passages {
            height: 1fr;
            overflow-y: scroll;
            & > .option-list--option-disabled { color: $foreground; }
        }
    }
    """

    class PassageChosen(Message):
        """A passage was chosen in the claim panel."""

        def __init__(self, passage: Passage) -> None:
            super().__init__()
            self.passage = passage

    class ClaimChosen(Message):
        """A claim was chosen from the topic overview."""

        def __init__(self, brief: Brief, claim: Claim) -> None:
            super().__init__()
            self.brief = brief
            self.claim = claim

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._brief: Brief | None = None
        self._claim: Claim | None = None
        # Options kept per topic and claim: an option measures its height once per width,
        # so coming back to a claim costs no re-wrapping of its quotes. Forgotten when the
        # library is replaced.
        self._options: LRUCache[tuple[str, str | None, ReaderNotes], list[Option]] = LRUCache(
            OPTIONS_KEPT
        )
        self._notes: ReaderNotes = ()

    def compose(self) -> ComposeResult:
        """The list: a header, then the passages (or the topic's claims)."""
        yield OptionList(id="claim-passages")

    def forget(self) -> None:
        """Drop the options kept for claims: the library they were built from is gone."""
        self._options.clear()
        self._brief = self._claim = None

    def show(
        self,
        brief: Brief,
        claim: Claim | None,
        passage: Passage | None,
        notes: ReaderNotes = (),
    ) -> None:
        """Show a claim (or the topic, when no claim is chosen) and mark the passage."""
        options = self.query_one(OptionList)
        if brief is not self._brief or claim is not self._claim or notes != self._notes:
            self._brief, self._claim, self._notes = brief, claim, notes
            key = (brief.path, claim.key if claim else None, notes)
            listed = self._options.get(key)
            if listed is None:
                listed = self._options[key] = self._list(brief, claim, dict(notes))
            options.set_options(listed)
        if claim is not None and passage is not None:
            number = next((n for n, p in enumerate(claim.passages) if p is passage), None)
            if number is not None:
                options.highlighted = options.get_option_index(_passage_id(number))

    def _list(
        self, brief: Brief, claim: Claim | None, notes: dict[int | None, str]
    ) -> list[Option]:
        """The header, then the claim's passages by stance (or the topic's claims)."""
        if claim is None:
            header = Option(_topic_header(brief), id=HEADER, disabled=True)
            return [header, *(Option(claim_line(c), id=f"claim-{c.index}") for c in brief.claims)]
        header = Option(_claim_header(claim, notes.get(None)), id=HEADER, disabled=True)
        return [header, *self._passage_options(brief, claim, notes)]

    @staticmethod
    def _passage_options(brief: Brief, claim: Claim, notes: dict[int | None, str]) -> list[Option]:
        options: list[Option] = []
        for stance in Stance:
            group = [p for p in claim.passages if p.stance is stance]
            if not group:
                continue
            heading = Content.assemble(
                (f"{STANCE_GLYPHS[stance]} {STANCE_HEADINGS[stance]} ({len(group)})", "bold"),
            )
            options.append(Option(heading, disabled=True))
            options.extend(
                _passage_option(brief, n, p, notes.get(n))
                for n, p in enumerate(claim.passages)
                if p.stance is stance
            )
        return options

    @on(OptionList.OptionSelected)
    def _announce_choice(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if self._brief is None:
            return
        if option_id.startswith("claim-"):
            self.post_message(self.ClaimChosen(self._brief, self._brief.claims[int(option_id[6:])]))
        elif option_id.startswith("passage-") and self._claim is not None:
            self.post_message(self.PassageChosen(self._claim.passages[int(option_id[8:])]))
