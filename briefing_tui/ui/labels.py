"""Short displayed forms of model objects, built as Content so no data is read as markup."""

from __future__ import annotations

from textual.content import Content

from briefing_tui.core.library.model import (
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    ClaimStatus,
    Passage,
    Stance,
)

# A claim's status is said by its badge's counts (a ✖ means contested), its colour and a
# text style, so it reads without colour too.
STATUS_STYLES = {
    ClaimStatus.CORROBORATED: "$text-success",
    ClaimStatus.CONTESTED: "$text-error bold",
    ClaimStatus.SINGLE_SOURCE: "$text-muted italic",
}
# Where a status must fit one cell (the matrix's narrow claim column), these marks say it:
# none of them is a stance's glyph, so a mark keeps one meaning.
STATUS_GLYPHS = {
    ClaimStatus.CORROBORATED: "●",
    ClaimStatus.CONTESTED: "▲",
    ClaimStatus.SINGLE_SOURCE: "·",
}
STANCE_GLYPHS = {Stance.SUPPORTS: "✔", Stance.CONFLICTS: "✖", Stance.CONTEXT: "○"}
STANCE_STYLES = {
    Stance.SUPPORTS: "$text-success",
    Stance.CONFLICTS: "$text-error",
    Stance.CONTEXT: "$text-primary",
}
# The legend, one line each: shown in the help screen and the claim panel.
STANCE_LEGEND = "✔ supports · ✖ conflicts · ○ context; a badge counts the passages of each"
STATUS_LEGEND = "● corroborated: 2+ sources support · ▲ contested: one conflicts · · single-source"


def stance_mark(stance: Stance, text: str = "") -> Content:
    """The stance's glyph (and text), in the stance's style."""
    return Content.styled(f"{STANCE_GLYPHS[stance]} {text}", STANCE_STYLES[stance])


UNKNOWN = "unknown"


def badge_text(claim: Claim) -> str:
    """The claim's passages counted by stance, e.g. "✔2 ✖1" (stances it lacks left out)."""
    counts = ((STANCE_GLYPHS[stance], claim.count(stance)) for stance in Stance)
    return " ".join(f"{glyph}{count}" for glyph, count in counts if count)


def badge(claim: Claim) -> Content:
    """The claim's badge, in its status's colour and style."""
    return Content.styled(badge_text(claim), STATUS_STYLES[claim.status])


def claim_line(claim: Claim) -> Content:
    """A claim as one tree or list line: badge then text."""
    return Content.assemble(badge(claim), " ", claim.text)


def meta_or_unknown(value: str | None, what: str) -> Content:
    """A metadata value, or "<what> unknown" in a dim style when the source does not say."""
    if value:
        return Content(value)
    return Content.styled(f"{what} {UNKNOWN}", "$text-muted italic")


def source_details(source: BriefSource) -> Content:
    """A source's label, then its title, date and kind as far as it states them, and its file."""
    meta = source.meta
    parts = [Content.styled(source.label, "bold")]
    if meta.outlet and meta.title:
        parts.append(Content(meta.title))
    if not (meta.outlet or meta.title):
        parts.append(Content.styled("no outlet or title stated", "$text-muted italic"))
    parts.append(meta_or_unknown(meta.published, "date"))
    if meta.kind:
        parts.append(Content(meta.kind))
    if meta.outlet or meta.title:
        parts.append(Content.styled(source.source.path, "$text-muted"))
    details = Content(" · ").join(parts)
    if meta.note:
        details = Content.assemble(details, " · note: ", meta.note)
    return details


def anchor_remark(passage: Passage) -> str | None:
    """A note on how the quote was found, when it was not found exactly."""
    anchor = passage.anchor
    if anchor.status is AnchorStatus.EXACT:
        return None
    if anchor.status is AnchorStatus.ORPHANED:
        return "orphaned: quote not found in the source"
    if anchor.status is AnchorStatus.APPROXIMATE:
        return f"approximate match (score {anchor.score:.0f})"
    if anchor.status is AnchorStatus.AMBIGUOUS:
        return f"ambiguous: {anchor.occurrences} occurrences, the first is shown"
    return "found after normalising spacing and punctuation"


def source_position(brief: Brief, key: str) -> str:
    """Where a source sits in its brief, e.g. "source 2 of 3 · Outlet"."""
    keys = [s.key for s in brief.sources]
    name = brief.source_label(key)
    return f"source {keys.index(key) + 1} of {len(keys)} · {name}" if key in keys else name


def cut(text: str, limit: int) -> str:
    """Text on one line, cut with an ellipsis past `limit` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def plural(number: int, noun: str) -> str:
    """A count and its noun, e.g. "1 error", "2 errors", "1,204 warnings"."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
