"""``newsearch copy``: a Whoosh index moves to OpenSearch without reading its files again,
and the copy is the index that indexing the files into OpenSearch would have made."""

from __future__ import annotations

import os

import pytest
from click.testing import CliRunner
from opensearchpy import OpenSearch

from indexer.build import build_index
from indexer.cli import main as cli
from indexer.search.added import FIELD as ADDED
from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import REPO, drop_opensearch_index


@pytest.fixture(scope="module")
def copied(corpus_index, opensearch_url):
    direct = f"{opensearch_url}/test-direct-{os.getpid()}"
    copy = f"{opensearch_url}/test-copy-{os.getpid()}"
    build_index([REPO / "corpus"], direct, rebuild=True)
    result = CliRunner().invoke(cli, ["copy", str(corpus_index), "--to", copy, "--rebuild"])
    assert result.exit_code == 0, result.output
    yield direct, copy, result.output
    drop_opensearch_index(direct)
    drop_opensearch_index(copy)


def documents(location: str) -> dict[str, dict]:
    base, name = location.rsplit("/", 1)
    hits = OpenSearch([base]).search(index=name, body={
        "size": 1000, "query": {"match_all": {}}, "_source": {"excludes": []},
        "docvalue_fields": []})["hits"]["hits"]
    # When each index received the article (indexer.search.added) is the one field a copy
    # and a direct run cannot share: each stamps its own run.
    assert all(isinstance(h["_source"].pop(ADDED), int) for h in hits)
    return {h["_id"]: h["_source"] for h in hits}


def test_the_copy_holds_every_article_as_indexing_would(copied):
    direct, copy, output = copied
    assert "13 documents in the index" in output
    assert documents(copy) == documents(direct)


@pytest.mark.parametrize("query", ["missile", "pompeo \"north korea\"", "country:japan", ""])
def test_the_copy_answers_as_the_whoosh_index_did(copied, corpus_index, query):
    _, copy, _ = copied
    before = open_engine(corpus_index).search(SearchRequest(query=query))
    after = open_engine(copy).search(SearchRequest(query=query))
    assert (after.total, after.stories, after.facets, after.dates) == \
        (before.total, before.stories, before.facets, before.dates)
