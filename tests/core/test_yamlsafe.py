"""Safe YAML: plain values with marks; aliases, tags, depth, duplicates and size refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.library.yamlsafe import (
    MAX_DEPTH,
    Mark,
    YamlError,
    YamlMapping,
    YamlSequence,
    parse_yaml,
)


def error_of(text: str, **kwargs: int) -> YamlError:
    with pytest.raises(YamlError) as caught:
        parse_yaml(text, **kwargs)
    return caught.value


def test_plain_values_come_back_with_the_marks_of_keys_values_and_items() -> None:
    data = parse_yaml("title: Summit\ncount: 3\nitems:\n  - one\n  - {ratio: 0.5, ok: true}\n")
    assert data == {"title": "Summit", "count": 3, "items": ["one", {"ratio": 0.5, "ok": True}]}
    assert isinstance(data, YamlMapping)
    assert data.key_mark("count") == Mark(2, 1)
    assert data.value_mark("title") == Mark(1, 8)
    items = data["items"]
    assert isinstance(items, YamlSequence)
    assert items.item_marks == [Mark(4, 5), Mark(5, 5)]
    assert items[1].mark == Mark(5, 5)


def test_a_missing_key_is_located_at_its_mapping() -> None:
    data = parse_yaml("a:\n  b: 1\n")
    assert data["a"].key_mark("missing") == Mark(2, 3)


def test_dates_stay_iso_text_and_nulls_are_none() -> None:
    data = parse_yaml("published: 2025-02-07\nat: 2025-02-07 10:30:00\nnote: ~\nempty:\n")
    assert data == {
        "published": "2025-02-07",
        "at": "2025-02-07 10:30:00",
        "note": None,
        "empty": None,
    }


def test_yaml_numbers_are_read_as_yaml_defines_them() -> None:
    assert parse_yaml("[0x1f, 1_000, .inf, -2.5e+3, 1.0]") == [31, 1000, float("inf"), -2500.0, 1.0]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_an_empty_document_is_none(text: str) -> None:
    assert parse_yaml(text) is None


def test_a_list_at_top_level_is_a_list() -> None:
    assert parse_yaml("- a\n- b\n") == ["a", "b"]


def test_aliases_are_refused_where_the_anchor_is_set() -> None:
    error = error_of("base: &b {x: 1}\ncopy: *b\n")
    assert error.message == "anchors (&b) are not allowed"
    assert error.mark == Mark(1, 7)


def test_scalar_anchors_are_refused() -> None:
    assert error_of("a: &s text\n").message == "anchors (&s) are not allowed"


def test_billion_laughs_is_refused_at_once() -> None:
    laughs = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        laughs.append(f"{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    error = error_of("\n".join(laughs))
    assert error.message == "anchors (&a) are not allowed"
    assert error.mark == Mark(1, 4)


def test_a_self_referential_alias_is_refused() -> None:
    assert error_of("&loop [*loop]").message == "anchors (&loop) are not allowed"


def test_a_bare_alias_is_refused() -> None:
    error = error_of("a: *nowhere\n")
    assert error.message == "aliases (*nowhere) are not allowed"
    assert error.mark == Mark(1, 4)


def test_nesting_deeper_than_the_limit_is_refused() -> None:
    assert parse_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    error = error_of("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert error.message == f"nested deeper than {MAX_DEPTH} levels"
    assert error.mark == Mark(1, MAX_DEPTH + 1)


def test_very_deep_nesting_fails_fast_without_recursion() -> None:
    # Which layer refuses it (libyaml's own nesting limit or ours) depends on the parser
    # installed; either way it is one located line, never a RecursionError.
    error = error_of("[" * 100_000)
    assert "\n" not in error.message
    assert error.mark is not None and error.mark.line == 1


def test_a_duplicate_key_is_reported_at_the_duplicate() -> None:
    error = error_of("title: one\nsources: {}\ntitle: two\n")
    assert error.message == "duplicate key 'title' (first at line 1)"
    assert error.mark == Mark(3, 1)


def test_duplicate_keys_in_nested_mappings_are_found() -> None:
    error = error_of("claims:\n  - id: a\n    text: x\n    text: y\n")
    assert error.message == "duplicate key 'text' (first at line 3)"
    assert error.mark == Mark(4, 5)


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("!!python/object/apply:os.system ['touch {marker}']", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system ''", "!!python/name:os.system"),
        ("a: !!python/object:pathlib.Path {{}}", "!!python/object:pathlib.Path"),
        ("a: !custom {{x: 1}}", "!custom"),
        ("a: !!binary aGk=", "!!binary"),
        ("a: !!set {{x}}", "!!set"),
    ],
)
def test_non_standard_tags_are_refused_and_never_run(text: str, tag: str, tmp_path) -> None:
    marker = tmp_path / "ran"
    error = error_of(text.format(marker=marker))
    assert error.message == f"tag {tag} is not allowed"
    assert not marker.exists()


def test_standard_explicit_tags_are_accepted() -> None:
    assert parse_yaml("a: !!str 2025\nb: !!int '7'\n") == {"a": "2025", "b": 7}


def test_merge_keys_are_refused() -> None:
    assert error_of("a:\n  <<: {x: 1}\n").message == "merge keys (<<) are not allowed"


def test_a_mapping_as_a_key_is_refused() -> None:
    assert error_of("? {a: 1}\n: value\n").message == "a mapping key must be a plain value"


def test_a_second_document_is_refused() -> None:
    error = error_of("a: 1\n---\nb: 2\n")
    assert error.message == "more than one YAML document in the file"
    assert error.mark == Mark(2, 1)


def test_a_syntax_error_reports_the_problem_line_and_column() -> None:
    error = error_of("title: ok\nsources: [a, b\nclaims: []\n")
    assert error.message.startswith("YAML syntax error:")
    assert error.mark == Mark(3, 7)


def test_a_bad_indentation_error_is_located() -> None:
    error = error_of("title: ok\n  bad: indent\n")
    assert error.message.startswith("YAML syntax error:")
    assert error.mark == Mark(2, 6)


def test_a_control_character_is_reported_with_its_place() -> None:
    error = error_of("title: é ok\nnote: bad\x07here\n")
    assert error.message.startswith("YAML syntax error: character U+0007 is not allowed")
    assert error.mark == Mark(2, 10)


def test_binary_garbage_is_an_error_not_a_crash() -> None:
    garbage = bytes(range(256)).decode("latin-1") * 4
    error = error_of(garbage)
    assert error.message.startswith("YAML syntax error:")


def test_text_over_the_size_limit_is_refused_before_parsing() -> None:
    error = error_of("a: " + "x" * 2000, max_chars=1024)
    assert error.message == "larger than the YAML size limit (1,024 characters)"
    assert error.mark is None


YAML_PIECES = st.sampled_from(
    ["a", ":", " ", "\n", "-", "[", "]", "{", "}", ",", "&x", "*x", "!!", "!t", "'", '"', "#",
     "? ", "|", ">", "---", "...", "<<", "1", "0x", "~", "\t", "%YAML 1.1", "\\", "é", "\x07"]
)  # fmt: skip


@given(st.lists(YAML_PIECES, max_size=40).map("".join) | st.text(max_size=200))
def test_any_text_parses_or_raises_a_located_one_line_yaml_error(text: str) -> None:
    try:
        parse_yaml(text)
    except YamlError as error:
        assert "\n" not in error.message
        assert error.mark is None or (error.mark.line >= 1 and error.mark.column >= 1)
