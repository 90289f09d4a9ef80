"""Fixtures that write small libraries (briefs and sources) into tmp_path."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest
from builders import LibraryMaker, write_library

WIRE = """\
---
title: Leaders meet in Washington
outlet: Example Wire
published: 2025-02-07
kind: report
---
The two leaders met in Washington on February 7, 2025.
They reaffirmed that Article 5 of the treaty applies to the islands.
Japan will invest one trillion dollars in the United States.
The talks lasted two hours.
"""

POST = """\
Officials said the talks lasted three hours.
Japan will invest one trillion dollars, officials said.
The talks lasted three hours, and the talks were cordial.
"""

SOURCES: dict[str, str | bytes] = {"seeds/wire.txt": WIRE, "seeds/post.md": POST}

GOOD_BRIEF = """\
title: Summit
summary: What was agreed.
tags: [trade, security]
sources:
  wire: seeds/wire.txt
  post:
    path: seeds/post.md
    outlet: Example Post
claims:
  - id: invest
    text: Japan will invest one trillion dollars.
    passages:
      - source: wire
        quote: Japan will invest one trillion dollars
      - source: post
        quote: Japan will invest one trillion dollars, officials said
  - id: length
    text: The talks lasted two hours.
    note: The sources disagree.
    passages:
      - source: wire
        quote: The talks lasted two hours.
      - source: post
        quote: the talks lasted three hours
        stance: conflicts
        note: says three, not two
"""


@pytest.fixture
def good_brief() -> str:
    """A brief with two claims over seeds/wire.txt and seeds/post.md, free of problems."""
    return GOOD_BRIEF


@pytest.fixture
def post_text() -> str:
    """The text of seeds/post.md (no front matter)."""
    return POST


@pytest.fixture
def make_library(tmp_path: Path) -> LibraryMaker:
    """Write a library under tmp_path/lib: make_library({"x.yaml": text}, sources=...)."""

    def make(briefs: Mapping[str, str], sources: Mapping[str, str | bytes] | None = None) -> Path:
        return write_library(tmp_path / "lib", briefs, SOURCES if sources is None else sources)

    return make
