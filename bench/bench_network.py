"""Correlated names and the network on Reuters-21578: what they add to a search.

    .venv/bin/python bench/bench_network.py --index DIR [--index URL] [--rounds 3]

For each engine given (a Whoosh folder or an OpenSearch URL) and each query of
bench/queries.json, after one warm-up pass (background counts cached, as on a running
server), in one run and interleaved so both see the same load:
1. the search page's search alone (``Engine.search``, facets and highlighted top 10);
2. the same search with the sidebar's correlated names for every name facet and the
   timeline's bursts, as the page asks for them
   (``indexer.insights.correlated.search_with_sidebar``: on OpenSearch the sidebar's
   request overlaps the search's; bursts run on the search's own histogram), and the same
   one after the other, as the page asked before (``sidebar`` after ``search``);
3. the network of the query's 25 most frequent people (``indexer.insights.network``),
   in a pass of its own (as the network page, with no search just before it).
Prints p50/p95/mean of each and the ratio of p95s (issue 14: correlated names plus bursts ≤ +20% of a
search's p95; network p95 ≤ 100 ms on Whoosh).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load, load_queries, percentile, summary, to_request  # noqa: E402
from indexer.insights.bursts import bursts  # noqa: E402
from indexer.insights.correlated import BACKGROUND, search_with_sidebar, sidebar  # noqa: E402
from indexer.insights.network import network  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402


def ms(fn, *args) -> float:
    started = time.perf_counter()
    fn(*args)
    return (time.perf_counter() - started) * 1000


def page(engine, req) -> None:
    """The search page's engine work with the block and the timeline's bursts, as the
    page does it (webapp.pages: bursts on the histogram the search returned)."""
    result, _ = search_with_sidebar(engine, req)
    bursts(result.dates.rows())


def in_turn(engine, req) -> None:
    """The search, then the sidebar: no overlap."""
    result = engine.search(req)
    sidebar(engine, req)
    bursts(result.dates.rows())


def run(location: str, rounds: int) -> None:
    engine = open_engine(location)
    requests = [to_request(s) for s in load_queries()]
    BACKGROUND._counts.clear()
    first = ms(page, engine, requests[0])  # background counts of the archive not yet cached
    for req in requests:  # warm-up: every code path and the background cache
        page(engine, req)
        network(engine, req)
    plain, with_block, one_then_other, graph = [], [], [], []
    for _ in range(rounds):
        for req in requests:
            plain.append(ms(engine.search, req))
            with_block.append(ms(page, engine, req))
            one_then_other.append(ms(in_turn, engine, req))
        # A pass of its own: the network page runs no search first, so its matches must
        # not come from the search just measured (an engine keeps a thread's last few).
        for req in requests:
            graph.append(ms(network, engine, req))
    print(f"\n{location}: {len(requests)} queries x {rounds} rounds, load {load()}")
    print("| measurement | p50 | p95 | mean |\n|---|---|---|---|")
    for label, values in (("search alone", plain),
                          ("search + correlated names + bursts, as the page asks", with_block),
                          ("search, then correlated names, then bursts", one_then_other),
                          ("network, 25 people", graph)):
        print(f"| {label} | {percentile(values, 50):.2f} ms | {percentile(values, 95):.2f} ms "
              f"| {sum(values) / len(values):.2f} ms |")
    print(f"correlated names and bursts add {100 * (percentile(with_block, 95) / percentile(plain, 95) - 1):.1f}% "
          f"to the search's p95 ({100 * (percentile(with_block, 50) / percentile(plain, 50) - 1):.1f}%"
          f" at p50); one after the other "
          f"{100 * (percentile(one_then_other, 95) / percentile(plain, 95) - 1):.1f}% "
          f"({100 * (percentile(one_then_other, 50) / percentile(plain, 50) - 1):.1f}%); "
          f"first page with an empty background cache: {first:.1f} ms")
    print(f"network p95 {percentile(graph, 95):.1f} ms = "
          f"{percentile(graph, 95) / percentile(plain, 95):.2f}x the search's p95; {summary(graph)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", action="append", required=True,
                        help="a Whoosh folder or an OpenSearch URL (repeatable)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    for location in args.index:
        run(location, args.rounds)


if __name__ == "__main__":
    main()
