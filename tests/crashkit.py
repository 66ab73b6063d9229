"""Helpers shared by the crash-safety and concurrency tests: corpora made from real
Reuters records, index state snapshots, a lock-holding indexer and /proc/locks checks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from whoosh import index as whoosh_index

from tests.conftest import REPO, shared_path

RECORDS_PER_FILE = 10
FILES = 30

# A real newsearch indexer that holds the write lock after its first file and waits on
# stdin: "go" lets it finish and commit; anything else (or a kill) never commits.
HOLDER = r"""
import sys
from pathlib import Path
from indexer.build import build_index

def pause(rel):
    if not getattr(pause, "done", False):
        pause.done = True
        print("locked", flush=True)
        if sys.stdin.readline().strip() != "go":
            raise SystemExit(9)

report = build_index([Path(sys.argv[1])], Path(sys.argv[2]), on_file=pause)
print("committed", report.documents, flush=True)
"""


def reuters_records(start: int, count: int) -> list[str]:
    """Raw ``<REUTERS>`` records of reut2-000.sgm (real text, real SGML)."""
    raw = shared_path("corpora", "reuters21578", "reut2-000.sgm").read_bytes().decode("latin-1")
    return re.findall(r"<REUTERS\b.*?</REUTERS>", raw, re.DOTALL)[start:start + count]


def write_parts(folder: Path, records: list[str], first: int = 0) -> None:
    """Split records into ``part-NN.sgm`` files of RECORDS_PER_FILE records each."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(0, len(records), RECORDS_PER_FILE):
        name = f"part-{first + n // RECORDS_PER_FILE:02d}.sgm"
        (folder / name).write_bytes("\n".join(records[n:n + RECORDS_PER_FILE]).encode("latin-1"))


def make_v1(folder: Path) -> None:
    """300 articles in 30 files: a run takes about 3 s on this 2-core machine."""
    write_parts(folder, reuters_records(0, FILES * RECORDS_PER_FILE))


def make_v2(folder: Path) -> None:
    """The incremental update: 6 files edited, 3 removed, 3 added."""
    for n in range(0, 12, 2):
        path = folder / f"part-{n:02d}.sgm"
        text = path.read_bytes().decode("latin-1")
        text = text.replace("</BODY>", " Revised in the second edition.</BODY>")
        path.write_bytes(text.encode("latin-1"))
    for n in (20, 21, 22):
        (folder / f"part-{n:02d}.sgm").unlink()
    extra = reuters_records(FILES * RECORDS_PER_FILE, 3 * RECORDS_PER_FILE)
    write_parts(folder, extra, first=FILES)


def build_versions(base: Path) -> tuple[Path, Path, Path]:
    """(source, v1 index, clean v2 index): the v1 source indexed, then edited into v2 in
    the same folder (so an update of the v1 index sees changes) and indexed afresh."""
    from indexer.build import build_index

    src = base / "src"
    make_v1(src)
    v1_index = base / "v1-index"
    build_index([src], v1_index)
    make_v2(src)
    clean = base / "v2-clean"
    build_index([src], clean)
    return src, v1_index, clean


def index_state(index_dir: Path) -> dict[str, str]:
    """id -> content hash of every live document; asserts ids are unique."""
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as s:
        pairs = [(f["id"], f["content_hash"]) for f in s.all_stored_fields()]
        assert s.doc_count() == len(pairs)
    state = dict(pairs)
    assert len(state) == len(pairs), "duplicate article ids in the index"
    return state


def indexer_cmd(src: Path, target: Path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "indexer", "index", str(src), "--index", str(target), *extra]


def start(cmd: list[str], **kwargs) -> subprocess.Popen:
    """Start a process in its own session, so its orphaned workers can be found later."""
    return subprocess.Popen(cmd, cwd=REPO, start_new_session=True, **kwargs)


def kill_group(proc: subprocess.Popen) -> None:
    """Kill what is left of a process group this test started (by its id)."""
    try:
        os.killpg(proc.pid, 9)
    except ProcessLookupError:
        pass


def group_alive(pgid: int) -> bool:
    """Whether a live (not zombie) process of this process group remains."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def lock_held(index_dir: Path) -> bool:
    """Whether any process holds the flock on MAIN_WRITELOCK (read from /proc/locks,
    without touching the lock itself)."""
    lock = index_dir / "MAIN_WRITELOCK"
    if not lock.exists():
        return False
    inode = os.stat(lock).st_ino
    with open("/proc/locks") as fh:
        return any(line.split()[1] == "FLOCK" and line.split()[5].endswith(f":{inode}")
                   for line in fh)


def wait_for(predicate, timeout: float, what: str) -> float:
    started = time.monotonic()
    while not predicate():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.02)
    return time.monotonic() - started


def start_holder(src: Path, target: Path) -> subprocess.Popen:
    """A live indexer holding the write lock (see HOLDER); returns once it holds it."""
    proc = start([sys.executable, "-c", HOLDER, str(src), str(target)],
                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                 text=True)
    line = proc.stdout.readline()
    assert line.strip() == "locked", proc.stderr.read()
    assert lock_held(target)
    return proc


def copy_index(source: Path, target: Path) -> None:
    shutil.copytree(source, target)
