"""The loader: locating a library, validating briefs, and a diagnostic for every problem."""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from textwrap import dedent

import pytest

import briefing_tui
from briefing_tui.core.library import anchor as anchor_module
from briefing_tui.core.library import loader as loader_module
from briefing_tui.core.library import sources as sources_module
from briefing_tui.core.library.loader import (
    LibraryError,
    LibraryReader,
    bundled_library_path,
    load_library,
    locate_library,
)
from briefing_tui.core.library.model import (
    AnchorStatus,
    ClaimStatus,
    Level,
    Library,
    ProblemCounts,
    Stance,
)

LibraryMaker = Callable[..., Path]
Problem = tuple[str, Level, int | None, int | None, str]


def problems(library: Library) -> list[Problem]:
    return [(d.path, d.level, d.line, d.column, d.message) for d in library.diagnostics]


def brief_with(claims: str, sources: str = "  wire: seeds/wire.txt\n") -> str:
    """A brief with the given claims block (already indented as list items)."""
    return "title: T\nsources:\n" + sources + "claims:\n" + dedent(claims)


def only_problem(make_library: LibraryMaker, text: str) -> Problem:
    library = load_library(make_library({"t.yaml": text}))
    assert len(library.diagnostics) == 1, problems(library)
    return problems(library)[0]


# -- a good library -------------------------------------------------------------------------


def test_a_good_library_loads_without_diagnostics(
    good_brief: str, make_library: LibraryMaker
) -> None:
    root = make_library({"summit.yaml": good_brief})
    library = load_library(root)
    assert problems(library) == []
    assert library.root == root.resolve()
    (brief,) = library.briefs
    assert (brief.index, brief.path, brief.title) == (0, "briefs/summit.yaml", "Summit")
    assert (brief.summary, brief.tags) == ("What was agreed.", ("trade", "security"))
    assert sorted(library.sources) == ["seeds/post.md", "seeds/wire.txt"]
    wire, post = brief.sources
    assert (wire.key, wire.source.path, wire.meta.outlet) == (
        "wire",
        "seeds/wire.txt",
        "Example Wire",
    )
    assert (post.key, post.meta.outlet) == ("post", "Example Post")
    invest, length = brief.claims
    assert (invest.id, invest.index, invest.line, invest.status) == (
        "invest",
        0,
        10,
        ClaimStatus.CORROBORATED,
    )
    assert (length.note, length.status) == ("The sources disagree.", ClaimStatus.CONTESTED)
    conflict = length.passages[1]
    assert (conflict.stance, conflict.note, conflict.line) == (
        Stance.CONFLICTS,
        "says three, not two",
        23,
    )
    assert conflict.anchor.status is AnchorStatus.EXACT
    text = library.sources["seeds/post.md"].text
    assert conflict.span is not None
    assert text[conflict.span.start : conflict.span.end] == "the talks lasted three hours"
    assert [p.claim for p in brief.passages()] == ["invest", "invest", "length", "length"]


def test_briefs_load_in_file_name_order_with_their_index(
    good_brief: str, make_library: LibraryMaker
) -> None:
    root = make_library(
        {"b.yml": good_brief.replace("Summit", "B"), "a.yaml": good_brief.replace("Summit", "A")}
    )
    (root / "briefs" / "notes.txt").write_text("not a brief")
    (root / "briefs" / ".#a.yaml").write_text("editor lock file")
    library = load_library(root)
    assert [(b.index, b.title, b.path) for b in library.briefs] == [
        (0, "A", "briefs/a.yaml"),
        (1, "B", "briefs/b.yml"),
    ]
    assert all(p.claim == c.key for c in library.briefs[1].claims for p in c.passages)


def test_each_source_is_read_and_matched_once_however_many_briefs_name_it(
    good_brief: str, make_library: LibraryMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    matchers: list[str] = []
    load_source = sources_module.load_source

    def counting_load_source(file: Path, path: str):  # type: ignore[no-untyped-def]
        reads.append(path)
        return load_source(file, path)

    class CountingMatcher(anchor_module.SourceMatcher):
        def __init__(self, text: str) -> None:
            matchers.append(text[:10])
            super().__init__(text)

    # The loader imports these where it reads a file, so it finds them patched.
    monkeypatch.setattr(sources_module, "load_source", counting_load_source)
    monkeypatch.setattr(anchor_module, "SourceMatcher", CountingMatcher)
    library = load_library(make_library({f"{n}.yaml": good_brief for n in "abc"}))
    assert len(library.briefs) == 3
    assert sorted(reads) == ["seeds/post.md", "seeds/wire.txt"]
    assert len(matchers) == 2


def test_block_scalars_lose_their_final_newline_but_a_suffix_keeps_its_space(
    make_library: LibraryMaker,
) -> None:
    claims = (
        "- text: |\n    Talks were cordial.\n  passages:\n    - source: post\n"
        "      quote: >\n        the talks\n      suffix: ' were'\n"
    )
    text = brief_with(claims, sources="  post: seeds/post.md\n")
    library = load_library(make_library({"t.yaml": text}))
    assert problems(library) == []
    (claim,) = library.briefs[0].claims
    passage = claim.passages[0]
    assert (claim.text, passage.quote, passage.suffix) == (
        "Talks were cordial.",
        "the talks",
        " were",
    )
    assert passage.anchor.status is AnchorStatus.EXACT


def test_source_keys_and_claim_ids_are_sanitised_and_still_match(
    make_library: LibraryMaker,
) -> None:
    text = (
        'title: T\nsources:\n  "w\\e[31m": seeds/wire.txt\nclaims:\n'
        '  - id: "c\\e]0;x\\a"\n    text: x\n'
        '    passages: [{source: "w\\e[31m", quote: The talks lasted}]\n'
    )
    library = load_library(make_library({"t.yaml": text}))
    assert problems(library) == []
    (brief,) = library.briefs
    assert brief.sources[0].key == "w\u241b"
    assert brief.claims[0].id == "c\u241b"
    assert brief.claims[0].passages[0].source_key == "w\u241b"


def test_texts_from_briefs_are_sanitised(make_library: LibraryMaker) -> None:
    brief = brief_with(
        """\
        - text: "Claim \\e[2J here"
          note: "note \\u202e reversed"
          passages:
            - source: wire
              quote: "The talks lasted two hours."
              prefix: "\\x07"
        """
    ).replace("title: T", 'title: "Title \\e]0;pwned\\a"')
    library = load_library(make_library({"t.yaml": brief}))
    (brief_model,) = library.briefs
    claim = brief_model.claims[0]
    assert brief_model.title == "Title \u241b"
    assert claim.text == "Claim \u241b here"
    assert claim.note == "note  reversed"
    assert claim.passages[0].prefix == "\u2407"


# -- locating a library ---------------------------------------------------------------------


def test_a_brief_file_inside_briefs_uses_the_folder_above_as_root(
    good_brief: str,
    make_library: LibraryMaker,
) -> None:
    root = make_library({"a.yaml": good_brief, "b.yaml": good_brief})
    library = load_library(root / "briefs" / "b.yaml")
    assert library.root == root.resolve()
    assert [b.path for b in library.briefs] == ["briefs/b.yaml"]
    assert problems(library) == []


def test_a_brief_file_elsewhere_uses_its_own_folder_as_root(post_text: str, tmp_path: Path) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "post.md").write_text(post_text)
    brief = tmp_path / "single.yml"
    brief.write_text("title: Alone\nsources:\n  post: seeds/post.md\n")
    (tmp_path / "other.yaml").write_text("title: Other\nsources:\n  post: seeds/post.md\n")
    library = load_library(brief)
    assert library.root == tmp_path.resolve()
    assert [(b.path, b.title) for b in library.briefs] == [("single.yml", "Alone")]


def test_a_folder_of_brief_files_without_briefs_folder_is_a_library(
    post_text: str, tmp_path: Path
) -> None:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "post.md").write_text(post_text)
    (tmp_path / "one.yaml").write_text("title: One\nsources:\n  post: seeds/post.md\n")
    library = load_library(tmp_path)
    assert [b.path for b in library.briefs] == ["one.yaml"]


def test_an_empty_briefs_folder_is_an_empty_library(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    library = load_library(tmp_path)
    assert (library.briefs, dict(library.sources), library.diagnostics) == ((), {}, ())


def test_str_paths_are_accepted(good_brief: str, make_library: LibraryMaker) -> None:
    assert len(load_library(str(make_library({"a.yaml": good_brief}))).briefs) == 1


def test_a_missing_path_is_a_library_error(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match=r"nowhere: no such file or folder$"):
        load_library(tmp_path / "nowhere")


def test_a_folder_without_briefs_is_a_library_error(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(LibraryError, match=r": no briefs/ folder and no brief files"):
        load_library(tmp_path)


def test_a_file_that_is_not_a_brief_is_a_library_error(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("x")
    with pytest.raises(LibraryError, match=r"article.txt: not a brief file \(.yaml or .yml\)$"):
        load_library(tmp_path / "article.txt")


def test_the_bundled_library_is_the_checkout_root_in_a_checkout() -> None:
    root = bundled_library_path()
    assert root == Path(briefing_tui.__file__).parent.parent
    assert (root / "briefs").is_dir() and (root / "seeds").is_dir()
    assert locate_library(None).root == root.resolve()


def test_the_bundled_library_is_inside_the_package_when_installed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "site-packages" / "briefing_tui"
    (package / "bundled" / "briefs").mkdir(parents=True)
    monkeypatch.setattr(briefing_tui, "__file__", str(package / "__init__.py"))
    assert bundled_library_path() == package / "bundled"


# -- a brief whose top level is unusable is skipped; the others load ------------------------


NOT_A_MAPPING = "a brief must be a mapping with title and sources, not "
WIRE_ONLY = "sources:\n  wire: seeds/wire.txt\n"
SOURCES_SHAPE = "'sources' must map source ids to paths, not "


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", (1, 1, NOT_A_MAPPING + "empty")),
        ("- a\n- b\n", (1, 1, NOT_A_MAPPING + "a list")),
        ("just words\n", (1, 1, NOT_A_MAPPING + "text")),
        (WIRE_ONLY, (1, 1, "missing 'title'")),
        ("title: 2025\n" + WIRE_ONLY, (1, 8, "'title' must be text, not a number")),
        ("title: '  '\n" + WIRE_ONLY, (1, 8, "'title' is empty")),
        ("title: T\n", (1, 1, "missing 'sources'")),
        ("title: T\nsources: [seeds/wire.txt]\n", (2, 10, SOURCES_SHAPE + "a list")),
        ("title: T\nsources: {}\n", (2, 10, SOURCES_SHAPE + "a mapping")),
        ("title: [T\n", (2, 1, "YAML syntax error:")),
        ("title: T\ntitle: U\n", (2, 1, "duplicate key 'title' (first at line 1)")),
        (
            "title: !!python/object/apply:os.system [ls]\n",
            (1, 8, "tag !!python/object/apply:os.system is not allowed"),
        ),
    ],
)
def test_an_unusable_brief_is_skipped_with_one_error(
    good_brief: str, make_library: LibraryMaker, text: str, problem: tuple[int, int, str]
) -> None:
    library = load_library(make_library({"bad.yaml": text, "good.yaml": good_brief}))
    assert [b.path for b in library.briefs] == ["briefs/good.yaml"]
    assert library.briefs[0].index == 0
    ((path, level, line, column, message),) = problems(library)
    assert (path, level, line, column) == ("briefs/bad.yaml", Level.ERROR, *problem[:2])
    assert message.startswith(problem[2])


def test_a_brief_that_is_not_utf8_is_skipped(good_brief: str, make_library: LibraryMaker) -> None:
    root = make_library({"good.yaml": good_brief})
    (root / "briefs" / "bad.yaml").write_bytes(b"title: caf\xe9\n")
    library = load_library(root)
    assert len(library.briefs) == 1
    assert problems(library) == [
        ("briefs/bad.yaml", Level.ERROR, 1, 1, "not UTF-8: byte 0xe9 at byte offset 10")
    ]


def test_binary_garbage_as_a_brief_is_a_diagnostic(make_library: LibraryMaker) -> None:
    root = make_library({})
    (root / "briefs" / "junk.yaml").write_bytes(os.urandom(0) + bytes(range(256)) * 8)
    library = load_library(root)
    assert library.briefs == ()
    ((path, level, _, _, message),) = problems(library)
    assert (path, level) == ("briefs/junk.yaml", Level.ERROR)
    assert message.startswith("not UTF-8: byte 0x80 at byte offset 128")


def test_an_oversized_brief_is_refused(make_library: LibraryMaker) -> None:
    root = make_library({})
    (root / "briefs" / "huge.yaml").write_text("title: T\nsummary: " + "x" * (1 << 20))
    library = load_library(root)
    assert problems(library) == [
        ("briefs/huge.yaml", Level.ERROR, None, None, "the file is larger than the 1 MiB limit")
    ]


def test_every_problem_in_a_brief_missing_its_title_is_still_reported(
    make_library: LibraryMaker,
) -> None:
    text = "sources:\n  wire: seeds/wire.txt\nclaims:\n  - text: x\n    passages: []\n"
    library = load_library(make_library({"t.yaml": text}))
    assert library.briefs == ()
    assert [(line, message) for _, _, line, _, message in problems(library)] == [
        (1, "missing 'title'"),
        (2, "source 'wire' is declared but no passage quotes it"),
        (5, "a claim needs a list of at least one passage"),
    ]


# -- problems that cost only their own claim or passage -------------------------------------


PASSAGE = "- text: x\n  passages:\n    - "


@pytest.mark.parametrize(
    ("claims", "problem"),
    [
        ("- just text\n", (5, 3, "a claim must be a mapping with text and passages, not text")),
        ("- passages: [{source: wire, quote: The talks}]\n", (5, 3, "missing 'text'")),
        ("- text: x\n", (5, 3, "a claim needs a list of at least one passage")),
        ("- text: x\n  passages: []\n", (6, 13, "a claim needs a list of at least one passage")),
        (
            "- text: x\n  passages: [oops]\n",
            (6, 14, "a passage must be a mapping with source and quote, not text"),
        ),
        (PASSAGE + "quote: The talks\n", (7, 7, "missing 'source'")),
        (
            PASSAGE + "source: post\n      quote: The talks\n",
            (7, 15, "source 'post' is not declared in 'sources'"),
        ),
        (PASSAGE + "source: wire\n", (7, 7, "missing 'quote'")),
        (PASSAGE + "source: wire\n      quote: ''\n", (8, 14, "'quote' is empty")),
        (PASSAGE + "source: wire\n      quote: [a]\n", (8, 14, "'quote' must be text, not a list")),
        (
            PASSAGE + "source: wire\n      quote: The talks\n      stance: agrees\n",
            (9, 15, "unknown stance 'agrees' (use supports, conflicts, context)"),
        ),
        (
            PASSAGE + "source: wire\n      quote: no such words anywhere here at all\n",
            (8, 14, "quote not found in seeds/wire.txt"),
        ),
    ],
)
def test_a_bad_claim_or_passage_costs_only_itself(
    make_library: LibraryMaker, claims: str, problem: tuple[int, int, str]
) -> None:
    good_claim = (
        "- text: good\n  passages:\n    - source: wire\n      quote: The talks lasted two hours.\n"
    )
    library = load_library(make_library({"t.yaml": brief_with(claims + good_claim)}))
    (brief,) = library.briefs
    assert brief.claims[-1].text == "good"
    ((path, level, line, column, message),) = problems(library)
    assert (path, level, line, column) == ("briefs/t.yaml", Level.ERROR, *problem[:2])
    assert message.startswith(problem[2])


def test_an_orphaned_quote_is_kept_and_names_the_closest_text(make_library: LibraryMaker) -> None:
    claims = PASSAGE + "source: wire\n      quote: The talks lasted seven long days\n"
    library = load_library(make_library({"t.yaml": brief_with(claims)}))
    (passage,) = library.briefs[0].passages()
    assert passage.anchor.status is AnchorStatus.ORPHANED
    assert passage.quote == "The talks lasted seven long days"
    ((_, level, line, column, message),) = problems(library)
    assert (level, line, column) == (Level.ERROR, 8, 14)
    closest = passage.anchor.closest
    assert closest
    assert message == (
        f'quote not found in seeds/wire.txt; closest: "{closest}" '
        f"(score {passage.anchor.score:.0f})"
    )


def test_an_approximate_quote_warns_with_its_score(make_library: LibraryMaker) -> None:
    claims = (
        "- text: x\n  passages:\n    - source: wire\n"
        "      quote: Japan will invest one trilion dollars in the United Sates.\n"
    )
    library = load_library(make_library({"t.yaml": brief_with(claims)}))
    (passage,) = library.briefs[0].passages()
    assert passage.anchor.status is AnchorStatus.APPROXIMATE
    assert problems(library) == [
        (
            "briefs/t.yaml",
            Level.WARNING,
            8,
            14,
            f"quote matched approximately (score {passage.anchor.score:.1f})",
        )
    ]


def test_an_ambiguous_quote_warns_and_a_suffix_settles_it(make_library: LibraryMaker) -> None:
    claims = (
        "- text: x\n  passages:\n    - source: post\n      quote: the talks\n"
        "    - source: post\n      quote: the talks\n      suffix: ' were'\n"
    )
    library = load_library(
        make_library({"t.yaml": brief_with(claims, sources="  post: seeds/post.md\n")})
    )
    first, second = library.briefs[0].passages()
    assert first.anchor.status is AnchorStatus.AMBIGUOUS
    assert second.anchor.status is AnchorStatus.EXACT
    assert problems(library) == [
        (
            "briefs/t.yaml",
            Level.WARNING,
            8,
            14,
            "quote occurs 2 times in seeds/post.md; add prefix or suffix",
        )
    ]


def test_a_duplicate_claim_id_is_an_error_and_the_claim_keeps_loading(
    make_library: LibraryMaker,
) -> None:
    claim = "- id: same\n  text: {t}\n  passages: [{{source: wire, quote: The talks lasted}}]\n"
    text = brief_with(claim.format(t="one") + claim.format(t="two"))
    library = load_library(make_library({"t.yaml": text}))
    one, two = library.briefs[0].claims
    assert (one.id, two.id, two.text) == ("same", None, "two")
    assert problems(library) == [
        ("briefs/t.yaml", Level.ERROR, 8, 7, "duplicate claim id 'same' (first at line 5)")
    ]


def test_a_declared_source_no_passage_uses_warns(make_library: LibraryMaker) -> None:
    claims = "- text: x\n  passages: [{source: wire, quote: The talks lasted}]\n"
    sources = "  wire: seeds/wire.txt\n  post: seeds/post.md\n"
    library = load_library(make_library({"t.yaml": brief_with(claims, sources)}))
    assert problems(library) == [
        ("briefs/t.yaml", Level.WARNING, 4, 3, "source 'post' is declared but no passage quotes it")
    ]


def test_a_brief_without_claims_does_not_warn_about_unused_sources(
    make_library: LibraryMaker,
) -> None:
    text = "title: T\nsources:\n  wire: seeds/wire.txt\n  post: seeds/post.md\n"
    library = load_library(make_library({"t.yaml": text}))
    assert problems(library) == []
    assert [s.key for s in library.briefs[0].sources] == ["wire", "post"]


def test_unknown_keys_warn_at_their_line(make_library: LibraryMaker) -> None:
    text = (
        "title: T\nauthor: me\nsources:\n  wire: {path: seeds/wire.txt, color: red}\n"
        "claims:\n  - text: x\n    claim: typo\n"
        "    passages: [{source: wire, quote: The talks lasted, stanse: conflicts}]\n"
    )
    library = load_library(make_library({"t.yaml": text}))
    assert {level for _, level, _, _, _ in problems(library)} == {Level.WARNING}
    assert [(line, message) for _, _, line, _, message in problems(library)] == [
        (2, "unknown key 'author' in brief (known: title, summary, tags, sources, claims)"),
        (
            4,
            "unknown key 'color' in source 'wire' "
            "(known: path, title, outlet, author, published, url, kind, note)",
        ),
        (7, "unknown key 'claim' in claim (known: id, text, note, passages)"),
        (
            8,
            "unknown key 'stanse' in passage (known: source, quote, stance, prefix, suffix, note)",
        ),
    ]


def test_wrong_types_for_optional_fields_are_errors(make_library: LibraryMaker) -> None:
    text = (
        "title: T\nsummary: [a]\ntags: {a: 1}\nsources:\n  wire: seeds/wire.txt\n"
        "claims:\n  - id: [x]\n    text: x\n    note: 5\n"
        "    passages: [{source: wire, quote: The talks lasted, note: [n]}]\n"
    )
    library = load_library(make_library({"t.yaml": text}))
    assert [(line, message) for _, _, line, _, message in problems(library)] == [
        (2, "'summary' must be text, not a list"),
        (3, "'tags' must be a list of text"),
        (7, "'id' must be a name, not a list"),
        (9, "'note' must be text, not a number"),
        (10, "'note' must be text, not a list"),
    ]
    (claim,) = library.briefs[0].claims
    assert (claim.id, claim.note, claim.passages[0].note) == (None, None, None)


def test_claims_that_are_not_a_list_are_an_error(make_library: LibraryMaker) -> None:
    text = "title: T\nsources:\n  wire: seeds/wire.txt\nclaims: {text: x}\n"
    library = load_library(make_library({"t.yaml": text}))
    assert library.briefs[0].claims == ()
    assert problems(library) == [
        ("briefs/t.yaml", Level.ERROR, 4, 9, "'claims' must be a list, not a mapping")
    ]


def test_source_entries_accept_metadata_overrides(make_library: LibraryMaker) -> None:
    text = (
        "title: T\nsources:\n  wire:\n    path: seeds/wire.txt\n    kind: preview\n"
        "    published: 2025-02-06\n    note: written before the summit\n"
    )
    (brief,) = load_library(make_library({"t.yaml": text})).briefs
    meta = brief.sources[0].meta
    assert (meta.title, meta.kind, meta.published, meta.note) == (
        "Leaders meet in Washington",
        "preview",
        "2025-02-06",
        "written before the summit",
    )
    assert brief.sources[0].source.meta.kind == "report"


def test_a_source_entry_without_a_path_is_an_error(make_library: LibraryMaker) -> None:
    text = "title: T\nsources:\n  wire: {kind: report}\n  post: 12\n"
    library = load_library(make_library({"t.yaml": text}))
    assert library.briefs[0].sources == ()
    assert [(line, column, message) for _, _, line, column, message in problems(library)] == [
        (3, 9, "source 'wire' is missing 'path'"),
        (4, 9, "source 'post' must be a path or a mapping with 'path', not a number"),
    ]


# -- source paths stay inside the library ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/etc/host.txt", "source path '/etc/host.txt' must be relative to the library root"),
        ("../outside.txt", "source path '../outside.txt' leads outside the library root"),
        ("seeds/../../x.txt", "source path 'seeds/../../x.txt' leads outside the library root"),
        ("seeds/missing.txt", "source file not found: seeds/missing.txt"),
        ("seeds/folder.txt", "source file not found: seeds/folder.txt"),
        ("seeds/wire.txt/x.txt", "source file not found: seeds/wire.txt/x.txt"),
        ("seeds", "source 'seeds' must be a .txt or .md file"),
        ("seeds/data.pdf", "source 'seeds/data.pdf' must be a .txt or .md file"),
    ],
)  # fmt: skip
def test_source_paths_must_name_a_file_inside_the_root(
    make_library: LibraryMaker, path: str, message: str
) -> None:
    root = make_library({})
    (root.parent / "outside.txt").write_text("secret")
    (root / "seeds" / "folder.txt").mkdir()
    text = f"title: T\nsources:\n  wire: seeds/wire.txt\n  bad: '{path}'\n"
    (root / "briefs" / "t.yaml").write_text(text)
    library = load_library(root)
    assert [s.key for s in library.briefs[0].sources] == ["wire"]
    assert problems(library) == [("briefs/t.yaml", Level.ERROR, 4, 8, message)]


def test_a_symlink_out_of_the_root_is_refused(make_library: LibraryMaker) -> None:
    root = make_library({})
    secret = root.parent / "secret.txt"
    secret.write_text("secret")
    (root / "seeds" / "link.txt").symlink_to(secret)
    (root / "briefs" / "t.yaml").write_text("title: T\nsources:\n  s: seeds/link.txt\n")
    library = load_library(root)
    assert dict(library.sources) == {}
    assert problems(library) == [
        (
            "briefs/t.yaml",
            Level.ERROR,
            3,
            6,
            "source path 'seeds/link.txt' resolves outside the library root",
        )
    ]


def test_a_symlink_inside_the_root_is_allowed(post_text: str, make_library: LibraryMaker) -> None:
    root = make_library({})
    (root / "seeds" / "alias.md").symlink_to(root / "seeds" / "post.md")
    (root / "briefs" / "t.yaml").write_text("title: T\nsources:\n  s: seeds/alias.md\n")
    library = load_library(root)
    assert problems(library) == []
    assert library.sources["seeds/alias.md"].text == post_text


def test_a_folder_linked_out_of_the_root_is_refused_for_every_source_in_it(
    make_library: LibraryMaker,
) -> None:
    root = make_library({})
    outside = root.parent / "elsewhere"
    outside.mkdir()
    for name in ("a.txt", "b.txt"):
        (outside / name).write_text("secret")
    (root / "seeds" / "away").symlink_to(outside)
    (root / "seeds" / "here").symlink_to(root / "seeds")
    text = "title: T\nsources:\n  a: seeds/away/a.txt\n  b: seeds/away/b.txt\n"
    (root / "briefs" / "t.yaml").write_text(text + "  w: seeds/here/wire.txt\n")
    library = load_library(root)
    assert [s.key for s in library.briefs[0].sources] == ["w"]
    assert [message for *_, message in problems(library)] == [
        f"source path 'seeds/away/{name}' resolves outside the library root"
        for name in ("a.txt", "b.txt")
    ]


def test_an_unreadable_source_leaves_its_passages_orphaned_and_is_reported_once(
    make_library: LibraryMaker,
) -> None:
    sources: dict[str, str | bytes] = {
        "seeds/wire.txt": "The talks lasted two hours.\n",
        "seeds/latin.txt": "caf\xe9".encode("latin-1"),
    }
    claims = (
        "- text: x\n  passages:\n    - source: wire\n      quote: The talks lasted\n"
        "    - source: latin\n      quote: caf\n"
    )
    brief = brief_with(claims, "  wire: seeds/wire.txt\n  latin: seeds/latin.txt\n")
    library = load_library(make_library({"a.yaml": brief, "b.yaml": brief}, sources))
    for brief in library.briefs:
        wire, latin = brief.passages()
        assert wire.anchor.status is AnchorStatus.EXACT
        assert (latin.anchor.status, latin.span, latin.quote) == (
            AnchorStatus.ORPHANED,
            None,
            "caf",
        )
        assert brief.source("latin") is None
    assert problems(library) == [
        ("seeds/latin.txt", Level.ERROR, 1, None, "not UTF-8: byte 0xe9 at byte offset 3")
    ]


def test_source_front_matter_problems_are_reported_against_the_source(
    make_library: LibraryMaker,
) -> None:
    sources: dict[str, str | bytes] = {"seeds/s.txt": "---\ntitle: T\nmood: calm\n---\nBody.\n"}
    library = load_library(
        make_library({"t.yaml": "title: T\nsources:\n  s: seeds/s.txt\n"}, sources)
    )
    assert [(p, level, line) for p, level, line, _, _ in problems(library)] == [
        ("seeds/s.txt", Level.WARNING, 3)
    ]


def test_diagnostics_are_sorted_by_file_and_line(make_library: LibraryMaker) -> None:
    bad = "title: T\nsources:\n  wire: seeds/nope.txt\n  post: /abs.txt\n"
    library = load_library(make_library({"b.yaml": bad, "a.yaml": bad}))
    assert [(p, line) for p, _, line, _, _ in problems(library)] == [
        ("briefs/a.yaml", 3),
        ("briefs/a.yaml", 4),
        ("briefs/b.yaml", 3),
        ("briefs/b.yaml", 4),
    ]


# -- the benchmark generator's libraries load cleanly ---------------------------------------


@pytest.fixture(scope="module")
def generate() -> Iterator[Callable[..., Path]]:
    """bench/generate.py's generate_library (bench/ is a folder of scripts, not a package)."""
    path = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
    spec = importlib.util.spec_from_file_location("bench_generate", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    yield module.generate_library
    del sys.modules[spec.name]


@pytest.mark.parametrize(("sources", "passages"), [(12, 60), (30, 10), (3, 40)])
def test_a_generated_library_loads_without_diagnostics(
    generate: Callable[..., Path], tmp_path: Path, sources: int, passages: int
) -> None:
    root = generate(tmp_path / "gen", sources, passages, 8, seed=3)
    library = load_library(root)
    assert problems(library) == []
    assert len(library.sources) == sources
    loaded = [p for brief in library.briefs for p in brief.passages()]
    assert len(loaded) == passages
    assert {p.anchor.status for p in loaded} == {AnchorStatus.EXACT}


def test_a_generated_library_mixes_stances_and_metadata(
    generate: Callable[..., Path], tmp_path: Path
) -> None:
    library = load_library(generate(tmp_path / "gen", 10, 200, 10, seed=1))
    assert {p.stance for brief in library.briefs for p in brief.passages()} == set(Stance)
    assert all(5 <= len(brief.claims) <= 20 for brief in library.briefs)
    meta = next(iter(library.sources.values())).meta
    assert meta.title and meta.outlet and meta.author and meta.published and meta.kind


def test_generation_is_deterministic(generate: Callable[..., Path], tmp_path: Path) -> None:
    first = generate(tmp_path / "one", 5, 30, 6, seed=7)
    second = generate(tmp_path / "two", 5, 30, 6, seed=7)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


# -- bounds and names -----------------------------------------------------------------------


def test_a_file_reports_at_most_so_many_problems_then_one_summary(
    make_library: LibraryMaker,
) -> None:
    odd_keys = "".join(f"odd{number}: x\n" for number in range(150))
    library = load_library(
        make_library({"t.yaml": "title: T\nsources:\n  wire: seeds/wire.txt\n" + odd_keys})
    )
    limit = loader_module.MAX_DIAGNOSTICS_PER_FILE
    assert len(library.diagnostics) == limit + 1
    summary = library.diagnostics[-1]
    assert (summary.level, summary.message) == (
        Level.WARNING,
        f"{150 - limit} more warnings not shown",
    )


def test_the_counts_of_a_reading_are_the_true_ones_past_the_limit(
    make_library: LibraryMaker,
) -> None:
    claims = "".join(f"  - text: claim {n}\n    passages: []\n" for n in range(1000))
    root = make_library(
        {"t.yaml": "title: T\nsources:\n  wire: seeds/wire.txt\nclaims:\n" + claims}
    )
    reading = LibraryReader(locate_library(root)).read()
    assert reading.library.problems == ProblemCounts(errors=1000, warnings=1, files_cut=1)
    cut = reading.library.diagnostics[-1]
    assert (cut.level, cut.message) == (Level.ERROR, "901 more errors not shown")


def test_a_file_past_the_limit_says_how_many_of_each_level_it_leaves_out(
    make_library: LibraryMaker,
) -> None:
    odd_keys = "".join(f"odd{number}: x\n" for number in range(150))
    claims = "".join(f"  - text: claim {n}\n    passages: []\n" for n in range(10))
    text = "title: T\nsources:\n  wire: seeds/wire.txt\n" + odd_keys + "claims:\n" + claims
    cut = load_library(make_library({"t.yaml": text})).diagnostics[-1]
    assert (cut.level, cut.message) == (
        Level.ERROR,
        "61 more problems not shown (10 errors, 51 warnings)",
    )


def test_messages_quoting_huge_values_are_cut_short(make_library: LibraryMaker) -> None:
    stance = "x" * 5000
    claims = f"- text: x\n  passages:\n    - source: wire\n      quote: q\n      stance: {stance}\n"
    path, level, line, column, message = only_problem(make_library, brief_with(claims))
    assert (path, level, line) == ("briefs/t.yaml", Level.ERROR, 9)
    assert message.startswith("unknown stance 'xxx")
    assert len(message) <= loader_module.MAX_MESSAGE_CHARS and message.endswith("…")


def test_file_names_are_escaped_in_the_model(make_library: LibraryMaker) -> None:
    sources: dict[str, str | bytes] = {"seeds/a\x1b]0;x\x07.txt": "Plain words here.\n"}
    brief = brief_with(
        "- text: x\n  passages:\n    - source: a\n      quote: Plain words\n",
        '  a: "seeds/a\\e]0;x\\a.txt"\n',
    )
    library = load_library(make_library({"n\u202e.yaml": brief}, sources))
    (loaded,) = library.briefs
    assert loaded.path == "briefs/n\\u202e.yaml"
    assert list(library.sources) == ["seeds/a\\x1b]0;x\\x07.txt"]
    assert next(loaded.passages()).span is not None


def test_claims_without_an_id_get_a_key_from_their_text_that_no_id_takes(
    make_library: LibraryMaker,
) -> None:
    passages = "    passages:\n      - source: wire\n        quote: The talks lasted two hours.\n"
    brief = (
        "title: Keys\nsources:\n  wire: seeds/wire.txt\nclaims:\n"
        f"  - text: The talks lasted two hours!\n{passages}"
        f"  - text: The talks lasted two hours?\n{passages}"
        f"  - id: ~the-talks-lasted-two-hours\n    text: Named.\n{passages}"
    )
    library = load_library(make_library({"keys.yaml": brief}))
    keys = [claim.key for claim in library.briefs[0].claims]
    assert keys == [
        "~the-talks-lasted-two-hours~2",
        "~the-talks-lasted-two-hours~3",
        "~the-talks-lasted-two-hours",
    ]
    assert all(p.claim == c.key for c in library.briefs[0].claims for p in c.passages)
