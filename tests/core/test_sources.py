"""Reading source files: limits, encodings, line endings, front matter and sanitising."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefing_tui.core.library.model import META_KEYS, Diagnostic, Level, SourceMeta
from briefing_tui.core.library.sources import (
    FileProblem,
    load_source,
    parse_front_matter,
    read_utf8,
    split_front_matter,
)


def write(tmp_path: Path, content: str | bytes, name: str = "source.txt") -> Path:
    file = tmp_path / name
    if isinstance(content, bytes):
        file.write_bytes(content)
    else:
        file.write_text(content, encoding="utf-8")
    return file


def test_front_matter_becomes_metadata_and_offsets_count_from_the_body(tmp_path: Path) -> None:
    file = write(
        tmp_path,
        "---\ntitle: Summit\noutlet: Wire\npublished: 2025-02-07\nkind: report\n---\nBody.\n",
    )
    source, diagnostics = load_source(file, "seeds/source.txt")
    assert diagnostics == []
    assert source is not None
    assert source.path == "seeds/source.txt"
    assert source.text == "Body.\n"
    assert source.body_line == 7
    assert source.meta == SourceMeta(
        title="Summit", outlet="Wire", published="2025-02-07", kind="report"
    )


def test_a_source_without_front_matter_is_all_body(tmp_path: Path) -> None:
    source, diagnostics = load_source(write(tmp_path, "Just text.\n--- not a fence\n"), "s.txt")
    assert diagnostics == []
    assert source is not None
    assert (source.text, source.body_line, source.meta) == (
        "Just text.\n--- not a fence\n",
        1,
        SourceMeta(),
    )


def test_empty_front_matter_is_allowed() -> None:
    assert split_front_matter("---\n---\nBody") == ("", "Body", 3)


def test_a_bom_is_stripped_and_crlf_normalised(tmp_path: Path) -> None:
    file = write(tmp_path, "\ufeff---\r\ntitle: T\r\n---\r\nOne\r\nTwo\rThree\r\n".encode())
    source, diagnostics = load_source(file, "s.txt")
    assert diagnostics == []
    assert source is not None
    assert source.text == "One\nTwo\nThree\n"
    assert source.meta.title == "T"
    assert source.body_line == 4


def test_control_characters_in_the_body_are_sanitised(tmp_path: Path) -> None:
    file = write(tmp_path, "Safe \x1b]52;c;ZXZpbA==\x07text \u202eabc\n")
    source, _ = load_source(file, "s.txt")
    assert source is not None
    assert source.text == "Safe \u241btext abc\n"


def test_front_matter_values_are_sanitised(tmp_path: Path) -> None:
    file = write(tmp_path, '---\ntitle: "Evil \\e[31mred"\n---\nBody\n')
    source, _ = load_source(file, "s.txt")
    assert source is not None
    assert source.meta.title == "Evil \u241bred"


def test_unknown_front_matter_keys_warn_with_their_line(tmp_path: Path) -> None:
    file = write(tmp_path, "---\ntitle: T\nsubtitle: S\n---\nBody\n")
    source, diagnostics = load_source(file, "seeds/s.txt")
    assert source is not None and source.meta.title == "T"
    assert diagnostics == [
        Diagnostic(
            "seeds/s.txt",
            Level.WARNING,
            "unknown front matter key 'subtitle' "
            "(known: title, outlet, author, published, url, kind, note)",
            3,
            1,
        )
    ]


def test_a_front_matter_value_that_is_not_text_is_ignored_with_a_warning(tmp_path: Path) -> None:
    file = write(tmp_path, "---\ntitle: [a, b]\nauthor: 1984\nurl: ' '\nnote:\n---\nBody\n")
    source, diagnostics = load_source(file, "s.txt")
    assert source is not None
    assert source.meta == SourceMeta(author="1984")
    assert [(d.level, d.message, d.line, d.column) for d in diagnostics] == [
        (Level.WARNING, "front matter 'title' must be text; ignored", 2, 8)
    ]


def test_bad_front_matter_is_an_error_but_the_body_still_loads(tmp_path: Path) -> None:
    file = write(tmp_path, "---\ntitle: T\ntitle: U\n---\nBody\n")
    source, diagnostics = load_source(file, "s.txt")
    assert source is not None
    assert (source.text, source.meta, source.body_line) == ("Body\n", SourceMeta(), 5)
    assert [(d.level, d.message, d.line, d.column) for d in diagnostics] == [
        (Level.ERROR, "front matter: duplicate key 'title' (first at line 1)", 3, 1)
    ]


def test_front_matter_that_is_not_a_mapping_is_an_error(tmp_path: Path) -> None:
    file = write(tmp_path, "---\n- a\n- b\n---\nBody\n")
    source, diagnostics = load_source(file, "s.txt")
    assert source is not None and source.text == "Body\n"
    assert [(d.level, d.message, d.line) for d in diagnostics] == [
        (Level.ERROR, "front matter must be a mapping of keys to values", 2)
    ]


def test_front_matter_aliases_are_refused(tmp_path: Path) -> None:
    file = write(tmp_path, "---\ntitle: &t T\nkind: *t\n---\nBody\n")
    _, diagnostics = load_source(file, "s.txt")
    assert [(d.message, d.line, d.column) for d in diagnostics] == [
        ("front matter: anchors (&t) are not allowed", 2, 8)
    ]


def test_unclosed_front_matter_is_read_as_text_with_a_warning(tmp_path: Path) -> None:
    source, diagnostics = load_source(write(tmp_path, "---\ntitle: T\nBody\n"), "s.txt")
    assert source is not None
    assert source.text == "---\ntitle: T\nBody\n"
    assert [(d.level, d.message, d.line) for d in diagnostics] == [
        (
            Level.WARNING,
            "front matter has no closing --- line; the whole file is read as text",
            1,
        )
    ]


def test_a_file_that_is_not_utf8_names_the_byte_offset_and_line(tmp_path: Path) -> None:
    file = write(tmp_path, "line one\nline two caf\xe9\n".encode("latin-1"))
    source, diagnostics = load_source(file, "seeds/latin.txt")
    assert source is None
    assert diagnostics == [
        Diagnostic("seeds/latin.txt", Level.ERROR, "not UTF-8: byte 0xe9 at byte offset 21", 2)
    ]


def test_a_file_over_the_limit_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    file = write(tmp_path, "x" * 5000)
    with pytest.raises(FileProblem) as caught:
        read_utf8(file, limit=4096)
    assert caught.value.message == "the file is larger than the 4 KiB limit"


@pytest.mark.parametrize("stated", [0, 10, 4096, 4097, 1 << 20])
@pytest.mark.parametrize("actual", [0, 10, 4096, 4097, 5000])
def test_a_file_is_read_whole_or_refused_whatever_size_it_states(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stated: int, actual: int
) -> None:
    # A file can grow after its size is taken, and some (under /proc) state 0 bytes.
    file = write(tmp_path, "y" * actual)
    real_fstat = os.fstat

    def fstat(fd: int) -> os.stat_result:
        status = list(real_fstat(fd))
        status[stat.ST_SIZE] = stated
        return os.stat_result(status)

    monkeypatch.setattr(os, "fstat", fstat)
    if actual > 4096:
        with pytest.raises(FileProblem) as caught:
            read_utf8(file, limit=4096)
        assert caught.value.message == "the file is larger than the 4 KiB limit"
    else:
        assert read_utf8(file, limit=4096) == "y" * actual


def test_a_source_over_16_mib_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "huge.txt"
    with file.open("wb") as stream:
        stream.truncate(30 << 20)  # sparse: 30 MB on paper, nothing written
    source, diagnostics = load_source(file, "seeds/huge.txt")
    assert source is None
    assert diagnostics == [
        Diagnostic("seeds/huge.txt", Level.ERROR, "the file is larger than the 16 MiB limit")
    ]


def test_a_five_megabyte_source_loads(tmp_path: Path) -> None:
    sentence = "The leaders met in Washington and agreed on trade. "
    body = sentence * (5 * 1024 * 1024 // len(sentence) + 1)
    source, diagnostics = load_source(write(tmp_path, body), "big.txt")
    assert diagnostics == []
    assert source is not None and len(source.text) == len(body)


def test_a_missing_file_is_a_diagnostic(tmp_path: Path) -> None:
    source, diagnostics = load_source(tmp_path / "gone.txt", "gone.txt")
    assert source is None
    assert [(d.level, d.message) for d in diagnostics] == [
        (Level.ERROR, "cannot read the file: No such file or directory")
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("title: !!bool maybe", "front matter: not true or false: 'maybe'"),
        ('title: !!int ""', "front matter: not a number: ''"),
        ("title: !!float _", "front matter: not a number: '_'"),
        ("title: !!int 0x" + "f" * 4000, "front matter: an integer too large to print: '0xfff"),
    ],
)
def test_a_bad_tagged_front_matter_value_costs_only_the_metadata(
    tmp_path: Path, line: str, message: str
) -> None:
    source, diagnostics = load_source(write(tmp_path, f"---\n{line}\n---\nBody\n"), "s.txt")
    assert source is not None and (source.text, source.meta) == ("Body\n", SourceMeta())
    [diagnostic] = diagnostics
    assert (diagnostic.level, diagnostic.line, diagnostic.column) == (Level.ERROR, 2, 8)
    assert diagnostic.message.startswith(message)


def test_huge_integers_in_front_matter_are_text(tmp_path: Path) -> None:
    huge = "0x" + "f" * 4000
    file = write(tmp_path, f"---\ntitle: {huge}\n? {huge}\n: value\n---\nBody\n")
    source, diagnostics = load_source(file, "s.txt")
    assert source is not None and source.meta.title == huge
    [diagnostic] = diagnostics
    assert diagnostic.level is Level.WARNING and diagnostic.line == 3
    assert diagnostic.message.startswith(f"unknown front matter key '{huge[:59]}…' (known: ")


FRONT_KEYS = st.sampled_from([*META_KEYS, "1", "true", "1.0", "~", "0x1", "'1'", "0x" + "f" * 4000])
FRONT_VALUES = st.tuples(
    st.sampled_from(["", "!!int ", "!!float ", "!!bool ", "!!str ", "!!null ", "!!binary "]),
    st.sampled_from(["", "-", "_", "maybe", "0x", "1:30", "2025-02-07", "[a]", "{a: 1}",
                     "9" * 4301, "0x" + "f" * 4000, "&a x", "*a", "'\x1b[31m'", "\"\\e]0;t\""]),
).map("".join)  # fmt: skip


@given(st.lists(st.tuples(FRONT_KEYS, FRONT_VALUES), max_size=6))
def test_front_matter_never_raises_and_reports_on_one_line(pairs: list[tuple[str, str]]) -> None:
    yaml_text = "".join(f"? {key}\n: {value}\n" for key, value in pairs)
    meta, diagnostics = parse_front_matter(yaml_text, "s.txt")
    assert all(isinstance(getattr(meta, key), str | None) for key in META_KEYS)
    for diagnostic in diagnostics:
        assert "\n" not in diagnostic.format()
        assert diagnostic.line is not None and diagnostic.line >= 2
