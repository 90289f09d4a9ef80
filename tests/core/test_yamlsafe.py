"""Safe YAML: plain values with marks; aliases, tags, depth, duplicates and size refused."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.library import yamlsafe
from briefing_tui.core.library.yamlsafe import (
    MAX_DEPTH,
    MAX_NUMBER_CHARS,
    MAX_YAML_CHARS,
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


@pytest.mark.parametrize("loader", [yaml.CSafeLoader, yaml.SafeLoader], ids=["libyaml", "python"])
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * MAX_YAML_CHARS, 1),
        ("{a: " * (MAX_YAML_CHARS // 4), 1),
        ("- " * (MAX_YAML_CHARS // 2), 1),
        ("".join(" " * depth + "- \n" for depth in range(1000)), MAX_DEPTH + 1),
    ],
    ids=["flow sequences", "flow mappings", "block sequences", "indented sequences"],
)
def test_very_deep_nesting_fails_fast_without_recursion(
    text: str, line: int, loader: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Which layer refuses it (libyaml's own nesting limit or ours) depends on the parser
    # installed; either way it is one located line, never a RecursionError or a crash, and
    # the text is not read to its end.
    monkeypatch.setattr(yamlsafe, "_Loader", loader)
    error = error_of(text)
    assert "\n" not in error.message
    assert error.mark is not None and error.mark.line == line
    assert error.mark.column < len(text) // 100


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


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!bool maybe", "not true or false: 'maybe'"),
        ('a: !!int ""', "not a number: ''"),
        ('a: !!int "-"', "not a number: '-'"),
        ("a: !!int 0x", "not a number: '0x'"),
        ("a: !!int '1:'", "not a number: '1:'"),
        ("a: !!float _", "not a number: '_'"),
        ("a: !!float .", "not a number: '.'"),
    ],
)
def test_a_tagged_value_not_of_its_type_is_a_located_error(text: str, message: str) -> None:
    error = error_of(text)
    assert error.message == message
    assert error.mark == Mark(1, 4)


HUGE_HEX = "0x" + "f" * 4000  # 4,817 decimal digits: more than Python will print


def test_an_integer_too_large_to_print_stays_text_as_written() -> None:
    data = parse_yaml(f"id: {HUGE_HEX}\nstance: {'9' * 5000}\n? {HUGE_HEX}\n: key\n")
    assert data == {"id": HUGE_HEX, "stance": "9" * 5000, HUGE_HEX: "key"}
    assert all(isinstance(value, str) for value in data.values())


def test_an_integer_too_large_to_print_is_refused_when_tagged() -> None:
    error = error_of(f"a: !!int {HUGE_HEX}")
    assert error.message == f"an integer too large to print: {HUGE_HEX[:39] + '…'!r}"
    assert error.mark == Mark(1, 4)


def test_a_number_too_long_to_read_stays_text_and_is_refused_when_tagged() -> None:
    # A sexagesimal integer costs quadratic time to build; this one is never built.
    long = "1" + ":59" * (MAX_NUMBER_CHARS // 3 + 1)
    assert parse_yaml(f"a: {long}") == {"a": long}
    message = error_of(f"a: !!int {long}").message
    assert message.startswith(f"a number longer than {MAX_NUMBER_CHARS:,} characters: '1:59")
    assert parse_yaml("a: 1:30") == {"a": 90}


def test_large_integers_python_can_print_are_numbers() -> None:
    assert parse_yaml(f"a: {'9' * 4300}") == {"a": int("9" * 4300)}
    assert parse_yaml("a: 0x" + "f" * 1000) == {"a": int("f" * 1000, 16)}


def test_keys_are_text_and_distinct_yaml_keys_stay_distinct() -> None:
    data = parse_yaml("1: int\ntrue: bool\n1.0: float\n~: null\n0x1f: hex\n'2': text\n")
    assert data == {"1": "int", "true": "bool", "1.0": "float", "~": None, "31": "hex",
                    "2": "text"}  # fmt: skip
    assert data.key_mark("true") == Mark(2, 1)
    assert data.value_mark("31") == Mark(5, 7)


@pytest.mark.parametrize(
    ("first", "second", "shown"),
    [
        ("1", "0x1", "1"),  # the same integer
        ("1.0", "1.00", "1.00"),  # the same float
        (".nan", ".NaN", ".NaN"),
        ("yes", "true", "true"),  # both true in YAML 1.1
        ("~", "null", "null"),
        ("1", "'1'", "1"),  # the same name
        ("true", '"true"', "true"),
    ],
)
def test_keys_equal_in_yaml_or_as_names_are_duplicates(first: str, second: str, shown: str) -> None:
    error = error_of(f"{first}: a\n{second}: b\n")
    assert error.message == f"duplicate key {shown!r} (first at line 1)"
    assert error.mark == Mark(2, 1)


def test_a_lone_surrogate_is_a_located_error() -> None:
    error = error_of("a: ok\nb: x\ud800\n")
    assert error.message.startswith("YAML syntax error: character U+D800 is not allowed")
    assert error.mark == Mark(2, 5)


def _assert_printable(value: Any) -> None:
    """Every key and value can be turned into text, as messages and the reader do."""
    str(value), repr(value)
    if isinstance(value, dict):
        assert all(isinstance(key, str) for key in value)
        for item in value.values():
            _assert_printable(item)
    elif isinstance(value, list):
        for item in value:
            _assert_printable(item)


TAGS = st.sampled_from(["", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ", "! "])
ODD_SCALARS = st.sampled_from(
    ["", '""', '"-"', "-", "_", ".", "maybe", "0x", "0b", "0o", "1:", ":", "1:30", "0x1",
     "1_000", "1.0", "1.00", ".nan", ".inf", "-.inf", "yes", "no", "on", "~", "null", "true",
     "'1'", "1e400", "0" * 30 + "7", "9" * 4301, HUGE_HEX, "1" + ":59" * 1500, "2025-02-07"]
)  # fmt: skip
SCALARS = st.tuples(TAGS, ODD_SCALARS | st.integers().map(str)).map("".join)


@given(st.lists(st.tuples(SCALARS, SCALARS), max_size=8))
def test_tagged_scalars_huge_integers_and_odd_keys_parse_or_fail_on_one_located_line(
    pairs: list[tuple[str, str]],
) -> None:
    # Keys longer than 1,024 characters need YAML's explicit `? key` form.
    text = "".join(f"? {key}\n: {value}\n" for key, value in pairs)
    for document in (text, "{" + ", ".join(f"? {k} : {v}" for k, v in pairs) + "}"):
        try:
            data = parse_yaml(document)
        except YamlError as error:
            assert "\n" not in error.message and len(error.message) < 200
            assert error.mark is not None and error.mark.line >= 1
        else:
            _assert_printable(data)


def test_a_plain_value_repeated_as_key_and_value_reads_the_same_each_time() -> None:
    data = parse_yaml("- 1\n- {1: 0x1, true: yes}\n- [1, yes, 0x1]\n- yes\n")
    assert data == [1, {"1": 1, "true": True}, [1, True, 1], True]
    assert error_of("- {1: a}\n- {x: 1, 0x1: b, 1: c}\n").message == (
        "duplicate key '1' (first at line 2)"
    )
