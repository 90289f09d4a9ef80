"""The reader command and its library cache: a second start parses nothing that did not change,
and `--no-cache` neither reads nor writes the cache."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from builders import write_library
from reader_helpers import until

from briefing_tui.cli import main
from briefing_tui.core.library.briefs import BriefLoader
from briefing_tui.core.library.cache import MAGIC, cache_file
from briefing_tui.core.library.loader import locate_library
from briefing_tui.core.library.model import Brief
from briefing_tui.ui.app import BriefingApp

SIZE = (100, 30)
SOURCE = "The talks lasted two hours.\nJapan will invest one trillion dollars.\n"
BRIEF = """\
title: Summit
sources:
  wire: seeds/wire.txt
claims:
  - text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars.
"""


@pytest.fixture
def root(tmp_path: Path) -> Path:
    briefs = {"a.yaml": BRIEF, "b.yaml": BRIEF.replace("Summit", "Other")}
    return write_library(tmp_path / "lib", briefs, {"seeds/wire.txt": SOURCE})


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The brief files parsed, in order, by any reader."""
    files: list[str] = []
    load = BriefLoader.load

    def counted(self: BriefLoader) -> Brief | None:
        files.append(self.path)
        return load(self)

    monkeypatch.setattr(BriefLoader, "load", counted)
    return files


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[BriefingApp]:
    """Apps the reader command runs, headless, until their workers are done; each is kept."""
    apps: list[BriefingApp] = []

    def run_headless(app: BriefingApp) -> None:
        async def run() -> None:
            async with app.run_test(size=SIZE) as pilot:
                # The library cache is written once the index is: its worker starts first.
                await until(pilot, lambda: app.search_index is not None)
                await app.workers.wait_for_complete()

        apps.append(app)
        asyncio.run(run())

    monkeypatch.setattr("briefing_tui.commands.read.has_terminal", lambda: True)
    monkeypatch.setattr(BriefingApp, "run", run_headless)
    return apps


def test_a_second_start_parses_no_brief_and_writes_nothing(
    root: Path, parsed: list[str], started: list[BriefingApp]
) -> None:
    file = cache_file(locate_library(root))
    assert main([str(root)]) == 0
    assert parsed == ["briefs/a.yaml", "briefs/b.yaml"]
    assert file.read_bytes().startswith(MAGIC)
    written = file.stat().st_mtime_ns
    assert main([str(root)]) == 0
    assert parsed == ["briefs/a.yaml", "briefs/b.yaml"]  # none parsed the second time
    assert [app.library.brief_at("briefs/b.yaml") is not None for app in started] == [True, True]
    assert file.stat().st_mtime_ns == written  # nothing was read: the cache holds it already


def test_a_start_after_an_edit_parses_only_the_brief_edited(
    root: Path, parsed: list[str], started: list[BriefingApp]
) -> None:
    assert main([str(root)]) == 0
    (root / "briefs" / "b.yaml").write_text(BRIEF.replace("Summit", "Edited"), "utf-8")
    assert main([str(root)]) == 0
    assert parsed == ["briefs/a.yaml", "briefs/b.yaml", "briefs/b.yaml"]
    assert started[-1].library.briefs[1].title == "Edited"
    assert main([str(root)]) == 0  # the cache was written again, with the edit
    assert parsed == ["briefs/a.yaml", "briefs/b.yaml", "briefs/b.yaml"]


def test_no_cache_neither_reads_nor_writes_the_library_cache(
    root: Path, parsed: list[str], started: list[BriefingApp], own_cache_folder: Path
) -> None:
    assert main([str(root), "--no-cache"]) == 0
    assert list(own_cache_folder.iterdir()) == []
    assert main([str(root)]) == 0
    file = cache_file(locate_library(root))
    good = file.read_bytes()
    parsed.clear()
    assert main([str(root), "--no-cache"]) == 0
    assert parsed == ["briefs/a.yaml", "briefs/b.yaml"]  # read afresh, though the cache is good
    assert file.read_bytes() == good
