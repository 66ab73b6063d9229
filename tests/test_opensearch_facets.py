"""OpenSearch facet counts are exact, also on an index of several shards: each count
equals a brute-force count over every matching article, and a facet whose first count
may be short (``doc_count_error_upper_bound`` > 0) is counted again with every value."""

from __future__ import annotations

import os
from collections import Counter

import pytest

from indexer.build import copy_index
from indexer.search.engine import open_engine
from indexer.search.model import FACETS, SearchRequest
from tests.conftest import drop_opensearch_index


@pytest.fixture(scope="module")
def sharded(reuters_index, opensearch_url):
    location = f"{opensearch_url}/test-sharded-{os.getpid()}"
    copy_index(reuters_index, location, rebuild=True, shards=3)
    yield open_engine(location)
    drop_opensearch_index(location)


@pytest.mark.parametrize("query", ["", "oil", "coffee OR cocoa", "country:japan"])
def test_facet_counts_are_exact_on_three_shards(sharded, query):
    req = SearchRequest(query=query, facet_limit=25, fold_duplicates=False)
    hits = sharded.export(req, cap=5000)
    brute = {facet: Counter(v for h in hits
                            for v in ([h.source] if facet == "sources" else getattr(h, facet)))
             for facet in FACETS}
    result = sharded.search(req)
    assert result.total == len(hits)
    for facet in FACETS:
        assert [(v.value, v.count) for v in result.facets[facet]] == \
            sorted(brute[facet].items(), key=lambda kv: (-kv[1], kv[0]))[:25], facet


def test_a_count_that_may_be_short_is_counted_again(sharded, monkeypatch):
    """With 3 shards a shard may hold more values than it reports (OpenSearch's
    ``doc_count_error_upper_bound``); those facets are counted again with every value."""
    from indexer.engines.opensearch import engine as os_engine

    monkeypatch.setattr(sharded, "_facet_aggs", _small_shards(sharded._facet_aggs))
    asked: list[dict] = []
    real = sharded.client.search

    def search(**kwargs):
        asked.append(kwargs["body"])
        return real(**kwargs)
    monkeypatch.setattr(sharded.client, "search", search)
    result = sharded.search(SearchRequest(query="", facet_limit=25, fold_duplicates=False))
    again = [b for b in asked if b.get("size") == 0 and "aggs" in b
             and all(a["terms"].get("shard_size") == os_engine.EXACT_SHARD_SIZE
                     for a in b["aggs"].values())]
    assert again, "no facet was counted again"
    monkeypatch.undo()
    assert result.facets == sharded.search(
        SearchRequest(query="", facet_limit=25, fold_duplicates=False)).facets


@pytest.mark.parametrize("query", ["oil", "coffee OR cocoa"])
def test_the_sidebars_counts_are_exact_on_three_shards(sharded, query):
    """On several shards a value held by few matches on each shard can still reach the
    minimum count in the sum: the sidebar's counts are asked the multi-shard way (every
    shard reports its values) and equal a count over every match."""
    from indexer.insights.correlated import MIN_COUNT, NAME_FACETS
    from tests.test_correlated import brute_most_frequent

    req = SearchRequest(query=query)
    found = sharded.most_frequent(req, NAME_FACETS, min_count=MIN_COUNT)
    for facet in NAME_FACETS:
        assert found[facet].counts == brute_most_frequent(sharded, req, facet, MIN_COUNT), facet


def _small_shards(facet_aggs):
    """The engine's facet aggregations with each shard reporting only 30 values."""
    def aggs(req):
        out = facet_aggs(req)
        for name, agg in out.items():
            if name.startswith("top_"):
                agg["terms"]["shard_size"] = 30
        return out
    return aggs
