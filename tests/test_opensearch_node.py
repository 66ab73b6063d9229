"""The local OpenSearch node is real and fit for newsearch: healthy, with analysis-common.

These run against the node of the ``opensearch_url`` fixture (the one on 9200, or one the
session starts from Maven Central's distribution), under CI too.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from opensearchpy import OpenSearch

from indexer.analysis import STOP_WORDS, TOKEN_PATTERN
from tools.opensearch import opensearch_version

# indexer/analysis.py's chain, spelled as OpenSearch analysis settings.
NEWS_ANALYSIS = {
    "tokenizer": {"news_words": {"type": "pattern", "pattern": TOKEN_PATTERN, "group": 0}},
    "filter": {
        "news_stop": {"type": "stop", "stopwords": sorted(STOP_WORDS)},
        "news_stem": {"type": "snowball", "language": "English"},
    },
    "analyzer": {"news": {"type": "custom", "tokenizer": "news_words",
                          "filter": ["lowercase", "news_stop", "news_stem"]}},
}


@pytest.fixture(scope="module")
def client(opensearch_url: str) -> OpenSearch:
    return OpenSearch(opensearch_url, timeout=30)


@pytest.fixture
def index(client: OpenSearch) -> Iterator[str]:
    """A fresh index with the news analyzer (no replicas: one node cannot hold them)."""
    name = f"test-node-{uuid.uuid4().hex[:8]}"
    client.indices.create(index=name, body={
        "settings": {"number_of_shards": 1, "number_of_replicas": 0, "analysis": NEWS_ANALYSIS},
        "mappings": {"properties": {"title": {"type": "text", "analyzer": "news"}}},
    })
    yield name
    client.indices.delete(index=name, ignore_unavailable=True)


def test_the_node_is_opensearch_and_healthy(opensearch_url: str, client: OpenSearch) -> None:
    assert opensearch_version(opensearch_url)
    health = client.cluster.health(wait_for_status="yellow")
    assert health["status"] in ("green", "yellow")
    assert health["number_of_nodes"] >= 1


def test_every_node_loads_analysis_common(client: OpenSearch) -> None:
    nodes = client.nodes.info(metric="plugins")["nodes"].values()
    assert nodes
    for node in nodes:
        assert "analysis-common" in {module["name"] for module in node["modules"]}


def test_the_news_analyzer_stems_like_newsearch(client: OpenSearch, index: str) -> None:
    text = "The Denuclearization talks in Amman"
    tokens = client.indices.analyze(index=index, body={"analyzer": "news", "text": text})["tokens"]
    assert [t["token"] for t in tokens] == ["denuclear", "talk", "amman"]
    # Offsets point at the reader's words, which is what highlighting marks.
    assert [text[t["start_offset"]:t["end_offset"]] for t in tokens] == [
        "Denuclearization", "talks", "Amman"]


def test_an_index_is_created_written_searched_and_deleted(client: OpenSearch, index: str) -> None:
    client.index(index=index, id="1", body={"title": "Denuclearization talks resume in Amman"})
    client.index(index=index, id="2", body={"title": "Oil prices fall on OPEC output"}, refresh=True)
    hits = client.search(index=index, body={"query": {"match": {"title": "denuclearize"}}})["hits"]
    assert hits["total"]["value"] == 1
    assert hits["hits"][0]["_id"] == "1"
    assert client.count(index=index)["count"] == 2
    client.indices.delete(index=index)
    assert not client.indices.exists(index=index)
