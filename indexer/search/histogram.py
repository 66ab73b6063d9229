"""Date histograms from per-day counts: the interval rule and the bucket labels.

Engines count articles per day (Whoosh over its day column, OpenSearch with a histogram
aggregation); this module turns those counts into the buckets users see, so both engines
choose the same interval and label buckets alike.
"""

from __future__ import annotations

from datetime import date

INTERVALS = ("year", "month", "day")


def choose_interval(first: int, last: int) -> str:
    """Year buckets past three years of matches, months past three months, else days."""
    span = last - first
    return "year" if span > 3 * 366 else "month" if span > 92 else "day"


def bucket_label(day: int, interval: str) -> str:
    """``1987``, ``1987-03`` or ``1987-03-02`` for a day ordinal."""
    d = date.fromordinal(day)
    return {"year": f"{d.year:04d}", "month": f"{d.year:04d}-{d.month:02d}",
            "day": d.isoformat()}[interval]


def _next(label: str, interval: str) -> str:
    if interval == "year":
        return f"{int(label) + 1:04d}"
    if interval == "month":
        y, m = int(label[:4]), int(label[5:7])
        return f"{y + m // 12:04d}-{m % 12 + 1:02d}"
    return date.fromordinal(date.fromisoformat(label).toordinal() + 1).isoformat()


def histogram(day_counts: dict[int, int], interval: str | None = None
              ) -> tuple[str, list[tuple[str, int]]]:
    """Counts per bucket, empty buckets between the first and last filled in (a gap in
    coverage shows as a gap). Day 0 means undated and is left out."""
    days = {d: c for d, c in day_counts.items() if d > 0 and c}
    if not days:
        return interval or "year", []
    interval = interval or choose_interval(min(days), max(days))
    counts: dict[str, int] = {}
    for day, count in days.items():
        label = bucket_label(day, interval)
        counts[label] = counts.get(label, 0) + count
    label, last = bucket_label(min(days), interval), bucket_label(max(days), interval)
    out = [(label, counts.get(label, 0))]
    while label != last:
        label = _next(label, interval)
        out.append((label, counts.get(label, 0)))
    return interval, out
