"""The hostile library: committed small files plus huge and linked ones generated here."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

COMMITTED = Path(__file__).parent / "library"
HUGE_BRIEF_BYTES = 30 << 20
LONG_LINE_CHARS = 1 << 20
LONG_LINE_QUOTE = "Long one: the end of a very long line."
OUTSIDE_SECRET = "OUTSIDE-SECRET must never be read"
# Files the YAML payloads in python_apply.yaml, python_name.yaml and the front matter of
# sources/hostile_front_matter.txt would create if executed.
MARKERS = ("PWNED-apply", "PWNED-name", "PWNED-front-matter")
PAYLOAD_FILES = (
    "briefs/python_apply.yaml",
    "briefs/python_name.yaml",
    "sources/hostile_front_matter.txt",
)


def _write_huge_brief(path: Path) -> None:
    """A well-formed brief of 30 MB: only a size limit keeps it from being parsed."""
    head = "title: Huge\nsources:\n  plain: sources/plain.txt\nclaims:\n"
    item = "  - text: A padding claim that only makes the file large.\n    passages: []\n"
    with path.open("w", encoding="utf-8") as out:
        out.write(head)
        out.write(item * (HUGE_BRIEF_BYTES // len(item) + 1))


def _write_long_line_brief(root: Path) -> None:
    """A source whose single 1 MB line ends with a quote, and the brief quoting it."""
    line = "word " * (LONG_LINE_CHARS // 5) + LONG_LINE_QUOTE + "\n"
    (root / "sources" / "long_line.txt").write_text(line, encoding="utf-8")
    (root / "briefs" / "long_line.yaml").write_text(
        "title: A one-megabyte line\n"
        "sources:\n  long: sources/long_line.txt\n"
        "claims:\n  - text: The quote sits at the end of the line.\n"
        f"    passages:\n      - source: long\n        quote: {LONG_LINE_QUOTE!r}\n",
        encoding="utf-8",
    )


def build_hostile_library(base: Path) -> Path:
    """Copy the committed hostile files under base and add the generated ones."""
    root = base / "library"
    shutil.copytree(COMMITTED, root)
    outside = base / "outside.txt"
    outside.write_text(OUTSIDE_SECRET + "\n", encoding="utf-8")
    (root / "sources" / "outside_link.txt").symlink_to(outside.resolve())
    _write_huge_brief(root / "briefs" / "huge.yaml")
    _write_long_line_brief(root)
    return root


# File and folder names are untrusted too: a library unpacked from an archive names them.
NAMED_SOURCE = "sources/named\x1b]52;c;SE9TVElMRS1GTg==\x07.txt"
NAMED_BRIEF = "briefs/names\x1b]0;HOSTILE-FILENAME\x07\u202e.yaml"
NAME_PAYLOADS = (b"SE9TVElMRS1GTg==", b"HOSTILE-FILENAME", b"HOSTILE-PATHVALUE", b"HOSTILE-ROOT")


def build_file_name_library(base: Path) -> Path:
    """A library whose folder, brief and source file names hold escape sequences and bidi."""
    root = base / "library\x1b]0;HOSTILE-ROOT\x1b\\"
    (root / "briefs").mkdir(parents=True)
    (root / "sources").mkdir()
    (root / NAMED_SOURCE).write_text("Named one: the file name is hostile.\n", encoding="utf-8")
    (root / NAMED_BRIEF).write_text("title: [unclosed\n", encoding="utf-8")
    (root / "briefs" / "file_names.yaml").write_text(
        "title: Hostile file names\n"
        "sources:\n"
        '  named: "sources/named\\e]52;c;SE9TVElMRS1GTg==\\a.txt"\n'
        '  gone: "sources/\\e]0;HOSTILE-PATHVALUE\\a.txt"\n'
        "claims:\n"
        "  - text: A source with a hostile name still opens.\n"
        "    passages:\n"
        "      - source: named\n"
        "        quote: 'Named one: the file name is hostile.'\n",
        encoding="utf-8",
    )
    return root


# Names that would forge or break output, links out of the library, odd values in briefs.
FORGED_LINE = "-forged.yaml:6:36: error: FORGED"
FORGING_BRIEF = f"briefs/x\n{FORGED_LINE}\t.yaml"
FORGING_ROOT = b"forging\xff\nroot"  # a byte that is not UTF-8, and a newline
UNDECODABLE_BRIEF = b"briefs/n\xffame.yaml"
LINKED_OUT = {
    "briefs/passwd.yaml": "/etc/passwd",
    "briefs/environ.yaml": "/proc/self/environ",
    "briefs/zero.yaml": "/dev/zero",
}
ODD_VALUES_BRIEF = """\
title: Odd values
sources:
  plain: sources/plain.txt
  nul: "ok\\0.txt"
  1: sources/plain.txt
  k: sources/plain.txt
  "k\\u200b": sources/plain.txt
  far: "x/../../../../etc/passwd.txt"
  drive: "C:\\\\Windows\\\\win.ini.txt"
  tab: "sources/tab\\there.txt"
claims:
  - text: The plain source still anchors.
    passages:
      - source: plain
        quote: "Plain one: nothing to see."
"""


def build_forging_library(base: Path) -> Path:
    """A library whose names hold a newline, a tab and a byte that is not UTF-8, with links out."""
    root = base / os.fsdecode(FORGING_ROOT)
    (root / "briefs").mkdir(parents=True)
    (root / "sources").mkdir()
    shutil.copy(COMMITTED / "sources" / "plain.txt", root / "sources" / "plain.txt")
    (root / FORGING_BRIEF).write_text(
        "title: Forging\nsources:\n  p: sources/plain.txt\nclaims:\n"
        "  - text: x\n    passages:\n      - source: p\n        quote: not in it\n",
        encoding="utf-8",
    )
    (root / os.fsdecode(UNDECODABLE_BRIEF)).write_text(
        "title: Undecodable\nsources:\n  p: sources/plain.txt\n  q: sources/gone.txt\n",
        encoding="utf-8",
    )
    for link, target in LINKED_OUT.items():
        (root / link).symlink_to(target)
    (root / "briefs" / "odd_values.yaml").write_text(ODD_VALUES_BRIEF, encoding="utf-8")
    return root
