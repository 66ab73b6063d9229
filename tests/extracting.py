"""What extraction finds in a text, for the people-rule tests (one article, no index)."""

from __future__ import annotations

from indexer.article import Article
from indexer.extract import extract


def people(body: str, title: str = "") -> list[str]:
    """The people extraction gives an article with this body (and title), in order."""
    return list(extract(Article(id="t", title=title, body=body, source="test")).people)
