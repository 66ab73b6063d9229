"""The search API over an OpenSearch index: the same requests, the same result types.

A search is one ``_search`` request: the translated query tree, ``collapse`` on the story
key for folding, and aggregations for every facet (``terms`` ordered by count, ties by
value, as Whoosh lists them) and the days (a histogram on the day number, bucketed here
by :mod:`indexer.search.histogram`, so both engines pick the same interval). A folded
search with hits takes one more request, aggregations only, for the number of stories
and each shown story's copies. Highlighting follows the query tree in Python
(:func:`indexer.search.highlight.marked_words`), as on Whoosh.

OpenSearch answers concurrent requests in parallel: there is no engine lock here.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime

from opensearchpy.exceptions import HTTP_EXCEPTIONS, TransportError
from rapidfuzz.distance import OSA

from indexer.archive.table import forms_of
from indexer.engines.opensearch.client import Location, connect, guarded, unavailable
from indexer.engines.opensearch.mapping import SCHEMA_VERSION
from indexer.engines.opensearch.spellings import Spelled, Spellings, folded, several
from indexer.engines.opensearch.translate import TEXT_FIELDS, to_dsl
from indexer.engines.opensearch.writer import FORMS, indexed_text, side_index
from indexer.extract.names import name_key
from indexer.search import tree as t
from indexer.search.added import FIELD as ADDED
from indexer.search.added import to_moment
from indexer.search.added import unavailable as added_unavailable
from indexer.search.errors import IndexMissing
from indexer.search.highlight import Marked, Span, lead, marked_words, marks, snippet
from indexer.search.histogram import DateSpan, check_interval, timeline
from indexer.search.limits import (
    MAX_EXPANSION,
    MAX_FUZZY_EXPANSION,
    MAX_TOTAL_EXPANSION,
    SEARCH_BUDGET_SECONDS,
    timed_out,
    too_many_words,
    too_many_words_together,
)
from indexer.search.model import (
    FACET_FIELDS,
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
)
from indexer.search.query import parse_tree, tree_term_text
from indexer.search.ranking import with_proximity
from indexer.search.relaxed import relaxed_request, with_relaxed
from indexer.search.spelling import respell

SUGGEST_BELOW = 3
EXPORT_CAP = 10_000
_PAGE = 1000  # hits per request when exporting past one page
MAX_EXACT_STORIES = 60_000
#: Stories with several copies a folded search lists in its own request (``_story_aggs``);
#: a search with as many asks again (``_stories``). Together with the facets and day
#: buckets well below max_buckets.
COPIED_KEYS = 1_000
#: The per-shard values a facet is counted again with when its first count may be short.
EXACT_SHARD_SIZE = 50_000  # below OpenSearch's default search.max_buckets (65,535)
FUZZY_CANDIDATES = 1024  # words within a fuzzy term's distance read from the word list
#: How long a read generation is reused: OpenSearch shows writes to searches only after its
#: refresh (every second by default), so a change seen up to a second late is seen no later
#: than the searches see it; a page's sidebar then pays no round trip for it.
GENERATION_SECONDS = 1.0
#: Articles per day (the ``day`` field), for the date histograms and their denominators.
DAYS = {"histogram": {"field": "day", "interval": 1, "min_doc_count": 1}}
_SOURCE_EXCLUDES = ["lsh", "gold_places", "gold_people", "file_hash", "content_hash"]
#: The stored fields a hit shows (``_hit``): searches, exports and related articles ask
#: for these only, not for the indexed copies of the text, the keyword forms or the
#: people's inputs, which were half of a search's answer and of its JSON decoding.
_HIT_SOURCE = ["id", "title_text", "body_text", "published", "facet_sources", "facet_people",
               "facet_countries", "facet_about", "facet_organizations", "dupkey", "url",
               "dateline"]


def facet_field(facet: str) -> str:
    """The keyword field holding a facet's values as shown."""
    return f"facet_{facet}"


def _ci_regex(text: str) -> str:
    """A Lucene regular expression matching ``text`` in any letter case."""
    out = []
    for ch in text:
        variants = {ch, ch.lower(), ch.upper()}
        if len(variants) > 1:
            out.append("[" + "".join(sorted(variants)) + "]")
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append("\\" + ch)
    return "".join(out)


def _prefix_include(prefix: str) -> str:
    """Values with a word starting with ``prefix`` (the "search inside facet" rule)."""
    p = _ci_regex(prefix.strip())
    return f"{p}.*|.* {p}.*"


def _source_name(src: dict) -> str:
    names = src.get("facet_sources") or [""]
    return names[0]


def _datetime(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _story_aggs() -> dict[str, dict]:
    """What a folded search's own request counts of its stories: the story keys with more
    than one matching copy, and the matches without a key, so that the number of stories
    and the shown hits' copies need no second request (``_inline_stories``)."""
    return {"copied": {"terms": {"field": "dupkey", "min_doc_count": 2, "size": COPIED_KEYS}},
            "keyless": {"missing": {"field": "dupkey"}}}


def _inline_stories(aggs: dict, shards: int | None, total: int) -> tuple[dict[str, int], int] | None:
    """(copies per story key with several, the number of stories) from ``_story_aggs``'s
    answer, exactly: each of the ``total`` matches has one key, so the stories are the
    matches less the extra copies of the stories listed with several. A key not listed
    has one copy. None when the search must ask ``_stories``: the list holds as many keys
    as it may (it may be cut short), a match has no key, or several shards answered
    (copies of one story may sit on two shards, one each, which no shard lists as
    copied).

    Counting every distinct key instead (a ``terms`` aggregation as large as the
    stories) took 20-26 of the 44 ms the server spent on Reuters' "bank" (3,375 stories).
    The list is whole when it holds fewer keys than it may; its ``sum_other_doc_count``
    says nothing here: it also counts one-copy stories past the shard's candidate list."""
    copied, keyless = aggs.get("copied"), aggs.get("keyless")
    if shards != 1 or copied is None or keyless is None or keyless.get("doc_count") \
            or len(copied.get("buckets", [])) >= COPIED_KEYS:
        return None
    copies = {b["key"]: b["doc_count"] for b in copied["buckets"]}
    return copies, total - sum(count - 1 for count in copies.values())


class OpenSearchEngine:
    """Answer SearchRequests against one OpenSearch index (thread-safe, no lock)."""

    overlaps_requests = True  # see Engine.overlaps_requests

    def __init__(self, location: Location) -> None:
        self.location = location
        self.client = connect(location)
        self.index = location.name
        self._generation: tuple[float, int] | None = None  # (read at, generation)
        self._archive: tuple[int, tuple[list[int], list[int]]] | None = None  # _archive_days
        self._shards: int | None = None  # shards that answered the last search or count
        self._spellings = Spellings()  # each name facet's spellings (spellings.py)
        self._check()

    @property
    def index_dir(self) -> str:  # what "stats" and messages call the location
        return self.location.url

    @guarded
    def _check(self) -> None:
        hint = f"build one with: newsearch index PATH --index {self.location.url}"
        if not self.client.indices.exists(index=self.index):
            raise IndexMissing(f"no index {self.index!r} on {self.location.url}; {hint}")
        mapping = self.client.indices.get_mapping(index=self.index)
        versions = {m["mappings"].get("_meta", {}).get("newsearch_schema")
                    for m in mapping.values()}
        if versions != {SCHEMA_VERSION}:
            raise IndexMissing(f"the index {self.location.url} was built by another version "
                               f"of newsearch; rebuild it with: newsearch index PATH --index "
                               f"{self.location.url} --rebuild")

    # -- searching ---------------------------------------------------------------------

    def _tree(self, req: SearchRequest) -> tuple[t.Node, dict, dict[t.Node, list[str]]]:
        """(the user's query as a neutral tree, the Query DSL of it with every filter,
        the words each fuzzy term was expanded to)."""
        user = parse_tree(req.query)
        words = self._check_expansions(user)
        return user, to_dsl(t.request_tree(req, with_proximity(user)), words), words

    def _expansion_search(self, leaf: t.Node) -> tuple[str, dict]:
        """(index, search body) of what an expanding term stands for: on a text field the
        words of the word list it matches, on a keyword field the values it matches. A
        fuzzy term on a text field fetches its candidate words (``_fuzzy_words``); any
        other counts them, up to one more than it may stand for (``_expansion_count``)."""
        text_field = leaf.field in TEXT_FIELDS
        target = "word" if text_field else leaf.field
        limit = MAX_EXPANSION + 1
        match leaf:
            case t.Prefix(text=text):
                pattern = {"prefix": {target: text}}
            case t.Wildcard(pattern=wildcard):
                pattern = {"wildcard": {target: wildcard}}
            case t.Fuzzy(text=text, maxdist=dist, prefix=prefix):
                limit = min(limit, MAX_FUZZY_EXPANSION)
                pattern = {"fuzzy": {target: {"value": text, "fuzziness": dist,
                                              "prefix_length": prefix, "transpositions": True,
                                              "max_expansions": FUZZY_CANDIDATES if text_field
                                              else MAX_FUZZY_EXPANSION}}}
            case t.TermRange(start=start, end=end, start_excl=sx, end_excl=ex):
                bounds = {}
                if start is not None:
                    bounds["gt" if sx else "gte"] = start
                if end is not None:
                    bounds["lt" if ex else "lte"] = end
                pattern = {"range": {target: bounds}}
        if not text_field:
            return self.index, {"size": 0, "query": pattern,
                                "aggs": {"values": {"terms": {"field": leaf.field,
                                                              "size": limit}}}}
        query = {"bool": {"filter": [{"term": {"field": leaf.field}}, pattern]}}
        if isinstance(leaf, t.Fuzzy):
            return side_index(self.index), {"size": FUZZY_CANDIDATES, "_source": ["word"],
                                            "query": query}
        return side_index(self.index), {"size": 0, "track_total_hits": limit, "query": query}

    @staticmethod
    def _fuzzy_words(leaf: t.Fuzzy, answer: dict) -> list[str]:
        """The words of a text field a fuzzy term stands for, chosen as Whoosh chooses
        them: every word within its distance (optimal string alignment, Lucene's and
        RapidFuzz's), the closest MAX_FUZZY_EXPANSION first, ties by word."""
        close = {h["_source"]["word"] for h in answer["hits"]["hits"]}
        return sorted(close, key=lambda w: (OSA.distance(leaf.text, w), w))[:MAX_FUZZY_EXPANSION]

    @staticmethod
    def _expansion_count(leaf: t.Node, answer: dict) -> int:
        """How many words or values an expanding term stands for, from its
        ``_expansion_search``, up to one more than it may."""
        if "aggregations" in answer:
            return len(answer["aggregations"]["values"]["buckets"])
        return int(answer["hits"]["total"]["value"])

    def _answers(self, searches: list[tuple[str, dict]]) -> list[dict]:
        """Several searches in one round trip (``_msearch``); a search the server refused
        raises the error its own request would have."""
        body: list[dict] = []
        for index, search in searches:
            body += [{"index": index}, search]
        answers = self.client.msearch(body=body)["responses"]
        for answer in answers:
            if "error" in answer:
                status = answer.get("status", 500)
                error = answer["error"]
                kind = error.get("type", "error") if isinstance(error, dict) else str(error)
                raise HTTP_EXCEPTIONS.get(status, TransportError)(status, kind, answer)
        return answers

    def _check_expansions(self, node: t.Node) -> dict[t.Node, list[str]]:
        """Refuse expanding terms that stand for too many words, alone or together, as
        Whoosh does (``query.check_query``: the same limits and messages, in the query's
        order). Every expanding term is looked up in one round trip. Returns the words of
        each fuzzy term on a text field, expanded here (see ``_fuzzy_words``)."""
        leaves = [leaf for leaf in t.walk(node)
                  if isinstance(leaf, t.Prefix | t.Wildcard | t.Fuzzy | t.TermRange)]
        if not leaves:
            return {}
        answers = self._answers([self._expansion_search(leaf) for leaf in leaves])
        total = 0
        words: dict[t.Node, list[str]] = {}
        for leaf, answer in zip(leaves, answers, strict=True):
            if isinstance(leaf, t.Fuzzy) and leaf.field in TEXT_FIELDS:
                words[leaf] = self._fuzzy_words(leaf, answer)
                count = len(words[leaf])
            else:
                count = self._expansion_count(leaf, answer)
                if count > MAX_EXPANSION:
                    raise too_many_words(tree_term_text(leaf))
            total += count
            if total > MAX_TOTAL_EXPANSION:
                raise too_many_words_together()
        return words

    def _sort(self, sort: str) -> list[dict]:
        if sort == "relevance":
            return [{"_score": "desc"}, {"id": "asc"}]
        order = "desc" if sort == "newest" else "asc"
        return [{"published": {"order": order, "missing": "_last"}}, {"id": "asc"}]

    def _facet_aggs(self, req: SearchRequest) -> dict:
        aggs: dict[str, dict] = {}
        for facet in FACETS:
            terms: dict = {"field": facet_field(facet), "size": req.facet_limit,
                           "order": [{"_count": "desc"}, {"_key": "asc"}],
                           **self._candidates(req.facet_limit)}
            if prefix := req.facet_prefix.get(facet, "").strip():
                terms["include"] = _prefix_include(prefix)
            aggs[f"top_{facet}"] = {"terms": terms}
            for i, value in enumerate(req.selected(facet)):
                aggs[f"sel_{facet}_{i}"] = {
                    "filter": {"term": {FACET_FIELDS[facet]: value.casefold()}},
                    "aggs": {"names": {"terms": {"field": facet_field(facet), "size": 50}}}}
        aggs["days"] = DAYS
        return aggs

    def _candidates(self, limit: int) -> dict[str, int]:
        """The ``shard_size`` of a facet's top ``limit`` values: on several shards (or
        before the shard count is known) each shard sends more candidates, so that the
        top values are seldom counted again (``_make_exact``). One shard's counts are
        exact with its default candidates, and the long list took half the server's time
        for a broad search on one shard (docs/BENCHMARKS.md, issue 11)."""
        return {} if self._shards == 1 else {"shard_size": max(1000, limit * 20)}

    def _make_exact(self, full: dict, req: SearchRequest, aggs: dict) -> None:
        """Count again, with every value of each shard, the facets whose counts OpenSearch
        says may be short (``doc_count_error_upper_bound`` > 0: a shard held more values
        than its ``shard_size``). Rare, and one more request when it happens, so that
        facet counts are exact on any number of shards."""
        short = [name for name, agg in aggs.items()
                 if name.startswith("top_") and agg.get("doc_count_error_upper_bound")]
        if not short:
            return
        asked = self._facet_aggs(req)
        again = {name: {"terms": dict(asked[name]["terms"], shard_size=EXACT_SHARD_SIZE)}
                 for name in short}
        resp = self.client.search(index=self.index, body={"size": 0, "query": full,
                                                          "aggs": again})
        aggs.update(resp["aggregations"])

    @staticmethod
    def _facet_values(facet: str, aggs: dict, req: SearchRequest) -> list[FacetValue]:
        wanted = {s.casefold() for s in req.selected(facet)}
        out = [FacetValue(b["key"], b["doc_count"], b["key"].casefold() in wanted)
               for b in aggs[f"top_{facet}"]["buckets"]]
        shown = {v.value.casefold() for v in out}
        for i, name in enumerate(req.selected(facet)):
            if name.casefold() in shown:
                continue
            sel = aggs[f"sel_{facet}_{i}"]
            display = next((b["key"] for b in sel["names"]["buckets"]
                            if b["key"].casefold() == name.casefold()), name)
            out.append(FacetValue(display, sel["doc_count"], True))
        return out

    @guarded
    def search(self, req: SearchRequest) -> SearchResult:
        """Run one search: hits for the page, facet counts and histogram, suggestion."""
        result = self._search(req)
        if (loose := relaxed_request(req, result)) is not None:
            result = with_relaxed(result, self._search(loose, suggest=False))
        return result

    def _search(self, req: SearchRequest, suggest: bool = True) -> SearchResult:
        started = time.perf_counter()
        user, full, expanded = self._tree(req)
        fold = req.fold_duplicates and not req.dupkey
        body: dict = {"query": full, "from": (req.page - 1) * req.limit,
                      "size": req.limit, "track_total_hits": True,
                      "sort": self._sort(req.sort), "_source": _HIT_SOURCE}
        if req.with_facets:
            body["aggs"] = self._facet_aggs(req)
        if fold:  # copies are counted in aggregations: inner_hits would re-run the query per hit
            body["collapse"] = {"field": "dupkey"}
            body.setdefault("aggs", {}).update(_story_aggs())
        body["timeout"] = f"{SEARCH_BUDGET_SECONDS:g}s"  # the server stops the search
        resp = self.client.search(index=self.index, body=body)
        if resp.get("timed_out"):
            raise timed_out(SEARCH_BUDGET_SECONDS)
        shards = self._note_shards(resp)
        total = resp["hits"]["total"]["value"]
        found_aggs = resp.get("aggregations", {})
        if req.with_facets:
            self._make_exact(full, req, found_aggs)
        raw_hits = resp["hits"]["hits"]
        copies: dict[str, int] = {}
        stories = 0 if fold else None
        if fold and total:
            copies, stories = _inline_stories(found_aggs, shards, total) or self._stories(
                full, total, [h["_source"].get("dupkey", "") for h in raw_hits])
        words = marked_words(user, expanded) if req.highlight and req.query.strip() else None
        hits = [self._hit(h, words, req, copies) for h in raw_hits]
        facets: dict[str, list[FacetValue]] = {}
        dates = DateHistogram("year", [])
        if req.with_facets:
            facets = {facet: self._facet_values(facet, found_aggs, req) for facet in FACETS}
            dates = timeline(self._day_arrays(found_aggs["days"]["buckets"]),
                             self._archive_days())
        suggestion = None
        if suggest and req.query.strip() and total < SUGGEST_BELOW:
            suggestion = self._suggest(req.query)
        return SearchResult(
            query=req.query, total=total, page=req.page, limit=req.limit, hits=hits,
            facets=facets, dates=dates,
            suggestion=suggestion, took_ms=(time.perf_counter() - started) * 1000,
            sort=req.sort, filters=req.filters, stories=stories)

    def _hit(self, raw: dict, words: dict | None, req: SearchRequest,
             copies: dict[str, int] | None = None) -> Hit:
        """One hit; ``copies`` maps a folded story's key to its matching copies."""
        src = raw["_source"]
        body, title = src.get("body_text", ""), src.get("title_text", "")
        shown, title_spans = Marked("", []), []
        if words is not None:
            shown = snippet(body, words["body"])
            title_spans = marks(title, words["title"])
        if not shown.text:
            shown = Marked(lead(body), [])
        similar = (copies or {}).get(src.get("dupkey", ""), 1) - 1
        score = raw.get("_score")
        return Hit(
            id=src["id"], title=title, published=_datetime(src.get("published")),
            source=_source_name(src), people=list(src.get("facet_people", [])),
            countries=list(src.get("facet_countries", [])),
            about=list(src.get("facet_about", [])),
            snippet=shown.text, snippet_spans=shown.spans, title_spans=title_spans,
            score=round(float(score), 4) if req.sort == "relevance" and score is not None
            else None,
            dupkey=src.get("dupkey", ""), similar=max(0, similar), url=src.get("url", ""),
            dateline=src.get("dateline", ""),
            organizations=list(src.get("facet_organizations", [])))

    def _stories(self, full: dict, total: int, keys: list[str]) -> tuple[dict[str, int], int]:
        """(matching copies of each story shown, the number of stories), in a request of
        their own, for a search whose own request could not count them
        (``_inline_stories``).

        Stories are counted exactly: distinct story keys in a ``terms`` aggregation as
        large as the matches (``cardinality`` is an estimate even below its precision
        threshold: 2,918 for 2,919 stories on 3,000 Reuters articles). Past
        ``MAX_EXACT_STORIES`` keys the ``cardinality`` estimate is returned
        (docs/engines.md)."""
        aggs: dict[str, dict] = {
            "page": {"terms": {"field": "dupkey", "include": sorted(set(keys)),
                               "size": max(1, len(set(keys)))}},
            "keys": {"terms": {"field": "dupkey", "size": min(total, MAX_EXACT_STORIES)}},
            "n": {"stats_bucket": {"buckets_path": "keys>_count"}}}
        if total > MAX_EXACT_STORIES:
            aggs["estimate"] = {"cardinality": {"field": "dupkey",
                                                "precision_threshold": 40_000}}
        found = self.client.search(index=self.index, body={
            "size": 0, "query": full, "aggs": aggs}, filter_path=[
            "aggregations.page.buckets", "aggregations.keys.sum_other_doc_count",
            "aggregations.n.count", "aggregations.estimate.value"])["aggregations"]
        copies = {b["key"]: b["doc_count"] for b in found.get("page", {}).get("buckets", [])}
        if found.get("keys", {}).get("sum_other_doc_count", 0):
            return copies, int(found["estimate"]["value"])
        return copies, int(found["n"]["count"])

    def _count(self, query: dict) -> int:
        return self.client.count(index=self.index, body={"query": query})["count"]

    def _best_spelling(self, word: str) -> str | None:
        lower = word.lower()
        maxdist = 1 if len(lower) <= 4 else 2
        resp = self.client.search(index=self.index, body={"size": 0, "suggest": {"w": {
            "text": lower, "term": {"field": "spell_body", "suggest_mode": "missing",
                                    "max_edits": maxdist, "prefix_length": 1,
                                    "string_distance": "damerau_levenshtein", "size": 20,
                                    "min_word_length": 3}}}})
        entries = resp.get("suggest", {}).get("w", [])
        options = [o for e in entries for o in e.get("options", [])]
        if not entries or not options:
            return None
        return min((OSA.distance(lower, o["text"]), -o["freq"], o["text"])
                   for o in options)[2]

    def _known(self, words) -> set[str]:
        """Which of these words the spelling field holds, in one request."""
        words = list(words)
        if not words:
            return set()
        resp = self.client.search(index=self.index, body={"size": 0, "aggs": {"w": {
            "filters": {"filters": {w: {"term": {"spell_body": w}} for w in words}}}}})
        buckets = resp["aggregations"]["w"]["buckets"]
        return {w for w, b in buckets.items() if b["doc_count"]}

    def _suggest(self, text: str) -> str | None:
        """A respelled query (see indexer/search/spelling.py), offered only if it finds
        something."""
        corrected = respell(text, self._known, self._best_spelling)
        if corrected is None:
            return None
        try:
            _, query, _ = self._tree(SearchRequest(query=corrected))
        except QueryError:
            return None
        return corrected if self._count(query) else None

    @guarded
    def timeline(self, req: SearchRequest, interval: str | None = None,
                 span: DateSpan | None = None) -> DateHistogram:
        """Matching articles per bucket beside all articles in the same bucket."""
        if interval is not None:
            check_interval(interval)
        _, full, _ = self._tree(req)
        resp = self.client.search(index=self.index, body={
            "size": 0, "query": full, "aggs": {"days": DAYS}})
        return timeline(self._day_arrays(resp["aggregations"]["days"]["buckets"]),
                        self._archive_days(), interval, span)

    def _archive_days(self) -> tuple[list[int], list[int]]:
        """Articles per day in the whole index: the timeline's "all articles" per bucket.

        It reads every document of the index, so it is a request of its own with size 0,
        which each shard answers from its request cache until its next refresh, and its
        answer is kept for the index's generation (read at most once a second), so a
        search pays no round trip for it while the index does not change. As a
        ``global`` aggregation inside every search it was recomputed each time: three
        quarters of a search's server time at 200,000 articles (docs/BENCHMARKS.md,
        issue 12), growing with the archive, not with the matches.
        """
        generation = self.generation
        if (kept := self._archive) is not None and kept[0] == generation:
            return kept[1]
        resp = self.client.search(index=self.index, body={"size": 0, "aggs": {"days": DAYS}},
                                  params={"request_cache": "true"})
        days = self._day_arrays(resp["aggregations"]["days"]["buckets"])
        self._archive = (generation, days)  # one tuple swap: safe across threads
        return days

    @staticmethod
    def _day_arrays(buckets: list[dict]) -> tuple[list[int], list[int]]:
        return [int(b["key"]) for b in buckets], [b["doc_count"] for b in buckets]

    @guarded
    def export(self, req: SearchRequest, cap: int = EXPORT_CAP) -> list[Hit]:
        """Every hit of a search (all pages, every filter honoured), up to ``cap``: pages of
        ``search_after``, so an export may go past the 10,000-hit result window."""
        _, full, _ = self._tree(req)
        body: dict = {"query": full, "sort": self._sort(req.sort),
                      "_source": _HIT_SOURCE, "track_total_hits": False}
        hits: list[Hit] = []
        while len(hits) < cap:
            body["size"] = min(_PAGE, cap - len(hits))
            raw = self.client.search(index=self.index, body=body)["hits"]["hits"]
            hits.extend(self._hit(h, None, req) for h in raw)
            if len(raw) < body["size"]:
                break
            body["search_after"] = raw[-1]["sort"]
        return hits

    @guarded
    def highlight_article(self, article: ArticleView,
                          query: str) -> tuple[list[Span], list[Span]]:
        """(title spans, body spans): the query's matches in ``article.title`` and
        ``article.body``."""
        user = parse_tree(query)  # refused as a search refuses it, with its message
        words = marked_words(user, self._check_expansions(user))
        return marks(article.title, words["title"]), marks(article.body, words["body"])

    def warm(self) -> None:
        """Nothing to read ahead: the server keeps its own caches."""

    # -- single articles ---------------------------------------------------------------

    def _source(self, article_id: str) -> dict | None:
        """The stored article, by a search on its id: a GET cannot name an alias over
        several indexes (a read alias over time-based indexes, docs/scaling.md §6)."""
        hits = self.client.search(index=self.index, body={
            "size": 1, "query": {"ids": {"values": [article_id]}}})["hits"]["hits"]
        return hits[0]["_source"] if hits else None

    @guarded
    def article(self, article_id: str) -> ArticleView | None:
        """The stored article with this id, or None."""
        f = self._source(article_id)
        if f is None:
            return None
        return ArticleView(
            id=f["id"], title=f.get("title_text", ""), body=f.get("body_text", ""),
            published=_datetime(f.get("published")), source=_source_name(f),
            url=f.get("url", ""), dateline=f.get("dateline", ""),
            authors=list(f.get("authors", [])), people=list(f.get("facet_people", [])),
            countries=list(f.get("facet_countries", [])),
            about=list(f.get("facet_about", [])), mentioned=list(f.get("mentioned", [])),
            category=f.get("category", ""),
            dupkey=f.get("dupkey", ""),
            organizations=list(f.get("facet_organizations", [])))

    @guarded
    def related(self, article_id: str, limit: int = 10) -> list[Hit]:
        """More like this, copies of the same story left out."""
        f = self._source(article_id)
        if f is None:
            raise KeyError(article_id)
        # As on Whoosh: the body's most distinctive words, and the headline's words
        # always (the headline states the subject; rare body words are often names).
        body = {"size": limit, "_source": _HIT_SOURCE, "query": {"bool": {
            "should": [
                {"more_like_this": {"fields": ["body"],
                                    "like": [{"doc": {"body": f.get("body_text", "")}}],
                                    "min_term_freq": 1, "min_doc_freq": 2,
                                    "max_query_terms": 12}},
                {"multi_match": {"query": indexed_text(f.get("title_text", "")),
                                 "fields": ["title^2", "body"], "boost": 3.0}}],
            "minimum_should_match": 1,
            "must_not": [{"term": {"dupkey": f.get("dupkey", article_id)}}]}}}
        raw = self.client.search(index=self.index, body=body)["hits"]["hits"]
        plain = SearchRequest(highlight=False, with_facets=False)
        return [self._hit(h, None, plain) for h in raw]

    # -- facets and stats --------------------------------------------------------------

    def _top(self, facet: str, limit: int, prefix: str = "") -> list[tuple[str, int]]:
        terms: dict = {"field": facet_field(facet), "size": limit,
                       "order": [{"_count": "desc"}, {"_key": "asc"}], **self._candidates(limit)}
        if prefix.strip():
            terms["include"] = _prefix_include(prefix)
        resp = self.client.search(index=self.index, body={
            "size": 0, "aggs": {"top": {"terms": terms}}})
        if "shard_size" not in terms and self._note_shards(resp) != 1:  # several: again
            return self._top(facet, limit, prefix)
        return [(b["key"], b["doc_count"]) for b in resp["aggregations"]["top"]["buckets"]]

    @guarded
    def facet_values(self, facet: str, prefix: str = "", limit: int = 10) -> list[FacetValue]:
        """Values of a facet over the whole index (autocomplete), most frequent first."""
        if facet not in FACETS:
            raise QueryError(f"unknown facet {facet!r}; facets are {', '.join(FACETS)}")
        return [FacetValue(v, c) for v, c in self._top(facet, limit, prefix)]

    @guarded
    def stats(self, limit: int = 10) -> ArchiveStats:
        """Document count, date span and top facet values over the whole index."""
        resp = self.client.search(index=self.index, body={
            "size": 0, "track_total_hits": True,
            "aggs": {"dated": {"filter": {"range": {"day": {"gt": 0}}},
                               "aggs": {"first": {"min": {"field": "day"}},
                                        "last": {"max": {"field": "day"}}}}}})
        dated = resp["aggregations"]["dated"]
        first = dated["first"]["value"]
        last = dated["last"]["value"]
        settings = self.client.indices.get_settings(index=self.index)
        index_settings = next(iter(settings.values()))["settings"]["index"]
        return ArchiveStats(
            index=self.location.url, documents=resp["hits"]["total"]["value"],
            first=date.fromordinal(int(first)) if first else None,
            last=date.fromordinal(int(last)) if last else None,
            with_date=dated["doc_count"],
            top={facet: [FacetValue(v, c) for v, c in self._top(facet, limit)]
                 for facet in FACETS},
            shards=int(index_settings["number_of_shards"]),
            replicas=int(index_settings["number_of_replicas"]))

    @guarded
    def merged_forms(self, person: str) -> list[tuple[str, int]]:
        """From the side index's forms entry of the person."""
        resp = self.client.search(index=side_index(self.index), ignore=[404], body={
            "size": 100, "query": {"ids": {"values": [f"{FORMS}:{name_key(person)}"]}}})
        merged: Counter = Counter()  # one entry per index behind a read alias
        for hit in resp.get("hits", {}).get("hits", []):
            merged.update(dict(forms_of(hit["_source"].get("forms"))))
        return forms_of({"forms": merged})

    @guarded
    def latest_added(self) -> datetime | None:
        """A max aggregation over ``added``; an index whose mapping lacks the field was
        made before it."""
        mapping = self.client.indices.get_mapping(index=self.index)
        if not all(ADDED in m["mappings"].get("properties", {}) for m in mapping.values()):
            raise added_unavailable(self.location.url)
        resp = self.client.search(index=self.index, body={
            "size": 0, "aggs": {"last": {"max": {"field": ADDED}}}})
        last = resp["aggregations"]["last"]["value"]
        return None if last is None else to_moment(int(last))

    @property
    def generation(self) -> int:
        """Changes whenever the index's documents change (refreshed by the server); read
        at most every GENERATION_SECONDS (one tuple swap: safe across threads)."""
        now = time.monotonic()
        if (cached := self._generation) is not None and now - cached[0] < GENERATION_SECONDS:
            return cached[1]
        try:
            stats = self.client.indices.stats(index=self.index, metric="indexing,docs")
        except Exception as exc:  # noqa: BLE001 - any failure means "unreachable" here
            raise unavailable(self.location, exc) from None
        primaries = stats["_all"]["primaries"]
        generation = int(primaries["indexing"]["index_total"]) + int(primaries["docs"]["deleted"])
        self._generation = (now, generation)
        return generation

    # -- exact counts for indexer.insights ---------------------------------------------

    def _aggregated(self, full: dict, aggs: dict) -> tuple[int, dict]:
        """(matching documents, the aggregations) of one request."""
        resp = self._answered(full, aggs)
        return resp["hits"]["total"]["value"], resp.get("aggregations", {})

    def _answered(self, full: dict, aggs: dict) -> dict:
        """The response to one aggregations-only request; notes how many shards answered
        (``_shards.total``: one copy of each shard), which decides how exact counts are
        asked for (``_frequent_aggs``)."""
        resp = self.client.search(index=self.index, body={
            "size": 0, "track_total_hits": True, "query": full, "aggs": aggs,
            "timeout": f"{SEARCH_BUDGET_SECONDS:g}s"})
        if resp.get("timed_out"):
            raise timed_out(SEARCH_BUDGET_SECONDS)
        self._note_shards(resp)
        return resp

    def _note_shards(self, resp: dict) -> int | None:
        """How many shards answered ``resp`` (one copy of each), kept for the next
        request's shape (``_candidates``, ``_frequent_aggs``)."""
        shards = int(resp.get("_shards", {}).get("total", 0)) or None
        self._shards = shards
        return shards

    @staticmethod
    def _filter(facet: str, value: str) -> dict:
        """The filter of a facet value, as the search's filters match it (any letter case)."""
        return {"term": {FACET_FIELDS[facet]: value.casefold()}}

    @guarded
    def facet_counts(self, req: SearchRequest, facet: str, values: Sequence[str] | None = None,
                     min_count: int = 1) -> FacetCounts:
        """Exact counts: one ``terms`` aggregation on the field filters match (lowercase,
        so letter-case variants are one value, as for a filter) that includes exactly the
        values and is sized to all of them, so every shard reports each value it holds
        and the sums are exact. Without values: ``_most_frequent``."""
        check_facet(facet)
        _, full, _ = self._tree(req)
        if values is None:
            return self._most_frequent(req, full, facet, max(1, min_count))
        keys = sorted({v.casefold() for v in values})
        total, aggs = self._aggregated(full, {"v": {"terms": {
            "field": FACET_FIELDS[facet], "include": keys, "size": len(keys)}}} if keys else {})
        found = {b["key"]: b["doc_count"] for b in aggs.get("v", {}).get("buckets", [])}
        return FacetCounts(facet, total, {v: found.get(v.casefold(), 0) for v in values})

    @guarded
    def most_frequent(self, req: SearchRequest, facets: Sequence[str],
                      min_count: int = 1) -> dict[str, FacetCounts]:
        """Every facet's ``_frequent_aggs`` side by side in one request."""
        for facet in facets:
            check_facet(facet)
        _, full, _ = self._tree(req)
        return self._counted(req, full, facets, max(1, min_count))

    def _most_frequent(self, req: SearchRequest, full: dict, facet: str,
                       min_count: int) -> FacetCounts:
        """The values most matches hold, in one request (``_frequent``)."""
        return self._counted(req, full, [facet], min_count)[facet]

    def _counted(self, req: SearchRequest, full: dict, facets: Sequence[str], min_count: int,
                 fresh: bool = False) -> dict[str, FacetCounts]:
        """``_frequent`` of each facet from one request. Asked again (once) when the
        request was shaped for one shard and several answered, or when counted values
        were missing from the spellings (written since they were read): their spellings
        are looked up (``Spellings.complete``) and the count asked again (``fresh``)."""
        spelled = {facet: self._spellings.of(self.client, self.index, facet_field(facet),
                                             facet) for facet in facets}
        one_shard = self._shards in (None, 1)  # as most indices are; checked below
        aggs: dict[str, dict] = {}
        for facet in facets:
            aggs.update(self._frequent_aggs(facet, min_count, spelled[facet], one_shard))
        resp = self._answered(full, aggs)
        if one_shard and self._shards not in (None, 1):
            return self._counted(req, full, facets, min_count, fresh)
        total, found = resp["hits"]["total"]["value"], resp.get("aggregations", {})
        names = {facet: self._names(facet, found, spelled[facet]) for facet in facets}
        missing = {facet: [k for k, name in names[facet].items() if name is None]
                   for facet in facets}
        if not fresh and any(missing.values()):
            for facet in facets:
                if missing[facet]:
                    self._spellings.complete(self.client, self.index, facet_field(facet),
                                             FACET_FIELDS[facet], facet, missing[facet])
            return self._counted(req, full, facets, min_count, fresh=True)
        return {facet: self._frequent(req, facet, total, found[f"v_{facet}"], names[facet],
                                      min_count) for facet in facets}

    @staticmethod
    def _frequent_aggs(facet: str, min_count: int, spelled: Spelled,
                       one_shard: bool) -> dict[str, dict]:
        """A ``terms`` aggregation on the field filters match (named after the facet, so
        that several facets share one request) and, if the facet has values spelled
        several ways, one counting only those spellings among the matches.

        Ordered by count alone: OpenSearch breaks ties by key (ascending ordinals), as a
        compound ``_count``, ``_key`` order does, but without looking up the terms of
        every bucket it compares (measured: half the aggregation's time on Reuters). On
        one shard, the shard leaves out the values under ``min_count`` itself
        (``shard_min_doc_count``; on several, a value under it on each shard could still
        reach it in the sum, so every shard reports up to ``shard_size`` values)."""
        terms: dict = {"field": FACET_FIELDS[facet], "size": MAX_COUNTED_VALUES,
                       "min_doc_count": min_count, "order": {"_count": "desc"}}
        if one_shard:
            terms["shard_min_doc_count"] = min_count
        else:
            terms["shard_size"] = 5 * MAX_COUNTED_VALUES
        aggs = {f"v_{facet}": {"terms": terms}}
        if spellings := several(spelled):
            aggs[f"spelled_{facet}"] = {"terms": {"field": facet_field(facet),
                                                  "include": spellings, "size": len(spellings)}}
        return aggs

    @staticmethod
    def _names(facet: str, aggs: dict, spelled: Spelled) -> dict[str, str | None]:
        """Each counted value as shown: its one spelling in the index, or, spelled several
        ways, the spelling most frequent among the matches (None: not known)."""
        shown: dict[str, str] = {}
        for bucket in aggs.get(f"spelled_{facet}", {}).get("buckets", []):
            shown.setdefault(folded(bucket["key"]), bucket["key"])  # most frequent first
        names: dict[str, str | None] = {}
        for bucket in aggs[f"v_{facet}"]["buckets"]:
            key = bucket["key"]
            spellings = spelled.get(key, ())
            names[key] = spellings[0] if len(spellings) == 1 else shown.get(key)
        return names

    def _frequent(self, req: SearchRequest, facet: str, total: int, terms: dict,
                  names: dict[str, str | None], min_count: int) -> FacetCounts:
        """The values most matches hold, from ``_frequent_aggs``: counts exact when
        OpenSearch reports no possible error (one shard, or no shard's list cut short),
        counted again the exact way when an error is possible. A value whose spelling is
        not known even after looking it up (``Spellings.complete``) is shown as filtered
        (lowercase)."""
        shown = {key: name or key for key, name in names.items()}
        if terms.get("doc_count_error_upper_bound"):
            found = self.facet_counts(req, facet, list(shown.values())).counts
        else:
            found = {shown[b["key"]]: b["doc_count"] for b in terms["buckets"]}
        kept = sorted(((v, c) for v, c in found.items() if c >= min_count),
                      key=lambda vc: (-vc[1], vc[0]))
        return FacetCounts(facet, total, dict(kept))

    @guarded
    def cooccurrence(self, req: SearchRequest,
                     items: Sequence[tuple[str, str]]) -> dict[tuple[int, int], int]:
        """Exact pair counts from one ``adjacency_matrix`` aggregation (a bucket per pair
        of filters that share documents; counts are summed over shards, never estimated)."""
        check_items(items)
        if not items:
            return {}
        _, full, _ = self._tree(req)
        # Zero-padded names: the matrix names a pair "a&b" in name order, = item order.
        filters = {f"{i:03d}": self._filter(facet, value) for i, (facet, value) in enumerate(items)}
        _, aggs = self._aggregated(full, {"m": {"adjacency_matrix": {"filters": filters}}})
        out: dict[tuple[int, int], int] = {}
        for bucket in aggs["m"]["buckets"]:
            names = bucket["key"].split("&")
            if len(names) == 2 and bucket["doc_count"]:
                i, j = sorted(int(n) for n in names)
                out[(i, j)] = bucket["doc_count"]
        return out
