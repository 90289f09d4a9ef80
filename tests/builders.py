"""Small libraries for tests: written as files, or built straight from the model.

`write_library` writes briefs and sources under a folder; the other builders make model
objects (passages anchored where their quote occurs) for tests that need no files.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from textwrap import dedent
from typing import NamedTuple

from briefing_tui.core.library.briefs import derived_key
from briefing_tui.core.library.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Diagnostic,
    Library,
    Passage,
    Source,
    SourceMeta,
    Span,
    Stance,
)

# What the core tests' `make_library` fixture is: it writes a library and returns its root.
LibraryMaker = Callable[..., Path]


def span_of(text: str, quote: str) -> Span:
    """Where a quote first occurs in a text."""
    start = text.index(quote)
    return Span(start, start + len(quote))


def named(key: str, source: Source, **overrides: str) -> BriefSource:
    """A source as a brief names it, with metadata overrides laid over the file's."""
    return BriefSource(key, source, source.meta.merged(overrides))


def source(path: str, text: str, **meta: str) -> Source:
    """A source file's model, with its front-matter metadata."""
    return Source(path, text, SourceMeta(**meta))


class Quote(NamedTuple):
    """What a passage of a claim quotes: from which source, what, with which stance."""

    source: BriefSource
    quote: str
    stance: Stance = Stance.SUPPORTS
    note: str | None = None


def passage(claim_key: str, quoted: Quote) -> Passage:
    """A passage anchored exactly where its quote occurs, or orphaned when it does not."""
    start = quoted.source.source.text.find(quoted.quote)
    anchor = (
        Anchor(AnchorStatus.EXACT, Span(start, start + len(quoted.quote)))
        if start >= 0
        else Anchor(AnchorStatus.ORPHANED, None, score=0.0, occurrences=0)
    )
    key = quoted.source.key
    return Passage(claim_key, key, quoted.quote, quoted.stance, anchor, note=quoted.note)


def claim(
    index: int, text: str, *quotes: Quote, id: str | None = None, note: str | None = None
) -> Claim:
    """A claim with its passages; its key is its id, or derived from its text as the loader does."""
    key = id if id is not None else derived_key(text)
    return Claim(index, key, text, tuple(passage(key, q) for q in quotes), id, note)


def library_of(
    *briefs: Brief, root: Path = Path("/nowhere"), diagnostics: tuple[Diagnostic, ...] = ()
) -> Library:
    """A library of briefs, numbered in order, with every source they name."""
    numbered = tuple(replace(b, index=n) for n, b in enumerate(briefs))
    sources = {s.source.path: s.source for b in numbered for s in b.sources}
    return Library(root, numbered, sources, diagnostics)


def write_library(
    root: Path, briefs: Mapping[str, str], sources: Mapping[str, str | bytes]
) -> Path:
    """Write briefs (into briefs/, dedented) and sources (by library-relative path) under root."""
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    for name, content in sources.items():
        file = root / name
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            file.write_bytes(content)
        else:
            file.write_text(content, encoding="utf-8")
    for name, text in briefs.items():
        (root / "briefs" / name).write_text(dedent(text), encoding="utf-8")
    return root
