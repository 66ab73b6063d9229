"""The Whoosh schema and the Article+Entities -> document mapping, in one place.

Field names are the query language: ``title:``, ``person:``, ``country:``, ``about:``,
``source:``, ``date:``. Facet values are stored lowercase in keyword fields (for matching) and
in their display form in stored fields (for showing).
"""

from __future__ import annotations

from datetime import date, datetime

from whoosh.columns import NumericColumn, VarBytesColumn
from whoosh.fields import COLUMN, DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from indexer.analysis import news_analyzer
from indexer.article import Article
from indexer.engines.whoosh.dayfield import DayField
from indexer.extract import Entities

SCHEMA_VERSION = 3


def build_schema() -> Schema:
    """The index layout; bump SCHEMA_VERSION when it changes so old indexes are rebuilt."""
    analyzer = news_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        title=TEXT(analyzer=analyzer, stored=True, field_boost=2.0, spelling=True),
        body=TEXT(analyzer=analyzer, stored=True, spelling=True),
        person=KEYWORD(commas=True, lowercase=True, scorable=False),
        country=KEYWORD(commas=True, lowercase=True, scorable=False),
        country_code=KEYWORD(commas=True, lowercase=True, scorable=False),
        # The countries a story is mainly about; stored as the display list (_stored_about).
        about=KEYWORD(commas=True, lowercase=True, stored=True, scorable=False),
        mentioned=KEYWORD(commas=True, stored=True, scorable=False),
        date=DayField(),  # the day, for date: queries and filters
        published=DATETIME(stored=True, sortable=True),  # the moment, for display and sort
        source=KEYWORD(commas=True, lowercase=True, stored=True, scorable=False),
        category=KEYWORD(commas=True, lowercase=True, stored=True, scorable=False),
        file=ID(stored=True, sortable=True),
        file_hash=ID(stored=True, sortable=True),
        content_hash=ID(stored=True, sortable=True),
        lsh=KEYWORD(scorable=False),
        dupkey=ID(stored=True, sortable=True),
        # Facet columns: read per segment without unpickling stored documents.
        people_col=COLUMN(VarBytesColumn()),
        countries_col=COLUMN(VarBytesColumn()),
        about_col=COLUMN(VarBytesColumn()),
        source_col=COLUMN(VarBytesColumn()),
        day=COLUMN(NumericColumn("i", default=0)),  # date.toordinal(); 0 = no date
        people=STORED, countries=STORED, dateline=STORED, authors=STORED, url=STORED,
        path=STORED,
        gold_places=STORED, gold_people=STORED,
    )


def as_datetime(value: datetime | date | None) -> datetime | None:
    """Whoosh DATETIME wants a naive datetime; date-only values become midnight."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


FACET_SEPARATOR = "\x1f"


def column_bytes(values: list[str] | tuple[str, ...]) -> bytes:
    """Encode a multi-valued facet for its column."""
    return FACET_SEPARATOR.join(values).encode("utf-8")


def _keywords(values: tuple[str, ...]) -> str:
    return ",".join(v.replace(",", " ") for v in values)


def to_document(article: Article, entities: Entities, *, file: str, file_hash: str,
                lsh: tuple[str, ...] = (), dupkey: str = "") -> dict[str, object]:
    """The fields Whoosh stores and indexes for one article."""
    doc: dict[str, object] = {
        "id": article.id, "title": article.title, "body": article.body,
        "person": _keywords(entities.people), "country": _keywords(entities.countries),
        "country_code": _keywords(entities.country_codes),
        "about": _keywords(entities.main_countries),
        # Whoosh stores "_stored_<field>" in place of the indexed string: the names as shown.
        "_stored_about": list(entities.main_countries),
        "mentioned": _keywords(entities.mentioned),
        "source": article.source.replace(",", " "),
        "category": article.category, "file": file, "lsh": " ".join(lsh),
        "dupkey": dupkey or article.id,
        "people": list(entities.people), "countries": list(entities.countries),
        "dateline": article.dateline, "authors": list(article.authors), "url": article.url,
        "path": article.path, "file_hash": file_hash, "content_hash": article.content_hash,
        "gold_places": list(article.gold_places), "gold_people": list(article.gold_people),
    }
    doc["people_col"] = column_bytes(entities.people)
    doc["countries_col"] = column_bytes(entities.countries)
    doc["about_col"] = column_bytes(entities.main_countries)
    doc["source_col"] = column_bytes((article.source,))
    published = as_datetime(article.published or entities.published)
    if published is not None:
        doc["published"] = published
        doc["date"] = doc["day"] = published.toordinal()
    return doc
