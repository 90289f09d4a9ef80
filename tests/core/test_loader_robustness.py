"""A bad value costs only its own file: odd paths, links out, colliding ids, unforeseen errors."""

from __future__ import annotations

import os
import string
from pathlib import Path

import pytest
from builders import LibraryMaker
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_tui.core.library import briefs as briefs_module
from briefing_tui.core.library import sources as sources_module
from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import ClaimStatus, Level, Library

WIRE = "The talks lasted two hours.\nJapan will invest.\n"
CLAIM = """\
claims:
  - text: The talks lasted two hours.
    passages:
      - source: a
        quote: The talks lasted two hours.
      - source: b
        quote: The talks lasted two hours.
"""


def errors(library: Library) -> list[tuple[str, int | None, str]]:
    return [(d.path, d.line, d.message) for d in library.diagnostics if d.level is Level.ERROR]


# -- an exception no check foresaw costs only its file ---------------------------------------


def test_an_unexpected_error_in_one_brief_is_a_diagnostic_naming_its_type(
    make_library: LibraryMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = "title: Good\nsources:\n  a: seeds/wire.txt\n"
    bad = "title: Bad\nsources:\n  a: seeds/wire.txt\ntags: [boom]\n"
    root = make_library({"good.yaml": good, "bad.yaml": bad}, {"seeds/wire.txt": WIRE})
    tags = briefs_module.BriefLoader.tags

    def fragile(loader: briefs_module.BriefLoader, data: object) -> tuple[str, ...]:
        if "bad" in loader.path:
            raise RecursionError("maximum recursion depth exceeded")
        return tags(loader, data)  # type: ignore[arg-type]

    monkeypatch.setattr(briefs_module.BriefLoader, "tags", fragile)
    library = load_library(root)
    assert [b.title for b in library.briefs] == ["Good"]
    assert errors(library) == [
        (
            "briefs/bad.yaml",
            None,
            "could not be read: unexpected RecursionError: maximum recursion depth exceeded",
        )
    ]


def test_an_unexpected_error_in_one_source_costs_only_that_source(
    make_library: LibraryMaker, monkeypatch: pytest.MonkeyPatch
) -> None:
    brief = "title: T\nsources:\n  a: seeds/wire.txt\n  b: seeds/post.txt\n" + CLAIM
    sources: dict[str, str | bytes] = {"seeds/wire.txt": WIRE, "seeds/post.txt": WIRE}
    load_source = sources_module.load_source

    def fragile(path: Path, name: str) -> object:
        if name == "seeds/post.txt":
            raise IndexError("list index out of range")
        return load_source(path, name)

    monkeypatch.setattr(sources_module, "load_source", fragile)
    library = load_library(make_library({"t.yaml": brief}, sources))
    (loaded,) = library.briefs
    assert [s.key for s in loaded.sources] == ["a"]
    assert errors(library) == [
        (
            "seeds/post.txt",
            None,
            "could not be read: unexpected IndexError: list index out of range",
        )
    ]


# -- odd source paths -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("ok\\0.txt", "source path 'ok\\x00.txt' holds a NUL character"),
        ("seeds/\\0", "source path 'seeds/\\x00' holds a NUL character"),
        ("seeds/wire.txt\\0", "source path 'seeds/wire.txt\\x00' holds a NUL character"),
        ("C:/x.txt", "source path 'C:/x.txt' must be relative to the library root"),
        ("\\\\\\\\server\\\\x.txt", "must be relative to the library root"),
        ("seeds\\\\..\\\\..\\\\x.txt", "leads outside the library root"),
        ("x" * 5000 + ".txt", "source file not found: xxxxx"),
        ("a/" * 3000 + "b.txt", "source file not found: a/a/a/"),
    ],
)
def test_odd_source_paths_get_a_located_error(
    make_library: LibraryMaker, path: str, message: str
) -> None:
    brief = f'title: T\nsources:\n  wire: seeds/wire.txt\n  odd: "{path}"\n'
    library = load_library(make_library({"t.yaml": brief}, {"seeds/wire.txt": WIRE}))
    assert [s.key for s in library.briefs[0].sources] == ["wire"]
    ((file, line, text),) = errors(library)
    assert (file, line) == ("briefs/t.yaml", 4)
    assert text.startswith(message) or message in text


_PIECES = st.sampled_from(
    ["", ".", "..", "/", "\\", "\0", "C:", "c:\\", "~", "seeds", "wire.txt", ".txt", ".md",
     "\x1b[2J", "\u202e", "\u200b", "\n", "\t", " ", "%ff", "\\xff", "\\udcff", "x" * 300]
)  # fmt: skip
_ODD_PATHS = st.lists(
    st.one_of(_PIECES, st.text(string.printable + "\u00e9\u2028\ud800\udcff", max_size=8)),
    max_size=8,
).map("".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(path=_ODD_PATHS)
def test_no_source_path_makes_loading_raise_and_each_bad_one_is_located(
    tmp_path: Path, path: str
) -> None:
    root = tmp_path / "lib"
    (root / "briefs").mkdir(parents=True, exist_ok=True)
    (root / "seeds").mkdir(exist_ok=True)
    (root / "seeds" / "wire.txt").write_text(WIRE)
    (tmp_path / "outside.txt").write_text("secret")
    escaped = path.encode("unicode_escape", "backslashreplace").decode("ascii").replace('"', '\\"')
    brief = f'title: T\nsources:\n  odd: "{escaped}"\n'
    (root / "briefs" / "t.yaml").write_text(brief)
    library = load_library(root)
    found = [d for d in library.diagnostics if d.level is Level.ERROR]
    if library.briefs and library.briefs[0].sources:
        (source,) = library.briefs[0].sources
        assert source.source.path == "seeds/wire.txt"
        assert "secret" not in source.source.text
    else:
        assert found and all(d.path == "briefs/t.yaml" and d.line == 3 for d in found)


# -- brief files are confined as sources are ---------------------------------------------------


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/etc/passwd", "the brief file resolves outside the library root"),
        ("/proc/self/environ", "the brief file resolves outside the library root"),
        ("/dev/zero", "the brief file resolves outside the library root"),
        ("../../outside.yaml", "the brief file resolves outside the library root"),
        ("gone.yaml", "the brief file is a link to nothing"),
        ("../seeds", "the brief file is not a regular file"),
    ],
)
def test_a_brief_file_linked_out_of_the_library_is_refused(
    make_library: LibraryMaker, target: str, message: str
) -> None:
    root = make_library({"good.yaml": "title: Good\nsources:\n  a: seeds/wire.txt\n"})
    (root.parent / "outside.yaml").write_text("title: Outside\nsources:\n  a: seeds/wire.txt\n")
    (root / "briefs" / "link.yaml").symlink_to(target)
    library = load_library(root)
    assert [b.title for b in library.briefs] == ["Good"]
    assert errors(library) == [("briefs/link.yaml", None, message)]


def test_a_brief_file_linked_inside_the_library_loads(make_library: LibraryMaker) -> None:
    root = make_library({"good.yaml": "title: Good\nsources:\n  a: seeds/wire.txt\n"})
    (root / "briefs" / "alias.yaml").symlink_to(root / "briefs" / "good.yaml")
    library = load_library(root)
    assert [b.path for b in library.briefs] == ["briefs/alias.yaml", "briefs/good.yaml"]
    assert errors(library) == []


def test_a_brief_linked_to_a_fifo_is_refused_not_read(make_library: LibraryMaker) -> None:
    root = make_library({})
    os.mkfifo(root / "seeds" / "pipe")
    (root / "briefs" / "pipe.yaml").symlink_to(root / "seeds" / "pipe")
    library = load_library(root)  # reading a FIFO would wait forever
    assert errors(library) == [("briefs/pipe.yaml", None, "the brief file is not a regular file")]


# -- source ids that are one once read --------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        ("k", '"k\\u200b"', "source id 'k\\u200b' (line 4) is the same id as 'k' (line 3)"),
        ("k", '"k\\e"', None),
    ],
)
def test_source_ids_that_collide_once_read_are_an_error_naming_both_lines(
    make_library: LibraryMaker, first: str, second: str, shown: str | None
) -> None:
    brief = (
        f"title: T\nsources:\n  {first}: seeds/wire.txt\n  {second}: seeds/post.txt\n"
        "claims:\n  - text: x\n    passages:\n"
        f"      - source: {first}\n        quote: The talks lasted two hours.\n"
    )
    sources: dict[str, str | bytes] = {"seeds/wire.txt": WIRE, "seeds/post.txt": "Other.\n"}
    library = load_library(make_library({"t.yaml": brief}, sources))
    (loaded,) = library.briefs
    (passage,) = loaded.passages()
    assert passage.source_path == "seeds/wire.txt" and passage.span is not None
    if shown is None:  # an escape is made visible, not removed: two distinct ids
        assert errors(library) == []
        return
    assert [s.source.path for s in loaded.sources] == ["seeds/wire.txt"]
    ((path, line, message),) = errors(library)
    assert (path, line) == ("briefs/t.yaml", 4)
    assert message == f"{shown} once read as text; rename one"


def test_keys_that_are_the_same_text_are_a_duplicate_key_naming_both_lines(
    make_library: LibraryMaker,
) -> None:
    # YAML keys are read as text, so 1 and "1" are the same key: YAML itself says so.
    brief = 'title: T\nsources:\n  1: seeds/wire.txt\n  "1": seeds/post.txt\n'
    library = load_library(make_library({"t.yaml": brief}, {"seeds/wire.txt": WIRE}))
    assert library.briefs == ()
    assert errors(library) == [("briefs/t.yaml", 4, "duplicate key '1' (first at line 3)")]


# -- distinct sources are distinct files ------------------------------------------------------


def test_two_keys_naming_one_file_are_one_source_for_corroboration(
    make_library: LibraryMaker,
) -> None:
    same = "title: T\nsources:\n  a: seeds/wire.txt\n  b: ./seeds/wire.txt\n" + CLAIM
    other = "title: U\nsources:\n  a: seeds/wire.txt\n  b: seeds/copy.txt\n" + CLAIM
    sources: dict[str, str | bytes] = {"seeds/wire.txt": WIRE, "seeds/copy.txt": WIRE}
    library = load_library(make_library({"same.yaml": same, "other.yaml": other}, sources))
    by_title = {b.title: b for b in library.briefs}
    (same_claim,) = by_title["T"].claims
    assert [p.source_path for p in same_claim.passages] == ["seeds/wire.txt"] * 2
    assert same_claim.status is ClaimStatus.SINGLE_SOURCE
    (other_claim,) = by_title["U"].claims
    assert [p.source_path for p in other_claim.passages] == ["seeds/wire.txt", "seeds/copy.txt"]
    assert other_claim.status is ClaimStatus.CORROBORATED


def test_a_passage_of_a_source_that_could_not_be_read_has_no_path(
    make_library: LibraryMaker,
) -> None:
    brief = "title: T\nsources:\n  a: seeds/wire.txt\n  b: seeds/gone.txt\n" + CLAIM
    library = load_library(make_library({"t.yaml": brief}, {"seeds/wire.txt": WIRE}))
    (claim,) = library.briefs[0].claims
    assert [p.source_path for p in claim.passages] == ["seeds/wire.txt", None]


@pytest.mark.parametrize(
    "title", ['"A\\u2028B"', '"A\\NB"', '"A\\n\\nB"', '"A\\tB"', ">\n  A\n\n  B"]
)
def test_a_title_is_one_line_whatever_breaks_it_holds(
    make_library: LibraryMaker, title: str
) -> None:
    brief = f"title: {title}\nsources:\n  a: seeds/wire.txt\n"
    library = load_library(make_library({"t.yaml": brief}, {"seeds/wire.txt": WIRE}))
    assert [b.title for b in library.briefs] == ["A B"]
