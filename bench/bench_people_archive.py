"""One person, one value across an archive (issue 13): consistency on Reuters PEOPLE tags.

    .venv/bin/python bench/bench_people_archive.py --index /tmp/reuters-archive \
        [--shared ../shared] [--workers 2] [--files N] [--build] [--baseline] [--format json]

``--build`` indexes all of Reuters-21578 into ``--index`` (``--rebuild``) and times it;
``--baseline`` builds it a second time with the archive step switched off, in the same
session, so the step's cost is the difference (the spool of the Whoosh writer is in both).
Then, from the index itself (every article's people as stored, and as extracted, which
each article keeps for the archive step), for every PEOPLE tag with at least 3 articles,
the people values of its articles that carry its surname (``indexer.evaluate.same_surname``):

- the share of tags with exactly one value archive-wide;
- the share of (article, tag) pairs, among those with such a value, that carry the tag's
  main (most frequent) value;
- the share of tags whose main value is a full name (two words or more);
- merges: tags sharing a surname (james-baker, howard-baker) whose main values are equal;
- the top 100 people values after the archive step, each marked ``[org elsewhere]`` when
  the archive lists it as an organisation too, for a reader to check.

"Before" is extraction alone (the values each article would hold without the archive).
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter, defaultdict
from pathlib import Path

from indexer.engines.whoosh.store import open_index
from indexer.evaluate import same_surname

MIN_ARTICLES = 3


def stored(index: Path) -> list[dict]:
    """id, people (as stored and as extracted), organisations and PEOPLE tags of every
    article, from the Whoosh index's stored fields."""
    out = []
    with open_index(index).searcher() as searcher:
        for f in searcher.reader().all_stored_fields():
            raw = (f.get("people_input") or {}).get("raw", f.get("people", []))
            out.append({"id": f["id"], "people": list(f.get("people", [])), "raw": list(raw),
                        "orgs": list(f.get("organizations", [])),
                        "tags": list(f.get("gold_people", []))})
    return out


def consistency(articles: list[dict], key: str) -> dict[str, object]:
    """The three shares of the module docstring and the merges, over ``key`` values."""
    by_tag: dict[str, list[dict]] = defaultdict(list)
    for a in articles:
        for tag in a["tags"]:
            by_tag[tag].append(a)
    tags = one = full = pairs = main_pairs = 0
    mains: dict[str, str] = {}
    split: dict[str, dict[str, int]] = {}
    for tag, found in sorted(by_tag.items()):
        if len(found) < MIN_ARTICLES:
            continue
        values: Counter = Counter()
        per_article = []
        for a in found:
            carried = {v for v in a[key] if same_surname(tag, v)}
            if carried:
                per_article.append(carried)
                values.update(carried)
        if not values:
            continue
        tags += 1
        main = min(values, key=lambda v: (-values[v], v))
        mains[tag] = main
        one += len(values) == 1
        full += len(main.split()) > 1
        pairs += len(per_article)
        main_pairs += sum(main in carried for carried in per_article)
        if len(values) > 1 or len(main.split()) == 1:
            split[tag] = dict(values.most_common())
    by_surname: dict[str, list[str]] = defaultdict(list)
    for tag in mains:
        by_surname[tag.split("-")[-1]].append(tag)
    merged = [(a, b, mains[a]) for tags_ in by_surname.values() for a in tags_ for b in tags_
              if a < b and mains[a] == mains[b]]
    return {"tags": tags, "one_value": round(one / tags, 3), "pairs": pairs,
            "pairs_main": round(main_pairs / pairs, 3), "main_full": round(full / tags, 3),
            "merged": merged, "surname_tags": {s: {t: mains[t] for t in ts}
                                               for s, ts in by_surname.items() if len(ts) > 1},
            "not_one_value": split}


def top_people(articles: list[dict], limit: int = 100) -> list[tuple[str, int, bool]]:
    people = Counter(v for a in articles for v in set(a["people"]))
    orgs = {o.casefold() for a in articles for o in a["orgs"]}
    return [(v, n, v.casefold() in orgs) for v, n in people.most_common(limit)]


def build(reuters: list[Path], index: str, workers: int, archive: bool) -> dict[str, float]:
    import indexer.build as build_module

    step = build_module.resolve_archive
    if not archive:
        build_module.resolve_archive = lambda writer, written, gone: 0  # the baseline
    started = time.perf_counter()
    try:
        report = build_module.build_index(reuters, index, workers=workers, rebuild=True)
    finally:
        build_module.resolve_archive = step
    return {"seconds": round(time.perf_counter() - started, 1),
            "archive_step_seconds": round(report.resolve_seconds, 2),
            "articles": report.documents}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index", required=True,
                        help="a folder; an OpenSearch URL gives the build timings only")
    parser.add_argument("--files", type=int, default=0,
                        help="only the first N reut2-*.sgm files (default: all)")
    parser.add_argument("--shared", type=Path, default=Path("../shared"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--baseline", action="store_true")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    reuters = sorted((args.shared / "corpora" / "reuters21578").glob("reut2-*.sgm"))
    reuters = reuters[:args.files] if args.files else reuters
    out: dict[str, object] = {}
    server = args.index.startswith(("http://", "https://"))
    if args.baseline:
        out["build_without_archive_step"] = build(reuters, args.index + "-baseline",
                                                  args.workers, archive=False)
    if args.build or server or not Path(args.index).exists():
        out["build"] = build(reuters, args.index, args.workers, archive=True)
    if server:
        print(json.dumps(out, indent=1))
        return
    articles = stored(Path(args.index))
    out["before"] = consistency(articles, "raw")
    out["after"] = consistency(articles, "people")
    out["top_people"] = top_people(articles)
    if args.format == "json":
        print(json.dumps(out, indent=1))
        return
    for run in ("build_without_archive_step", "build"):
        if run in out:
            print(f"{run}: {out[run]}")
    for label in ("before", "after"):
        c = out[label]
        print(f"{label:6}: {c['tags']} tags; one value {c['one_value']:.3f}; pairs with the "
              f"main value {c['pairs_main']:.3f} of {c['pairs']}; main value a full name "
              f"{c['main_full']:.3f}; merged tags {c['merged'] or 'none'}")
    print(f"tags sharing a surname: {out['after']['surname_tags']}")
    print("tags without exactly one full-name value (after):")
    for tag, values in out["after"]["not_one_value"].items():
        print(f"  {tag}: {values}")
    print("top 100 people (after):")
    for rank, (value, n, org) in enumerate(out["top_people"], 1):
        print(f"  {rank:3} {n:5}  {value}{'  [org elsewhere]' if org else ''}")


if __name__ == "__main__":
    main()
