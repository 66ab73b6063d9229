"""The Whoosh schema and the Article+Entities -> document mapping, in one place.

Field names are the query language: ``title:``, ``person:``, ``country:``, ``about:``,
``source:``, ``date:``. Facet values are stored lowercase in keyword fields (for matching) and
in their display form in stored fields (for showing).
"""

from __future__ import annotations

import json

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, NUMERIC, STORED, Schema

from indexer.engines.whoosh.dayfield import DayField
from indexer.engines.whoosh.fieldtypes import NewsKeyword, NewsText
from indexer.record import Record, keyword_values
from indexer.search.added import FIELD as ADDED

SCHEMA_VERSION = 4


def added_field() -> NUMERIC:
    """When the article entered the index (``indexer.search.added``): sortable, so a
    writer reads the stamps held from a column; an index made before it gains it on its
    next run (``WhooshWriter``), hence no SCHEMA_VERSION bump."""
    return NUMERIC(numtype=int, bits=64, signed=False, sortable=True)


def archive_fields() -> dict[str, object]:
    """What the archive step reads back (``indexer.archive``): each article's people as
    extracted and their cues, stored and as a column (read for every article at the end
    of each run). An index made before them gains them on its next run, like ``added``;
    its articles' stored people stand in for the extracted ones."""
    return {"people_input": STORED(), "people_input_col": COLUMN(VarBytesColumn())}


def build_schema() -> Schema:
    """The index layout; bump SCHEMA_VERSION when it changes so old indexes are rebuilt."""
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=NewsText(stored=True, field_boost=2.0, spelling=True),
        body=NewsText(stored=True, spelling=True),
        person=NewsKeyword(commas=True, lowercase=True, scorable=False),
        country=NewsKeyword(commas=True, lowercase=True, scorable=False),
        country_code=NewsKeyword(commas=True, lowercase=True, scorable=False),
        organization=NewsKeyword(commas=True, lowercase=True, scorable=False),
        # The countries a story is mainly about; stored as the display list (_stored_about).
        about=NewsKeyword(commas=True, lowercase=True, stored=True, scorable=False),
        mentioned=NewsKeyword(commas=True, stored=True, scorable=False),
        date=DayField(),  # the day, for date: queries and filters
        published=DATETIME(stored=True, sortable=True),  # the moment, for display and sort
        source=NewsKeyword(commas=True, lowercase=True, stored=True, scorable=False),
        category=NewsKeyword(commas=True, lowercase=True, stored=True, scorable=False),
        file=ID(stored=True, sortable=True),
        file_hash=ID(stored=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        lsh=NewsKeyword(scorable=False),
        dupkey=ID(stored=True, sortable=True),
        **{ADDED: added_field()},
        **archive_fields(),
        # Facet columns: read per segment without unpickling stored documents.
        people_col=COLUMN(VarBytesColumn()),
        countries_col=COLUMN(VarBytesColumn()),
        about_col=COLUMN(VarBytesColumn()),
        organizations_col=COLUMN(VarBytesColumn()),
        source_col=COLUMN(VarBytesColumn()),
        day=COLUMN(NumericColumn("i", default=0)),  # date.toordinal(); 0 = no date
        people=STORED, countries=STORED, organizations=STORED, dateline=STORED, authors=STORED, url=STORED,
        path=STORED,
        gold_places=STORED, gold_people=STORED,
    )


FACET_SEPARATOR = "\x1f"


def column_bytes(values: list[str] | tuple[str, ...]) -> bytes:
    """Encode a multi-valued facet for its column."""
    return FACET_SEPARATOR.join(values).encode("utf-8")


def column_values(data: bytes) -> list[str]:
    """A multi-valued facet's values, as ``column_bytes`` encoded them."""
    return [v for v in data.decode("utf-8").split(FACET_SEPARATOR) if v] if data else []


def _keywords(values: list[str] | tuple[str, ...]) -> str:
    return ",".join(keyword_values(values))


def to_document(record: Record) -> dict[str, object]:
    """The fields Whoosh stores and indexes for one record (``indexer.record``)."""
    doc: dict[str, object] = {
        "id": record["id"], "title": record["title"], "body": record["body"],
        "person": _keywords(record["people"]), "country": _keywords(record["countries"]),
        "country_code": _keywords(record["country_codes"]),
        "organization": _keywords(record["organizations"]),
        "organizations": list(record["organizations"]),
        "organizations_col": column_bytes(record["organizations"]),
        "about": _keywords(record["about"]),
        # Whoosh stores "_stored_<field>" in place of the indexed string: the names as shown.
        "_stored_about": list(record["about"]),
        "mentioned": _keywords(record["mentioned"]),
        "source": _keywords([record["source"]]),
        "category": record["category"], "file": record["file"], "lsh": " ".join(record["lsh"]),
        "dupkey": record["dupkey"],
        "people": list(record["people"]), "countries": list(record["countries"]),
        "dateline": record["dateline"], "authors": list(record["authors"]),
        "url": record["url"], "path": record["path"], "file_hash": record["file_hash"],
        "content_hash": record["content_hash"],
        "gold_places": list(record["gold_places"]), "gold_people": list(record["gold_people"]),
        "people_col": column_bytes(record["people"]),
        "people_input": record.get("people_input"),
        "people_input_col": json.dumps(record.get("people_input") or {}).encode("utf-8"),
        "countries_col": column_bytes(record["countries"]),
        "about_col": column_bytes(record["about"]),
        "source_col": column_bytes((record["source"],)),
    }
    published = record["published"]
    if published is not None:
        doc["published"] = published
        doc["date"] = doc["day"] = record["day"]
    return doc
