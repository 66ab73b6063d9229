"""Writing postings a term at a time (indexer/engines/whoosh/fieldwriter.py) writes the
same index as Whoosh's posting-at-a-time loop: the same terms and postings files, byte for
byte, for a build with one writer and a merge of segments, and the same postings of the
same articles with ``--workers 2``."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3FieldWriter

import indexer.engines.whoosh.writer as whoosh_writer
from indexer.build import build_index
from indexer.engines.whoosh.codec import ArrayCodec
from indexer.engines.whoosh.writer import optimize_index
from tests.conftest import reuters_articles

#: The files a segment's postings are written to: the term table and the posting lists.
POSTING_FILES = (".pst", ".trm")


def _per_posting(self: ArrayCodec, storage: object, segment: object) -> W3FieldWriter:
    """The field writer of before: Whoosh's own ``add_postings``, a posting at a time."""
    return W3FieldWriter(self, storage, segment)


def _posting_files(index_dir: Path) -> list[dict[str, bytes]]:
    """Each segment's terms and postings files, by extension, in the segments' order of
    first document (segment names are random; their contents are not)."""
    ix = whoosh_index.open_dir(str(index_dir))
    found = []
    for segment in ix._segments():
        storage = segment.open_compound_file(ix.storage)
        files = {name[name.rindex("."):]: storage.open_file(name).read()
                 for name in storage.list() if name.endswith(POSTING_FILES)}
        storage.close()
        found.append(files)
    return sorted(found, key=lambda files: files[".pst"])


def postings_by_article(index_dir: Path) -> dict[tuple[str, bytes], object]:
    """Every posting of the index by (field, term): the sorted (article id, weight,
    value) of each, whatever segment and document number it has, and for a spelling
    field the word's frequency. With ``--workers 2`` which sub-writer process takes which
    batch of articles depends on timing, so only this, not the files, is the same."""
    ix = whoosh_index.open_dir(str(index_dir))
    found: dict[tuple[str, bytes], object] = {}
    with ix.reader() as reader:
        for leaf, _ in reader.leaf_readers():
            ids = list(leaf.column_reader("id"))
            for fieldname, text in leaf.all_terms():
                key = (fieldname, text)
                if fieldname.startswith("spell_"):
                    found[key] = found.get(key, 0) + leaf.frequency(fieldname, text)
                    continue
                matcher = leaf.postings(fieldname, text)
                rows = found.setdefault(key, [])
                while matcher.is_active():
                    rows.append((ids[matcher.id()], matcher.weight(), matcher.value()))
                    matcher.next()
    return {key: sorted(rows) if isinstance(rows, list) else rows
            for key, rows in found.items()}


@pytest.fixture(autouse=True)
def same_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run stamps its articles with the same "added" moment (an indexed number):
    the two ways of writing are then given the same postings."""
    monkeypatch.setattr(whoosh_writer, "now_stamp", lambda: 1_700_000_000)


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """250 Reuters articles in two files (three of Whoosh's batches of 100: two sub-writers)."""
    folder = tmp_path_factory.mktemp("bulk")
    (folder / "a.sgm").write_text(reuters_articles(1, 150), "latin-1")
    (folder / "b.sgm").write_text(reuters_articles(151, 250), "latin-1")
    return folder


@pytest.mark.parametrize("workers", [1, 2])
def test_a_build_writes_the_same_postings_as_whooshs_loop(
        articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int) -> None:
    build_index([articles], tmp_path / "bulk", workers=workers)
    with monkeypatch.context() as patch:
        patch.setattr(ArrayCodec, "field_writer", _per_posting)
        build_index([articles], tmp_path / "loop", workers=workers)
    bulk, loop = _posting_files(tmp_path / "bulk"), _posting_files(tmp_path / "loop")
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
    assert _posting_files(tmp_path / "bulk") == _posting_files(tmp_path / "loop")
