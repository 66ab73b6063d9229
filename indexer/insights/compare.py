"""Compare queries over time: several searches on one timeline, as counts or shares.

Each series is one query in the query language, so each carries its own filters
(``tin person:reagan``, ``oil country:iran date:1987-03``); the date range (``from``,
``to``) and the interval apply to all of them. Every series is asked for the same
buckets (one forced interval, one forced span: ``Engine.timeline``), so bucket i of
each series is the same period and ``share`` = count / all articles of that period.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from indexer.search.engine import Engine
from indexer.search.model import QueryError, SearchRequest

#: Most series one comparison may hold (issue 14: "up to 5 searches").
MAX_SERIES = 5
CSV_HEADER = ("query", "bucket", "count", "all", "share")


@dataclass(frozen=True)
class Bucket:
    value: str  # the bucket's label: 1987, 1987-03, 1987-W10 or 1987-03-02
    count: int  # articles of the series in it
    all: int  # articles of the whole archive in it

    @property
    def share(self) -> float:
        return self.count / self.all if self.all else 0.0


@dataclass(frozen=True)
class Series:
    query: str
    total: int  # every match, dated or not, as the search reports it
    buckets: list[Bucket]


@dataclass(frozen=True)
class Comparison:
    interval: str
    series: list[Series]

    def to_json(self) -> dict[str, object]:
        """The documented shape of ``/api/compare`` and ``newsearch compare --format json``."""
        return {"interval": self.interval, "series": [
            {"query": s.query, "total": s.total,
             "buckets": [{"value": b.value, "count": b.count, "all": b.all,
                          "share": round(b.share, 6)} for b in s.buckets]}
            for s in self.series]}

    def to_table(self) -> str:
        """Buckets down, series across: each cell the count and its share of the bucket."""
        names = [s.query or "(all)" for s in self.series]
        rows = [[b.value for b in self.series[0].buckets]] if self.series else [[]]
        cells = [[f"{b.count:,} ({100 * b.share:.1f}%)" for b in s.buckets]
                 for s in self.series]
        widths = [max([len(self.interval), *map(len, rows[0])])] + [
            max([len(n), *map(len, c)]) for n, c in zip(names, cells, strict=True)]
        lines = ["  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in
                           enumerate(zip([self.interval, *names], widths, strict=True)))]
        for j, label in enumerate(rows[0]):
            lines.append("  ".join([label.ljust(widths[0]), *(
                c[j].rjust(w) for c, w in zip(cells, widths[1:], strict=True))]))
        lines.append("  ".join(["total".ljust(widths[0]), *(
            f"{s.total:,}".rjust(w) for s, w in zip(self.series, widths[1:], strict=True))]))
        return "\n".join(lines) + "\n"

    def to_csv(self) -> str:
        """One row per series and bucket (``CSV_HEADER``): the chart's data, long form."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_HEADER)
        for s in self.series:
            for b in s.buckets:
                writer.writerow((s.query, b.value, b.count, b.all, f"{b.share:.6f}"))
        return out.getvalue()


def check_queries(queries: Sequence[str]) -> list[str]:
    """The queries to compare (blank ones dropped), or a QueryError saying how many."""
    kept = [q.strip() for q in queries if q.strip()]
    if not kept:
        raise QueryError("give at least one query to compare")
    if len(kept) > MAX_SERIES:
        raise QueryError(f"at most {MAX_SERIES} queries can be compared, not {len(kept)}")
    return kept


def compare(engine: Engine, queries: Sequence[str], interval: str | None = None,
            date_from: date | None = None, date_to: date | None = None) -> Comparison:
    """Each query's timeline over the same buckets, with its total.

    The span is ``date_from``..``date_to``, an open end being the archive's first or
    last dated day; without ``interval`` it is chosen from that span as the search
    timeline chooses it. Costs two requests per query (its timeline and its count).
    """
    kept = check_queries(queries)
    requests = [SearchRequest(query=q, date_from=date_from, date_to=date_to, limit=1,
                              highlight=False, with_facets=False, fold_duplicates=False)
                for q in kept]
    span = (date_from, date_to)
    chosen = interval
    rows = []
    for req in requests:  # the first timeline fixes the interval for the rest
        dates = engine.timeline(req, chosen, span)
        chosen = dates.interval
        rows.append(dates.rows())
    series = [Series(req.query, engine.search(req).total,
                     [Bucket(label, count, total) for label, count, total in buckets])
              for req, buckets in zip(requests, rows, strict=True)]
    return Comparison(chosen or "year", series)
