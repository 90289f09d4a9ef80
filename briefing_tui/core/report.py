"""The report of `briefing check`: one line per problem, a summary, JSON, and the exit status."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing_tui.core.library.loader import MAX_DIAGNOSTICS_PER_FILE
from briefing_tui.core.library.model import AnchorStatus, Library, ProblemCounts
from briefing_tui.core.library.text import escape_name, sanitise

FORMAT = "briefing-check/1"


def current_folder() -> Path | None:
    """The working directory, or None when it cannot be known (it was deleted)."""
    try:
        return Path(os.getcwd()).resolve()
    except OSError:
        return None


def shown_name(name: str) -> str:
    """A file name for one line of output: escaped, tab and newline included."""
    # A newline in a file name would start a line of its own, which could pass for a
    # diagnostic; escape_name leaves tab and newline as they are.
    return escape_name(name).replace("\t", "\\x09").replace("\n", "\\x0a")


def display_path(path: str, root: Path, cwd: Path | None) -> str:
    """A library-relative path as a user can click it, escaped for one line of output.

    Relative to the working directory when the library lies under it, else relative to
    the library root (as `--json` gives it): never a long absolute path.
    """
    absolute = root / path
    if cwd is not None and absolute.is_relative_to(cwd):
        return shown_name(absolute.relative_to(cwd).as_posix())
    return shown_name(path)


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check found in a library; `briefs_checked` counts brief files, loaded or not."""

    library: Library
    briefs_checked: int
    strict: bool = False

    @property
    def problems(self) -> ProblemCounts:
        """How many errors and warnings were found, all of them, shown or not."""
        return self.library.problems

    @property
    def passages(self) -> int:
        """How many passages loaded."""
        return sum(1 for brief in self.library.briefs for _ in brief.passages())

    @property
    def ok(self) -> bool:
        """No errors (and, when strict, no warnings either)."""
        problems = self.problems
        return not problems.errors and not (self.strict and problems.warnings)

    @property
    def exit_status(self) -> int:
        """0 when the check passes, 1 when it does not."""
        return 0 if self.ok else 1

    def anchor_counts(self) -> dict[str, int]:
        """How many passages anchored with each status (every status listed)."""
        counts = Counter(p.anchor.status for b in self.library.briefs for p in b.passages())
        return {status.value: counts[status] for status in AnchorStatus}

    def summary(self) -> str:
        """One line: what was checked and how many problems were found (and shown)."""
        library, problems = self.library, self.problems
        line = (
            f"checked {_count(self.briefs_checked, 'brief')}, "
            f"{_count(len(library.sources), 'source')}, {_count(self.passages, 'passage')}: "
            f"{_count(problems.errors, 'error')}, {_count(problems.warnings, 'warning')}"
        )
        if problems.files_cut == 1:
            line += f" (first {MAX_DIAGNOSTICS_PER_FILE} of the file shown)"
        elif problems.files_cut:
            line += f" (first {MAX_DIAGNOSTICS_PER_FILE} of each file shown)"
        return line

    def lines(self, cwd: Path | None) -> list[str]:
        """Every problem as `file:line:col: level: message`, then the summary."""
        root = self.library.root
        shown = [
            sanitise(replace(d, path=display_path(d.path, root, cwd)).format())
            for d in self.library.diagnostics
        ]
        return [*shown, self.summary()]

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON-ready document; paths are relative to `root`."""
        library, problems = self.library, self.problems
        return {
            "format": FORMAT,
            "root": library.root.as_posix(),
            "ok": self.ok,
            "strict": self.strict,
            "counts": {
                "briefs": self.briefs_checked,
                "briefs_loaded": len(library.briefs),
                "sources": len(library.sources),
                "claims": sum(len(brief.claims) for brief in library.briefs),
                "passages": self.passages,
                "errors": problems.errors,
                "warnings": problems.warnings,
            },
            "anchors": self.anchor_counts(),
            # At most MAX_DIAGNOSTICS_PER_FILE per file, then one saying how many were left out.
            "diagnostics_per_file": MAX_DIAGNOSTICS_PER_FILE,
            "diagnostics": [
                {
                    "path": d.path,
                    "line": d.line,
                    "column": d.column,
                    "level": d.level.value,
                    "message": d.message,
                }
                for d in library.diagnostics
            ],
        }
