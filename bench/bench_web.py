"""Web latency: GET /?q=... and /api/search under ``newsearch serve`` (waitress).

    .venv/bin/python bench/bench_web.py [--index DIR|URL] [--seconds 30] [--clients 8]

Starts the real server on a free loopback port over a Reuters-21578 index on either engine
(a folder for Whoosh, ``http://127.0.0.1:9200/NAME`` for OpenSearch; built from
../shared/corpora/reuters21578 first if none is there), then for each endpoint runs
``--clients`` threads, each with its own keep-alive connection, cycling through the
fixed query list of bench/queries.json for ``--seconds``. Reports requests, errors
(non-200 answers or failed connections) and p50/p95/p99 latency per endpoint.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import BENCH, REUTERS, load_queries, percentile  # noqa: E402
from indexer.search.engine import open_engine  # noqa: E402
from indexer.search.errors import IndexMissing  # noqa: E402

NEWSEARCH = Path(sys.executable).parent / "newsearch"
ENDPOINTS = {"page": "/", "api": "/api/search"}
URL_PARAMS = {"people": "person", "countries": "country", "exclude_people": "xperson",
              "exclude_countries": "xcountry", "date_from": "from", "date_to": "to"}


def query_string(spec: dict) -> str:
    """One queries.json entry as the page's URL parameters."""
    pairs = [("q", spec.get("q", ""))]
    for key, param in URL_PARAMS.items():
        values = spec.get(key, [])
        pairs += [(param, v) for v in ([values] if isinstance(values, str) else values)]
    if "sort" in spec:
        pairs.append(("sort", spec["sort"]))
    return urlencode(pairs)


def ensure_index(index: str) -> None:
    """Build the Reuters index at ``index`` (a folder or a URL) unless one is there."""
    try:
        open_engine(index)
    except IndexMissing:
        print(f"building the Reuters index at {index} ...", flush=True)
        subprocess.run([str(NEWSEARCH), "index", str(REUTERS), "--index", index,
                        "--workers", "2"], check=False, stdout=subprocess.DEVNULL)
        open_engine(index)


def start_server(index: str, threads: int) -> tuple[subprocess.Popen, int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([str(NEWSEARCH), "serve", "--index", index, "--port",
                             str(port), "--threads", str(threads)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/static/style.css").close()
            return proc, port
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("the server did not start")


def run(port: int, path: str, queries: list[str], clients: int, seconds: float
        ) -> tuple[list[float], list[str]]:
    """Latencies (ms) of all requests and the errors, with ``clients`` threads at once."""
    timings: list[list[float]] = [[] for _ in range(clients)]
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for qs in itertools.islice(itertools.cycle(queries), n, None):
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                conn.request("GET", f"{path}?{qs}")
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors.append(f"{response.status} for {path}?{qs}")
            except (OSError, http.client.HTTPException) as exc:
                errors.append(f"{type(exc).__name__}: {exc} for {path}?{qs}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            timings[n].append((time.perf_counter() - started) * 1000)
        conn.close()

    workers = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    return [t for per in timings for t in per], errors


def measure(port: int, path: str, queries: list[str], clients: int, seconds: float) -> dict:
    """One endpoint under ``clients`` concurrent clients, after a short warm-up."""
    run(port, path, queries, 2, 2.0)  # warm-up: searcher and facet columns loaded
    times, errors = run(port, path, queries, clients, seconds)
    return {"requests": len(times), "req_s": len(times) / seconds, "errors": len(errors),
            "error_samples": errors[:5], "p50_ms": percentile(times, 50),
            "p95_ms": percentile(times, 95), "p99_ms": percentile(times, 99)}


TABLE_HEAD = ("| endpoint | requests | req/s | errors | p50 ms | p95 ms | p99 ms |\n"
              "|---|---|---|---|---|---|---|")


def table_row(label: str, row: dict) -> str:
    return (f"| {label} | {row['requests']:,} | {row['req_s']:.1f} | {row['errors']} "
            f"| {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['p99_ms']:.0f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", default=str(BENCH / "out" / "reuters-index"),
                        help="a Whoosh folder or an OpenSearch URL")
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--threads", type=int, default=8, help="waitress worker threads")
    args = parser.parse_args()
    ensure_index(args.index)
    queries = [query_string(spec) for spec in load_queries()]
    proc, port = start_server(args.index, args.threads)
    try:
        print(f"{len(queries)} queries, {args.clients} clients, {args.seconds:.0f} s per "
              f"endpoint, waitress --threads {args.threads}, index {args.index}")
        print(TABLE_HEAD)
        for name, path in ENDPOINTS.items():
            row = measure(port, path, queries, args.clients, args.seconds)
            print(table_row(f"GET {path}?q=… ({name})", row), flush=True)
            for error in row["error_samples"]:
                print(f"  error: {error}", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
