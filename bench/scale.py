"""Scale (issue 7): growth curves of build time, index size, latency and memory.

    .venv/bin/python bench/scale.py --sizes 25000 50000 100000 200000 --workers 1 2 \\
        --work /tmp/newsearch-scale --docs docs

For each size, on a SYNTHETIC corpus made by bench/make_corpus.py (real Reuters-21578
and BBC sentences recombined; the first N articles of the largest corpus):

1. build: ``build_index`` from scratch with each ``--workers`` value (extraction
   included); wall time, articles/s, index size on disk, segments;
2. search, in a fresh process: searcher open time (``WhooshEngine(...)``), then a
   warm-up on *other* queries, then every query of bench/queries.json measured once
   (search + all facets + date histogram + highlighted top 10), and
   the same queries' words through SQLite FTS5 (bm25 + snippet, top 10) over the same
   documents, each right after its newsearch twin so both see the same machine load;
3. serve: ``newsearch serve`` (waitress) as a subprocess, the warm-up and query list
   through ``/api/search``, then its resident memory (VmRSS, peak VmHWM);
4. update (largest size only): with the server still running, add ``--update`` more
   articles (a new file) with ``build_index`` and time it, then poll ``/api/search``
   until the running server counts them.

Results accumulate in WORK/results.json, so an interrupted run resumes where it stopped
(``--force`` re-measures). The builds with the highest worker count (and the
measurements on them) run first for every size; the other worker counts run last.
Writes DOCS/scale-results.md (table + targets), DOCS/scale.png and DOCS/scale-results.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

# Appended, not prepended: a run imports indexer/, webapp/ and bench/ from its code
# snapshot (PYTHONPATH, see ``snapshot_code``) so that they always match each other.
sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.common import SHARED, WARMUP, load, load_queries, percentile, to_request  # noqa: E402
from bench.make_corpus import PER_FILE, SEED, file_name, write_corpus  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_WORK = Path("/tmp/newsearch-scale")

HTTP_PARAMS = {"people": "person", "countries": "country", "exclude_people": "xperson",
               "exclude_countries": "xcountry", "date_from": "from", "date_to": "to",
               "sort": "sort", "q": "q"}


def snapshot_code(work: Path, fresh: bool) -> Path:
    """Copy indexer/, webapp/ and bench/ into WORK/code, once, and return it.

    A full run takes an hour while the tree may be edited: every step (and a resumed run)
    uses the same code, and indexes stay readable by the code that measures them.
    """
    code = work / "code"
    if fresh:
        shutil.rmtree(code, ignore_errors=True)
    if not code.exists():
        tmp = work / "code.tmp"
        shutil.rmtree(tmp, ignore_errors=True)
        for name in ("indexer", "webapp", "bench"):
            shutil.copytree(REPO / name, tmp / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        (tmp / "SNAPSHOT.txt").write_text(f"copied from {REPO} at {datetime.now():%Y-%m-%d %H:%M:%S}\n")
        tmp.rename(code)
    return code


def run_on_snapshot(script: Path, work: Path, fresh: bool, shared: Path) -> Path:
    """Restart ``script`` on WORK/code (see ``snapshot_code``) unless it already runs
    there, and return that folder.

    Fresh and resumed runs alike restart; python -m and the subprocesses inherit the
    snapshot through PYTHONPATH, and the corpora's real place through NEWSEARCH_SHARED.
    """
    code = snapshot_code(work, fresh)
    if os.environ.get("NEWSEARCH_SCALE_CODE") != str(code):
        env = dict(os.environ, NEWSEARCH_SCALE_CODE=str(code), PYTHONPATH=str(code),
                   NEWSEARCH_SHARED=str(shared.resolve()))
        argv = [a for a in sys.argv[1:] if a != "--fresh-code"]
        os.execve(sys.executable, [sys.executable, str(script.resolve()), *argv], env)
    return code


def log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", flush=True)


def dir_bytes(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


# -- corpus and per-size folders -----------------------------------------------------------

def prepare(work: Path, sizes: list[int], update: int, shared: Path, per_file: int) -> Path:
    """The corpus (largest size + update articles) and one folder of links per size."""
    corpus = work / "corpus"
    top = max(sizes)
    write_corpus(top, corpus, shared=shared, per_file=per_file, log=log)
    if update:
        write_corpus(update, corpus, offset=top, shared=shared, per_file=per_file, log=log)
    for size in [*sizes, -1]:
        folder = work / "sets" / (str(size) if size > 0 else f"update-{top}")
        names = [file_name(n) for n in range(size // per_file)] if size > 0 else \
            [file_name(top // per_file)] if update else []
        folder.mkdir(parents=True, exist_ok=True)
        for name in names:
            link = folder / name
            if not link.exists():
                link.symlink_to(corpus / name)
    return corpus


def set_dir(work: Path, size: int) -> Path:
    return work / "sets" / str(size)


def index_dir(work: Path, size: int, workers: int) -> Path:
    return work / "ix" / f"{size}-w{workers}"


# -- steps ---------------------------------------------------------------------------------

def step_build(work: Path, size: int, workers: int) -> dict:
    from whoosh import index as whoosh_index

    from indexer.build import build_index

    target = index_dir(work, size, workers)
    shutil.rmtree(target, ignore_errors=True)
    before = load()
    started = time.perf_counter()
    report = build_index([set_dir(work, size)], target, workers=workers, rebuild=True)
    wall = time.perf_counter() - started
    segments = len(whoosh_index.open_dir(str(target)).reader().leaf_readers())
    kinds = report.problem_kinds
    if kinds.get("extraction", 0) > report.documents // 100:
        # e.g. a module missing from a shared virtualenv: the numbers would be meaningless
        example = next(p for p in report.problems if p.kind == "extraction")
        raise SystemExit(f"entity extraction failed for {kinds['extraction']:,} articles "
                         f"({example}); fix the environment and run again")
    return {"articles": report.documents, "wall_s": wall,
            "articles_per_s": report.documents / wall, "bytes": dir_bytes(target),
            "segments": segments, "problems": len(report.problems), "problem_kinds": kinds,
            "load_before": before, "load_after": load()}


def step_search(work: Path, size: int, workers: int) -> dict:
    """Run the search measurement in a fresh process (honest open time and memory)."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--measure-index",
         str(index_dir(work, size, workers))],
        check=True, capture_output=True, text=True, cwd=work / "code")
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_index(ix: Path) -> dict:
    """In this (fresh) process: open time, warm-up, each query once, FTS5 alongside."""
    from bench.bench_search import build_fts5, fts5_query, fts5_search
    from indexer.engines.whoosh.engine import WhooshEngine

    before = load()
    started = time.perf_counter()
    engine = WhooshEngine(ix, refresh_seconds=3600)
    open_s = time.perf_counter() - started
    started = time.perf_counter()
    engine.search(to_request(WARMUP[0]))
    first_ms = (time.perf_counter() - started) * 1000
    started = time.perf_counter()
    db = build_fts5(engine)
    fts_build_s = time.perf_counter() - started
    for spec in WARMUP:
        engine.search(to_request(spec))
        if match := fts5_query(spec["q"]):
            fts5_search(db, match)
    per_query = []
    for spec in load_queries():
        req = to_request(spec)
        t0 = time.perf_counter()
        result = engine.search(req)
        ms = (time.perf_counter() - t0) * 1000
        fts_ms = None
        match = fts5_query(spec.get("q", ""))
        if match:
            try:
                t0 = time.perf_counter()
                fts5_search(db, match)
                fts_ms = (time.perf_counter() - t0) * 1000
            except sqlite3.OperationalError:
                fts_ms = None
        per_query.append({"query": spec, "ms": ms, "total": result.total, "fts5_ms": fts_ms})
    ms = [q["ms"] for q in per_query]
    pairs = [(q["ms"], q["fts5_ms"]) for q in per_query if q["fts5_ms"] is not None]
    return {
        "documents": engine.snapshot().searcher.doc_count(),
        "segments": len(engine.snapshot().searcher.reader().leaf_readers()),
        "open_s": open_s, "first_query_ms": first_ms, "fts5_build_s": fts_build_s,
        "p50": percentile(ms, 50), "p95": percentile(ms, 95), "p99": percentile(ms, 99),
        "max": max(ms), "fts5_queries": len(pairs),
        "same_p50": percentile([a for a, _ in pairs], 50),
        "same_p95": percentile([a for a, _ in pairs], 95),
        "fts5_p50": percentile([b for _, b in pairs], 50),
        "fts5_p95": percentile([b for _, b in pairs], 95),
        "fts5_p99": percentile([b for _, b in pairs], 99),
        "process_rss_mb": rss(os.getpid())["VmRSS"],
        "load_before": before, "load_after": load(), "per_query": per_query,
    }


def rss(pid: int) -> dict[str, float]:
    """VmRSS, VmHWM (peak), RssAnon (heap) and RssFile (mapped index files) in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
            out[key] = int(value.split()[0]) / 1024
    return out


class Server:
    """``newsearch serve`` in a subprocess, stopped (by its own pid) on exit."""

    def __init__(self, ix: Path) -> None:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "indexer", "serve", "--index", str(ix),
             "--port", str(self.port)], cwd=ix.parent.parent / "code",
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        started = time.perf_counter()
        while True:
            try:
                self.total()
                break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"server exited: {self.proc.stderr.read()[-2000:]}") \
                        from None
                if time.perf_counter() - started > 900:
                    raise
                time.sleep(0.2)
        self.ready_s = time.perf_counter() - started

    def get(self, params: dict) -> dict:
        url = f"http://127.0.0.1:{self.port}/api/search?{urllib.parse.urlencode(params, doseq=True)}"
        with urllib.request.urlopen(url, timeout=120) as resp:
            return json.loads(resp.read())

    def query(self, spec: dict) -> float:
        params = {HTTP_PARAMS[k]: v for k, v in spec.items() if k in HTTP_PARAMS}
        started = time.perf_counter()
        self.get(params)
        return (time.perf_counter() - started) * 1000

    def total(self) -> int:
        # all=1: without near-duplicate folding. Folding every article sorted by date is
        # Whoosh's collapse over the whole index (44 s at 200,000): it would time that,
        # not the server noticing the new generation.
        return int(self.get({"q": "", "limit": "1", "all": "1"})["total"])

    def memory(self) -> dict[str, float]:
        return rss(self.proc.pid)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def step_serve(work: Path, size: int, workers: int) -> dict:
    with Server(index_dir(work, size, workers)) as server:
        idle = server.memory()
        for spec in WARMUP:
            server.query(spec)
        ms = [server.query(spec) for spec in load_queries()]
        mem = server.memory()
        return {"ready_s": server.ready_s, "idle_rss_mb": idle["VmRSS"],
                "rss_mb": mem["VmRSS"], "hwm_mb": mem["VmHWM"],
                "anon_mb": mem["RssAnon"], "file_mb": mem["RssFile"],
                "http_p50": percentile(ms, 50), "http_p95": percentile(ms, 95),
                "load": load()}


def step_update(work: Path, size: int, workers: int, update: int) -> dict:
    from indexer.build import build_index

    ix = index_dir(work, size, workers)
    extra = work / "sets" / f"update-{size}"
    with Server(ix) as server:
        before_total = server.total()
        for spec in WARMUP:
            server.query(spec)
        mem_before = server.memory()
        started = time.perf_counter()
        report = build_index([set_dir(work, size), extra], ix, workers=workers)
        wall = time.perf_counter() - started
        committed = time.perf_counter()
        total = server.total()
        while total < before_total + report.added and time.perf_counter() - committed < 120:
            time.sleep(0.1)
            total = server.total()
        visible_s = time.perf_counter() - committed
        after = [server.query(spec) for spec in load_queries()]
        mem = server.memory()
    return {"articles": update, "added": report.added, "unchanged": report.unchanged,
            "wall_s": wall, "server_total_before": before_total, "server_total_after": total,
            "visible_after_s": visible_s, "rss_before_mb": mem_before["VmRSS"],
            "rss_after_mb": mem["VmRSS"], "hwm_after_mb": mem["VmHWM"],
            "anon_after_mb": mem["RssAnon"], "file_after_mb": mem["RssFile"],
            "http_p50_after": percentile(after, 50), "http_p95_after": percentile(after, 95),
            "load": load()}


# -- report --------------------------------------------------------------------------------

def _fmt(value, spec: str = ",.0f", missing: str = "–") -> str:
    return missing if value is None else format(value, spec)


def table(results: dict, sizes: list[int], workers: list[int]) -> str:
    main_w = max(workers)
    head = ["articles"] + [f"build w{w} (art/s)" for w in workers] + [
        "index MB", "segments", "open s", "p50 ms", "p95 ms", "p99 ms", "FTS5 p50 / p95 ms",
        "p95 / FTS5 p95", "server RSS MB (peak)", "of which heap / mapped files", "load"]
    rows = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for size in sizes:
        b = {w: results.get(f"build/{size}/w{w}") for w in workers}
        s = results.get(f"search/{size}") or {}
        v = results.get(f"serve/{size}") or {}
        main = b.get(main_w) or {}
        cells = [f"{size:,}"]
        for w in workers:
            cells.append(f"{b[w]['wall_s']:,.0f} s ({b[w]['articles_per_s']:,.0f})" if b[w]
                         else "–")
        cells += [_fmt(main.get("bytes") and main["bytes"] / 2**20),
                  _fmt(main.get("segments"), "d"),
                  _fmt(s.get("open_s"), ".2f"), _fmt(s.get("p50"), ".1f"),
                  _fmt(s.get("p95"), ".1f"), _fmt(s.get("p99"), ".1f"),
                  f"{_fmt(s.get('fts5_p50'), '.1f')} / {_fmt(s.get('fts5_p95'), '.1f')}",
                  _fmt(s.get("same_p95") and s["same_p95"] / s["fts5_p95"], ".1f") + "×"
                  if s else "–",
                  f"{_fmt(v.get('rss_mb'))} ({_fmt(v.get('hwm_mb'))})" if v else "–",
                  f"{_fmt(v.get('anon_mb'))} / {_fmt(v.get('file_mb'))}" if v else "–",
                  s.get("load_before", "–").split()[0] if s else "–"]
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def targets(results: dict, sizes: list[int], workers: list[int]) -> list[tuple[str, str, bool]]:
    top, low, main_w = max(sizes), min(sizes), max(workers)
    out = []
    b = results.get(f"build/{top}/w2") or results.get(f"build/{top}/w{main_w}")
    if b:
        out.append((f"{top:,} articles indexed in ≤ 15 min with --workers 2",
                    f"{b['wall_s'] / 60:.1f} min ({b['articles_per_s']:,.0f} articles/s)",
                    b["wall_s"] <= 900))
    s = results.get(f"search/{top}")
    if s:
        out.append(("p95 search + facets + highlight ≤ 150 ms", f"{s['p95']:.1f} ms",
                    s["p95"] <= 150))
        out.append(("p50 ≤ 40 ms", f"{s['p50']:.1f} ms", s["p50"] <= 40))
        ratio = s["same_p95"] / s["fts5_p95"]
        out.append(("p95 ≤ 3× SQLite FTS5 p95 (same queries, same run)",
                    f"{s['same_p95']:.1f} ms vs {s['fts5_p95']:.1f} ms = {ratio:.1f}×",
                    ratio <= 3))
    s0 = results.get(f"search/{low}")
    if s and s0 and top != low:
        ratio = s["p50"] / s0["p50"]
        out.append((f"p50 {top:,} / p50 {low:,} ≤ 4 ({top // low}× the data)",
                    f"{s['p50']:.1f} / {s0['p50']:.1f} ms = {ratio:.1f}", ratio <= 4))
    v = results.get(f"serve/{top}")
    if v:
        heap = f", heap {v['anon_mb']:,.0f} MB + mapped index files {v['file_mb']:,.0f} MB" \
            if "anon_mb" in v else ""
        out.append(("serving process RSS ≤ 1.5 GB", f"{v['rss_mb']:,.0f} MB "
                    f"(peak {v['hwm_mb']:,.0f} MB{heap})", v["hwm_mb"] <= 1536))
    u = results.get(f"update/{top}")
    if u:
        seen = u["server_total_after"] >= u["server_total_before"] + u["added"]
        out.append((f"adding {u['articles']:,} articles ≤ 60 s, seen by the running server",
                    f"{u['wall_s']:.1f} s; server saw {u['server_total_before']:,} → "
                    f"{u['server_total_after']:,} after {u['visible_after_s']:.1f} s",
                    u["wall_s"] <= 60 and seen))
    return out


def plot(results: dict, sizes: list[int], workers: list[int], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
    done = [n for n in sizes if results.get(f"search/{n}")]
    for key, label, style in (("p50", "newsearch p50", "o-"), ("p95", "newsearch p95", "s-"),
                              ("p99", "newsearch p99", "^-"),
                              ("fts5_p50", "SQLite FTS5 p50", "o--"),
                              ("fts5_p95", "SQLite FTS5 p95", "s--")):
        ax1.plot(done, [results[f"search/{n}"][key] for n in done], style, label=label)
    ax1.axhline(150, color="grey", lw=0.8, ls=":")
    ax1.axhline(40, color="grey", lw=0.8, ls=":")
    ax1.set(xlabel="articles", ylabel="ms per query (search + facets + highlight)",
            title="Query latency vs index size")
    if done:
        ax1.set(xscale="log", yscale="log")
    ax1.legend(fontsize=8)
    for w in workers:
        got = [n for n in sizes if results.get(f"build/{n}/w{w}")]
        ax2.plot(got, [results[f"build/{n}/w{w}"]["wall_s"] / 60 for n in got], "o-",
                 label=f"build, --workers {w}")
    ax2.axhline(15, color="grey", lw=0.8, ls=":", label="target: 15 min at 200k")
    ax2.set(xlabel="articles", ylabel="minutes (extraction included)",
            title="Index build time vs size")
    finish_figure(fig, (ax1, ax2), "newsearch on a synthetic corpus (recombined Reuters/BBC "
                  f"sentences), {os.cpu_count()} cores shared", path)


def finish_figure(fig, axes, title: str, path: Path) -> None:
    """Legend on the last panel, a grid on each, the title, saved as PNG (both scale plots)."""
    import matplotlib.pyplot as plt

    axes[-1].legend(fontsize=8)
    for ax in axes:
        ax.grid(alpha=0.3)
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_docs(results: dict, sizes: list[int], workers: list[int], docs: Path,
               command: str) -> None:
    docs.mkdir(parents=True, exist_ok=True)
    lines = ["# Scale results (generated by bench/scale.py; SYNTHETIC corpus)", "",
             f"Command: `{command}`  ", f"Environment: {results.get('env', {})}", "",
             table(results, sizes, workers), "",
             "Build: wall time from scratch, extraction included (art/s in brackets). "
             "Latency: each query of bench/queries.json once, after a warm-up on other "
             "queries, search + all facets (people, countries, about, sources) + date histogram "
             "+ highlighted top 10, in-process. "
             "FTS5: the same queries' words, bm25 + snippet, top 10, each run right after its "
             "newsearch twin; the ratio compares both on the queries FTS5 can express. "
             "Server RSS: VmRSS of `newsearch serve` after the warm-up and the query list "
             "(VmHWM peak in brackets); heap = RssAnon, mapped files = RssFile (the index is "
             "read with plain file reads, so this is mostly the Python and library code). "
             "load: 1-minute load average when the search measurement started "
             "(2 cores: above 2 means contention).", ""]
    u = results.get(f"update/{max(sizes)}")
    if u:
        lines += [f"Incremental update at {max(sizes):,}: {u['added']:,} articles added in "
                  f"{u['wall_s']:.1f} s ({u['unchanged']:,} unchanged skipped by hash); the "
                  f"running server counted {u['server_total_before']:,} → "
                  f"{u['server_total_after']:,} after {u['visible_after_s']:.1f} s; "
                  f"server RSS {u['rss_before_mb']:,.0f} → {u['rss_after_mb']:,.0f} MB; "
                  f"HTTP p50/p95 after: {u['http_p50_after']:.1f} / {u['http_p95_after']:.1f} ms.",
                  *([f"Note: {u['note']}"] if u.get("note") else []), ""]
    found = targets(results, sizes, workers)
    if found:
        lines += ["| target | measured | met |", "|---|---|---|"]
        lines += [f"| {t} | {m} | {'yes' if ok else '**no**'} |" for t, m, ok in found]
        lines.append("")
    slow = sorted((results.get(f"search/{max(sizes)}") or {}).get("per_query", []),
                  key=lambda q: -q["ms"])[:8]
    if slow:
        lines += [f"Slowest queries at {max(sizes):,}:", "",
                  "| query | hits | newsearch ms | FTS5 ms |", "|---|---|---|---|"]
        lines += [f"| `{json.dumps(q['query'])}` | {q['total']:,} | {q['ms']:.1f} | "
                  f"{_fmt(q['fts5_ms'], '.1f')} |" for q in slow]
        lines.append("")
    (docs / "scale-results.md").write_text("\n".join(lines), "utf-8")
    (docs / "scale-results.json").write_text(json.dumps(results, indent=1), "utf-8")
    plot(results, sizes, workers, docs / "scale.png")


# -- driver --------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[25000, 50000, 100000, 200000])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK,
                        help="corpus, indexes and results.json (resumable)")
    parser.add_argument("--docs", type=Path, default=REPO / "docs",
                        help="where scale-results.md, scale.png and scale-results.json go")
    parser.add_argument("--update", type=int, default=1000,
                        help="articles added to the largest index (0: skip)")
    parser.add_argument("--per-file", type=int, default=PER_FILE,
                        help="articles per corpus file (the unit of parallel work)")
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--force", action="store_true", help="re-measure finished steps")
    parser.add_argument("--redo", nargs="*", default=[], metavar="STEP",
                        help="re-measure these finished steps only, e.g. build/100000/w2")
    parser.add_argument("--skip", nargs="*", default=[], choices=["serve", "update"],
                        help="steps to leave out")
    parser.add_argument("--fresh-code", action="store_true",
                        help="re-copy indexer/, webapp/ and bench/ into WORK/code first")
    parser.add_argument("--report-only", action="store_true",
                        help="only rewrite the docs from WORK/results.json")
    parser.add_argument("--measure-index", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure_index:
        print(json.dumps(measure_index(args.measure_index)))
        return
    args.work = args.work.resolve()
    code = run_on_snapshot(Path(__file__), args.work, args.fresh_code, args.shared)
    if any(s % args.per_file for s in args.sizes):
        parser.error(f"sizes must be multiples of --per-file ({args.per_file})")
    sizes, workers = sorted(args.sizes), sorted(args.workers)
    main_w = workers[-1]
    work: Path = args.work
    work.mkdir(parents=True, exist_ok=True)
    results_path = work / "results.json"
    results = {} if args.force or not results_path.exists() else json.loads(
        results_path.read_text())
    for key in args.redo:
        results.pop(key, None)
    from whoosh import versionstring
    results["env"] = {"code": (code / "SNAPSHOT.txt").read_text().strip(),
                      "cpus": os.cpu_count(), "python": platform.python_version(),
                      "whoosh": versionstring(), "sqlite": sqlite3.sqlite_version,
                      "seed": SEED, "date": datetime.now(UTC).strftime("%Y-%m-%d")}
    command = "python bench/scale.py " + " ".join(sys.argv[1:])

    def run(key: str, fn, *fargs) -> None:
        if key in results and not args.force:
            return
        log(f"{key} ... (load {load()})")
        results[key] = fn(*fargs)
        shown = {k: v for k, v in results[key].items() if k != "per_query"}
        log(f"{key}: {json.dumps(shown, default=str)}")
        results_path.write_text(json.dumps(results, indent=1))
        write_docs(results, sizes, workers, args.docs, command)

    if args.report_only:
        write_docs(results, sizes, workers, args.docs, command.replace(" --report-only", ""))
        return
    prepare(work, sizes, args.update, args.shared, args.per_file)
    top = sizes[-1]
    for size in sizes:
        run(f"build/{size}/w{main_w}", step_build, work, size, main_w)
        run(f"search/{size}", step_search, work, size, main_w)
        if "serve" not in args.skip:
            run(f"serve/{size}", step_serve, work, size, main_w)
    if args.update and "update" not in args.skip:
        run(f"update/{top}", step_update, work, top, main_w, args.update)
    for w in workers[:-1]:
        for size in sizes:
            run(f"build/{size}/w{w}", step_build, work, size, w)
            shutil.rmtree(index_dir(work, size, w), ignore_errors=True)
    write_docs(results, sizes, workers, args.docs, command)
    log(f"done: {args.docs / 'scale-results.md'}, {args.docs / 'scale.png'}")


if __name__ == "__main__":
    main()
