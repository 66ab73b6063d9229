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


NO_WORDS = "the query has no searchable words (only stop words or operators)"


@pytest.mark.parametrize("query, same_as", [
    ("oil\x00 prices", "oil prices"),  # control characters are dropped
    ("\x00\x00", ""), ("   ", ""),  # nothing left: every article
    ("oil -", "oil"), ("🙂 oil", "oil"), ("OR oil", "oil"), ("oil AND", "oil"),
    ("title:", "title"), ("person:", "person"),  # a field name with no value is a word
    ("word " * 300, "word"),
])
def test_odd_queries_mean_what_is_left_of_them(engine, query, same_as):
    assert engine.search(SearchRequest(query=query)).total == \
        engine.search(SearchRequest(query=same_as)).total


def test_words_the_index_does_not_hold_find_nothing(engine):
    result = engine.search(SearchRequest(query="北朝鮮 ミサイル"))
    assert (result.total, result.hits) == (0, [])


@pytest.mark.parametrize("query, message", [
    ("oil ) (", "unbalanced parentheses: every ( needs a matching )"),
    ("?", "'?' is too short for a wildcard; give at least two letters before * or ?"),
    ("~", NO_WORDS), ('""', NO_WORDS), ("-", NO_WORDS), ("NOT", NO_WORDS), ("^", NO_WORDS),
    ("date:>", "cannot read the date; write date:2018, date:2018-05, date:2018-05-12, "
               "date:>2018-04-01 or date:[2018-04-01 to 2018-05-31]"),
])
def test_odd_queries_that_cannot_be_read_say_exactly_why(engine, query, message):
    with pytest.raises(QueryError) as exc:
        engine.search(SearchRequest(query=query))
    assert str(exc.value) == message


def test_a_lone_star_matches_everything(engine):
    assert engine.search(SearchRequest(query="*")).total == engine.stats().documents


def test_wildcard_that_expands_too_far_is_bounded(engine):
    with pytest.raises(QueryError, match="matches more than"):
        engine.search(SearchRequest(query="co*"))
