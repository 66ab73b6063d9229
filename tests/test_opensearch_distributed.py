"""Distributed indexing: several ``newsearch index`` processes, as on several machines,
each index a slice of one corpus into the same OpenSearch index at the same time. No
article is lost or doubled, and a rerun of any slice by any process skips what is already
indexed, because the incremental state lives in the index (its file list), not in a local
file."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from indexer.build import build_index
from indexer.engines.opensearch.client import connect, parse_location
from indexer.engines.opensearch.writer import OpenSearchWriter
from indexer.search.engine import open_engine
from indexer.search.errors import IndexWriteFailed
from indexer.search.model import SearchRequest
from tests.conftest import drop_opensearch_index, shared_path

SLICES = 3
FILES_PER_SLICE = 3
ARTICLES_PER_FILE = 40


@pytest.fixture()
def slices(tmp_path: Path) -> list[Path]:
    """Three folders of three files of Reuters articles: one slice per process."""
    text = shared_path("corpora", "reuters21578", "reut2-004.sgm").read_text("latin-1")
    articles = re.findall(r"<REUTERS.*?</REUTERS>", text, re.S)
    folders = []
    for s in range(SLICES):
        folder = tmp_path / f"slice-{s}"
        folder.mkdir()
        for f in range(FILES_PER_SLICE):
            start = (s * FILES_PER_SLICE + f) * ARTICLES_PER_FILE
            (folder / f"part-{f}.sgm").write_text(
                "\n".join(articles[start:start + ARTICLES_PER_FILE]), "latin-1")
        folders.append(folder)
    return folders


@pytest.fixture()
def location(opensearch_url: str):
    where = f"{opensearch_url}/test-distributed-{os.getpid()}"
    yield where
    drop_opensearch_index(where)


def _index_at_once(folders: list[Path], location: str) -> list[subprocess.CompletedProcess]:
    runs = [subprocess.Popen([sys.executable, "-m", "indexer", "index", str(folder),
                              "--index", location], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for folder in folders]
    done = []
    for run in runs:
        out, err = run.communicate(timeout=600)
        done.append(subprocess.CompletedProcess(run.args, run.returncode, out, err))
    return done


def test_processes_indexing_slices_at_once_lose_and_double_nothing(slices, location):
    runs = _index_at_once(slices, location)
    assert [r.returncode for r in runs] == [0] * SLICES, [r.stderr for r in runs]
    expected = SLICES * FILES_PER_SLICE * ARTICLES_PER_FILE
    engine = open_engine(location)
    assert engine.stats().documents == expected
    hits = engine.export(SearchRequest(fold_duplicates=False), cap=expected + 10)
    assert len({h.id for h in hits}) == len(hits) == expected

    # Any process may rerun any slice: everything is already there, nothing is read again.
    reruns = _index_at_once(list(reversed(slices)), location)
    for rerun in reruns:
        assert rerun.returncode == 0, rerun.stderr
        assert "0 added, 0 updated, 0 removed" in rerun.stdout
        assert f"{FILES_PER_SLICE * ARTICLES_PER_FILE} unchanged" in rerun.stdout
    assert open_engine(location).stats().documents == expected


def test_writers_that_create_a_new_index_at_the_same_moment_share_it(location):
    """Two runs starting together on an empty cluster used to create two indices; the
    second took the alias and deleted the first, with the other run's articles in it."""
    where = parse_location(location)
    together = threading.Barrier(2)
    targets: list[str] = []

    def start() -> None:
        together.wait()
        targets.append(OpenSearchWriter(where).target)

    threads = [threading.Thread(target=start) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(targets) == 2 and targets[0] == targets[1]


def test_a_rebuild_overtaken_by_another_rebuild_is_refused_and_drops_nothing(slices, location):
    """Two machines each rebuilding a slice of the same index: the second to finish swapped
    the alias to its own new index and deleted the first's, with its articles."""
    build_index([slices[0]], location)
    overtaking = []

    def another_rebuild_finishes(_files: int) -> None:  # while this run reads its files
        overtaking.append(build_index([slices[1]], location, rebuild=True))

    with pytest.raises(IndexWriteFailed, match="another --rebuild of .* finished while this "
                                               "one ran") as refused:
        build_index([slices[2]], location, rebuild=True, on_start=another_rebuild_finishes)
    assert "without --rebuild into a new name" in str(refused.value)
    per_slice = FILES_PER_SLICE * ARTICLES_PER_FILE
    assert overtaking[0].added == per_slice
    engine = open_engine(location)
    assert engine.stats().documents == per_slice  # the other run's rebuild, whole
    held = {h.id for h in engine.export(SearchRequest(fold_duplicates=False),
                                        cap=per_slice + 10)}
    assert held == {f"reuters-{n}" for part in slices[1].iterdir()
                    for n in re.findall(r'NEWID="(\d+)"', part.read_text("latin-1"))}
    # The refused run's half of a new index is not left behind to fill the disk.
    client = connect(parse_location(location))
    name = location.rsplit("/", 1)[1]
    assert len(client.indices.get(index=f"{name}-*", params={"expand_wildcards": "all"})) == 2
