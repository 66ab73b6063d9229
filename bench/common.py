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

# Warm-up: other queries than bench/queries.json (so a result cache could not answer the
# measured ones), touching the same code paths: words, phrases, filters, sorts, no query.
WARMUP = [
    {"q": "market"}, {"q": "government minister"}, {"q": "\"central bank\""},
    {"q": "profit"}, {"q": "exchange rate"}, {"q": "election"}, {"q": "football"},
    {"q": "music award"}, {"q": "china"}, {"q": "stocks fell"}, {"q": "growth forecast"},
    {"q": "soybean*"}, {"q": "title:bank"}, {"q": "mobile phone"}, {"q": "nuclear"},
    {"q": "rates", "countries": ["United Kingdom"]}, {"q": "", "countries": ["France"]},
    {"q": "company", "sort": "newest"}, {"q": "record", "date_from": "1990-01-01",
                                         "date_to": "1990-12-31"},
    {"q": "loss", "exclude_countries": ["Japan"]}, {"q": "tony blair"},
]


def load() -> str:
    """The load averages (1, 5, 15 min), written beside every timing."""
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def load_queries(path: Path = BENCH / "queries.json") -> list[dict]:
    return json.loads(path.read_text("utf-8"))


def to_request(spec: dict, **overrides) -> SearchRequest:
    """A SearchRequest from one entry of queries.json."""
    fields = {"query": spec.get("q", ""), "sort": spec.get("sort", "")}  # "": the default
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
