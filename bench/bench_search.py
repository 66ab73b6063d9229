"""Search latency on Reuters-21578, against Whoosh's own faceting and SQLite FTS5.

    .venv/bin/python bench/bench_search.py --index DIR [--rounds 3] [--compare OLD_DIR]

For each query of bench/queries.json (searcher reused, warm), in one run:
1. newsearch: search + people/countries/about/sources facets + date histogram + highlighted
   top 10 (``WhooshEngine.search``);
2. facet counting alone, ours (numpy columns over the matched documents) against Whoosh's
   ``groupedby`` with ``FieldFacet(allow_overlap=True)`` for people and countries and a
   monthly ``DateRangeFacet`` (its cost = search with groupedby - the same search without);
3. SQLite FTS5 (porter tokenizer, ``bm25()`` + ``snippet()``, top 10) over the same
   documents, with the query's words (FTS5 has no facets, filters or fuzzy terms).

``--compare OLD_DIR`` measures instead two indexes of the same articles against each other
and FTS5, query by query in one run (e.g. one built before newsearch's posting format, in
Whoosh's W3 format, and one after): each query as a full request and as the top 10 alone
(no facets, histogram or highlighting), on both indexes, the first one alternating, then
the FTS5 query where there is one; the two indexes must give the same scores in the same order.
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from whoosh.sorting import DateRangeFacet, FieldFacet  # noqa: E402
from whoosh.support.relativedelta import relativedelta  # noqa: E402

from bench.common import WARMUP, load, load_queries, percentile, summary, to_request  # noqa: E402
from indexer.engines.whoosh.engine import WhooshEngine  # noqa: E402
from indexer.search.model import FACETS  # noqa: E402


def timed(fn, *args, **kwargs) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn(*args, **kwargs)
    return (time.perf_counter() - started) * 1000, value


def fts5_query(text: str) -> str | None:
    """The words of a newsearch query in FTS5 syntax (fields, dates and ~ dropped)."""
    text = re.sub(r"\b(?:date|country|person|source):\S+", " ", text)
    text = re.sub(r"\btitle:", "title: ", text)
    text = re.sub(r"~\d*", "", text)
    text = re.sub(r"(?<![^\s(])-(?=\w)", "NOT ", text)
    text = re.sub(r"\)\s+(?=[\w\"])", ") AND ", text)  # FTS5 wants AND after a group
    text = text.strip()
    if not text:
        return None
    if text.startswith("NOT "):
        return None
    return text


def build_fts5(engine: WhooshEngine) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body, "
               "tokenize='porter unicode61')")
    searcher = engine.snapshot().searcher
    rows = ((f["id"], f.get("title", ""), f.get("body", "")) for f in searcher.all_stored_fields())
    db.executemany("INSERT INTO docs VALUES (?, ?, ?)", rows)
    db.commit()
    return db


def fts5_search(db: sqlite3.Connection, match: str) -> list:
    return db.execute(
        "SELECT id, snippet(docs, 2, '<mark>', '</mark>', ' … ', 24), bm25(docs, 0, 2.0, 1.0) "
        "FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, 0, 2.0, 1.0) LIMIT 10",
        (match,)).fetchall()


def matched_docs(engine: WhooshEngine, req) -> np.ndarray:
    """Every matching document, enumerated the way WhooshEngine.search does it."""
    snap = engine.snapshot()
    budget = engine.budget()
    q = engine.build_query(req, snap, budget)
    return snap.matches(q, budget).ids


def our_facets(engine: WhooshEngine, matched: np.ndarray) -> None:
    """Count people, countries, sources and the date histogram over matched documents."""
    snap = engine.snapshot()
    mask = snap.columns.mask(matched)
    for facet in FACETS:
        snap.columns.top(facet, mask, 10)
    snap.columns.date_histogram(matched)


def whoosh_grouped(searcher, q, facets) -> None:
    results = searcher.search(q, limit=10, groupedby=facets)
    for name in facets:
        results.groups(name)


def whoosh_plain(searcher, q) -> None:
    searcher.search(q, limit=10)[:10]


def compare(new_dir: Path, old_dir: Path, rounds: int) -> None:
    """``--compare`` (module docstring): old and new index and FTS5, interleaved."""
    engines = {"old": WhooshEngine(old_dir, refresh_seconds=3600),
               "new": WhooshEngine(new_dir, refresh_seconds=3600)}
    specs = load_queries()
    kinds = {"full": {}, "top 10": {"highlight": False, "with_facets": False}}
    db = build_fts5(engines["new"])
    for spec in WARMUP:
        for engine in engines.values():
            for over in kinds.values():
                engine.search(to_request(spec, **over))
    times = {(name, kind, part): [] for name in engines for kind in kinds
             for part in ("all", "fts5 words")}
    fts, differ = [], 0
    print(f"load before: {load()}")
    for round_ in range(rounds):
        for i, spec in enumerate(specs):
            order = list(engines.items()) if (i + round_) % 2 == 0 else list(engines.items())[::-1]
            match = fts5_query(spec.get("q", ""))
            for kind, over in kinds.items():
                hits = {}
                for name, engine in order:
                    ms, result = timed(engine.search, to_request(spec, **over))
                    times[(name, kind, "all")].append(ms)
                    hits[name] = [(h.id, h.score) for h in result.hits]
                    if match:
                        ms, _ = timed(engine.search, to_request({"q": spec.get("q", "")}, **over))
                        times[(name, kind, "fts5 words")].append(ms)
                # The same scores in the same order; ids may differ among equal scores
                # when the two builds numbered the documents differently (--workers 2).
                assert [x for _, x in hits["old"]] == [x for _, x in hits["new"]], spec
                differ += hits["old"] != hits["new"]
            if match:
                ms, _ = timed(fts5_search, db, match)
                fts.append(ms)
    print(f"load after: {load()}; {differ} result lists order equal scores differently")
    print(f"\n{len(specs)} queries x {rounds} rounds; FTS5 on the {len(fts) // rounds} with words "
          "only\n\n| measurement | p50 | p95 | mean |\n|---|---|---|---|")
    for (name, kind, part), values in times.items():
        label = f"newsearch {kind}, {name} index, " + (
            "every query" if part == "all" else "the FTS5 queries' words")
        print(f"| {label} | {percentile(values, 50):.2f} ms | {percentile(values, 95):.2f} ms "
              f"| {statistics.fmean(values):.2f} ms |")
    print(f"| SQLite FTS5 bm25() + snippet(), top 10 | {percentile(fts, 50):.2f} ms | "
          f"{percentile(fts, 95):.2f} ms | {statistics.fmean(fts):.2f} ms |\n")
    for kind in kinds:
        for part in ("all", "fts5 words"):
            old, new = times[("old", kind, part)], times[("new", kind, part)]
            print(f"{kind}, {part}: new/old p50 {percentile(new, 50) / percentile(old, 50):.2f}, "
                  f"p95 {percentile(new, 95) / percentile(old, 95):.2f}; new/FTS5 "
                  f"p50 {percentile(new, 50) / percentile(fts, 50):.2f}, "
                  f"p95 {percentile(new, 95) / percentile(fts, 95):.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare", type=Path, metavar="OLD_DIR",
                        help="time this index against --index and FTS5 instead (docstring)")
    args = parser.parse_args()
    if args.compare:
        compare(args.index, args.compare, args.rounds)
        return
    engine = WhooshEngine(args.index, refresh_seconds=3600)
    specs = load_queries()
    requests = [to_request(s) for s in specs]
    searcher = engine.snapshot().searcher
    first, last = engine.snapshot().columns.date_span(np.flatnonzero(engine.snapshot().live))
    from datetime import datetime
    whoosh_facets = {
        "people": FieldFacet("person", allow_overlap=True),
        "countries": FieldFacet("country", allow_overlap=True),
        "dates": DateRangeFacet("published", datetime(first.year, first.month, 1),
                                datetime(last.year, last.month, 1) + relativedelta(months=1),
                                relativedelta(months=1)),
    }
    print(f"{searcher.doc_count():,} documents, {len(requests)} queries, {args.rounds} rounds")
    started = time.perf_counter()
    db = build_fts5(engine)
    print(f"FTS5 index built in {time.perf_counter() - started:.1f} s")

    for req in requests:  # warm-up: every code path and cache once
        engine.search(req)

    full, ours, ours_e2e, theirs, fts, ours_plain = [], [], [], [], [], []
    for _ in range(args.rounds):
        for spec, req in zip(specs, requests, strict=True):
            ms, _ = timed(engine.search, req)
            full.append(ms)
            enumerate_ms, matched = timed(matched_docs, engine, req)
            ms, _ = timed(our_facets, engine, matched)
            ours.append(ms)
            ours_e2e.append(ms + enumerate_ms)
            q = engine.build_query(req, engine.snapshot(), engine.budget())
            with_groups, _ = timed(whoosh_grouped, searcher, q, whoosh_facets)
            plain, _ = timed(whoosh_plain, searcher, q)
            theirs.append(max(with_groups - plain, 0.01))
            match = fts5_query(spec.get("q", ""))
            if match:
                ms, _ = timed(fts5_search, db, match)
                fts.append(ms)
                ms, _ = timed(engine.search, to_request({"q": spec.get("q", "")}))
                ours_plain.append(ms)
    print("\n| measurement | p50 | p95 | mean |\n|---|---|---|---|")
    for label, values in (("newsearch: search + 4 facets + histogram + highlighted top 10", full),
                          ("facet counting, newsearch (numpy columns)", ours),
                          ("facet counting + enumerating the matches, newsearch", ours_e2e),
                          ("facet counting, Whoosh groupedby (FieldFacet overlap + monthly "
                           "DateRangeFacet)", theirs),
                          ("newsearch, same queries as FTS5 (words only)", ours_plain),
                          ("SQLite FTS5 bm25() + snippet(), top 10", fts)):
        print(f"| {label} | {percentile(values, 50):.2f} ms | {percentile(values, 95):.2f} ms "
              f"| {statistics.fmean(values):.2f} ms |")
    print()
    for label, values in (("counting only", ours), ("counting + enumerating matches", ours_e2e)):
        print(f"facet speed-up over Whoosh groupedby, {label}: "
              f"{statistics.fmean(theirs) / statistics.fmean(values):.1f}x (mean), "
              f"{percentile(theirs, 50) / percentile(values, 50):.1f}x (p50), "
              f"{percentile(theirs, 95) / percentile(values, 95):.1f}x (p95)")
    print(f"newsearch / FTS5 on the same word queries: "
          f"p50 {percentile(ours_plain, 50) / percentile(fts, 50):.1f}x, "
          f"p95 {percentile(ours_plain, 95) / percentile(fts, 95):.1f}x")
    print(f"\nnewsearch full: {summary(full)}")


if __name__ == "__main__":
    main()
