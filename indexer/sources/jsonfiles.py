"""JSON articles: one object per ``.json`` file, a list of them, or JSON lines.

Field names follow news-please (``title``, ``text``/``maintext``, ``date_publish``,
``authors``, ``url``, ``source_domain``) with common alternatives (``body``,
``content``, ``date``, ``published``, ``author``, ``publisher``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

from indexer.article import Article, Problem
from indexer.sources.dates import published_or_warning
from indexer.sources.metadata import split_authors
from indexer.sources.textfile import ReadError, read_text

_TEXT_KEYS = ("text", "maintext", "body", "content", "articleBody", "description")
_DATE_KEYS = ("date_publish", "published", "date", "datePublished", "pubDate", "published_at")


def _first(record: dict, keys: tuple[str, ...]) -> object:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", "None"):
            return value
    return None


def record_to_article(record: object, *, id: str, path: str) -> Article | Problem:
    """Map one decoded JSON value to an Article, or a Problem saying what is missing."""
    if not isinstance(record, dict):
        return Problem(path, "not-an-article", f"JSON {type(record).__name__}, not an object")
    if not any(key in record for key in _TEXT_KEYS):
        keys = ", ".join(str(k)[:24] for k in list(record)[:6])
        return Problem(path, "not-an-article", f"JSON object has no text field (keys: {keys})")
    title = str(record.get("title") or "").strip()
    text = _first(record, _TEXT_KEYS)
    body = str(text).strip() if text is not None else ""
    if not title and not body:
        return Problem(path, "not-an-article", "JSON object has no title or text field")
    published, warning = published_or_warning(_first(record, _DATE_KEYS))
    url = str(record.get("url") or "")
    source = str(record.get("source_domain") or record.get("publisher")
                 or record.get("source") or urlparse(url).hostname or "json")
    return Article(
        id=id, title=title, body=body, source=source, path=path, published=published,
        authors=split_authors(record.get("authors") or record.get("author") or ()), url=url,
        category=str(record.get("category") or ""),
        extra={"warning": warning} if warning else {},
    )


def read_json(path: Path, rel: str) -> Iterator[Article | Problem]:
    """Yield the articles of a JSON or JSON-lines file; a broken line is reported alone."""
    text, problems = read_text(path, rel)
    yield from problems
    lines_format = path.name.endswith((".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz"))
    if not lines_format:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            if text.lstrip().startswith("{") and "\n{" in text:
                lines_format = True  # JSON lines saved as .json
            else:
                raise ReadError("malformed", f"invalid JSON: {exc}") from None
        else:
            if isinstance(data, list):
                for n, record in enumerate(data, start=1):
                    yield record_to_article(record, id=f"{rel}#{n}", path=f"{rel}#{n}")
            else:
                yield record_to_article(data, id=rel, path=rel)
            return
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{rel}#{n}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield Problem(where, "malformed", f"invalid JSON on line {n}: {exc.msg}")
            continue
        yield record_to_article(record, id=where, path=where)
