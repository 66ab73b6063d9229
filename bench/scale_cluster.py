"""Scale on a real cluster (issue 12): OpenSearch on 3 nodes with 1 replica, Whoosh beside it.

    make opensearch-cluster
    nohup .venv/bin/python bench/scale_cluster.py --sizes 200000 500000 1000000 \\
        --whoosh 200000 --shards 3 --replicas 1 --work /tmp/newsearch-scale-os \\
        > /tmp/newsearch-scale-os.log 2>&1 &

On bench/make_corpus.py's SYNTHETIC corpus (the first N articles, as bench/scale.py),
for each size in turn, smallest first:

1. ``os-build``: a fresh OpenSearch index ``scale-N`` over every host of ``--hosts``,
   ``build_index`` with ``--workers`` (extraction included), then green status; wall time,
   articles/s, CPU seconds of the indexer (this process and its extraction workers) and
   of the nodes (``_nodes/stats/process``), store size of primaries and of all copies
   (``_stats``), segments, and heap per node (``_nodes/stats/jvm``);
2. ``os-search``: a fresh engine on the same hosts, a warm-up on other queries, every query
   of bench/queries.json once (the full request: search, facets, date histogram,
   highlighted top 10, folding); p50/p95/p99, the server's own ``took``, round trips and
   heap per node afterwards;
3. at the ``--whoosh`` sizes: bench/scale.py's Whoosh build (same corpus, same workers),
   then ``compare``: the query list on both engines interleaved query by query
   (bench/bench_engines.py's ``run_queries``), so the two see the same machine load.

The load average is sampled every 10 s during each step (mean and max) beside the
1-minute load at its start. A size's OpenSearch index is deleted once its steps are done
(one index on the cluster at a time: its heap and disk are that size's). Results accumulate
in WORK/results.json: an interrupted run resumes at the step it was in (a build starts
again from an empty index). Writes DOCS/scale-cluster-results.md (table and targets),
DOCS/scale-cluster-results.json and DOCS/scale-cluster.png.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

# Appended, as in bench/scale.py: the run imports its code snapshot first (PYTHONPATH).
sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, WARMUP, load, load_queries, percentile, to_request  # noqa: E402
from bench.make_corpus import PER_FILE, SEED  # noqa: E402
from bench.scale import (  # noqa: E402
    _fmt,
    finish_figure,
    index_dir,
    log,
    prepare,
    run_on_snapshot,
    set_dir,
    step_build,
)

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path("/tmp/newsearch-scale-os")
DEFAULT_HOSTS = "127.0.0.1:9200,127.0.0.1:9201,127.0.0.1:9202"
GREEN_TIMEOUT = "600s"  # replicas of a fresh million-article index may take minutes
MB = 2**20

#: issue 12's targets on this machine
BUILD_TARGET_S = 30 * 60  # 1,000,000 articles
P50_TARGET_MS, P95_TARGET_MS, GROWTH_TARGET = 40.0, 150.0, 3.0


def location(hosts: str, size: int) -> str:
    return f"http://{hosts}/scale-{size}"


def client_for(url: str):
    from indexer.engines.opensearch.client import connect, parse_location

    return connect(parse_location(url), timeout=600.0)


# -- what the machine and the cluster spend -------------------------------------------

def cpu_seconds() -> float:
    """User + system CPU of this process and of its waited-for children (the extraction
    workers of ``build_index`` are joined before it returns)."""
    own, kids = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                      resource.RUSAGE_CHILDREN))
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


class LoadSampler:
    """The 1-minute load average every ``every`` seconds while a step runs: the machine
    is shared, so each figure carries the load it was measured under."""

    def __init__(self, every: float = 10.0) -> None:
        self.every = every
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self.samples.append(os.getloadavg()[0])
            self._stop.wait(self.every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict:
        return {"load_mean": round(sum(self.samples) / len(self.samples), 2),
                "load_max": max(self.samples), "load_samples": len(self.samples)}


def node_stats(client) -> dict[str, dict]:
    """Per node: heap used / max and old generation (MB), CPU seconds since start."""
    out = {}
    for node in client.nodes.stats(metric="jvm,process")["nodes"].values():
        mem = node["jvm"]["mem"]
        out[node["name"]] = {
            "heap_used_mb": mem["heap_used_in_bytes"] / MB,
            "heap_max_mb": mem["heap_max_in_bytes"] / MB,
            "old_gen_mb": mem["pools"]["old"]["used_in_bytes"] / MB,
            "cpu_s": node["process"]["cpu"]["total_in_millis"] / 1000}
    return out


def heap(stats: dict[str, dict], key: str = "heap_used_mb") -> dict[str, float]:
    """One figure per node, by node name."""
    return {name: round(s[key], 1) for name, s in sorted(stats.items())}


def index_stats(client, alias: str) -> dict:
    """Store size (primaries, all copies), documents and segments of the index behind
    ``alias``, and the same store sizes for its word and file list."""
    got = client.indices.stats(index=f"{alias}-*", metric="store,docs,segments")["indices"]
    main = [n for n in got if not n.endswith("-words")]
    side = [n for n in got if n.endswith("-words")]

    def total(names: list[str], part: str, key: str) -> int:
        return sum(got[n][part][key[0]][key[1]] for n in names)

    return {"indices": sorted(got),
            "docs": total(main, "primaries", ("docs", "count")),
            "primary_bytes": total(main, "primaries", ("store", "size_in_bytes")),
            "total_bytes": total(main, "total", ("store", "size_in_bytes")),
            "segments": total(main, "primaries", ("segments", "count")),
            "side_primary_bytes": total(side, "primaries", ("store", "size_in_bytes")),
            "side_total_bytes": total(side, "total", ("store", "size_in_bytes"))}


def drop_index(client, alias: str) -> list[str]:
    """Delete the concrete indexes of ``alias`` (``scale-N-…``) by their names."""
    names = [row["index"] for row in client.cat.indices(index=f"{alias}-*", format="json")]
    if names:
        client.indices.delete(index=",".join(names))
    return names


# -- steps -----------------------------------------------------------------------------

def step_os_build(work: Path, size: int, url: str, workers: int, shards: int,
                  replicas: int) -> dict:
    from indexer.build import build_index

    client = client_for(url)
    alias = url.rsplit("/", 1)[1]
    dropped = drop_index(client, alias)
    nodes_before = node_stats(client)
    before, cpu_before = load(), cpu_seconds()
    with LoadSampler() as sampler:
        started = time.perf_counter()
        report = build_index([set_dir(work, size)], url, workers=workers, rebuild=True,
                             shards=shards, replicas=replicas)
        wall = time.perf_counter() - started
        client.cluster.health(index=f"{alias}-*", wait_for_status="green",
                              params={"timeout": GREEN_TIMEOUT}, request_timeout=700)
        green = time.perf_counter() - started
    cpu = cpu_seconds() - cpu_before
    nodes_after = node_stats(client)
    node_cpu = sum(nodes_after[n]["cpu_s"] - nodes_before[n]["cpu_s"] for n in nodes_after)
    stats = index_stats(client, alias)
    return {"articles": report.documents, "wall_s": wall, "green_s": green,
            "articles_per_s": report.documents / wall, "shards": shards,
            "replicas": replicas, "workers": workers, "dropped_first": dropped,
            "indexer_cpu_s": cpu, "nodes_cpu_s": node_cpu,
            "problems": len(report.problems), "problem_kinds": report.problem_kinds,
            **stats, "heap_after_build_mb": heap(nodes_after),
            "old_gen_after_build_mb": heap(nodes_after, "old_gen_mb"),
            "heap_max_mb": {n: s["heap_max_mb"] for n, s in sorted(nodes_after.items())},
            "load_before": before, "load_after": load(), **sampler.summary()}


def step_whoosh_build(work: Path, size: int, workers: int) -> dict:
    """bench/scale.py's build, with the CPU and the sampled load this run records."""
    cpu_before = cpu_seconds()
    with LoadSampler() as sampler:
        row = step_build(work, size, workers)
    return {**row, "indexer_cpu_s": cpu_seconds() - cpu_before, **sampler.summary()}


def step_os_search(url: str) -> dict:
    from bench.bench_engines import ServerClock
    from indexer.search.engine import open_engine

    engine = open_engine(url)
    engine.warm()
    clock = ServerClock(engine.client)
    for spec in WARMUP:
        engine.search(to_request(spec))
    before = load()
    per_query = []
    with LoadSampler(every=2.0) as sampler:
        for spec in load_queries():
            req = to_request(spec)
            clock.reset()
            started = time.perf_counter()
            result = engine.search(req)
            ms = (time.perf_counter() - started) * 1000
            per_query.append({"query": spec, "ms": ms, "total": result.total, **clock.reset()})
    ms = [q["ms"] for q in per_query]
    took = [q["took_ms"] for q in per_query]
    return {"queries": len(ms), "p50": percentile(ms, 50), "p95": percentile(ms, 95),
            "p99": percentile(ms, 99), "max": max(ms), "took_p50": percentile(took, 50),
            "took_p95": percentile(took, 95),
            "round_trips_p50": percentile([q["round_trips"] for q in per_query], 50),
            "heap_after_search_mb": heap(nodes := node_stats(engine.client)),
            "old_gen_after_search_mb": heap(nodes, "old_gen_mb"),
            "load_before": before, "load_after": load(), **sampler.summary(),
            "per_query": per_query}


def step_compare(work: Path, size: int, url: str, workers: int) -> dict:
    """Both engines on the same queries, interleaved (the first one alternating)."""
    from bench.bench_engines import ENGINES, latency, run_queries
    from indexer.search.engine import open_engine

    engines = {"whoosh": open_engine(index_dir(work, size, workers)),
               "opensearch": open_engine(url)}
    for engine in engines.values():
        engine.warm()
    for spec in WARMUP:
        for engine in engines.values():
            engine.search(to_request(spec))
    before = load()
    with LoadSampler(every=2.0) as sampler:
        rows = run_queries(engines, load_queries(), None)
    out: dict = {name: latency(rows, name) for name in ENGINES}
    out["totals_differ"] = sum(r["whoosh"]["total"] != r["opensearch"]["total"] for r in rows)
    out["per_query"] = [{"query": r["query"], "whoosh_ms": r["whoosh"]["ms"],
                         "opensearch_ms": r["opensearch"]["ms"]} for r in rows]
    return {**out, "load_before": before, "load_after": load(), **sampler.summary()}


# -- report ----------------------------------------------------------------------------

def per_article(results: dict, size: int) -> dict | None:
    """The per-article costs docs/scaling.md sizes a cluster from."""
    b = results.get(f"os-build/{size}")
    if not b:
        return None
    n = b["docs"] or b["articles"]
    return {"primary_bytes": b["primary_bytes"] / n, "total_bytes": b["total_bytes"] / n,
            "indexer_cpu_ms": b["indexer_cpu_s"] * 1000 / n,
            "nodes_cpu_ms": b["nodes_cpu_s"] * 1000 / n}


def table(results: dict, sizes: list[int]) -> str:
    head = ["articles", "engine", "build (art/s)", "green after", "indexer / nodes CPU ms per article",
            "store MB primaries / total", "bytes per article primary / total", "segments",
            "heap MB per node after build / search", "p50 ms", "p95 ms", "p99 ms",
            "server took p50 / p95 ms", "load during build / search (mean)"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size in sizes:
        b, s = results.get(f"os-build/{size}"), results.get(f"os-search/{size}")
        if b:
            c = per_article(results, size)
            rows.append("| " + " | ".join([
                f"{size:,}", f"OpenSearch ({b['shards']} shards, {b['replicas']} replica)",
                f"{b['wall_s']:,.0f} s ({b['articles_per_s']:,.0f})", f"{b['green_s']:,.0f} s",
                f"{c['indexer_cpu_ms']:.1f} / {c['nodes_cpu_ms']:.1f}",
                f"{b['primary_bytes'] / MB:,.0f} / {b['total_bytes'] / MB:,.0f}",
                f"{c['primary_bytes']:,.0f} / {c['total_bytes']:,.0f}", str(b["segments"]),
                " ".join(f"{v:,.0f}" for v in b["heap_after_build_mb"].values()) + " / " +
                (" ".join(f"{v:,.0f}" for v in s["heap_after_search_mb"].values()) if s else "–"),
                _fmt(s and s["p50"], ".1f"), _fmt(s and s["p95"], ".1f"),
                _fmt(s and s["p99"], ".1f"),
                f"{s['took_p50']:.0f} / {s['took_p95']:.0f}" if s else "–",
                f"{b['load_mean']:.1f} / " + (f"{s['load_mean']:.1f}" if s else "–")]) + " |")
        w = results.get(f"whoosh-build/{size}")
        if w:
            cmp_ = results.get(f"compare/{size}") or {}
            ws = cmp_.get("whoosh") or {}
            rows.append("| " + " | ".join([
                f"{size:,}", "Whoosh (one folder)",
                f"{w['wall_s']:,.0f} s ({w['articles_per_s']:,.0f})", "–",
                f"{w['indexer_cpu_s'] * 1000 / w['articles']:.1f} / –",
                f"{w['bytes'] / MB:,.0f} / –", f"{w['bytes'] / w['articles']:,.0f} / –",
                str(w["segments"]), "–", _fmt(ws.get("p50_ms"), ".1f"),
                _fmt(ws.get("p95_ms"), ".1f"), _fmt(ws.get("p99_ms"), ".1f"), "–",
                f"{w['load_mean']:.1f} / " + _fmt(cmp_.get("load_mean"), ".1f")]) + " |")
    return "\n".join(rows)


def targets(results: dict, sizes: list[int]) -> list[tuple[str, str, str]]:
    top, low = 1_000_000, min(sizes)
    b, s = results.get(f"os-build/{top}"), results.get(f"os-search/{top}")
    s0 = results.get(f"os-search/{low}")
    missing = "not measured (run not finished)"
    out = [("1,000,000 articles indexed in ≤ 30 min",
            f"{b['wall_s'] / 60:.1f} min ({b['articles_per_s']:,.0f} articles/s)" if b
            else missing, ("yes" if b["wall_s"] <= BUILD_TARGET_S else "**no**") if b else "–")]
    out.append((f"p50 ≤ {P50_TARGET_MS:.0f} ms at 1,000,000", f"{s['p50']:.1f} ms" if s
                else missing, ("yes" if s["p50"] <= P50_TARGET_MS else "**no**") if s else "–"))
    out.append((f"p95 ≤ {P95_TARGET_MS:.0f} ms at 1,000,000", f"{s['p95']:.1f} ms" if s
                else missing, ("yes" if s["p95"] <= P95_TARGET_MS else "**no**") if s else "–"))
    if s and s0:
        ratio = s["p50"] / s0["p50"]
        out.append((f"p50 grows ≤ {GROWTH_TARGET:.0f}× from {low:,} to 1,000,000",
                    f"{s['p50']:.1f} / {s0['p50']:.1f} ms = {ratio:.1f}×",
                    "yes" if ratio <= GROWTH_TARGET else "**no**"))
    else:
        out.append((f"p50 grows ≤ {GROWTH_TARGET:.0f}× from {low:,} to 1,000,000", missing, "–"))
    return out


def plot(results: dict, sizes: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import matplotlib.ticker

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    done = [n for n in sizes if results.get(f"os-search/{n}")]
    for key, style in (("p50", "o-"), ("p95", "s-"), ("p99", "^-")):
        ax1.plot(done, [results[f"os-search/{n}"][key] for n in done], style,
                 label=f"OpenSearch {key}")
    compared = [n for n in sizes if results.get(f"compare/{n}")]
    for key, style in (("p50", "o"), ("p95", "s"), ("p99", "^")):
        ax1.plot(compared, [results[f"compare/{n}"]["whoosh"][f"{key}_ms"] for n in compared],
                 style, mfc="none", ms=9, label=f"Whoosh {key}")
    ax1.axhline(P95_TARGET_MS, color="grey", lw=0.8, ls=":")
    ax1.axhline(P50_TARGET_MS, color="grey", lw=0.8, ls=":")
    ax1.set(xlabel="articles", ylabel="ms per full request",
            title="Query latency vs index size")
    if done:
        ax1.set(xscale="log", yscale="log")
    ax1.legend(fontsize=8)
    built = [n for n in sizes if results.get(f"os-build/{n}")]
    ax2.plot(built, [results[f"os-build/{n}"]["wall_s"] / 60 for n in built], "o-",
             label="OpenSearch, 3 nodes, 1 replica")
    wb = [n for n in sizes if results.get(f"whoosh-build/{n}")]
    ax2.plot(wb, [results[f"whoosh-build/{n}"]["wall_s"] / 60 for n in wb], "s",
             label="Whoosh")
    ax2.axhline(BUILD_TARGET_S / 60, color="grey", lw=0.8, ls=":",
                label="target: 30 min at 1,000,000")
    ax2.set(xlabel="articles", ylabel="minutes (extraction included, --workers 2)",
            title="Index build time vs size", xlim=(0, max(sizes) * 1.05), ylim=(0, None))
    ax2.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda x, _: f"{x:,.0f}"))
    finish_figure(fig, (ax1, ax2), "newsearch on a synthetic corpus, 3 OpenSearch nodes (1 GB "
                  f"heap each) on one {os.cpu_count()}-core VM shared with other jobs", path)


def write_docs(results: dict, sizes: list[int], docs: Path, command: str) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    lines = ["# Scale on a 3-node cluster (generated by bench/scale_cluster.py; SYNTHETIC "
             "corpus)", "", f"Command: `{command}`  ",
             f"Environment: {results.get('env', {})}", "", table(results, sizes), "",
             "Build: from an empty index, extraction included, `--workers` as in the "
             "environment; green after: until every replica is started. CPU: of the indexer "
             "(process + extraction workers) and of the three nodes together, per article. "
             "Store: `_stats` of the article index (its word and file list is "
             "apart, in the JSON). Heap: `_nodes/stats/jvm` heap used per node (a snapshot "
             "between collections). Latency: every query of bench/queries.json once, after a "
             "warm-up on other queries, the full request (search, facets, date histogram, "
             "highlighted top 10, folding) through all three hosts; took: the server's own "
             "time summed over a request's round trips. The Whoosh row's latency comes from "
             "the interleaved comparison (both engines query by query, same load). "
             "Load: 1-minute load average sampled during the step (2 cores).", ""]
    for size in sizes:
        c = results.get(f"compare/{size}")
        if c:
            w, o = c["whoosh"], c["opensearch"]
            lines += [f"Interleaved at {size:,} (load {c['load_mean']:.1f}): Whoosh p50/p95/p99 "
                      f"{w['p50_ms']:.1f} / {w['p95_ms']:.1f} / {w['p99_ms']:.1f} ms, OpenSearch "
                      f"{o['p50_ms']:.1f} / {o['p95_ms']:.1f} / {o['p99_ms']:.1f} ms "
                      f"(OpenSearch / Whoosh p50 = {o['p50_ms'] / w['p50_ms']:.2f}, "
                      f"p95 = {o['p95_ms'] / w['p95_ms']:.2f}); totals differ on "
                      f"{c['totals_differ']} of {w['queries']} queries.", ""]
    lines += ["| target | measured | met |", "|---|---|---|"]
    lines += [f"| {t} | {m} | {ok} |" for t, m, ok in targets(results, sizes)]
    lines.append("")
    top = max((n for n in sizes if results.get(f"os-search/{n}")), default=None)
    if top:
        slow = sorted(results[f"os-search/{top}"]["per_query"], key=lambda q: -q["ms"])[:8]
        lines += [f"Slowest OpenSearch queries at {top:,}:", "",
                  "| query | hits | ms | server took ms | round trips |", "|---|---|---|---|---|"]
        lines += [f"| `{json.dumps(q['query'])}` | {q['total']:,} | {q['ms']:.1f} | "
                  f"{q['took_ms']:.0f} | {q['round_trips']} |" for q in slow]
        lines.append("")
    (docs / "scale-cluster-results.md").write_text("\n".join(lines), "utf-8")
    (docs / "scale-cluster-results.json").write_text(json.dumps(results, indent=1), "utf-8")
    plot(results, sizes, docs / "scale-cluster.png")


# -- driver ----------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200000, 500000, 1000000])
    parser.add_argument("--whoosh", type=int, nargs="*", default=[200000],
                        help="sizes at which Whoosh is built and compared too")
    parser.add_argument("--hosts", default=DEFAULT_HOSTS)
    parser.add_argument("--shards", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help="corpus, Whoosh indexes and results.json (resumable)")
    parser.add_argument("--docs", type=Path, default=REPO / "docs")
    parser.add_argument("--per-file", type=int, default=PER_FILE)
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--redo", nargs="*", default=[], metavar="STEP",
                        help="re-measure these finished steps, e.g. os-search/200000")
    parser.add_argument("--keep", action="store_true",
                        help="leave every size's OpenSearch index on the cluster")
    parser.add_argument("--fresh-code", action="store_true",
                        help="re-copy indexer/, webapp/ and bench/ into WORK/code first")
    parser.add_argument("--report-only", action="store_true",
                        help="only rewrite the docs from WORK/results.json")
    args = parser.parse_args()
    args.work = args.work.resolve()
    code = run_on_snapshot(Path(__file__), args.work, args.fresh_code, args.shared)
    if any(s % args.per_file for s in args.sizes):
        parser.error(f"sizes must be multiples of --per-file ({args.per_file})")
    sizes = sorted(args.sizes)
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    results_path = work / "results.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}
    command = "python bench/scale_cluster.py " + " ".join(
        a for a in sys.argv[1:] if a != "--report-only")
    if args.report_only:
        write_docs(results, sizes, args.docs, command)
        return
    client = client_for(location(args.hosts, sizes[0]))
    info = client.info()
    results["env"] = {"code": (code / "SNAPSHOT.txt").read_text().strip(),
                      "cpus": os.cpu_count(), "python": sys.version.split()[0],
                      "opensearch": info["version"]["number"],
                      "nodes": len(client.nodes.info()["nodes"]), "hosts": args.hosts,
                      "shards": args.shards, "replicas": args.replicas,
                      "workers": args.workers, "seed": SEED,
                      "date": datetime.now(UTC).strftime("%Y-%m-%d")}
    redo = set(args.redo)

    def run(key: str, fn, *fargs) -> None:
        """A step measured once and saved at once (the run resumes after it)."""
        if key in results and key not in redo:
            return
        log(f"{key} ... (load {load()})")
        results[key] = fn(*fargs)
        shown = {k: v for k, v in results[key].items() if k != "per_query"}
        log(f"{key}: {json.dumps(shown, default=str)}")
        results_path.write_text(json.dumps(results, indent=1))
        write_docs(results, sizes, args.docs, command)

    for size in sizes:
        url = location(args.hosts, size)
        prepare(work, [size], 0, args.shared, args.per_file)
        if redo & {f"os-search/{size}", f"compare/{size}"} and \
                not client.indices.exists_alias(name=url.rsplit("/", 1)[1]):
            redo.add(f"os-build/{size}")  # its index was deleted when the size was done
        run(f"os-build/{size}", step_os_build, work, size, url, args.workers,
            args.shards, args.replicas)
        run(f"os-search/{size}", step_os_search, url)
        if size in args.whoosh:
            run(f"whoosh-build/{size}", step_whoosh_build, work, size, args.workers)
            run(f"compare/{size}", step_compare, work, size, url, args.workers)
        if not args.keep:
            drop_index(client, url.rsplit("/", 1)[1])
    write_docs(results, sizes, args.docs, command)
    log(f"done: {args.docs / 'scale-cluster-results.md'}")


if __name__ == "__main__":
    main()
