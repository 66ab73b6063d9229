"""'Did you mean': respelled queries offered when few articles match."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import OSA

from indexer.search.engine import Engine
from indexer.search.model import SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    """Each test runs on both engines (conftest.ENGINES)."""
    return reuters_engine


@pytest.mark.parametrize("typed, meant", [
    ("cocao", "cocoa"), ("econmy growth", "economy growth"),
    ('"cofee prices"', '"coffee prices"'), ("brazl AND cofee", "brazil AND coffee"),
])
def test_misspelled_queries_get_a_suggestion_that_finds_articles(engine, typed, meant):
    result = engine.search(SearchRequest(query=typed))
    assert result.total < 3 and result.suggestion == meant
    assert engine.search(SearchRequest(query=meant)).total > 0


def test_good_queries_get_no_suggestion(engine):
    assert engine.search(SearchRequest(query="cocoa")).suggestion is None


def test_gibberish_gets_no_suggestion(engine):
    assert engine.search(SearchRequest(query="xqzvvkw")).suggestion is None


def test_a_transposition_is_one_edit():
    assert OSA.distance("cocao", "cocoa") == 1
    assert OSA.distance("cocao", "coal") == 2


def test_queries_with_many_hits_get_no_suggestion(engine):
    """'cofee' is unknown and 'oil OR coffee' finds articles, but 'oil OR cofee' already
    finds hundreds: offering a respelling there is noise."""
    result = engine.search(SearchRequest(query="oil OR cofee"))
    assert result.total >= 100
    assert result.suggestion is None
    assert engine.search(SearchRequest(query="cofee")).suggestion == "coffee"
