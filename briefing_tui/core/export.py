"""Exporting a brief as Markdown, or as JSON with W3C Web Annotation selectors."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, utils

from briefing_tui.core.library.model import (
    META_KEYS,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Library,
    Passage,
    SourceMeta,
    Stance,
)
from briefing_tui.core.library.text import one_line, sanitise
from briefing_tui.core.report import shown_name

FORMAT = "briefing-export/2"  # 2: claims by key and 1-based number, passages with a span
CONTEXT_CHARS = 32  # source text given as TextQuoteSelector prefix and suffix
OFFSET_BASE = (
    "TextPositionSelector start/end count Unicode code points into the source body as written "
    "after its front matter, with line endings normalised to \\n and nothing else changed; "
    "TextQuoteSelector exact, prefix and suffix are characters of that body, so exact is "
    "body[start:end]."
)
# Every word of a name given with typos must be this similar (rapidfuzz ratio) to a word of
# the brief's file stem or title: "tarif" finds "tariffs", "no such brief" finds nothing.
FUZZY_CUTOFF = 75.0
FUZZY_MARGIN = 5.0  # how far the best candidate must lead the next to win outright
# A lookup error names at most this many briefs (a library may hold thousands), each title
# cut to so many characters, and quotes at most so much of the name asked for.
MAX_LISTED = 10
LISTED_TITLE_CHARS = 60
QUOTED_NAME_CHARS = 80

_STANCE_HEADINGS = {
    Stance.SUPPORTS: "Supporting",
    Stance.CONFLICTS: "Conflicting",
    Stance.CONTEXT: "Context",
}
# Characters that can start inline Markdown structure (emphasis, code, links, raw HTML,
# entities, tables, strikethrough, headings); escaping them all keeps source text inert.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&#])")
# Line starts that would open a block: a bullet or setext underline, or an ordered-list number
# (whose `.` or `)` gets the backslash, since a backslash before a digit is literal).
_BLOCK_START = re.compile(r"^(\d*)([-+=]|(?<=\d)[.)])")


class BriefLookupError(Exception):
    """No brief, or more than one, answers to the name given (the message is one line)."""


def find_brief(library: Library, name: str) -> Brief:
    """The brief named by a file path, file name, stem or title, tolerating typos."""
    if not library.briefs:
        raise BriefLookupError(f"no briefs in the library at {shown_name(str(library.root))}")
    by_file = _brief_at_path(library, name)
    if by_file is not None:
        return by_file
    # Written exactly as a path, file name, stem or title, case included, a brief wins over
    # those that match only once case is folded: Case.yaml beside case.yaml.
    exact = [b for b in library.briefs if name in _names(b)]
    if len(exact) == 1:
        return exact[0]
    if exact:
        raise _ambiguous(name, exact)
    wanted = utils.default_process(name)
    if not wanted:
        raise BriefLookupError(
            f"no brief matches {_quoted(name)}; briefs: {_listing(library.briefs)}"
        )
    for matches in (
        [b for b in library.briefs if wanted in _exact_keys(b)],
        [b for b in library.briefs if any(wanted in key for key in _exact_keys(b))],
    ):
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise _ambiguous(name, matches)
    words = wanted.split()
    scored = sorted(
        ((_word_score(words, brief), brief) for brief in library.briefs),
        key=lambda pair: (-pair[0], pair[1].index),
    )
    candidates = [(score, brief) for score, brief in scored if score >= FUZZY_CUTOFF]
    if not candidates:
        raise BriefLookupError(
            f"no brief matches {_quoted(name)}; briefs: {_listing(library.briefs)}"
        )
    if len(candidates) == 1 or candidates[0][0] - candidates[1][0] >= FUZZY_MARGIN:
        return candidates[0][1]
    raise _ambiguous(name, [brief for _, brief in candidates])


def _brief_at_path(library: Library, name: str) -> Brief | None:
    """The brief in the file a path names, from the working directory or the library root."""
    for path in (Path(name), library.root / name):
        try:
            if not path.is_file():
                continue
            resolved = path.resolve()
        except (OSError, ValueError):  # too long to be a path, or holding a NUL
            continue
        found = (b for b in library.briefs if (library.root / b.path).resolve() == resolved)
        brief = next(found, None)
        if brief is not None:
            return brief
    return None


def _names(brief: Brief) -> tuple[str, ...]:
    path = Path(brief.path)
    return (brief.path, path.name, path.stem, brief.title)


def _exact_keys(brief: Brief) -> set[str]:
    return {utils.default_process(n) for n in _names(brief)}


def _word_score(words: list[str], brief: Brief) -> float:
    """How well every query word matches some word of the brief's stem or title (0-100)."""
    names = utils.default_process(f"{Path(brief.path).stem} {brief.title}").split()
    if not names:
        return 0.0
    return min(max(fuzz.ratio(word, name) for name in names) for word in words)


def _unknown(name: str, library: Library) -> BriefLookupError:
    return BriefLookupError(f"no brief matches {_quoted(name)}; briefs: {_listing(library.briefs)}")


def _ambiguous(name: str, matches: list[Brief]) -> BriefLookupError:
    names = _listing(matches)
    return BriefLookupError(f"{_quoted(name)} matches {len(matches):,} briefs: {names}")


def _listing(briefs: Sequence[Brief]) -> str:
    """The first few briefs, and how many more there are, for one line of a message."""
    listed = "; ".join(_describe(b) for b in briefs[:MAX_LISTED])
    if len(briefs) > MAX_LISTED:
        listed += f"; and {len(briefs) - MAX_LISTED:,} more"
    return listed


def _describe(brief: Brief) -> str:
    return f"{shown_name(brief.path)} ({one_line(brief.title, LISTED_TITLE_CHARS)})"


def _quoted(name: str) -> str:
    return repr(one_line(name, QUOTED_NAME_CHARS))


# Markdown


def markdown_inline(text: str) -> str:
    """Untrusted text as one line of inert Markdown (no links, emphasis, HTML or headings)."""
    return _INLINE_SPECIAL.sub(r"\\\1", one_line(text))


def markdown_lines(text: str) -> list[str]:
    """Untrusted text as inert Markdown lines: inline structure and block starts escaped."""
    lines = []
    for line in sanitise(text).split("\n"):
        # Leading white space would make an indented code block, which shows escapes raw;
        # a paragraph drops it anyway.
        escaped = _INLINE_SPECIAL.sub(r"\\\1", line.strip())
        lines.append(_BLOCK_START.sub(r"\1\\\2", escaped))
    return lines


def to_markdown(brief: Brief, *, ascii_only: bool = False) -> str:
    """The brief as a Markdown document: sources with metadata, claims with cited quotes.

    With `ascii_only`, its own marks are ASCII (a citation starts `--`, not a dash).
    """
    dash = "--" if ascii_only else "\u2014"
    out = [f"# {markdown_inline(brief.title)}", ""]
    if brief.summary:
        out += [*markdown_lines(brief.summary), ""]
    if brief.tags:
        out += ["Tags: " + ", ".join(markdown_inline(t) for t in brief.tags), ""]
    out += [f"File: {markdown_inline(brief.path)}", "", "## Sources", ""]
    if not brief.sources:
        out.append("None of this brief's sources could be read.")
    for brief_source in brief.sources:
        out += _markdown_source(brief_source)
    out.append("")
    out += ["## Claims", ""]
    if not brief.claims:
        out += ["This brief names no claims.", ""]
    for number, claim in enumerate(brief.claims, start=1):
        out += _markdown_claim(brief, number, claim, dash)
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_source(brief_source: BriefSource) -> list[str]:
    lines = [
        f"- **{markdown_inline(brief_source.key)}**: {markdown_inline(brief_source.label)}, "
        f"file {markdown_inline(brief_source.source.path)}"
    ]
    for key in META_KEYS:
        value = getattr(brief_source.meta, key)
        shown = "unknown" if value is None else markdown_inline(value)
        lines.append(f"  - {key}: {shown}")
    return lines


def _markdown_claim(brief: Brief, number: int, claim: Claim, dash: str) -> list[str]:
    counts = ", ".join(f"{claim.count(s)} {s.value}" for s in Stance)
    out = [f"### {number}. {markdown_inline(claim.text)}", ""]
    if claim.id:
        out += [f"Id: {markdown_inline(claim.id)}", ""]
    out += [f"Status: {claim.status.value} ({counts})", ""]
    if claim.note:
        out += [*_note_lines(claim.note), ""]
    for stance in Stance:
        passages = [p for p in claim.passages if p.stance is stance]
        if not passages:
            continue
        out += [f"#### {_STANCE_HEADINGS[stance]}", ""]
        for passage in passages:
            out += _markdown_passage(brief, passage, dash)
    return out


def _note_lines(note: str) -> list[str]:
    first, *rest = markdown_lines(note)
    return [f"Note: {first}", *rest]


def _markdown_passage(brief: Brief, passage: Passage, dash: str) -> list[str]:
    brief_source = brief.source(passage.source_key)
    span = passage.span
    quoted = passage.quote
    if brief_source is not None and span is not None:
        quoted = brief_source.source.text[span.start : span.end]
    out = [f"> {line}" if line else ">" for line in markdown_lines(quoted)]
    # The citation goes below the quote, outside it, so no quoted text can pass for one.
    out += ["", f"{dash} {_citation(brief_source, passage)}", ""]
    if passage.note:
        out += [*_note_lines(passage.note), ""]
    return out


def _citation(brief_source: BriefSource | None, passage: Passage) -> str:
    if brief_source is None:
        parts = [markdown_inline(passage.source_key), "source not found in the brief"]
    else:
        parts = [markdown_inline(brief_source.label), markdown_inline(brief_source.source.path)]
        if passage.span is not None:
            parts.append(f"line {brief_source.source.line_at(passage.span.start)}")
    anchor = passage.anchor
    if anchor.status is AnchorStatus.APPROXIMATE:
        parts.append(f"anchor approximate (score {anchor.score:.0f})")
    elif anchor.status is AnchorStatus.AMBIGUOUS:
        parts.append(f"anchor ambiguous ({anchor.occurrences} occurrences, first shown)")
    elif anchor.status is AnchorStatus.ORPHANED:
        parts.append("anchor orphaned: the quote was not found in the source")
    elif anchor.status is AnchorStatus.NORMALISED:
        parts.append("anchor normalised (white space, quotes or dashes differ)")
    return ", ".join(parts)


# JSON


def to_json(brief: Brief, *, ascii_only: bool = False) -> str:
    """The brief as indented JSON (see `brief_document` for the shape), safe on a terminal."""
    return terminal_json(brief_document(brief), ascii_only=ascii_only)


def terminal_json(document: Any, *, ascii_only: bool = False) -> str:
    """Indented JSON, one line at the end, that is harmless to print.

    Text stays readable UTF-8 (all ASCII escapes with `ascii_only`), but every character a
    terminal could act on or that hides itself (controls, bidi and zero-width characters,
    undecodable bytes of file names) is written as a JSON escape, so the data stays exact.
    """
    text = json.dumps(document, ensure_ascii=ascii_only, indent=2)
    if not text.replace("\n", "").isprintable():
        text = "".join(c if c == "\n" or c.isprintable() else _json_escape(c) for c in text)
    return text + "\n"


def _json_escape(char: str) -> str:
    """A character as JSON's \\u escape (a surrogate pair beyond the BMP), even if ASCII."""
    code = ord(char)
    if code < 0x10000:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def brief_document(brief: Brief) -> dict[str, Any]:
    """The brief as plain data, every passage with a W3C Web Annotation target."""
    return {
        "format": FORMAT,
        "offsetBase": OFFSET_BASE,
        "brief": {
            "path": brief.path,
            "title": brief.title,
            "summary": brief.summary,
            "tags": list(brief.tags),
        },
        "sources": [_json_source(s) for s in brief.sources],
        "claims": [_json_claim(brief, c) for c in brief.claims],
    }


def _json_source(brief_source: BriefSource) -> dict[str, Any]:
    return {
        "key": brief_source.key,
        "path": brief_source.source.path,
        "label": brief_source.label,
        "meta": _json_meta(brief_source.meta),
    }


def _json_meta(meta: SourceMeta) -> dict[str, str | None]:
    return {key: getattr(meta, key) for key in META_KEYS}


def _json_claim(brief: Brief, claim: Claim) -> dict[str, Any]:
    # A claim is named by its stable key (its id, or one derived from its text) and shown
    # by its 1-based number; a passage by its source key and span.
    return {
        "number": claim.index + 1,
        "key": claim.key,
        "id": claim.id,
        "text": claim.text,
        "note": claim.note,
        "status": claim.status.value,
        "counts": {stance.value: claim.count(stance) for stance in Stance},
        "passages": [_json_passage(brief, n, p) for n, p in enumerate(claim.passages, 1)],
    }


def _json_passage(brief: Brief, number: int, passage: Passage) -> dict[str, Any]:
    brief_source = brief.source(passage.source_key)
    anchor = passage.anchor
    line = None
    if brief_source is not None and passage.span is not None:
        line = brief_source.source.line_at(passage.span.start)
    span = passage.span
    return {
        "number": number,
        "source": passage.source_key,
        "span": None if span is None else {"start": span.start, "end": span.end},
        "stance": passage.stance.value,
        "quote": passage.quote,
        "prefix": passage.prefix,
        "suffix": passage.suffix,
        "note": passage.note,
        "anchor": {
            "status": anchor.status.value,
            "score": round(anchor.score, 1),
            "occurrences": anchor.occurrences,
            "closest": anchor.closest,
        },
        "line": line,
        "target": annotation_target(brief_source, passage),
    }


def annotation_target(brief_source: BriefSource | None, passage: Passage) -> dict[str, Any]:
    """A W3C Web Annotation SpecificResource target with TextQuote/TextPosition selectors."""
    span = passage.span
    if brief_source is None or span is None:
        orphan: dict[str, Any] = {"type": "TextQuoteSelector", "exact": passage.quote}
        if passage.prefix:
            orphan["prefix"] = passage.prefix
        if passage.suffix:
            orphan["suffix"] = passage.suffix
        source = None if brief_source is None else brief_source.source.path
        return {"type": "SpecificResource", "source": source, "selector": [orphan]}
    # Offsets into the body as written, so a consumer reading the file finds the quote there
    # even where the loader removed or replaced characters before it.
    body = brief_source.source.body
    start, end = brief_source.source.body_span(span)
    quote: dict[str, Any] = {"type": "TextQuoteSelector", "exact": body[start:end]}
    prefix = body[max(0, start - CONTEXT_CHARS) : start]
    suffix = body[end : end + CONTEXT_CHARS]
    if prefix:
        quote["prefix"] = prefix
    if suffix:
        quote["suffix"] = suffix
    position = {"type": "TextPositionSelector", "start": start, "end": end}
    return {
        "type": "SpecificResource",
        "source": brief_source.source.path,
        "selector": [quote, position],
    }
