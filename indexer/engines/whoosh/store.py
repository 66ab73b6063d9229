"""A Whoosh index folder: opening it, creating it, and the meta file beside it.

The meta file records the schema version, so an index built by another version of
newsearch is refused with the command that rebuilds it instead of being misread.
"""

from __future__ import annotations

import json
import os
import pickle
import re
import shutil
import struct
import zlib
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import FileFormatError
from whoosh.index import TOC, FileIndex
from whoosh.reading import SegmentReader

from indexer.engines.whoosh.codec import FORMAT_VERSION, BlockFormatError, format_version
from indexer.engines.whoosh.schema import SCHEMA_VERSION, build_schema
from indexer.search.errors import IndexMissing

META_FILE = "newsearch.json"


class IndexDamaged(IndexMissing):
    """An index file is truncated or garbled; the message names it and says how to rebuild."""


class NotAnIndexFolder(IndexMissing):
    """``--index`` names a folder that holds other things: never write or delete there."""


INDEX_NAME = "MAIN"
#: Files of ours beside the index that Whoosh never touches (its clean-up only deletes
#: ``_MAIN_*``/``MAIN_*``, so --rebuild keeps them): the saved-search database with
#: SQLite's journal, and the web app's signing secret (indexer.insights.saved).
SAVED_DB = "newsearch-saved.sqlite"
SECRET_FILE = "newsearch-secret"
#: The written forms merged into each person (indexer.archive), rewritten by each run.
FORMS_FILE = "newsearch-forms.json"
#: A run's records wait for its commit in an unlinked temporary file (whoosh.writer).
SPOOL_PREFIX = ".newsearch-spool-"
# Files an index folder may hold: the meta file (and its temp), Whoosh's TOCs, segments,
# write lock and pool folder, and the files above. A folder of only these is one of
# ours, even half-created.
_INDEX_FILE = re.compile(rf"^({re.escape(META_FILE)}(\.tmp)?|_?{INDEX_NAME}[_.].*"
                         rf"|{re.escape(SAVED_DB)}(-journal|-wal|-shm)?"
                         rf"|{re.escape(SECRET_FILE)}(\.tmp.*)?"
                         rf"|{re.escape(FORMS_FILE)}(\.tmp)?|{re.escape(SPOOL_PREFIX)}.*)$")
_TOC_TEMP = re.compile(rf"^_{INDEX_NAME}_\d+\.toc\..+$")
# What Whoosh raises when it reads a truncated or garbled file after opening it.
_DAMAGE_ERRORS = (struct.error, EOFError, pickle.UnpicklingError, zlib.error, FileFormatError,
                  BlockFormatError)


def is_damage(exc: BaseException) -> bool:
    """Whether an exception from reading the index means a damaged file (not a bug)."""
    return isinstance(exc, _DAMAGE_ERRORS) or (
        type(exc) is Exception and str(exc).startswith("Block tag error"))  # whoosh3 postings


def rebuild_hint(index_dir: Path) -> str:
    """The command that replaces an unusable index (one wording for every message)."""
    return f"rebuild it with: newsearch index PATH --index {index_dir} --rebuild"


def damaged(index_dir: Path, name: str, exc: BaseException | None = None) -> str:
    """The message for a damaged index: which file, and the command that rebuilds it."""
    why = f" ({(str(exc) or type(exc).__name__)[:200]})" if exc is not None else ""
    return (f"the index at {index_dir} is damaged: {name} is truncated or garbled{why}; "
            f"{rebuild_hint(index_dir)}")


def open_index(index_dir: Path) -> FileIndex:
    """Open an existing index or raise IndexMissing with the command that builds one.

    Every segment is opened once here, so a truncated file (or a posting format newer
    than this code reads: indexer.engines.whoosh.codec) is reported by name before
    any search starts (damage inside a file is found when it is read; see DAMAGE_ERRORS).
    """
    hint = f"build one with: newsearch index PATH --index {index_dir}"
    if not index_exists(index_dir):
        raise IndexMissing(f"no index at {index_dir}; {hint}")
    storage = FileStorage(str(index_dir), supports_mmap=False)
    if read_meta(index_dir, strict=True).get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(f"the index at {index_dir} was built by another version of "
                           f"newsearch; {rebuild_hint(index_dir)}")
    try:
        # Not open_dir(): with memory-mapping on, Whoosh wraps every sub-file of a compound
        # segment in a BytesIO, which copies it, so each open searcher holds a private copy
        # of the whole index (heap ~ index size, plus the mapped pages). Plain file reads
        # keep the heap flat and leave caching to the OS page cache.
        ix = storage.open_index(INDEX_NAME)
    except Exception as exc:  # whoosh raises several types for a damaged TOC
        raise IndexDamaged(damaged(index_dir, _toc_name(storage), exc)) from exc
    for segment in ix._segments():
        if format_version(segment.codec()) > FORMAT_VERSION:
            raise IndexMissing(
                f"the index at {index_dir} was written by a later newsearch, in posting format "
                f"{format_version(segment.codec())} (this one reads formats up to "
                f"{FORMAT_VERSION}); {rebuild_hint(index_dir)}")
        try:
            SegmentReader(storage, ix.schema, segment).close()
        except Exception as exc:
            name = segment.segment_id() + (".seg" if segment.is_compound() else ".*")
            raise IndexDamaged(damaged(index_dir, name, exc)) from exc
    return ix


def index_exists(index_dir: Path) -> bool:
    """Whether the folder holds a Whoosh table of contents (read or not, damaged or not)."""
    return index_dir.is_dir() and TOC._latest_generation(FileStorage(str(index_dir)),
                                                         INDEX_NAME) >= 0


def _toc_name(storage: FileStorage) -> str:
    """The table of contents Whoosh reads: ``_MAIN_<latest generation>.toc``."""
    return TOC._filename(INDEX_NAME, max(TOC._latest_generation(storage, INDEX_NAME), 0))


def check_index_folder(index_dir: Path) -> None:
    """Refuse to build an index in a folder that holds anything but an index.

    Whoosh deletes ``_MAIN_*`` and ``MAIN_*`` files it did not write; ``--index /`` or
    ``--index ~/Documents`` must not lose a file or gain an index.
    """
    try:
        names = os.listdir(index_dir)
    except FileNotFoundError:
        return
    except NotADirectoryError:
        raise NotAnIndexFolder(f"--index {index_dir} is a file, not a folder") from None
    except OSError as exc:
        raise NotAnIndexFolder(f"cannot read the index folder {index_dir}: "
                               f"{exc.strerror or exc}") from None
    if any(not _INDEX_FILE.match(name) for name in names):
        raise NotAnIndexFolder(
            f"{index_dir} is not a newsearch index and is not empty ({len(names):,} entries); "
            "refusing to write an index into it. Pass --index with a new or empty folder")


def create_index(index_dir: Path) -> FileIndex:
    """Create an empty index (replacing any old one) and record the schema version."""
    index_dir.mkdir(parents=True, exist_ok=True)
    # Meta first: a crash between the two writes then leaves "no index" (the next run
    # creates it), never a Whoosh index without its meta file ("another version").
    write_meta(index_dir, {"schema_version": SCHEMA_VERSION})
    return whoosh_index.create_in(str(index_dir), build_schema())


def read_meta(index_dir: Path, strict: bool = False) -> dict[str, object]:
    """The small JSON file beside the index (schema version, what was indexed).

    Missing, it is ``{}``; garbled, ``{}`` too unless ``strict``, which raises IndexDamaged.
    """
    try:
        meta = json.loads((index_dir / META_FILE).read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        if strict:
            raise IndexDamaged(damaged(index_dir, META_FILE, exc)) from exc
        return {}
    if not isinstance(meta, dict):
        if strict:
            raise IndexDamaged(damaged(index_dir, META_FILE))
        return {}
    return meta


def write_meta(index_dir: Path, meta: dict[str, object]) -> None:
    """Replace the meta file atomically so a crash never leaves half of it."""
    _write_json(index_dir / META_FILE, meta, indent=2)


def _write_json(path: Path, data: object, indent: int | None = None) -> None:
    tmp = path.with_name(path.name + ".tmp")
    try:
        tmp.write_text(json.dumps(data, indent=indent, default=str), "utf-8")
        os.replace(tmp, path)
    except OSError:
        tmp.unlink(missing_ok=True)
        raise


def write_forms(index_dir: Path, forms: dict[str, object]) -> None:
    """Replace the forms file atomically (``FORMS_FILE``)."""
    _write_json(index_dir / FORMS_FILE, forms)


def read_forms(index_dir: Path) -> dict[str, dict]:
    """The forms file; ``{}`` when missing or unreadable (an index of before it, or a
    run killed before writing it: the next run writes it again)."""
    try:
        forms = json.loads((index_dir / FORMS_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return forms if isinstance(forms, dict) else {}


def remove_uncommitted(index_dir: Path) -> int:
    """Delete what a failed writer left: segment files the latest commit does not use,
    half-written TOCs and its temporary pool folder. Returns the bytes freed. Call only
    while holding the write lock."""
    storage = FileStorage(str(index_dir))
    try:
        toc = TOC.read(storage, INDEX_NAME)
    except Exception:  # noqa: BLE001 - no readable commit: cannot tell what is in use
        return 0
    used = {segment.segment_id() for segment in toc.segments}
    segment_file = TOC._segment_pattern(INDEX_NAME)
    freed = 0
    for name in list(storage):
        m = segment_file.match(name)
        if (m and m.group(1) not in used) or _TOC_TEMP.match(name):
            try:
                freed += storage.file_length(name)
                storage.delete_file(name)
            except OSError:
                pass
    pool = index_dir / f"{INDEX_NAME}.tmp"  # a writer's sorting pool, if cancel() failed
    if pool.is_dir():
        freed += sum(f.stat().st_size for f in pool.rglob("*") if f.is_file())
        shutil.rmtree(pool, ignore_errors=True)
    return freed
