"""Ranking quality (issue 15): the judged queries of bench/relevance_queries.json against
newsearch on both engines and three other rankers, on the same articles, in one run.

    .venv/bin/python bench/relevance.py [--corpus reuters|bbc] [--server URL]
        [--systems NAME ...] [--keep] [--rebuild] [--latency ROUNDS]
        [--out docs/relevance-per-query.tsv]

Judgements come from labels that already exist: a Reuters-21578 article is relevant to a
query when its TOPICS carry the query's topic; a BBC article when it is in the query's
category (coarse: five categories). The query set was committed before anything was
measured, and its untouched part (chosen by a hash of the query text) is reported, never
tuned on; this script refuses a set whose parts do not follow the rule it states.

Systems, each given the query text as a user typed it, top 100 kept:

- ``newsearch whoosh`` / ``newsearch opensearch``: ``Engine.search`` as the web page
  runs it (default request: relevance order, near-duplicates folded), on the newsearch
  index of the corpus (Whoosh folder) and on a copy of it in OpenSearch
  (``newsearch copy``, index ``bench-relevance``, dropped at the end unless ``--keep``);
- ``newsearch whoosh, unfolded``: the same without folding (does folding help the top 10?);
- ``newsearch <engine>, before``: without issue 15's proximity bonus and relaxed fallback;
  ``newsearch <engine>`` ranks what a user paging through would see: the first page of
  CUTOFF hits (filled by the fallback when the words find fewer), then the strict ones;
- ``sqlite fts5``: ``bm25(docs, 2.0, 1.0)`` (title weight 2), porter tokenizer, the
  query's words ANDed (FTS5's implicit AND);
- ``tantivy``: ``en_stem`` tokenizer, ``parse_query`` over title and body with
  ``field_boosts={"title": 2.0}`` (tantivy's default: words ORed);
- ``stock whoosh``: a plain Whoosh schema (``StemmingAnalyzer`` on title and body),
  ``MultifieldParser`` with title boost 2, default ``BM25F``, words ANDed.

Every system indexes the same articles: those newsearch's readers yield (id, title, body;
the run stops if the newsearch index holds another count). Indexes are built once and cached under
``.newsearch/bench/relevance/<corpus>/`` (``--rebuild`` builds them again; the newsearch
one is also rebuilt when its schema version changed).

Metrics per query: P@10, nDCG@10 (binary gains, ideal = min(relevant, 10) relevant
documents on top), AP@100 (precision at each relevant document among the first 100,
divided by min(relevant, 100)); means per system and part. The per-query table goes to
``--out`` (TSV), the means to ``bench/out/relevance-<corpus>.json``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import re
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (  # noqa: E402
    BENCH,
    SHARED,
    WARMUP,
    load,
    load_queries,
    percentile,
    to_request,
)
from indexer.search.engine import Engine, open_engine  # noqa: E402
from indexer.search.model import SearchRequest  # noqa: E402

QUERIES = BENCH / "relevance_queries.json"
CACHE = BENCH.parent / ".newsearch" / "bench" / "relevance"
CORPORA = {"reuters": SHARED / "corpora" / "reuters21578", "bbc": SHARED / "corpora" / "bbc"}
LABEL = {"reuters": "topic", "bbc": "category"}  # the judgement key of each section
OS_INDEX = "bench-relevance"
DEPTH = 100  # ranks kept per query (MAP@100)
CUTOFF = 10  # P@10, nDCG@10
TITLE_WEIGHT = 2.0  # every other system's title weight (the comparison)
PARTS = ("tuning", "untouched")
METRICS = ("P@10", "nDCG@10", "AP@100")


# -- the query set ---------------------------------------------------------------------

def part_of(query: str, untouched_percent: int) -> str:
    """The part a query belongs to, by the rule the set states (a hash of its text)."""
    h = int(hashlib.sha256(query.encode("utf-8")).hexdigest()[:8], 16)
    return "untouched" if h % 100 < untouched_percent else "tuning"


def load_set(corpus: str, path: Path = QUERIES) -> list[dict]:
    """The queries of one corpus, after checking each one's part against the rule."""
    spec = json.loads(path.read_text("utf-8"))
    rows = spec[corpus]
    for row in rows:
        if row["part"] != part_of(row["q"], spec["untouched_percent"]):
            raise SystemExit(f"{path}: {row['q']!r} is in the {row['part']} part, but the "
                             f"split rule puts it in the other one")
    return rows


# -- metrics ---------------------------------------------------------------------------

def precision_at(ranked: list[str], relevant: set[str], k: int = CUTOFF) -> float:
    return sum(d in relevant for d in ranked[:k]) / k


def ndcg_at(ranked: list[str], relevant: set[str], k: int = CUTOFF) -> float:
    """Binary-gain nDCG: 1/log2(rank+1) per relevant document, over the best possible."""
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(relevant), k)))
    if not ideal:
        return 0.0
    return sum(1 / math.log2(i + 2) for i, d in enumerate(ranked[:k]) if d in relevant) / ideal


def average_precision(ranked: list[str], relevant: set[str], depth: int = DEPTH) -> float:
    """AP over the first ``depth`` ranks, normalised by the relevant documents that fit."""
    if not relevant:
        return 0.0
    found, total = 0, 0.0
    for i, d in enumerate(ranked[:depth]):
        if d in relevant:
            found += 1
            total += found / (i + 1)
    return total / min(len(relevant), depth)


def scores(ranked: list[str], relevant: set[str]) -> dict[str, float]:
    return {"P@10": precision_at(ranked, relevant), "nDCG@10": ndcg_at(ranked, relevant),
            "AP@100": average_precision(ranked, relevant)}


# -- the articles ----------------------------------------------------------------------

@dataclass(frozen=True)
class Doc:
    id: str
    title: str
    body: str
    labels: frozenset[str]


def read_docs(corpus: Path) -> list[Doc]:
    """The articles of a corpus as newsearch's readers yield them (what ``newsearch
    index`` indexes: records it cannot read are reported and skipped there too), in id
    order, with their labels (Reuters TOPICS, the BBC category)."""
    from indexer.article import Article
    from indexer.sources import discover, read_file

    docs = [Doc(a.id, a.title, a.body, frozenset(c for c in a.category.split(",") if c))
            for source in discover([corpus]).files for a in read_file(source)
            if isinstance(a, Article)]
    return sorted(docs, key=lambda d: d.id)


def fingerprint(docs: list[Doc]) -> str:
    """Identifies a document set, so a cached index of other articles is rebuilt."""
    h = hashlib.sha1()
    for d in docs:
        h.update(f"{d.id}\x00{len(d.title)}\x00{len(d.body)}\x00".encode())
    return h.hexdigest()


def cached(folder: Path, key: str, build: Callable[[Path], None], rebuild: bool) -> Path:
    """``folder`` built by ``build`` unless a build for the same ``key`` is there."""
    stamp = folder.parent / f"{folder.name}.key"
    if not rebuild and folder.exists() and stamp.exists() and stamp.read_text() == key:
        return folder
    if folder.is_dir():
        shutil.rmtree(folder)
    elif folder.exists():
        folder.unlink()
    started = time.perf_counter()
    build(folder)
    stamp.write_text(key)
    print(f"built {folder.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return folder


def words(text: str) -> list[str]:
    """A query's words for the systems whose parsers have other syntax than ours."""
    return re.findall(r"\w+", text.lower())


# -- the systems -----------------------------------------------------------------------

class System:
    """One ranker: ``ranked(query)`` is its top DEPTH article ids, best first."""

    name = ""

    def ranked(self, query: str) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        return None


class Newsearch(System):
    """``Engine.search`` as the web page runs it. With ``before``, the ranking of before
    issue 15's changes (no proximity bonus, no relaxed fallback), to measure them in the
    same run: the two switches are turned off around each search."""

    def __init__(self, name: str, engine: Engine, fold: bool = True,
                 before: bool = False) -> None:
        self.name, self.engine, self.fold, self.before = name, engine, fold, before

    def ranked(self, query: str) -> list[str]:
        req = SearchRequest(query=query, limit=DEPTH, highlight=False, with_facets=False,
                            fold_duplicates=self.fold)
        with as_before(self.before):
            hits = self.engine.search(req).hits
            if not self.before:
                # What a user paging through sees: the fallback fills their first page
                # (CUTOFF hits); later pages hold the strict matches only.
                page = self.engine.search(replace(req, limit=CUTOFF)).hits
                shown = {h.id for h in page}
                hits = page + [h for h in hits if not h.relaxed and h.id not in shown]
        return [h.id for h in hits]


@contextmanager
def as_before(active: bool) -> Iterator[None]:
    """Proximity bonus and relaxed fallback off (both engines) while the block runs."""
    from indexer.engines.opensearch import engine as os_engine
    from indexer.engines.whoosh import engine as whoosh_engine
    from indexer.search import ranking

    if not active:
        yield
        return
    weight = ranking.PROXIMITY_WEIGHT
    ranking.PROXIMITY_WEIGHT = 0.0
    modules = (whoosh_engine, os_engine)
    saved = [m.relaxed_request for m in modules]
    for m in modules:
        m.relaxed_request = lambda req, result: None
    try:
        yield
    finally:
        ranking.PROXIMITY_WEIGHT = weight
        for m, f in zip(modules, saved, strict=True):
            m.relaxed_request = f


class Fts5(System):
    name = "sqlite fts5"

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        self.ids = [row[0] for row in self.db.execute("SELECT id FROM ids ORDER BY rowid")]

    @staticmethod
    def build(docs: list[Doc]) -> Callable[[Path], None]:
        def make(path: Path) -> None:
            db = sqlite3.connect(path)
            db.execute("CREATE TABLE ids (rowid INTEGER PRIMARY KEY, id TEXT)")
            db.execute("CREATE VIRTUAL TABLE docs USING fts5(title, body, "
                       "tokenize='porter unicode61')")
            db.executemany("INSERT INTO ids VALUES (?, ?)", [(i, d.id) for i, d in enumerate(docs)])
            db.executemany("INSERT INTO docs (rowid, title, body) VALUES (?, ?, ?)",
                           [(i, d.title, d.body) for i, d in enumerate(docs)])
            db.commit()
            db.close()
        return make

    def ranked(self, query: str) -> list[str]:
        match = " ".join(f'"{w}"' for w in words(query))
        rows = self.db.execute(
            "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY bm25(docs, ?, 1.0) LIMIT ?",
            (match, TITLE_WEIGHT, DEPTH))
        return [self.ids[r[0]] for r in rows]

    def close(self) -> None:
        self.db.close()


class Tantivy(System):
    name = "tantivy"

    def __init__(self, path: Path) -> None:
        import tantivy

        self.index = tantivy.Index.open(str(path))
        self.searcher = self.index.searcher()

    @staticmethod
    def build(docs: list[Doc]) -> Callable[[Path], None]:
        def make(path: Path) -> None:
            import tantivy

            schema = tantivy.SchemaBuilder()
            schema.add_text_field("id", stored=True, tokenizer_name="raw")
            schema.add_text_field("title", tokenizer_name="en_stem")
            schema.add_text_field("body", tokenizer_name="en_stem")
            path.mkdir(parents=True)
            index = tantivy.Index(schema.build(), path=str(path))
            writer = index.writer(heap_size=100_000_000, num_threads=1)
            for d in docs:
                writer.add_document(tantivy.Document(id=d.id, title=d.title, body=d.body))
            writer.commit()
            writer.wait_merging_threads()
        return make

    def ranked(self, query: str) -> list[str]:
        q = self.index.parse_query(" ".join(words(query)), ["title", "body"],
                                   field_boosts={"title": TITLE_WEIGHT})
        hits = self.searcher.search(q, DEPTH).hits
        return [self.searcher.doc(address)["id"][0] for _, address in hits]


class StockWhoosh(System):
    name = "stock whoosh"

    def __init__(self, path: Path) -> None:
        from whoosh import index
        from whoosh.qparser import MultifieldParser

        self.ix = index.open_dir(str(path))
        self.searcher = self.ix.searcher()
        self.parser = MultifieldParser(["title", "body"], self.ix.schema,
                                       fieldboosts={"title": TITLE_WEIGHT})

    @staticmethod
    def build(docs: list[Doc]) -> Callable[[Path], None]:
        def make(path: Path) -> None:
            from whoosh import index
            from whoosh.analysis import StemmingAnalyzer
            from whoosh.fields import ID, TEXT, Schema

            schema = Schema(id=ID(stored=True), title=TEXT(analyzer=StemmingAnalyzer()),
                            body=TEXT(analyzer=StemmingAnalyzer()))
            path.mkdir(parents=True)
            writer = index.create_in(str(path), schema).writer(limitmb=256)
            for d in docs:
                writer.add_document(id=d.id, title=d.title, body=d.body)
            writer.commit()
        return make

    def ranked(self, query: str) -> list[str]:
        hits = self.searcher.search(self.parser.parse(" ".join(words(query))), limit=DEPTH)
        return [h["id"] for h in hits]

    def close(self) -> None:
        self.searcher.close()


# -- the run ---------------------------------------------------------------------------

def newsearch_index(corpus: str, rebuild: bool) -> Path:
    """The newsearch Whoosh index of a corpus, built with ``newsearch index`` once."""
    from indexer.build import build_index
    from indexer.engines.whoosh.schema import SCHEMA_VERSION

    def make(folder: Path) -> None:
        build_index([CORPORA[corpus]], folder, workers=2)

    folder = CACHE / corpus / "newsearch-whoosh"
    return cached(folder, f"schema {SCHEMA_VERSION}", make, rebuild)


def opensearch_copy(server: str, index_dir: Path, documents: int) -> str:
    """The newsearch index copied into OpenSearch (reused when it holds the same count)."""
    from indexer.build import copy_index

    location = f"{server.rstrip('/')}/{OS_INDEX}"
    try:
        if open_engine(location).stats().documents == documents:
            return location
    except Exception:  # missing or unusable: copied again below
        pass
    started = time.perf_counter()
    copy_index(index_dir, location, rebuild=True)
    print(f"copied into {location} in {time.perf_counter() - started:.0f} s", flush=True)
    return location


def open_systems(corpus: str, wanted: set[str] | None, server: str | None,
                 rebuild: bool) -> tuple[list[System], list[Doc], str | None]:
    docs = read_docs(CORPORA[corpus])
    key = fingerprint(docs)
    folder = CACHE / corpus
    newsearch = {"newsearch whoosh", "newsearch whoosh, unfolded", "newsearch whoosh, before",
                 "newsearch opensearch", "newsearch opensearch, before"}
    index_dir = newsearch_index(corpus, rebuild) if wanted is None or wanted & newsearch else None
    if index_dir is not None and (held := open_engine(index_dir).stats().documents) != len(docs):
        raise SystemExit(f"{index_dir} holds {held:,} articles, the corpus {len(docs):,}: "
                         f"run again with --rebuild")
    makers: dict[str, Callable[[], System]] = {
        "newsearch whoosh": lambda: Newsearch("newsearch whoosh", open_engine(index_dir)),
        "newsearch whoosh, unfolded": lambda: Newsearch(
            "newsearch whoosh, unfolded", open_engine(index_dir), fold=False),
        "newsearch whoosh, before": lambda: Newsearch(
            "newsearch whoosh, before", open_engine(index_dir), before=True),
        "sqlite fts5": lambda: Fts5(cached(folder / "fts5.sqlite", key, Fts5.build(docs), rebuild)),
        "tantivy": lambda: Tantivy(cached(folder / "tantivy", key, Tantivy.build(docs), rebuild)),
        "stock whoosh": lambda: StockWhoosh(cached(folder / "stock-whoosh", key,
                                                   StockWhoosh.build(docs), rebuild)),
    }
    location = None
    if server and index_dir is not None:
        location = opensearch_copy(server, index_dir, len(docs))
        makers["newsearch opensearch"] = lambda: Newsearch("newsearch opensearch",
                                                           open_engine(location))
        makers["newsearch opensearch, before"] = lambda: Newsearch(
            "newsearch opensearch, before", open_engine(location), before=True)
    systems = [make() for name, make in makers.items() if wanted is None or name in wanted]
    return systems, docs, location


def relevant_sets(rows: list[dict], docs: list[Doc], key: str) -> dict[str, set[str]]:
    by_label: dict[str, set[str]] = {}
    for d in docs:
        for label in d.labels:
            by_label.setdefault(label, set()).add(d.id)
    return {row["q"]: by_label.get(row[key], set()) for row in rows}


def evaluate(systems: list[System], rows: list[dict],
             relevant: dict[str, set[str]]) -> dict[str, dict[str, dict[str, float]]]:
    """Per system, per query: its scores."""
    return {s.name: {row["q"]: scores(s.ranked(row["q"]), relevant[row["q"]]) for row in rows}
            for s in systems}


def means(per_query: dict[str, dict[str, float]], rows: Iterable[dict]) -> dict[str, float]:
    chosen = [per_query[row["q"]] for row in rows]
    return {m: sum(s[m] for s in chosen) / len(chosen) for m in METRICS} if chosen else {}


def summarise(results: dict, rows: list[dict]) -> dict[str, dict[str, dict[str, float]]]:
    """Means per system and part (plus both parts together)."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name, per_query in results.items():
        out[name] = {part: means(per_query, [r for r in rows if r["part"] == part])
                     for part in PARTS}
        out[name]["all"] = means(per_query, rows)
    return out


def print_summary(summary: dict, rows: list[dict]) -> None:
    for part in (*PARTS, "all"):
        n = len(rows) if part == "all" else sum(r["part"] == part for r in rows)
        print(f"\n{part} part ({n} queries)" if part != "all" else f"\nall ({n} queries)")
        print(f"  {'system':<28}" + "".join(f"{m:>9}" for m in METRICS))
        for name, by_part in summary.items():
            print(f"  {name:<28}" + "".join(f"{by_part[part][m]:9.3f}" for m in METRICS))


def write_table(path: Path, results: dict, rows: list[dict], relevant: dict[str, set[str]],
                key: str) -> None:
    names = list(results)
    head = ["part", "query", key, "relevant"] + [f"{n}: {m}" for n in names for m in METRICS]
    lines = ["\t".join(head)]
    for row in sorted(rows, key=lambda r: (r["part"], r[key], r["q"])):
        q = row["q"]
        lines.append("\t".join([row["part"], q, row[key], str(len(relevant[q]))]
                               + [f"{results[n][q][m]:.3f}" for n in names for m in METRICS]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def latency(systems: list[System], rounds: int) -> None:
    """Search latency with issue 15's changes against without them, per engine: the
    queries of bench/queries.json as default requests (facets, highlights, folding, as
    docs/BENCHMARKS.md's search figures), after a warm-up, the two alternating query by
    query so that they share the machine's load."""
    specs = load_queries()
    for system in (s for s in systems if isinstance(s, Newsearch) and s.fold):
        engine = system.engine
        for spec in WARMUP:
            engine.search(to_request(spec))
        times: dict[bool, list[float]] = {False: [], True: []}
        for n in range(rounds):
            for i, spec in enumerate(specs):
                for before in ((False, True) if (i + n) % 2 else (True, False)):
                    with as_before(before):
                        started = time.perf_counter()
                        engine.search(to_request(spec))
                        times[before].append((time.perf_counter() - started) * 1000)
        now, then = times[False], times[True]
        print(f"{system.name}: p50 {percentile(now, 50):.1f} ms (before {percentile(then, 50):.1f}), "
              f"p95 {percentile(now, 95):.1f} ms (before {percentile(then, 95):.1f}), "
              f"p95 ratio {percentile(now, 95) / percentile(then, 95):.3f}; load {load()}",
              flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=sorted(CORPORA), default="reuters")
    parser.add_argument("--server", default="http://127.0.0.1:9200",
                        help="OpenSearch for 'newsearch opensearch' ('' to leave it out)")
    parser.add_argument("--systems", nargs="+", help="only these systems (names as printed)")
    parser.add_argument("--keep", action="store_true", help="keep the OpenSearch index")
    parser.add_argument("--rebuild", action="store_true", help="build every index again")
    parser.add_argument("--latency", type=int, default=0, metavar="ROUNDS",
                        help="also time bench/queries.json with and without the changes")
    parser.add_argument("--out", type=Path, help="per-query TSV "
                        "(default docs/relevance-per-query[-bbc].tsv)")
    args = parser.parse_args(argv)
    rows = load_set(args.corpus)
    key = LABEL[args.corpus]
    wanted = set(args.systems) if args.systems else None
    server = (args.server if wanted is None or {"newsearch opensearch",
                                                 "newsearch opensearch, before"} & wanted
              else None)
    print(f"load before: {load()}", flush=True)
    systems, docs, location = open_systems(args.corpus, wanted, server or None, args.rebuild)
    try:
        relevant = relevant_sets(rows, docs, key)
        started = time.perf_counter()
        results = evaluate(systems, rows, relevant)
        print(f"{len(rows)} queries × {len(systems)} systems over {len(docs):,} articles in "
              f"{time.perf_counter() - started:.0f} s; load after: {load()}")
        summary = summarise(results, rows)
        print_summary(summary, rows)
        suffix = "" if args.corpus == "reuters" else f"-{args.corpus}"
        out = args.out or BENCH.parent / "docs" / f"relevance-per-query{suffix}.tsv"
        write_table(out, results, rows, relevant, key)
        figures = BENCH / "out" / f"relevance-{args.corpus}.json"
        figures.parent.mkdir(exist_ok=True)
        figures.write_text(json.dumps({"articles": len(docs), "queries": len(rows),
                                       "summary": summary}, indent=1), encoding="utf-8")
        print(f"\nper-query table: {out}\nmeans: {figures}")
        if args.latency:
            latency(systems, args.latency)
    finally:
        for s in systems:
            s.close()
        if location and not args.keep:
            from bench.bench_engines import drop_index

            drop_index(args.server, OS_INDEX)


if __name__ == "__main__":
    main()
