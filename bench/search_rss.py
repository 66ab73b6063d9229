"""The serving process's memory: its maximum resident set after the bench queries.

    .venv/bin/python bench/search_rss.py --index DIR_OR_URL

Opens the index as the web app does and asks every query of bench/queries.json as the
search page does (``search_with_sidebar``: hits, facets, histogram, the sidebar's counts,
so every facet column is loaded), then prints the process's maximum RSS (issue 16: ≤ 1.5 GB
at 200,000 articles). Whoosh maps its files, and the pages a search touched count.
"""

from __future__ import annotations

import argparse
import resource
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import load_queries, to_request  # noqa: E402
from indexer.insights.correlated import search_with_sidebar  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True, help="a Whoosh folder or OpenSearch URL")
    args = parser.parse_args()
    engine = open_engine(args.index)
    specs = load_queries()
    for spec in specs:
        search_with_sidebar(engine, to_request(spec))
    documents = engine.stats().documents
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(f"{args.index}: {documents:,} articles, {len(specs)} queries with the sidebar: "
          f"maximum RSS {peak:,.0f} MB")


if __name__ == "__main__":
    main()
