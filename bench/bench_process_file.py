"""CPU time of an indexing worker's whole job per 1,000 Reuters articles.

    .venv/bin/python bench/bench_process_file.py [--shared ../shared] [--profile 25]
    PYTHONPATH=/tmp/old .venv/bin/python bench/bench_process_file.py   # another version

``indexer.build.process_file`` reads a file, extracts the entities of every article and
computes its MinHash bands: what the ``--workers`` processes do before the main process
writes anything. It runs here over every Reuters-21578 file in one process, after a
warm-up on the first file (gazetteers loaded, caches filled as a worker's are after its
first files). The time is the process's CPU time, so other work on a shared machine
lowers it less than wall time; both are printed, with the load average before and after.
``--profile N`` prints the N functions with the most own time instead (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time
from pathlib import Path

from indexer.build import _init_worker, process_file
from indexer.sources import discover


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    args = parser.parse_args()
    files = sorted(discover([args.shared / "corpora" / "reuters21578"]).files, key=lambda f: f.rel)
    _init_worker({})
    process_file(files[0])
    load = os.getloadavg()[0]
    profile = cProfile.Profile() if args.profile else None
    c0, w0 = time.process_time(), time.perf_counter()
    if profile:
        profile.enable()
    articles = sum(len(process_file(f).documents) for f in files)
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(args.profile)
    cpu, wall = time.process_time() - c0, time.perf_counter() - w0
    print(f"{len(files)} files, {articles:,} articles: cpu {cpu:.1f} s (wall {wall:.1f} s), "
          f"{cpu / articles * 1000:.2f} s CPU per 1,000 articles; load {load:.1f} -> {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
