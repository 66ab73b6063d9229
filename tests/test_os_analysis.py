"""OpenSearch's analyzer equals ``indexer.analysis``: every distinct word of Reuters-21578
goes through both (OpenSearch's ``_analyze`` API) and comes out the same.

Words are sent in batches, one word a line of an ``_analyze`` text array, so a word's tokens
are compared with Whoosh's tokens for the same word.
"""

from __future__ import annotations

import bisect
import re

import pytest
from opensearchpy import OpenSearch

from indexer.analysis import TOKEN_PATTERN, news_analyzer
from indexer.engines.opensearch.mapping import index_body
from tests.conftest import shared_path

BATCH = 2000
WORD = re.compile(TOKEN_PATTERN)


def reuters_words() -> list[str]:
    """Every distinct token of the whole Reuters-21578 collection, as written."""
    folder = shared_path("corpora", "reuters21578")
    words: set[str] = set()
    for sgm in sorted(folder.glob("reut2-*.sgm")):
        words.update(WORD.findall(sgm.read_text("latin-1")))
    return sorted(words)


@pytest.fixture(scope="module")
def analyzer_index(opensearch_url: str):
    client = OpenSearch([opensearch_url], timeout=120)
    name = "test-analysis"
    client.indices.delete(index=name, ignore=[404])
    client.indices.create(index=name, body=index_body())
    yield client, name
    client.indices.delete(index=name, ignore=[404])


def whoosh_tokens(word: str) -> list[str]:
    return [t.text for t in news_analyzer()(word)]


def opensearch_tokens(client: OpenSearch, index: str, words: list[str]) -> list[list[str]]:
    """Tokens per word: ``_analyze`` on a text array puts a gap between the values."""
    resp = client.indices.analyze(index=index, body={"analyzer": "news", "text": words,
                                                     "explain": False})
    out: list[list[str]] = [[] for _ in words]
    # Token offsets run over the values joined with one separator character each.
    starts, pos = [], 0
    for w in words:
        starts.append(pos)
        pos += len(w) + 1

    for token in resp["tokens"]:
        out[bisect.bisect_right(starts, token["start_offset"]) - 1].append(token["token"])
    return out


def test_every_reuters_word_analyses_alike(analyzer_index):
    client, index = analyzer_index
    words = reuters_words()
    assert len(words) > 50_000  # the whole collection, not a sample
    differences = []
    for i in range(0, len(words), BATCH):
        batch = words[i:i + BATCH]
        for word, theirs in zip(batch, opensearch_tokens(client, index, batch), strict=True):
            ours = whoosh_tokens(word)
            if ours != theirs:
                differences.append((word, ours, theirs))
    assert not differences, f"{len(differences)} words differ, e.g. {differences[:10]}"
