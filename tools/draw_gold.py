"""Draw the articles of a fresh hand-labelled gold set (tests/data/gold/README.md).

    .venv/bin/python -m tools.draw_gold --seed 2028 --exclude news heldout fresh fresh2 fresh3

Candidates are the sorted file lists of each source folder under the shared data folder,
less every path of the named gold files, the BBC articles of ``organisations.json`` and
every file that ``tests/``, ``bench/``, ``indexer/`` or ``docs/`` name (a BBC file by its
``category/NNN.txt``, a giveme5w1h or ``html/aeb`` file by its name or the hash before its
first dot; gold files themselves are not searched). One ``random.Random(seed)`` samples
each folder in turn with the counts below, so a draw is reproduced by its seed, its
exclusions and the repository's tree at the time (``--tree REV`` reads an earlier one).
The paths are printed one per line, relative to the shared folder.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GOLD = REPO / "tests" / "data" / "gold"
#: (folder under the shared folder, articles drawn), in the order they are drawn.
DRAW = (("corpora/bbc/business", 4), ("corpora/bbc/entertainment", 4), ("corpora/bbc/politics", 4),
        ("corpora/bbc/sport", 4), ("corpora/bbc/tech", 4), ("corpora/giveme5w1h/news_cluster/data", 8),
        ("corpora/giveme5w1h/gold_standard/data", 3), ("corpora/giveme5w1h/google_news/data", 3),
        ("corpora/html/aeb/html", 6))
SEARCHED = ("tests", "bench", "indexer", "docs")


def _named_text(tree: str | None) -> str:
    """The text of every file under SEARCHED but the gold files, at ``tree`` or in the work tree."""
    if tree is None:
        files = [p for d in SEARCHED for p in (REPO / d).rglob("*") if p.is_file()]
        return "\n".join(p.read_text(errors="replace") for p in files if GOLD not in p.parents)
    names = subprocess.run(["git", "-C", str(REPO), "ls-tree", "-r", "--name-only", tree, *SEARCHED],
                           capture_output=True, text=True, check=True).stdout.split()
    texts = [subprocess.run(["git", "-C", str(REPO), "show", f"{tree}:{n}"], capture_output=True,
                            check=True).stdout.decode(errors="replace")
             for n in names if not n.startswith("tests/data/gold/")]
    return "\n".join(texts)


def _gold(name: str, tree: str | None) -> list[dict]:
    if tree is None:
        return json.loads((GOLD / f"{name}.json").read_text())
    return json.loads(subprocess.run(["git", "-C", str(REPO), "show", f"{tree}:tests/data/gold/{name}.json"],
                                     capture_output=True, check=True).stdout)


def _is_named(path: str, text: str) -> bool:
    parts = path.split("/")
    if parts[1] == "bbc":
        return "/".join(parts[-2:]) in text
    return parts[-1] in text or parts[-1].split(".")[0] in text


def draw(shared: Path, seed: int, exclude: list[str], tree: str | None = None) -> list[str]:
    """The drawn paths, relative to ``shared``."""
    excluded = {e["path"] for name in exclude for e in _gold(name, tree)}
    bbc = [e["article"] for e in _gold("organisations", tree) if e.get("corpus") == "bbc"]
    assert not any(a.startswith("corpora/") for a in bbc), "organisations gold: BBC articles are relative to corpora/bbc"
    excluded |= {f"corpora/bbc/{a}" for a in bbc}
    text = _named_text(tree)
    rng = random.Random(seed)
    out: list[str] = []
    for folder, k in DRAW:
        files = sorted(p.relative_to(shared).as_posix() for p in (shared / folder).iterdir() if p.is_file())
        candidates = [f for f in files if f not in excluded and not _is_named(f, text)]
        out.extend(rng.sample(candidates, k))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--exclude", nargs="+", default=["news", "heldout", "fresh", "fresh2", "fresh3"])
    parser.add_argument("--tree", help="read the repository as it was at this revision")
    args = parser.parse_args()
    print("\n".join(draw(args.shared, args.seed, args.exclude, args.tree)))


if __name__ == "__main__":
    main()
