"""A 3-node OpenSearch cluster loses a node: searches keep answering, indexing finishes or
stops with a clear message, and the node comes back with nothing lost.

The cluster is the fault tests' own (``tools/opensearch.py`` FAULTS: ports 9210-9212), so
the node on 9200 that the rest of the suite shares is never touched. The nodes are
killed with SIGKILL, as a machine that loses power. No timing is asserted: the tests bound
the work (a number of searches, one indexing run) and assert what a user would see.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import copy_index
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest, SearchResult
from tests.conftest import drop_opensearch_index, shared_path
from tools import opensearch

pytestmark = pytest.mark.opensearch  # under CI=true a skip here is a failure

HOSTS = ",".join(f"{opensearch.HOST}:{n.http_port}" for n in opensearch.FAULTS)
CLIENTS = 8
SEARCHES_AFTER_THE_KILL = 6  # per client
QUERIES = ("oil", "coffee prices", "trade deficit", "coff*", "cofee~", "bank AND rates",
           "country:japan", "person:reagan")


START_TIMEOUT = 300.0  # three JVMs starting on two busy cores


def _up() -> None:
    """Start whichever of the three nodes is not running and wait for green."""
    try:
        opensearch.start_nodes(opensearch.FAULTS, START_TIMEOUT)
    except opensearch.MissingPrerequisite as exc:
        pytest.skip(f"cannot run OpenSearch here: {exc}")


@pytest.fixture(scope="module")
def cluster() -> Iterator[str]:
    """The three fault-test nodes, started afresh for this module and stopped after it
    (indices an interrupted run left behind would only slow the start)."""
    if not any(opensearch.running(node) for node in opensearch.FAULTS):
        root = opensearch.work_root(opensearch.service_account()) / "opensearch"
        for node in opensearch.FAULTS:
            shutil.rmtree(root / node.name / "data", ignore_errors=True)
    _up()
    try:
        yield f"http://{HOSTS}"
    finally:
        with opensearch.locked():
            opensearch.stop_nodes(opensearch.FAULTS)


def _kill(node: opensearch.Node) -> None:
    pid = opensearch.running(node)
    assert pid is not None, f"{node.name} is not running"
    opensearch.signal_node(pid, signal.SIGKILL)
    while opensearch.is_node_process(pid):
        time.sleep(0.1)


def _answer(result: SearchResult) -> tuple:
    """What a user sees of a search: the total, the facet counts and the first page."""
    return (result.total, {f: [(v.value, v.count) for v in vs] for f, vs in result.facets.items()},
            [h.id for h in result.hits])


def _answers(engine) -> dict[str, tuple]:
    return {q: _answer(engine.search(SearchRequest(query=q, facet_limit=50))) for q in QUERIES}


@pytest.fixture(scope="module")
def replicated(cluster: str, reuters_index: Path) -> Iterator[str]:
    """The Reuters subset on 3 shards with 1 replica: every shard has a copy on two nodes."""
    location = f"{cluster}/faults-search-{os.getpid()}"
    copy_index(reuters_index, location, rebuild=True, shards=3, replicas=1)
    _get(f"http://{opensearch.HOST}:{opensearch.FAULTS[0].http_port}/_cluster/health"
         "?wait_for_status=green&timeout=60s")
    yield location
    _up()
    drop_opensearch_index(location)


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=90) as response:
        return json.load(response)


def test_a_node_dies_while_eight_clients_search(replicated: str) -> None:
    before = _answers(open_engine(replicated))
    errors: list[str] = []
    after_kill = threading.Event()
    started = threading.Barrier(CLIENTS + 1)

    def client(number: int) -> None:
        engine = open_engine(replicated)  # each client its own connections, as a web worker
        started.wait()
        done_after = 0
        turn = number
        while done_after < SEARCHES_AFTER_THE_KILL:
            query = QUERIES[turn % len(QUERIES)]
            turn += 1
            killed = after_kill.is_set()
            try:
                got = _answer(engine.search(SearchRequest(query=query, facet_limit=50)))
            except Exception as exc:  # noqa: BLE001 - any error is what this test looks for
                errors.append(f"{query}: {type(exc).__name__}: {exc}")
                got = before[query]
            if got != before[query]:
                errors.append(f"{query}: a different answer {got[0]} != {before[query][0]}")
            done_after += killed

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    started.wait()
    _kill(opensearch.FAULTS[1])
    after_kill.set()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _answers(open_engine(replicated)) == before


def test_the_node_comes_back_and_nothing_was_lost(replicated: str) -> None:
    before = _answers(open_engine(replicated))
    _up()  # restarts the node the test above killed (or any other that is down)
    health = _get(f"http://{opensearch.HOST}:{opensearch.FAULTS[1].http_port}/_cluster/health"
                  "?wait_for_status=green&timeout=60s")
    assert health["status"] == "green" and health["number_of_nodes"] == 3
    engine = open_engine(replicated)
    assert engine.stats().documents == 3000
    assert _answers(engine) == before


@pytest.fixture()
def many_files(tmp_path: Path) -> tuple[Path, int]:
    """600 Reuters articles in 12 files: a run is many bulk requests long, and a rerun can
    skip the files it finished."""
    source = shared_path("corpora", "reuters21578", "reut2-003.sgm").read_text("latin-1")
    articles = re.findall(r"<REUTERS.*?</REUTERS>", source, re.S)[:600]
    folder = tmp_path / "reuters-slices"
    folder.mkdir()
    for i in range(12):
        text = "\n".join(articles[i * 50:(i + 1) * 50])
        (folder / f"slice-{i:02d}.sgm").write_text(text, "latin-1")
    return folder, len(articles)


def _index(folder: Path, location: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "indexer", "index", str(folder),
                             "--index", location, "--shards", "3", "--replicas", "1"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _indexed_so_far(index: str) -> int:
    """Documents sent so far (refreshes are off while a run loads, so no count sees them)."""
    try:
        stats = _get(f"http://{opensearch.HOST}:{opensearch.FAULTS[0].http_port}/"
                     f"{index}/_stats/indexing")
    except OSError:
        return 0
    return stats["_all"]["primaries"].get("indexing", {}).get("index_total", 0)


def test_a_node_dies_while_indexing_and_a_rerun_holds_the_corpus_exactly(
        cluster: str, many_files: tuple[Path, int]) -> None:
    folder, articles = many_files
    location = f"{cluster}/faults-index-{os.getpid()}"
    try:
        run = _index(folder, location)
        name = location.rsplit("/", 1)[1]
        while _indexed_so_far(name) == 0 and run.poll() is None:
            time.sleep(0.1)
        _kill(opensearch.FAULTS[2])
        out, err = run.communicate(timeout=600)
        assert "Traceback" not in err
        assert run.returncode in (0, 3), err
        if run.returncode == 3:
            assert "cannot reach OpenSearch" in err, err
        # A shard whose only started copy was on the dead node (a new index's replicas
        # may still be starting) waits for that node: the rerun comes after it is back.
        _up()
        rerun = _index(folder, location)
        out, err = rerun.communicate(timeout=600)
        assert rerun.returncode == 0, err
        assert open_engine(location).stats().documents == articles
        ids = {h.id for h in open_engine(location).export(SearchRequest(fold_duplicates=False),
                                                         cap=articles + 10)}
        assert len(ids) == articles
    finally:
        _up()
        drop_opensearch_index(location)
