"""Writing records into a Whoosh index folder: one indexing run, one atomic commit.

Everything a run writes lands in a single Whoosh commit, so an interrupted run leaves the
previous index intact and searchable; ``--rebuild`` drops the old segments in that same
commit, so a killed rebuild leaves the previous index, never an empty one.
"""

from __future__ import annotations

import json
import pickle
import tempfile
from collections.abc import Iterator
from pathlib import Path

from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex, LockError
from whoosh.util.filelock import try_for
from whoosh.writing import CLEAR

from indexer.archive.table import Forms, HeldPeople, input_of
from indexer.engines.whoosh.codec import ArrayCodec
from indexer.engines.whoosh.pool import ParallelWriter, collector_paused, segment_writer
from indexer.engines.whoosh.records import record_of
from indexer.engines.whoosh.schema import added_field, archive_fields, column_values, to_document
from indexer.engines.whoosh.store import (
    SPOOL_PREFIX,
    IndexDamaged,
    check_index_folder,
    create_index,
    index_exists,
    open_index,
    read_meta,
    remove_uncommitted,
    write_forms,
    write_meta,
)
from indexer.record import Record
from indexer.search.added import FIELD as ADDED
from indexer.search.added import now_stamp
from indexer.search.errors import IndexBusy, IndexMissing, IndexWriteFailed

#: The postings each writer (each ``--workers`` process) holds in memory before it sorts
#: them into a run file on disk, in Whoosh's estimate (real memory is about twice it).
POOL_MB = 128


def _busy(index_dir: Path) -> IndexBusy:
    return IndexBusy(f"another newsearch process is writing to {index_dir}; "
                     "wait for it to finish (or pass --wait SECONDS)")


def _open_or_create(index_dir: Path, rebuild: bool, wait: float) -> FileIndex:
    """Open the index, creating it (or replacing a damaged one or one of another schema
    version on --rebuild) only while holding the write lock, so a live writer is never
    wiped. A folder that holds anything but an index is refused before anything is written."""
    check_index_folder(index_dir)
    if index_exists(index_dir):
        try:
            return open_index(index_dir)
        except IndexDamaged:
            if not rebuild:
                raise
        except IndexMissing:
            if not rebuild and "schema_version" in read_meta(index_dir):
                raise  # another version: the message says to --rebuild
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(index_dir)).lock("MAIN_WRITELOCK")
    if not try_for(lock.acquire, timeout=wait, delay=0.25):
        raise _busy(index_dir)
    try:
        if index_exists(index_dir) and not rebuild:  # re-check under the lock
            try:
                return open_index(index_dir)
            except IndexDamaged:
                raise
            except IndexMissing:
                pass
        return create_index(index_dir)
    finally:
        lock.release()


def _add_fields(ix: FileIndex, index_dir: Path, wait: float) -> None:
    """Give an index made before the ``added`` field or the archive step's fields those
    fields, in a commit of its own (the schema is in the table of contents, which the
    writer processes of a ``--workers`` run read when they start). Its articles keep no
    stamp (never "new"), and their stored people stand for the extracted ones."""
    missing = {name: field for name, field in {ADDED: added_field(), **archive_fields()}.items()
               if name not in ix.schema}
    if not missing:
        return
    try:
        writer = ix.writer(timeout=wait, delay=0.25)
    except LockError:
        raise _busy(index_dir) from None
    for name, field in missing.items():
        writer.add_field(name, field)
    writer.commit()


class WhooshWriter:
    """One indexing run into ``index_dir`` (see the module docstring)."""

    def __init__(self, index_dir: Path, *, rebuild: bool = False, wait: float = 0.0,
                 workers: int = 1) -> None:
        self.index_dir = index_dir
        self.rebuild = rebuild
        self.ix = _open_or_create(index_dir, rebuild, wait)
        _add_fields(self.ix, index_dir, wait)
        try:
            options = {"limitmb": POOL_MB, "timeout": wait, "delay": 0.25, "codec": ArrayCodec()}
            self.writer = ParallelWriter(self.ix, procs=workers, **options) \
                if workers > 1 else segment_writer(self.ix, **options)
        except LockError:
            raise _busy(index_dir) from None
        self.searcher = self.ix.searcher()
        self._held_nothing = self.searcher.doc_count() == 0
        self.stamp = now_stamp()  # this run's "added" (indexer.search.added)
        self._held = self._held_stamps()
        # This run's records wait in a temporary file (unlinked: nothing is left after a
        # crash) until the commit, so that each is written once, with the people the
        # archive step gives it at the end of the run (Whoosh cannot rewrite a document
        # added by the same writer).
        self._spool = tempfile.TemporaryFile(dir=index_dir, prefix=SPOOL_PREFIX)
        self._spooled: set[str] = set()
        self._people: dict[str, list[str]] = {}
        self._forms: Forms | None = None

    def _held_stamps(self) -> dict[str, tuple[str, int]]:
        """id -> (content hash, added) of the articles held, even on --rebuild, so that
        an article written again with the same content keeps its stamp."""
        reader = self.searcher.reader()
        if reader.doc_count() == 0 or not reader.has_column(ADDED):
            return {}
        ids, hashes, stamps = (list(reader.column_reader(name))
                               for name in ("id", "content_hash", ADDED))
        return {ids[n]: (hashes[n], stamps[n]) for n in range(reader.doc_count_all())
                if not reader.is_deleted(n) and stamps[n]}

    def _close_searcher(self) -> None:
        if not self.searcher.is_closed:
            self.searcher.close()

    def state(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """(file -> its hash, file -> {id: content hash}) of what the index holds, read
        from its sortable columns."""
        file_hash: dict[str, str] = {}
        ids_by_file: dict[str, dict[str, str]] = {}
        reader = self.searcher.reader()
        if self.rebuild or reader.doc_count() == 0:
            return file_hash, ids_by_file
        cols = {name: list(reader.column_reader(name))
                for name in ("id", "file", "file_hash", "content_hash")}
        for n in range(reader.doc_count_all()):
            if reader.is_deleted(n):
                continue
            f = cols["file"][n]
            file_hash[f] = cols["file_hash"][n]
            ids_by_file.setdefault(f, {})[cols["id"][n]] = cols["content_hash"][n]
        return file_hash, ids_by_file

    def dupkey(self, bands: list[str]) -> str | None:
        """The story key of an indexed near-duplicate sharing an LSH band, if any (none
        in an index that held nothing when the run began: no look-up a band then)."""
        if self._held_nothing:
            return None
        for band in bands:
            docnum = self.searcher.document_number(lsh=band)
            if docnum is not None:
                return self.searcher.stored_fields(docnum)["dupkey"]
        return None

    def put(self, record: Record) -> None:
        """Add or replace one article at the commit (see ``_spool``)."""
        pickle.dump(record, self._spool, protocol=pickle.HIGHEST_PROTOCOL)
        self._spooled.add(record["id"])

    def _write(self, record: Record) -> None:
        held = self._held.get(record["id"])
        same = held is not None and held[0] == record["content_hash"]
        self.writer.update_document(**to_document(record),
                                    **{ADDED: held[1] if same else self.stamp})

    def people_rows(self) -> Iterator[HeldPeople]:
        """The people of every article the index held before this run (none on
        --rebuild), read from columns: one pass per segment, no stored document opened."""
        reader = self.searcher.reader()
        if self.rebuild or reader.doc_count() == 0:
            return
        names = ("id", "people_col", "people_input_col", "day", "countries_col",
                 "organizations_col")
        for leaf, _ in reader.leaf_readers():
            cols = {n: list(leaf.column_reader(n)) if leaf.has_column(n) else None
                    for n in names}
            for n in range(leaf.doc_count_all()):
                if leaf.is_deleted(n):
                    continue
                people = column_values(cols["people_col"][n])
                stored = cols["people_input_col"][n] if cols["people_input_col"] else b""
                yield HeldPeople(cols["id"][n], input_of(
                    json.loads(stored) if stored else None, people,
                    cols["day"][n] if cols["day"] else 0, column_values(cols["countries_col"][n]),
                    column_values(cols["organizations_col"][n]) if cols["organizations_col"] else ()),
                    tuple(people))

    def set_people(self, article_id: str, people: list[str]) -> None:
        """Give an article other people values: one of this run's when it is written at
        the commit, one held before by writing it again from its stored fields."""
        if article_id in self._spooled:
            self._people[article_id] = people
            return
        docnum = self.searcher.document_number(id=article_id)
        if docnum is None:
            return
        record = record_of(self.searcher.stored_fields(docnum))
        record["people"] = people
        self._write(record)

    def save_forms(self, forms: Forms) -> None:
        """The written forms merged into each person, saved beside the index after the
        commit (``store.FORMS_FILE``)."""
        self._forms = forms

    def _drain(self) -> None:
        self._spool.seek(0)
        while True:
            try:
                record = pickle.load(self._spool)
            except EOFError:
                break
            if record["id"] in self._people:
                record["people"] = self._people[record["id"]]
            self._write(record)
        self._spool.close()

    def file_done(self, key: str, file_hash: str) -> None:
        """Nothing to record: the run's one commit makes every file indexed at once."""

    def delete_id(self, article_id: str) -> None:
        self.writer.delete_by_term("id", article_id)

    def delete_file(self, key: str) -> None:
        self.writer.delete_by_term("file", key)

    def commit(self, roots: list[str] = ()) -> int:
        """The run's one atomic commit; returns the documents the index then holds."""
        with collector_paused():
            self._drain()
            self._close_searcher()
            if self.rebuild:
                self.writer.commit(mergetype=CLEAR)
            else:
                self.writer.commit(merge=True)
        try:
            meta = read_meta(self.index_dir)
            meta["roots"] = sorted({*map(str, meta.get("roots", [])), *roots})
            write_meta(self.index_dir, meta)
            if self._forms is not None:
                write_forms(self.index_dir, self._forms)
        except OSError as exc:  # committed; only the list of indexed folders is not updated
            from indexer.build import write_failure

            raise IndexWriteFailed(write_failure(self.index_dir, exc, 0, committed=True)) \
                from exc
        with self.ix.searcher() as s:
            return s.doc_count()

    def cancel(self) -> int:
        """Cancel a failed run and delete the segment files it wrote, under the write
        lock; returns how many bytes that freed.

        Whoosh's cancel() leaves them behind; after a full disk they would keep the disk
        full (17 MB for a Reuters update) until a later run succeeds.
        """
        self._close_searcher()
        self._spool.close()
        try:
            self.writer.cancel()  # flushes, so on a full disk it can fail again
        except Exception:  # noqa: BLE001 - the original error is the one to report
            lock = getattr(self.writer, "writelock", None)
            if lock is not None:
                lock.release()
        lock = FileStorage(str(self.index_dir)).lock("MAIN_WRITELOCK")
        if not lock.acquire():  # never delete under a writer that started meanwhile
            return 0
        try:
            return remove_uncommitted(self.index_dir)
        finally:
            lock.release()


def optimize_index(index_dir: Path, wait: float = 0.0) -> tuple[int, int]:
    """Merge all segments into one; returns the segment counts before and after."""
    ix = open_index(index_dir)
    before = len(ix._segments())
    try:
        writer = segment_writer(ix, timeout=wait, delay=0.25, codec=ArrayCodec())
    except LockError:
        raise _busy(index_dir) from None
    with collector_paused():
        writer.commit(optimize=True)
    return before, len(ix._segments())
