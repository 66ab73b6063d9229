"""Indexing: incremental updates, bad files reported and skipped, atomic commits."""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer import build, sources
from indexer.build import build_index
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.errors import IndexBusy
from indexer.search.model import SearchRequest
from tests.conftest import REPO, shared_path


@pytest.fixture
def bbc_folder(tmp_path: Path) -> Path:
    """Twelve real BBC articles in the BBC layout, in a folder the test may change."""
    source = shared_path("corpora", "bbc")
    folder = tmp_path / "bbc"
    for category in ("business", "politics"):
        (folder / category).mkdir(parents=True)
        for n in range(1, 7):
            shutil.copy(source / category / f"{n:03d}.txt", folder / category / f"{n:03d}.txt")
    return folder


def ids(index_dir: Path) -> set[str]:
    with whoosh_index.open_dir(str(index_dir)).searcher() as s:
        return {f["id"] for f in s.all_stored_fields()}


def test_first_run_adds_everything(bbc_folder, tmp_path):
    report = build_index([bbc_folder], tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == (12, 0, 0, 0)
    assert report.documents == 12 and report.problems == []
    assert "bbc-politics-006" in ids(tmp_path / "ix")


def test_rerun_touches_only_what_changed(bbc_folder, tmp_path):
    target = tmp_path / "ix"
    build_index([bbc_folder], target)
    same = build_index([bbc_folder], target)
    assert (same.added, same.updated, same.removed, same.unchanged) == (0, 0, 0, 12)

    edited = bbc_folder / "business" / "002.txt"
    edited.write_text(edited.read_text() + "\nA late correction about Dollar gains.\n")
    (bbc_folder / "politics" / "003.txt").unlink()
    shutil.copy(shared_path("corpora", "bbc", "tech", "001.txt"), bbc_folder / "business" / "099.txt")
    report = build_index([bbc_folder], target)
    assert (report.added, report.updated, report.removed, report.unchanged) == (1, 1, 1, 10)
    assert report.documents == 12
    assert "bbc-politics-003" not in ids(target) and "bbc-business-099" in ids(target)
    hits = WhooshEngine(target).search(SearchRequest(query='"late correction"'))
    assert [h.id for h in hits.hits] == ["bbc-business-002"]


def test_indexing_a_second_folder_keeps_the_first(bbc_folder, tmp_path):
    target = tmp_path / "ix"
    build_index([bbc_folder], target)
    report = build_index([REPO / "corpus"], target)
    assert report.removed == 0
    assert {"bbc-business-001", "kono-pompeo-amman.txt"} <= ids(target)


def write_bad_files(folder: Path) -> None:
    """One file for each way an input can be broken, beside two good articles."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.txt").write_text("A good article\n\nTOKYO — Japan and Jordan agreed.\n")
    (folder / "good.jsonl").write_text('{"title": "Fine", "text": "Seoul said so."}\n')
    (folder / "empty.txt").write_text("")
    (folder / "blank.txt").write_text("  \n\n  ")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "nul.json").write_bytes(b'{"title": "x\x00", "text": "\x00\x00"}')
    (folder / "truncated.html.gz").write_bytes(gzip.compress(b"<html><p>cut</p></html>")[:15])
    (folder / "broken.json").write_text('{"title": "Unclosed", "text": "no end')
    (folder / "list.json").write_text('[1, 2]')
    (folder / "unclosed.sgm").write_text('<REUTERS NEWID="9"><DATE>bad</DATE><TEXT>')
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")


def test_broken_files_are_reported_and_the_rest_indexed(tmp_path):
    folder = tmp_path / "bad"
    write_bad_files(folder)
    report = build_index([folder], tmp_path / "ix")
    assert ids(tmp_path / "ix") == {"good.txt", "good.jsonl#1"}
    by_path = {p.path.split("#")[0]: p for p in report.problems}
    assert by_path["empty.txt"].kind == "empty"
    assert by_path["blank.txt"].kind == "empty"
    assert by_path["binary.txt"].kind == "binary"
    assert by_path["nul.json"].kind == "binary"
    assert by_path["truncated.html.gz"].kind == "truncated"
    assert by_path["broken.json"].kind == "malformed"
    assert by_path["list.json"].kind == "not-an-article"
    assert by_path["unclosed.sgm"].kind == "no-text"
    assert by_path["dangling.txt"].kind == "broken-link"
    assert all(p.reason for p in report.problems)


def test_interrupted_run_leaves_the_previous_index(bbc_folder, tmp_path):
    target = tmp_path / "ix"
    build_index([bbc_folder], target)
    (bbc_folder / "business" / "001.txt").write_text("Replaced title\n\nReplaced body.\n")

    def interrupt(_rel: str) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_index([bbc_folder], target, on_file=interrupt)
    engine = WhooshEngine(target, refresh_seconds=0)
    assert engine.stats().documents == 12
    assert engine.article("bbc-business-001").title == "Ad sales boost Time Warner profit"
    report = build_index([bbc_folder], target)
    assert report.updated == 1 and engine.article("bbc-business-001").title == "Replaced title"


def test_second_writer_gets_a_clear_error(bbc_folder, tmp_path):
    target = tmp_path / "ix"
    build_index([bbc_folder], target)
    writer = whoosh_index.open_dir(str(target)).writer()
    try:
        with pytest.raises(IndexBusy, match="another newsearch process is writing"):
            build_index([bbc_folder], target, wait=0.3)
    finally:
        writer.cancel()


def test_workers_give_the_same_index(bbc_folder, tmp_path):
    build_index([bbc_folder], tmp_path / "one", workers=1)
    build_index([bbc_folder], tmp_path / "two", workers=2)
    one, two = WhooshEngine(tmp_path / "one"), WhooshEngine(tmp_path / "two")
    for query in ("profit", '"interest rates"', "blair OR brown"):
        assert {h.id for h in one.search(SearchRequest(query=query)).hits} == \
            {h.id for h in two.search(SearchRequest(query=query)).hits}
    assert one.stats().top["people"] == two.stats().top["people"]


def _many_article_file(folder: Path, fmt: str) -> tuple[Path, str, str]:
    """A file holding many real articles, and one article's text with its edited form."""
    if fmt == "reuters":
        path = folder / "reut2-000.sgm"
        text = shared_path("corpora", "reuters21578", "reut2-000.sgm").read_text("latin-1")
        path.write_text(text[:text.index('<REUTERS', text.index('NEWID="40"'))], "latin-1")
        return path, "Showers continued throughout the week", "Rain fell all week"
    path = folder / "news.jsonl"
    lines = [json.dumps({"title": f"Story {n} from Kuwait",
                         "text": f"Oil output in Kuwait rose in week {n}, the minister said.",
                         "date": "1987-03-01"}) for n in range(1, 40)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path, "rose in week 7,", "fell in week 7,"


@pytest.mark.parametrize("fmt", ["reuters", "jsonl"])
def test_one_edited_article_in_a_many_article_file_is_the_only_update(tmp_path, fmt,
                                                                       monkeypatch):
    """The file hash changes, but only one article's content hash does: comparing the
    stored content hash with the file's hash would report every article as updated.
    The untouched file beside it is not even read again (its file hash is unchanged)."""
    folder = tmp_path / "src"
    folder.mkdir()
    path, old, new = _many_article_file(folder, fmt)
    (folder / "untouched.json").write_text(json.dumps(
        {"title": "Tin talks", "text": "LONDON — Tin talks resumed."}))
    articles = build_index([folder], tmp_path / "ix").added - 1
    assert articles >= 39
    text = path.read_text("latin-1")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new), "latin-1")
    read = []
    monkeypatch.setattr(build, "read_file", lambda source: read.append(source.rel)
                        or sources.read_file(source))
    report = build_index([folder], tmp_path / "ix")
    assert (report.added, report.updated, report.removed, report.unchanged) == \
        (0, 1, 0, articles)
    assert read == [path.name]
