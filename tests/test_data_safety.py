"""Data that must not be lost: unreadable folders, a full disk, a foreign --index folder.

Permissions are tested for real where possible: tests run as root here, and root ignores
mode bits, so the indexing runs as the unprivileged user ``nobody`` (``setpriv``) on a
folder it owns. Each case also has a unit test that injects the OSError at the discovery
layer, which runs everywhere. The full disk is a real 2 MB tmpfs when ``mount`` works
(root in a sandbox that allows it), and an injected ENOSPC in Whoosh's file writes always.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from whoosh.filedb.filestore import FileStorage

from indexer.build import build_index
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.engines.whoosh.store import NotAnIndexFolder, check_index_folder
from indexer.search.errors import IndexWriteFailed
from indexer.search.model import SearchRequest
from indexer.sources import discover
from tests.conftest import REPO

NOBODY = 65534
STORIES = {
    "locked/s1.txt": "Tin talks in Bolivia\n\nLA PAZ — Tin producers met on Monday.\n",
    "locked/s2.txt": "Tin output in Peru\n\nLIMA — Peru's tin output rose in March.\n",
    "open/o1.txt": "Coffee prices in Brazil\n\nSAO PAULO — Coffee prices fell.\n",
}
NEW_STORY = ("open/o2.txt", "Cocoa crop in Ghana\n\nACCRA — The cocoa crop was larger.\n")


def _write(folder: Path, stories: dict[str, str]) -> None:
    for rel, text in stories.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")


def _ids(index_dir: Path) -> set[str]:
    engine = WhooshEngine(index_dir, refresh_seconds=0)
    return {h.id for h in engine.search(SearchRequest(query="", limit=100)).hits}


# -- folders that cannot be read ------------------------------------------------------

@pytest.fixture
def unprivileged_dir():
    """A folder the indexing user owns: as root, a /tmp folder chowned to nobody."""
    if os.geteuid() != 0:
        path = Path(tempfile.mkdtemp(prefix="newsearch-perm-"))
        yield path
    else:
        if shutil.which("setpriv") is None:
            pytest.skip("setpriv is not installed: cannot run the indexer unprivileged")
        path = Path(tempfile.mkdtemp(prefix="newsearch-perm-", dir="/tmp"))
        os.chown(path, NOBODY, NOBODY)
        yield path
    for folder, _, _ in os.walk(path):
        os.chmod(folder, 0o755)
    shutil.rmtree(path)


def _index_unprivileged(folder: Path, index_dir: Path) -> subprocess.CompletedProcess:
    """``newsearch index`` as a user the mode bits apply to."""
    prefix = []
    if os.geteuid() == 0:
        for dirpath, dirnames, filenames in os.walk(folder.parent):
            for name in [dirpath, *(os.path.join(dirpath, n) for n in dirnames + filenames)]:
                os.lchown(name, NOBODY, NOBODY)
        prefix = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    env = {**os.environ, "HOME": str(folder.parent)}
    return subprocess.run([*prefix, sys.executable, "-m", "indexer", "index", str(folder),
                           "--index", str(index_dir)], capture_output=True, text=True,
                          timeout=120, cwd=REPO, env=env)


@pytest.mark.parametrize("mode", [0o000, 0o644], ids=["mode-000", "mode-644"])
def test_an_unreadable_folder_is_reported_and_its_articles_kept(unprivileged_dir, mode):
    """Mode 000 (cannot be listed) used to delete the folder's articles on the next run
    ("2 removed"); mode 644 (listed, not entered) crashed the run with a PermissionError
    traceback. Both: reported as unreadable-folder, the articles kept, the rest indexed."""
    src, ix = unprivileged_dir / "src", unprivileged_dir / "ix"
    _write(src, STORIES)
    first = _index_unprivileged(src, ix)
    assert first.returncode == 0, first.stderr
    (src / NEW_STORY[0]).write_text(NEW_STORY[1], "utf-8")
    (src / "locked").chmod(mode)
    try:
        proc = _index_unprivileged(src, ix)
    finally:
        (src / "locked").chmod(0o755)
    assert "Traceback" not in proc.stderr
    assert proc.returncode == 1, proc.stderr  # an input was skipped
    assert "skipped: locked: unreadable-folder: " in proc.stderr
    assert "1 added, 0 updated, 0 removed" in proc.stdout
    assert "4 documents in the index" in proc.stdout
    assert _ids(ix) == {*STORIES, NEW_STORY[0]}
    again = _index_unprivileged(src, ix)  # readable again: nothing to redo
    assert again.returncode == 0, again.stderr
    assert "0 added, 0 updated, 0 removed, 4 unchanged" in again.stdout


def test_a_folder_that_cannot_be_listed_is_kept_when_injected(tmp_path, monkeypatch):
    """The same guarantee without mode bits: os.scandir fails on the folder."""
    src = tmp_path / "src"
    _write(src, STORIES)
    build_index([src], tmp_path / "ix")
    locked = str(src / "locked")
    real_scandir = os.scandir

    def scandir(path="."):
        if os.fspath(path) == locked:
            raise PermissionError(errno.EACCES, "Permission denied", locked)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = discover([src])
    assert [(p.path, p.kind) for p in found.problems] == [("locked", "unreadable-folder")]
    assert found.unreadable == [Path(locked)]
    report = build_index([src], tmp_path / "ix")
    assert (report.removed, report.documents) == (0, 3)
    assert _ids(tmp_path / "ix") == set(STORIES)


def test_a_folder_that_cannot_be_entered_is_kept_when_injected(tmp_path, monkeypatch):
    """Listed but not entered: every stat inside the folder fails, as the kernel does
    for a folder without its x bit. The good files beside it are indexed."""
    src = tmp_path / "src"
    _write(src, STORIES)
    build_index([src], tmp_path / "ix")
    _write(src, dict([NEW_STORY]))
    locked = str(src / "locked") + os.sep
    real_stat = os.stat

    def stat(path, *args, **kwargs):
        if os.fspath(path).startswith(locked):
            raise PermissionError(errno.EACCES, "Permission denied", os.fspath(path))
        return real_stat(path, *args, **kwargs)

    monkeypatch.setattr(os, "stat", stat)
    report = build_index([src], tmp_path / "ix")
    assert [(p.path, p.kind) for p in report.problems] == [("locked", "unreadable-folder")]
    assert (report.added, report.removed, report.documents) == (1, 0, 4)
    monkeypatch.undo()
    assert _ids(tmp_path / "ix") == {*STORIES, NEW_STORY[0]}


def test_a_folder_that_is_really_gone_still_loses_its_articles(tmp_path):
    """Keeping unreadable folders must not keep deleted ones."""
    src = tmp_path / "src"
    _write(src, STORIES)
    build_index([src], tmp_path / "ix")
    shutil.rmtree(src / "locked")
    report = build_index([src], tmp_path / "ix")
    assert (report.removed, report.documents) == (2, 1)


# -- --index must name an index folder ------------------------------------------------

def _cli_index(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "indexer", "index", *args],
                          capture_output=True, text=True, timeout=120, cwd=REPO)


def _listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir()}


def test_index_refuses_a_folder_that_is_not_an_index(tmp_path):
    """`--index /` used to write an index into / and delete MAIN_* files there."""
    folder = tmp_path / "documents"
    folder.mkdir()
    (folder / "notes.txt").write_text("my notes")
    (folder / "MAIN_report.txt").write_text("a file Whoosh would have deleted")
    before = _listing(folder)
    proc = _cli_index(str(REPO / "corpus"), "--index", str(folder))
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{folder} is not a newsearch index and is not empty" in proc.stderr
    assert _listing(folder) == before  # nothing written, nothing deleted


def test_the_root_folder_is_refused():
    """Only the check itself on /: a test that could write into / on a regression must not
    exist (the build path is the temporary folder above)."""
    with pytest.raises(NotAnIndexFolder, match="is not a newsearch index"):
        check_index_folder(Path("/"))


@pytest.mark.parametrize("state", ["missing", "empty", "half-created", "index"])
def test_index_accepts_a_new_empty_or_index_folder(tmp_path, state):
    folder = tmp_path / "ix"
    if state == "empty":
        folder.mkdir()
    elif state == "half-created":  # a run killed after taking the lock and writing meta
        folder.mkdir()
        (folder / "MAIN_WRITELOCK").touch()
        (folder / "newsearch.json").write_text('{"schema_version": 3}')
    elif state == "index":
        build_index([REPO / "corpus" / "kono-pompeo-amman.txt"], folder)
    report = build_index([REPO / "corpus"], folder)
    assert report.documents == 13


# -- a full disk ----------------------------------------------------------------------

@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB filesystem (tmpfs), or skip where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tmpfs needs root")
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {proc.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def _search_total(index_dir: Path, query: str) -> int:
    engine = WhooshEngine(index_dir, refresh_seconds=0)
    return engine.search(SearchRequest(query=query)).total


def test_a_full_disk_gives_a_clear_message_and_leaves_no_partial_files(
        corpus_index, small_disk):
    """Real ENOSPC: the corpus index (1.2 MB) on a 2 MB disk; a --rebuild needs a second
    copy. It used to end with an OSError traceback and leave the partial segment."""
    ix = small_disk / "ix"
    shutil.copytree(corpus_index, ix)
    before = _listing(ix)
    missiles = _search_total(ix, "missile")
    proc = _cli_index(str(REPO / "corpus"), "--index", str(ix), "--rebuild")
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "Error: disk full: no space left for the index at" in proc.stderr
    assert "MB of new index files it had written (now removed)" in proc.stderr
    assert "The previous index is unchanged and searchable" in proc.stderr
    assert _listing(ix) == before  # the partial segment files are gone
    assert _search_total(ix, "missile") == missiles > 0


class _FullDisk:
    """Wraps a file so that writes fail with ENOSPC once ``budget`` bytes are written."""

    def __init__(self, file, budget: list[int]) -> None:
        self._file, self._budget = file, budget

    def write(self, data) -> int:
        if len(data) > self._budget[0]:
            raise OSError(errno.ENOSPC, "No space left on device")
        self._budget[0] -= len(data)
        return self._file.write(data)

    def __getattr__(self, name):
        return getattr(self._file, name)


def test_an_injected_full_disk_keeps_the_previous_index(corpus_index, tmp_path, monkeypatch):
    """The same with ENOSPC injected into every file Whoosh creates (runs anywhere)."""
    ix = tmp_path / "ix"
    shutil.copytree(corpus_index, ix)
    before = _listing(ix)
    budget = [300_000]
    create_file = FileStorage.create_file

    def full_create_file(self, name, **kwargs):
        stream = create_file(self, name, **kwargs)
        stream.file = _FullDisk(stream.file, budget)
        return stream

    monkeypatch.setattr(FileStorage, "create_file", full_create_file)
    with pytest.raises(IndexWriteFailed, match="disk full") as exc:
        build_index([REPO / "corpus"], ix, rebuild=True)
    assert "previous index is unchanged" in str(exc.value)
    monkeypatch.undo()
    assert _listing(ix) == before
    assert _search_total(ix, "") == 13
    assert build_index([REPO / "corpus"], ix).unchanged == 13  # and the lock was released
