"""A build whose postings outgrow the writers' memory spills them to run files a term
at a time (indexer/engines/whoosh/pool.py) and writes the same index as one that holds
them all in memory, with one writer and with ``--workers 2``; and the pool gives its
postings in Whoosh's order however many runs it merges."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

import indexer.engines.whoosh.writer as whoosh_writer
from indexer.build import build_index
from indexer.engines.whoosh.pool import TermPool
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
    write_run = TermPool._write_run

    def counted(self: TermPool, terms: object) -> str:
        path = write_run(self, terms)
        (marks / f"run-{len(list(marks.iterdir()))}-{id(self)}").touch()
        return path

    marks.mkdir()
    monkeypatch.setattr(TermPool, "_write_run", counted)


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


def test_many_runs_are_merged_into_whooshs_order_of_postings(tmp_path: Path) -> None:
    """Postings of the same terms over many documents, spilled every few hundred, come
    back as Whoosh's pool sorts them, the spelling words counted among them, also when
    the runs outnumber the files the merge may open (they are merged in steps)."""
    postings = [("body", word.encode(), docnum, float(docnum % 3 + 1), f"v{docnum}".encode())
                for docnum in range(400) for word in ("oil", "said", f"w{docnum % 17}")]
    postings += [("author", b"reuters", docnum, 1.0, None) for docnum in range(0, 400, 7)]
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=1, spelling=frozenset({"spell_body"}))
    pool.limit = 4_000  # bytes: a run every ~30 postings
    for docnum in range(400):
        for posting in postings:
            if posting[2] == docnum:
                pool.add(posting)
        pool.add(("spell_body", b"oil", 0, 1, None))
    assert len(pool.runs) > 8
    got = list(pool.items(maxfiles=3))
    assert got == sorted(postings) + [("spell_body", b"oil", 0, 400.0, b"\x00\x00\x01\x90")]
    assert list(tmp_path.iterdir()) == []  # every run file was removed after its merge


def test_a_term_whose_documents_go_back_across_runs_is_refused(tmp_path: Path) -> None:
    """A caller that added a term's postings out of document order would get a corrupt
    posting list; the merge says so instead."""
    pool = TermPool(FileStorage(str(tmp_path)), None, limitmb=1)
    pool.add(("body", b"oil", 5, 1.0, b"a"))
    pool.save()
    pool.add(("body", b"oil", 3, 1.0, b"b"))
    with pytest.raises(ValueError, match="out of document order"):
        list(pool.items())
