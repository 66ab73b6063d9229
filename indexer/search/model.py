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
    organizations: tuple[str, ...] = ()
    exclude_organizations: tuple[str, ...] = ()
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
    #: Only articles the index received after this moment (saved-search alerts;
    #: indexer.search.added). An index that does not record it matches nothing.
    added_after: datetime | None = None

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
                 "to": self.date_to.isoformat() if self.date_to else None,
                 "added_after": self.added_after.isoformat() if self.added_after else None}
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
    organizations: list[str] = field(default_factory=list)
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
    #: All articles of the archive in each bucket (parallel to ``buckets``), so a page can
    #: show shares and bursts without asking the engine for another timeline.
    totals: list[int] = field(default_factory=list)

    def rows(self) -> list[tuple[str, int, int]]:
        """(bucket, matching, all) rows, the shape of ``Engine.timeline``."""
        return [(b.value, b.count, t) for b, t in zip(self.buckets, self.totals, strict=True)]


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
    organizations: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        data = dict(self.__dict__)
        data["published"] = self.published.isoformat() if self.published else None
        return data


@dataclass(frozen=True)
class ArchiveStats:
    """What ``newsearch stats`` shows of a whole index: its size, its date span and each
    facet's most frequent values. ``shards`` and ``replicas`` only mean something on an
    engine that splits an index (None on Whoosh)."""

    index: str
    documents: int
    first: date | None  # the earliest and latest dated day
    last: date | None
    with_date: int
    top: dict[str, list[FacetValue]]  # facet -> most frequent values, the most first
    shards: int | None = None
    replicas: int | None = None

    def to_json(self) -> dict[str, object]:
        """The documented JSON shape (docs/cli.md, ``stats --format json``)."""
        data: dict[str, object] = {
            "index": self.index, "documents": self.documents,
            "first": self.first.isoformat() if self.first else None,
            "last": self.last.isoformat() if self.last else None,
            "with_date": self.with_date}
        if self.shards is not None:
            data |= {"shards": self.shards, "replicas": self.replicas}
        return data | {facet: [{"value": v.value, "count": v.count} for v in values]
                       for facet, values in self.top.items()}


# -- exact counts for the insights (correlated names, who appears with whom) ----------------

#: Most values one ``facet_counts`` call lists when not given the values (the most
#: frequent first); the correlated names and the network pick their candidates among them.
MAX_COUNTED_VALUES = 1000
#: Most values one ``cooccurrence`` call takes (OpenSearch's ``adjacency_matrix`` takes at
#: most 100 filters).
MAX_COOCCURRING = 100


@dataclass(frozen=True)
class FacetCounts:
    """Exact document counts of some values of one facet among a search's matches.

    Like the facet counts of a SearchResult, they count matching documents, every copy of
    a near-duplicate story included (folding changes which hits are listed, never what is
    counted), so ``counts[v]`` is the ``total`` of the same search filtered by ``v``.
    """

    facet: str
    total: int  # the search's matching documents
    counts: dict[str, int]  # value as shown -> matching documents holding it


def check_facet(facet: str) -> None:
    """Refuse a facet name the registry does not declare (the one message for all)."""
    if facet not in FACETS:
        raise QueryError(f"unknown facet {facet!r}; facets are {', '.join(FACETS)}")


def check_items(items: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> None:
    """Refuse more (facet, value) items than one co-occurrence count takes."""
    for facet, _ in items:
        check_facet(facet)
    if len(items) > MAX_COOCCURRING:
        raise QueryError(f"at most {MAX_COOCCURRING} values can be counted together, "
                         f"not {len(items)}")


def matching_key(req: SearchRequest) -> str:
    """What decides which documents a request matches (its query and filters; not its
    page, sort or facet options), for an engine to reuse the matches of a search."""
    return repr((req.query, sorted(req.filters.items()), req.dupkey))
