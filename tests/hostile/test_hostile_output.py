"""Names that would forge or break output, links out, odd values: every command stays whole.

A newline in a file name must not start a line that passes for a diagnostic, a byte that is
not UTF-8 must not reach the terminal raw, and no stdout encoding turns a report into an
internal error.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import FORGED_LINE, FORGING_ROOT, LINKED_OUT, build_forging_library

TIMEOUT_S = 60
# A line of `briefing check`: a diagnostic or the summary, nothing else.
CHECK_LINE = re.compile(r"^(\S[^\t\n]*?(:\d+){0,2}: (error|warning): .*|checked \d+ briefs?, .*)$")
ENVIRONMENTS = {
    "strict utf-8": {"PYTHONIOENCODING": "utf-8:strict"},
    "C locale": {"LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONIOENCODING": ""},
    "latin-1": {"PYTHONIOENCODING": "latin-1:strict"},
}
COMMANDS = [
    ("check",),
    ("check", "--json"),
    ("export", "Forging"),
    ("export", "Undecodable", "--format", "json"),
    ("export", "Odd values", "--format", "markdown"),
    ("matrix",),
    ("matrix", "--csv"),
    ("figures", "--json"),
    ("search", "plain"),
    ("search", "plain", "--json"),
]


@pytest.fixture(scope="module")
def forging(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The library of forging names, built once; commands run from the folder above it."""
    return build_forging_library(tmp_path_factory.mktemp("forging"))


def _briefing(forging: Path, environment: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LANG", "PYTHONUTF8")}
    env.update(ENVIRONMENTS[environment])
    library = os.fsdecode(FORGING_ROOT)
    command, *rest = args
    # The brief's name or the query comes before the library, the options after it.
    where = [rest[0], library, *rest[1:]] if command in ("export", "search") else [library, *rest]
    return subprocess.run(
        [sys.executable, "-m", "briefing_tui", command, *where],
        cwd=forging.parent,
        env=env,
        capture_output=True,
        timeout=TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_no_name_breaks_a_command_whatever_the_encoding(
    forging: Path, environment: str, args: tuple[str, ...]
) -> None:
    run = _briefing(forging, environment, *args)
    assert b"internal error" not in run.stderr and b"Traceback" not in run.stderr, run.stderr
    assert run.returncode == (1 if args[0] == "check" else 0), run.stderr
    text = run.stdout.decode("utf-8")  # never a raw byte that is not UTF-8
    if "--csv" in args:
        text = text.replace("\r\n", "\n")  # RFC 4180 line ends
    assert re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text) is None
    if "--json" in args or "json" in args:
        json.loads(text)
    if environment == "C locale":
        text.encode("ascii")


@pytest.mark.parametrize("environment", sorted(ENVIRONMENTS))
def test_check_prints_one_line_per_problem_and_none_forged(forging: Path, environment: str) -> None:
    lines = _briefing(forging, environment, "check").stdout.decode("utf-8").splitlines()
    assert all(CHECK_LINE.match(line) for line in lines), lines
    assert not any(line.startswith(FORGED_LINE) for line in lines)
    assert all(line.startswith("forging\\xff\\x0aroot/briefs/") for line in lines[:-1])
    assert any("briefs/n\\xffame.yaml:4:6: error: source file not found" in x for x in lines)


def test_check_refuses_brief_files_linked_out_of_the_library(forging: Path) -> None:
    out = _briefing(forging, "strict utf-8", "check").stdout.decode("utf-8")
    for link in LINKED_OUT:
        assert f"{link}: error: the brief file resolves outside the library root" in out
    assert "root:" not in out  # nothing of /etc/passwd was read as YAML


def test_check_reports_odd_values_each_at_its_line(forging: Path) -> None:
    out = _briefing(forging, "strict utf-8", "check").stdout.decode("utf-8")
    for line, message in [
        (4, "source path 'ok\\x00.txt' holds a NUL character"),
        (7, "source id 'k\\u200b' (line 7) is the same id as 'k' (line 6) once read as text"),
        (8, "'x/../../../../etc/passwd.txt' leads outside the library root"),
        (9, "must be relative to the library root"),
    ]:
        assert re.search(rf"briefs/odd_values\.yaml:{line}:\d+: error: .*{re.escape(message)}", out)
