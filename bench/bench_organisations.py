"""People and organisations over whole archives: what a reader of the facets sees first.

    .venv/bin/python bench/bench_organisations.py [--shared ../shared] [--format json]

Runs ``indexer.extract.extract`` over every Reuters-21578 document with a body and every
BBC article, then prints:

- the top 100 people values of each archive, for a reader to check by eye (issue 13: at
  most 2 of them may be no person). A value that the same archive also lists as an
  organisation somewhere is marked ``[org elsewhere]``: a hint where to look, not a verdict;
- the top 50 organisation values of each archive;
- the hand-labelled organisation sample (tests/data/gold/organisations.json, labelled
  before the rules were tuned) re-scored with today's rules: which right values are still
  found, which wrong ones are gone, and the precision of what the sample's articles yield
  for those values now.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

from indexer.article import Article
from indexer.evaluate import reuters_articles
from indexer.extract import extract

REPO = Path(__file__).resolve().parents[1]
try:
    from bench.bench_extract import bbc_articles
except ModuleNotFoundError:  # run as a script: bench/ is not a package on sys.path
    import sys

    sys.path.insert(0, str(REPO))
    from bench.bench_extract import bbc_articles

SAMPLE = REPO / "tests" / "data" / "gold" / "organisations.json"


def archive(articles: list[Article]) -> tuple[Counter, Counter, dict[str, tuple[str, ...]]]:
    """People and organisation counts over an archive, and each article's organisations."""
    people, orgs, by_article = Counter(), Counter(), {}
    for a in articles:
        found = extract(a)
        people.update(found.people)
        orgs.update(found.organizations)
        by_article[a.path or a.id] = found.organizations
    return people, orgs, by_article


def rescore(sample: list[dict], by_article: dict[str, tuple[str, ...]]) -> dict[str, object]:
    """The labelled pairs against today's output for their articles.

    A labelled-right value still found stays right; a labelled-wrong value still found
    stays wrong; a fragment (``partial``) whose full name (its note) is found now counts
    as right. Precision now = right / (right + wrong) over the values still found."""
    kept = lost = fixed = still_wrong = repaired = 0
    for entry in sample:
        now = by_article.get(entry["article"], ())
        present = entry["value"] in now
        if entry["label"] == "org":
            kept += present
            lost += not present
        else:
            still_wrong += present
            fixed += not present
            repaired += entry["label"] == "partial" and entry.get("note", "") in now
    right, wrong = kept + repaired, still_wrong
    labelled_right = sum(e["label"] == "org" for e in sample)
    return {"pairs": len(sample), "labelled_right": labelled_right,
            "precision_before": round(labelled_right / len(sample), 3),
            "right_still_found": kept, "right_lost": lost, "wrong_gone": fixed,
            "wrong_still_found": still_wrong, "fragments_now_full_name": repaired,
            "precision_now": round(right / (right + wrong), 3) if right + wrong else 0.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    args = parser.parse_args()
    corpora = {"reuters": list(reuters_articles(args.shared / "corpora" / "reuters21578")),
               "bbc": bbc_articles(args.shared / "corpora" / "bbc")}
    sample = json.loads(SAMPLE.read_text("utf-8"))
    report: dict[str, object] = {}
    by_article_all: dict[str, tuple[str, ...]] = {}
    for name, articles in corpora.items():
        people, orgs, by_article = archive(articles)
        by_article_all.update(by_article)
        report[name] = {
            "articles": len(articles),
            "top_people": [{"value": v, "count": c, "org_elsewhere": v in orgs}
                           for v, c in people.most_common(100)],
            "top_organizations": [{"value": v, "count": c} for v, c in orgs.most_common(50)],
        }
    report["sample"] = rescore(sample, by_article_all)
    if args.format == "json":
        print(json.dumps(report, indent=1, ensure_ascii=False))
        return
    for name in corpora:
        part = report[name]
        print(f"## {name}: {part['articles']:,} articles\n\nTop 100 people:")
        for i, p in enumerate(part["top_people"], 1):
            print(f"{i:4}. {p['value']} ({p['count']}){'  [org elsewhere]' if p['org_elsewhere'] else ''}")
        print("\nTop 50 organisations:")
        for i, o in enumerate(part["top_organizations"], 1):
            print(f"{i:4}. {o['value']} ({o['count']})")
        print()
    print("Hand-labelled organisation sample:", json.dumps(report["sample"]))


if __name__ == "__main__":
    main()
