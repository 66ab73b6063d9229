"""A folded search on OpenSearch: stories counted in its own request, or in a second one.

    .venv/bin/python bench/bench_stories.py --index http://127.0.0.1:9200/NAME [--rounds 3]

Every query of bench/queries.json as the search page asks it (facets, histogram,
highlighted top 10, folding), after a warm-up on other queries; each query is timed both
ways, query by query and in alternating order, in one process:

- **one request**: as the engine does now on a one-shard index (``_story_aggs`` in the
  search's own request);
- **two requests**: the search, then ``_stories`` (as every folded search did before),
  forced by making the inline count give up.

The answers (totals, stories, each hit's copies) are checked equal. Prints p50/p95/mean.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WARMUP, load, load_queries, percentile, to_request  # noqa: E402
from indexer.engines.opensearch import engine as os_engine  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402

INLINE = os_engine._inline_stories


def timed(engine, req, inline: bool) -> tuple[float, tuple]:
    os_engine._inline_stories = INLINE if inline else (lambda aggs, shards: None)
    try:
        started = time.perf_counter()
        result = engine.search(req)
        ms = (time.perf_counter() - started) * 1000
    finally:
        os_engine._inline_stories = INLINE
    return ms, (result.total, result.stories, [(h.id, h.similar) for h in result.hits])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="an OpenSearch URL")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = open_engine(args.index)
    for spec in WARMUP:
        engine.search(to_request(spec))
    requests = [to_request(s) for s in load_queries()]
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(args.rounds):
        for i, req in enumerate(requests):
            answers = {}
            for inline in ((True, False) if i % 2 else (False, True)):
                ms, answers[inline] = timed(engine, req, inline)
                times[inline].append(ms)
            assert answers[True] == answers[False], req
    print(f"{args.index}: {len(requests)} queries x {args.rounds} rounds, load {load()}")
    print("| way | p50 ms | p95 ms | mean ms |\n|---|---|---|---|")
    for inline, label in ((False, "two requests"), (True, "one request")):
        values = times[inline]
        print(f"| {label} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
              f"{sum(values) / len(values):.2f} |")


if __name__ == "__main__":
    main()
