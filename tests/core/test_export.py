"""Export of a brief as Markdown and as JSON with W3C selectors."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from builders import Quote, library_of, write_library
from builders import claim as make_claim
from markdown_it import MarkdownIt

from briefing_tui.cli import main
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
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import (
    Anchor,
    AnchorStatus,
    Brief,
    BriefSource,
    Library,
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


def _brief(index: int = 0, path: str = "briefs/tariffs.yaml", title: str = "Tariff talks") -> Brief:
    wire_meta = SourceMeta(title="Talks", outlet="Wire", published="2025-02-07")
    wire = BriefSource("wire", Source("src/wire.txt", WIRE_TEXT, wire_meta, body_line=4), wire_meta)
    paper = BriefSource("paper", Source("src/paper.txt", PAPER_TEXT), SourceMeta())
    tariffs = make_claim(
        0,
        "Tariffs were agreed.",
        Quote(wire, "They agreed on tariffs."),
        Quote(paper, "tariffs were not agreed", Stance.CONFLICTS),
        Quote(wire, "# Not a heading](javascript:alert(1)) and *not* emphasis.", Stance.CONTEXT),
        Quote(paper, "a quote nobody wrote"),
        id="tariffs",
        note="See [the wire](javascript:x)",
    )
    return Brief(
        index=index,
        path=path,
        title=title,
        sources=(wire, paper),
        claims=(tariffs,),
        summary="What was agreed.\n# not a heading",
        tags=("trade", "<b>html</b>"),
    )


def test_markdown_holds_title_sources_claims_and_citations() -> None:
    markdown = to_markdown(_brief())
    assert markdown.startswith("# Tariff talks\n")
    assert "- **wire**: Wire, file src/wire.txt" in markdown
    assert "  - published: 2025-02-07" in markdown
    assert "  - author: unknown" in markdown
    assert "### 1. Tariffs were agreed." in markdown
    assert "Status: contested (2 supports, 1 conflicts, 1 context)" in markdown
    assert "#### Supporting" in markdown and "#### Conflicting" in markdown
    assert "> They agreed on tariffs.\n\n— Wire, src/wire.txt, line 4\n" in markdown
    assert "> tariffs were not agreed\n\n— paper.txt, src/paper.txt, line 1\n" in markdown
    assert "\n— paper.txt, src/paper.txt, anchor orphaned" in markdown


def test_markdown_keeps_source_text_inert() -> None:
    markdown = to_markdown(_brief())
    assert "> \\# Not a heading\\](javascript:alert(1)) and \\*not\\* emphasis." in markdown
    assert "](javascript:" not in markdown.replace("\\](javascript:", "")
    assert "\\<b\\>html\\</b\\>" in markdown
    assert "Note: See \\[the wire\\](javascript:x)" in markdown
    assert "\n\\# not a heading\n" in markdown


MARKDOWN_ATTACKS = (
    "# heading\n[link](https://evil.example) ![img](https://evil.example/i.png) <b>html</b>\n"
    "<script>alert(1)</script> &amp; `code` *em* **strong** ~~strike~~ _u_ | a | b |\n"
    "- bullet\n+ plus\n1. one\n2) two\n    indented code\n```\nfence\n```\n~~~\n"
    "---\n===\n***\n> quote\n[ref]: https://evil.example\n[ref]\n<https://evil.example>\n"
    "trailing backslash\\\n\\# escaped already"
)
ALLOWED_TOKENS = {
    "heading_open",
    "heading_close",
    "paragraph_open",
    "paragraph_close",
    "inline",
    "text",
    "softbreak",
    "blockquote_open",
    "blockquote_close",
    "bullet_list_open",
    "bullet_list_close",
    "list_item_open",
    "list_item_close",
    "strong_open",
    "strong_close",
}


def markdown_tokens(markdown: str) -> Counter[str]:
    """How many of each CommonMark (plus tables and strikethrough) token the text parses to."""
    parser = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    parser.validateLink = lambda url: True  # count every link, even ones a renderer would drop
    counts: Counter[str] = Counter()
    tokens = parser.parse(markdown)
    while tokens:
        token = tokens.pop()
        counts[token.type] += 1
        tokens.extend(token.children or ())
    return counts


def test_markdown_structure_is_only_what_the_export_builds() -> None:
    brief = _brief()
    source = brief.sources[0].source
    text = MARKDOWN_ATTACKS + "\n" + source.text
    wire = replace(brief.sources[0], source=replace(source, text=text))
    hostile_meta = SourceMeta(title=MARKDOWN_ATTACKS, url="javascript:alert(1)")
    at_start = Anchor(AnchorStatus.EXACT, Span(0, len(MARKDOWN_ATTACKS)))
    passages = tuple(
        replace(p, anchor=at_start, note=MARKDOWN_ATTACKS) if p.source_key == "wire" else p
        for p in brief.claims[0].passages
    )
    attacked = MARKDOWN_ATTACKS
    claim = replace(brief.claims[0], text=attacked, note=attacked, passages=passages)
    hostile = replace(
        brief,
        title=MARKDOWN_ATTACKS,
        summary=MARKDOWN_ATTACKS,
        tags=(MARKDOWN_ATTACKS,),
        sources=(replace(wire, meta=hostile_meta), brief.sources[1]),
        claims=(claim,),
    )
    counts = markdown_tokens(to_markdown(hostile))
    assert set(counts) <= ALLOWED_TOKENS
    groups = len({p.stance for p in claim.passages})
    assert counts["heading_open"] == 3 + 1 + groups
    assert counts["blockquote_open"] == len(claim.passages)
    assert counts["strong_open"] == len(hostile.sources)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- item", ["\\- item"]),
        ("2025. A year", ["2025\\. A year"]),
        ("  3) three", ["3\\) three"]),
        ("    indented\n\tcode", ["indented", "code"]),
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


def test_json_escapes_what_a_terminal_would_act_on_but_keeps_it_exact() -> None:
    path = "briefs/x\x1b]0;t\x07\u202e\u0085\U000e0041.yaml"
    text = to_json(replace(_brief(), path=path, title="Tariff talks \u2014 “quoted”"))
    assert text.replace("\n", "").isprintable()
    assert "Tariff talks \u2014 “quoted”" in text  # printable text stays readable
    assert json.loads(text)["brief"]["path"] == path


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
    library = library_of(_brief(), other)
    assert find_brief(library, name).path == "briefs/tariffs.yaml"


def test_find_brief_reports_ambiguity_with_candidates() -> None:
    library = library_of(
        _brief(0, "briefs/trade_a.yaml", "Trade"), _brief(1, "briefs/trade_b.yaml", "Trade")
    )
    with pytest.raises(BriefLookupError) as raised:
        find_brief(library, "trade")
    message = str(raised.value)
    assert "matches 2 briefs" in message
    assert "briefs/trade_a.yaml" in message and "briefs/trade_b.yaml" in message
    assert "\n" not in message


def test_find_brief_reports_no_match_with_the_briefs_there_are() -> None:
    library = library_of(_brief(0, "briefs/tariffs.yaml", "Tariff talks\x1b]0;x\x07"))
    with pytest.raises(BriefLookupError) as raised:
        find_brief(library, "weather")
    assert str(raised.value) == (
        "no brief matches 'weather'; briefs: briefs/tariffs.yaml (Tariff talks\u241b)"
    )


# Through the loader and the command line

WIRE_FILE = (
    "---\r\ntitle: Leaders meet\r\noutlet: Example Wire\r\n---\r\n"
    "The leaders met on Friday.\r\n"
    "[@click=app.quit]x[/] # They agreed](javascript:alert(1)) on tariffs.\r\n"
    "The talks lasted two hours.\r\n"
)
POST_FILE = "Officials said the talks lasted three hours.\nThe talks lasted 2 hours, aides said.\n"
TALKS_BRIEF = """\
title: The talks
summary: How long the leaders talked.
tags: [talks]
sources:
  wire: seeds/wire.txt
  post:
    path: seeds/post.txt
    kind: report
claims:
  - id: length
    text: The talks lasted two hours.
    passages:
      - source: wire
        quote: The talks lasted two hours.
      - source: post
        quote: the talks lasted three hours
        stance: conflicts
        note: says three
      - source: post
        quote: The talks lasted two hours, aides said.
      - source: wire
        quote: nowhere in the text at all, not even close to it
  - text: Tariffs were agreed.
    passages:
      - source: wire
        quote: "# They agreed](javascript:alert(1)) on tariffs."
"""
TRADE_BRIEF = "title: Trade talks\nsources:\n  wire: seeds/wire.txt\n"


@pytest.fixture
def talks_library(tmp_path: Path) -> Path:
    """A library with CRLF front matter, hostile-looking text, a misquote and an orphan."""
    return write_library(
        tmp_path / "lib",
        {"talks.yaml": TALKS_BRIEF, "trade.yaml": TRADE_BRIEF},
        {"seeds/wire.txt": WIRE_FILE.encode(), "seeds/post.txt": POST_FILE},
    )


def _export(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["export", *args])
    out, err = capsys.readouterr()
    return code, out, err


def _file_body(root: Path, path: str, body_line: int) -> str:
    """A source file's body read straight from disk: newlines normalised, front matter cut."""
    raw = (root / path).read_text(encoding="utf-8").replace("\r\n", "\n").replace("\r", "\n")
    return "".join(raw.splitlines(keepends=True)[body_line - 1 :])


def _assert_selectors_round_trip(document: dict[str, Any], library: Library) -> int:
    brief = next(b for b in library.briefs if b.path == document["brief"]["path"])
    anchored = 0
    for claim_json, claim in zip(document["claims"], brief.claims, strict=True):
        for passage_json, passage in zip(claim_json["passages"], claim.passages, strict=True):
            selectors = {s["type"]: s for s in passage_json["target"]["selector"]}
            if passage.span is None:
                assert list(selectors) == ["TextQuoteSelector"]
                continue
            source = library.sources[passage_json["target"]["source"]]
            quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
            # Offsets count into the file's body as written, whatever sanitising changed.
            body = _file_body(library.root, source.path, source.body_line)
            assert body[position["start"] : position["end"]] == quote["exact"]
            assert body[: position["start"]].endswith(quote.get("prefix", ""))
            assert body[position["end"] :].startswith(quote.get("suffix", ""))
            anchored += 1
    return anchored


def test_markdown_export_of_a_loaded_library(
    talks_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _export(capsys, "talks", str(talks_library))
    assert (code, err) == (0, "")
    assert out.startswith("# The talks\n")
    assert "  - outlet: Example Wire\n  - author: unknown\n" in out
    assert "  - kind: report\n" in out
    assert "> The talks lasted two hours.\n\n— Example Wire, seeds/wire.txt, line 7\n" in out
    assert "\n— post.txt, seeds/post.txt, line 2, anchor approximate (score " in out
    assert "\n— Example Wire, seeds/wire.txt, anchor orphaned" in out
    assert "Note: says three\n" in out
    assert "> \\[@click=app.quit\\]x\\[/\\]" not in out  # only the quoted span is shown
    assert "> \\# They agreed\\](javascript:alert(1)) on tariffs.\n" in out
    assert "](javascript:" not in out.replace("\\](javascript:", "")


def test_json_export_round_trips_to_source_and_file_offsets(
    talks_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _export(capsys, "talks.yaml", str(talks_library), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert document["claims"][0]["passages"][1]["line"] == 1
    orphan = document["claims"][0]["passages"][3]
    assert orphan["anchor"]["status"] == "orphaned"
    assert orphan["target"]["selector"] == [
        {"type": "TextQuoteSelector", "exact": "nowhere in the text at all, not even close to it"}
    ]
    assert _assert_selectors_round_trip(document, load_library(talks_library)) == 4


def test_json_export_of_every_bundled_brief_round_trips(
    capsys: pytest.CaptureFixture[str],
) -> None:
    library = load_library()
    assert library.briefs
    for brief in library.briefs:
        code, out, _ = _export(capsys, brief.path, "--format", "json")
        assert code == 0
        assert _assert_selectors_round_trip(json.loads(out), library) > 0


def test_markdown_export_of_every_bundled_brief(capsys: pytest.CaptureFixture[str]) -> None:
    library = load_library()
    for brief in library.briefs:
        code, out, _ = _export(capsys, Path(brief.path).stem)
        assert code == 0
        assert out.startswith(f"# {markdown_inline(brief.title)}\n")
        cited = re.findall(r"^>.*\n\n— ", out, re.MULTILINE)
        assert len(cited) == sum(1 for _ in brief.passages())


def test_brief_given_as_a_file_opens_its_own_library(
    talks_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _export(capsys, str(talks_library / "briefs" / "trade.yaml"))
    assert code == 0
    assert out.startswith("# Trade talks\n")


@pytest.mark.parametrize(
    ("name", "message"),
    [
        (
            "talk",
            "briefing export: 'talk' matches 2 briefs: briefs/talks.yaml (The talks); "
            "briefs/trade.yaml (Trade talks)",
        ),
        (
            "weather",
            "briefing export: no brief matches 'weather'; briefs: briefs/talks.yaml "
            "(The talks); briefs/trade.yaml (Trade talks)",
        ),
    ],
)
def test_unknown_or_ambiguous_brief_is_a_usage_error(
    talks_library: Path, capsys: pytest.CaptureFixture[str], name: str, message: str
) -> None:
    assert _export(capsys, name, str(talks_library)) == (2, "", message + "\n")


def test_unknown_format_is_a_usage_error(
    talks_library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _export(capsys, "talks", str(talks_library), "--format", "html")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith("briefing export: argument --format: invalid choice")
    assert "Traceback" not in err


def test_unusable_library_path_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = _export(capsys, "talks", str(tmp_path / "missing"))
    assert (code, out) == (2, "")
    assert err.startswith("briefing export: ") and err.count("\n") == 1


def test_empty_library_message_shows_the_root_sanitised() -> None:
    library = Library(root=Path("/lib\x1b]0;title\x07\n"), briefs=())
    message = r"^no briefs in the library at /lib\\x1b\]0;title\\x07\\x0a$"
    with pytest.raises(BriefLookupError, match=message):
        find_brief(library, "anything")


def test_markdown_says_when_no_source_could_be_read() -> None:
    markdown = to_markdown(replace(_brief(), sources=(), claims=()))
    assert "## Sources\n\nNone of this brief's sources could be read.\n" in markdown
    assert "This brief names no claims." in markdown


# Real web text: a soft hyphen, a zero-width space and a left-to-right mark before the quote,
# an escape sequence in it, a NUL (replaced one for one) after it.
WEB_FILE = (
    "---\ntitle: Web copy\n---\nIntro\u00ad duction,\u200b with\u200e marks. "
    "The \x1b[1mminister\x1b[0m resigned on Friday.\x00 More text.\r\n"
)
WEB_BRIEF = """\
title: Web copy
sources:
  web: seeds/web.txt
claims:
  - text: The minister resigned.
    passages:
      - source: web
        quote: resigned on Friday.
      - source: web
        quote: "The \\u241bminister\\u241b resigned"
"""


def test_json_offsets_count_into_the_body_as_written_where_sanitising_changed_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "lib"
    (root / "briefs").mkdir(parents=True)
    (root / "seeds").mkdir()
    (root / "seeds" / "web.txt").write_bytes(WEB_FILE.encode())
    (root / "briefs" / "web.yaml").write_text(WEB_BRIEF, encoding="utf-8")
    code, out, _ = _export(capsys, "web", str(root), "--format", "json")
    assert code == 0
    document = json.loads(out)
    assert "as written" in document["offsetBase"]
    body = _file_body(root, "seeds/web.txt", 4)
    first, second = document["claims"][0]["passages"]
    quote, position = first["target"]["selector"]
    start = body.index("resigned on Friday.")
    assert position == {"type": "TextPositionSelector", "start": start, "end": start + 19}
    assert quote["exact"] == "resigned on Friday." == body[start : start + 19]
    assert quote["prefix"] == body[start - CONTEXT_CHARS : start]
    assert quote["suffix"] == body[start + 19 :][:CONTEXT_CHARS]
    library = load_library(root)
    sanitised_start = library.sources["seeds/web.txt"].text.index("resigned on Friday.")
    assert start - sanitised_start == 3 + 2 * 3  # U+00AD, U+200B, U+200E; two escapes 4 -> 1
    # A span over an escape takes in the whole sequence as written.
    quote, position = second["target"]["selector"]
    assert quote["exact"] == "The \x1b[1mminister\x1b[0m resigned"
    assert body[position["start"] : position["end"]] == quote["exact"]
    assert "\x1b" not in out  # written as a JSON escape


def test_annotation_target_of_a_clean_source_counts_into_its_text() -> None:
    brief = _brief()
    passage = brief.claims[0].passages[0]
    source = brief.source("wire").source
    assert source.written is None and source.body is source.text
    _, position = annotation_target(brief.source("wire"), passage)["selector"]
    assert (position["start"], position["end"]) == passage.span


# JSON conventions, lookups that must not fail, bounded messages


def test_json_names_claims_by_key_and_number_and_passages_by_source_and_span() -> None:
    document = brief_document(_brief())
    assert document["format"] == "briefing-export/2"
    (claim,) = document["claims"]
    assert (claim["number"], claim["key"], claim["id"]) == (1, "tariffs", "tariffs")
    assert "index" not in claim
    first, *_, orphan = claim["passages"]
    assert (first["number"], first["source"], first["span"]) == (
        1,
        "wire",
        {"start": 47, "end": 70},
    )
    assert (orphan["number"], orphan["source"], orphan["span"]) == (4, "paper", None)


def test_a_claim_without_an_id_is_named_by_its_derived_key() -> None:
    brief = _brief()
    keyless = replace(brief.claims[0], id=None, key="~tariffs-were-agreed")
    (claim,) = brief_document(replace(brief, claims=(keyless,)))["claims"]
    assert (claim["number"], claim["key"], claim["id"]) == (1, "~tariffs-were-agreed", None)


def test_markdown_for_an_ascii_stdout_cites_with_an_ascii_dash() -> None:
    markdown = to_markdown(_brief(), ascii_only=True)
    assert "\n-- Wire, src/wire.txt, line 4\n" in markdown
    assert "\u2014" not in markdown


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("Case", "briefs/Case.yaml"),
        ("case", "briefs/case.yaml"),
        ("briefs/Case.yaml", "briefs/Case.yaml"),
        ("case.yaml", "briefs/case.yaml"),
    ],
)
def test_a_name_written_exactly_wins_over_one_that_differs_in_case(name: str, found: str) -> None:
    library = library_of(_brief(0, "briefs/Case.yaml", "One"), _brief(1, "briefs/case.yaml", "Two"))
    assert find_brief(library, name).path == found


def test_a_name_that_matches_only_once_case_is_folded_is_still_ambiguous() -> None:
    library = library_of(_brief(0, "briefs/Case.yaml", "One"), _brief(1, "briefs/case.yaml", "Two"))
    with pytest.raises(BriefLookupError, match="^'CASE' matches 2 briefs: "):
        find_brief(library, "CASE")


def test_a_brief_path_relative_to_the_library_root_finds_its_file(
    talks_library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (talks_library / "briefs" / "Talks.yaml").write_text(TRADE_BRIEF.replace("Trade", "Other"))
    monkeypatch.chdir(tmp_path)  # not the library root: the path is the library's
    assert find_brief(load_library(talks_library), "briefs/Talks.yaml").title == "Other talks"


@pytest.mark.parametrize("name", ["x" * 300, "Tariff talks " * 40, "a\0b", "/" * 5000])
def test_a_name_too_long_or_odd_to_be_a_path_is_looked_up_as_a_title(
    name: str, capsys: pytest.CaptureFixture[str], talks_library: Path
) -> None:
    code, out, err = _export(capsys, name, str(talks_library))
    assert (code, out) == (2, "")
    assert err.startswith("briefing export: no brief matches '") and err.count("\n") == 1
    assert len(err) < 400


def test_an_unknown_name_in_a_large_library_gets_a_bounded_line() -> None:
    briefs = [
        _brief(n, f"briefs/b{n:05}.yaml", f"Topic {n} " + "long " * 50) for n in range(10_000)
    ]
    with pytest.raises(BriefLookupError) as raised:
        find_brief(library_of(*briefs), "weather")
    message = str(raised.value)
    assert message.endswith("; and 9,990 more")
    assert message.count("; ") == 11 and len(message) < 1000  # "briefs:", 10 named, "and"


def test_a_brief_is_found_by_a_title_longer_than_a_file_name_may_be(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "A very long title " * 20  # 360 bytes: no file may be named so
    root = write_library(
        tmp_path / "lib", {"long.yaml": f"title: {title}\nsources:\n  w: w.txt\n"}, {"w.txt": "W"}
    )
    code, out, err = _export(capsys, title.strip(), str(root))
    assert (code, err) == (0, "")
    assert out.startswith(f"# {title.strip()}\n")
