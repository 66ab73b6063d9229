"""The search API: one engine, one request type, one result type.

``WhooshEngine`` holds an open searcher and its facet columns, and notices when the
indexer commits a new generation (checked at most every ``refresh_seconds``), so a
long-running web server serves new articles without a restart while every request sees
one consistent snapshot.

Each thread has its own snapshot (searcher, columns, vocabulary): Whoosh's segment
readers keep file positions, so two threads reading through one searcher read each
other's bytes (zlib and unpickling errors under 8 web clients). Earlier the engine ran
one call at a time instead, and one slow query held every other request behind it
(a ``coffee`` search waited 65 s behind ``"said said"~100000``). The per-segment pieces
(columns, word lists) are read once and shared by all threads; every call runs under a
time budget (indexer.search.limits) so none can hold a thread for long.
"""

from __future__ import annotations

import collections
import contextlib
import functools
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import TypeVar

import numpy as np
from whoosh import query as wq
from whoosh.searching import Searcher

from indexer.archive.table import forms_of
from indexer.engines.whoosh.columns import FacetColumns, _most_frequent
from indexer.engines.whoosh.matches import Matches, evaluate, with_phrase_bonus
from indexer.engines.whoosh.spelling import SPELL_FIELD, corrector
from indexer.engines.whoosh.store import IndexDamaged, damaged, is_damage, open_index, read_forms
from indexer.engines.whoosh.translate import to_whoosh
from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.extract.names import name_key
from indexer.search import histogram
from indexer.search.added import FIELD as ADDED
from indexer.search.added import to_moment
from indexer.search.added import unavailable as added_unavailable
from indexer.search.engine import EXPORT_CAP
from indexer.search.highlight import Marked, Span, lead, marks, snippet
from indexer.search.histogram import DateSpan
from indexer.search.limits import SEARCH_BUDGET_SECONDS, Budget, SearchTimeout
from indexer.search.model import (
    FACETS,
    MAX_COUNTED_VALUES,
    ArchiveStats,
    ArticleView,
    DateHistogram,
    FacetCounts,
    FacetValue,
    Hit,
    QueryError,
    SearchRequest,
    SearchResult,
    check_facet,
    check_items,
    check_length,
    matching_key,
)
from indexer.search.query import (
    SEARCH_FIELDS,
    check_query,
    make_parser,
    parse,
    query_terms,
    to_tree,
)
from indexer.search.ranking import PROXIMITY_WINDOW, proximity_phrase
from indexer.search.relaxed import relaxed_request, with_relaxed
from indexer.search.spelling import respell
from indexer.search.tree import request_tree

T = TypeVar("T")
SUGGEST_BELOW = 3  # offer "did you mean" when a query finds fewer hits than this
RECENT_MATCHES = 2  # searches per thread whose matches are kept (see _Snapshot.recent):
# the page's search for its sidebar, and one more; each holds up to 8 bytes a document


class _Snapshot:
    """A searcher and the facet columns built for exactly that generation."""

    def __init__(self, searcher: Searcher, columns: FacetColumns, vocabulary: Vocabulary) -> None:
        self.searcher = searcher
        self.columns = columns
        self.vocabulary = vocabulary
        self.checked = time.monotonic()
        self._live: np.ndarray | None = None
        # The matches of this thread's last few searches (matching_key -> ids): the
        # correlated names of a search page count over its matches without running the
        # query again. A snapshot is one generation, so they never go stale.
        self.recent: dict[str, np.ndarray] = {}

    def remember(self, key: str, ids: np.ndarray) -> None:
        """Keep a search's matches (the last RECENT_MATCHES searches)."""
        self.recent.pop(key, None)
        self.recent[key] = ids
        while len(self.recent) > RECENT_MATCHES:
            self.recent.pop(next(iter(self.recent)))

    def matches(self, q: wq.Query, budget: Budget | None = None) -> Matches:
        """Every document of this generation matching ``q``, with scores."""
        return evaluate(q, self.searcher, self.live, self.columns, self.vocabulary,
                        budget or Budget())

    def with_proximity(self, found: Matches, user: wq.Query, budget: Budget) -> Matches:
        """``found`` with the proximity bonus of the user's query (docs/ranking.md)."""
        phrase = proximity_phrase(to_tree(user))
        if phrase is None:
            return found
        return with_phrase_bonus(found, to_whoosh(phrase), PROXIMITY_WINDOW, self.searcher,
                                 self.live, self.columns, self.vocabulary, budget)

    @property
    def live(self) -> np.ndarray:
        """Mask of the documents not deleted in this generation."""
        if self._live is None:
            live = np.ones(self.searcher.doc_count_all(), dtype=bool)
            for leaf, offset in self.searcher.reader().leaf_readers():
                if leaf.has_deletions():
                    live[offset + np.fromiter(leaf.deleted_docs_set, dtype=np.int64)] = False
            self._live = live
        return self._live


def _terms_by_field(pairs) -> dict[str, set[str]]:
    """Matched (field, term) pairs as text sets for the title and body highlighters."""
    terms: dict[str, set[str]] = {"title": set(), "body": set()}
    for field, term in pairs:
        if field in terms:
            terms[field].add(term.decode("utf-8") if isinstance(term, bytes) else term)
    return terms


def _best_first(found: Matches, enough: int,
                fold: Callable[[np.ndarray], np.ndarray] | None, budget: Budget) -> np.ndarray:
    """Matches best score first, at least the first ``enough`` right (one per story if
    ``fold``): a partial sort of the best few, widened until enough stories are in it."""
    want = enough
    while True:
        budget.spend("ranking rounds")
        ordered = found.ranked(want)
        if fold is None:
            return ordered
        folded = fold(ordered)
        if len(folded) >= enough or len(ordered) == len(found.ids):
            return folded
        want *= 4


@contextlib.contextmanager
def _damage_reported(index_dir: Path) -> Iterator[None]:
    """Segments are read lazily: damage inside one surfaces as a low-level error in the
    middle of a search. Say what it means (and how to rebuild) instead."""
    try:
        yield
    except Exception as exc:
        if not is_damage(exc):
            raise
        raise IndexDamaged(damaged(index_dir, "a segment file", exc)) from exc


def _reporting_damage(method: Callable[..., T]) -> Callable[..., T]:
    """An engine method whose damaged-segment errors become IndexDamaged."""
    @functools.wraps(method)
    def call(self: WhooshEngine, *args: object, **kwargs: object) -> T:
        with _damage_reported(self.index_dir):
            return method(self, *args, **kwargs)
    return call


class WhooshEngine:
    """Answer SearchRequests against one index folder (thread-safe, reused searcher)."""

    overlaps_requests = False  # see Engine.overlaps_requests

    def __init__(self, index_dir: Path, refresh_seconds: float = 1.0,
                 budget_seconds: float = SEARCH_BUDGET_SECONDS) -> None:
        self.index_dir = Path(index_dir)
        self.ix = open_index(self.index_dir)
        self.parser = make_parser(self.ix.schema)
        self.analyzer = self.ix.schema["body"].analyzer
        self.refresh_seconds = refresh_seconds
        self.budget_seconds = budget_seconds
        # Held only while a snapshot is opened (it updates the shared caches), never
        # during a search.
        self._lock = threading.Lock()
        self._heavy = threading.Semaphore(1)
        self._segment_cache: dict = {}
        self._vocabulary_cache: dict = {}
        self._local = threading.local()
        self._columns: tuple[int, FacetColumns] | None = None
        with _damage_reported(self.index_dir):
            self.snapshot()  # a missing or unreadable index fails here, not on first search

    def _open(self) -> _Snapshot:
        """A new searcher for this thread; the facet columns of its generation are built
        once and shared by every thread (they are only read), the word lists through the
        vocabulary cache."""
        with self._lock:
            searcher = self.ix.searcher()
            generation = searcher.reader().generation()
            if self._columns is None or self._columns[0] != generation:
                self._columns = (generation, FacetColumns(searcher, self._segment_cache))
            return _Snapshot(searcher, self._columns[1],
                             Vocabulary(searcher.reader(), self._vocabulary_cache))

    def snapshot(self) -> _Snapshot:
        """This thread's searcher, reopened if the indexer committed since it was opened."""
        snap: _Snapshot | None = getattr(self._local, "snap", None)
        if snap is None:
            snap = self._local.snap = self._open()
        elif time.monotonic() - snap.checked >= self.refresh_seconds:
            snap.checked = time.monotonic()
            if not snap.searcher.up_to_date():
                # A fresh searcher, not Searcher.refresh(): whoosh's refresh reuses
                # segment readers with their old deletion sets, so updated
                # articles would show their previous version.
                snap = self._local.snap = self._open()
        return snap

    def budget(self) -> Budget:
        """The time budget of one call (search, export, highlight...); heavy calls take
        turns (see limits.Budget)."""
        return Budget(self.budget_seconds, heavy=self._heavy)

    @property
    def generation(self) -> int:
        return self.snapshot().searcher.reader().generation()

    # -- searching ---------------------------------------------------------------

    def user_query(self, text: str, snap: _Snapshot, budget: Budget) -> wq.Query:
        """The user's query text parsed and checked against the limits: the one check
        that search, exports, feeds, article highlighting and the CLI all go through."""
        check_length(text)
        q = parse(self.parser, text)
        check_query(q, snap.vocabulary, snap.searcher.reader(), budget)
        return q

    def build_query(self, req: SearchRequest, snap: _Snapshot, budget: Budget) -> wq.Query:
        """The request's query with its filters: the neutral tree every engine runs
        (``tree.request_tree``), as one Whoosh query."""
        return self._queries(req, snap, budget)[1]

    def _queries(self, req: SearchRequest, snap: _Snapshot,
                 budget: Budget) -> tuple[wq.Query, wq.Query]:
        """(the user's query alone, for the proximity bonus; ``build_query``'s query)."""
        user = self.user_query(req.query, snap, budget)
        return user, to_whoosh(request_tree(req, to_tree(user)))

    @_reporting_damage
    def search(self, req: SearchRequest) -> SearchResult:
        """Run one search: hits for the page, facet counts and histogram, suggestion."""
        with self.budget() as budget:
            result = self._search(req, budget)
            if (loose := relaxed_request(req, result)) is not None:
                # The strict search offered any "did you mean"; respelling twice would
                # double its bounded cost.
                result = with_relaxed(result, self._search(loose, budget, suggest=False))
            return result

    def _search(self, req: SearchRequest, budget: Budget, suggest: bool = True) -> SearchResult:
        started = time.perf_counter()
        snap = self.snapshot()
        searcher, columns = snap.searcher, snap.columns
        user, q = self._queries(req, snap, budget)
        found = snap.matches(q, budget)
        if req.sort == "relevance":
            found = snap.with_proximity(found, user, budget)
        matched = found.ids
        snap.remember(matching_key(req), matched)
        offset = (req.page - 1) * req.limit
        fold = req.fold_duplicates and not req.dupkey
        if req.sort == "relevance":
            ordered = _best_first(found, offset + req.limit, columns.fold if fold else None,
                                  budget)
        else:
            ordered = columns.by_date(matched, req.sort == "newest", fold)
        docnums = [int(d) for d in ordered[offset:offset + req.limit]]
        hits = self._hits(searcher, docnums, found, req,
                          _terms_by_field(found.terms) if req.highlight else None,
                          columns.similar_counts(docnums, matched) if fold else {})
        facets: dict[str, list[FacetValue]] = {}
        dates = DateHistogram("year", [])
        if req.with_facets:
            mask = columns.mask(matched)
            for facet in FACETS:
                facets[facet] = [FacetValue(v, c, s) for v, c, s in columns.top(
                    facet, mask, req.facet_limit, req.facet_prefix.get(facet, ""),
                    req.selected(facet))]
            dates = histogram.timeline(
                (columns.days[matched], None), (columns.days[np.flatnonzero(snap.live)], None))
        suggestion = None
        if suggest and req.query.strip() and len(matched) < SUGGEST_BELOW:
            suggestion = self._suggest(snap, req.query, budget)
        return SearchResult(
            query=req.query, total=len(matched), page=req.page, limit=req.limit, hits=hits,
            facets=facets, dates=dates,
            suggestion=suggestion, took_ms=(time.perf_counter() - started) * 1000,
            sort=req.sort, filters=req.filters, stories=columns.stories(matched) if fold else None)

    def merged_forms(self, person: str) -> list[tuple[str, int]]:
        """From the forms file the last run wrote beside the index."""
        return forms_of(read_forms(self.index_dir).get(name_key(person)))

    @_reporting_damage
    def latest_added(self) -> datetime | None:
        """The largest full-precision term of the ``added`` field: one term per indexing
        run, so this reads a handful of terms, not a column."""
        reader = self.snapshot().searcher.reader()
        if ADDED not in reader.schema:
            raise added_unavailable(self.index_dir)
        fieldtype = reader.schema[ADDED]
        last = collections.deque(fieldtype.sortable_terms(reader, ADDED), maxlen=1)
        return None if not last else to_moment(fieldtype.from_bytes(last[0]))

    @_reporting_damage
    def timeline(self, req: SearchRequest, interval: str | None = None,
                 span: DateSpan | None = None) -> DateHistogram:
        """Matching articles per date bucket beside all articles in the same bucket.

        Both counts per bucket, so a chart can show either raw counts or the share of
        the archive that matched (see ``Engine.timeline``).
        """
        with self.budget() as budget:
            snap = self.snapshot()
            matched = snap.matches(self.build_query(req, snap, budget), budget).ids
            days = snap.columns.days
            return histogram.timeline((days[matched], None),
                                      (days[np.flatnonzero(snap.live)], None), interval, span)

    @_reporting_damage
    def export(self, req: SearchRequest, cap: int = EXPORT_CAP) -> list[Hit]:
        """Every hit of a search (all pages, every filter honoured), up to ``cap``."""
        with self.budget() as budget:
            return self._export(req, cap, budget)

    def _export(self, req: SearchRequest, cap: int, budget: Budget) -> list[Hit]:
        snap = self.snapshot()
        searcher = snap.searcher
        user, q = self._queries(req, snap, budget)
        found = snap.matches(q, budget)
        if req.sort == "relevance":
            found = snap.with_proximity(found, user, budget)
            ordered = found.ranked(cap)[:cap]
        else:
            ordered = snap.columns.by_date(found.ids, req.sort == "newest", fold=False)[:cap]
        return self._hits(searcher, [int(d) for d in ordered], found, req, None)

    def _hits(self, searcher: Searcher, docnums: list[int], found: Matches, req: SearchRequest,
              terms: dict[str, set[str]] | None, similar: dict[int, int] | None = None) -> list[Hit]:
        """Hits for ``docnums``, with their scores when the request ranks by relevance."""
        scores = found.scores_of(docnums) if req.sort == "relevance" else [None] * len(docnums)
        return [self._hit(searcher.stored_fields(d), terms, req,
                          None if score is None else round(float(score), 4),
                          (similar or {}).get(d, 0))
                for d, score in zip(docnums, scores, strict=True)]

    def _hit(self, fields: dict, terms: dict[str, set[str]] | None, req: SearchRequest,
             score: float | None, similar: int = 0) -> Hit:
        """A Hit from stored fields; ``terms`` (by field) are marked in title and snippet."""
        body, title = fields.get("body", ""), fields.get("title", "")
        shown, title_spans = Marked("", []), []
        if terms is not None and req.query.strip():
            shown = snippet(body, terms["body"])
            title_spans = marks(title, terms["title"])
        if not shown.text:
            shown = Marked(lead(body), [])
        return Hit(
            id=fields["id"], title=title, published=fields.get("published"),
            source=fields.get("source", ""), people=list(fields.get("people", [])),
            countries=list(fields.get("countries", [])), about=list(fields.get("about", [])),
            snippet=shown.text, snippet_spans=shown.spans, title_spans=title_spans,
            score=score, dupkey=fields.get("dupkey", ""), similar=similar,
            url=fields.get("url", ""), dateline=fields.get("dateline", ""),
            organizations=list(fields.get("organizations", [])))

    def _suggest(self, snap: _Snapshot, text: str, budget: Budget) -> str | None:
        """A respelled query, offered only if it finds something."""
        corrected = respell(text, *corrector(snap.searcher.reader(), snap.vocabulary, budget),
                            budget)
        if corrected is None:
            return None
        try:
            q = self.user_query(corrected, snap, budget)
        except QueryError as exc:
            if isinstance(exc, SearchTimeout):
                raise
            return None
        return corrected if len(snap.matches(q, budget).ids) else None

    @_reporting_damage
    def warm(self) -> None:
        """Read now what the first fuzzy term or "did you mean" would otherwise read.

        The vocabularies of the searched fields take a second or two to read at 200,000
        articles; a server does it before its first request, a one-off CLI search only
        if it needs them.
        """
        snap = self.snapshot()
        for field in (*SEARCH_FIELDS, SPELL_FIELD):
            snap.vocabulary.load(field)

    # -- single articles ---------------------------------------------------------------

    def _docnum(self, searcher: Searcher, article_id: str) -> int | None:
        return searcher.document_number(id=article_id)

    @_reporting_damage
    def article(self, article_id: str) -> ArticleView | None:
        """The stored article with this id, or None."""
        searcher = self.snapshot().searcher
        docnum = self._docnum(searcher, article_id)
        if docnum is None:
            return None
        f = searcher.stored_fields(docnum)
        return ArticleView(
            id=f["id"], title=f.get("title", ""), body=f.get("body", ""),
            published=f.get("published"), source=f.get("source", ""), url=f.get("url", ""),
            dateline=f.get("dateline", ""), authors=list(f.get("authors", [])),
            people=list(f.get("people", [])), countries=list(f.get("countries", [])),
            about=list(f.get("about", [])),
            mentioned=[m for m in str(f.get("mentioned", "")).split(",") if m],
            category=f.get("category", ""), dupkey=f.get("dupkey", ""),
            organizations=list(f.get("organizations", [])))

    @_reporting_damage
    def highlight_article(self, article: ArticleView,
                          query: str) -> tuple[list[Span], list[Span]]:
        """(title spans, body spans): the query's matches in ``article.title`` and
        ``article.body``.

        The query goes through the same checks as a search (``user_query``): a query
        that search refuses is refused here with the same message.
        """
        with self.budget() as budget:
            snap = self.snapshot()
            q = self.user_query(query, snap, budget)
            pairs = query_terms(q, snap.vocabulary, snap.searcher.reader(), budget)
        terms = _terms_by_field(pairs)
        return marks(article.title, terms["title"]), marks(article.body, terms["body"])

    @_reporting_damage
    def related(self, article_id: str, limit: int = 10) -> list[Hit]:
        """More like this: the article's title words plus its most distinctive body words.

        Whoosh's ``more_like`` weighs only rare body terms, which favours numbers and
        names ("temporao", "2.27") over the subject; the headline states the subject, so
        its words always take part. Copies of the same story are left out.
        """
        snap = self.snapshot()
        searcher = snap.searcher
        docnum = self._docnum(searcher, article_id)
        if docnum is None:
            raise KeyError(article_id)
        fields = searcher.stored_fields(docnum)
        key_terms = [(t, w) for t, w in searcher.key_terms_from_text(
            "body", fields.get("body", ""), numterms=40) if t.isalpha() and len(t) > 2][:12]
        top = max((w for _, w in key_terms), default=1.0)
        weights = {t: w / top for t, w in key_terms}
        for token in self.analyzer(fields.get("title", "")):
            if token.text.isalpha() and len(token.text) > 2:
                weights[token.text] = weights.get(token.text, 0.0) + 1.0
        if not weights:
            return []
        q = wq.Or([wq.Term("body", t, boost=w) for t, w in weights.items()])
        same_story = wq.Term("dupkey", fields.get("dupkey", article_id))
        with self.budget() as budget:
            found = snap.matches(wq.AndNot(q, same_story), budget)
        plain = SearchRequest(highlight=False, with_facets=False)
        return self._hits(searcher, [int(d) for d in found.ranked(limit)[:limit]], found, plain, None)

    # -- facets and stats --------------------------------------------------------------

    @_reporting_damage
    def facet_values(self, facet: str, prefix: str = "", limit: int = 10) -> list[FacetValue]:
        """Values of a facet over the whole index (autocomplete), most frequent first."""
        if facet not in FACETS:
            raise QueryError(f"unknown facet {facet!r}; facets are {', '.join(FACETS)}")
        snap = self.snapshot()
        return [FacetValue(v, c) for v, c, _ in snap.columns.top(facet, snap.live, limit, prefix)]

    @_reporting_damage
    def stats(self, limit: int = 10) -> ArchiveStats:
        """Document count, date span and top facet values over the whole index."""
        snap = self.snapshot()
        live_docs = np.flatnonzero(snap.live)
        first, last = snap.columns.date_span(live_docs)
        return ArchiveStats(
            index=str(self.index_dir), documents=snap.searcher.doc_count(),
            first=first, last=last,
            with_date=int(np.count_nonzero(snap.columns.days[live_docs] > 0)),
            top={facet: [FacetValue(v, c) for v, c, _ in snap.columns.top(facet, snap.live, limit)]
                 for facet in FACETS})

    # -- exact counts for indexer.insights ---------------------------------------------

    def _matched(self, req: SearchRequest, snap: _Snapshot) -> np.ndarray:
        """The request's matching documents: those of a search just run on this thread
        with the same query and filters, else matched now (under a budget: only then,
        since starting one reads the thread's CPU clock, slow on some hosts)."""
        key = matching_key(req)
        if key not in snap.recent:
            with self.budget() as budget:
                snap.remember(key, snap.matches(self.build_query(req, snap, budget),
                                                budget).ids)
        return snap.recent[key]

    @_reporting_damage
    def facet_counts(self, req: SearchRequest, facet: str, values: Sequence[str] | None = None,
                     min_count: int = 1) -> FacetCounts:
        """Exact counts: one ``bincount`` of the facet column (letter-case variants
        merged, as a filter merges them, and shown as spelled most often in the
        matches) over the matches."""
        check_facet(facet)
        snap = self.snapshot()
        matched = self._matched(req, snap)
        mask = snap.columns.mask(matched)
        spelled = snap.columns.multi[facet]
        column = spelled.folded
        counts = column.counts(mask)
        if values is None:
            kept = np.where(counts >= max(1, min_count), counts, 0)
            vids = _most_frequent(kept, MAX_COUNTED_VALUES, column.order)[:MAX_COUNTED_VALUES]
            names = {int(v): column.values[v] for v in vids}
            if column.spellings:  # each shown as spelled most often in these matches
                raw = spelled.counts(mask)
                for v in names.keys() & column.spellings.keys():
                    names[v] = spelled.values[min(column.spellings[v], key=lambda s: (
                        -raw[s], spelled.values[s]))]
            found = dict(sorted(((names[int(v)], int(counts[v])) for v in vids),
                                key=lambda vc: (-vc[1], vc[0])))
        else:
            vids = [column.by_key.get(v.casefold()) for v in values]
            found = {v: 0 if vid is None else int(counts[vid])
                     for v, vid in zip(values, vids, strict=True)}
        return FacetCounts(facet, len(matched), found)

    def most_frequent(self, req: SearchRequest, facets: Sequence[str],
                      min_count: int = 1) -> dict[str, FacetCounts]:
        """One ``facet_counts`` per facet: each is a ``bincount`` over the same matches
        (kept from the search), so batching would save nothing here."""
        return {facet: self.facet_counts(req, facet, min_count=min_count) for facet in facets}

    @_reporting_damage
    def cooccurrence(self, req: SearchRequest,
                     items: Sequence[tuple[str, str]]) -> dict[tuple[int, int], int]:
        """Exact pair counts: a documents x items 0/1 matrix of the matches holding any of
        the items, multiplied by its transpose (float64: exact far past any index size)."""
        check_items(items)
        snap = self.snapshot()
        mask = snap.columns.mask(self._matched(req, snap))
        docs_parts, item_parts = [], []
        for facet in dict.fromkeys(f for f, _ in items):
            column = snap.columns.multi[facet].folded
            slot = np.full(len(column.values) + 1, -1, dtype=np.int64)
            for i, (f, value) in enumerate(items):
                if f == facet and value.casefold() in column.by_key:
                    slot[column.by_key[value.casefold()]] = i
            held = mask[column.pair_doc] & (slot[column.pair_value] >= 0)
            docs_parts.append(column.pair_doc[held])
            item_parts.append(slot[column.pair_value[held]])
        if not docs_parts:
            return {}
        docs, rows = np.unique(np.concatenate(docs_parts), return_inverse=True)
        holding = np.zeros((len(docs), len(items)), dtype=np.float64)
        holding[rows, np.concatenate(item_parts)] = 1.0
        together = holding.T @ holding
        upper = np.argwhere(np.triu(together, 1) > 0)
        return {(int(i), int(j)): int(together[i, j]) for i, j in upper}
