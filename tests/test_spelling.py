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


def test_only_the_first_unknown_words_are_looked_up_on_every_engine(engine, monkeypatch):
    """Each unknown word costs a vocabulary scan or a request: a query of a dozen
    misspellings looks up MAX_RESPELLED_WORDS of them, known words not counted, and the
    rest stay as typed (OpenSearch used to look up every word, known ones included)."""
    from indexer.search import spelling

    looked_up: list[str] = []
    real = spelling.respell

    def counting(query, known, best, budget=None):
        def spy(word):
            looked_up.append(word)
            return best(word)
        return real(query, known, spy, budget)
    monkeypatch.setattr(f"{type(engine).__module__}.respell", counting)
    typed = "oil " + " ".join(["cofee"] + [f"zq{c}xw" for c in "abcdefghijk"])
    suggestion = engine.search(SearchRequest(query=typed)).suggestion
    assert len(looked_up) == spelling.MAX_RESPELLED_WORDS and "oil" not in looked_up
    assert looked_up[0] == "cofee"
    assert suggestion is None or "zqkxw" in suggestion
