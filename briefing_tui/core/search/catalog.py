"""What presenting hits needs to know of a library (briefs, claims, passages, source names),
small enough to keep in the index cache, so that a cached search needs no library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing_tui.core.library.model import Library, Span, Stance


class CatalogError(ValueError):
    """A catalog read back from a cache is not what one looks like."""


@dataclass(frozen=True, slots=True)
class PassageEntry:
    """A passage: the key of the source it quotes, its span there (None: orphaned), stance."""

    source: str
    span: Span | None
    stance: Stance


@dataclass(frozen=True, slots=True)
class ClaimEntry:
    """A claim: its stable key and its passages, in brief order."""

    key: str
    passages: tuple[PassageEntry, ...]


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """A source as a brief names it: key, file and label."""

    key: str
    path: str
    label: str


@dataclass(frozen=True, slots=True)
class BriefEntry:
    """A brief: its path, title, sources and claims."""

    path: str
    title: str
    sources: tuple[SourceEntry, ...]
    claims: tuple[ClaimEntry, ...]

    def source_key(self, path: str) -> str | None:
        """The key the brief names a source file by."""
        return next((s.key for s in self.sources if s.path == path), None)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The briefs of a library in order, and each source's own name (outlet, title or path)."""

    briefs: tuple[BriefEntry, ...]
    source_names: dict[str, str]

    @classmethod
    def of(cls, library: Library) -> Catalog:
        """The catalog of a loaded library."""
        briefs = tuple(
            BriefEntry(
                brief.path,
                brief.title,
                tuple(SourceEntry(s.key, s.source.path, s.label) for s in brief.sources),
                tuple(
                    ClaimEntry(
                        claim.key,
                        tuple(PassageEntry(p.source_key, p.span, p.stance) for p in claim.passages),
                    )
                    for claim in brief.claims
                ),
            )
            for brief in library.briefs
        )
        names = {
            path: source.meta.outlet or source.meta.title or path
            for path, source in library.sources.items()
        }
        return cls(briefs, names)

    def to_json(self) -> dict[str, Any]:
        """The catalog as JSON values."""
        return {
            "briefs": [
                {
                    "path": brief.path,
                    "title": brief.title,
                    "sources": [[s.key, s.path, s.label] for s in brief.sources],
                    "claims": [
                        [
                            claim.key,
                            [
                                [p.source, list(p.span) if p.span else None, p.stance.value]
                                for p in claim.passages
                            ],
                        ]
                        for claim in brief.claims
                    ],
                }
                for brief in self.briefs
            ],
            "source_names": self.source_names,
        }

    @classmethod
    def from_json(cls, value: object) -> Catalog:
        """A catalog from JSON values, checked; raises CatalogError when it is not one."""
        data = _mapping(value)
        briefs = tuple(_brief(item) for item in _list(data.get("briefs")))
        names = _mapping(data.get("source_names"))
        return cls(briefs, {_str(path): _str(name) for path, name in names.items()})


def _brief(value: object) -> BriefEntry:
    data = _mapping(value)
    sources = []
    for item in _list(data.get("sources")):
        key, path, label = _list(item, 3)
        sources.append(SourceEntry(_str(key), _str(path), _str(label)))
    claims = []
    for item in _list(data.get("claims")):
        key, passages = _list(item, 2)
        claims.append(ClaimEntry(_str(key), tuple(_passage(p) for p in _list(passages))))
    path, title = _str(data.get("path")), _str(data.get("title"))
    return BriefEntry(path, title, tuple(sources), tuple(claims))


def _passage(value: object) -> PassageEntry:
    source, span, stance = _list(value, 3)
    where = None
    if span is not None:
        start, end = (_int(n) for n in _list(span, 2))
        if not 0 <= start <= end:
            raise CatalogError("a passage span is not a range")
        where = Span(start, end)
    try:
        return PassageEntry(_str(source), where, Stance(_str(stance)))
    except ValueError:
        raise CatalogError("an unknown stance") from None


def _mapping(value: object) -> dict[str, object]:
    if not isinstance(value, dict):
        raise CatalogError("expected an object")
    return value


def _list(value: object, length: int | None = None) -> list[object]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise CatalogError("expected a list" + (f" of {length}" if length else ""))
    return value


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise CatalogError("expected a string")
    return value


def _int(value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise CatalogError("expected a whole number")
    return value
