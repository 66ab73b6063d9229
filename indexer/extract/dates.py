"""Publication date and the dates an article talks about.

Mentioned dates are resolved against the publication date into ISO strings of day
("2018-05-12"), month ("2018-06"), year ("2018") or decade ("1970s") precision, so
"articles that talk about 12 May 2018" is a facet query. Regular expressions and the
standard library do the work (~0.1 ms per article); dateparser's ``search_dates`` is
~100x slower and reads the verb "may" as a month.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, datetime, timedelta

MONTHS = {
    name: i
    for i, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")],
        start=1,
    )
    for name in names
}
WEEKDAYS = {d: i for i, d in enumerate(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>1[89]\d\d|20\d\d)"


class _WordStart:
    """A pattern opening with a word character, searched as ``\\b`` + pattern, match for match.

    A leading ``\\b`` keeps the regex engine from skipping ahead to the characters a
    pattern can start with ("J", "F", "M"... for a month), so every position of the text
    is tried, ~4x slower; here the boundary is checked on each hit instead, and a hit
    inside a word is searched past, as ``re.finditer`` would.
    """

    def __init__(self, pattern: str) -> None:
        self.pattern = re.compile(pattern)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        pos = 0
        while (m := self.pattern.search(text, pos)) is not None:
            start = m.start()
            if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
                pos = start + 1
                continue
            yield m
            pos = m.end()


_PATTERNS: list[tuple[str, _WordStart | re.Pattern[str]]] = [
    # ISO dates in text: 2018-05-12
    ("iso", _WordStart(r"(?P<year>1[89]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b")),
    # May 12, 2018 / May 12 / 12 May 2018 / 12 May
    ("mdy", _WordStart(rf"{_MONTH}\s+{_DAY}\b(?!\s*(?:%|per|pct|mln|billion|million))(?:,?\s+{_YEAR}\b)?")),
    ("dmy", _WordStart(rf"{_DAY}\s+{_MONTH}(?:,?\s+{_YEAR}\b)?")),
    # May 2018 / in June / early June / by mid-July
    ("my", _WordStart(rf"{_MONTH}(?:,)?\s+{_YEAR}\b")),
    ("m", _WordStart(rf"{_MONTH}\b(?!\s+\d)")),
    # the 1970s / the '80s
    ("decade", re.compile(r"\b(?P<decade>1[89]\d0|20\d0)'?s\b|['’](?P<short>[0-9]0)s\b")),
    ("year", _WordStart(r"(?P<year>1[89]\d\d|20\d\d)\b(?!['’]?s)")),
    ("weekday", _WordStart(r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("relative", _WordStart(r"(?P<rel>[Yy]esterday|[Tt]oday|[Tt]omorrow)\b")),
]
# Patterns the regex engine cannot skip ahead for (their first character is a class or a
# boundary) run only on texts holding a piece every match contains.
_NEEDS = {"decade": ("0s", "0's"), "relative": ("esterday", "oday", "omorrow")}
# Words that must precede a bare month, year or weekday for it to be a date: each
# pattern above starts on its distinctive token (fast to scan for), and the words
# before it are checked on a short slice.
_BEFORE = {
    "m": re.compile(r"\b(?P<cue>in|early|late|mid|since|until|till|by|through|last|next|this|from|of|end of|"
                    r"beginning of)[\s-]+(?:in\s+)?$"),
    "year": re.compile(r"\b(?:in|since|by|until|of|from|during|before|after|year|early|late|mid)[\s-]+$"),
    "weekday": re.compile(r"(?:\b(?P<rel>last|next|this|on|late|early)\s+)?$"),
    "decade": re.compile(r"(?:\bthe\s+)?$"),
}
_FUTURE = re.compile(r"\b(?:will|shall|'ll|is due|are due|is expected|are expected|is scheduled|are scheduled|plans? to|next)\b")
_PUBLISHED_PATTERNS = [
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b"),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b"),
    re.compile(r"\b(?P<year>1[89]\d\d|20\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)\b"),
]


def _month_number(text: str) -> int:
    return int(text) if text.isdigit() else MONTHS[text.lower().rstrip(".")]


def infer_published(dateline: str, text: str) -> date | None:
    """A publication date from the dateline or the first lines, when metadata has none."""
    for source in (dateline, text[:400]):
        for pattern in _PUBLISHED_PATTERNS:
            m = pattern.search(source)
            if m:
                try:
                    return date(int(m.group("year")), _month_number(m.group("month")), int(m.group("day")))
                except ValueError:
                    continue
    return None


def _nearest_year(month: int, day: int, ref: date) -> int:
    """The year that puts month/day closest to the reference date (news looks both ways)."""
    best = ref.year
    for year in (ref.year - 1, ref.year, ref.year + 1):
        try:
            candidate = date(year, month, min(day, 28))
        except ValueError:
            continue
        if abs((candidate - ref).days) < abs((date(best, month, min(day, 28)) - ref).days):
            best = year
    return best


def _sentence_before(text: str, pos: int) -> str:
    start = max(text.rfind(".", 0, pos), text.rfind("\n", 0, pos), pos - 200)
    return text[start + 1:pos]


def mentioned_dates(text: str, published: date | datetime | None) -> list[str]:
    """ISO strings for dates the text mentions, resolved against the publication date.

    Without a publication date only self-contained dates (with a year, or decades) can
    be resolved; "Monday" and "May 12" are then skipped rather than guessed.
    """
    ref = published.date() if isinstance(published, datetime) else published
    found: dict[str, None] = {}
    covered: list[tuple[int, int]] = []
    for kind, pattern in _PATTERNS:
        if kind in _NEEDS and not any(piece in text for piece in _NEEDS[kind]):
            continue
        for m in pattern.finditer(text):
            if any(s <= m.start() < e or s < m.end() <= e for s, e in covered):
                continue
            before = None
            if kind in _BEFORE:
                before = _BEFORE[kind].search(text, max(0, m.start() - 24), m.start())
                if before is None:
                    continue
                if kind == "decade" and m.group("short") and not before.group():
                    continue  # "'80s" needs "the"
            value = _resolve(kind, m, text, ref, before)
            if value:
                found[value] = None
                covered.append((m.start(), m.end()))
    return list(found)


def _resolve(kind: str, m: re.Match[str], text: str, ref: date | None, before: re.Match[str] | None) -> str | None:
    groups = {**(before.groupdict() if before else {}), **{k: v for k, v in m.groupdict().items() if v}}
    try:
        if kind in ("iso", "mdy", "dmy"):
            month, day = _month_number(groups["month"]), int(groups["day"])
            if groups.get("year"):
                year = int(groups["year"])
            elif ref is not None:
                year = _nearest_year(month, day, ref)
            else:
                return None
            return date(year, month, day).isoformat()
        if kind == "my":
            return f"{int(groups['year']):04d}-{_month_number(groups['month']):02d}"
        if kind == "m":
            if ref is None:
                return None
            month = _month_number(groups["month"])
            cue = groups["cue"].lower()
            if cue == "last":
                year = ref.year if month < ref.month else ref.year - 1
            elif cue == "next":
                year = ref.year if month > ref.month else ref.year + 1
            else:
                year = _nearest_year(month, 15, ref)
            return f"{year:04d}-{month:02d}"
        if kind == "decade":
            if groups.get("short"):
                return f"19{groups['short']}s"
            return f"{groups['decade']}s"
        if kind == "year":
            return groups["year"]
        if kind == "weekday" and ref is not None:
            target = WEEKDAYS[groups["weekday"].lower()]
            rel = (groups.get("rel") or "").lower()
            delta = (ref.weekday() - target) % 7
            future = rel == "next" or (rel != "last" and bool(_FUTURE.search(_sentence_before(text, m.start()))))
            if future:
                delta = -((target - ref.weekday()) % 7 or 7)
            elif rel == "last" and delta == 0:
                delta = 7
            return (ref - timedelta(days=delta)).isoformat()
        if kind == "relative" and ref is not None:
            offset = {"yesterday": -1, "today": 0, "tomorrow": 1}[groups["rel"].lower()]
            return (ref + timedelta(days=offset)).isoformat()
    except ValueError:
        return None
    return None
