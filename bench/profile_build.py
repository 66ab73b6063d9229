"""Where a build's CPU goes, in every process: py-spy samples of ``bench/build_cpu.py``,
grouped by the part of the build each sample is in.

    .venv/bin/pip install '.[bench]'      # py-spy
    .venv/bin/python bench/profile_build.py CORPUS --index DIR [--workers 2] [--rate 50]
    .venv/bin/python bench/profile_build.py --samples FILE   # group the samples of a run again

cProfile sees one process and inflates code that makes many small calls; a ``--workers``
build runs in the extraction workers and in Whoosh's sub-writer processes. py-spy samples
them all at ``--rate`` a second with little overhead, so a part's share of the samples is
its share of the build's CPU (docs/scaling.md §7, issue 16). The raw samples are kept in
``DIR.samples`` for ``--samples``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: (part, frames that mark it): a sample belongs to the first part all of whose frames
#: (substrings of py-spy's frame names) are on its stack; the order matters.
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("extraction workers: reading, extraction, MinHash", ("process_file (indexer/build.py",)),
    ("sub-writers, adding: the text's terms and positions (NewsText)",
     ("multiproc.py:112)", "NewsText._terms")),
    ("sub-writers, adding: the keyword fields' terms (NewsKeyword)",
     ("multiproc.py:112)", "NewsKeyword._terms")),
    ("sub-writers, adding: other fields' terms (Whoosh's field.index: an index of before's text)",
     ("multiproc.py:112)", "FieldType.index")),
    ("sub-writers, adding: spelling words (the analyzer again, unstemmed)",
     ("multiproc.py:112)", "spellable_words")),
    ("sub-writers, adding: the posting pool", ("multiproc.py:112)", "Pool.add")),
    ("sub-writers, adding: stored fields and columns", ("multiproc.py:112)", "PerDocWriter")),
    ("sub-writers, adding: the rest (Whoosh's loop, the parent's batches)",
     ("multiproc.py:112)",)),
    ("sub-writers, commit: posting blocks (write_term)", ("multiproc.py:123)", "write_term")),
    ("sub-writers, commit: sorting and spilling the pool", ("multiproc.py:123)", "Pool.save")),
    ("sub-writers, commit: reading spilled runs back", ("multiproc.py:123)", "_read_run")),
    ("sub-writers, commit: the term table", ("multiproc.py:123)", "OrderedHashWriter")),
    ("sub-writers, commit: the rest", ("multiproc.py:123)",)),
    ("one writer (--workers 1): adding documents", ("add_pooled",)),
    ("one writer (--workers 1): commit", ("_finalize_segment",)),
    ("main process: handing records to Whoosh's writer", ("_drain",)),
    ("main process: the rest (spooling records, the archive step, start-up)", ()),
]


def part_of(stack: str) -> str:
    """The part of the build one sample's stack is in (``PARTS``)."""
    return next(name for name, marks in PARTS if all(m in stack for m in marks))


def group(samples: Path) -> Counter[str]:
    """Samples per part, from py-spy's raw output (one ``stack count`` a line)."""
    counts: Counter[str] = Counter()
    for line in samples.read_text().splitlines():
        stack, _, n = line.rpartition(" ")
        if stack:
            counts[part_of(stack)] += int(n)
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, nargs="?")
    parser.add_argument("--index", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rate", type=int, default=50)
    parser.add_argument("--samples", type=Path, help="group this file's samples, run nothing")
    args = parser.parse_args()
    samples = args.samples
    if samples is None:
        if args.corpus is None or args.index is None:
            parser.error("give CORPUS and --index (or --samples FILE)")
        spy = shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")
        if spy is None:
            sys.exit("py-spy is not installed: .venv/bin/pip install '.[bench]'")
        samples = args.index.with_name(args.index.name + ".samples")
        subprocess.run([spy, "record", "--subprocesses", "--rate", str(args.rate),
                        "--format", "raw", "-o", str(samples), "--",
                        sys.executable, str(ROOT / "bench" / "build_cpu.py"), str(args.corpus),
                        "--index", str(args.index), "--workers", str(args.workers), "--phases"],
                       check=True)
    counts = group(samples)
    total = sum(counts.values())
    print(f"{total:,} samples ({total / args.rate:.0f} s of CPU at {args.rate} a second)")
    for name, _ in PARTS:
        if counts[name]:
            print(f"{counts[name] / total:6.1%}  {name}")


if __name__ == "__main__":
    main()
