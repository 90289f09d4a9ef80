"""Bookmarks and notes found again in a library as it is now, and exported for `briefing notes`.

A bookmark names its place by the library's stable names, so an edit never moves it onto
another claim: its passage is found again by its claim and text, and one whose topic,
claim or source is gone is reported missing, with the quote it was made on.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from briefing_tui.core.citations import source_credit
from briefing_tui.core.export import annotation_target, markdown_inline, markdown_lines
from briefing_tui.core.library.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Library,
    Passage,
    Span,
    Stance,
)
from briefing_tui.core.library.text import one_line
from briefing_tui.core.places import Place, locate, passage_place, settle
from briefing_tui.core.state import MAX_QUOTE_CHARS, Annotation, Kind, place_to_json

if TYPE_CHECKING:
    from briefing_tui.core.search.own_notes import OwnNote

ANNOTATION_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
MOTIVATIONS = {Kind.BOOKMARK: "bookmarking", Kind.NOTE: "commenting"}
_UUID = re.compile(r"[0-9a-f]{32}")


class Status(StrEnum):
    """Whether a bookmark's place is still in the library."""

    FOUND = "found"
    MOVED = "moved"  # found again, by its claim and text, somewhere else
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class Resolved:
    """A bookmark or note, and what it is on in the library as it is now."""

    annotation: Annotation
    status: Status
    place: Place | None = None  # where it opens now (None: missing)
    brief: Brief | None = None
    claim: Claim | None = None
    source: BriefSource | None = None
    span: Span | None = None  # the text it is on now, in `source`
    remark: str = ""  # why it moved or is missing

    @property
    def quote(self) -> str:
        """The text it is on: the source's text now, the claim's, or the quote it was made on."""
        if self.source is not None and self.span is not None:
            return self.source.source.text[self.span.start : self.span.end]
        if self.claim is not None and self.annotation.place.passage is None:
            return self.claim.text
        return self.annotation.quote

    @property
    def line(self) -> int | None:
        """The line of the source file on which its text starts, when it is on text."""
        if self.source is None or self.span is None:
            return None
        return self.source.source.line_at(self.span.start)


def resolve(library: Library, annotation: Annotation) -> Resolved:
    """Find a bookmark or note again in this library: found, moved, or missing."""
    place = annotation.place
    brief = library.brief_at(place.brief)
    if brief is None:
        return Resolved(annotation, Status.MISSING, remark="its topic is no longer in the library")
    claim = brief.claim(place.claim) if place.claim is not None else None
    if place.claim is not None and claim is None:
        return Resolved(
            annotation, Status.MISSING, brief=brief, remark="its claim is no longer in its topic"
        )
    if claim is not None and place.passage is not None:
        return _on_passage(library, annotation, brief, claim)
    if place.span is not None:
        return _on_span(library, annotation, brief, claim, place.span)
    settled = settle(library, place) or place
    shown = brief.source(settled.source) if settled.source is not None else None
    return Resolved(annotation, Status.FOUND, settled, brief, claim, shown)


def _on_passage(library: Library, annotation: Annotation, brief: Brief, claim: Claim) -> Resolved:
    place = annotation.place
    located = locate(library, place)
    if located is not None and located.passage is not None:
        return Resolved(
            annotation, Status.FOUND, place, brief, claim, located.source, place.passage
        )
    # The same claim's passage with the same text (the source changed around it), in the
    # same source first ...
    in_place_first = sorted(claim.passages, key=lambda p: p.source_key != place.source)
    for passage in in_place_first:
        source = brief.source(passage.source_key)
        if source is not None and passage.span is not None:
            text = source.source.text[passage.span.start : passage.span.end]
            if _same_text(text, annotation.quote):
                moved = passage_place(brief, passage)
                remark = "its passage moved in its source"
                return Resolved(
                    annotation, Status.MOVED, moved, brief, claim, source, passage.span, remark
                )
    # ... else its nearest passage in the same source, else the claim itself.
    settled = settle(library, place) or place
    source = brief.source(settled.source) if settled.source is not None else None
    if settled.passage is not None:
        remark = "its passage changed; the nearest passage of its claim is shown"
    else:
        remark = "its passage is no longer quoted; its claim is shown"
    return Resolved(
        annotation, Status.MOVED, settled, brief, claim, source, settled.passage, remark
    )


def _on_span(
    library: Library, annotation: Annotation, brief: Brief, claim: Claim | None, span: Span
) -> Resolved:
    place = annotation.place
    settled = settle(library, place) or place
    source = brief.source(settled.source) if settled.source is not None else None
    if source is None or source.source.path != place.source_path:
        return Resolved(
            annotation, Status.MISSING, brief=brief, remark="its source is no longer in its topic"
        )
    text = source.source.text
    here = replace(place, source=source.key)  # its key may have been renamed
    quote = annotation.quote
    # A bookmark made without its text can only be taken at its word.
    if span.end <= len(text) and (not quote or _same_text(text[span.start : span.end], quote)):
        return Resolved(annotation, Status.FOUND, here, brief, claim, source, span)
    found = _find_again(text, quote, span)
    if found is None:
        return Resolved(
            annotation,
            Status.MISSING,
            brief=brief,
            source=source,
            remark="its text is no longer in its source",
        )
    moved = replace(here, span=found)
    return Resolved(
        annotation, Status.MOVED, moved, brief, claim, source, found, "its text moved in its source"
    )


def _clipped(quote: str) -> bool:
    """Whether a stored quote was cut short (the store keeps at most MAX_QUOTE_CHARS)."""
    return len(quote) == MAX_QUOTE_CHARS and quote.endswith("…")


def _same_text(text: str, quote: str) -> bool:
    return text == quote or (_clipped(quote) and text.startswith(quote[:-1]))


def _find_again(text: str, quote: str, span: Span) -> Span | None:
    """Where the quote occurs now, nearest to where it was."""
    needle = quote[:-1] if _clipped(quote) else quote
    if not needle:
        return None
    length = span.end - span.start if _clipped(quote) else len(quote)
    starts = []
    start = text.find(needle)
    while start >= 0:
        starts.append(start)
        start = text.find(needle, start + 1)
    if not starts:
        return None
    nearest = min(starts, key=lambda s: abs(s - span.start))
    return Span(nearest, nearest + length)


def resolve_all(library: Library, annotations: Iterable[Annotation]) -> list[Resolved]:
    """Every bookmark and note resolved, by topic in library order, missing ones last."""
    resolved = [resolve(library, a) for a in annotations]
    return sorted(resolved, key=_order)


def _order(resolved: Resolved) -> tuple[bool, int, str, str]:
    topic = resolved.brief.index if resolved.brief is not None else 0
    annotation = resolved.annotation
    return (resolved.status is Status.MISSING, topic, annotation.created.isoformat(), annotation.id)


def searchable_notes(resolved: Iterable[Resolved]) -> list[OwnNote]:
    """The reader's notes that are still on something, as search indexes them."""
    from briefing_tui.core.search.own_notes import OwnNote  # search loads after the first paint

    notes = []
    for item in resolved:
        brief, claim, annotation = item.brief, item.claim, item.annotation
        if annotation.kind is not Kind.NOTE or item.place is None or brief is None:
            continue
        number, place = None, item.place
        if claim is not None and place.passage is not None:
            on = (place.source, place.passage)
            number = next(
                (n for n, p in enumerate(claim.passages) if (p.source_key, p.span) == on), None
            )
        # On a passage, its stance; on a claim or its text, those of the claim's passages.
        bearing = () if claim is None else claim.passages
        if claim is not None and number is not None:
            bearing = (claim.passages[number],)
        stances = frozenset(p.stance for p in bearing)
        notes.append(
            OwnNote(
                text=annotation.text,
                brief=brief.index,
                claim=claim.index if claim is not None else None,
                passage=number,
                source_path=item.source.source.path if item.source is not None else None,
                span=item.span if number is None else None,
                stances=stances,
            )
        )
    return notes


# Markdown


def to_markdown(library: Library, resolved: list[Resolved]) -> str:
    """Bookmarks and notes as Markdown, by topic: quote, source, `file:line` and the note."""
    out = ["# Bookmarks and notes", "", f"Library: {markdown_inline(str(library.root))}", ""]
    if not resolved:
        out += ["No bookmarks or notes yet.", ""]
    group: str | None = None
    for item in resolved:
        missing = item.status is Status.MISSING or item.brief is None
        path = None if missing or item.brief is None else item.brief.path
        if group is None or path != group:
            title = (
                "Missing from the library" if item.brief is None or missing else item.brief.title
            )
            out += [f"## {markdown_inline(title)}", ""]
            group = path or ""
        out += _markdown_item(item)
    return "\n".join(out).rstrip("\n") + "\n"


def _markdown_item(item: Resolved) -> list[str]:
    annotation = item.annotation
    kind = "Bookmark" if annotation.kind is Kind.BOOKMARK else "Note"
    out = [f"### {kind}", ""]
    if item.claim is not None:
        out += [f"Claim: {markdown_inline(item.claim.text)}", ""]
    quote = item.quote
    if quote:
        out += [f"> {line}" if line else ">" for line in markdown_lines(quote)]
        out.append("")
    out += [f"— {_where(item)}", ""]
    if annotation.kind is Kind.NOTE:
        first, *rest = markdown_lines(annotation.text)
        out += [f"Note: {first}", *rest, ""]
    return out


def _where(item: Resolved) -> str:
    """Source and `file:line`, or what the annotation was on, and its status."""
    place = item.annotation.place
    if item.status is Status.MISSING:
        was = [place.brief]
        if place.claim is not None:
            was.append(f"claim {place.claim}")
        if place.source_path is not None:
            was.append(place.source_path)
        parts = [f"missing: {item.remark}", "was in " + ", ".join(was)]
        return ", ".join(markdown_inline(p) for p in parts)
    parts = []
    if item.source is not None and item.span is not None:
        parts += [source_credit(item.source), f"{item.source.source.path}:{item.line}"]
    elif item.brief is not None:
        parts.append(f"{'claim' if item.claim is not None else 'topic'} in {item.brief.path}")
    if item.status is Status.MOVED:
        parts.append(f"moved: {item.remark}")
    return ", ".join(markdown_inline(p) for p in parts)


# W3C Web Annotations


def to_json(resolved: list[Resolved]) -> str:
    """Bookmarks and notes as a JSON list of W3C Web Annotations, safe on a terminal."""
    text = json.dumps([web_annotation(r) for r in resolved], ensure_ascii=False, indent=2)
    # As `briefing export` does: anything a terminal could act on is written as an escape.
    if not text.replace("\n", "").isprintable():
        text = "".join(c if c == "\n" or c.isprintable() else json.dumps(c)[1:-1] for c in text)
    return text + "\n"


def web_annotation(item: Resolved) -> dict[str, Any]:
    """One bookmark or note as a W3C Web Annotation, with the selectors `briefing export` gives."""
    annotation = item.annotation
    identifier = annotation.id
    document: dict[str, Any] = {
        "@context": ANNOTATION_CONTEXT,
        "id": (
            f"urn:uuid:{identifier[:8]}-{identifier[8:12]}-{identifier[12:16]}-"
            f"{identifier[16:20]}-{identifier[20:]}"
            if _UUID.fullmatch(identifier)
            else f"urn:briefing:annotation:{identifier}"
        ),
        "type": "Annotation",
        "motivation": MOTIVATIONS[annotation.kind],
        "created": annotation.created.isoformat(),
        "modified": annotation.updated.isoformat(),
    }
    if annotation.kind is Kind.NOTE:
        document["body"] = {
            "type": "TextualBody",
            "value": annotation.text,
            "format": "text/plain",
            "purpose": "commenting",
        }
    document["target"] = _target(item)
    document["briefing:place"] = {
        "status": item.status.value,
        "remark": item.remark or None,
        "topic": item.brief.title if item.brief is not None else None,
        "claim": item.claim.text if item.claim is not None else None,
        "line": item.line,
        "saved": place_to_json(annotation.place),
        "now": place_to_json(item.place) if item.place is not None else None,
    }
    return document


def _target(item: Resolved) -> dict[str, Any]:
    place = item.annotation.place
    if item.source is not None and item.span is not None:
        # A span that is no passage is cited with the same selectors as a passage.
        anchor = Anchor(AnchorStatus.EXACT, item.span)
        stand_in = Passage(place.claim or "", item.source.key, item.quote, Stance.CONTEXT, anchor)
        return annotation_target(item.source, stand_in)
    on_text = place.passage is not None or place.span is not None
    if item.status is Status.MISSING and on_text:
        # Gone from the library: the source file and the quote it was made on, verbatim.
        target: dict[str, Any] = {"type": "SpecificResource", "source": place.source_path}
        exact = item.annotation.quote
    else:
        # A claim or topic: the brief file, and the claim's text as the brief states it.
        target = {"type": "SpecificResource", "source": place.brief}
        exact = one_line(item.quote)
    if exact:
        target["selector"] = [{"type": "TextQuoteSelector", "exact": exact}]
    return target
