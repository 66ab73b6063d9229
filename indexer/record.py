"""The record every engine stores for one article: Article + Entities, engine-neutral.

Workers build records (reading and extraction are the expensive part), the indexer hands
them to an engine's writer, and each engine maps the same keys onto its own fields. Lists
stay lists here; only an engine decides how it stores them.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from indexer.archive.table import PersonInput
from indexer.article import Article
from indexer.extract import Entities

Record = dict[str, Any]


def as_datetime(value: datetime | date | None) -> datetime | None:
    """A datetime, as both engines store it; date-only values become midnight."""
    if value is None or isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day)


def keyword_values(values: list[str] | tuple[str, ...]) -> list[str]:
    """Facet values as both engines' keyword fields hold them.

    A comma inside a value ("Smith, Barney") would split it in two on Whoosh, whose
    keyword fields are comma-separated, so it becomes a space on both engines and a query
    matches the same articles on either. Empty values are dropped."""
    return [v.replace(",", " ") for v in values if v]


def to_record(article: Article, entities: Entities, *, file: str, file_hash: str,
              lsh: tuple[str, ...] = (), dupkey: str = "") -> Record:
    """Everything the engines index, store and count for one article."""
    published = as_datetime(article.published or entities.published)
    return {
        "id": article.id, "title": article.title, "body": article.body,
        "people": list(entities.people), "countries": list(entities.countries),
        # The people as extracted, with their cues: what the archive step resolves the
        # stored "people" from (indexer.archive), kept so it never re-reads the article.
        "people_input": PersonInput(entities.people, dict(entities.person_cues), things=entities.things,
                                    line_up=entities.line_up).to_json(),
        "organizations": list(entities.organizations),
        "country_codes": list(entities.country_codes),
        "about": list(entities.main_countries), "mentioned": list(entities.mentioned),
        "source": article.source, "category": article.category,
        "dateline": article.dateline, "authors": list(article.authors), "url": article.url,
        "path": article.path, "file": file, "file_hash": file_hash,
        "content_hash": article.content_hash, "lsh": list(lsh),
        "dupkey": dupkey or article.id, "published": published,
        "day": published.toordinal() if published else 0,
        "gold_places": list(article.gold_places), "gold_people": list(article.gold_people),
    }
