"""A build whose postings outgrow the writers' memory spills them to run files a chunk
at a time (indexer/engines/whoosh/pool.py) and writes the same index as one that holds
them all in memory, with one writer and with ``--workers 2``."""

from __future__ import annotations

from pathlib import Path

import pytest

import indexer.engines.whoosh.writer as whoosh_writer
from indexer.build import build_index
from indexer.engines.whoosh.pool import ChunkedPool
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import write_reuters_files
from tests.segments import posting_files, postings_by_article

pytestmark = pytest.mark.usefixtures("fixed_added_stamp")


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_reuters_files(tmp_path_factory.mktemp("pool"),
                               {"a.sgm": (1, 150), "b.sgm": (151, 300)})


def _counted_runs(monkeypatch: pytest.MonkeyPatch, marks: Path) -> None:
    """Leave a file in ``marks`` for each run file written, from any process."""
    write_run = ChunkedPool._write_run

    def counted(self: ChunkedPool, f: object, items: object) -> None:
        write_run(self, f, items)
        (marks / f"run-{len(list(marks.iterdir()))}-{id(self)}").touch()

    marks.mkdir()
    monkeypatch.setattr(ChunkedPool, "_write_run", counted)


@pytest.mark.parametrize("workers", [1, 2])
def test_spilled_postings_make_the_same_index(articles: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch,
                                              workers: int) -> None:
    build_index([articles], tmp_path / "memory", workers=workers)
    with monkeypatch.context() as patch:
        patch.setattr(whoosh_writer, "POOL_MB", 1)
        _counted_runs(patch, tmp_path / "runs")
        build_index([articles], tmp_path / "spilled", workers=workers)
    assert len(list((tmp_path / "runs").iterdir())) >= 4  # every writer spilled, often
    if workers == 1:
        assert posting_files(tmp_path / "spilled") == posting_files(tmp_path / "memory")
    assert postings_by_article(tmp_path / "spilled") == postings_by_article(tmp_path / "memory")
    found = open_engine(tmp_path / "spilled").search(SearchRequest(query="coffee prices"))
    expected = open_engine(tmp_path / "memory").search(SearchRequest(query="coffee prices"))
    assert found.total > 0
    assert [(h.id, h.score) for h in found.hits] == [(h.id, h.score) for h in expected.hits]
