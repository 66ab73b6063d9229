"""OpenSearch facet counts are exact, also on an index of several shards: every terms
aggregation reports ``doc_count_error_upper_bound`` 0, and each count equals a brute-force
count over every matching article."""

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
    full = sharded._tree(req)[1]
    resp = sharded.client.search(index=sharded.index, body={
        "size": 0, "query": full, "aggs": sharded._facet_aggs(req)})
    for facet in FACETS:
        assert resp["aggregations"][f"top_{facet}"]["doc_count_error_upper_bound"] == 0
    hits = sharded.export(req, cap=5000)
    brute = {"people": Counter(p for h in hits for p in h.people),
             "countries": Counter(c for h in hits for c in h.countries),
             "about": Counter(a for h in hits for a in h.about),
             "sources": Counter(h.source for h in hits)}
    result = sharded.search(req)
    assert result.total == len(hits)
    for facet in FACETS:
        assert [(v.value, v.count) for v in result.facets[facet]] == \
            sorted(brute[facet].items(), key=lambda kv: (-kv[1], kv[0]))[:25]
