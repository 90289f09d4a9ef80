"""Property tests over hostile input: sanitiser, anchoring, loader and query parser never break."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from briefing_tui.core.export import markdown_lines, to_json, to_markdown
from briefing_tui.core.library.anchor import SourceMatcher
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import AnchorStatus, Brief, Library
from briefing_tui.core.library.text import is_clean, sanitise
from briefing_tui.core.search.index import SearchIndex
from briefing_tui.core.search.query import MAX_ATOMS, Filter, parse_query

HOSTILE_LIBRARY = Path(__file__).parent / "hostile" / "library"

# Pieces that terminals, Rich/Textual markup and YAML treat specially, mixed with any
# character, so the generated text is hostile far more often than uniform text would be.
HOSTILE_PIECES = (
    "\x1b",
    "\x1b[",
    "\x1b]",
    "\x1b]52;c;",
    "\x1b]0;",
    "\x1b]8;;",
    "\x1bP",
    "\x1b\\",
    "\x1bc",
    "\x07",
    "\x9b",
    "\x9c",
    "\x9d",
    "\x90",
    "\x85",
    "\x00",
    "\x7f",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u202e",
    "\u2066",
    "\u200b",
    "\u200d",
    "\ufeff",
    "\u2028",
    "\u00a0",
    "\u2019",
    "\u2014",
    "[",
    "[/",
    "]",
    "[@click=app.quit]",
    "[bold]",
    "\\",
    ":smile:",
    "$",
    "{",
    "}",
    "'",
    "^",
    "!",
    "|",
    "---",
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!python/name:os.system ",
    "#",
    "the ",
    "quote ",
    "99 ",
    "  ",
)
hostile_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), st.characters(), st.text(max_size=8)),
    max_size=40,
).map("".join)
# What a file can hold: lone surrogates cannot be encoded as UTF-8 at all.
encodable = st.characters(exclude_categories=("Cs",))
file_text = st.lists(
    st.one_of(st.sampled_from(HOSTILE_PIECES), encodable, st.text(encodable, max_size=8)),
    max_size=40,
).map("".join)
# Controls a terminal acts on: every C0 and C1 control but tab and newline, and DEL.
TERMINAL_CONTROLS = {chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))} - {"\t", "\n"}
INVISIBLE = set(
    "\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
)


@settings(max_examples=300)
@given(hostile_text)
def test_sanitised_hostile_text_is_inert_and_stable(raw: str) -> None:
    clean = sanitise(raw)
    assert not TERMINAL_CONTROLS & set(clean)
    assert not INVISIBLE & set(clean)
    assert all(unicodedata.category(c) != "Cc" for c in clean if c not in "\t\n")
    assert is_clean(clean)
    assert sanitise(clean) == clean


@settings(max_examples=150)
@given(
    raw=hostile_text,
    quote=hostile_text,
    prefix=st.none() | hostile_text,
    suffix=st.none() | hostile_text,
)
def test_anchoring_hostile_quotes_never_raises_and_stays_inside(
    raw: str, quote: str, prefix: str | None, suffix: str | None
) -> None:
    text = sanitise(raw)
    anchor = SourceMatcher(text).anchor(quote, prefix, suffix)
    if anchor.span is None:
        assert anchor.status is AnchorStatus.ORPHANED
    else:
        assert 0 <= anchor.span.start <= anchor.span.end <= len(text)
        assert anchor.status is not AnchorStatus.ORPHANED


@settings(max_examples=150)
@given(raw=hostile_text, data=st.data())
def test_quote_taken_from_sanitised_text_anchors_on_its_own_characters(
    raw: str, data: st.DataObject
) -> None:
    text = sanitise(raw)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    quote = text[start:end]
    assume(quote.strip() != "" and quote == quote.strip())
    anchor = SourceMatcher(text).anchor(quote)
    assert anchor.status in (AnchorStatus.EXACT, AnchorStatus.AMBIGUOUS)
    assert anchor.span is not None
    assert anchor.span.start == text.find(quote)
    assert text[anchor.span.start : anchor.span.end] == quote


# The loader, on generated libraries

BAD_SOURCE_PATHS = ("sources/missing.txt", "../outside.txt", "/etc/hostname", "sources/a.txt")
STANCES = ("supports", "conflicts", "context", *(None,) * 6, "refutes", "")
scalar = st.one_of(hostile_text, st.integers(), st.booleans(), st.none(), st.floats())
loose_value = st.recursive(
    scalar,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def brief_data(draw: st.DrawFn, texts: dict[str, str]) -> dict[str, Any]:
    """A brief as data: mostly well formed, with hostile strings and wrong types mixed in."""
    sources: dict[str, Any] = {"a": "sources/a.txt", "b": {"path": "sources/b.md"}}
    for key in draw(st.sets(st.sampled_from(["gone", "up", "\x1b]0;k\x07"]))):
        sources[key] = draw(st.sampled_from(BAD_SOURCE_PATHS))
    paths = {"a": "sources/a.txt", "b": "sources/b.md"}
    # Titles and claim texts are often blank once sanitised, which costs the whole brief or
    # claim: a plain name half of the time lets the rest of the brief be exercised.
    named = st.just("Plain name") | hostile_text

    def passage() -> dict[str, Any]:
        # Mostly quotes cut from a source that exists, so that many passages anchor.
        key = draw(st.sampled_from(["a", "a", "b", "b", *sources, "nobody"]))
        text = texts.get(paths.get(key, ""), "")
        start = draw(st.integers(0, max(0, len(text) - 1)))
        cut = text[start : draw(st.integers(min(start + 1, len(text)), len(text)))]
        quote = draw(st.sampled_from([cut, cut, cut, cut.upper()]) | hostile_text)
        item: dict[str, Any] = {"source": key, "quote": quote}
        if (stance := draw(st.sampled_from(STANCES))) is not None:
            item["stance"] = stance
        fields = st.sets(st.sampled_from(["prefix", "suffix", "note", "extra"]), max_size=2)
        for field in draw(fields):
            item[field] = draw(hostile_text)
        return item

    claims = []
    for _ in range(draw(st.integers(0, 3))):
        passages = [passage() for _ in range(draw(st.integers(0, 4)))]
        claims.append({"text": draw(named), "passages": passages})
    data: dict[str, Any] = {"title": draw(named), "sources": sources, "claims": claims}
    if draw(st.integers(0, 3)) == 0:  # now and then, a field of the wrong shape
        data[draw(st.sampled_from(["summary", "tags", "title", "claims", "odd"]))] = draw(
            loose_value
        )
    return data


def _assert_library_is_consistent(library: Library) -> None:
    for source in library.sources.values():
        assert is_clean(source.text)
    for brief in library.briefs:
        assert is_clean(brief.title)
        for claim in brief.claims:
            assert is_clean(claim.text)
            for passage in claim.passages:
                if passage.span is None:
                    continue
                named = brief.source(passage.source_key)  # an anchored passage has its source
                assert named is not None
                text = named.source.text
                assert 0 <= passage.span.start <= passage.span.end <= len(text)
                if passage.anchor.status is AnchorStatus.EXACT:
                    assert text[passage.span.start : passage.span.end] == passage.quote
    for diagnostic in library.diagnostics:
        assert is_clean(diagnostic.format())
    for brief in library.briefs:
        _assert_exports_are_inert_and_exact(brief, library)


def _assert_exports_are_inert_and_exact(brief: Brief, library: Library) -> None:
    markdown = to_markdown(brief)
    assert is_clean(markdown)
    text = to_json(brief)
    assert text.replace("\n", "").isprintable()
    for claim in json.loads(text)["claims"]:
        for passage in claim["passages"]:
            selectors = {s["type"]: s for s in passage["target"]["selector"]}
            if "TextPositionSelector" in selectors:
                source = library.sources[passage["target"]["source"]].body  # offsets count there
                position = selectors["TextPositionSelector"]
                exact = selectors["TextQuoteSelector"]["exact"]
                assert source[position["start"] : position["end"]] == exact


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(a=file_text, b=file_text, data=st.data())
def test_loader_survives_generated_briefs_and_sources(a: str, b: str, data: st.DataObject) -> None:
    raw = {"sources/a.txt": "---\ntitle: A\n---\n" + a, "sources/b.md": b}
    texts = {path: sanitise(text) for path, text in raw.items()}
    brief = data.draw(brief_data(texts))
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        (root / "briefs").mkdir(parents=True)
        (root / "sources").mkdir()
        for path, text in raw.items():
            (root / path).write_text(text, encoding="utf-8", newline="")
        (root / "briefs" / "fuzz.yaml").write_text(yaml.safe_dump(brief), encoding="utf-8")
        _assert_library_is_consistent(load_library(root))


@settings(max_examples=60, deadline=None)
@given(brief=st.binary(max_size=300) | file_text.map(str.encode), source=st.binary(max_size=300))
def test_loader_survives_arbitrary_bytes(brief: bytes, source: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        (root / "briefs").mkdir(parents=True)
        (root / "sources").mkdir()
        (root / "sources" / "a.txt").write_bytes(source)
        (root / "briefs" / "raw.yaml").write_bytes(brief)
        (root / "briefs" / "named.yaml").write_bytes(
            b"title: t\nsources:\n  a: sources/a.txt\nclaims:\n  - text: c\n    passages:\n"
            b"      - source: a\n        quote: " + brief[:40].replace(b"\n", b" ") + b"\n"
        )
        _assert_library_is_consistent(load_library(root))


# The query parser and search, over the hostile library

QUERY_PIECES = ("'", "^", "$", "!", "|", " | ", '"', "source:", "topic:", "stance:", "kind:", " ")
hostile_query = st.lists(
    st.one_of(st.sampled_from(QUERY_PIECES), st.sampled_from(HOSTILE_PIECES), st.text(max_size=6)),
    max_size=24,
).map("".join)


@settings(max_examples=300)
@given(hostile_query)
def test_query_parser_takes_anything(text: str) -> None:
    query = parse_query(text)
    assert len(query.atoms) <= MAX_ATOMS
    for atom in query.atoms:
        value = atom.value if isinstance(atom, Filter) else atom.text
        assert value.strip() and is_clean(value)


@cache
def _hostile_index() -> SearchIndex:
    return SearchIndex.build(load_library(HOSTILE_LIBRARY))


@settings(max_examples=150, deadline=None)
@given(hostile_query)
def test_search_over_hostile_library_takes_any_query(text: str) -> None:
    for hit in _hostile_index().search(text, limit=20):
        assert is_clean(hit.text)
        assert all(0 <= offset < len(hit.text) for offset in hit.matches)


# Markdown export: no text becomes structure

MARKDOWN_PIECES = (
    "#",
    "[",
    "](",
    ")",
    "![",
    "<",
    ">",
    "`",
    "```",
    "~~~",
    "*",
    "_",
    "~~",
    "|",
    "&amp;",
    "\\",
    "- ",
    "+ ",
    "1. ",
    "2) ",
    "    ",
    "---",
    "===",
    "[x]: ",
    "https://evil.example",
    "\n",
    " ",
)
markdown_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=4)), max_size=30
).map("".join)
QUOTE_TOKENS = {"blockquote_open", "blockquote_close", "paragraph_open", "paragraph_close"}
INLINE_TOKENS = {"inline", "text", "softbreak"}


@settings(max_examples=300)
@given(markdown_text)
def test_quoted_markdown_lines_parse_to_plain_text_only(text: str) -> None:
    quoted = "\n".join(f"> {line}" if line else ">" for line in markdown_lines(text))
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True
    tokens = parser.parse(quoted)
    assert {t.type for t in tokens} <= QUOTE_TOKENS | INLINE_TOKENS
    assert {c.type for t in tokens for c in t.children or ()} <= INLINE_TOKENS
