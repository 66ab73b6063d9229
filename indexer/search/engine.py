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
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Protocol

from platformdirs import user_data_dir

from indexer.archive.table import Forms, HeldPeople
from indexer.record import Record
from indexer.search.highlight import Span
from indexer.search.histogram import DateSpan
from indexer.search.model import (
    ArchiveStats,
    ArticleView,
    DateHistogram,
    FacetCounts,
    FacetValue,
    Hit,
    SearchRequest,
    SearchResult,
)

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

    def timeline(self, req: SearchRequest, interval: str | None = None,
                 span: DateSpan | None = None) -> DateHistogram:
        """Matching articles per date bucket, and all articles in each bucket.

        ``interval`` (one of ``histogram.INTERVALS``) forces the bucket size; ``span``
        forces the buckets' range, (first, last) with None for the archive's first or
        last dated day, so timelines asked with the same interval and span line up
        bucket for bucket (``indexer.insights.compare``). Without them the interval
        follows the matches' dates and the buckets run over them, as on the search page.
        Both engines bucket with :func:`indexer.search.histogram.timeline`."""

    def export(self, req: SearchRequest, cap: int = EXPORT_CAP) -> list[Hit]:
        """Every hit of a search in order, up to ``cap``."""

    def article(self, article_id: str) -> ArticleView | None:
        """One stored article, or None."""

    def highlight_article(self, article: ArticleView,
                          query: str) -> tuple[list[Span], list[Span]]:
        """(title spans, body spans): the query's matches as character offsets into
        ``article.title`` and ``article.body``."""

    def related(self, article_id: str, limit: int = 10) -> list[Hit]:
        """Articles like this one, copies of the same story left out (KeyError if none)."""

    def facet_values(self, facet: str, prefix: str = "", limit: int = 10) -> list[FacetValue]:
        """A facet's most frequent values over the whole index (autocomplete)."""

    def stats(self, limit: int = 10) -> ArchiveStats:
        """Document count, date span and top facet values."""

    def warm(self) -> None:
        """Read ahead what a server's first requests would otherwise wait for."""

    @property
    def generation(self) -> int:
        """Changes whenever the index does ("has anything changed since I looked?")."""

    #: True when the engine's work is done outside this process (a server): two requests
    #: from one page then overlap, the node working on one while Python renders the other.
    #: False for Whoosh, whose work is this process's own CPU and whose follow-up counts
    #: reuse the matches its thread just found.
    overlaps_requests: bool

    # -- exact counts for indexer.insights (correlated names, the network) -------------

    def facet_counts(self, req: SearchRequest, facet: str, values: Sequence[str] | None = None,
                     min_count: int = 1) -> FacetCounts:
        """Exact counts of a facet's values (as shown) among the search's matches: of
        ``values``, or else of every value at least ``min_count`` matches hold (the
        MAX_COUNTED_VALUES most frequent). Never an estimate, on any number of shards."""

    def most_frequent(self, req: SearchRequest, facets: Sequence[str],
                      min_count: int = 1) -> dict[str, FacetCounts]:
        """``facet_counts(req, facet, min_count=min_count)`` for each of ``facets``, in
        one request where the engine is a server (the search page's sidebar asks for every
        name facet at once: one round trip per facet cost more than the search itself)."""

    def cooccurrence(self, req: SearchRequest,
                     items: Sequence[tuple[str, str]]) -> dict[tuple[int, int], int]:
        """For each pair ``i < j`` of (facet, value) ``items`` that share any match, the
        exact number of matching documents holding both (at most MAX_COOCCURRING items)."""

    # -- saved searches and alerts (indexer.insights.saved) ------------------------------

    def latest_added(self) -> datetime | None:
        """The newest ``added`` stamp the index holds (indexer.search.added), None when
        it holds no article; raises AlertsUnavailable for an index made before the field.
        Alerts count what arrived after this mark, not after the wall clock, so that a run
        committing after someone looked still counts as new."""

    # -- people across the archive (indexer.archive) -------------------------------------

    def merged_forms(self, person: str) -> list[tuple[str, int]]:
        """The written forms the archive merged into a person's value ("Reagan" into
        "Ronald Reagan"), each with the number of articles writing it, most used first;
        empty for a value nothing was merged into."""


class IndexWriter(Protocol):
    """One indexing run on an engine: what the index holds, then writes, then commit."""

    def state(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """(file -> its content hash, file -> {article id: content hash}) already held."""

    def dupkey(self, bands: list[str]) -> str | None:
        """The story key of an indexed article sharing one of these LSH bands."""

    def put(self, record: Record) -> None:
        """Add or replace one article (by id)."""

    def file_done(self, key: str, file_hash: str) -> None:
        """Every article of a file has been put: the file counts as indexed at this hash
        (a run cut short before this reads the file again)."""

    def delete_id(self, article_id: str) -> None:
        """Remove one article."""

    def delete_file(self, key: str) -> None:
        """Remove every article of a file that has gone."""

    def commit(self, roots: list[str] = ()) -> int:
        """Make the run visible; returns the number of articles the index then holds."""

    def cancel(self) -> int:
        """Abandon the run; the index stays as it was before it. Returns the bytes of
        partial files it removed (for the "disk full" message)."""

    # -- the archive step (indexer.archive.run), before the commit ------------------------

    def people_rows(self) -> Iterator[HeldPeople]:
        """The archive step's input of every article held before this run (none on a
        rebuild), with its people values as held."""

    def set_people(self, article_id: str, people: list[str]) -> None:
        """Give an article (of this run or held before) other people values, visible
        with the commit."""

    def save_forms(self, forms: Forms) -> None:
        """Keep the written forms merged into each person beside the index (replacing
        the previous run's), for ``Engine.merged_forms``."""


def open_writer(location: str | Path | None = None, *, rebuild: bool = False,
                wait: float = 0.0, workers: int = 1, shards: int = 1,
                replicas: int = 0) -> IndexWriter:
    """A writer for one indexing run at a location (created if missing). ``wait`` and
    ``workers`` matter to Whoosh (its file lock and its writer processes), ``shards`` and
    ``replicas`` to a new OpenSearch index."""
    where = resolve(location)
    if is_server(where):
        from indexer.engines.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(_server_location(where), rebuild=rebuild, shards=shards,
                                replicas=replicas)
    from indexer.engines.whoosh.writer import WhooshWriter

    return WhooshWriter(Path(where), rebuild=rebuild, wait=wait, workers=workers)


def optimize(location: str | Path | None = None, wait: float = 0.0) -> tuple[int, int]:
    """Merge segments (a forcemerge on OpenSearch); segment counts before and after."""
    where = resolve(location)
    if is_server(where):
        from indexer.engines.opensearch.writer import OpenSearchWriter

        return OpenSearchWriter(_server_location(where)).optimize()
    from indexer.engines.whoosh.writer import optimize_index

    return optimize_index(Path(where), wait)


def _server_location(where: str):  # -> indexer.engines.opensearch.client.Location
    from indexer.engines.opensearch.client import parse_location
    from indexer.search.model import QueryError

    try:
        return parse_location(where)
    except ValueError as exc:
        raise QueryError(str(exc)) from None


def open_engine(location: str | Path | None = None) -> Engine:
    """The engine for a location (see the module docstring); raises IndexMissing when
    there is no index there and EngineUnavailable when its server cannot be reached."""
    where = resolve(location)
    if is_server(where):
        from indexer.engines.opensearch.engine import OpenSearchEngine

        return OpenSearchEngine(_server_location(where))
    from indexer.engines.whoosh.engine import WhooshEngine

    return WhooshEngine(Path(where))
