"""Malformed queries: a clear QueryError or a graceful result, never a traceback."""

from __future__ import annotations

import pytest

from indexer.search.engine import Engine
from indexer.search.model import QueryError, SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    """Each test runs on both engines (conftest.ENGINES)."""
    return reuters_engine


@pytest.mark.parametrize("query, message", [
    ('"unclosed', "unbalanced quote"),
    ("AND OR", "no searchable words"),
    ("date:[2018 to", "cannot read the date"),
    ("date:banana", "cannot read the date"),
    ("(oil OR gas", "unbalanced parentheses"),
    ("a*", "too short for a wildcard"),
    ("nosuchfield:x", "unknown field"),
    ("x" * 10_000, "characters long"),
])
def test_malformed_queries_say_what_is_wrong(engine, query, message):
    with pytest.raises(QueryError, match=message):
        engine.search(SearchRequest(query=query))


@pytest.mark.parametrize("query", [
    "title:", "oil\x00 prices", "\x00\x00", "   ", "oil ) (", "?", "~", '""', "-", "oil -",
    "person:", "北朝鮮 ミサイル", "🙂 oil", "OR oil", "oil AND", "NOT", "date:>", "^",
    "word " * 300,
])
def test_odd_queries_give_a_result_or_a_query_error(engine, query):
    try:
        result = engine.search(SearchRequest(query=query))
    except QueryError as exc:
        assert str(exc)
    else:
        assert result.total >= 0


def test_a_lone_star_matches_everything(engine):
    assert engine.search(SearchRequest(query="*")).total == engine.stats()["documents"]


def test_wildcard_that_expands_too_far_is_bounded(engine):
    with pytest.raises(QueryError, match="matches more than"):
        engine.search(SearchRequest(query="co*"))
