"""Issue 14's performance targets for the analyses beyond the hits, on full Reuters-21578.

    .venv/bin/python bench/bench_insights.py --index DIR [--rounds 3]

One function per measurement, each printing its figures (p95 of the same run side by
side, so a loaded machine slows both). Other measurements (correlated names, network)
add a function and a line in ``main``.

- ``compare_vs_search``: ``compare`` of 5 queries against one search (target: compare-5
  p95 <= 5 x the single search's p95).
- ``bursts_overhead``: a search page's search against the same search plus its bursts
  (computed on the search's own histogram; target with correlated names: <= +20 %).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WARMUP, load, load_queries, percentile, to_request  # noqa: E402
from indexer.insights.bursts import bursts  # noqa: E402
from indexer.insights.compare import MAX_SERIES, compare  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402
from indexer.search.limits import SearchTimeout  # noqa: E402


def _timed(fn) -> float:  # noqa: ANN001 - any callable
    """Milliseconds of one call; a search stopped by its time budget counts as the time
    it took (on a loaded machine), never as a crash of the benchmark."""
    started = time.perf_counter()
    try:
        fn()
    except SearchTimeout:
        print("  (a search ran out of its time budget)", flush=True)
    return (time.perf_counter() - started) * 1000


def compare_vs_search(engine, queries: list[dict], rounds: int) -> None:  # noqa: ANN001
    """p95 of one search (bench/queries.json) against compare of 5 of those queries."""
    texts = [q["q"] for q in queries if q.get("q")]
    groups = [texts[i:i + MAX_SERIES] for i in range(0, len(texts) - MAX_SERIES + 1)]
    single, five = [], []
    for _ in range(rounds):
        for spec in queries:
            single.append(_timed(lambda spec=spec: engine.search(to_request(spec))))
        for group in groups:
            five.append(_timed(lambda group=group: compare(engine, group)))
    s95, c95 = percentile(single, 95), percentile(five, 95)
    print(f"compare_vs_search: search p95 {s95:.1f} ms ({len(single)} runs); compare x{MAX_SERIES} p95 "
          f"{c95:.1f} ms ({len(five)} runs): {c95 / s95:.2f}x a search (target <= 5x)")


def bursts_overhead(engine, queries: list[dict], rounds: int) -> None:  # noqa: ANN001
    """p95 of a search against the same search plus bursts on its histogram."""
    plain, with_bursts = [], []
    for _ in range(rounds):
        for spec in queries:
            req = to_request(spec)
            plain.append(_timed(lambda req=req: engine.search(req)))
            with_bursts.append(_timed(lambda req=req: bursts(engine.search(req).dates.rows())))
    p95, b95 = percentile(plain, 95), percentile(with_bursts, 95)
    print(f"bursts_overhead: search p95 {p95:.1f} ms; search + bursts p95 {b95:.1f} ms: "
          f"{100 * (b95 / p95 - 1):+.1f} %")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a Whoosh folder or OpenSearch URL")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = open_engine(args.index)
    queries = load_queries()
    for spec in WARMUP:  # other queries: warm caches (columns, vocabulary) first
        _timed(lambda spec=spec: engine.search(to_request(spec)))
    print(f"index {args.index}, {len(queries)} queries x {args.rounds} rounds, "
          f"load {load()}")
    compare_vs_search(engine, queries, args.rounds)
    bursts_overhead(engine, queries, args.rounds)


if __name__ == "__main__":
    main()
