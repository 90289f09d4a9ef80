"""Export of a brief as Markdown and as JSON with W3C selectors."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from briefing_tui.core.export import (
    CONTEXT_CHARS,
    BriefLookupError,
    annotation_target,
    brief_document,
    find_brief,
    markdown_inline,
    markdown_lines,
    to_json,
    to_markdown,
)
from briefing_tui.core.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Claim,
    Library,
    Passage,
    PassageRef,
    Source,
    SourceMeta,
    Span,
    Stance,
)

WIRE_TEXT = (
    "Officials met on Monday. [@click=app.quit]x[/] They agreed on tariffs.\n"
    "# Not a heading](javascript:alert(1)) and *not* emphasis.\n"
    "Later, the talks ended.\n"
)
PAPER_TEXT = "The paper says tariffs were not agreed.\n"


def _passage(
    ref: PassageRef, key: str, text: str, quote: str, stance: Stance = Stance.SUPPORTS
) -> Passage:
    start = text.find(quote)
    anchor = Anchor(AnchorStatus.EXACT, Span(start, start + len(quote)))
    if start < 0:
        anchor = Anchor(AnchorStatus.ORPHANED, None, score=0.0)
    return Passage(ref=ref, source_key=key, quote=quote, stance=stance, anchor=anchor)


def _brief(index: int = 0, path: str = "briefs/tariffs.yaml", title: str = "Tariff talks") -> Brief:
    wire_meta = SourceMeta(title="Talks", outlet="Wire", published="2025-02-07")
    wire = BriefSource("wire", Source("src/wire.txt", WIRE_TEXT, wire_meta, body_line=4), wire_meta)
    paper = BriefSource("paper", Source("src/paper.txt", PAPER_TEXT), SourceMeta())
    passages = (
        _passage(PassageRef(index, 0, 0), "wire", WIRE_TEXT, "They agreed on tariffs."),
        _passage(
            PassageRef(index, 0, 1),
            "paper",
            PAPER_TEXT,
            "tariffs were not agreed",
            Stance.CONFLICTS,
        ),
        _passage(
            PassageRef(index, 0, 2),
            "wire",
            WIRE_TEXT,
            "# Not a heading](javascript:alert(1)) and *not* emphasis.",
            Stance.CONTEXT,
        ),
        _passage(PassageRef(index, 0, 3), "paper", PAPER_TEXT, "a quote nobody wrote"),
    )
    claim = Claim(
        index=0,
        text="Tariffs were agreed.",
        passages=passages,
        id="tariffs",
        note="See [the wire](javascript:x)",
    )
    return Brief(
        index=index,
        path=path,
        title=title,
        sources=(wire, paper),
        claims=(claim,),
        summary="What was agreed.\n# not a heading",
        tags=("trade", "<b>html</b>"),
    )


def _library(*briefs: Brief) -> Library:
    return Library(root=Path("/nowhere"), briefs=briefs)


def test_markdown_holds_title_sources_claims_and_citations() -> None:
    markdown = to_markdown(_brief())
    assert markdown.startswith("# Tariff talks\n")
    assert "- **wire**: Wire, file src/wire.txt" in markdown
    assert "  - published: 2025-02-07" in markdown
    assert "  - author: unknown" in markdown
    assert "### 1. Tariffs were agreed." in markdown
    assert "Status: contested (2 supports, 1 conflicts, 1 context)" in markdown
    assert "#### Supporting" in markdown and "#### Conflicting" in markdown
    assert "> They agreed on tariffs.\n>\n> — Wire, src/wire.txt, line 4\n" in markdown
    assert "> tariffs were not agreed\n>\n> — paper, src/paper.txt, line 1\n" in markdown
    assert "> — paper, src/paper.txt, anchor orphaned" in markdown


def test_markdown_keeps_source_text_inert() -> None:
    markdown = to_markdown(_brief())
    assert "> \\# Not a heading\\](javascript:alert(1)) and \\*not\\* emphasis." in markdown
    assert "](javascript:" not in markdown.replace("\\](javascript:", "")
    assert "\\<b\\>html\\</b\\>" in markdown
    assert "Note: See \\[the wire\\](javascript:x)" in markdown
    assert "\n\\# not a heading\n" in markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- item", ["\\- item"]),
        ("2025. A year", ["2025\\. A year"]),
        ("  3) three", ["  3\\) three"]),
        ("===", ["\\==="]),
        ("> quoted", ["\\> quoted"]),
        ("`code` and \\", ["\\`code\\` and \\\\"]),
        ("a\x1b]52;c;AAAA\x07b", ["a\u241bb"]),
    ],
)
def test_markdown_lines_escape_block_and_inline_structure(text: str, expected: list[str]) -> None:
    assert markdown_lines(text) == expected


def test_markdown_inline_flattens_lines_and_strips_controls() -> None:
    assert markdown_inline("one\n# two\x1b[2J") == "one \\# two\u241b"


def test_json_carries_claims_passages_and_metadata() -> None:
    document = json.loads(to_json(_brief()))
    assert document["brief"]["title"] == "Tariff talks"
    assert document["sources"][1]["meta"] == {
        "title": None,
        "outlet": None,
        "author": None,
        "published": None,
        "url": None,
        "kind": None,
        "note": None,
    }
    claim = document["claims"][0]
    assert claim["status"] == "contested"
    assert [p["stance"] for p in claim["passages"]] == [
        "supports",
        "conflicts",
        "context",
        "supports",
    ]
    assert claim["passages"][0]["line"] == 4
    assert "offsetBase" in document


def test_json_selectors_round_trip_to_the_source_text() -> None:
    brief = _brief()
    document = brief_document(brief)
    for passage_json, passage in zip(
        document["claims"][0]["passages"], brief.claims[0].passages, strict=True
    ):
        target = passage_json["target"]
        text = brief.source(passage.source_key).source.text
        if passage.span is None:
            assert target["selector"] == [{"type": "TextQuoteSelector", "exact": passage.quote}]
            continue
        quote, position = target["selector"]
        assert target["source"] == brief.source(passage.source_key).source.path
        assert text[position["start"] : position["end"]] == quote["exact"]
        assert text[: position["start"]].endswith(quote.get("prefix", ""))
        assert text[position["end"] :].startswith(quote.get("suffix", ""))
        assert len(quote.get("prefix", "")) <= CONTEXT_CHARS


def test_selector_context_is_source_text_not_the_curators_prefix() -> None:
    brief = _brief()
    passage = replace(brief.claims[0].passages[0], prefix="curator", suffix="words")
    quote, position = annotation_target(brief.source("wire"), passage)["selector"]
    assert quote == {
        "type": "TextQuoteSelector",
        "exact": "They agreed on tariffs.",
        "prefix": "icials met on Monday. [@click=app.quit]x[/] "[-CONTEXT_CHARS:],
        "suffix": "\n# Not a heading](javascript:ale",
    }
    assert position == {"type": "TextPositionSelector", "start": 47, "end": 70}


@pytest.mark.parametrize(
    "name",
    ["briefs/tariffs.yaml", "tariffs.yaml", "tariffs", "Tariff talks", "tarif talks", "TARIFFS"],
)
def test_find_brief_by_path_name_stem_title_or_near_miss(name: str) -> None:
    other = _brief(1, "briefs/summit.yaml", "Summit security")
    library = _library(_brief(), other)
    assert find_brief(library, name).path == "briefs/tariffs.yaml"


def test_find_brief_reports_ambiguity_with_candidates() -> None:
    library = _library(
        _brief(0, "briefs/trade_a.yaml", "Trade"), _brief(1, "briefs/trade_b.yaml", "Trade")
    )
    with pytest.raises(BriefLookupError) as raised:
        find_brief(library, "trade")
    message = str(raised.value)
    assert "matches 2 briefs" in message
    assert "briefs/trade_a.yaml" in message and "briefs/trade_b.yaml" in message
    assert "\n" not in message


def test_find_brief_reports_no_match_with_the_briefs_there_are() -> None:
    library = _library(_brief(0, "briefs/tariffs.yaml", "Tariff talks\x1b]0;x\x07"))
    with pytest.raises(BriefLookupError) as raised:
        find_brief(library, "weather")
    assert str(raised.value) == (
        "no brief matches 'weather'; briefs: briefs/tariffs.yaml (Tariff talks\u241b)"
    )
