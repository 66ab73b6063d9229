"""The compare chart: one server-rendered SVG line per series over shared buckets.

Like the search timeline (``webapp/timeline.py``) it is plain data drawn by a template
macro, with no script, so it works under the strict CSP. Series colours are CSS classes
(``series-0`` … ``series-4``), shared by the lines and the legend. Each bucket has an
invisible column whose tooltip lists every series' value there.
"""

from __future__ import annotations

from dataclasses import dataclass

from indexer.insights.bursts import Burst
from indexer.insights.compare import Comparison
from webapp.timeline import BAR_WIDTH, HEIGHT, Band, burst_bands


@dataclass(frozen=True)
class Line:
    index: int  # colour class series-<index>
    query: str
    total: int
    points: str  # SVG polyline points "x,y x,y …"


@dataclass(frozen=True)
class Column:
    label: str
    x: float
    title: str  # "1987-03: tin 12 (0.4%) · oil 40 (1.3%)"


@dataclass(frozen=True)
class CompareChart:
    interval: str
    mode: str
    lines: list[Line]
    columns: list[Column]
    bands: list[Band]
    peak: str
    bar_width: float = BAR_WIDTH
    height: float = HEIGHT

    @property
    def width(self) -> float:
        return BAR_WIDTH * len(self.columns)


def build_compare_chart(comparison: Comparison, mode: str,
                        bursts: list[list[Burst]] | None = None) -> CompareChart | None:
    """The chart of a comparison in "count" or "share" mode; None without buckets."""
    if not comparison.series or not comparison.series[0].buckets:
        return None
    def value(b):  # noqa: ANN001, ANN202 - a compare Bucket
        return b.share if mode == "share" else float(b.count)
    top = max((value(b) for s in comparison.series for b in s.buckets), default=0.0) or 1.0
    lines = []
    for i, s in enumerate(comparison.series):
        points = " ".join(f"{(j + 0.5) * BAR_WIDTH:g},{HEIGHT - HEIGHT * value(b) / top:.2f}"
                          for j, b in enumerate(s.buckets))
        lines.append(Line(i, s.query, s.total, points))
    labels = [b.value for b in comparison.series[0].buckets]
    columns = []
    for j, label in enumerate(labels):
        parts = [f"{s.query or '(all)'} {s.buckets[j].count:,} "
                 f"({100 * s.buckets[j].share:.1f}%)" for s in comparison.series]
        columns.append(Column(label, j * BAR_WIDTH, f"{label}: " + " · ".join(parts)))
    bands = [band for i, found in enumerate(bursts or [])
             for band in burst_bands(labels, found, comparison.series[i].query or "(all)", i)]
    peak = f"{100 * top:.1f}%" if mode == "share" else f"{int(top):,}"
    return CompareChart(comparison.interval, mode, lines, columns, bands, peak)
