"""The one search API: the Engine protocol, and the function that opens an engine.

The CLI and the web app know only this module and the result types of ``model``: they
build a SearchRequest, call an Engine and render what comes back. Which engine answers is
decided by the location alone:

- a folder (``.newsearch/index``) is a Whoosh index, embedded in the process;
- a URL (``http://127.0.0.1:9200/news``, several hosts as ``http://h1:9200,h2:9201/news``)
  is the OpenSearch index ``news``.

``--index``, else ``$NEWSEARCH_INDEX``, else the per-user data folder (``platformdirs``),
so ``newsearch index`` and ``newsearch search`` find the same index without flags.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol

from platformdirs import user_data_dir

from indexer.search.model import ArticleView, FacetValue, Hit, SearchRequest, SearchResult

ENV_VAR = "NEWSEARCH_INDEX"
EXPORT_CAP = 10_000  # most hits one CSV/JSON export or feed may hold


def default_location() -> str:
    """``$NEWSEARCH_INDEX`` if set, else e.g. ``~/.local/share/newsearch/index``."""
    return os.environ.get(ENV_VAR) or str(Path(user_data_dir("newsearch")) / "index")


def resolve(location: str | Path | None) -> str:
    """The location to use for an optional ``--index`` value."""
    return str(location) if location else default_location()


def is_server(location: str) -> bool:
    """Does the location name an OpenSearch index rather than a folder?"""
    return location.startswith(("http://", "https://"))


class Engine(Protocol):
    """What every engine answers. Results are the engine-neutral types of ``model``."""

    @property
    def index_dir(self) -> str | Path:
        """Where the index is (a folder or a URL), for messages and stats."""

    def search(self, req: SearchRequest) -> SearchResult:
        """One page of hits with facet counts, the date histogram and a suggestion."""

    def timeline(self, req: SearchRequest) -> tuple[str, list[tuple[str, int, int]]]:
        """(interval, [(bucket, matching, all articles in that bucket)])."""

    def export(self, req: SearchRequest, cap: int = EXPORT_CAP) -> list[Hit]:
        """Every hit of a search in order, up to ``cap``."""

    def article(self, article_id: str) -> ArticleView | None:
        """One stored article, or None."""

    def highlight_article(self, article: ArticleView, query: str) -> tuple[str, str]:
        """(title HTML, body HTML) with the query's matches marked."""

    def related(self, article_id: str, limit: int = 10) -> list[Hit]:
        """Articles like this one, copies of the same story left out (KeyError if none)."""

    def facet_values(self, facet: str, prefix: str = "", limit: int = 10) -> list[FacetValue]:
        """A facet's most frequent values over the whole index (autocomplete)."""

    def stats(self, limit: int = 10) -> dict[str, object]:
        """Document count, date span and top facet values."""

    def warm(self) -> None:
        """Read ahead what a server's first requests would otherwise wait for."""

    @property
    def generation(self) -> int:
        """Changes whenever the index does ("has anything changed since I looked?")."""


def open_engine(location: str | Path | None = None) -> Engine:
    """The engine for a location (see the module docstring); raises IndexMissing when
    there is no index there and EngineUnavailable when its server cannot be reached."""
    where = resolve(location)
    if is_server(where):
        from indexer.engines.opensearch.client import parse_location
        from indexer.engines.opensearch.engine import OpenSearchEngine
        from indexer.search.model import QueryError

        try:
            parsed = parse_location(where)
        except ValueError as exc:
            raise QueryError(str(exc)) from None
        return OpenSearchEngine(parsed)
    from indexer.engines.whoosh.engine import WhooshEngine

    return WhooshEngine(Path(where))
