"""Writing postings a term at a time (indexer/engines/whoosh/fieldwriter.py) writes the
same index as Whoosh's posting-at-a-time loop: the same terms and postings files, byte for
byte, for a build with one writer and a merge of segments, and the same postings of the
same articles with ``--workers 2``."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh.codec.whoosh3 import W3FieldWriter

from indexer.build import build_index
from indexer.engines.whoosh.codec import ArrayCodec
from indexer.engines.whoosh.writer import optimize_index
from tests.conftest import write_reuters_files
from tests.segments import POSTING_FILES, posting_files, postings_by_article

pytestmark = pytest.mark.usefixtures("fixed_added_stamp")


def _per_posting(self: ArrayCodec, storage: object, segment: object) -> W3FieldWriter:
    """The field writer of before: Whoosh's own ``add_postings``, a posting at a time."""
    return W3FieldWriter(self, storage, segment)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """250 Reuters articles in two files (three of Whoosh's batches of 100: two sub-writers)."""
    return write_reuters_files(tmp_path_factory.mktemp("bulk"),
                               {"a.sgm": (1, 150), "b.sgm": (151, 250)})


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_writes_the_same_postings_as_whooshs_loop(
        articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    build_index([articles], tmp_path / "bulk", workers=workers)
    with monkeypatch.context() as patch:
        patch.setattr(ArrayCodec, "field_writer", _per_posting)
        build_index([articles], tmp_path / "loop", workers=workers)
    bulk, loop = posting_files(tmp_path / "bulk"), posting_files(tmp_path / "loop")
    assert len(bulk) == len(loop) == (1 if workers == 1 else 2)
    assert [sorted(files) for files in bulk] == [list(POSTING_FILES)] * len(bulk)
    if workers == 1:
        assert bulk == loop
    bulk_postings = postings_by_article(tmp_path / "bulk")
    assert ("body", b"coffe") in bulk_postings
    assert bulk_postings == postings_by_article(tmp_path / "loop")


def test_a_merge_writes_the_same_postings_as_whooshs_loop(
        articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two segments (the second run adds a file) merged into one by ``optimize``."""
    for name, patched in (("bulk", False), ("loop", True)):
        with monkeypatch.context() as patch:
            if patched:
                patch.setattr(ArrayCodec, "field_writer", _per_posting)
            build_index([articles / "a.sgm"], tmp_path / name)
            build_index([articles / "a.sgm", articles / "b.sgm"], tmp_path / name)
            assert optimize_index(tmp_path / name)[1] == 1
    assert posting_files(tmp_path / "bulk") == posting_files(tmp_path / "loop")


def test_the_term_table_is_whooshs_file(tmp_path: Path) -> None:
    """``TermTable`` keeps the file's offset and hashes itself: the same bytes as Whoosh's
    ``OrderedHashWriter``, and Whoosh's reader finds every term in it."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.filetables import OrderedHashReader, OrderedHashWriter

    from indexer.engines.whoosh.fieldwriter import TermTable

    storage = FileStorage(str(tmp_path))
    terms = sorted({f"\x00\x01term{n * 7919 % 3001}".encode() for n in range(3000)} | {b"a"})
    for name, writer_class in (("ours", TermTable), ("whoosh", OrderedHashWriter)):
        table = writer_class(storage.create_file(name))
        table.extras["fieldmap"] = {"body": 1}
        for n, key in enumerate(terms):
            table.add(key, n.to_bytes(4, "big") * (n % 3))
        table.close()
    assert (tmp_path / "ours").read_bytes() == (tmp_path / "whoosh").read_bytes()
    reader = OrderedHashReader.open(storage, "ours")
    assert [reader[key] for key in terms[:50]] == [n.to_bytes(4, "big") * (n % 3)
                                                  for n in range(50)]
    assert reader.closest_key(b"\x00\x01term5") == b"\x00\x01term5"
    with pytest.raises(ValueError, match="Keys must increase"):
        TermTable(storage.create_file("again")).add(b"", b"")
