"""The reader's own notes, searched with the library's query language as notes of its briefs.

They live in the reading state, not in the library, so they are not in its index. Each note
gets an index of its own one unit: a note is never more than a few hundred characters and a
reader writes dozens, and a hit then names its note, with the exact text it is on.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from briefing_tui.core.library.model import Span, Stance
from briefing_tui.core.search.catalog import Catalog
from briefing_tui.core.search.filters import Labels
from briefing_tui.core.search.index import SearchHit, SearchIndex
from briefing_tui.core.search.query import Query, parse_query
from briefing_tui.core.search.units import CHUNK_UNITS, NONE, Group, HitKind, collect_own
from briefing_tui.core.search.vocabulary import Vocabulary


@dataclass(frozen=True, slots=True)
class OwnNote:
    """A note of the reader's, as search sees it: its text and what in the library it is on."""

    text: str
    brief: int  # the brief's index in the library
    claim: int | None = None
    passage: int | None = None  # the passage's place in its claim, when it is on one
    source_path: str | None = None  # the source it is on text of
    span: Span | None = None  # the text it is on, when that is no passage
    stances: frozenset[Stance] = frozenset()  # the passage's, or those of the claim's passages


class OwnNotesSearch:
    """The reader's notes, each searchable as a note of the library."""

    def __init__(self, notes: Sequence[OwnNote], labels: Labels, catalog: Catalog) -> None:
        self._indexes = [(note, _index_of(note, labels, catalog)) for note in notes]

    def __len__(self) -> int:
        """How many notes are searched."""
        return len(self._indexes)

    def search(self, query: str | Query, limit: int = 50) -> list[SearchHit]:
        """The notes a query finds, best first, as hits the reader's own."""
        parsed = parse_query(query) if isinstance(query, str) else query
        hits = [
            replace(hit, span=note.span, by_reader=True)
            for note, index in self._indexes
            for hit in index.search(parsed, 1)
        ]
        hits.sort(key=lambda hit: -hit.score)
        return hits[:limit]


def merged(found: list[SearchHit], own: list[SearchHit], limit: int) -> list[SearchHit]:
    """The library's hits and the reader's notes in one list, best first (library's first)."""
    hits = sorted([*found, *own], key=lambda hit: -hit.score)  # stable: a tie keeps the order
    return hits[:limit]


def _index_of(note: OwnNote, labels: Labels, catalog: Catalog) -> SearchIndex:
    """An index of the one note."""
    paths = (note.source_path,) if note.source_path is not None else ()
    group = Group(HitKind.NOTE, (note.brief,), paths, note.stances)
    claim = note.claim if note.claim is not None else NONE
    passage = note.passage if note.passage is not None else NONE
    units = collect_own([(note.text, group, claim, passage)])
    return SearchIndex(units, Vocabulary.of(units.chunks, CHUNK_UNITS), labels, catalog)
