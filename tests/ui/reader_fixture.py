"""A small, deterministic library built straight from the model, for the reader's tests."""

from __future__ import annotations

from pathlib import Path

from briefing_tui.core.library.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Diagnostic,
    Level,
    Library,
    Passage,
    PassageRef,
    Source,
    SourceMeta,
    Span,
    Stance,
)

FILLER = "".join(
    f"Paragraph {n} of the background section, kept long enough to wrap on a narrow view.\n"
    for n in range(1, 61)
)

ALPHA = Source(
    path="sources/alpha.txt",
    text=(
        "The leaders met in Washington on Friday.\n"
        "They reaffirmed that Article 5 applies to the islands.\n"
        "\tTariffs were not discussed, officials said.\n"
        "東京 🎌 Investment will reach one trillion dollars.\n" + FILLER + "The report ends here.\n"
    ),
    meta=SourceMeta(
        title="Leaders meet in Washington",
        outlet="Alpha Wire",
        published="2025-02-07",
        kind="report",
    ),
)
BETA = Source(
    path="sources/beta.md",
    text=(
        "Article 5 applies to the islands, the statement said.\n"
        "Tariffs were discussed at length.\n"
        "Investment plans were described as ambitious.\n"
    ),
    meta=SourceMeta(outlet="Beta Times", kind="analysis"),
)
GAMMA = Source(
    path="sources/gamma.txt",
    text=(
        "Analysts expect tariffs to dominate the talks.\n"
        "The summit may produce a statement on the islands.\n"
        "[@click=app.quit]not a link[/] stays literal.\n"
    ),
    meta=SourceMeta(title="Preview of the summit", kind="preview"),
)
SOURCES = {s.path: s for s in (ALPHA, BETA, GAMMA)}


def passage(
    ref: PassageRef, source: BriefSource, quote: str, stance: Stance, note: str | None = None
) -> Passage:
    """A passage anchored exactly where its quote occurs, or orphaned when it does not."""
    start = source.source.text.find(quote)
    anchor = (
        Anchor(AnchorStatus.EXACT, Span(start, start + len(quote)))
        if start >= 0
        else Anchor(AnchorStatus.ORPHANED, None, score=0.0, occurrences=0)
    )
    return Passage(ref, source.key, quote, stance, anchor, note=note)


def build_library(root: Path = Path("/fixture")) -> Library:
    """Two briefs over three sources: corroborated, contested and single-source claims."""
    a = BriefSource("a", ALPHA, ALPHA.meta)
    b = BriefSource("b", BETA, BETA.meta)
    c = BriefSource("c", GAMMA, GAMMA.meta)
    s, x, k = Stance.SUPPORTS, Stance.CONFLICTS, Stance.CONTEXT
    summit_claims = (
        Claim(
            0,
            "Article 5 covers the islands.",
            (
                passage(PassageRef(0, 0, 0), a, "Article 5 applies to the islands", s),
                passage(PassageRef(0, 0, 1), b, "Article 5 applies to the islands", s),
            ),
            id="article-5",
        ),
        Claim(
            1,
            "Tariffs were not discussed.",
            (
                passage(PassageRef(0, 1, 0), a, "Tariffs were not discussed, officials said.", s),
                passage(
                    PassageRef(0, 1, 1), b, "Tariffs were discussed at length.", x, "says at length"
                ),
                passage(PassageRef(0, 1, 2), c, "Analysts expect tariffs to dominate", k),
            ),
            id="tariffs",
            note="The outlets disagree.",
        ),
        Claim(
            2,
            "Investment will reach one trillion dollars.",
            (
                passage(PassageRef(0, 2, 0), a, "Investment will reach one trillion dollars.", s),
                passage(PassageRef(0, 2, 1), a, "The leaders signed a currency pact.", s),
            ),
        ),
    )
    islands_claims = (
        Claim(
            0,
            "A statement on the islands was expected.",
            (
                passage(
                    PassageRef(1, 0, 0), c, "The summit may produce a statement on the islands", s
                ),
            ),
        ),
    )
    briefs = (
        Brief(
            0,
            "briefs/01-summit.yaml",
            "Security and trade",
            (a, b, c),
            summit_claims,
            summary="What the outlets say about the treaty, tariffs and investment.",
            tags=("security", "trade"),
        ),
        Brief(1, "briefs/02-islands.yaml", "The [bold]islands[/]", (c, a), islands_claims),
    )
    diagnostics = (
        Diagnostic("briefs/01-summit.yaml", Level.WARNING, "quote not found in a", 41, 11),
        Diagnostic("briefs/03-broken.yaml", Level.ERROR, "expected a mapping, found a list", 1, 1),
    )
    return Library(root, briefs, SOURCES, diagnostics)
