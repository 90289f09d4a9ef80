"""The report of `briefing check`: one line per problem, a summary, JSON, and the exit status."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from briefing_tui.core.library.model import AnchorStatus, Library
from briefing_tui.core.library.text import sanitise


def display_path(path: str, root: Path, cwd: Path) -> str:
    """A library-relative path as the user can click it: relative to cwd when under it."""
    absolute = root / path
    if absolute.is_relative_to(cwd):
        return absolute.relative_to(cwd).as_posix()
    return absolute.as_posix()


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What a check found in a library; `briefs_checked` counts brief files, loaded or not."""

    library: Library
    briefs_checked: int
    strict: bool = False

    @property
    def passages(self) -> int:
        """How many passages loaded."""
        return sum(1 for brief in self.library.briefs for _ in brief.passages())

    @property
    def ok(self) -> bool:
        """No errors (and, when strict, no warnings either)."""
        return not self.library.errors and not (self.strict and self.library.warnings)

    @property
    def exit_status(self) -> int:
        """0 when the check passes, 1 when it does not."""
        return 0 if self.ok else 1

    def anchor_counts(self) -> dict[str, int]:
        """How many passages anchored with each status (every status listed)."""
        counts = Counter(p.anchor.status for b in self.library.briefs for p in b.passages())
        return {status.value: counts[status] for status in AnchorStatus}

    def summary(self) -> str:
        """One line: what was checked and how many problems were found."""
        library = self.library
        return (
            f"checked {_count(self.briefs_checked, 'brief')}, "
            f"{_count(len(library.sources), 'source')}, {_count(self.passages, 'passage')}: "
            f"{_count(library.errors, 'error')}, {_count(library.warnings, 'warning')}"
        )

    def lines(self, cwd: Path) -> list[str]:
        """Every problem as `file:line:col: level: message`, then the summary."""
        root = self.library.root
        shown = [
            sanitise(replace(d, path=display_path(d.path, root, cwd)).format())
            for d in self.library.diagnostics
        ]
        return [*shown, self.summary()]

    def to_json(self) -> dict[str, Any]:
        """The report as one JSON-ready document; paths are relative to `root`."""
        library = self.library
        return {
            "root": library.root.as_posix(),
            "ok": self.ok,
            "strict": self.strict,
            "counts": {
                "briefs": self.briefs_checked,
                "briefs_loaded": len(library.briefs),
                "sources": len(library.sources),
                "claims": sum(len(brief.claims) for brief in library.briefs),
                "passages": self.passages,
                "errors": library.errors,
                "warnings": library.warnings,
            },
            "anchors": self.anchor_counts(),
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
