"""The snippets of a search page: CPU per search for the hits' highlighting, two ways.

    .venv/bin/python bench/bench_snippets.py --index DIR_OR_URL [--rounds 5]

Every query of bench/queries.json is searched once on the index (either engine); the
(body, marked words) of each shown hit's snippet are kept. (Whoosh marks the set of terms
its matches used; OpenSearch the query's ``MarkedWords``, which this change is about.) Then, alternating query by query in one
process, CPU time (``time.process_time``: other jobs on the machine do not count) of
those snippets:

- **test per word**: every word's indexed form asked of ``MarkedWords.__contains__`` (a
  Python call per word, as ``highlight.marks`` did before ``MarkedWords.test``);
- **as now**: ``highlight.snippet`` as the engines call it.

Both give the same snippets (checked). Prints CPU ms per search (p50/p95/mean) and the
ratio of the totals.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load, load_queries, percentile, to_request  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402
from indexer.search.highlight import snippet  # noqa: E402


class _PerWord:
    """The marked words seen through their general test only."""

    def __init__(self, words) -> None:
        self.__contains__ = words.__contains__


def captured(location: str) -> list[list[tuple[str, object]]]:
    """Per query, the (body, marked words) of every snippet its search page made."""
    engine = open_engine(location)
    module = sys.modules[type(engine).__module__]  # the engine's own name for snippet()
    calls: list[tuple[str, object]] = []
    real = module.snippet
    module.snippet = lambda body, words: calls.append((body, words)) or real(body, words)
    try:
        per_query = []
        for spec in load_queries():
            calls.clear()
            engine.search(to_request(spec))
            per_query.append(list(calls))
        return per_query
    finally:
        module.snippet = real


def cpu_ms(pairs, wrap) -> float:
    started = time.process_time()
    for body, words in pairs:
        snippet(body, wrap(words))
    return (time.process_time() - started) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="a Whoosh folder or an OpenSearch URL")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    queries = [q for q in captured(args.index) if q]
    for pairs in queries:
        for body, words in pairs:
            assert snippet(body, words) == snippet(body, _PerWord(words)), body[:60]
    ways = {"test per word": _PerWord, "as now": lambda words: words}
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.rounds):
        for i, pairs in enumerate(queries):
            order = list(ways) if i % 2 else list(reversed(ways))
            for name in order:
                times[name].append(cpu_ms(pairs, ways[name]))
    snippets = sum(map(len, queries))
    print(f"{args.index}: {len(queries)} queries with snippets ({snippets} snippets), "
          f"{args.rounds} rounds, load {load()}")
    print("| way | CPU ms per search p50 | p95 | mean |\n|---|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {percentile(values, 50):.2f} | {percentile(values, 95):.2f} | "
              f"{sum(values) / len(values):.2f} |")
    before, after = (sum(times[n]) for n in ways)
    print(f"as now / test per word: {after / before:.2f}")


if __name__ == "__main__":
    main()
