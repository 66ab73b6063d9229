"""Index build time on Reuters-21578, extraction included, with 1 and 2 workers.

    .venv/bin/python bench/bench_index.py [--corpus DIR] [--workers 1 2] [--keep DIR]

Both runs happen in this process, one after the other, into fresh temporary folders, so
the ratio between them is measured under the same conditions.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REUTERS  # noqa: E402
from indexer.build import build_index  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=REUTERS)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--keep", type=Path, help="keep the last index here")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    print(f"corpus {args.corpus}, {os.cpu_count()} CPUs")
    print("| workers | articles | wall s | articles/s | problems |")
    print("|---|---|---|---|---|")
    for workers in args.workers:
        target = Path(tempfile.mkdtemp(prefix=f"bench-index-w{workers}-"))
        started = time.perf_counter()
        report = build_index([args.corpus], target, workers=workers, rebuild=True)
        wall = time.perf_counter() - started
        print(f"| {workers} | {report.documents:,} | {wall:.1f} | "
              f"{report.documents / wall:,.0f} | {len(report.problems)} "
              f"({', '.join(f'{k} {n}' for k, n in sorted(report.problem_kinds.items()))}) |",
              flush=True)
        if args.keep and workers == args.workers[-1]:
            shutil.rmtree(args.keep, ignore_errors=True)
            shutil.move(str(target), args.keep)
        else:
            shutil.rmtree(target, ignore_errors=True)


if __name__ == "__main__":
    main()
