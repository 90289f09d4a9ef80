"""One hostile value costs only its own file: tagged scalars, huge integers and odd keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefing_tui.core.library.loader import load_library
from briefing_tui.core.library.model import Level, Library

HUGE = "0x" + "f" * 4000  # an integer Python refuses to print (4,817 digits)


def _write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A library whose every brief but one and whose sources hold one hostile value each."""
    root = tmp_path_factory.mktemp("values")
    _write(root, "s/plain.txt", "The leaders met in Washington.\n")
    _write(root, "s/bad_front.txt", "---\ntitle: !!bool maybe\n---\nThe leaders met again.\n")
    _write(root, "s/huge_front.txt", f"---\ntitle: {HUGE}\n? {HUGE}\n: x\n---\nThey met.\n")
    _write(
        root,
        "briefs/good.yaml",
        "title: Good\nsources: {p: s/plain.txt, b: s/bad_front.txt, h: s/huge_front.txt}\n"
        "claims:\n  - text: Met.\n    passages:\n"
        "      - {source: p, quote: The leaders met}\n"
        "      - {source: b, quote: The leaders met again}\n"
        "      - {source: h, quote: They met}\n",
    )
    for name, value in (("bool", "!!bool maybe"), ("int", '!!int ""'), ("float", "!!float _")):
        _write(root, f"briefs/tagged_{name}.yaml", f"title: {value}\nsources: {{p: s/plain.txt}}\n")
    _write(
        root,
        "briefs/huge.yaml",
        f"title: {HUGE}\nsources: {{p: s/plain.txt}}\nclaims:\n  - id: {HUGE}\n    text: Met.\n"
        f"    passages: [{{source: p, quote: The leaders met, stance: {HUGE}}}]\n",
    )
    _write(
        root,
        "briefs/keys.yaml",
        "title: Keys\nsources:\n  1: s/plain.txt\n  true: s/plain.txt\n  1.0: s/plain.txt\n"
        "claims:\n  - text: Met.\n    passages:\n      - {source: 1, quote: The leaders met}\n",
    )
    return load_library(root)


def _diagnostics(library: Library, path: str) -> list[tuple[Level, int | None, str]]:
    return [(d.level, d.line, d.message) for d in library.diagnostics if d.path == path]


def test_the_good_brief_opens_with_every_source(library: Library) -> None:
    good = next(b for b in library.briefs if b.path == "briefs/good.yaml")
    assert [p.anchor.status.value for p in good.passages()] == ["exact"] * 3
    assert good.source("h") is not None and good.source("h").meta.title == HUGE


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bool", "not true or false: 'maybe'"),
        ("int", "not a number: ''"),
        ("float", "not a number: '_'"),
    ],
)
def test_a_tagged_value_not_of_its_type_costs_only_its_brief(
    library: Library, name: str, message: str
) -> None:
    assert _diagnostics(library, f"briefs/tagged_{name}.yaml") == [(Level.ERROR, 1, message)]


def test_a_bad_front_matter_value_costs_only_that_sources_metadata(library: Library) -> None:
    assert _diagnostics(library, "s/bad_front.txt") == [
        (Level.ERROR, 2, "front matter: not true or false: 'maybe'")
    ]
    [warning] = _diagnostics(library, "s/huge_front.txt")
    assert warning[:2] == (Level.WARNING, 3) and "unknown front matter key '0xfff" in warning[2]


def test_huge_integers_are_text_where_the_brief_uses_them(library: Library) -> None:
    huge = next(b for b in library.briefs if b.path == "briefs/huge.yaml")
    assert huge.title == HUGE
    [(level, line, message)] = _diagnostics(library, "briefs/huge.yaml")
    assert (level, line) == (Level.ERROR, 6) and message.startswith("unknown stance '0xfff")


def test_keys_1_true_and_1_0_are_three_sources(library: Library) -> None:
    keys = next(b for b in library.briefs if b.path == "briefs/keys.yaml")
    assert [s.key for s in keys.sources] == ["1", "true", "1.0"]
    assert all("duplicate" not in d.message for d in library.diagnostics)
