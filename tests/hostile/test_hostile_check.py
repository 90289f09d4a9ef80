"""`briefing check` on the hostile library: every problem located, nothing run, no traceback."""

from __future__ import annotations

import json
import re
import resource
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_files import COMMITTED, MARKERS, PAYLOAD_FILES

CHECK_TIMEOUT_S = 60  # generous for a shared machine; it takes well under a second alone
MAX_CHILD_RSS_KIB = 400 * 1024  # a 30 MB brief must be refused, not parsed into memory

# (brief or source file, line or None, pattern the message must match)
EXPECTED = [
    ("briefs/billion_laughs.yaml", 4, r"anchor|alias"),
    ("briefs/self_alias.yaml", 4, r"anchor|alias"),
    ("briefs/deep_nesting.yaml", 4, r"deep|nest"),
    ("briefs/duplicate_keys.yaml", 2, r"duplicate key 'title'"),
    ("briefs/empty.yaml", None, r"empty"),
    ("briefs/top_level_list.yaml", 1, r"mapping.*list"),
    ("briefs/garbage.yaml", None, r"UTF-8"),
    ("briefs/syntax_error.yaml", 4, r"syntax"),
    ("briefs/python_apply.yaml", 1, r"python/object/apply.*not allowed"),
    ("briefs/python_name.yaml", 2, r"python/name:os\.system.*not allowed"),
    ("sources/hostile_front_matter.txt", 2, r"python/object/apply.*not allowed"),
    ("briefs/huge.yaml", None, r"larger|limit|too (big|large)"),
    ("briefs/escaping_paths.yaml", 3, r"'\.\./outside\.txt'.*outside the library"),
    ("briefs/escaping_paths.yaml", 4, r"'sources/\.\./\.\./\.\./outside\.txt'.*outside"),
    ("briefs/escaping_paths.yaml", 5, r"'/etc/hostname'.*(relative|outside)"),
    ("briefs/escaping_paths.yaml", 6, r"'sources/outside_link\.txt'.*outside the library"),
    ("briefs/missing_files.yaml", 3, r"not found.*sources/does_not_exist\.txt"),
    ("briefs/missing_files.yaml", 5, r"not found.*sources/neither_does_this\.md"),
    ("briefs/unknown_refs.yaml", 9, r"stance 'refutes'"),
    ("briefs/unknown_refs.yaml", 10, r"source 'nobody'"),
    ("sources/latin1.txt", 1, r"UTF-8"),
]
VALID_BRIEFS = (
    "escapes.yaml",
    "markup.yaml",
    "hostile_strings.yaml",
    "long_line.yaml",
    "front_matter.yaml",
)
# What must never reach the terminal: escape, C0/C1 controls (bar tab and newline), bidi.
UNSAFE_OUTPUT = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def check_run(hostile_library: Path) -> subprocess.CompletedProcess[str]:
    """One `briefing check` of the hostile library, run from the folder that holds it."""
    return subprocess.run(
        [sys.executable, "-m", "briefing_tui", "check", "library"],
        cwd=hostile_library.parent,
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        check=False,
    )


@pytest.mark.parametrize(("path", "line", "pattern"), EXPECTED)
def test_check_reports_each_problem_at_its_place(
    check_run: subprocess.CompletedProcess[str], path: str, line: int | None, pattern: str
) -> None:
    where = re.escape(f"library/{path}") + (rf":{line}(:\d+)?" if line else r"(:\d+){0,2}")
    found = re.search(rf"^{where}: error: .*({pattern})", check_run.stdout, re.M | re.I)
    assert found, check_run.stdout


def test_check_fails_with_a_summary_and_no_traceback(
    check_run: subprocess.CompletedProcess[str],
) -> None:
    assert check_run.returncode == 1
    assert re.search(r"^checked \d+ briefs.*\d+ errors", check_run.stdout, re.M)
    assert "Traceback" not in check_run.stdout + check_run.stderr
    assert check_run.stderr == ""


def test_check_finds_nothing_wrong_with_the_valid_hostile_briefs(
    check_run: subprocess.CompletedProcess[str],
) -> None:
    for name in VALID_BRIEFS:
        assert f"briefs/{name}" not in check_run.stdout
    for source in ("terminal.txt", "markup.txt", "unicode.txt", "bom_front_matter.txt"):
        assert f"sources/{source}" not in check_run.stdout


def test_check_output_holds_no_terminal_controls(
    check_run: subprocess.CompletedProcess[str],
) -> None:
    assert UNSAFE_OUTPUT.search(check_run.stdout + check_run.stderr) is None


def test_check_executes_nothing_and_reads_nothing_outside(
    check_run: subprocess.CompletedProcess[str], hostile_library: Path
) -> None:
    for marker in MARKERS:
        assert not (hostile_library.parent / marker).exists()
        assert not (hostile_library / marker).exists()
    assert "OUTSIDE-SECRET" not in check_run.stdout + check_run.stderr


def test_check_stays_small_in_memory(check_run: subprocess.CompletedProcess[str]) -> None:
    # The largest RSS of any child this process has waited for bounds the check's own.
    assert check_run.returncode == 1
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < MAX_CHILD_RSS_KIB


def test_check_json_lists_the_same_problems(hostile_library: Path) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "briefing_tui", "check", "--json", str(hostile_library)],
        capture_output=True,
        text=True,
        timeout=CHECK_TIMEOUT_S,
        check=False,
    )
    assert run.returncode == 1
    errors = [d for d in json.loads(run.stdout)["diagnostics"] if d["level"] == "error"]
    located = {(d["path"], d["line"]) for d in errors}
    for path, line, _ in EXPECTED:
        assert (path, line) in located or (line is None and any(p == path for p, _ in located))


def test_python_tag_payloads_are_live_under_an_unsafe_loader(tmp_path: Path) -> None:
    # Proves the payloads would leave a marker if anything executed them.
    code = (
        "import sys, yaml\n"
        "for name in sys.argv[1:]:\n"
        "    text = open(name, encoding='utf-8').read()\n"
        "    yaml.unsafe_load(text.split('---')[1] if text.startswith('---') else text)\n"
    )
    files = [str(COMMITTED / name) for name in PAYLOAD_FILES]
    subprocess.run(
        [sys.executable, "-c", code, *files], cwd=tmp_path, capture_output=True, check=True
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(MARKERS)
