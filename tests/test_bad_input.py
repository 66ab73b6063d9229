"""Bad input: every broken file is reported with its path and reason, every good file
beside it is indexed, and nothing crashes or leaves part of a file in the index.

The bad corpus is generated in a temporary folder by ``make_bad_corpus`` (so nothing
binary is committed); tests/data/bad/README.md says so for whoever looks there.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from indexer.build import build_index
from indexer.sources import SourceFile, discover, read_file
from indexer.sources.textfile import MAX_FILE_BYTES, ReadError, read_bytes
from tests.conftest import REPO

GOOD_IDS = {
    "good/plain.txt", "latin1.txt", "bad-utf8.txt", "broken.html", "late-nul.txt",
    "dates.txt", "reuters-90001", "reuters-90002", "sidecar.txt",
    "mixed.jsonl#1", "mixed.jsonl#4", "mixed.jsonl#5", "mixed.jsonl#6", "mixed.jsonl#7",
    "mixed.jsonl#9", "mixed.jsonl#10",
}
# path -> kind for every input that must be skipped (reported, nothing indexed from it)
SKIPPED = {
    "empty.txt": "empty",
    "blank.txt": "empty",
    "binary.txt": "binary",
    "nul.txt": "binary",
    "utf16-garbage.txt": "binary",
    "deep.html": "no-text",
    "mixed.jsonl#2": "malformed",
    "mixed.jsonl#3": "malformed",
    "mixed.jsonl#8": "not-an-article",
    "broken.json": "malformed",
    "truncated.html.gz": "truncated",
    "self.txt": "symlink-loop",
    "ping.txt": "symlink-loop",
    "pong.txt": "symlink-loop",
    "dangling.txt": "broken-link",
    "loop/back": "symlink-loop",
}
# path -> kind for inputs indexed with a warning (the article is kept, the bad part dropped)
WARNED = {
    "latin1.txt": "encoding",
    "bad-utf8.txt": "encoding",
    "dates.txt": "date",
    "bad.sgm#NEWID=90002": "date",
    "mixed.jsonl#4": "date",
    "mixed.jsonl#5": "date",
    "mixed.jsonl#6": "date",
    "mixed.jsonl#7": "date",
    "mixed.jsonl#10": "date",
    "sidecar.json": "bad-sidecar",
}


def _write(folder: Path, name: str, data: str | bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, "utf-8")


def make_bad_corpus(folder: Path) -> None:
    """Every kind of broken input the issue names, beside good articles."""
    folder.mkdir(parents=True, exist_ok=True)
    _write(folder, "good/plain.txt",
           "Tin talks in Bolivia\n\nLA PAZ — Tin producers met on Monday.\n")
    _write(folder, "empty.txt", "")
    _write(folder, "blank.txt", " \n\n\t ")
    _write(folder, "binary.txt", bytes(range(256)) * 8)
    _write(folder, "nul.txt", b"Title\n\nSome text\x00 with a NUL byte.\n")
    _write(folder, "utf16-garbage.txt", bytes([0x81, 0x8D, 0x8F]) * 500)
    # a NUL far into an otherwise fine article is not a binary file: it is indexed
    _write(folder, "late-nul.txt", b"Late NUL title\n\n" + b"word " * 3000 + b"\x00 end\n")
    _write(folder, "latin1.txt",
           "Café au São Paulo\n\nLa réunion à Genève a commencé.\n".encode("latin-1"))
    _write(folder, "bad-utf8.txt", b"Broken bytes title\n\nValid text then \xff\xfe\x81 stray.\n")
    _write(folder, "deep.html", "<html><body>" + "<div>" * 100_000
           + "<p>Deep text about tin prices in Peru.</p>" + "</div>" * 10 + "</body></html>")
    _write(folder, "broken.html",
           "<html><head><title>Broken page</title><body><p>Unclosed <b>bold <i>text about "
           "tin markets in Bolivia and Peru, long enough to be kept by the extractor." * 3
           + "</span></table><div <p>>&bogus; &#99999999;")
    _write(folder, "bad.sgm",
           '<REUTERS NEWID="90001"><DATE>26-FEB-1987 15:01:01.79</DATE><TEXT>'
           "<TITLE>Entities &bogus; &#99999999; &#x110000; &#0; title</TITLE>"
           "<BODY>Body with <unclosed and &amp &lt illegal &#xD800; entities\n</BODY>"
           '</TEXT></REUTERS>\n<REUTERS NEWID="90002"><DATE>31-FEB-9999 25:61:99.00</DATE>'
           "<TEXT><TITLE>Absurd date<BODY>never closed")
    lines = [
        {"title": "Line one", "text": "Oil prices rose in Kuwait."},
        '{"title": "broken", "text": "no end',
        "not json at all",
        {"title": "Year zero", "text": "Body zero.", "date": "0000-01-01"},
        {"title": "Year 9999", "text": "Body future.", "date": "9999-12-31T00:00:00"},
        {"title": "Odd date", "text": "Body odd.", "date": "605:12:19"},
        {"title": "Year one", "text": "Body one.", "date": "0001-01-01"},
        [1, 2],
        {"title": "Nested", "text": {"a": [1, {"b": None}]}},
        {"title": "Huge number date", "text": "Body huge.", "date": 10**30},
    ]
    _write(folder, "mixed.jsonl", "\n".join(
        line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n")
    _write(folder, "broken.json", '{"title": "Unclosed", "text": "no end')
    _write(folder, "dates.txt",
           "---\ntitle: Front matter year zero\ndate: 0000-00-00\n---\nText with year zero.\n")
    _write(folder, "truncated.html.gz", gzip.compress(b"<html><p>cut</p></html>")[:15])
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "back")  # a folder link back to the root: a loop
    os.symlink("self.txt", folder / "self.txt")  # a file link to itself: a loop
    os.symlink("pong.txt", folder / "ping.txt")  # two links to each other: a loop
    os.symlink("ping.txt", folder / "pong.txt")
    os.symlink("gone.txt", folder / "dangling.txt")  # a link to a missing file
    # a page whose metadata sidecar is broken: indexed, the sidecar reported
    _write(folder, "sidecar.txt", "Tin talks resume\n\nLONDON — Tin talks resumed.\n")
    _write(folder, "sidecar.json", '{"date": "1987-03-02", "url": ')


def index_contents(index_dir: Path) -> dict[str, dict]:
    with whoosh_index.open_dir(str(index_dir)).searcher() as s:
        return {f["id"]: f for f in s.all_stored_fields()}


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad") / "corpus"
    make_bad_corpus(folder)
    target = tmp_path_factory.mktemp("bad-index")
    started = time.perf_counter()
    report = build_index([folder], target)
    return folder, target, report, time.perf_counter() - started


def test_every_bad_input_is_reported_with_path_and_reason(bad_run):
    _, _, report, _ = bad_run
    skipped = {p.path: p.kind for p in report.problems if p.skipped}
    assert skipped == SKIPPED
    warned = {p.path: p.kind for p in report.problems if not p.skipped}
    assert warned == WARNED
    assert all(p.reason and p.path for p in report.problems)


def test_every_good_article_beside_them_is_indexed(bad_run):
    _, target, report, elapsed = bad_run
    docs = index_contents(target)
    assert set(docs) == GOOD_IDS
    assert report.documents == len(GOOD_IDS)
    assert elapsed < 60


def _published(doc: dict):
    return doc.get("published", doc.get("date"))


def test_bad_parts_are_dropped_not_guessed(bad_run):
    _, target, _, _ = bad_run
    docs = index_contents(target)
    assert docs["latin1.txt"]["title"] == "Café au São Paulo"
    for doc_id in ("mixed.jsonl#4", "mixed.jsonl#5", "mixed.jsonl#6", "mixed.jsonl#7",
                   "mixed.jsonl#10", "dates.txt", "reuters-90002"):
        assert _published(docs[doc_id]) is None, doc_id  # absurd dates are not stored
    assert _published(docs["reuters-90001"]).year == 1987
    assert "\x00" not in docs["reuters-90001"]["title"]


def test_the_cli_lists_each_skipped_file_and_exits_1(tmp_path):
    folder = tmp_path / "corpus"
    make_bad_corpus(folder)
    proc = subprocess.run(
        [sys.executable, "-m", "indexer", "index", str(folder), "--index", str(tmp_path / "ix"),
         "--problems", "100"], capture_output=True, text=True, timeout=120, cwd=REPO)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    for path, kind in SKIPPED.items():
        assert f"skipped: {path}: {kind}: " in proc.stderr
    for path, kind in WARNED.items():
        assert f"warning: {path}: {kind}: " in proc.stderr
    assert f"{len(SKIPPED)} skipped" in proc.stdout


def test_rerunning_over_bad_input_changes_nothing(bad_run):
    folder, target, first, _ = bad_run
    again = build_index([folder], target)
    assert (again.added, again.updated, again.removed) == (0, 0, 0)
    assert set(index_contents(target)) == GOOD_IDS


def _good(folder: Path, n: int) -> None:
    for i in range(n):
        _write(folder, f"f{i:02d}.txt", f"Story {i}\n\nLONDON — Tin story number {i}.\n")


def test_a_file_that_vanishes_during_indexing_is_reported(tmp_path):
    folder = tmp_path / "src"
    _good(folder, 6)

    def on_file(rel: str) -> None:  # runs between files (workers=1 reads lazily)
        if rel == "f01.txt":
            (folder / "f03.txt").unlink()

    report = build_index([folder], tmp_path / "ix", on_file=on_file)
    assert [(p.path, p.kind) for p in report.problems] == [("f03.txt", "vanished")]
    assert set(index_contents(tmp_path / "ix")) == {f"f{i:02d}.txt" for i in (0, 1, 2, 4, 5)}


def test_a_file_that_becomes_unreadable_during_indexing_is_reported(tmp_path):
    folder = tmp_path / "src"
    _good(folder, 6)
    victim = folder / "f04.txt"

    def on_file(rel: str) -> None:
        if rel != "f01.txt":
            return
        if os.geteuid() == 0:  # root reads anything: replace the file by a folder
            victim.unlink()
            victim.mkdir()
        else:
            victim.chmod(0)

    report = build_index([folder], tmp_path / "ix", on_file=on_file)
    assert [(p.path, p.kind) for p in report.problems] == [("f04.txt", "unreadable")]
    assert set(index_contents(tmp_path / "ix")) == {f"f{i:02d}.txt" for i in (0, 1, 2, 3, 5)}


def test_a_file_that_fails_half_way_adds_nothing(tmp_path, monkeypatch):
    """No partial document: a reader that dies after yielding articles contributes none."""
    from indexer import sources

    def half(path: Path, rel: str):
        yield sources.Article(id=f"{rel}#1", title="First", body="first body", source="t")
        raise OSError("disk went away")

    monkeypatch.setitem(sources.READERS, "text", half)
    items = list(read_file(SourceFile(tmp_path / "x.txt", "x.txt", "text")))
    assert [(type(i).__name__, i.kind) for i in items] == [("Problem", "error")]


def test_a_named_pipe_is_skipped_not_waited_on(tmp_path):
    """A FIFO in the input folder must not block the run (and with it the write lock)."""
    folder = tmp_path / "src"
    _good(folder, 2)
    os.mkfifo(folder / "pipe.txt")
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "indexer", "index", str(folder), "--index",
             str(tmp_path / "ix")], capture_output=True, text=True, timeout=15, cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail("newsearch index blocked forever opening a named pipe")
    assert proc.returncode == 1 and "pipe.txt" in proc.stderr


def test_a_gzip_bomb_is_refused_without_inflating_it(tmp_path):
    """A small .gz that inflates past MAX_FILE_BYTES is refused in bounded memory."""
    bomb = tmp_path / "bomb.html.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        chunk = b"\0" * (1 << 20)
        for _ in range(MAX_FILE_BYTES // len(chunk) * 4):  # 256 MiB of zeros, ~250 KB on disk
            fh.write(chunk)
    code = ("import resource, sys; from pathlib import Path\n"
            "from indexer.sources.textfile import read_bytes, ReadError\n"
            "try:\n    read_bytes(Path(sys.argv[1]))\nexcept ReadError as e:\n"
            "    print(e.kind)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True,
                          text=True, timeout=60, cwd=REPO)
    kind, peak_mb = proc.stdout.split()
    assert kind == "too-large"
    # the output may reach MAX_FILE_BYTES (64 MiB) and be copied once; 256 MiB must not
    assert int(peak_mb) < 300, f"peak RSS {peak_mb} MB"


def test_an_oversized_file_is_refused_by_size(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk used
    with pytest.raises(ReadError) as exc:
        read_bytes(big)
    assert exc.value.kind == "too-large"


def test_a_folder_of_only_bad_files_gives_an_empty_searchable_index(tmp_path):
    folder = tmp_path / "src"
    _write(folder, "empty.txt", "")
    _write(folder, "binary.txt", bytes(range(256)))
    report = build_index([folder], tmp_path / "ix")
    assert report.documents == 0 and len(report.skipped) == 2
    proc = subprocess.run([sys.executable, "-m", "indexer", "search", "oil", "--index",
                           str(tmp_path / "ix")], capture_output=True, text=True, timeout=60,
                          cwd=REPO)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1  # no results


BIG_ARTICLE_MB = 50


@pytest.mark.slow
def test_a_50mb_article_is_handled_in_bounded_time_and_memory(tmp_path):
    folder = tmp_path / "src"
    folder.mkdir()
    _good(folder, 2)
    words = ("Tin producers in Bolivia and Peru met on Monday in La Paz to discuss "
             "prices while the minister said exports would rise next year").split()
    paragraph = " ".join(words * 10) + "\n\n"
    with open(folder / "huge.txt", "w") as fh:
        fh.write("One enormous article\n\n")
        for _ in range(BIG_ARTICLE_MB * (1 << 20) // len(paragraph)):
            fh.write(paragraph)
    code = ("import resource, sys, time; from pathlib import Path\n"
            "from indexer.build import build_index\n"
            "t = time.perf_counter(); r = build_index([Path(sys.argv[1])], Path(sys.argv[2]))\n"
            "print(round(time.perf_counter() - t, 1), r.documents, "
            "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)\n"
            "print(*[f'{p.path}:{p.kind}' for p in r.problems])\n")
    try:
        proc = subprocess.run([sys.executable, "-c", code, str(folder), str(tmp_path / "ix")],
                              capture_output=True, text=True, timeout=90, cwd=REPO)
    except subprocess.TimeoutExpired:
        pytest.fail("indexing a 50 MB article took over 90 s")
    assert proc.returncode == 0, proc.stderr[-2000:]
    timing, problems = proc.stdout.splitlines()
    seconds, documents, peak_mb = timing.split()
    assert int(peak_mb) < 2048
    # Either indexed whole, or refused cleanly with a reason; the good files always.
    assert (int(documents), problems) in ((3, ""), (2, "huge.txt:too-large"))


# Random bytes: whatever a file holds, the reader gives articles or problems, never raises.
_formats = st.sampled_from(["x.txt", "x.json", "x.jsonl", "x.sgm", "x.html", "x.txt.gz"])
_payloads = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(st.sampled_from([
        b"<REUTERS NEWID=\"1\">", b"<TEXT>", b"<TITLE>", b"</TITLE>", b"<BODY>", b"</BODY>",
        b"<DATE>", b"</DATE>", b"&#", b"&amp", b";", b"{", b"}", b'"title"', b'"text"', b":",
        b"\n", b"<html>", b"<body>", b"<p>", b"</div>", b"---\n", b"date: ", b"0000", b"9999",
        b"\xff", b"\x00", b"oil prices", b"\xc3\xa9", b",",
    ]), max_size=60).map(b"".join),
)


@settings(max_examples=120, deadline=5000, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_formats, payload=_payloads)
def test_any_bytes_give_articles_or_problems(tmp_path, name, payload):
    path = tmp_path / name
    path.write_bytes(gzip.compress(payload) if name.endswith(".gz") else payload)
    files = discover([path]).files
    for item in read_file(files[0]):
        assert item.path if not hasattr(item, "kind") else (item.path and item.reason)


@pytest.mark.parametrize("value", ["2018", "-1", "5", "12"])
def test_incomplete_dates_are_not_completed_from_today(value):
    from indexer.sources.dates import BadDate, parse_published

    with pytest.raises(BadDate):
        parse_published(value)
