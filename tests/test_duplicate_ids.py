"""One article id is stored once, and every other copy is reported as duplicate-id.

The same Reuters records in two files used to be stored twice in one run ("2,000 added;
2,000 documents" for 1,000 ids), and across two runs a second file silently took the ids
over. Within a run the first file in discovery order keeps an id; across runs the copy
already in the index is kept (docs/formats.md). An article that moves to another file is
not a duplicate: the old file no longer holds it.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.build import build_index
from tests.conftest import REPO, shared_path

RECORDS = 10


@pytest.fixture(scope="module")
def records() -> str:
    """The first 10 real Reuters-21578 records, as one .sgm file's text."""
    text = shared_path("corpora", "reuters21578", "reut2-000.sgm").read_text("latin-1")
    starts = [m.start() for m in re.finditer(r"<REUTERS ", text)]
    return text[:starts[RECORDS]]


def _stored(index_dir: Path) -> list[dict]:
    with whoosh_index.open_dir(str(index_dir)).searcher() as s:
        return list(s.all_stored_fields())


def _copy(records: str, *paths: Path) -> None:
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(records, "latin-1")


def _duplicates(report) -> list:
    return [p for p in report.problems if p.kind == "duplicate-id"]


def test_two_files_with_the_same_ids_in_one_run_keep_the_first(records, tmp_path):
    src = tmp_path / "src"
    _copy(records, src / "a" / "news.sgm", src / "b" / "news.sgm")
    report = build_index([src], tmp_path / "ix")
    assert (report.added, report.documents) == (RECORDS, RECORDS)
    docs = _stored(tmp_path / "ix")
    assert len({d["id"] for d in docs}) == len(docs) == RECORDS
    assert {Path(d["file"]).parent.name for d in docs} == {"a"}  # first in discovery order
    dups = _duplicates(report)
    assert len(dups) == RECORDS and all(p.skipped for p in dups)
    assert dups[0].path == "b/news.sgm#NEWID=1"
    assert dups[0].reason == ("id reuters-1 also in a/news.sgm, indexed first in this run; "
                              "this copy is not indexed")


def test_a_later_run_keeps_the_copy_already_in_the_index(records, tmp_path):
    """A second folder with the same ids, indexed into the same index later."""
    first, second = tmp_path / "first", tmp_path / "second"
    _copy(records, first / "news.sgm", second / "copy.sgm")
    build_index([first], tmp_path / "ix")
    report = build_index([second], tmp_path / "ix")
    assert (report.added, report.documents) == (0, RECORDS)
    dups = _duplicates(report)
    assert len(dups) == RECORDS
    assert dups[0].path == "copy.sgm#NEWID=1"
    assert dups[0].reason == (f"id reuters-1 already in the index from {first / 'news.sgm'}; "
                              "that copy is kept and this one is not indexed")
    assert {d["file"] for d in _stored(tmp_path / "ix")} == {str(first / "news.sgm")}


def test_a_copy_added_beside_an_indexed_file_is_reported(records, tmp_path):
    """Same folder, second run: the new copy sorts first, the indexed one is still kept."""
    src = tmp_path / "src"
    _copy(records, src / "z-original.sgm")
    build_index([src], tmp_path / "ix")
    _copy(records, src / "a-copy.sgm")
    report = build_index([src], tmp_path / "ix")
    assert (report.added, report.unchanged, report.documents) == (0, RECORDS, RECORDS)
    assert len(_duplicates(report)) == RECORDS
    assert {Path(d["file"]).name for d in _stored(tmp_path / "ix")} == {"z-original.sgm"}


def test_an_article_moved_to_another_file_is_not_a_duplicate(records, tmp_path):
    src = tmp_path / "src"
    _copy(records, src / "old" / "news.sgm")
    build_index([src], tmp_path / "ix")
    (src / "new").mkdir()
    shutil.move(src / "old" / "news.sgm", src / "new" / "news.sgm")
    report = build_index([src], tmp_path / "ix")
    assert _duplicates(report) == []
    assert (report.added, report.removed, report.documents) == (RECORDS, RECORDS, RECORDS)
    assert {Path(d["file"]).parent.name for d in _stored(tmp_path / "ix")} == {"new"}


def test_the_cli_lists_duplicates_as_skipped(records, tmp_path):
    src = tmp_path / "src"
    _copy(records, src / "a.sgm", src / "b.sgm")
    proc = subprocess.run([sys.executable, "-m", "indexer", "index", str(src), "--index",
                           str(tmp_path / "ix"), "--problems", "1"], capture_output=True,
                          text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    assert "skipped: b.sgm#NEWID=1: duplicate-id: id reuters-1 also in a.sgm" in proc.stderr
    assert f"{RECORDS} added" in proc.stdout and f"{RECORDS} documents" in proc.stdout
