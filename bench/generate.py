"""Generate a large synthetic library for benchmarks, deterministic for a given seed.

The prose is a word-pair chain trained on the seed articles, with names, figures and dates
mixed in; sources carry front matter; briefs hold 5-20 claims whose passages quote verbatim
spans of their sources with mixed stances. Every source is named by some brief: sources the
passages cannot cover go into claim-free reading-list briefs.

    python bench/generate.py OUT --sources 1000 --passages 5000 [--sentences 40] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing_tui.core.library.sources import split_front_matter

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
MARKER = ".generated-library"
PASSAGES_PER_BRIEF = 30
MAX_SOURCES_PER_BRIEF = 8
READING_LIST_SIZE = 20
STANCES = (("supports", 0.6), ("conflicts", 0.25), ("context", 0.15))
FIRST_NAMES = ("Aiko", "Daniel", "Hiroshi", "Maria", "Kenji", "Sarah", "Yuki", "Thomas", "Emi")
LAST_NAMES = ("Tanaka", "Brennan", "Sato", "Alvarez", "Nakamura", "Okafor", "Ito", "Reyes")
OUTLETS = ("Pacific Ledger", "Harbor Post", "Capital Wire", "Tokyo Review", "Evening Dispatch")
KINDS = ("report", "report", "analysis", "preview", "statement", "opinion")
TAGS = ("trade", "security", "defense", "economy", "diplomacy", "energy", "technology", "china")
UNITS = ("billion dollars", "percent", "jobs", "troops", "tons", "million yen", "aircraft")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August")
_TRIM = '"“”‘’()[]*_#|'
_WORD = re.compile(r"[A-Za-z0-9]")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+|Mr\.|Mrs\.|Ms\.|Dr\.|St\.")


@dataclass(frozen=True, slots=True)
class GeneratedSource:
    """A generated source: its key in briefs, its file name, its sentences and its body."""

    key: str
    path: str
    sentences: tuple[str, ...]
    body: str


class Prose:
    """Sentences in the style of the seed articles, from a word-pair chain."""

    def __init__(self, seed_texts: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.next_words: dict[str, list[str]] = {}
        self.starters: list[str] = []
        for text in seed_texts:
            previous: str | None = None
            for token in text.split():
                word = token.strip(_TRIM)
                if not _WORD.search(word):
                    continue
                ends = word[-1] in ".!?" and not _ABBREVIATION.fullmatch(word)
                if ends:
                    word = word.rstrip(".!?")
                if previous is None:
                    self.starters.append(word)
                else:
                    self.next_words.setdefault(previous, []).append(word)
                previous = None if ends else word

    def name(self) -> str:
        """A person's name."""
        return f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"

    def date(self) -> str:
        """A date in prose: February 7, 2025."""
        return (
            f"{self.rng.choice(MONTHS)} {self.rng.randint(1, 28)}, {self.rng.randint(2019, 2025)}"
        )

    def figure(self) -> str:
        """A number with its unit."""
        rng = self.rng
        shape = rng.randrange(3)
        if shape == 0:
            number = str(rng.randint(2, 950))
        elif shape == 1:
            number = f"{rng.randint(1, 99)},{rng.randint(0, 999):03d}"
        else:
            number = f"{rng.randint(1, 30)}.{rng.randint(1, 9)}"
        return f"{number} {rng.choice(UNITS)}"

    def words(self, least: int, most: int) -> list[str]:
        """A run of chained words, between least and most long (shorter at a dead end)."""
        word = self.rng.choice(self.starters)
        out = [word]
        target = self.rng.randint(least, most)
        while len(out) < target:
            choices = self.next_words.get(word)
            if not choices:
                break
            word = self.rng.choice(choices)
            out.append(word)
        return out

    def sentence(self) -> str:
        """One sentence, often with a name, a figure or a date in it."""
        words = self.words(10, 24)
        roll = self.rng.random()
        if roll < 0.25:
            words.insert(self.rng.randint(1, len(words)), f"on {self.date()},")
        elif roll < 0.5:
            words.insert(self.rng.randint(1, len(words)), self.figure())
        elif roll < 0.7:
            words += ["according to", self.name()]
        text = " ".join(words).rstrip(",;:")
        return text[0].upper() + text[1:] + "."

    def title(self) -> str:
        """A headline."""
        return " ".join(word[0].upper() + word[1:] for word in self.words(5, 9)).rstrip(",;:")


def _seed_texts() -> list[str]:
    texts = []
    for path in sorted(SEEDS.glob("*.txt")):
        texts.append(split_front_matter(path.read_text(encoding="utf-8")).body)
    return texts


def _yaml(text: str) -> str:
    """A YAML double-quoted scalar (JSON strings are valid YAML)."""
    return json.dumps(text, ensure_ascii=False)


def _slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower())[:5]) or "source"


def _write_source(out: Path, index: int, prose: Prose, sentences: int) -> GeneratedSource:
    rng = prose.rng
    title = prose.title()
    suffix = ".md" if index % 10 == 9 else ".txt"
    path = f"sources/{index:05d}_{_slug(title)}{suffix}"
    lines = [prose.sentence() for _ in range(sentences)]
    paragraphs: list[str] = []
    start = 0
    while start < len(lines):
        size = rng.randint(2, 6)
        paragraphs.append(" ".join(lines[start : start + size]))
        start += size
    body = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    front = [
        "---",
        f"title: {_yaml(title)}",
        f"outlet: {_yaml(rng.choice(OUTLETS))}",
        f"author: {_yaml(prose.name())}",
        f"published: 2025-{month:02d}-{day:02d}",
        f"url: https://news.example.org/{index:05d}/{_slug(title)}",
        f"kind: {rng.choice(KINDS)}",
        "---",
    ]
    (out / path).write_text("\n".join(front) + "\n" + body, encoding="utf-8")
    return GeneratedSource(f"s{index:05d}", path, tuple(lines), body)


def _quote(source: GeneratedSource, rng: random.Random) -> str:
    """A verbatim span of the source, at word boundaries, occurring only once in it."""
    for _ in range(20):
        words = rng.choice(source.sentences).split()
        length = rng.randint(min(6, len(words)), len(words))
        start = rng.randint(0, len(words) - length)
        quote = " ".join(words[start : start + length])
        if source.body.count(quote) == 1:
            return quote
    return source.sentences[0]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split total into `parts` random positive sizes (parts <= total)."""
    cuts = sorted(rng.sample(range(1, total), parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, total]
    return [high - low for low, high in zip(bounds, bounds[1:], strict=False)]


def _brief_passages(count: int, briefs: int) -> Iterator[int]:
    base, extra = divmod(count, briefs)
    for index in range(briefs):
        yield base + (1 if index < extra else 0)


def _claims_yaml(
    keys: list[str], sources: list[GeneratedSource], passages: int, prose: Prose
) -> list[str]:
    rng = prose.rng
    claims = min(passages, rng.randint(5, 20))
    lines = ["claims:"]
    used = 0
    stances = [stance for stance, _ in STANCES]
    weights = [weight for _, weight in STANCES]
    for number, size in enumerate(_split(passages, claims, rng), start=1):
        lines += [f"  - id: claim-{number:02d}", f"    text: {_yaml(prose.sentence())}"]
        if rng.random() < 0.2:
            lines.append(f"    note: {_yaml(prose.sentence())}")
        lines.append("    passages:")
        for position in range(size):
            slot = used % len(keys)  # every declared source gets quoted
            used += 1
            stance = "supports" if position == 0 else rng.choices(stances, weights)[0]
            lines += [
                f"      - source: {keys[slot]}",
                f"        quote: {_yaml(_quote(sources[slot], rng))}",
                f"        stance: {stance}",
            ]
            if rng.random() < 0.15:
                lines.append(f"        note: {_yaml('says ' + prose.figure())}")
    return lines


def _write_brief(
    out: Path, index: int, sources: list[GeneratedSource], passages: int, prose: Prose
) -> None:
    rng = prose.rng
    keys = [source.key for source in sources]
    tags = ", ".join(rng.sample(TAGS, rng.randint(1, 3)))
    lines = [
        f"title: {_yaml(prose.title())}",
        f"summary: {_yaml(prose.sentence())}",
        f"tags: [{tags}]",
        "sources:",
    ]
    for key, source in zip(keys, sources, strict=True):
        if rng.random() < 0.2:
            lines += [f"  {key}:", f"    path: {source.path}", "    note: generated"]
        else:
            lines.append(f"  {key}: {source.path}")
    if passages:
        lines += _claims_yaml(keys, sources, passages, prose)
    (out / "briefs" / f"brief_{index:04d}.yaml").write_text("\n".join(lines) + "\n", "utf-8")


def _prepare(out: Path) -> None:
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out}: not empty and not made by bench/generate.py; refusing")
    for folder in ("briefs", "sources"):
        shutil.rmtree(out / folder, ignore_errors=True)
        (out / folder).mkdir(parents=True)


def generate_library(
    out: Path, sources: int, passages: int, sentences_per_source: int = 40, seed: int = 0
) -> Path:
    """Write a library of `sources` sources and `passages` passages under out; return out."""
    out = Path(out)
    _prepare(out)
    rng = random.Random(seed)
    prose = Prose(_seed_texts(), rng)
    generated = [_write_source(out, i, prose, sentences_per_source) for i in range(sources)]
    briefs = min(math.ceil(passages / PASSAGES_PER_BRIEF), sources) if passages else 0
    taken = 0
    index = 0
    for count in _brief_passages(passages, briefs) if briefs else ():
        share = max(1, min(MAX_SOURCES_PER_BRIEF, count, math.ceil(sources / briefs)))
        chosen = [generated[(taken + k) % sources] for k in range(share)]
        taken += share
        _write_brief(out, index, chosen, count, prose)
        index += 1
    while taken < sources:  # reading lists: briefs that only collect the remaining sources
        chosen = generated[taken : taken + READING_LIST_SIZE]
        taken += len(chosen)
        _write_brief(out, index, chosen, 0, prose)
        index += 1
    settings = {"sources": sources, "passages": passages, "sentences": sentences_per_source}
    (out / MARKER).write_text(json.dumps({**settings, "seed": seed}) + "\n", encoding="utf-8")
    return out


OUT = Path(__file__).resolve().parent / "out"


def cached_library(
    name: str, sources: int, passages: int, sentences_per_source: int = 40, seed: int = 0
) -> Path:
    """A generated library kept in bench/out/NAME, written again only if its settings differ."""
    out = OUT / name
    wanted = {"sources": sources, "passages": passages, "sentences": sentences_per_source}
    marker = out / MARKER
    if not marker.exists() or json.loads(marker.read_text(encoding="utf-8")) != {
        **wanted,
        "seed": seed,
    }:
        generate_library(out, sources, passages, sentences_per_source, seed)
    return out


def main() -> None:
    """Command line: python bench/generate.py OUT --sources N --passages N."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder to write the library into")
    parser.add_argument("--sources", type=int, required=True)
    parser.add_argument("--passages", type=int, required=True)
    parser.add_argument("--sentences", type=int, default=40, help="sentences per source")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    out = generate_library(args.out, args.sources, args.passages, args.sentences, args.seed)
    size = sum(file.stat().st_size for file in (out / "sources").iterdir())
    briefs = len(list((out / "briefs").iterdir()))
    print(
        f"wrote {briefs} briefs, {args.sources} sources ({args.sources * args.sentences} "
        f"sentences, {size / 1e6:.1f} MB), {args.passages} passages to {out}"
    )


if __name__ == "__main__":
    main()
