"""Building and updating an index, on either engine: files in, records out.

Reading and entity extraction run in ``workers`` processes; the main process compares
content hashes with what the index holds (the engine's writer reads them from the index
itself), so a re-run only rewrites changed articles and removes vanished ones. The writer
makes the run visible at the end: one atomic commit on Whoosh, a refresh (and on a
rebuild an alias swap) on OpenSearch.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import multiprocessing
import os
import signal
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing import util as mp_util
from pathlib import Path

from indexer.archive.run import record_input, resolve_archive
from indexer.archive.table import PersonInput
from indexer.article import Problem
from indexer.dedup import lsh_bands
from indexer.extract import Entities, extract
from indexer.record import Record, to_record
from indexer.search.engine import IndexWriter, open_writer
from indexer.search.errors import IndexWriteFailed
from indexer.sources import SourceFile, discover, read_file

# News articles are a few KB; text past these sizes is a dump, not an article. Entity
# extraction is superlinear in text length (2 MB of text: ~120 s) and Whoosh tokenizing
# 50 MB trips NLTK's 5 s regex guard (TimeoutError ends the run), so cap both.
MAX_ARTICLE_CHARS = 1_000_000
MAX_EXTRACT_CHARS = 200_000


@dataclass
class IndexReport:
    """What a run did, for the summary line and the exit code."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    files: int = 0
    problems: list[Problem] = field(default_factory=list)
    elapsed: float = 0.0
    documents: int = 0
    re_resolved: int = 0  # articles of earlier runs whose people the archive step changed
    resolve_seconds: float = 0.0  # of ``elapsed``, in the archive step

    @property
    def skipped(self) -> list[Problem]:
        """Problems that cost an article or a file (not mere warnings)."""
        return [p for p in self.problems if p.skipped]

    @property
    def problem_kinds(self) -> dict[str, int]:
        return dict(Counter(p.kind for p in self.problems))

    @property
    def articles_per_second(self) -> float:
        done = self.added + self.updated + self.unchanged
        return done / self.elapsed if self.elapsed else 0.0


@dataclass
class FileResult:
    """A worker's answer for one file: its hash and, unless unchanged, its documents."""

    key: str
    rel: str
    file_hash: str
    unchanged: bool
    documents: list[Record]
    problems: list[Problem]
    unread: bool = False  # the file exists but could not be read: keep its old articles


_known_hashes: dict[str, str] = {}


def _die_with_parent(_registered: object = None) -> None:
    """In every worker (our Pool and Whoosh's MpWriter): die when the indexer dies.

    Forked workers inherit the open MAIN_WRITELOCK file, and the kernel drops an flock
    only when its last holder closes it; an orphan blocked on a dead parent's pipe would
    hold the index's lock forever (seen after kill -9 of an indexer with --workers 2).
    """
    if sys.platform.startswith("linux"):
        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:
        os._exit(1)  # the parent died before prctl took effect


class _WorkerHook:
    """Anchor for register_after_fork (it keeps a weak reference)."""


_WORKER_HOOK = _WorkerHook()
mp_util.register_after_fork(_WORKER_HOOK, _die_with_parent)


def _init_worker(known: dict[str, str]) -> None:
    global _known_hashes
    _known_hashes = known


def file_hash(path: Path) -> str:
    """SHA-1 of a file's bytes; empty when it cannot be read (the reader reports why)."""
    h = hashlib.sha1()
    try:
        if not path.is_file():  # a FIFO or device would block or never end
            return ""
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return ""
    return h.hexdigest()


def process_file(source: SourceFile) -> FileResult:
    """Read one file and extract entities from its articles (runs in a worker)."""
    digest = file_hash(source.path)
    if digest and _known_hashes.get(source.key) == digest:
        return FileResult(source.key, source.rel, digest, True, [], [])
    docs: list[dict[str, object]] = []
    problems: list[Problem] = []
    for item in read_file(source):
        if isinstance(item, Problem):
            problems.append(item)
            continue
        if len(item.title) + len(item.body) > MAX_ARTICLE_CHARS:
            problems.append(Problem(item.path or source.rel, "too-large",
                                    f"article text is {len(item.title) + len(item.body):,} "
                                    f"characters; the limit is {MAX_ARTICLE_CHARS:,}"))
            continue
        try:
            entities = extract(replace(item, body=item.body[:MAX_EXTRACT_CHARS]))
        except Exception as exc:  # an extractor bug costs the entities, not the article
            problems.append(Problem(item.path or source.rel, "extraction",
                                    f"{type(exc).__name__}: {exc}"[:300], skipped=False))
            entities = Entities()
        docs.append(to_record(item, entities, file=source.key, file_hash=digest,
                              lsh=lsh_bands(item.text[:MAX_EXTRACT_CHARS])))
    unread = not docs and any(p.kind == "unreadable" for p in problems)
    return FileResult(source.key, source.rel, digest, False, docs, problems, unread)


def _chunksize(files: int, workers: int) -> int:
    """Files a worker takes at a time: up to 4 (fewer round trips for many small files),
    but no more than leave each worker 16 turns (one file a turn when there are fewer
    files than that), so that no worker is left alone with its last few files while the
    others wait. Reuters' 22 files in turns of 4 left one of two workers
    idle for about a second at the end (docs/BENCHMARKS.md, issue 16)."""
    return max(1, min(4, files // (16 * workers)))


def _results(files: list[SourceFile], known: dict[str, str], workers: int) -> Iterator[FileResult]:
    if workers <= 1:
        _init_worker(known)
        yield from map(process_file, files)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers, initializer=_init_worker, initargs=(known,)) as pool:
        yield from pool.imap(process_file, files, chunksize=_chunksize(len(files), workers))


class _DupKeys:
    """Assigns each new article the dupkey of an earlier near-duplicate, if any: one
    seen in this run, else one the index holds (the writer looks it up)."""

    def __init__(self, writer: IndexWriter) -> None:
        self.writer = writer
        self.seen: dict[str, str] = {}

    def key_for(self, doc_id: str, bands: list[str]) -> str:
        key = next((self.seen[b] for b in bands if b in self.seen), None)
        key = key or self.writer.dupkey(bands) or doc_id
        for band in bands:
            self.seen.setdefault(band, key)
        return key


def build_index(paths: list[Path], location: str | Path, *, fmt: str | None = None,
                workers: int = 1, rebuild: bool = False, wait: float = 0.0,
                shards: int = 1, replicas: int = 0,
                on_file: Callable[[str], None] | None = None,
                on_start: Callable[[int], None] | None = None) -> IndexReport:
    """Index ``paths`` at ``location`` (a folder or an OpenSearch URL): add new, update
    changed, remove vanished articles.

    ``wait`` is how long to wait for another writer to finish before raising IndexBusy;
    ``shards`` and ``replicas`` lay out a new OpenSearch index. ``on_start(n_files)`` and
    ``on_file(rel)`` drive the CLI's progress bar.
    """
    started = time.perf_counter()
    report = IndexReport()
    writer = open_writer(location, rebuild=rebuild, wait=wait, workers=workers,
                         shards=shards, replicas=replicas)
    try:
        found = discover(paths, fmt)
        report.problems.extend(found.problems)
        report.files = len(found.files)
        if on_start:
            on_start(len(found.files))
        known_hashes, ids_by_file = writer.state()
        ids = _Ids(ids_by_file, writer, _DupKeys(writer), report)
        seen_files: set[str] = set()
        for result in _results(found.files, known_hashes, workers):
            seen_files.add(result.key)
            report.problems.extend(result.problems)
            old = ids_by_file.get(result.key, {})
            if result.unchanged:
                report.unchanged += len(old)
            elif not result.unread:  # an unreadable file keeps its articles
                ids.apply_file(result, old)
                writer.file_done(result.key, result.file_hash)
            if on_file:
                on_file(result.rel)
        roots = [str(p.absolute()) for p in paths]
        kept = [str(p) for p in found.unreadable]
        for key, old in ids_by_file.items():
            if key not in seen_files and _under(key, roots) and not _under(key, kept):
                writer.delete_file(key)
                ids.release(key, old)
                ids.gone.update(old)
                report.removed += len(old)
        ids.finish()
        resolving = time.perf_counter()
        report.re_resolved = resolve_archive(writer, ids.people, ids.gone)
        report.resolve_seconds = time.perf_counter() - resolving
        report.documents = writer.commit(roots)
    except BaseException as exc:
        removed = writer.cancel()
        if isinstance(exc, OSError):
            raise IndexWriteFailed(write_failure(location, exc, removed)) from exc
        raise
    report.elapsed = time.perf_counter() - started
    return report


def write_failure(index_dir: str | Path, exc: OSError, removed: int,
                  committed: bool = False) -> str:
    """The message for an index write that failed: what happened and what is left."""
    outcome = ("the articles were committed, but the list of indexed folders in "
               "the index's meta file was not updated" if committed else
               "the previous index is unchanged and searchable")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        needed = (f"; it needs more than the {removed / 1e6:,.1f} MB of new index files it "
                  "had written (now removed)" if removed else "")
        return (f"disk full: no space left for the index at {index_dir}{needed}. "
                f"{outcome[0].upper()}{outcome[1:]}; free some space and run the same "
                "command again")
    where = f" ({exc.filename})" if exc.filename else ""
    return f"cannot write the index at {index_dir}: {exc.strerror or exc}{where}; {outcome}"


class _Ids:
    """Writes a run's articles so that each id is stored once, and reports the others.

    Within one run the first file in discovery order keeps an id. Across runs the copy
    already in the index is kept; a new file's copy waits until the end of the run and
    is written only if the old file no longer holds the id by then (the article moved
    to another file, or its file was deleted).
    """

    def __init__(self, ids_by_file: dict[str, dict[str, str]], writer: IndexWriter,
                 dupkeys: _DupKeys, report: IndexReport) -> None:
        self.writer, self.dupkeys, self.report = writer, dupkeys, report
        self.holder = {doc_id: key for key, hashes in ids_by_file.items()
                       for doc_id in hashes}
        self.written: dict[str, str] = {}  # id -> path of the copy written in this run
        self.waiting: list[tuple[Record, str]] = []
        # For the archive step: this run's articles' inputs and people as put, and the
        # ids it deleted.
        self.people: dict[str, tuple[PersonInput, tuple[str, ...]]] = {}
        self.gone: set[str] = set()

    def apply_file(self, result: FileResult, old: dict[str, str]) -> None:
        """Write a changed file's articles and delete the ones it no longer holds.

        Every article of the file is rewritten (so the stored file hash moves on), but
        only those whose content changed count as updated.
        """
        in_file: set[str] = set()
        for doc in result.documents:
            doc_id = str(doc["id"])
            if doc_id in in_file:
                self._duplicate(doc, "already used in this file")
                continue
            in_file.add(doc_id)
            if doc_id in self.written:
                self._duplicate(doc, f"also in {self.written[doc_id]}, indexed first in "
                                     "this run; this copy is not indexed")
            elif self.holder.get(doc_id, result.key) != result.key:
                self.waiting.append((doc, result.key))
            else:
                self._write(doc, result.key, old.get(doc_id))
        for doc_id in set(old) - in_file:
            self.writer.delete_id(doc_id)
            self.gone.add(doc_id)
            self.report.removed += 1
            if self.holder.get(doc_id) == result.key:
                del self.holder[doc_id]

    def release(self, key: str, old: dict[str, str]) -> None:
        """A vanished file no longer holds its ids."""
        for doc_id in old:
            if self.holder.get(doc_id) == key:
                del self.holder[doc_id]

    def finish(self) -> None:
        """Decide the copies that waited for an id held by another file."""
        for doc, key in self.waiting:
            doc_id = str(doc["id"])
            if doc_id in self.holder:
                self._duplicate(doc, f"already in the index from {self.holder[doc_id]}; "
                                     "that copy is kept and this one is not indexed")
            elif doc_id in self.written:
                self._duplicate(doc, f"also in {self.written[doc_id]}, indexed first in "
                                     "this run; this copy is not indexed")
            else:
                self._write(doc, key, None)

    def _write(self, doc: Record, key: str, previous: str | None) -> None:
        doc_id = str(doc["id"])
        doc["dupkey"] = self.dupkeys.key_for(doc_id, doc["lsh"])
        self.writer.put(doc)
        self.people[doc_id] = (record_input(doc), tuple(doc["people"]))
        self.gone.discard(doc_id)
        self.written[doc_id] = str(doc["path"]).split("#")[0] or key
        self.holder[doc_id] = key
        if previous is None:
            self.report.added += 1
        elif previous == doc["content_hash"]:
            self.report.unchanged += 1
        else:
            self.report.updated += 1

    def _duplicate(self, doc: Record, reason: str) -> None:
        self.report.problems.append(
            Problem(str(doc["path"]), "duplicate-id", f"id {doc['id']} {reason}"))


def _under(key: str, roots: list[str]) -> bool:
    """Only files from the folders named in this run can have vanished from it."""
    return any(key == root or key.startswith(root.rstrip("/") + "/") for root in roots)


def copy_index(source: Path, target: str, *, rebuild: bool = False, shards: int = 1,
               replicas: int = 0, on_article: Callable[[], None] | None = None) -> int:
    """Copy a Whoosh index's articles to another location (an OpenSearch index) as they
    are: no file is read and no extraction runs. Returns the articles the target holds."""
    from indexer.engines.whoosh.records import stored_records

    writer = open_writer(target, rebuild=rebuild, shards=shards, replicas=replicas)
    try:
        files: dict[str, str] = {}
        people: dict[str, tuple[PersonInput, tuple[str, ...]]] = {}
        for record in stored_records(source):
            writer.put(record)
            people[record["id"]] = (record_input(record), tuple(record["people"]))
            files[record["file"]] = record["file_hash"]
            if on_article:
                on_article()
        for key, file_hash in files.items():
            writer.file_done(key, file_hash)
        resolve_archive(writer, people, set())  # the target's forms, and any it held
        return writer.commit([])
    except BaseException:
        writer.cancel()
        raise
