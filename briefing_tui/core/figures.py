"""Figures in text (counts, money, percentages, durations, dates), normalised and compared."""

from __future__ import annotations

import calendar
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from briefing_tui.core.library.model import Brief, Library, Passage, Source, Span, Stance
from briefing_tui.core.matrix import file_label


class FigureKind(StrEnum):
    """What a figure measures."""

    COUNT = "count"
    MONEY = "money"
    PERCENT = "percent"
    DURATION = "duration"
    TIME = "time"
    DATE = "date"
    DATE_RANGE = "date range"
    YEAR = "year"
    YEAR_RANGE = "year range"


Value = float | str | tuple[str, str]

# Qualifiers that make a figure an open bound rather than a point: "over 850,000" is any
# value from 850,000 up; "nearly 55,000" any value up to 55,000. The others ("about",
# "approximately") are recorded but the figure is compared as the value it states.
LOWER_BOUNDS = frozenset(
    {
        "over",
        "just over",
        "well over",
        "more than",
        "at least",
        "above",
        "exceeding",
        "exceeds",
        "exceeded",
        "exceed",
        "surpassing",
        "surpassed",
        "surpasses",
        "surpass",
    }
)
UPPER_BOUNDS = frozenset(
    {"up to", "at most", "less than", "fewer than", "under", "below", "nearly", "almost"}
)
APPROXIMATE = frozenset(
    {"approximately", "about", "around", "roughly", "some", "an estimated", "estimated"}
)
# Words after which "over" is a preposition, not a bound: "command over 55,000 personnel".
OVER_AS_PREPOSITION = frozenset(
    {
        "authority",
        "charge",
        "claim",
        "claims",
        "command",
        "control",
        "dominance",
        "hold",
        "influence",
        "jurisdiction",
        "oversight",
        "power",
        "powers",
        "presided",
        "presides",
        "responsibility",
        "rule",
        "sovereignty",
        "spanning",
        "spread",
        "supremacy",
        "sway",
    }
)
# A count's unit is the class of the noun counted, so "54,000 troops" and "55,000
# personnel" compare as counts of people; any other noun is its own unit ("vessel").
COUNT_CLASSES: dict[str, str] = {
    **dict.fromkeys(
        (
            "troops",
            "troop",
            "soldiers",
            "personnel",
            "servicemembers",
            "servicemen",
            "marines",
            "sailors",
            "airmen",
            "people",
            "persons",
            "individuals",
            "residents",
            "citizens",
            "civilians",
            "workers",
            "employees",
            "staff",
        ),
        "people",
    ),
    **dict.fromkeys(("jobs", "job", "positions"), "jobs"),
    **dict.fromkeys(("times", "occasions"), "times"),
}
# Words between a number and its noun that do not name what is counted.
_COUNT_MODIFIERS = frozenset(
    {
        "new",
        "additional",
        "more",
        "other",
        "extra",
        "existing",
        "active",
        "active-duty",
        "direct",
        "total",
        "military",
        "foreign",
        "local",
        "full-time",
        "service",
    }
)
# Words that end the search for a noun: "54,000 in Japan" counts nothing named.
_COUNT_STOPS = frozenset(
    {
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "is",
        "of",
        "on",
        "or",
        "the",
        "to",
        "was",
        "were",
        "with",
        "are",
        "than",
        "that",
        "which",
    }
)
# A number right after one of these is a label, not a quantity: "Article 5", "No. 3".
LABEL_WORDS = frozenset(
    {
        "amendment",
        "annex",
        "appendix",
        "article",
        "articles",
        "block",
        "category",
        "chapter",
        "class",
        "clause",
        "day",
        "division",
        "episode",
        "exhibit",
        "figure",
        "flight",
        "gate",
        "grade",
        "highway",
        "issue",
        "item",
        "level",
        "line",
        "mark",
        "model",
        "no",
        "number",
        "page",
        "pages",
        "paragraph",
        "part",
        "phase",
        "platform",
        "pp",
        "resolution",
        "room",
        "round",
        "route",
        "rule",
        "season",
        "section",
        "series",
        "stage",
        "step",
        "table",
        "tier",
        "title",
        "type",
        "version",
        "vol",
        "volume",
        "zone",
    }
)
CURRENCIES: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "A$": "AUD",
    "C$": "CAD",
    "HK$": "HKD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",  # the sign is also the yuan's; in these briefings it is the yen
    "￥": "JPY",
    "dollar": "USD",
    "dollars": "USD",
    "u.s. dollars": "USD",
    "yen": "JPY",
    "euro": "EUR",
    "euros": "EUR",
    "yuan": "CNY",
    "renminbi": "CNY",
    "won": "KRW",
    "rmb": "CNY",
    **{code.lower(): code for code in ("USD", "EUR", "GBP", "JPY", "CNY", "KRW", "AUD", "CAD")},
}
SCALES: dict[str, int] = {
    "thousand": 10**3,
    "k": 10**3,
    "million": 10**6,
    "mn": 10**6,
    "m": 10**6,
    "billion": 10**9,
    "bn": 10**9,
    "b": 10**9,
    "trillion": 10**12,
    "tn": 10**12,
}
# Durations compare within a group, in its smallest unit: clock time in seconds, calendar
# time in months (a month is not a fixed number of days).
DURATION_UNITS: dict[str, tuple[str, str, int]] = {
    **dict.fromkeys(("second", "seconds"), ("seconds", "clock", 1)),
    **dict.fromkeys(("minute", "minutes", "min", "mins"), ("minutes", "clock", 60)),
    **dict.fromkeys(("hour", "hours", "hr", "hrs"), ("hours", "clock", 3600)),
    **dict.fromkeys(("day", "days"), ("days", "clock", 86400)),
    **dict.fromkeys(("week", "weeks"), ("weeks", "clock", 604800)),
    **dict.fromkeys(("month", "months"), ("months", "calendar", 1)),
    **dict.fromkeys(("year", "years"), ("years", "calendar", 12)),
    **dict.fromkeys(("decade", "decades"), ("decades", "calendar", 120)),
}
_MONTH_NAMES = {name: number for number, name in enumerate(calendar.month_name) if name}
_MONTHS = {
    **_MONTH_NAMES,
    **{name[:3]: number for name, number in _MONTH_NAMES.items()},
    "Sept": 9,
}
SENTENCE_LIMIT = 400  # the most characters a sentence reaches either side of a passage

_SPACE = "[ \u00a0\u202f\u2009]"  # plain, no-break, narrow no-break and thin spaces
# At most 15 digits either side of the point: longer runs are identifiers, not figures.
_NUMBER = rf"\d{{1,3}}(?:(?:,|{_SPACE})\d{{3}}){{1,4}}(?:\.\d{{1,6}})?|\d{{1,15}}(?:\.\d{{1,6}})?"
# A number starts a figure only on its own: not inside a word or a longer number ("G7",
# "1.5.2", "#4"), not after a letter and a hyphen ("F-35", "Crew-10"), and not after a
# minus sign, so a negative figure is skipped rather than read with the wrong sign.
_START = r"(?<![\w.,/#№$€£¥])(?<![\w\s(][-−])(?<!^[-−])(?<!\w[‐‑–])"
_END = r"(?![\w%]|[.,]\d|[-‐‑–]\w)"
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"(?:1[89]|2[01])\d\d"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?(?!\d)"
_TO = r"(?:\s?[-‐‑–—]\s?|\sto\s)"
# Words are matched in any case: a heading writes "$1 Trillion".
_SCALE_WORD = r"(?i:thousand|million|billion|trillion|bn|tn|mn)"
_CURRENCY_SIGN = r"US\$|HK\$|A\$|C\$|\$|€|£|¥|￥|(?:USD|EUR|GBP|JPY|CNY|KRW|AUD|CAD)\s?"
_CURRENCY_WORD = (
    r"(?i:(?:U\.S\.\s)?dollars?|yen|euros?|yuan|renminbi|won|usd|eur|gbp|jpy|cny|krw|aud|cad|rmb)"
)
_DURATION_WORD = "(?i:" + "|".join(sorted(DURATION_UNITS, key=len, reverse=True)) + ")"

_FIGURE = re.compile(
    # Dates come first: their numbers are not counts.
    rf"{_START}(?P<dr1>{_DAY}){_TO}(?P<dr2>{_DAY})\s(?:of\s)?(?P<drm>{_MONTH})"
    rf"(?:,?\s(?P<dry>{_YEAR}))?(?!\d)"
    rf"|(?<!\w)(?P<mrm>{_MONTH})\s(?P<mr1>{_DAY}){_TO}(?P<mr2>{_DAY})"
    rf"(?:,?\s(?P<mry>{_YEAR}))?(?!\d)"
    rf"|(?<!\w)(?P<mdm>{_MONTH})\s(?P<mdd>{_DAY})(?:,?\s(?P<mdy>{_YEAR}))?(?!\d)"
    rf"|{_START}(?P<dmd>{_DAY})\s(?:of\s)?(?P<dmm>{_MONTH})(?:,?\s(?P<dmy>{_YEAR}))?(?!\d)"
    rf"|(?<!\w)(?P<mym>{_MONTH}),?\s(?P<myy>{_YEAR})(?!\d)"
    rf"|{_START}(?P<iso>{_YEAR}-[01]\d-[0-3]\d){_END}"
    rf"|{_START}(?P<yr1>{_YEAR})\s?[-‐‑–—/]\s?(?P<yr2>\d{{4}}|\d\d){_END}"
    # Times of day: 11:55, 11:55 a.m., 3 p.m.
    rf"|{_START}(?P<th>\d{{1,2}}):(?P<tm>[0-5]\d)"
    rf"(?:\s?(?P<tap>[AaPp]\.[Mm]\.|[AaPp][Mm](?!\w)))?(?![\w:]|[.,]\d)"
    rf"|{_START}(?P<th2>\d{{1,2}})\s?(?P<tap2>[AaPp]\.[Mm]\.|[AaPp][Mm](?!\w))"
    # Money: $95.2 billion, ¥1.5 trillion, USD 5m, 20 billion dollars, 3 million yen.
    rf"|(?<![\w$])(?P<cur>{_CURRENCY_SIGN})(?P<mn>{_NUMBER})"
    rf"(?:\s?(?P<ms>{_SCALE_WORD})|(?P<msx>[kKMB]))?{_END}"
    rf"|{_START}(?P<sn>{_NUMBER})(?:\s(?P<ss>{_SCALE_WORD}))?\s(?P<scw>{_CURRENCY_WORD})(?!\w)"
    # Percentages, durations, then plain numbers: counts and years.
    rf"|{_START}(?P<pn>{_NUMBER})\s?(?P<pu>%|(?i:percent|per\scent"
    r"|percentage\spoints?)(?!\w))"
    rf"|{_START}(?P<un>{_NUMBER})(?:\s|[-‐‑])(?P<uu>{_DURATION_WORD})(?![\w-])"
    rf"|{_START}(?P<cn>{_NUMBER})(?:\s(?P<cs>(?i:thousand|million|billion|trillion)))?{_END}"
)
# Every match of _FIGURE starts with one of these: a digit, a currency sign or code, or a
# month name (each begins with its three-letter abbreviation). Trying the long pattern only
# there is several times faster than letting it scan, as most text holds no figure.
_TRIGGER = re.compile(
    r"\d|[$€£¥￥]|(?<!\w)(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    r"|US\$|HK\$|A\$|C\$|USD|EUR|GBP|JPY|CNY|KRW|AUD|CAD)"
)
_QUALIFIERS = sorted(LOWER_BOUNDS | UPPER_BOUNDS | APPROXIMATE, key=len, reverse=True)
_QUALIFIER = re.compile(
    r"(?<![\w'’])(?P<q>" + "|".join(q.replace(" ", r"\s+") for q in _QUALIFIERS) + r")\s+$",
    re.IGNORECASE,
)
_QUALIFIER_REACH = 20  # characters before a figure where its qualifier may stand
_LOOK_BEHIND = 30  # characters before a word where the word before it is looked for
_NOUN_REACH = 3  # words after a number where the noun it counts is looked for
SHORT_YEAR_RANGE = 10  # "2023-24" spans a few years; "2025-02" is no year range
_ADJECTIVE_ENDS = ("al", "ic", "ive", "ous", "ary", "ese", "ish")
_SEPARATORS = re.compile(r"[,\s]")
_IS_YEAR = re.compile(_YEAR)
_INITIALS = re.compile(r"(?:[A-Za-z]\.)+")
_SPACE_CHAR = re.compile(r"\s")
_NEXT_VISIBLE = re.compile(r"[\"'”’)\]]*\s+[\"'“‘(\[]*(\S)")
_WORD_BEFORE = re.compile(r"([A-Za-z][\w.’'-]*)\s*$")
_TOKEN = re.compile(r"\s+([^\s]+)")
_TRAILING = ".,;:!?)]}”’\"'"
_SENTENCE_END = re.compile(r"\n|[.!?…](?=[\"'”’)\]]*\s)")
_ABBREVIATION = re.compile(
    r"(?:\b[A-Za-z]\.)*\b[A-Za-z]$|\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Sen|Rep|Gov|Prof|Inc|Corp"
    r"|Ltd|Co|No|vs|etc|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)$"
)


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure found in text: where, as written, what it measures, and its normalised value.

    `value` is a number for counts, money, percentages and durations (in `unit`), an ISO
    8601 string for a time ("11:55"), a date ("2025-02-07", "2025-02" for a month,
    "--02-07" without a year) or a year ("2024"), and a (start, end) pair of those for a
    range. `qualifier` is the word before the figure ("over", "approximately"), if any.
    """

    span: Span
    text: str
    kind: FigureKind
    value: Value
    unit: str | None = None
    qualifier: str | None = None

    @property
    def shown(self) -> str:
        """The figure as a reader would say it: qualifier and text."""
        return f"{self.qualifier} {self.text}" if self.qualifier else self.text

    @property
    def dimension(self) -> str | None:
        """What the figure can be compared with (same dimension), or None for nothing."""
        kind = self.kind
        if kind is FigureKind.COUNT:
            return f"count of {self.unit}" if self.unit else None
        if kind is FigureKind.MONEY:
            return f"money in {self.unit}"
        if kind is FigureKind.PERCENT:
            return "percentage points" if self.unit == "pp" else "percentage"
        if kind is FigureKind.DURATION:
            return f"duration ({DURATION_UNITS[self.unit or ''][1]} time)"
        if kind in (FigureKind.DATE, FigureKind.DATE_RANGE):
            first = self.value[0] if isinstance(self.value, tuple) else str(self.value)
            return "date without a year" if first.startswith("--") else "date"
        return "year" if kind is FigureKind.YEAR_RANGE else str(kind)

    @property
    def bounded(self) -> bool:
        """Whether the qualifier makes the figure an open bound ("over", "up to")."""
        return self.qualifier in LOWER_BOUNDS or self.qualifier in UPPER_BOUNDS

    @property
    def interval(self) -> tuple[float, float]:
        """The values the figure allows, on one scale per dimension, as a closed interval."""
        if isinstance(self.value, tuple):
            return _point(self.value[0])[0], _point(self.value[1])[1]
        if isinstance(self.value, str):
            return _point(self.value)
        number = self.value
        if self.kind is FigureKind.DURATION:
            number *= DURATION_UNITS[self.unit or ""][2]
        if self.qualifier in LOWER_BOUNDS:
            return number, math.inf
        if self.qualifier in UPPER_BOUNDS:
            return -math.inf, number
        return number, number


def _point(value: str) -> tuple[float, float]:
    """An ISO time, date, month, month-day or year as the interval of days (or minutes)."""
    if ":" in value:
        hours, minutes = value.split(":")
        moment = int(hours) * 60 + int(minutes)
        return moment, moment
    if value.startswith("--"):
        month, day = (int(part) for part in value[2:].split("-"))
        return month * 32 + day, month * 32 + day
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 3:
        ordinal = date(*parts).toordinal()
        return ordinal, ordinal
    year = parts[0]
    first, last = (parts[1], parts[1]) if len(parts) == 2 else (1, 12)
    return (
        date(year, first, 1).toordinal(),
        date(year, last, calendar.monthrange(year, last)[1]).toordinal(),
    )


def consistent(first: Figure, second: Figure) -> bool:
    """Whether two figures of one dimension can both be true.

    Equal values agree, and so does a value that lies within a range or bound of the other
    ("February 7, 2025" within "6-8 February, 2025"; 900,000 within "over 850,000"). Two
    different bounds are a difference: "over 850,000" and "over 1.5 million" state
    different figures, though both could hold.
    """
    a, b = first.interval, second.interval
    if a == b:
        return True
    if first.bounded and second.bounded:
        return False
    return (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])


def extract_figures(text: str, start: int = 0, end: int | None = None) -> tuple[Figure, ...]:
    """The figures in text[start:end], in text order, with spans into the whole text."""
    stop = len(text) if end is None else end
    found = []
    trigger = _TRIGGER.search(text, start, stop)
    while trigger is not None:
        # The same matches as _FIGURE.finditer, tried only where a figure can start.
        match = _FIGURE.match(text, trigger.start(), stop)
        if match is None:
            trigger = _TRIGGER.search(text, trigger.start() + 1, stop)
            continue
        figure = _figure(text, match, stop)
        if figure is not None:
            found.append(figure)
        trigger = _TRIGGER.search(text, match.end(), stop)
    return tuple(found)


def _figure(text: str, match: re.Match[str], stop: int) -> Figure | None:
    """The figure a match stands for, or None when it is a label or not a valid value."""
    group = match.group
    span = Span(match.start(), match.end())
    written = match.group()
    try:
        if group("drm") or group("mrm"):
            return _date_range(span, written, match)
        if group("mdm") or group("dmm") or group("mym") or group("iso"):
            return Figure(span, written, FigureKind.DATE, _date(match))
        if group("yr1"):
            return _year_range(span, written, int(group("yr1")), group("yr2"))
    except ValueError:  # February 30 and the like: not a date, and not a count either
        return None
    if group("th") or group("th2"):
        return _time(span, written, match)
    qualifier = _qualifier(text, span.start)
    if group("cur") or group("scw"):
        return _money(span, written, match, qualifier)
    if group("pn"):
        unit = "pp" if group("pu").lower().startswith("percentage") else "%"
        return Figure(span, written, FigureKind.PERCENT, _number(group("pn")), unit, qualifier)
    if group("un"):
        unit = DURATION_UNITS[group("uu").lower()][0]
        return Figure(span, written, FigureKind.DURATION, _number(group("un")), unit, qualifier)
    return _count(text, span, match, stop, qualifier)


def _number(digits: str, scale: int = 1) -> float:
    """A number as written (group separators dropped) times a scale, exact where it can be."""
    number = Decimal(_SEPARATORS.sub("", digits)) * scale
    return int(number) if number == number.to_integral_value() else float(number)


def _day(written: str) -> int:
    return int(written.rstrip("stndrh"))  # "7th" -> 7


def _month(written: str) -> int:
    return _MONTHS[written.rstrip(".")]


def _iso_day(year: str | None, month: int, day: int) -> str:
    """An ISO date, or month-day ("--02-07") without a year; ValueError when invalid."""
    if year is None:
        date(2000, month, day)  # a leap year, so February 29 stands
        return f"--{month:02d}-{day:02d}"
    return date(int(year), month, day).isoformat()


def _date(match: re.Match[str]) -> str:
    group = match.group
    if group("iso"):
        return date.fromisoformat(group("iso")).isoformat()
    if group("mym"):
        return f"{int(group('myy')):04d}-{_month(group('mym')):02d}"
    if group("mdm"):
        return _iso_day(group("mdy"), _month(group("mdm")), _day(group("mdd")))
    return _iso_day(group("dmy"), _month(group("dmm")), _day(group("dmd")))


def _date_range(span: Span, written: str, match: re.Match[str]) -> Figure:
    group = match.group
    if group("drm"):
        first, last, month, year = group("dr1"), group("dr2"), group("drm"), group("dry")
    else:
        first, last, month, year = group("mr1"), group("mr2"), group("mrm"), group("mry")
    start, end = _day(first), _day(last)
    if start >= end:
        raise ValueError("a range runs forward")
    number = _month(month)
    value = (_iso_day(year, number, start), _iso_day(year, number, end))
    return Figure(span, written, FigureKind.DATE_RANGE, value)


def _year_range(span: Span, written: str, first: int, last_written: str) -> Figure:
    last = int(last_written)
    if len(last_written) == 2:
        # "2023-24": the century of the first year; a short form spans a few years at most.
        last += first // 100 * 100
        if last <= first:
            last += 100
        if last - first > SHORT_YEAR_RANGE:
            raise ValueError("not a year range")
    if not 0 < last - first <= 100:
        raise ValueError("not a year range")
    return Figure(span, written, FigureKind.YEAR_RANGE, (str(first), str(last)))


def _time(span: Span, written: str, match: re.Match[str]) -> Figure | None:
    group = match.group
    hours = int(group("th") or group("th2"))
    minutes = int(group("tm") or 0)
    meridiem = (group("tap") or group("tap2") or "").lower()
    if meridiem:
        if not 1 <= hours <= 12:
            return None
        hours = hours % 12 + (12 if meridiem.startswith("p") else 0)
    elif hours > 23:
        return None
    return Figure(span, written, FigureKind.TIME, f"{hours:02d}:{minutes:02d}")


def _money(span: Span, written: str, match: re.Match[str], qualifier: str | None) -> Figure:
    group = match.group
    if group("cur"):
        sign = group("cur").strip()
        currency = CURRENCIES.get(sign) or CURRENCIES[sign.lower()]
        scale = (group("ms") or group("msx") or "").lower()
        digits = group("mn")
    else:
        currency = CURRENCIES[" ".join(group("scw").lower().split())]
        scale = (group("ss") or "").lower()
        digits = group("sn")
    value = _number(digits, SCALES.get(scale, 1))
    return Figure(span, written, FigureKind.MONEY, value, currency, qualifier)


def _count(
    text: str, span: Span, match: re.Match[str], stop: int, qualifier: str | None
) -> Figure | None:
    """A count with the class of what it counts, a year, or None for a label ("Article 5")."""
    before = _WORD_BEFORE.search(text, max(0, span.start - _LOOK_BEHIND), span.start)
    if before is not None and before.group(1).lower().rstrip(".") in LABEL_WORDS:
        return None
    digits, scale = match.group("cn"), match.group("cs")
    unit, noun_end = _noun(text, span.end, stop)
    if scale is None and _IS_YEAR.fullmatch(digits) and unit not in COUNT_CLASSES.values():
        return Figure(span, digits, FigureKind.YEAR, digits)
    value = _number(digits, SCALES[scale.lower()] if scale else 1)
    counted = Span(span.start, noun_end)
    written = text[counted.start : counted.end]
    return Figure(counted, written, FigureKind.COUNT, value, unit, qualifier)


def _noun(text: str, position: int, stop: int) -> tuple[str | None, int]:
    """The unit of what a number counts, read from the words after it, and where it ends.

    A few words are looked at: a known noun gives its class ("troops" -> "people");
    modifiers ("new", "U.S.", "naval") are passed over; the first other word is the unit
    itself ("vessels" -> "vessel"); a function word or punctuation ends the search.
    """
    end = position
    for _ in range(_NOUN_REACH):
        token = _TOKEN.match(text, end, stop)
        if token is None:
            break
        raw = token.group(1)
        word = raw if _INITIALS.fullmatch(raw) else raw.rstrip(_TRAILING)
        if not word or not word[0].isalpha():
            break
        lower = word.lower()
        word_end = token.start(1) + len(word)
        if lower in COUNT_CLASSES:
            return COUNT_CLASSES[lower], word_end
        if lower in _COUNT_STOPS:
            break
        if word[0].isupper() or lower in _COUNT_MODIFIERS or lower.endswith(_ADJECTIVE_ENDS):
            if len(word) != len(raw):
                break  # punctuation closes the phrase
            end = word_end
            continue
        return _singular(lower), word_end
    return None, position


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
        return word[:-1]
    return word


def _qualifier(text: str, start: int) -> str | None:
    """The qualifying word or words just before a figure, lowercased, if any."""
    found = _QUALIFIER.search(text, max(0, start - _QUALIFIER_REACH), start)
    if found is None:
        return None
    qualifier = " ".join(found.group("q").lower().split())
    if qualifier == "over":
        head = _WORD_BEFORE.search(text, max(0, found.start() - _LOOK_BEHIND), found.start())
        if head is not None and head.group(1).lower() in OVER_AS_PREPOSITION:
            return None
    return qualifier


def sentence_around(text: str, span: Span, limit: int = SENTENCE_LIMIT) -> Span:
    """The sentence holding a span: from the sentence end before it to the one after it.

    A line break always ends a sentence; a full stop does unless it closes an
    abbreviation ("U.S.", "a.m.") or a lowercase word follows. The sentence reaches at most
    `limit` characters either side of the span, cut at white space.
    """
    low = max(0, span.start - limit)
    start = low if low == 0 else _after_space(text, low, span.start)
    for mark in _SENTENCE_END.finditer(text, low, span.start):
        if _ends_sentence(text, mark):
            start = mark.end()
    high = min(len(text), span.end + limit)
    end = high if high == len(text) else _before_space(text, span.end, high)
    for mark in _SENTENCE_END.finditer(text, max(span.start, span.end - 1), high):
        if _ends_sentence(text, mark):
            end = mark.end()
            break
    return Span(start, max(end, span.end))


def _after_space(text: str, low: int, high: int) -> int:
    found = _SPACE_CHAR.search(text, low, high)
    return found.end() if found else low


def _before_space(text: str, low: int, high: int) -> int:
    last = max(text.rfind(" ", low, high), text.rfind("\n", low, high))
    return high if last < 0 else last


def _ends_sentence(text: str, mark: re.Match[str]) -> bool:
    if mark.group() == "\n":
        return True
    if mark.group() == "." and _ABBREVIATION.search(text, max(0, mark.start() - 8), mark.start()):
        return False
    following = _NEXT_VISIBLE.match(text, mark.end())
    return following is None or not following.group(1).islower()


# Comparing the figures of each claim across sources


@dataclass(frozen=True, slots=True)
class ClaimPlace:
    """A claim, named by its brief and its position there (with its id when it has one)."""

    brief_path: str
    brief_title: str
    claim_index: int
    claim_key: str  # the claim's stable name: its id, or a key derived from its text
    claim_id: str | None
    text: str


@dataclass(frozen=True, slots=True)
class SourcedFigure:
    """A figure a source gives for a claim, with the passage it came with.

    `in_passage` is false for a figure in the sentence around the passage but outside
    its quote; `passage_index` is the passage's position in its claim.
    """

    figure: Figure
    source_path: str
    source_key: str
    label: str
    passage_index: int
    stance: Stance
    in_passage: bool
    line: int


@dataclass(frozen=True, slots=True)
class Difference:
    """Two sources' figures of one dimension, for one claim, that cannot both hold."""

    claim: ClaimPlace
    first: SourcedFigure
    second: SourcedFigure


@dataclass(frozen=True, slots=True)
class ClaimFigures:
    """Every figure the sources give for one claim, and the differences among them."""

    claim: ClaimPlace
    figures: tuple[SourcedFigure, ...]
    differences: tuple[Difference, ...]

    def differing(self) -> frozenset[SourcedFigure]:
        """The figures that take part in some difference."""
        return frozenset(
            side
            for difference in self.differences
            for side in (difference.first, difference.second)
        )

    def dimensions_differing(self) -> tuple[str, ...]:
        """The dimensions in which the sources differ, in the order their figures come."""
        seen = {d.first.figure.dimension for d in self.differences}
        ordered = (f.figure.dimension for f in self.figures)
        return tuple(dict.fromkeys(d for d in ordered if d is not None and d in seen))


@dataclass(frozen=True, slots=True)
class FigureComparison:
    """The figures of every claim that has any, in library order."""

    claims: tuple[ClaimFigures, ...]

    @property
    def differences(self) -> tuple[Difference, ...]:
        """Every difference in the library, claim by claim."""
        return tuple(d for claim in self.claims for d in claim.differences)


def compare_figures(library: Library, briefs: Iterable[Brief] | None = None) -> FigureComparison:
    """The figures each source gives for each claim (of these briefs), and where they differ."""
    cache: dict[tuple[str, Span], tuple[Figure, ...]] = {}
    claims = []
    for brief in library.briefs if briefs is None else briefs:
        labels = {bs.key: file_label((bs.meta,), bs.source.path) for bs in brief.sources}
        for index, claim in enumerate(brief.claims):
            place = ClaimPlace(brief.path, brief.title, index, claim.key, claim.id, claim.text)
            figures = tuple(_claim_figures(brief, claim.passages, labels, cache))
            if figures:
                claims.append(ClaimFigures(place, figures, _differences(place, figures)))
    return FigureComparison(tuple(claims))


def _claim_figures(
    brief: Brief,
    passages: Iterable[Passage],
    labels: dict[str, str],
    cache: dict[tuple[str, Span], tuple[Figure, ...]],
) -> Iterator[SourcedFigure]:
    """A claim's figures, one per place in a source, by source (first quoted first)."""
    found: dict[tuple[str, Span], SourcedFigure] = {}
    order: dict[str, int] = {}
    for index, passage in enumerate(passages):
        brief_source = brief.source(passage.source_key)
        span = passage.span
        if brief_source is None or span is None:
            continue  # an orphan has no place in its source, so no sentence around it
        source = brief_source.source
        order.setdefault(source.path, len(order))
        for figure in _figures_around(source, span, cache):
            inside = span.start <= figure.span.start and figure.span.end <= span.end
            key = (source.path, figure.span)
            known = found.get(key)
            if known is None or (inside and not known.in_passage):
                found[key] = SourcedFigure(
                    figure,
                    source.path,
                    brief_source.key,
                    labels[brief_source.key],
                    index,
                    passage.stance,
                    inside,
                    source.line_at(figure.span.start),
                )
    yield from sorted(found.values(), key=lambda f: (order[f.source_path], f.figure.span))


def _figures_around(
    source: Source, span: Span, cache: dict[tuple[str, Span], tuple[Figure, ...]]
) -> tuple[Figure, ...]:
    """The figures in the sentence around a span, extracted once per sentence."""
    sentence = sentence_around(source.text, span)
    key = (source.path, sentence)
    if key not in cache:
        cache[key] = extract_figures(source.text, sentence.start, sentence.end)
    return cache[key]


def _differences(place: ClaimPlace, figures: tuple[SourcedFigure, ...]) -> tuple[Difference, ...]:
    """Pairs of figures from different source files, of one dimension, that disagree."""
    found = []
    for number, first in enumerate(figures):
        dimension = first.figure.dimension
        if dimension is None:
            continue
        for second in figures[number + 1 :]:
            if (
                second.source_path != first.source_path
                and second.figure.dimension == dimension
                and not consistent(first.figure, second.figure)
            ):
                found.append(Difference(place, first, second))
    return tuple(found)
