"""An indexing run that creates an OpenSearch index fills it with refreshes off (nothing
searches it before the run's commit, and each refresh leaves the server a segment to
merge), and the commit leaves it refreshing like any serving index."""

from __future__ import annotations

import os

from opensearchpy import OpenSearch

from indexer.build import build_index
from indexer.engines.opensearch.mapping import REFRESH_INTERVAL
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import REPO, drop_opensearch_index


def refresh_settings(base: str, name: str) -> dict[str, str]:
    """The refresh interval of every concrete index of a newsearch index name."""
    settings = OpenSearch([base]).indices.get_settings(index=f"{name}-*",
                                                       name="index.refresh_interval")
    return {index: s["settings"]["index"]["refresh_interval"]
            for index, s in settings.items() if not index.endswith("-words")}


def test_a_new_index_loads_without_refreshes_and_serves_after_the_commit(opensearch_url):
    name = f"test-bulkload-{os.getpid()}"
    location = f"{opensearch_url}/{name}"
    during: list[dict[str, str]] = []
    try:
        build_index([REPO / "corpus"], location, rebuild=True,
                    on_file=lambda _rel: during.append(refresh_settings(opensearch_url, name)))
        assert during and all(set(seen.values()) == {"-1"} for seen in during)
        assert set(refresh_settings(opensearch_url, name).values()) == {REFRESH_INTERVAL}
        engine = open_engine(location)
        assert engine.search(SearchRequest(query="missile")).total > 0
        # an update of the serving index leaves its refresh interval alone
        build_index([REPO / "corpus"], location)
        assert set(refresh_settings(opensearch_url, name).values()) == {REFRESH_INTERVAL}
    finally:
        drop_opensearch_index(location)
    assert not OpenSearch([opensearch_url]).indices.get(index=f"{name}-*")  # word list too
