"""cProfile of newsearch's searches over one Whoosh index: where a search's time goes.

    .venv/bin/python bench/profile_search.py --index DIR [--top10] [--rounds 3]

The queries of bench/queries.json as default requests (or, with ``--top10``, the top 10
alone: no facets, date histogram or highlighting), after bench/common.py's warm-up
queries and one unprofiled pass; then ``--rounds`` profiled passes, printed by cumulative
and by own time (docs/BENCHMARKS.md, issue 16; docs/scaling.md §7).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import WARMUP, load, load_queries, to_request  # noqa: E402
from indexer.engines.whoosh.engine import WhooshEngine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--top10", action="store_true", help="the top 10 alone")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    engine = WhooshEngine(args.index, refresh_seconds=3600)
    over = {"highlight": False, "with_facets": False} if args.top10 else {}
    requests = [to_request(spec, **over) for spec in load_queries()]
    for spec in WARMUP:
        engine.search(to_request(spec, **over))
    for req in requests:
        engine.search(req)
    print(f"load before: {load()}")
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(args.rounds):
        for req in requests:
            engine.search(req)
    profile.disable()
    print(f"load after: {load()}")
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
