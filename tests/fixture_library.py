"""A small, deterministic library built straight from the model, for the reader's tests."""

from __future__ import annotations

from pathlib import Path

from builders import Quote, claim, library_of, named

from briefing_tui.core.library.model import (
    Brief,
    Diagnostic,
    Level,
    Library,
    Source,
    SourceMeta,
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


def build_library(root: Path = Path("/fixture")) -> Library:
    """Two briefs over three sources: corroborated, contested and single-source claims."""
    a, b, c = named("a", ALPHA), named("b", BETA), named("c", GAMMA)
    s, x, k = Stance.SUPPORTS, Stance.CONFLICTS, Stance.CONTEXT
    summit_claims = (
        claim(
            0,
            "Article 5 covers the islands.",
            Quote(a, "Article 5 applies to the islands", s),
            Quote(b, "Article 5 applies to the islands", s),
            id="article-5",
        ),
        claim(
            1,
            "Tariffs were not discussed.",
            Quote(a, "Tariffs were not discussed, officials said.", s),
            Quote(b, "Tariffs were discussed at length.", x, "says at length"),
            Quote(c, "Analysts expect tariffs to dominate", k),
            id="tariffs",
            note="The outlets disagree.",
        ),
        claim(
            2,
            "Investment will reach one trillion dollars.",
            Quote(a, "Investment will reach one trillion dollars.", s),
            Quote(a, "The leaders signed a currency pact.", s),
        ),
    )
    islands_claims = (
        claim(
            0,
            "A statement on the islands was expected.",
            Quote(c, "The summit may produce a statement on the islands", s),
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
    return library_of(*briefs, root=root, diagnostics=diagnostics)
