"""Date histograms from per-day counts: the intervals, the interval rule and the labels.

Engines count articles per day (Whoosh over its day column, OpenSearch with a histogram
aggregation); this module turns those days into the buckets users see, so both engines
choose the same interval, cover the same range and label buckets alike. It is the one
declaration of the intervals: the search timeline, ``compare`` and ``bursts`` all bucket
here.

Buckets are numbered so that consecutive buckets have consecutive numbers: days are day
ordinals, weeks count Mondays (ISO weeks: ordinal 1, 1 January of year 1, is a Monday),
months and years count from 1970 as numpy's ``datetime64`` does.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from indexer.search.model import DateHistogram, FacetValue, QueryError

#: Every interval a caller may force, coarsest first (``choose_interval`` picks among
#: year, month and day; week is asked for by name).
INTERVALS = ("year", "month", "week", "day")
#: Most buckets one histogram may hold: a forced day interval over centuries would
#: otherwise allocate millions of empty buckets.
MAX_BUCKETS = 10_000
_EPOCH = date(1970, 1, 1).toordinal()
_UNIT = {"year": "Y", "month": "M"}

#: (first day, last day) as day ordinals: the range a histogram's buckets must cover.
Span = tuple[int, int]
#: A caller's range for a timeline: (first, last), None for "the archive's first/last day".
DateSpan = tuple[date | None, date | None]


def choose_interval(first: int, last: int) -> str:
    """Year buckets past three years of matches, months past three months, else days."""
    span = last - first
    return "year" if span > 3 * 366 else "month" if span > 92 else "day"


def check_interval(interval: str) -> str:
    """The interval, or a QueryError naming the ones there are."""
    if interval not in INTERVALS:
        raise QueryError(f"interval must be one of {', '.join(INTERVALS)}, "
                         f"not {interval[:20]!r}")
    return interval


def bucket_numbers(days: np.ndarray, interval: str) -> np.ndarray:
    """The bucket number of each day ordinal (int64)."""
    days = np.asarray(days, dtype=np.int64)
    if interval == "day":
        return days
    if interval == "week":
        return (days - 1) // 7
    moments = (days - _EPOCH).astype("datetime64[D]")
    return moments.astype(f"datetime64[{_UNIT[interval]}]").astype(np.int64)


def bucket_start(number: int, interval: str) -> date:
    """The first day of a bucket."""
    if interval == "day":
        return date.fromordinal(number)
    if interval == "week":
        return date.fromordinal(number * 7 + 1)
    moment = np.datetime64(number, _UNIT[interval]).astype("datetime64[D]")
    return date.fromordinal(int(moment.astype(np.int64)) + _EPOCH)


def bucket_range(number: int, interval: str) -> tuple[date, date]:
    """The first and last day of a bucket (for links that narrow a search to it)."""
    return (bucket_start(number, interval),
            bucket_start(number + 1, interval) - timedelta(days=1))


def label(number: int, interval: str) -> str:
    """``1987``, ``1987-03``, ``1987-W10`` (ISO week) or ``1987-03-02``."""
    start = bucket_start(number, interval)
    if interval == "year":
        return f"{start.year:04d}"
    if interval == "month":
        return f"{start.year:04d}-{start.month:02d}"
    if interval == "week":
        year, week, _ = start.isocalendar()
        return f"{year:04d}-W{week:02d}"
    return start.isoformat()


def label_range(text: str, interval: str) -> tuple[date, date]:
    """The first and last day of the bucket a label names (inverse of ``label``)."""
    if interval == "week":
        year, week = text.split("-W")
        first = date.fromisocalendar(int(year), int(week), 1)
    elif interval == "year":
        first = date(int(text), 1, 1)
    elif interval == "month":
        first = date(int(text[:4]), int(text[5:7]), 1)
    else:
        first = date.fromisoformat(text)
    return bucket_range(int(bucket_numbers(np.array([first.toordinal()]), interval)[0]),
                        interval)


def histogram_days(days: np.ndarray, weights: np.ndarray | None = None,
                   interval: str | None = None, span: Span | None = None
                   ) -> tuple[str, list[tuple[str, int]]]:
    """Counts per bucket of day ordinals (each weighted, e.g. by its article count).

    Without ``span`` the buckets run from the first to the last dated day, empty buckets
    between filled in (a gap in coverage shows as a gap); with it they cover the span
    exactly and days outside it are left out, so several histograms line up bucket for
    bucket. Day 0 means undated and is left out. Without ``interval`` it is chosen from
    the range covered (``choose_interval``).
    """
    days = np.asarray(days, dtype=np.int64)
    weights = np.ones(len(days), dtype=np.int64) if weights is None else \
        np.asarray(weights, dtype=np.int64)
    keep = (days > 0) & (weights > 0)
    days, weights = days[keep], weights[keep]
    if span is None:
        if not len(days):
            return interval or "year", []
        span = int(days.min()), int(days.max())
    interval = interval or choose_interval(*span)
    first, last = bucket_numbers(np.array(span), interval)
    size = int(last - first) + 1
    if size > MAX_BUCKETS:
        raise QueryError(f"{size:,} {interval} buckets from {date.fromordinal(span[0])} to "
                         f"{date.fromordinal(span[1])}: at most {MAX_BUCKETS:,}; choose a "
                         f"longer interval or a shorter date range")
    inside = (days >= span[0]) & (days <= span[1])
    counts = np.bincount(bucket_numbers(days[inside], interval) - first,
                         weights=weights[inside], minlength=size)
    return interval, [(label(int(first) + i, interval), int(c)) for i, c in enumerate(counts)]


def _array(values: object) -> np.ndarray | None:
    return None if values is None else np.asarray(values, dtype=np.int64)


def _dated_range(days: np.ndarray, weights: np.ndarray | None) -> Span | None:
    keep = days > 0 if weights is None else (days > 0) & (weights > 0)
    dated = days[keep]
    return (int(dated.min()), int(dated.max())) if len(dated) else None


def timeline(matched: tuple[np.ndarray, np.ndarray | None],
             archive: tuple[np.ndarray, np.ndarray | None], interval: str | None = None,
             span: DateSpan | None = None) -> DateHistogram:
    """Matching articles and all articles per bucket (``DateHistogram``) from the day
    ordinals of the matches and of the whole archive, each with optional weights (an
    aggregation's per-day counts; None counts each day once).

    Without ``span`` the buckets run over the matches' dates (none: no buckets); with it
    over (first, last), an open end (None) meaning the archive's first or last dated day,
    so every timeline asked with the same span has the same buckets (``compare``).
    """
    if interval is not None:
        check_interval(interval)
    m_days, m_weights = (_array(a) for a in matched)
    a_days, a_weights = (_array(a) for a in archive)
    if span is None:
        days = _dated_range(m_days, m_weights)
    else:
        whole = _dated_range(a_days, a_weights)
        first, last = span
        if whole is None and (first is None or last is None):
            days = None
        else:
            lo = first.toordinal() if first else whole[0]
            hi = last.toordinal() if last else whole[1]
            days = (lo, max(lo, hi))
    if days is None:
        return DateHistogram(interval or "year", [])
    interval, counts = histogram_days(m_days, m_weights, interval, days)
    if span is None:  # "all" counts whole buckets; with a span, the days inside it
        days = (label_range(counts[0][0], interval)[0].toordinal(),
                label_range(counts[-1][0], interval)[1].toordinal())
    _, totals = histogram_days(a_days, a_weights, interval, days)
    return DateHistogram(interval, [FacetValue(key, count) for key, count in counts],
                         [total for _, total in totals])
