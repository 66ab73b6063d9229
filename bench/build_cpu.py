"""The wall time and CPU (children included) of one ``newsearch index`` run.

    .venv/bin/python bench/build_cpu.py CORPUS --index DIR [--workers 2] [--posting-format 1]
                                        [--phases]

Run it several times, alternating variants, for a before/after of the build: the CPU
counts the extraction workers' and Whoosh's sub-writers' too, so the load of other jobs
changes it less than the wall time. ``--posting-format 1`` writes the posting format of
before positions were stored as arrays (values kept as Whoosh encodes them), to measure
what format 2 costs or saves. The index at DIR is rebuilt from nothing. ``--phases`` also prints the wall time of each
phase of the run (reading and extraction, the archive step, handing the records to
Whoosh's writer, Whoosh's commit), to see which one a faster build has to shorten.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import indexer.engines.whoosh.codec as codec  # noqa: E402
from bench.common import load  # noqa: E402
from indexer.build import build_index  # noqa: E402
from indexer.engines.whoosh.writer import WhooshWriter  # noqa: E402


def _time_phases() -> dict[str, float]:
    """Wrap the writer's steps so that each records when it starts and ends."""
    marks: dict[str, float] = {}
    drain, commit = WhooshWriter._drain, WhooshWriter.commit

    def timed_drain(self: WhooshWriter) -> None:
        marks["drain"] = time.perf_counter()
        drain(self)
        marks["drained"] = time.perf_counter()

    def timed_commit(self: WhooshWriter, roots: list[str] = ()) -> int:
        marks["commit"] = time.perf_counter()
        try:
            return commit(self, roots)
        finally:
            marks["committed"] = time.perf_counter()

    WhooshWriter._drain, WhooshWriter.commit = timed_drain, timed_commit
    return marks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--posting-format", type=int, choices=(1, 2), default=2)
    parser.add_argument("--phases", action="store_true")
    args = parser.parse_args()
    if args.posting_format == 1:  # no field's format is taken for Positions: values as is
        codec.FORMAT_VERSION = 1
        codec.Positions = type("NotPositions", (), {})
    marks = _time_phases() if args.phases else None
    shutil.rmtree(args.index, ignore_errors=True)
    before = load()
    started = time.perf_counter()
    report = build_index([args.corpus], args.index, workers=args.workers)
    wall = time.perf_counter() - started
    cpu = sum(getattr(resource.getrusage(who), part)
              for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
              for part in ("ru_utime", "ru_stime"))
    size = sum(f.stat().st_size for f in args.index.iterdir()) / 1e6
    print(f"posting format {args.posting_format}, {args.workers} workers: {report.documents:,} "
          f"articles, wall {wall:.1f} s, CPU {cpu:.1f} s, index {size:.1f} MB; load {before} → "
          f"{load()}")
    if marks is not None:
        extraction = marks["commit"] - started - report.resolve_seconds
        print(f"  reading + extraction {extraction:.1f} s, archive step "
              f"{report.resolve_seconds:.1f} s, records to Whoosh's writer "
              f"{marks['drained'] - marks['drain']:.1f} s, Whoosh's commit "
              f"{marks['committed'] - marks['drained']:.1f} s")


if __name__ == "__main__":
    main()
