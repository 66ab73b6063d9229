"""Throughput of the whole entity extraction (people, organisations, countries, dates), in words per second.

    .venv/bin/python bench/bench_extract.py [--shared ../shared] [--repeat 3]

Articles are read first (reading is not timed); then ``indexer.extract.extract`` runs
over every Reuters-21578 document with a body and every BBC article, in one process,
after a warm-up call that loads the gazetteers. Prints words/s per corpus and overall,
per core: the time is the process's CPU time (best of ``--repeat`` runs), so other
work on a busy machine lowers the figure less; wall-clock time and the load average are
shown beside it.
The organisation rules are also timed alone over the same articles (on spans cut
beforehand), so their share of the whole is a ratio from the same run.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from indexer.article import Article
from indexer.evaluate import reuters_articles
from indexer.extract import extract, organisations, people
from indexer.sources import discover, read_file


def bbc_articles(folder: Path) -> list[Article]:
    files = discover([folder]).files
    return [item for f in files for item in read_file(f) if isinstance(item, Article)]


def measure(articles: list[Article], repeat: int) -> tuple[int, float, float]:
    """(words, best CPU seconds, best wall seconds) over ``repeat`` runs of every article."""
    words = sum(len(a.text.split()) for a in articles)
    best_cpu = best_wall = float("inf")
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        for a in articles:
            extract(a)
        best_cpu = min(best_cpu, time.process_time() - c0)
        best_wall = min(best_wall, time.perf_counter() - w0)
    return words, best_cpu, best_wall


def measure_organisations(articles: list[Article], repeat: int) -> float:
    """Best CPU seconds of the organisation rules alone (spans are cut outside the clock)."""
    first = people.given_names()
    prepared = [(a.body, people.body_spans(a.body)) for a in articles]
    best = float("inf")
    for _ in range(repeat):
        c0 = time.process_time()
        for body, spans in prepared:
            organisations.organisations_in(body, spans, people.employer(body, first))
        best = min(best, time.process_time() - c0)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpora = {
        "reuters": list(reuters_articles(args.shared / "corpora" / "reuters21578")),
        "bbc": bbc_articles(args.shared / "corpora" / "bbc"),
    }
    t0 = time.perf_counter()
    extract(corpora["bbc"][0])
    print(f"warm-up (load gazetteers): {time.perf_counter() - t0:.2f} s; load average {os.getloadavg()[0]:.1f}")
    total_words = total_cpu = 0.0
    for name, articles in corpora.items():
        words, cpu, wall = measure(articles, args.repeat)
        total_words += words
        total_cpu += cpu
        org_cpu = measure_organisations(articles, args.repeat)
        print(f"{name:8} {len(articles):6} articles {words:9,} words  cpu {cpu:6.2f} s (wall {wall:6.2f} s)"
              f"  {words / cpu:9,.0f} words/s per core; organisations alone {org_cpu:5.2f} s"
              f" ({org_cpu / cpu:.0%} of it)")
    print(f"{'all':8} {'':6}          {int(total_words):9,} words  cpu {total_cpu:6.2f} s"
          f"{'':17}  {total_words / total_cpu:9,.0f} words/s per core; load average {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
