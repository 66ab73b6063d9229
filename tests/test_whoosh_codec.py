"""The Whoosh index newsearch writes stays a Whoosh index that Whoosh's own searcher
opens, written without a file-system call per posting (indexer/engines/whoosh/codec.py;
the posting format itself: tests/test_whoosh_posting_format.py)."""

from __future__ import annotations

from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.qparser import QueryParser

from indexer.build import build_index
from indexer.engines.whoosh.codec import ArrayCodec
from indexer.engines.whoosh.schema import build_schema
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import REPO


def test_stock_whoosh_opens_the_index_and_answers_alike(corpus_index: Path) -> None:
    """Whoosh's own searcher, with no newsearch code in the way, finds the same articles
    for a word as newsearch does; every segment names newsearch's codec, which Whoosh
    unpickles from the table of contents and reads the postings with."""
    ix = whoosh_index.open_dir(str(corpus_index))
    assert all(type(s.codec()) is ArrayCodec for s in ix._segments())
    ours = open_engine(corpus_index).search(SearchRequest(query="missile", limit=50))
    with ix.searcher() as searcher:
        found = searcher.search(QueryParser("body", ix.schema).parse("missile"), limit=None)
        assert {hit["id"] for hit in found} == {h.id for h in ours.hits}
        assert searcher.doc_count() == 13
    assert ours.total > 3


def test_writing_postings_checks_each_column_once(tmp_path: Path, monkeypatch) -> None:
    """Whoosh's per-document reader asked the storage about a missing length column once
    per posting (the keyword, id and MinHash fields have none): thousands of stat calls
    for 13 articles. Bounded now by the fields, not by the postings."""
    calls = []
    real = FileStorage.file_exists

    def counting(self: FileStorage, name: str) -> bool:
        calls.append(name)
        return real(self, name)

    monkeypatch.setattr(FileStorage, "file_exists", counting)
    report = build_index([REPO / "corpus"], tmp_path / "index")
    assert report.added == 13
    assert len(calls) <= 4 * len(build_schema().names()), len(calls)
