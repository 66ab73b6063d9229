"""Two Whoosh indexes of the same articles, query by query: the minimum of many runs.

    .venv/bin/python bench/ab_queries.py OLD_DIR NEW_DIR [--runs 15] [--full]

For a change too small for a p95 on this noisy VM to show (a few per cent), each query of
bench/queries.json runs ``--runs`` times on each index, alternating, after a warm-up on
other queries; a query's minimum is its cost without the machine's noise. Prints the
twelve slowest queries (old minimum, new minimum, ratio) and the ratio of the sums of
all minima. The top 10 alone (no facets, histogram or highlighting) unless ``--full``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WARMUP, load, load_queries, to_request  # noqa: E402
from indexer.engines.whoosh.engine import WhooshEngine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--full", action="store_true", help="the full request")
    args = parser.parse_args()
    engines = [WhooshEngine(args.old, refresh_seconds=3600),
               WhooshEngine(args.new, refresh_seconds=3600)]
    over = {} if args.full else {"highlight": False, "with_facets": False}
    for spec in WARMUP:
        for engine in engines:
            engine.search(to_request(spec, **over))
    print(f"load before: {load()}")
    rows = []
    for spec in load_queries():
        times: list[list[float]] = [[], []]
        for _ in range(args.runs):
            for engine, spent in zip(engines, times, strict=True):
                started = time.perf_counter()
                engine.search(to_request(spec, **over))
                spent.append((time.perf_counter() - started) * 1000)
        rows.append((min(times[0]), min(times[1]), spec))
    print(f"load after: {load()}\n\n| query | old | new | new/old |\n|---|---|---|---|")
    for old, new, spec in sorted(rows, key=lambda r: -r[0])[:12]:
        print(f"| `{spec}` | {old:.2f} ms | {new:.2f} ms | {new / old:.2f} |")
    old_sum, new_sum = sum(r[0] for r in rows), sum(r[1] for r in rows)
    print(f"\nsum of the {len(rows)} minima: old {old_sum:.1f} ms, new {new_sum:.1f} ms, "
          f"new/old {new_sum / old_sum:.3f}")


if __name__ == "__main__":
    main()
