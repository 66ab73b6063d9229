"""Correlated names ("Unusually often in these results"): exact counts, a score anyone can
recompute from them, the minimum count, and the API, CLI and page on both engines."""

from __future__ import annotations

import json
import math
import threading
from collections import Counter

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.insights.correlated import (
    MIN_COUNT,
    NAME_FACETS,
    _contenders,
    correlated,
    search_with_sidebar,
    sidebar,
)
from indexer.search.facets import BY_NAME
from indexer.search.model import FACET_FIELDS, MAX_COUNTED_VALUES, QueryError, SearchRequest

QUERIES = ["coffee", "oil prices", "bank", "country:japan"]


def total(engine, **fields) -> int:
    return engine.search(SearchRequest(limit=1, highlight=False, **fields)).total


def expected_g2(k: int, n: int, b: int, archive: int) -> float:
    """G² = 2 Σ O ln(O / E) over the 2x2 table, E from the margins (textbook form)."""
    observed = [k, n - k, b - k, archive - n - b + k]
    expected = [n * b / archive, n * (archive - b) / archive,
                (archive - n) * b / archive, (archive - n) * (archive - b) / archive]
    return 2 * sum(o * math.log(o / e) for o, e in zip(observed, expected, strict=True) if o)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("facet", NAME_FACETS)
def test_counts_are_the_totals_of_the_search_filtered_by_the_name(reuters_engine, query, facet):
    found = correlated(reuters_engine, SearchRequest(query=query), facet, limit=8)
    assert found, f"nothing unusual in {query!r} for {facet}"
    for item in found:
        assert item.count == total(reuters_engine, query=query, **{facet: (item.value,)})
        assert item.background == total(reuters_engine, **{facet: (item.value,)})


@pytest.mark.parametrize("query", QUERIES)
def test_scores_are_reproducible_from_the_counts(reuters_engine, query):
    n = total(reuters_engine, query=query)
    archive = total(reuters_engine)
    for facet in NAME_FACETS:
        found = correlated(reuters_engine, SearchRequest(query=query), facet, limit=20)
        for item in found:
            assert item.score == pytest.approx(expected_g2(item.count, n, item.background,
                                                           archive), abs=1e-3)
            assert item.count / n > item.background / archive  # over-represented only
        assert [i.score for i in found] == sorted((i.score for i in found), reverse=True)


def test_a_name_concentrated_in_the_results_outranks_a_common_one(reuters_engine):
    found = {c.value: c for c in correlated(reuters_engine, SearchRequest(query="coffee"),
                                            "countries", limit=20)}
    # Colombia: most of its articles are about coffee; the UK is everywhere.
    assert found["Colombia"].score > found["United Kingdom"].score
    assert found["Colombia"].count < found["United Kingdom"].count


def test_the_minimum_count_keeps_one_off_names_out(reuters_engine):
    req = SearchRequest(query="coffee")
    loose = correlated(reuters_engine, req, "people", limit=100, min_count=1)
    assert any(c.count < MIN_COUNT for c in loose)  # the option has something to remove
    strict = correlated(reuters_engine, req, "people", limit=100)
    assert strict and all(c.count >= MIN_COUNT for c in strict)
    assert [c for c in loose if c.count >= MIN_COUNT] == strict
    assert all(c.count >= 5 for c in correlated(reuters_engine, req, "countries",
                                                limit=100, min_count=5))


@pytest.mark.parametrize("query", ["oil", "bank"])
def test_the_few_listed_are_the_highest_scores_of_every_name_counted(reuters_engine, query):
    """A broad search counts thousands of names over the minimum; the five the page shows
    are the best five of all of them, by the formula recomputed for every one."""
    req = SearchRequest(query=query)
    n, archive = total(reuters_engine, query=query), total(reuters_engine)
    for facet in NAME_FACETS:
        counts = reuters_engine.facet_counts(req, facet, min_count=MIN_COUNT).counts
        background = reuters_engine.facet_counts(SearchRequest(), facet, list(counts)).counts
        every = sorted((expected_g2(c, n, background[v], archive) for v, c in counts.items()
                        if c * archive > background[v] * n), reverse=True)
        listed = correlated(reuters_engine, req, facet, limit=5)
        assert [i.score for i in listed] == pytest.approx(every[:5], abs=1e-3), facet


def test_a_name_tied_after_rounding_is_scored_with_its_rival():
    """Scores are rounded to 4 places and a tie goes to the larger count: a name whose
    unrounded score is a hair lower (A: 5.001551 against B's 5.001639, both 5.0016) must
    still be among those scored one by one, or B would be listed in its place."""
    counts, background = {"A": 28, "B": 7, "C": 4}, {"A": 1830, "B": 267, "C": 300}
    assert {"A", "B"} <= set(_contenders(list(counts), counts, background, 200, 20000, 1))


def test_limit_is_honoured_and_the_whole_archive_is_not_unusual(reuters_engine):
    assert len(correlated(reuters_engine, SearchRequest(query="oil"), "countries", 3)) == 3
    assert correlated(reuters_engine, SearchRequest(), "people") == []


@pytest.mark.parametrize(("facet", "limit", "min_count"),
                         [("nope", 10, 3), ("people", 0, 3), ("people", 101, 3),
                          ("people", 10, 0)])
def test_bad_options_are_refused_with_a_message(reuters_engine, facet, limit, min_count):
    with pytest.raises(QueryError):
        correlated(reuters_engine, SearchRequest(query="oil"), facet, limit, min_count)


class CountingEngine:
    """An engine whose whole-archive count requests are counted."""

    def __init__(self, engine) -> None:
        self.engine = engine
        self.background_calls = 0

    def __getattr__(self, name):
        return getattr(self.engine, name)

    def facet_counts(self, req, facet, values=None, min_count=1):
        if req == SearchRequest():
            self.background_calls += 1
        return self.engine.facet_counts(req, facet, values, min_count)


def test_background_counts_are_asked_once_per_generation(reuters_engine):
    counting = CountingEngine(reuters_engine)
    req = SearchRequest(query="cocoa")
    first = sidebar(counting, req)
    asked = counting.background_calls
    assert sidebar(counting, req) == first
    assert counting.background_calls == asked  # the second page view: all cached


def test_the_sidebar_reuses_the_searchs_matches_on_whoosh(reuters_index, monkeypatch):
    """The block's work is bounded: after the page's search, no query is matched again."""
    from indexer.engines.whoosh import engine as whoosh_engine
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_index)
    calls = []
    original = whoosh_engine._Snapshot.matches
    monkeypatch.setattr(whoosh_engine._Snapshot, "matches",
                        lambda self, q, budget=None: calls.append(q) or original(self, q, budget))
    req = SearchRequest(query="sugar exports")
    sidebar(engine, req)  # fills the background cache
    engine.search(req)  # matches the query (twice when it relaxes a short result list)
    calls.clear()
    sidebar(engine, req)
    assert calls == []


def test_the_sidebar_lists_what_each_facet_lists_alone(reuters_engine):
    """The block counts every name facet at once; each list is the facet's own."""
    req = SearchRequest(query="oil prices")
    block = sidebar(reuters_engine, req)
    assert block
    for facet in NAME_FACETS:
        assert block.get(facet, []) == correlated(reuters_engine, req, facet, limit=5)


def test_the_page_gets_the_search_and_the_block_it_would_get_one_after_the_other(reuters_engine):
    """However the page's two asks are scheduled, it shows what each answers alone."""
    req = SearchRequest(query="sugar exports")
    result, block = search_with_sidebar(reuters_engine, req)
    alone = reuters_engine.search(req)
    assert (result.total, [h.id for h in result.hits]) == (alone.total, [h.id for h in alone.hits])
    assert block == sidebar(reuters_engine, req) and block


@pytest.mark.opensearch
def test_the_sidebars_request_is_sent_while_the_search_runs_on_opensearch(reuters_os,
                                                                          monkeypatch):
    """On a server the block's request overlaps the search: the search here waits until
    the sidebar's request has gone out, which never happens if they are sent in turn."""
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_os)
    req = SearchRequest(query="sugar exports")
    sidebar(engine, req)  # background counts cached, as on a running server
    sent = threading.Event()
    real_send, real_search = engine.client.search, engine.search

    def send(**kwargs):
        if threading.current_thread() is not threading.main_thread():
            sent.set()
        return real_send(**kwargs)

    def search(request):
        assert sent.wait(10), "the sidebar's request was not sent during the search"
        return real_search(request)

    monkeypatch.setattr(engine.client, "search", send)
    monkeypatch.setattr(engine, "search", search)
    result, block = search_with_sidebar(engine, req)
    assert result.total and block


def test_on_whoosh_the_block_follows_the_search_in_its_thread(reuters_index, monkeypatch):
    """Whoosh's work is this process's CPU: the block runs after the search, in the
    page's thread, where it counts the matches the search just found."""
    from indexer.engines.whoosh import engine as whoosh_engine
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_index)
    threads = []
    original = whoosh_engine._Snapshot.matches
    monkeypatch.setattr(whoosh_engine._Snapshot, "matches", lambda self, q, budget=None: (
        threads.append(threading.current_thread()), original(self, q, budget))[1])
    assert search_with_sidebar(engine, SearchRequest(query="sugar exports"))[1]
    assert threads and set(threads) == {threading.current_thread()}


class CountedRequests:
    """Counts the requests an OpenSearch engine's client sends to the node."""

    def __init__(self, engine, monkeypatch) -> None:
        self.paths: list[str] = []
        transport = engine.client.transport
        original = transport.perform_request
        monkeypatch.setattr(transport, "perform_request", lambda method, url, *a, **k: (
            self.paths.append(url), original(method, url, *a, **k))[1])


@pytest.mark.opensearch
def test_the_sidebar_is_one_request_to_opensearch(reuters_os, monkeypatch):
    """After the page's search, the block asks the node once: every name facet's counts
    in one request; the background is cached and the generation read once a second."""
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_os)
    req = SearchRequest(query="sugar exports")
    sidebar(engine, req)  # fills the background cache
    sent = CountedRequests(engine, monkeypatch)
    assert sidebar(engine, req)
    assert len(sent.paths) == 1 and sent.paths[0].endswith("/_search")


def brute_most_frequent(engine, req: SearchRequest, facet: str, min_count: int) -> dict:
    """Every value at least ``min_count`` matches hold, counted over the exported matches:
    letter-case variants as one value (as a filter matches them), shown as spelled most
    often among the matches (ties: the first in sorted order)."""
    hits = engine.export(SearchRequest(query=req.query, fold_duplicates=False), cap=5000)
    docs: Counter = Counter()
    spellings: dict[str, Counter] = {}
    for hit in hits:
        names = getattr(hit, facet)
        for key in {n.casefold() for n in names}:
            docs[key] += 1
        for name in set(names):
            spellings.setdefault(name.casefold(), Counter())[name] += 1
    shown = {k: min(c, key=lambda s: (-c[s], s)) for k, c in spellings.items()}
    return dict(sorted(((shown[k], n) for k, n in docs.items() if n >= min_count),
                       key=lambda vc: (-vc[1], vc[0])))


@pytest.mark.parametrize("query", ["oil", "coffee OR cocoa", 'person:"herman de croo"'])
def test_most_frequent_counts_every_match_exactly(reuters_engine, query):
    """The sidebar's counts (``Engine.most_frequent``) equal a count over every match,
    spellings included, for each name facet in one call."""
    req = SearchRequest(query=query)
    found = reuters_engine.most_frequent(req, NAME_FACETS, min_count=MIN_COUNT)
    for facet in NAME_FACETS:
        assert found[facet].counts == brute_most_frequent(reuters_engine, req, facet,
                                                          MIN_COUNT), facet


@pytest.mark.opensearch
def test_the_sidebars_request_lists_no_more_values_than_it_counts(reuters_os, monkeypatch):
    """The work is bounded by what the block can use: each aggregation of the sidebar's
    request is a count of at most MAX_COUNTED_VALUES values on the field filters match,
    or of the few spellings of values spelled several ways (the index's spellings are
    read once per generation), never a list of every spelling among the matches."""
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_os)
    req = SearchRequest(query="oil")
    sidebar(engine, req)  # background counts and spellings read
    bodies: list[dict] = []
    real = engine.client.search
    monkeypatch.setattr(engine.client, "search",
                        lambda **kw: bodies.append(kw["body"]) or real(**kw))
    assert sidebar(engine, req)
    [body] = bodies
    assert {f"v_{facet}" for facet in NAME_FACETS} <= set(body["aggs"])
    for name, agg in body["aggs"].items():
        terms = agg["terms"]
        assert terms["size"] <= MAX_COUNTED_VALUES, name
        assert terms["field"] in FACET_FIELDS.values() or (
            isinstance(terms.get("include"), list) and terms["size"] == len(terms["include"]))


@pytest.mark.opensearch
def test_a_name_written_after_the_spellings_were_read_is_looked_up_on_its_own(reuters_os,
                                                                             monkeypatch):
    """The index's spellings are read once and kept (an archive being written gets a new
    generation every second; reading every value again each time cost a second a page).
    A counted value they lack is looked up by itself, once: the counts, the look-up, the
    counts again; the next request is one again."""
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_os)
    req = SearchRequest(query='person:"herman de croo"')
    first = engine.most_frequent(req, ["people"])["people"].counts
    assert "Herman De Croo" in first
    read_at, known = engine._spellings._read["people"]
    del known["herman de croo"]  # as if the name had been written after the read
    sent = CountedRequests(engine, monkeypatch)
    assert engine.most_frequent(req, ["people"])["people"].counts == first
    assert len(sent.paths) == 3  # the counts, the look-up of that one name, the counts
    assert engine._spellings._read["people"][0] == read_at  # no whole read again
    sent.paths.clear()
    assert engine.most_frequent(req, ["people"])["people"].counts == first
    assert len(sent.paths) == 1


@pytest.mark.opensearch
def test_the_opensearch_generation_is_read_again_after_a_second(reuters_os, monkeypatch):
    from indexer.engines.opensearch import engine as os_engine
    from indexer.search.engine import open_engine

    engine = open_engine(reuters_os)
    now = [1000.0]
    monkeypatch.setattr(os_engine.time, "monotonic", lambda: now[0])
    sent = CountedRequests(engine, monkeypatch)
    first = engine.generation
    now[0] += os_engine.GENERATION_SECONDS / 2
    assert engine.generation == first and len(sent.paths) == 1
    now[0] += os_engine.GENERATION_SECONDS
    assert engine.generation == first and len(sent.paths) == 2


# -- JSON API, page and CLI ------------------------------------------------------------

def test_api_returns_the_documented_shape(reuters_web, reuters_engine):
    resp = reuters_web.get("/api/correlated?q=coffee&facet=countries&limit=3")
    assert resp.status_code == 200
    data = resp.get_json()
    assert len(data) == 3
    assert all(list(item) == ["value", "count", "background", "score"] for item in data)
    assert data == [c.to_json() for c in correlated(reuters_engine, SearchRequest(query="coffee"),
                                                    "countries", 3)]


def test_api_honours_the_searchs_filters(reuters_web, reuters_engine):
    data = reuters_web.get("/api/correlated?q=prices&country=Brazil&facet=people"
                           "&min_count=2").get_json()
    assert data
    for item in data:
        assert item["count"] >= 2
        assert item["count"] == total(reuters_engine, query="prices", countries=("Brazil",),
                                      people=(item["value"],))


@pytest.mark.parametrize("query", ["facet=nope", "limit=0", "limit=101", "limit=ten",
                                   "min_count=0", "q=(coffee", "q=coffee%22",
                                   "facet=people&facet=countries", "from=1987-13"])
def test_api_bad_input_is_a_400_with_a_message(reuters_web, query):
    resp = reuters_web.get(f"/api/correlated?{query}")
    assert resp.status_code == 400
    assert resp.get_json()["error"]["message"]


def test_search_page_shows_the_block_with_links_that_filter(reuters_web, reuters_engine):
    html = reuters_web.get("/?q=coffee").get_data(as_text=True)
    assert "Unusually often in these results" in html
    top = correlated(reuters_engine, SearchRequest(query="coffee"), "countries", 5)[0]
    assert "person=" in html and f"country={top.value}" in html
    assert "Unusually often" not in reuters_web.get("/").get_data(as_text=True)


def test_cli_prints_the_same_as_the_api(reuters_location, reuters_web):
    runner = CliRunner()
    out = runner.invoke(main, ["correlated", "coffee", "--index", reuters_location,
                               "--facet", "countries", "--limit", "4", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == reuters_web.get(
        "/api/correlated?q=coffee&facet=countries&limit=4").get_json()
    table = runner.invoke(main, ["correlated", "coffee", "--index", reuters_location,
                                 "--facet", "countries", "--limit", "4"])
    assert table.exit_code == 0 and "Colombia" in table.output
    assert table.output.splitlines()[0].split() == ["score", "results", "archive", "countries"]


@pytest.mark.parametrize("args", [["--facet", "nope"], ["--limit", "0"], ["--min-count", "0"],
                                  ["--limit", "500"]])
def test_cli_bad_options_exit_2(reuters_location, args):
    out = CliRunner().invoke(main, ["correlated", "coffee", "--index", reuters_location, *args])
    assert out.exit_code == 2
    assert "Error" in out.output and "Traceback" not in out.output


def test_cli_malformed_query_exits_2(reuters_location):
    out = CliRunner().invoke(main, ["correlated", "(coffee", "--index", reuters_location])
    assert out.exit_code == 2 and "parenthes" in out.output


def test_name_facets_come_from_the_registry():
    assert set(NAME_FACETS) <= set(BY_NAME)
    assert {"people", "countries"} <= set(NAME_FACETS)


def test_spellings_differing_only_in_case_count_as_a_filter_counts_them(reuters_engine):
    """The subset spells one minister "Herman De Croo" and "Herman de Croo"; a filter on
    either matches both, so the exact counts merge them too. (Since the archive step of
    issue 13 the index holds them as one value already: the counts must still be the
    filter's.)"""
    spellings = [v.value for v in reuters_engine.facet_values("people", "croo", 10)]
    assert spellings == ["Herman De Croo"]  # tests/test_people_archive.py: variants merge
    counts = reuters_engine.facet_counts(SearchRequest(), "people", spellings).counts
    for name in spellings:
        assert counts[name] == total(reuters_engine, people=(name,))
    query = 'person:"herman de croo"'
    listed = reuters_engine.facet_counts(SearchRequest(query=query), "people").counts
    croo = [v for v in listed if v.casefold() == "herman de croo"]
    assert croo == ["Herman De Croo"]  # one entry, in its most frequent spelling
    assert listed["Herman De Croo"] == total(reuters_engine, query=query)
