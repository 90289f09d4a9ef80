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

STATUS_GLYPHS = {
    ClaimStatus.CORROBORATED: "✔",
    ClaimStatus.CONTESTED: "✖",
    ClaimStatus.SINGLE_SOURCE: "•",
}
STATUS_STYLES = {
    ClaimStatus.CORROBORATED: "$text-success",
    ClaimStatus.CONTESTED: "$text-error",
    ClaimStatus.SINGLE_SOURCE: "$text-muted",
}
STANCE_GLYPHS = {Stance.SUPPORTS: "✔", Stance.CONFLICTS: "✖", Stance.CONTEXT: "○"}
STANCE_STYLES = {
    Stance.SUPPORTS: "$text-success",
    Stance.CONFLICTS: "$text-error",
    Stance.CONTEXT: "$text-primary",
}


def stance_mark(stance: Stance, text: str = "") -> Content:
    """The stance's glyph (and text), in the stance's style."""
    return Content.styled(f"{STANCE_GLYPHS[stance]} {text}", STANCE_STYLES[stance])


UNKNOWN = "unknown"


def badge_text(claim: Claim) -> str:
    """The claim's status as a glyph and counts, e.g. "✔ 3", "✖ 1 vs 2", "• 1"."""
    status = claim.status
    glyph = STATUS_GLYPHS[status]
    if status is ClaimStatus.CONTESTED:
        return f"{glyph} {claim.count(Stance.CONFLICTS)} vs {claim.count(Stance.SUPPORTS)}"
    if status is ClaimStatus.CORROBORATED:
        sources = {p.source_key for p in claim.passages if p.stance is Stance.SUPPORTS}
        return f"{glyph} {len(sources)}"
    return f"{glyph} {len(claim.passages)}"


def badge(claim: Claim) -> Content:
    """The claim's badge, coloured by status as well as marked by its glyph."""
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
    """Outlet, title, date and kind of a source, unknown parts said to be unknown."""
    meta = source.meta
    parts = [
        Content.styled(meta.outlet, "bold") if meta.outlet else meta_or_unknown(None, "outlet"),
        meta_or_unknown(meta.title, "title"),
        meta_or_unknown(meta.published, "date"),
        meta_or_unknown(meta.kind, "kind"),
        Content.styled(source.source.path, "$text-muted"),
    ]
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
