"""Shared helpers for the benchmark scripts: the query list, requests, percentiles."""

from __future__ import annotations

import json
import os
import statistics
from datetime import date
from pathlib import Path

from indexer.search.model import SearchRequest

BENCH = Path(__file__).resolve().parent
# ../shared beside the repository; NEWSEARCH_SHARED overrides it (bench/scale.py runs a
# snapshot of the code from another folder and passes the real location on).
SHARED = Path(os.environ.get("NEWSEARCH_SHARED") or BENCH.parent.parent / "shared")
REUTERS = SHARED / "corpora" / "reuters21578"


def load_queries(path: Path = BENCH / "queries.json") -> list[dict]:
    return json.loads(path.read_text("utf-8"))


def to_request(spec: dict, **overrides) -> SearchRequest:
    """A SearchRequest from one entry of queries.json."""
    fields = {"query": spec.get("q", ""), "sort": spec.get("sort", "relevance")}
    for key in ("people", "countries", "exclude_people", "exclude_countries"):
        if key in spec:
            fields[key] = tuple(spec[key])
    for key in ("date_from", "date_to"):
        if key in spec:
            fields[key] = date.fromisoformat(spec[key])
    fields.update(overrides)
    return SearchRequest(**fields)


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p50, p95, p99) of a list of timings."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered) + 0.5))
    return ordered[min(rank, len(ordered)) - 1]


def summary(values: list[float]) -> str:
    return (f"p50 {percentile(values, 50):.1f} ms, p95 {percentile(values, 95):.1f} ms, "
            f"mean {statistics.fmean(values):.1f} ms")
