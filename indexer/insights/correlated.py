"""Correlated names: the people, countries (any name facet) unusually frequent in a search.

For each value of a facet held by at least ``min_count`` of the search's matches, a 2x2
table of documents compares the search (foreground) with the whole archive (background):

                     holds the value          does not
    in the results   k11 = count              k12 = total - count
    elsewhere        k21 = background - count k22 = archive - total - background + count

and scores it with Dunning's log-likelihood ratio (1993), ``G² = 2 Σ k ln(k N / (row col))``
over the four cells (``N`` = archive, empty cells add 0). Only values over-represented in
the results (``count / total > background / archive``) are listed, highest G² first: a
name in 30 of 40 results but 50 of 20,000 articles scores far above one in 30 of 40 and
10,000 of 20,000. The minimum count keeps one-off names out (G² is large for a name seen
once in the archive and once in the results).

Counts are exact facet counts from the engine (``Engine.facet_counts``): ``count`` is the
search filtered by the value, ``background`` the whole archive filtered by it, documents
counted as the search's facet counts count them (every copy of a near-duplicate story).
Background counts are cached per index generation, so a search page pays for them once.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass

import numpy as np

from indexer.search.engine import Engine
from indexer.search.facets import REGISTRY
from indexer.search.model import (
    MAX_LIMIT,
    FacetCounts,
    QueryError,
    SearchRequest,
    SearchResult,
    check_facet,
)

MIN_COUNT = 3  # default: a name must be in at least this many results
DEFAULT_LIMIT = 10
SIDEBAR_LIMIT = 5  # per facet in the search page's "Unusually often in these results"
#: Facets that are not names of their own: ``about`` narrows ``countries`` (it would list
#: the same countries twice) and a source is not a name in the text. Every other facet of
#: the registry (an organisations facet, say) is a name facet without a change here.
_NOT_NAMES = ("about", "sources")
NAME_FACETS = tuple(f.name for f in REGISTRY if f.name not in _NOT_NAMES)
#: Threads that send a page's sidebar request while its search is answered (engines whose
#: requests overlap); as many as the web server's threads, so no page waits for another's.
_SIDEBARS = ThreadPoolExecutor(max_workers=8, thread_name_prefix="newsearch-sidebar")


@dataclass(frozen=True)
class Correlated:
    value: str
    count: int  # results holding the value
    background: int  # archive documents holding it
    score: float  # G², rounded to 4 places

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _cells(count, total, background, archive):  # noqa: ANN001, ANN202 (ints or arrays)
    """The 2x2 table's four cells, each (k, its row's total, its column's total), for
    one value (ints) or for many at once (numpy arrays of counts and backgrounds)."""
    return ((count, total, background), (total - count, total, archive - background),
            (background - count, archive - total, background),
            (archive - total - background + count, archive - total, archive - background))


def g2(count: int, total: int, background: int, archive: int) -> float:
    """Dunning's G² of a value in ``count`` of ``total`` results and ``background`` of
    ``archive`` documents (the results are part of the archive)."""
    return 2.0 * sum(k * math.log(k * archive / (row * col))
                     for k, row, col in _cells(count, total, background, archive) if k > 0)


def check_options(facet: str, limit: int, min_count: int) -> None:
    """The one check of the options, for the API, the CLI and the page."""
    check_facet(facet)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if min_count < 1:
        raise QueryError("the minimum count must be at least 1")


class _Background:
    """Whole-archive counts per (index, generation, facet), filled in as values are asked
    for; an older generation's counts are dropped when a new one is seen."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[tuple[str, str], tuple[int, int, dict[str, int]]] = {}

    def counts(self, engine: Engine, facet: str, values: list[str],
               generation: int | None = None) -> tuple[int, dict[str, int]]:
        """(archive documents, value -> archive documents holding it); ``generation`` is
        the engine's, if just read (on OpenSearch, reading it is a request)."""
        key = (str(engine.index_dir), facet)
        generation = engine.generation if generation is None else generation
        with self._lock:
            seen, archive, known = self._counts.get(key, (None, 0, {}))
            if seen != generation:
                archive, known = -1, {}
            missing = [v for v in values if v not in known]
        if missing or archive < 0:
            found = engine.facet_counts(SearchRequest(), facet, missing)
            with self._lock:
                known = {**known, **found.counts}
                archive = found.total
                self._counts[key] = (generation, archive, known)
        return archive, {v: known[v] for v in values}


BACKGROUND = _Background()


def correlated(engine: Engine, req: SearchRequest, facet: str, limit: int = DEFAULT_LIMIT,
               min_count: int = MIN_COUNT, generation: int | None = None) -> list[Correlated]:
    """The ``limit`` values of ``facet`` most unusually frequent in the search's results
    (``generation``: the engine's, when the caller has just read it)."""
    check_options(facet, limit, min_count)
    found = engine.facet_counts(req, facet, min_count=min_count)
    return _scored(engine, found, limit, generation)


def _scored(engine: Engine, found: FacetCounts, limit: int,
            generation: int | None) -> list[Correlated]:
    """The over-represented values of ``found`` (the search's counts), highest G² first."""
    archive, background = BACKGROUND.counts(engine, found.facet, list(found.counts), generation)
    total = found.total
    if not total or total >= archive:  # the whole archive is not unusual in itself
        return []
    values = [v for v, c in found.counts.items() if c * archive > background[v] * total]
    out = [Correlated(v, found.counts[v], background[v],
                      round(g2(found.counts[v], total, background[v], archive), 4))
           for v in _contenders(values, found.counts, background, total, archive, limit)]
    out.sort(key=lambda x: (-x.score, -x.count, x.value))
    return out[:limit]


def _contenders(values: list[str], counts: dict[str, int], background: dict[str, int],
                total: int, archive: int, limit: int) -> list[str]:
    """The values that can be among the ``limit`` highest G², found with G² over arrays;
    only they are scored one by one by ``g2``, the formula as documented. The margin
    keeps every value that can tie with the last one once scores are rounded to 4
    places (a tie goes to the larger count) or that the arrays' float sums put a few
    bits lower. A broad search has thousands of names over the minimum count and the
    page shows five of them."""
    if len(values) <= limit:
        return values
    cells = _cells(np.array([counts[v] for v in values], dtype=np.float64), total,
                   np.array([background[v] for v in values], dtype=np.float64), archive)
    score = np.zeros(len(values))
    with np.errstate(divide="ignore", invalid="ignore"):
        for k, row, col in cells:
            score += np.where(k > 0, k * np.log(k * archive / (row * col)), 0.0)
    score *= 2.0
    cut = np.partition(score, len(values) - limit)[len(values) - limit]
    margin = 1e-4 + 1e-9 * max(1.0, abs(cut))
    return [values[i] for i in np.flatnonzero(score >= cut - margin)]


def sidebar(engine: Engine, req: SearchRequest,
            limit: int = SIDEBAR_LIMIT) -> dict[str, list[Correlated]]:
    """The search page's block: each name facet's most unusual values (empty ones left
    out). Cheap after the page's search: every name facet's counts come from one
    ``Engine.most_frequent`` (on Whoosh a count over the search's kept matches, on
    OpenSearch one request), and the background and generation are cached."""
    check_options(NAME_FACETS[0], limit, MIN_COUNT)
    generation = engine.generation
    counts = engine.most_frequent(req, NAME_FACETS, min_count=MIN_COUNT)
    out = {facet: _scored(engine, counts[facet], limit, generation) for facet in NAME_FACETS}
    return {facet: values for facet, values in out.items() if values}


def search_with_sidebar(engine: Engine, req: SearchRequest, limit: int = SIDEBAR_LIMIT
                        ) -> tuple[SearchResult, dict[str, list[Correlated]]]:
    """The search page's search and its sidebar, as the page asks for them.

    On a server (``Engine.overlaps_requests``) the sidebar's request goes out while the
    search's own are answered and its hits highlighted, so the block costs the page the
    part of it that does not overlap, not a second request end to end. On Whoosh it
    follows the search in the same thread, which lets it count the matches just found.
    An error of the search is the one raised (the sidebar's, for the same query, is
    dropped with its thread's result).
    """
    if not engine.overlaps_requests:
        result = engine.search(req)
        return result, sidebar(engine, req, limit)
    pending = _SIDEBARS.submit(sidebar, engine, req, limit)
    result = engine.search(req)
    return result, pending.result()
