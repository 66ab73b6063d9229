"""Indexing into OpenSearch behaves as indexing into Whoosh: the same problems for bad
input, every command on the index, a rerun after ``kill -9`` that completes the update
with no duplicate and no loss, and a server lost mid-run that is a message and exit 3
with no count reported as done."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from click.testing import CliRunner
from opensearchpy import OpenSearch

from indexer.build import build_index
from indexer.cli import main as cli
from indexer.engines.opensearch.writer import OpenSearchWriter
from indexer.search.engine import open_engine
from indexer.search.errors import EngineUnavailable
from indexer.search.model import SearchRequest
from tests.conftest import REPO, drop_opensearch_index
from tests.test_bad_input import make_bad_corpus


@pytest.fixture
def location(opensearch_url, request):
    name = f"test-{request.node.name.lower().replace('_', '-')[:40]}-{os.getpid()}"
    where = f"{opensearch_url}/{name}"
    drop_opensearch_index(where)
    yield where
    drop_opensearch_index(where)


def _problems(report) -> list[tuple[str, str, bool]]:
    return sorted((p.path, p.kind, p.skipped) for p in report.problems)


def test_bad_input_is_reported_and_skipped_as_on_whoosh(tmp_path, location):
    folder = tmp_path / "corpus"
    make_bad_corpus(folder)
    whoosh = build_index([folder], tmp_path / "ix")
    opensearch = build_index([folder], location)
    assert _problems(opensearch) == _problems(whoosh) and whoosh.problems
    assert (opensearch.added, opensearch.documents) == (whoosh.added, whoosh.documents)
    again = build_index([folder], location)  # a rerun changes nothing
    assert (again.added, again.updated, again.removed, again.unchanged) == \
        (0, 0, 0, whoosh.documents)


def test_a_file_gone_from_the_folder_leaves_the_index_as_on_whoosh(tmp_path, location):
    """A rerun after a file was deleted removes its article (the node tools/opensearch.py
    runs has no _delete_by_query: the run used to end there with a traceback)."""
    folder = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", folder)
    build_index([folder], location)
    (folder / "kono-pompeo-amman.txt").unlink()
    report = build_index([folder], location)
    assert (report.added, report.updated, report.removed, report.documents) == (0, 0, 1, 12)
    engine = open_engine(location)
    assert engine.article("kono-pompeo-amman.txt") is None
    assert engine.search(SearchRequest(query="pompeo")).total == 0


def test_every_command_works_on_an_opensearch_index(reuters_os):
    runner = CliRunner()
    for argv, expect in (
            (["search", "coffee", "--country", "Brazil"], "articles match 'coffee'"),
            (["show", "reuters-17", "--query", "health"], "Countries: United States"),
            (["related", "reuters-2744", "--limit", "3"], "MONEY SUPPLY"),
            (["stats"], "Documents: 3,000"),
            (["optimize"], "segments merged into")):
        result = runner.invoke(cli, [*argv, "--index", reuters_os])
        assert result.exit_code == 0, (argv, result.output)
        assert expect in result.output, (argv, result.output)


def test_stats_report_the_index_layout(location):
    build_index([REPO / "corpus"], location, shards=2, replicas=0)
    stats = open_engine(location).stats()
    assert (stats.documents, stats.shards, stats.replicas) == (13, 2, 0)


def test_a_killed_run_is_completed_by_a_rerun_without_duplicates(reuters_dir, location):
    base, name = location.rsplit("/", 1)
    client = OpenSearch([base])
    proc = subprocess.Popen([sys.executable, "-m", "indexer", "index", str(reuters_dir),
                             "--index", location], cwd=REPO, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:  # wait until part of the corpus is written
            if client.indices.exists(index=name):
                client.indices.refresh(index=name)
                if client.count(index=name)["count"] > 0:
                    break
            time.sleep(0.2)
        else:
            pytest.fail("the indexer wrote nothing within 300 s")
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    partial = _settled_count(client, name)  # the node may still apply the last bulk
    assert 0 < partial < 3000
    report = build_index([reuters_dir], location)
    assert report.documents == 3000  # ids are document ids: nothing doubled, nothing lost
    assert report.added == 3000 - partial
    # Every article is counted once: those the killed run wrote are unchanged, whether
    # their file was listed as done or is read again.
    assert report.added + report.updated + report.unchanged == 3000


def _settled_count(client: OpenSearch, name: str) -> int:
    """The index's count once it stops moving: a killed client's last bulk request is
    still applied by the node after the client is gone."""
    previous, deadline = -1, time.monotonic() + 120
    while time.monotonic() < deadline:
        client.indices.refresh(index=name)
        count = client.count(index=name)["count"]
        if count == previous:
            return count
        previous = count
        time.sleep(1.0)
    pytest.fail("the index's count still moved 120 s after the indexer was killed")


def test_a_server_lost_mid_run_is_exit_3_and_no_count(location, monkeypatch):
    real_flush = OpenSearchWriter.flush
    calls = []

    def flush_then_lose(self):
        calls.append(1)
        if len(calls) > 1:
            raise EngineUnavailable("cannot reach OpenSearch at 127.0.0.1:9200 (connection "
                                    "refused); start it with `make opensearch` or check --index")
        return real_flush(self)

    monkeypatch.setattr(OpenSearchWriter, "flush", flush_then_lose)
    result = CliRunner().invoke(cli, ["index", str(REPO / "corpus"), "--index", location])
    assert result.exit_code == 3, result.output
    assert "cannot reach OpenSearch" in result.output
    assert "Indexed" not in result.output and "added" not in result.output
