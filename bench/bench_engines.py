"""Whoosh and OpenSearch side by side on Reuters-21578, in one run (issue 11's targets).

    .venv/bin/python bench/bench_engines.py [--server http://127.0.0.1:9200]
        [--parts index search overlap web] [--keep] [--reuse] [--out bench/out/engines.json]

1. index: all of Reuters-21578 with extraction into a fresh Whoosh folder and a fresh
   OpenSearch index with ``--workers 2``, then Whoosh with ``--workers 1``; wall time,
   articles/s, and the main process's time inside the writer (bulk requests included).
2. search: every query of bench/queries.json as a default SearchRequest (facets, date
   histogram, highlighted top 10, folding), once per engine after a warm-up on other
   queries, the two engines interleaved query by query (the first one alternating);
   p50/p95/p99 per engine. On OpenSearch, the round trips per search and the server's
   own ``took`` beside the time in the client call, to show where the time goes.
3. overlap: the same queries plus one per construct of docs/query-syntax.md, grouped by
   kind: top-10 overlap (article ids, and stories: folded hits may show another copy of
   the same story) and whether totals and story counts are equal.
4. web: ``bench/bench_web.py``'s measurement with 8 clients on each engine, the engines
   alternating endpoint by endpoint.

``--baseline DIR`` adds the Whoosh code of before the engine seam (a checkout such as
``git archive 096d82e | tar -x -C DIR``, the code docs/BENCHMARKS.md's earlier figures
came from) to the same run, in a subprocess: its ``--workers 1`` build, and its search
over the same Whoosh index, interleaved query by query with the two engines. So "no
slower than today" is a ratio measured under the same load, not a comparison with a
figure taken on another day.

Indexes are named ``bench-engines`` (OpenSearch) and live under a temporary folder
(Whoosh); they are removed at the end unless ``--keep``. ``--reuse`` measures search,
overlap and web again on the indexes a ``--keep`` run left (and removes them unless
``--keep`` is given again).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import bench_web  # noqa: E402
from bench.common import (  # noqa: E402
    BENCH,
    REUTERS,
    WARMUP,
    load,
    load_queries,
    percentile,
    to_request,
)
from indexer.build import build_index  # noqa: E402
from indexer.search.engine import Engine, open_engine  # noqa: E402
from indexer.search.model import SearchResult  # noqa: E402

NAME = "bench-engines"
KEPT = Path(tempfile.gettempdir()) / "bench-engines"  # Whoosh folders of a --keep run
ENGINES = ("whoosh", "opensearch")
BEFORE = "whoosh before the seam"  # --baseline

# One query per construct of docs/query-syntax.md not already in bench/queries.json.
SYNTAX = [
    {"q": "pompeo korea"}, {"q": "brazil -coffee"}, {"q": "\"bank rates\"~3"},
    {"q": "pric~2"}, {"q": "expor?"}, {"q": "title:cocoa"}, {"q": "person:\"James Baker\""},
    {"q": "country:\"west germany\""}, {"q": "about:japan"}, {"q": "source:reuters"},
    {"q": "date:1987-03-02"}, {"q": "date:[1987-03-01 to 1987-03-31]"},
    {"q": "date:>1987-03-05"}, {"q": "\"said said\""}, {"q": "u.s. 3.5"},
    {"q": "-oil"}, {"q": "NOT oil"}, {"q": "*"},
]
KINDS = ("plain words", "phrase", "boolean OR/NOT", "wildcard/fuzzy", "field queries",
         "filtered/dated", "sorted by date")
_FILTER_KEYS = ("people", "countries", "exclude_people", "exclude_countries", "date_from",
                "date_to")


def kind(spec: dict) -> str:
    """The query kind of one queries.json-style entry (the first that applies)."""
    q = spec.get("q", "")
    words = q.split()
    if spec.get("sort", "relevance") != "relevance":
        return "sorted by date"
    if any(k in spec for k in _FILTER_KEYS) or "date:" in q or not q.strip() or q == "*":
        return "filtered/dated"
    if any(f in q for f in ("title:", "person:", "country:", "about:", "source:")):
        return "field queries"
    if '"' in q:
        return "phrase"
    if any(ch in q for ch in "*?~"):
        return "wildcard/fuzzy"
    if {"OR", "NOT", "AND"} & set(words) or "(" in q or any(w.startswith("-") for w in words):
        return "boolean OR/NOT"
    return "plain words"


def label(spec: dict) -> str:
    extra = ", ".join(f"{k}={v}" for k, v in spec.items() if k != "q")
    return (spec.get("q") or "(no query)") + (f" [{extra}]" if extra else "")


def machine() -> dict:
    return {"platform": platform.platform(), "cpus": os.cpu_count(),
            "python": platform.python_version(), "processor": platform.processor()}


# -- timing helpers ----------------------------------------------------------------------

@contextmanager
def timed_methods(cls: type, names: tuple[str, ...]) -> Iterator[dict[str, float]]:
    """Seconds spent inside each method of ``cls`` while the block runs (inclusive: a
    method called from another is counted in both)."""
    spent = {name: 0.0 for name in names}
    originals = {name: getattr(cls, name) for name in names}

    def wrap(name: str, method: Callable) -> Callable:
        def call(*args, **kwargs):
            started = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - started
        return call

    for name, method in originals.items():
        setattr(cls, name, wrap(name, method))
    try:
        yield spent
    finally:
        for name, method in originals.items():
            setattr(cls, name, method)


class ServerClock:
    """Round trips of one OpenSearch engine and the server's own ``took`` against the
    wall time of the client calls (HTTP, JSON, opensearch-py), per search."""

    def __init__(self, client) -> None:
        self.calls = 0
        self.took_ms = 0.0
        self.client_ms = 0.0
        for name in ("search", "count", "msearch"):
            setattr(client, name, self._wrap(getattr(client, name)))

    def _wrap(self, method: Callable) -> Callable:
        def call(*args, **kwargs):
            started = time.perf_counter()
            resp = method(*args, **kwargs)
            self.client_ms += (time.perf_counter() - started) * 1000
            self.calls += 1
            self.took_ms += resp.get("took", 0) if isinstance(resp, dict) else 0
            return resp
        return call

    def reset(self) -> dict:
        out = {"round_trips": self.calls, "took_ms": self.took_ms,
               "client_ms": self.client_ms}
        self.calls, self.took_ms, self.client_ms = 0, 0.0, 0.0
        return out


_BASELINE_LOOP = r"""
import json, sys, time
from pathlib import Path
from bench.common import to_request
engine = None
for line in sys.stdin:
    cmd = json.loads(line)
    if cmd["op"] == "index":
        from indexer.build import build_index
        started = time.perf_counter()
        report = build_index([Path(cmd["corpus"])], Path(cmd["target"]),
                             workers=cmd["workers"], rebuild=True)
        out = {"wall_s": time.perf_counter() - started, "articles": report.documents}
    elif cmd["op"] == "open":
        # The index's pickled schema names DayField by its module after the seam; the
        # class is the same, so that name is pointed at the baseline's own module.
        import types
        import indexer.dayfield
        for name in ("indexer.engines", "indexer.engines.whoosh"):
            sys.modules.setdefault(name, types.ModuleType(name)).__path__ = []
        sys.modules["indexer.engines.whoosh.dayfield"] = indexer.dayfield
        from indexer.search.engine import SearchEngine
        engine = SearchEngine(Path(cmd["index"]), refresh_seconds=3600)
        engine.warm()
        out = {}
    else:
        req = to_request(cmd["spec"])
        started = time.perf_counter()
        result = engine.search(req)
        out = {"ms": (time.perf_counter() - started) * 1000, "total": result.total}
    print(json.dumps(out), flush=True)
"""


class Baseline:
    """The code of before the engine seam, in its own process (its own ``indexer``),
    answering one command per line: build an index, open one, run one search."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.proc = subprocess.Popen([sys.executable, "-c", _BASELINE_LOOP], cwd=root,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)

    def ask(self, **cmd: object) -> dict:
        self.proc.stdin.write(json.dumps(cmd, default=str) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"the baseline process in {self.root} ended")
        return json.loads(line)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)


# -- 1. indexing -------------------------------------------------------------------------

def index_once(engine: str, location: str, workers: int, corpus: Path) -> dict:
    """One fresh build with extraction; the main process's time inside the writer."""
    if engine == "whoosh":
        from indexer.engines.whoosh.writer import WhooshWriter as writer_cls
        methods: tuple[str, ...] = ("put", "commit")
    else:
        from indexer.engines.opensearch.writer import OpenSearchWriter as writer_cls
        methods = ("put", "flush", "commit", "_write_words")
    before = load()
    with timed_methods(writer_cls, methods) as spent:
        started = time.perf_counter()
        report = build_index([corpus], location, workers=workers, rebuild=True)
        wall = time.perf_counter() - started
    row = {"engine": engine, "workers": workers, "articles": report.documents,
           "wall_s": round(wall, 1), "articles_s": round(report.documents / wall),
           "problems": report.problem_kinds, "writer_s": {k: round(v, 1)
                                                          for k, v in spent.items()},
           "load_before": before, "load_after": load()}
    print(f"| {engine} | {workers} | {row['articles']:,} | {row['wall_s']} | "
          f"{row['articles_s']} | {row['writer_s']} | {before} → {row['load_after']} |",
          flush=True)
    return row


def index_baseline(baseline: Baseline, corpus: Path, target: Path, workers: int,
                   keep: bool = False) -> dict:
    """The baseline's build; ``keep`` leaves the index for the baseline's searches (the
    code before the seam cannot open an index in today's format)."""
    before = load()
    got = baseline.ask(op="index", corpus=str(corpus), target=str(target), workers=workers)
    if not keep:
        shutil.rmtree(target, ignore_errors=True)
    row = {"engine": BEFORE, "workers": workers, "articles": got["articles"],
           "wall_s": round(got["wall_s"], 1), "articles_s": round(got["articles"] / got["wall_s"]),
           "load_before": before, "load_after": load()}
    print(f"| {BEFORE} | {workers} | {row['articles']:,} | {row['wall_s']} | "
          f"{row['articles_s']} | | {before} → {row['load_after']} |", flush=True)
    return row


def index_all(locations: dict[str, str], corpus: Path, single_corpus: Path, scratch: Path,
              baseline: Baseline | None) -> list[dict]:
    """Both engines with 2 workers (and the baseline, whose index its searches use),
    then Whoosh with 1 (and the baseline's) on ``single_corpus`` (the same corpus unless
    --single-corpus names a part of it)."""
    print("\n| engine | workers | articles | wall s | articles/s | in the writer s | load |\n"
          "|---|---|---|---|---|---|---|")
    rows = [index_once("whoosh", locations["whoosh"], 2, corpus),
            index_once("opensearch", locations["opensearch"], 2, corpus)]
    if baseline:
        rows.append(index_baseline(baseline, corpus, Path(locations[BEFORE]), 2, keep=True))
    single = scratch / "whoosh-w1"
    rows.append(index_once("whoosh", str(single), 1, single_corpus))
    shutil.rmtree(single, ignore_errors=True)
    if baseline:
        rows.append(index_baseline(baseline, single_corpus, scratch / "before-w1", 1))
    return rows


# -- 2 and 3. search and overlap ---------------------------------------------------------

def answer(result: SearchResult) -> dict:
    return {"total": result.total, "stories": result.stories,
            "ids": [h.id for h in result.hits], "dupkeys": [h.dupkey for h in result.hits]}


def run_queries(engines: dict[str, Engine], specs: list[dict], clock: ServerClock | None,
                baseline: Baseline | None = None) -> list[dict]:
    """Each query once per engine, interleaved, the first engine rotating (the baseline
    times its search inside its own process)."""
    rows = []
    names = ENGINES + ((BEFORE,) if baseline else ())
    for i, spec in enumerate(specs):
        req = to_request(spec)
        row: dict = {"query": spec, "kind": kind(spec)}
        order = names[i % len(names):] + names[:i % len(names)]
        for name in order:
            if name == BEFORE:
                row[name] = baseline.ask(op="search", spec=spec)
                continue
            if clock and name == "opensearch":
                clock.reset()
            started = time.perf_counter()
            result = engines[name].search(req)
            row[name] = {"ms": (time.perf_counter() - started) * 1000, **answer(result)}
            if clock and name == "opensearch":
                row[name].update(clock.reset())
        rows.append(row)
    return rows


def latency(rows: list[dict], name: str) -> dict:
    ms = [r[name]["ms"] for r in rows]
    return {"queries": len(ms), "p50_ms": percentile(ms, 50), "p95_ms": percentile(ms, 95),
            "p99_ms": percentile(ms, 99), "max_ms": max(ms)}


def opensearch_breakdown(rows: list[dict]) -> dict:
    """Where an OpenSearch search spends its time: the server (took), the client call
    around it (HTTP + JSON), and our Python before and after."""
    def p(key: str, pct: float) -> float:
        return percentile([r["opensearch"][key] for r in rows], pct)
    ours = [r["opensearch"]["ms"] - r["opensearch"]["client_ms"] for r in rows]
    transport = [r["opensearch"]["client_ms"] - r["opensearch"]["took_ms"] for r in rows]
    trips = [r["opensearch"]["round_trips"] for r in rows]
    return {"took_p50_ms": p("took_ms", 50), "took_p95_ms": p("took_ms", 95),
            "client_p50_ms": p("client_ms", 50), "client_p95_ms": p("client_ms", 95),
            "transport_p50_ms": percentile(transport, 50),
            "transport_p95_ms": percentile(transport, 95),
            "python_p50_ms": percentile(ours, 50), "python_p95_ms": percentile(ours, 95),
            "round_trips_mean": sum(trips) / len(trips), "round_trips_max": max(trips),
            "slowest": sorted(({"query": label(r["query"]), **r["opensearch"]}
                               for r in rows), key=lambda x: -x["ms"])[:5]}


def overlap(rows: list[dict]) -> dict:
    """Top-10 overlap per kind (ids and stories) and the queries whose counts differ."""
    per_kind: dict[str, dict] = {}
    per_query: list[dict] = []
    differences = []
    for row in rows:
        w, o = row["whoosh"], row["opensearch"]
        if (w["total"], w["stories"]) != (o["total"], o["stories"]):
            differences.append({"query": label(row["query"]), "kind": row["kind"],
                                "whoosh": [w["total"], w["stories"]],
                                "opensearch": [o["total"], o["stories"]]})
        shown = max(len(w["ids"]), len(o["ids"]))
        if not shown:
            continue
        k = per_kind.setdefault(row["kind"], {"queries": 0, "ids": [], "stories": []})
        k["queries"] += 1
        k["ids"].append(len(set(w["ids"]) & set(o["ids"])) / shown)
        k["stories"].append(len(set(w["dupkeys"]) & set(o["dupkeys"])) / shown)
        per_query.append({"query": label(row["query"]), "kind": row["kind"],
                          "total": w["total"], "ids": k["ids"][-1],
                          "stories": k["stories"][-1]})
    table = {}
    for name in KINDS:
        if name in per_kind:
            k = per_kind[name]
            table[name] = {"queries": k["queries"],
                           "ids_mean": sum(k["ids"]) / k["queries"], "ids_min": min(k["ids"]),
                           "stories_mean": sum(k["stories"]) / k["queries"],
                           "stories_min": min(k["stories"])}
    return {"per_kind": table, "count_differences": differences,
            "queries": len(rows), "per_query": per_query}


def search_all(locations: dict[str, str], baseline: Baseline | None,
               warm_rounds: int = 1) -> tuple[dict, dict]:
    engines = {name: open_engine(locations[name]) for name in ENGINES}
    for engine in engines.values():
        engine.warm()
    if baseline:
        baseline.ask(op="open", index=locations[BEFORE])
    clock = ServerClock(engines["opensearch"].client)
    before = load()
    for spec in WARMUP * warm_rounds:  # other queries than the measured ones, every engine
        for engine in engines.values():
            engine.search(to_request(spec))
        if baseline:
            baseline.ask(op="search", spec=spec)
    rows = run_queries(engines, load_queries(), clock, baseline)
    timed = ENGINES + ((BEFORE,) if baseline else ())
    search = {name: latency(rows, name) for name in timed}
    search["opensearch_breakdown"] = opensearch_breakdown(rows)
    search["load_before"], search["load_after"] = before, load()
    search["per_query"] = [{"query": label(r["query"]), "kind": r["kind"],
                            **{n: round(r[n]["ms"], 2) for n in timed},
                            "took_ms": r["opensearch"]["took_ms"],
                            "round_trips": r["opensearch"]["round_trips"]} for r in rows]
    print(f"\nsearch, {len(rows)} queries once each (load {before} → {search['load_after']})")
    print("| engine | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|")
    for name in timed:
        s = search[name]
        print(f"| {name} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {s['p99_ms']:.2f} | "
              f"{s['max_ms']:.2f} |")
    b = search["opensearch_breakdown"]
    print(f"opensearch: server took p50/p95 {b['took_p50_ms']:.1f}/{b['took_p95_ms']:.1f} ms, "
          f"HTTP+JSON {b['transport_p50_ms']:.1f}/{b['transport_p95_ms']:.1f} ms, "
          f"our Python {b['python_p50_ms']:.1f}/{b['python_p95_ms']:.1f} ms, "
          f"round trips mean {b['round_trips_mean']:.2f} max {b['round_trips_max']}")
    if baseline:
        differ = [label(r["query"]) for r in rows if r[BEFORE]["total"] != r["whoosh"]["total"]]
        search["before_total_differences"] = differ
        print(f"{BEFORE}: totals differ from whoosh on {differ or 'no query'}")
    rows += run_queries(engines, SYNTAX, None)
    agree = overlap(rows)
    print(f"\ntop-10 overlap, {agree['queries']} queries\n"
          "| kind | queries | ids mean | ids min | stories mean | stories min |\n"
          "|---|---|---|---|---|---|")
    for name, k in agree["per_kind"].items():
        print(f"| {name} | {k['queries']} | {k['ids_mean']:.0%} | {k['ids_min']:.0%} | "
              f"{k['stories_mean']:.0%} | {k['stories_min']:.0%} |")
    for diff in agree["count_differences"]:
        print(f"  counts differ: {diff}")
    if not agree["count_differences"]:
        print("  totals and story counts equal on every query")
    return search, agree


# -- 4. web ------------------------------------------------------------------------------

def web_all(locations: dict[str, str], clients: int, seconds: float, threads: int) -> list:
    queries = [bench_web.query_string(spec) for spec in load_queries()]
    servers = {name: bench_web.start_server(locations[name], threads) for name in ENGINES}
    rows = []
    print(f"\nweb, {clients} clients, {seconds:.0f} s per endpoint and engine, "
          f"waitress --threads {threads}")
    print("| engine | endpoint (load) | requests | req/s | errors | p50 ms | p95 ms | p99 ms |\n"
          "|---|---|---|---|---|---|---|---|")
    try:
        for endpoint, path in bench_web.ENDPOINTS.items():
            for name in ENGINES:
                before = load()
                row = bench_web.measure(servers[name][1], path, queries, clients, seconds)
                row.update(engine=name, endpoint=endpoint, load_before=before,
                           load_after=load())
                rows.append(row)
                print(f"| {name} " + bench_web.table_row(f"{endpoint} ({before})", row),
                      flush=True)
                for error in row["error_samples"]:
                    print(f"  error: {error}", flush=True)
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait(timeout=10)
    for endpoint in bench_web.ENDPOINTS:
        by = {r["engine"]: r["req_s"] for r in rows if r["endpoint"] == endpoint}
        print(f"{endpoint}: opensearch / whoosh req/s = {by['opensearch'] / by['whoosh']:.2f}")
    return rows


# -- the run -----------------------------------------------------------------------------

def drop_index(server: str, name: str) -> None:
    """Remove the concrete indexes behind the alias ``name`` and their word lists."""
    from opensearchpy import OpenSearch

    from indexer.engines.opensearch.writer import side_index

    client = OpenSearch(server)
    found = client.indices.get_alias(name=name, ignore=[404])
    for concrete in (n for n in found if n not in ("error", "status")):
        client.indices.delete(index=f"{concrete},{side_index(concrete)}", ignore=[404],
                              params={"ignore_unavailable": "true"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="http://127.0.0.1:9200")
    parser.add_argument("--corpus", type=Path, default=REUTERS)
    parser.add_argument("--single-corpus", type=Path,
                        help="the corpus of the --workers 1 builds (default: --corpus)")
    parser.add_argument("--parts", nargs="+", default=["index", "search", "web"],
                        choices=["index", "search", "web"])
    parser.add_argument("--keep", action="store_true", help="keep both indexes afterwards")
    parser.add_argument("--reuse", action="store_true",
                        help="use the indexes of an earlier --keep run")
    parser.add_argument("--warm-rounds", type=int, default=1,
                        help="passes over the warm-up queries before the measured ones (a "
                             "node just started compiles its search code for a while)")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    parser.add_argument("--out", type=Path, default=BENCH / "out" / "engines.json")
    parser.add_argument("--baseline", type=Path,
                        help="a checkout of the code before the engine seam, measured alike")
    args = parser.parse_args()
    if args.reuse and "index" in args.parts:
        parser.error("--reuse measures existing indexes: leave out --parts index")
    if not args.reuse and "index" not in args.parts:
        parser.error("without --reuse the indexes are built first: add --parts index")
    scratch = KEPT if args.keep or args.reuse else Path(tempfile.mkdtemp(prefix=NAME + "-"))
    locations = {"whoosh": str(scratch / "whoosh"), BEFORE: str(scratch / "before"),
                 "opensearch": f"{args.server.rstrip('/')}/{NAME}"}
    from opensearchpy import OpenSearch
    out: dict = {"command": " ".join(sys.argv), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                 "machine": machine(), "locations": locations, "load_start": load(),
                 "opensearch": OpenSearch(args.server).info()["version"]["number"]}
    print(f"{out['machine']['cpus']} CPUs, {out['machine']['platform']}, OpenSearch "
          f"{out['opensearch']}, load {out['load_start']}")
    baseline = Baseline(args.baseline.resolve()) if args.baseline else None
    out["baseline"] = str(args.baseline) if args.baseline else None
    try:
        if "index" in args.parts:
            out["index"] = index_all(locations, args.corpus, args.single_corpus or args.corpus,
                                     scratch, baseline)
        if "search" in args.parts:
            out["search"], out["overlap"] = search_all(locations, baseline, args.warm_rounds)
        if "web" in args.parts:
            out["web"] = web_all(locations, args.clients, args.seconds, args.threads)
    finally:
        if baseline:
            baseline.close()
        out["load_end"] = load()
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(out, indent=1, default=str))
        print(f"\nfigures: {args.out}")
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
            drop_index(args.server, NAME)


if __name__ == "__main__":
    main()
