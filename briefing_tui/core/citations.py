"""What the reader copies out: a passage as a citation, or as a YAML passage for a brief."""

from __future__ import annotations

from pathlib import PurePosixPath

from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.model import AnchorStatus, Brief, BriefSource, Passage, Span, Stance
from briefing_tui.core.library.text import one_line, sanitise
from briefing_tui.core.yamlwrite import passage_yaml

# How much source text around a repeated quote is tried as prefix/suffix, growing until the
# quote anchors at its own span alone; the longest is the best that can be done.
CONTEXT_WIDTHS = (12, 24, 48, 96, 192, 384)
# A prefix is widened back to the start of its first word, but never by more than this.
WORD_REACH = 24


def citation(brief: Brief, passage: Passage) -> str:
    """A passage as a citation: the quote, source, title, date if known, and `file:line`."""
    brief_source = brief.source(passage.source_key)
    if brief_source is None:
        return sanitise(f"“{one_line(passage.quote)}”\n— a source this brief could not load")
    if passage.span is None:
        where = f"{brief_source.source.path} (the quote was not found in this source)"
        return sanitise(f"“{one_line(passage.quote)}”\n— {source_credit(brief_source)}, {where}")
    return span_citation(brief_source, passage.span)


def span_citation(brief_source: BriefSource, span: Span) -> str:
    """The source's text at a span as a citation, with the source's credit and `file:line`."""
    source = brief_source.source
    quote = one_line(source.text[span.start : span.end])
    where = f"{source.path}:{source.line_at(span.start)}"
    return sanitise(f"“{quote}”\n— {source_credit(brief_source)}, {where}")


def source_credit(brief_source: BriefSource) -> str:
    """Outlet, title and date, as far as they are known; the file name when neither name is."""
    meta = brief_source.meta
    # Never the brief's key alone: it is the curator's private name for the source.
    label = meta.outlet or meta.title or PurePosixPath(brief_source.source.path).name
    parts = [one_line(label)]
    if meta.outlet and meta.title:
        parts.append(f"“{one_line(meta.title)}”")
    if meta.published:
        parts.append(one_line(meta.published))
    return ", ".join(parts)


def yaml_passage(
    brief: Brief,
    source_key: str,
    span: Span,
    stance: Stance | str = Stance.SUPPORTS,
    note: str | None = None,
    *,
    matcher: SourceMatcher | None = None,
) -> str:
    """A passage ready to paste under a claim's `passages:`, anchoring exactly at the span.

    The quote is the source's own text at the span (white space at its ends left out, as
    the loader strips it); where that text occurs more than once, the shortest `prefix`,
    `suffix` or both that make the quote anchor at this span alone are added. Raises
    ValueError for a source the brief does not have, a span outside its text, an empty
    quote or an unknown stance. A caller quoting one source many times may pass its
    `SourceMatcher`, which folds the text once for all of them.
    """
    brief_source = brief.source(source_key)
    if brief_source is None:
        raise ValueError(f"the brief has no source {source_key!r}")
    text = brief_source.source.text
    if not 0 <= span.start <= span.end <= len(text):
        raise ValueError(f"span {span.start}-{span.end} is outside the source's text")
    trimmed = _trimmed(text, span)
    if trimmed is None:
        raise ValueError("there is no text to quote at this span")
    prefix, suffix = unique_context(matcher or SourceMatcher(text), trimmed)
    cleaned = sanitise(note).strip() if note is not None and note.strip() else None
    quote = text[trimmed.start : trimmed.end]
    return passage_yaml(source_key, quote, Stance(stance).value, cleaned, prefix, suffix)


def _trimmed(text: str, span: Span) -> Span | None:
    start, end = span
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None


def unique_context(matcher: SourceMatcher, span: Span) -> tuple[str | None, str | None]:
    """The shortest prefix and suffix from the text that anchor its quote at this span alone.

    (None, None) when the quote occurs once; the widest context tried when nothing makes
    it unique (a text that repeats itself longer than the widest).
    """
    text = matcher.text
    quote = text[span.start : span.end]
    rivals = [s for s in _find_all(text, quote) if s != span.start]
    if not rivals:
        return None, None
    # Rivals are narrowed with verbatim context, which is cheap; the matcher (which folds
    # the whole text once to compare context) then checks the one context that remains.
    rivals_before, rivals_after = rivals, rivals
    prefix = suffix = ""
    for width in CONTEXT_WIDTHS:
        prefix = _before(text, span.start, width)
        suffix = _after(text, span.end, width)
        rivals_before = [s for s in rivals_before if text.endswith(prefix, 0, s)]
        rivals_after = [s for s in rivals_after if text.startswith(suffix, s + len(quote))]
        both = set(rivals_before) & set(rivals_after)
        candidates = (
            (prefix, None, rivals_before),
            (None, suffix, rivals_after),
            (prefix, suffix, both),
        )
        for before, after, left in candidates:
            if not left and _anchors_at(matcher, quote, before, after, span):
                return before, after
    return prefix or None, suffix or None


def _find_all(text: str, quote: str) -> list[int]:
    starts = []
    start = text.find(quote)
    while start >= 0:
        starts.append(start)
        start = text.find(quote, start + 1)
    return starts


def _anchors_at(
    matcher: SourceMatcher, quote: str, prefix: str | None, suffix: str | None, span: Span
) -> bool:
    if (prefix is not None and not prefix.strip()) or (suffix is not None and not suffix.strip()):
        return False  # the loader drops a prefix or suffix of white space only
    anchor = matcher.anchor(quote, prefix, suffix)
    return anchor.status is AnchorStatus.EXACT and anchor.span == span


def _before(text: str, start: int, width: int) -> str:
    """Up to `width` characters before `start`, widened back to the start of a word."""
    begin = max(0, start - width)
    reach = max(0, begin - WORD_REACH)
    while begin > reach and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:start]


def _after(text: str, end: int, width: int) -> str:
    """Up to `width` characters after `end`, widened on to the end of a word."""
    finish = min(len(text), end + width)
    reach = min(len(text), finish + WORD_REACH)
    while finish < reach and not text[finish].isspace():
        finish += 1
    return text[end:finish]
