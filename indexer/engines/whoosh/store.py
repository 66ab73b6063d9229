"""A Whoosh index folder: opening it, creating it, and the meta file beside it.

The meta file records the schema version, so an index built by another version of
newsearch is refused with the command that rebuilds it instead of being misread.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.index import FileIndex

from indexer.engines.whoosh.schema import SCHEMA_VERSION, build_schema
from indexer.search.errors import IndexMissing

META_FILE = "newsearch.json"


def open_index(index_dir: Path) -> FileIndex:
    """Open an existing index or raise IndexMissing with the command that builds one."""
    hint = f"build one with: newsearch index PATH --index {index_dir}"
    if not whoosh_index.exists_in(str(index_dir)):
        raise IndexMissing(f"no index at {index_dir}; {hint}")
    meta = read_meta(index_dir)
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise IndexMissing(f"the index at {index_dir} was built by another version of "
                           f"newsearch; rebuild it with: newsearch index PATH --index "
                           f"{index_dir} --rebuild")
    try:
        # Not open_dir(): with memory-mapping on, Whoosh wraps every sub-file of a compound
        # segment in a BytesIO, which copies it, so each open searcher holds a private copy
        # of the whole index (heap ~ index size, plus the mapped pages). Plain file reads
        # keep the heap flat and leave caching to the OS page cache.
        return FileStorage(str(index_dir), supports_mmap=False).open_index()
    except Exception as exc:  # whoosh raises several types for damaged files
        raise IndexMissing(f"the index at {index_dir} cannot be read ({exc}); {hint}") from exc


def create_index(index_dir: Path) -> FileIndex:
    """Create an empty index (replacing any old one) and record the schema version."""
    index_dir.mkdir(parents=True, exist_ok=True)
    # Meta first: a crash between the two writes then leaves "no index" (the next run
    # creates it), never a Whoosh index without its meta file ("another version").
    write_meta(index_dir, {"schema_version": SCHEMA_VERSION})
    return whoosh_index.create_in(str(index_dir), build_schema())


def read_meta(index_dir: Path) -> dict[str, object]:
    """The small JSON file beside the index (schema version, what was indexed)."""
    try:
        return json.loads((index_dir / META_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return {}


def write_meta(index_dir: Path, meta: dict[str, object]) -> None:
    """Replace the meta file atomically so a crash never leaves half of it."""
    tmp = index_dir / (META_FILE + ".tmp")
    tmp.write_text(json.dumps(meta, indent=2, default=str), "utf-8")
    os.replace(tmp, index_dir / META_FILE)
