"""A Whoosh writer process of ``--workers 2`` that dies mid-run (a crash, the kernel's
out-of-memory killer) fails the run with a clear message and commits nothing: the
previous index keeps every article, and the next run completes the job. Whoosh's own
``MpWriter`` would commit without the dead process's articles."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

import indexer.engines.whoosh.pool as pool
from indexer.build import build_index
from indexer.search.engine import open_engine
from indexer.search.errors import IndexWriteFailed
from indexer.search.model import SearchRequest
from tests.conftest import write_reuters_files


def _ids(index_dir: Path) -> set[str]:
    result = open_engine(index_dir).export(SearchRequest(query="*", fold_duplicates=False))
    return {hit.id for hit in result}


def _die_on(monkeypatch: pytest.MonkeyPatch, article_id: str) -> None:
    """The writer process that is handed ``article_id`` exits at once, as a killed one."""
    add = pool.add_pooled

    def add_or_die(writer: object, fields: dict) -> None:
        if fields.get("id") == article_id and multiprocessing.parent_process() is not None:
            os._exit(1)
        add(writer, fields)

    monkeypatch.setattr(pool, "add_pooled", add_or_die)


@pytest.mark.parametrize("rebuild", [False, True])
def test_a_dead_writer_process_fails_the_run_and_loses_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rebuild: bool) -> None:
    corpus = write_reuters_files(tmp_path / "corpus", {"a.sgm": (1, 150)})
    index_dir = tmp_path / "index"
    build_index([corpus], index_dir, workers=2)
    before = _ids(index_dir)
    assert len(before) >= 140
    write_reuters_files(corpus, {"b.sgm": (151, 300)})
    with monkeypatch.context() as patch:
        _die_on(patch, "reuters-200")
        with pytest.raises(IndexWriteFailed, match="writer processes died .* nothing was "
                                                   "committed: the previous index is unchanged"):
            build_index([corpus], index_dir, workers=2, rebuild=rebuild)
    assert _ids(index_dir) == before
    report = build_index([corpus], index_dir, workers=2, rebuild=rebuild)
    after = _ids(index_dir)
    assert before < after and "reuters-200" in after
    assert report.documents == len(after)
