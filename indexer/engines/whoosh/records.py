"""The records a Whoosh index holds, read back from its stored fields.

For ``newsearch copy``: a user who outgrows Whoosh moves the index to OpenSearch without
reading the files or running extraction again. Two record fields are not stored by
Whoosh and are derived instead: the country codes (from the canonical country names)
and the LSH bands of near-duplicate detection (from the text, as the indexer makes them).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from indexer.build import MAX_EXTRACT_CHARS
from indexer.dedup import lsh_bands
from indexer.engines.whoosh.store import open_index
from indexer.extract.countries import code_of
from indexer.record import Record, as_datetime


def _text(title: str, body: str) -> str:
    return f"{title}\n\n{body}" if title else body  # Article.text


def stored_records(index_dir: Path) -> Iterator[Record]:
    """Every live article of the index, as the record the indexer made for it."""
    ix = open_index(index_dir)
    with ix.searcher() as searcher:
        yield from map(record_of, searcher.reader().all_stored_fields())


def record_of(f: dict) -> Record:
    """One article's record from its stored fields (also for rewriting an article whose
    people the archive step re-resolved: Whoosh replaces whole documents)."""
    published = as_datetime(f.get("published"))
    title, body = f.get("title", ""), f.get("body", "")
    countries = list(f.get("countries", []))
    return {
        "id": f["id"], "title": title, "body": body,
        "people": list(f.get("people", [])), "countries": countries,
        "people_input": f.get("people_input"),
        "organizations": list(f.get("organizations", [])),
        "country_codes": [c for c in dict.fromkeys(map(code_of, countries)) if c],
        "about": list(f.get("about", [])),
        "mentioned": [m for m in str(f.get("mentioned", "")).split(",") if m],
        "source": f.get("source", ""), "category": f.get("category", ""),
        "dateline": f.get("dateline", ""), "authors": list(f.get("authors", [])),
        "url": f.get("url", ""), "path": f.get("path", ""), "file": f.get("file", ""),
        "file_hash": f.get("file_hash", ""), "content_hash": f.get("content_hash", ""),
        "lsh": list(lsh_bands(_text(title, body)[:MAX_EXTRACT_CHARS])),
        "dupkey": f.get("dupkey", f["id"]), "published": published,
        "day": published.toordinal() if published else 0,
        "gold_places": list(f.get("gold_places", [])),
        "gold_people": list(f.get("gold_people", [])),
    }
