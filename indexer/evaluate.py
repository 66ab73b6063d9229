"""Measure entity extraction against hand labels or the Reuters-21578 tags.

    python -m indexer.evaluate --gold tests/data/gold/news.json --root ../shared/corpora [--format json] [-v]
    python -m indexer.evaluate --reuters ../shared/corpora/reuters21578 [--format json] [-v]

The articles go through the project's own readers and :func:`indexer.extract.extract`,
so the figures describe what the index will hold. Scores are micro-averaged: true and
false positives and negatives are summed over all articles before P/R/F1.

The two golds measure different facets, because they label different things:

- Hand-labelled gold files list every country an article *mentions*, which is what the
  ``countries`` facet holds, so they score ``countries``. They are JSON lists of
  ``{"path", "people", "countries"}`` with paths relative to ``--root``. People match
  after normalising case, accents and hyphens (same full name); countries match after
  mapping any alias ("U.S.", "USA") to its canonical name.
- Reuters PLACES (``--reuters``, slugs mapped by :data:`REUTERS_PLACES`) are editors' tags
  of what a story is *about*, which is what the ``about`` facet holds (dateline,
  headline, lead, or named twice). The report scores PLACES against ``about`` and, for
  comparison, against ``countries``, whose real but passing mentions ("Lugano,
  Switzerland") count as false positives there. People are scored against PEOPLE by
  surname ("james-baker" matches an extracted "James Baker" or "Baker"), over every
  document with a body; PEOPLE covers only 267 well-known names, so people precision
  there is a lower bound.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.article import Article
from indexer.extract import Entities, extract
from indexer.extract import countries as country_table
from indexer.extract.names import name_key, surname_key
from indexer.sources import discover, read_file
from indexer.sources.reuters import read_reuters

#: Reuters PLACES slugs whose canonical name is not the slug in title case. Every slug
#: in all-places-strings.lc.txt is a country or a territory with its own ISO 3166 code,
#: so none is dropped; historic states stay themselves (ussr -> Soviet Union).
REUTERS_PLACES = {
    "usa": "United States", "uk": "United Kingdom", "uae": "United Arab Emirates",
    "ussr": "Soviet Union", "west-germany": "West Germany", "east-germany": "East Germany",
    "burma": "Myanmar", "kampuchea": "Cambodia", "zaire": "Democratic Republic of the Congo",
    "swaziland": "Eswatini", "western-samoa": "Samoa", "ivory-coast": "Ivory Coast",
    "yemen-arab-republic": "North Yemen", "yemen-demo-republic": "South Yemen",
    "trinidad-tobago": "Trinidad and Tobago", "vatican": "Vatican City", "macao": "Macau",
    "guinea-bissau": "Guinea-Bissau", "antigua": "Antigua and Barbuda",
    "netherlands-antilles": "Netherlands Antilles", "cape-verde": "Cape Verde",
    "us-virgin-islands": "US Virgin Islands",
}


@dataclass
class Score:
    """Micro-averaged counts for one entity type."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: set[str], found: set[str], match: Callable[[str, str], bool]) -> tuple[set[str], set[str]]:
        """Count one article; returns (missed gold values, spurious extracted values)."""
        matched_gold: set[str] = set()
        matched_found: set[str] = set()
        for g in gold:
            for f in found:
                if f not in matched_found and match(g, f):
                    matched_gold.add(g)
                    matched_found.add(f)
                    break
        self.tp += len(matched_gold)
        self.fn += len(gold - matched_gold)
        self.fp += len(found - matched_found)
        return gold - matched_gold, found - matched_found

    def as_dict(self) -> dict[str, float | int]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn}


@dataclass
class Report:
    """Scores for people and countries, and the per-article misses for ``-v``."""

    people: Score = field(default_factory=Score)
    countries: Score = field(default_factory=Score)
    about: Score | None = None  # scored only against editors' "about" tags (Reuters PLACES)
    articles: int = 0
    misses: list[dict[str, object]] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"people": self.people.as_dict(), "countries": self.countries.as_dict()}
        if self.about is not None:
            out["about"] = self.about.as_dict()
        out["articles"] = self.articles
        return out


def canonical_country(value: str) -> str:
    """A gold label's canonical country name ("U.S." -> "United States"); unknown labels kept."""
    country = country_table.by_name(value) or country_table.lookup(value)
    return country.name if country else value


def reuters_place(slug: str) -> str:
    """The canonical country name of a Reuters PLACES slug."""
    if slug in REUTERS_PLACES:
        return REUTERS_PLACES[slug]
    return canonical_country(" ".join(w.capitalize() for w in slug.split("-")))


def same_person(gold: str, found: str) -> bool:
    """Same full name once case, accents and hyphens are ignored."""
    return name_key(gold) == name_key(found)


def same_surname(gold_slug: str, found: str) -> bool:
    """Reuters PEOPLE slug ("james-baker", "reagan") against an extracted name, by surname."""
    return surname_key(gold_slug.split("-")[-1]) == surname_key(found.split()[-1]).split()[-1]


def _score(report: Report, article: Article, gold_people: Iterable[str], gold_countries: Iterable[str],
           person_match: Callable[[str, str], bool], found: Entities | None = None,
           people: Iterable[str] | None = None) -> None:
    found = found or extract(article)
    report.articles += 1
    people = found.people if people is None else people
    missed_p, extra_p = report.people.add(set(gold_people), set(people), person_match)
    missed_c, extra_c = report.countries.add(set(gold_countries), set(found.countries), str.__eq__)
    if report.about is not None:
        report.about.add(set(gold_countries), set(found.main_countries), str.__eq__)
    if missed_p or extra_p or missed_c or extra_c:
        report.misses.append({
            "article": article.path or article.id,
            "people": {"missed": sorted(missed_p), "spurious": sorted(extra_p)},
            "countries": {"missed": sorted(missed_c), "spurious": sorted(extra_c)},
        })


def _first_article(path: Path) -> Article | None:
    files = discover([path]).files
    for source in files:
        for item in read_file(source):
            if isinstance(item, Article):
                return item
    return None


def archive_people(articles: list[Article], found: list[Entities]) -> list[list[str]]:
    """Each article's people once the archive step (indexer.archive) has resolved them
    across these articles, as an index of them would hold them."""
    from indexer.archive.table import NameTable, PersonInput
    from indexer.extract.people import given_names
    from indexer.record import as_datetime

    def day(article: Article, entities: Entities) -> int:
        moment = as_datetime(article.published or entities.published)
        return moment.toordinal() if moment else 0

    inputs = [PersonInput(e.people, dict(e.person_cues), day(a, e), e.countries, e.organizations,
                          things=e.things, line_up=e.line_up)
              for a, e in zip(articles, found, strict=True)]
    table = NameTable(inputs, given_names())
    return [table.resolve(item)[0] for item in inputs]


def evaluate_gold(gold_file: Path, root: Path, archive: bool = False) -> Report:
    """Score extraction on a hand-labelled gold file (``archive``: people as the archive
    step resolves them across the file's articles)."""
    report = Report()
    entries = json.loads(gold_file.read_text(encoding="utf-8"))
    articles = []
    for entry in entries:
        article = _first_article(root / entry["path"])
        if article is None:
            raise SystemExit(f"cannot read {root / entry['path']}")
        articles.append(article)
    found = [extract(a) for a in articles]
    people = archive_people(articles, found) if archive else [e.people for e in found]
    for entry, article, entities, names in zip(entries, articles, found, people, strict=True):
        _score(report, article, entry.get("people", []),
               {canonical_country(c) for c in entry.get("countries", [])}, same_person,
               entities, names)
    return report


def reuters_articles(folder: Path) -> Iterator[Article]:
    """Every Reuters-21578 document that has a body."""
    for path in sorted(folder.glob("reut2-*.sgm")):
        for item in read_reuters(path, path.name):
            if isinstance(item, Article) and item.body.strip():
                yield item


def evaluate_reuters(folder: Path) -> Report:
    """Score both country facets against PLACES and people against PEOPLE (by surname)."""
    report = Report(about=Score())
    for article in reuters_articles(folder):
        _score(report, article, article.gold_people, {reuters_place(p) for p in article.gold_places}, same_surname)
    return report


def _print_text(report: Report, verbose: bool) -> None:
    for kind, s in report.as_dict().items():
        if not isinstance(s, dict):
            continue
        print(f"{kind:14} P={s['precision']:.3f} R={s['recall']:.3f} F1={s['f1']:.3f} "
              f"(tp={s['tp']} fp={s['fp']} fn={s['fn']})")
    print(f"{'articles':14} {report.articles}")
    if verbose:
        for miss in report.misses:
            print(f"\n{miss['article']}")
            for kind in ("people", "countries"):
                detail = miss[kind]
                if detail["missed"] or detail["spurious"]:
                    print(f"  {kind}: missed {detail['missed']} spurious {detail['spurious']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m indexer.evaluate", description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--gold", type=Path, help="hand-labelled JSON list of {path, people, countries}")
    source.add_argument("--reuters", type=Path, help="folder with the Reuters-21578 reut2-*.sgm files")
    parser.add_argument("--root", type=Path, default=Path("."), help="folder the gold paths are relative to")
    parser.add_argument("--archive", action="store_true",
                        help="gold files: score people as the archive step resolves them "
                             "across the file's articles")
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument("-v", "--verbose", action="store_true", help="list per-article misses")
    args = parser.parse_args(argv)
    report = evaluate_gold(args.gold, args.root, args.archive) if args.gold else \
        evaluate_reuters(args.reuters)
    if args.format == "json":
        out = report.as_dict()
        if args.verbose:
            out["misses"] = report.misses
        json.dump(out, sys.stdout, indent=2)
        print()
    else:
        _print_text(report, args.verbose)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
