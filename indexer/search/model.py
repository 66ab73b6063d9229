"""The search API's request and result types: plain data, no Whoosh types.

The CLI and the web app only build a SearchRequest and render a SearchResult, so a
second backend (e.g. OpenSearch) could answer the same requests without touching them.
``SearchResult.to_json`` is the documented JSON shape of ``newsearch search --format
json`` and ``/api/search``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from indexer.search.facets import REGISTRY
from indexer.search.highlight import Span

SORTS = ("relevance", "newest", "oldest")
FACETS = tuple(f.name for f in REGISTRY)
#: The index field each facet's filters and ``field:`` queries match. ``countries`` holds
#: every country an article mentions, ``about`` only those it is mainly about (dateline,
#: headline, lead, or named twice: what Reuters editors tag as PLACES).
FACET_FIELDS = {f.name: f.field for f in REGISTRY}
#: How people read each facet's name (CLI output, web page headings).
FACET_LABELS = {f.name: f.label for f in REGISTRY}
MAX_QUERY_CHARS = 2000
MAX_LIMIT = 100
MAX_PAGE = 1000


def default_sort(query: str) -> str:
    """The sort when none is asked for, the same in the CLI, the web app and the API:
    relevance ranks the hits of a query, but when every article matches (no query) it
    means nothing, so the newest come first."""
    return "relevance" if query.strip() else "newest"


class QueryError(ValueError):
    """A query or parameter the user must fix; the message says what and where."""


def check_length(query: str) -> None:
    """Refuse a query text over MAX_QUERY_CHARS (searches and article highlighting)."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query is {len(query):,} characters long; "
                         f"the limit is {MAX_QUERY_CHARS:,}")


@dataclass(frozen=True)
class SearchRequest:
    """Everything a search needs; filters combine OR within a facet, AND across facets."""

    query: str = ""
    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    about: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    exclude_people: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    exclude_about: tuple[str, ...] = ()
    exclude_sources: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    dupkey: str | None = None  # show the copies of one folded story
    sort: str = ""  # "" = DEFAULT_SORT's choice, made in __post_init__
    page: int = 1
    limit: int = 10
    fold_duplicates: bool = True
    facet_limit: int = 10
    facet_prefix: dict[str, str] = field(default_factory=dict)
    highlight: bool = True
    with_facets: bool = True

    def __post_init__(self) -> None:
        if not self.sort:  # frozen: the resolved default is set once, here
            object.__setattr__(self, "sort", default_sort(self.query))
        if self.sort not in SORTS:
            raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not 1 <= self.page <= MAX_PAGE:
            raise QueryError(f"page must be between 1 and {MAX_PAGE}")
        if not 1 <= self.limit <= MAX_LIMIT:
            raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
        if not 1 <= self.facet_limit <= 1000:
            raise QueryError("facet limit must be between 1 and 1000")
        check_length(self.query)
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise QueryError("the 'from' date is after the 'to' date")
        unknown = set(self.facet_prefix) - set(FACETS)
        if unknown:
            raise QueryError(f"unknown facet {sorted(unknown)[0]!r}; facets are "
                             f"{', '.join(FACETS)}")

    def selected(self, facet: str) -> tuple[str, ...]:
        """The values a facet must hold one of (the request field named like the facet)."""
        return getattr(self, facet)

    def excluded(self, facet: str) -> tuple[str, ...]:
        """The values a facet must hold none of (``exclude_<facet>``)."""
        return getattr(self, f"exclude_{facet}")

    @property
    def filters(self) -> dict[str, object]:
        """The active filters, for echoing back to the user."""
        pairs = {**{facet: self.selected(facet) for facet in FACETS},
                 **{f"exclude_{facet}": self.excluded(facet) for facet in FACETS},
                 "from": self.date_from.isoformat() if self.date_from else None,
                 "to": self.date_to.isoformat() if self.date_to else None}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in pairs.items() if v}


@dataclass(frozen=True)
class Hit:
    """One result: stored fields, a snippet, and the spans of the query's matches.

    ``title`` and ``snippet`` are plain text; ``title_spans`` and ``snippet_spans`` are
    ``(start, end)`` character offsets into them (see indexer/search/highlight.py), so
    each renderer marks them its own way and the library emits no HTML.
    """

    id: str
    title: str
    published: datetime | None
    source: str
    people: list[str]
    countries: list[str]
    about: list[str]
    snippet: str
    snippet_spans: list[Span]
    title_spans: list[Span]
    score: float | None
    dupkey: str = ""
    similar: int = 0
    url: str = ""
    dateline: str = ""
    #: Holds only some of the query's words: the relaxed fallback (indexer.search.relaxed).
    relaxed: bool = False

    def to_json(self) -> dict[str, object]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        data["title_spans"] = [list(s) for s in self.title_spans]
        data["snippet_spans"] = [list(s) for s in self.snippet_spans]
        return data


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class DateHistogram:
    """Article counts per year, month or day, the interval chosen by the results' span."""

    interval: str
    buckets: list[FacetValue]


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    page: int
    limit: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]]
    dates: DateHistogram
    suggestion: str | None
    took_ms: float
    sort: str = "relevance"
    filters: dict[str, object] = field(default_factory=dict)
    #: With near-duplicates folded: how many stories (copies counted once) the hits hold.
    stories: int | None = None

    @property
    def pages(self) -> int:
        """Pages of hits: folded copies take no place, so a last page is never empty."""
        shown = self.total if self.stories is None else self.stories
        return max(1, -(-shown // self.limit))

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (docs/api.md)."""
        return {
            "query": self.query, "total": self.total, "stories": self.stories,
            "page": self.page, "limit": self.limit, "pages": self.pages,
            "sort": self.sort, "filters": self.filters, "suggestion": self.suggestion,
            "hits": [h.to_json() for h in self.hits],
            "facets": {
                **{name: [asdict(v) for v in values] for name, values in self.facets.items()},
                "dates": {"interval": self.dates.interval,
                          "buckets": [asdict(b) for b in self.dates.buckets]},
            },
            "took_ms": round(self.took_ms, 2),
        }


@dataclass(frozen=True)
class ArticleView:
    """One stored article, for the article page and ``newsearch show``."""

    id: str
    title: str
    body: str
    published: datetime | None
    source: str
    url: str
    dateline: str
    authors: list[str]
    people: list[str]
    countries: list[str]
    about: list[str]
    mentioned: list[str]
    category: str
    dupkey: str

    def to_json(self) -> dict[str, object]:
        data = dict(self.__dict__)
        data["published"] = self.published.isoformat() if self.published else None
        return data
