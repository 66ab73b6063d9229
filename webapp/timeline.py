"""The timeline: a server-rendered SVG bar chart of matching articles per date bucket.

Built as plain data here (bars with their geometry, tooltip and link) and drawn by the
``timeline`` template macro, so it needs no script and works under a strict CSP. Each
bar links to the same search narrowed to its bucket: ``from`` and ``to`` both set to the
bucket label (``1987``, ``1987-03`` or ``1987-03-02``), which the URL parser reads as the
start and end of that year, month or day.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from indexer.insights.bursts import Burst

MODES = ("count", "share")
BAR_WIDTH = 10.0  # SVG user units per bucket; the SVG stretches to the page width
HEIGHT = 100.0
MIN_BAR = 1.5  # a bucket with any match stays visible and clickable


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    total: int | None  # all articles in the bucket, when known
    x: float
    y: float
    height: float
    title: str
    href: str


@dataclass(frozen=True)
class Band:
    """A burst (indexer/insights/bursts.py): a shaded stretch of buckets behind the bars."""

    x: float
    width: float
    title: str
    index: int = 0  # the series it belongs to on the compare chart (colour class)


def burst_bands(labels: Sequence[str], found: Sequence[Burst], name: str = "",
                index: int = 0) -> list[Band]:
    """Bands for bursts over buckets ``labels``: one per burst, titled with its dates."""
    place = {label: i for i, label in enumerate(labels)}
    who = f" of {name}" if name else ""
    return [Band(place[b.start] * BAR_WIDTH, (place[b.end] - place[b.start] + 1) * BAR_WIDTH,
                 f"Burst{who}: {b.start}" + (f" to {b.end}" if b.end != b.start else "")
                 + f", weight {b.weight:.1f}", index)
            for b in found]


@dataclass(frozen=True)
class Chart:
    interval: str
    mode: str
    bars: list[Bar]
    peak: str  # the value at the top of the scale, e.g. "42" or "3.5%"
    bands: list[Band] = field(default_factory=list)

    bar_width: float = BAR_WIDTH

    @property
    def width(self) -> float:
        return BAR_WIDTH * len(self.bars)

    @property
    def height(self) -> float:
        return HEIGHT


def _share(count: int, total: int | None) -> float:
    return count / total if total else 0.0


def build_chart(interval: str, buckets: Sequence[tuple[str, int, int | None]], mode: str,
                href: Callable[[str], str], bursts: Sequence[Burst] = ()) -> Chart | None:
    """A chart of (bucket, matching, all-in-bucket) rows, or None when nothing is dated.

    ``mode`` "share" plots matching/all (needs the totals), "count" the raw counts;
    ``bursts`` are drawn as bands behind the bars.
    """
    if not buckets or not any(count for _, count, _ in buckets):
        return None
    values = [_share(c, t) if mode == "share" else float(c) for _, c, t in buckets]
    top = max(values) or 1.0
    bars = []
    for i, ((label, count, total), value) in enumerate(zip(buckets, values, strict=True)):
        height = max(MIN_BAR, HEIGHT * value / top) if count else 0.0
        title = f"{label}: {count:,} article{'s' if count != 1 else ''}"
        if total:
            title += f" of {total:,} ({100 * count / total:.1f}%)"
        bars.append(Bar(label, count, total, i * BAR_WIDTH, HEIGHT - height, height, title,
                        href(label)))
    peak = f"{100 * top:.1f}%" if mode == "share" else f"{int(top):,}"
    return Chart(interval, mode, bars, peak, burst_bands([b.label for b in bars], bursts))
