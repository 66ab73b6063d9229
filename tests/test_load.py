"""Load: ``newsearch serve`` (waitress) on loopback under concurrent clients mixing
searches, facets, article pages and exports, while an incremental index update adds
1,000 articles. Zero errors, and the server serves the new articles without a restart.

The 16-client, 60-second run is ``slow`` (.ci/run runs it); a 5-second smoke run is in the
default suite. Set NEWSEARCH_LOAD_REPORT=path.json to save the figures for the docs.

Beside the cheap clients, the full run has clients sending the worst queries the limits
let through (a 20-word phrase at ``~50``, ten leading wildcards, ten fuzzy terms, 200
unknown words for "did you mean"), one refused over-limit query, and a client that sends
a worst query and hangs up without reading the answer. The cheap requests' p99 is
reported on its own: one slow request must not hold the others up (issue 17).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from tests import crashkit as ck
from tests.conftest import shared_path

QUERIES = ["oil", "coffee", "prices", '"interest rates"', "export*", "bank OR banks",
           "opec -saudi", "title:gold", "trade~", "tin"]
KINDS = {
    "page": lambda n: f"/?q={quote(QUERIES[n % len(QUERIES)])}",
    "api": lambda n: f"/api/search?q={quote(QUERIES[n % len(QUERIES)])}&sort=newest",
    "facets": lambda n: f"/api/search?q=&country=Japan&person=&page={n % 5 + 1}",
    "autocomplete": lambda n: f"/api/facets/people?prefix={'abcdefghjk'[n % 10]}",
    "article": lambda n: f"/article/reuters-{n % 3000 + 1}",
    "csv": lambda n: f"/export.csv?q={quote(QUERIES[n % len(QUERIES)])}",
    "json": lambda n: f"/export.json?q={quote(QUERIES[n % len(QUERIES)])}&country=USA",
    "atom": lambda n: f"/feed.atom?q={quote(QUERIES[n % len(QUERIES)])}",
}
_LETTERS = "abcdefghij"
WORST_QUERIES = [
    '"' + " ".join(["said"] * 20) + '"~50',
    " OR ".join(f"*q{a}" for a in _LETTERS),
    " OR ".join(f"{w}~2" for w in ["oil", "gas", "tin", "price", "trade", "bank", "rate",
                                    "stock", "cut", "rise"]),
    " ".join(f"zq{a}{b}x" for a in _LETTERS for b in _LETTERS + "klmnopqrst"),
]
REFUSED_QUERY = '"said said"~100000'
WORST_KINDS = {
    "worst": lambda n: f"/api/search?q={quote(WORST_QUERIES[n % len(WORST_QUERIES)])}",
    "refused": lambda n: f"/api/search?q={quote(REFUSED_QUERY)}",
}
# What each kind may answer: the cheap ones 200 only; a worst query may also be stopped
# by its time budget (503) on a machine this loaded, and that is the budget working.
EXPECTED = {**{kind: {200} for kind in KINDS}, "worst": {200, 503}, "refused": {400}}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (from /proc/net/tcp*)."""
    found = set()
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        with open(name) as fh:
            for line in list(fh)[1:]:
                local, state = line.split()[1], line.split()[3]
                addr, hexport = local.split(":")
                if state == "0A" and int(hexport, 16) == port:
                    found.add(addr)
    return found


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def _client(port: int, stop: threading.Event, seed: int, out: list, errors: list,
            urls: dict = KINDS) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    n = seed * 7919
    kinds = list(urls)
    while not stop.is_set():
        kind = kinds[n % len(kinds)]
        url = urls[kind](n)
        n += 1
        started = time.perf_counter()
        try:
            conn.request("GET", url)
            response = conn.getresponse()
            body = response.read()
            status = response.status
        except (OSError, http.client.HTTPException) as exc:
            errors.append((url, repr(exc)))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            continue
        out.append((kind, time.perf_counter() - started))
        if status not in EXPECTED[kind] or b"Traceback" in body:
            errors.append((url, status, body[:200]))
        if status == 503:
            out.append(("stopped", 0.0))
    conn.close()


def _abandoning_client(port: int, stop: threading.Event, sent: list) -> None:
    """Every 15 s, sends 8 worst queries and hangs up at once, as impatient browsers do
    (8 abandoned requests of 25 wildcards once made a cheap search wait 47 s): the server
    must not keep working on them unboundedly (each is bounded by its budget)."""
    n = 0
    while not stop.is_set():
        for _ in range(8):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
                s.sendall(f"GET {WORST_KINDS['worst'](n)} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "\r\n".encode())
            sent.append(n)
            n += 1
        stop.wait(15)


@pytest.fixture
def served(reuters_index, tmp_path):
    """``newsearch serve`` over a private copy of the Reuters index, on a free port."""
    target = tmp_path / "ix"
    ck.copy_index(reuters_index, target)
    port = _free_port()
    log = tmp_path / "server.log"
    # SIGUSR1 makes the server dump every thread's stack into the log (for hangs).
    code = ("import faulthandler, signal, sys; faulthandler.register(signal.SIGUSR1, "
            "all_threads=True); from indexer.cli import main; sys.argv[0] = 'newsearch'; "
            "main()")
    with open(log, "w") as err:
        proc = ck.start([sys.executable, "-c", code, "serve", "--index", str(target),
                         "--port", str(port), "--threads", "8"],
                        stdout=subprocess.DEVNULL, stderr=err)
    try:
        ck.wait_for(lambda: bool(_listening_addresses(port)), 60, "the server to listen")
        yield target, port, proc, log
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        finally:
            ck.kill_group(proc)


#: How long the clients keep searching while an update they must outlast has not finished.
UPDATE_CAP_SECONDS = 600


def _run_load(served, tmp_path, clients: int, seconds: float, update: bool,
              worst_clients: int = 0) -> dict:
    target, port, server, log = served
    assert _listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
    writer = None
    if update:
        extra = tmp_path / "extra"
        extra.mkdir()
        shutil.copy(shared_path("corpora", "reuters21578", "reut2-003.sgm"), extra)
    stop = threading.Event()
    results: list[tuple[str, float]] = []
    errors: list[tuple] = []
    threads = [threading.Thread(target=_client, args=(port, stop, n, results, errors),
                                daemon=True) for n in range(clients)]
    abandoned: list[int] = []
    if worst_clients:
        threads += [threading.Thread(target=_client, args=(port, stop, n, results, errors,
                                                           WORST_KINDS), daemon=True)
                    for n in range(worst_clients)]
        threads.append(threading.Thread(target=_abandoning_client, args=(port, stop, abandoned),
                                        daemon=True))
    started = time.perf_counter()
    for t in threads:
        t.start()
    if update:
        time.sleep(min(5.0, seconds / 6))
        writer = ck.start(ck.indexer_cmd(extra, target, "--wait", "60"),
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    update_seconds = None
    # The load lasts ``seconds``, and on a slow or busy machine longer: until the update
    # has finished (UPDATE_CAP_SECONDS at most), so that it always runs under load.
    while (elapsed := time.perf_counter() - started) < seconds or (
            writer is not None and update_seconds is None and elapsed < UPDATE_CAP_SECONDS):
        time.sleep(0.2)
        if writer is not None and update_seconds is None and writer.poll() is not None:
            update_seconds = round(time.perf_counter() - started, 1)
    stop.set()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.perf_counter() - started
    after_update = None
    if writer is not None:
        _, err = writer.communicate(timeout=300)
        ck.kill_group(writer)
        assert writer.returncode == 0, err
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("GET", "/api/article/reuters-3500")  # an article of the update
            after_update = conn.getresponse().status
        except TimeoutError:
            server.send_signal(10)  # SIGUSR1: stacks into the log
            time.sleep(1)
            after_update = "timeout; server stacks:\n" + log.read_text()[-6000:]
        conn.close()
    times = [t for k, t in results if k in KINDS] or [0.0]  # the cheap requests
    report = {
        "clients": clients, "seconds": round(elapsed, 1), "requests": len(results),
        "errors": len(errors), "req_per_s": round(len(results) / elapsed, 1),
        "p50_ms": round(_percentile(times, 50) * 1000), "p95_ms":
        round(_percentile(times, 95) * 1000), "p99_ms": round(_percentile(times, 99) * 1000),
        "max_ms": round(max(times) * 1000), "update_finished_at_s": update_seconds,
        "by_kind": {kind: {"n": len(ts), "p50_ms": round(_percentile(ts, 50) * 1000),
                           "p99_ms": round(_percentile(ts, 99) * 1000)}
                    for kind in (*KINDS, *WORST_KINDS)
                    if (ts := [t for k, t in results if k == kind])},
        "worst_clients": worst_clients, "worst_stopped_by_budget":
        sum(k == "stopped" for k, _ in results), "abandoned_requests": len(abandoned),
    }
    report["error_samples"] = [repr(e)[:300] for e in errors[:5]]
    path = os.environ.get("NEWSEARCH_LOAD_REPORT")
    if path:
        Path(path).write_text(json.dumps(report, indent=1))
    assert errors == [], errors[:5]
    assert after_update in (None, 200), after_update
    assert set(KINDS) <= set(report["by_kind"])
    return report


def test_a_short_load_burst_has_no_errors(served, tmp_path):
    report = _run_load(served, tmp_path, clients=4, seconds=5, update=False)
    assert report["requests"] >= 8


@pytest.mark.slow
def test_16_clients_for_60_seconds_during_an_index_update(served, tmp_path):
    report = _run_load(served, tmp_path, clients=16, seconds=60, update=True, worst_clients=2)
    assert report["update_finished_at_s"] is not None  # the update ran during the load
    assert report["requests"] >= 100
    assert report["by_kind"]["worst"]["n"] >= 4 and report["abandoned_requests"] >= 16
    # Sanity bound, in this slow load test only: with one lock around the engine a cheap
    # request waited for whole worst queries (65 s behind one); every call's budget is
    # 5 s, so a cheap request taking longer than that waited for something it should not.
    assert report["p99_ms"] < 5000, report
