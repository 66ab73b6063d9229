"""Check that two versions of the extraction give the same entities, article by article.

    mkdir -p /tmp/old && git archive 3338762 indexer | tar -x -C /tmp/old   # the reference package
    .venv/bin/python bench/extract_identical.py --old /tmp/old [--shared ../shared]

Speed work on the extractors must not change what they find. Each version runs in a
child process with its own ``indexer`` package first on ``PYTHONPATH`` and passes every
file of the corpora through ``indexer.build.process_file``, as an indexing worker does
(reading, the extraction-size cap, entities and MinHash bands). The records' entity
fields are compared per article; the script prints every difference and exits 1 if
there is any.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ("reuters21578", "bbc", "html", "giveme5w1h")
#: What the extraction decides (``people_input``: the people as extracted and the words
#: titling them, the archive step's input); the rest of a record is the reader's.
FIELDS = ("people", "people_input", "organizations", "countries", "country_codes", "about", "mentioned", "published", "lsh")


def dump(folders: list[Path], out: Path) -> None:
    """One JSON line per article (id and ``FIELDS``), in the order the files are read."""
    import indexer
    from indexer.build import _init_worker, process_file
    from indexer.sources import discover

    _init_worker({})
    with out.open("w", encoding="utf-8") as fh:
        fh.write(json.dumps({"package": indexer.__file__}) + "\n")
        for source in discover(folders).files:
            result = process_file(source)
            for problem in result.problems:
                fh.write(json.dumps({"problem": [problem.path, problem.kind, problem.reason]}) + "\n")
            for doc in result.documents:
                row = {"id": doc["id"], **{f: doc[f] for f in FIELDS}}
                fh.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")


def run(tree: Path, folders: list[Path], out: Path) -> list[dict]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    subprocess.run([sys.executable, __file__, "--dump", str(out), *map(str, folders)], env=env, check=True)
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    package = Path(lines[0]["package"]).resolve()
    if not package.is_relative_to(tree.resolve()):  # an editable install shadowing PYTHONPATH
        raise SystemExit(f"{tree}: the child imported {package}")
    return lines[1:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="folder holding the reference version's indexer package")
    parser.add_argument("--new", type=Path, default=ROOT, help="folder holding the version under test")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--keep", type=Path, help="reuse the reference version's dump in this folder (made on the first run)")
    parser.add_argument("--dump", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("folders", nargs="*", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.dump:
        dump(args.folders, args.dump)
        return
    if args.old is None:
        parser.error("--old is required")
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    folders = [args.shared / "corpora" / name for name in CORPORA if (args.shared / "corpora" / name).is_dir()]
    with tempfile.TemporaryDirectory() as tmp:
        kept = args.keep / "old.jsonl" if args.keep else None
        if kept and kept.exists():
            old = [json.loads(line) for line in kept.read_text(encoding="utf-8").splitlines()[1:]]
        else:
            old = run(args.old, folders, kept or Path(tmp) / "old.jsonl")
        new = run(args.new, folders, Path(tmp) / "new.jsonl")
    articles = sum("id" in row for row in old)
    differences = 0
    if len(old) != len(new):
        print(f"row counts differ: old {len(old)}, new {len(new)}")
        differences += 1
    for a, b in zip(old, new, strict=False):  # counted above
        if a == b:
            continue
        differences += 1
        print(f"{a.get('id') or a.get('problem')}:")
        for key in sorted(set(a) | set(b)):
            if a.get(key) != b.get(key):
                print(f"  {key}: old {a.get(key)!r}\n  {' ' * len(key)}  new {b.get(key)!r}")
    print(f"{articles:,} articles in {', '.join(f.name for f in folders)}; {differences} differences")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
