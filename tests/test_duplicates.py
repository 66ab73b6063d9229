"""Near-duplicate wire copies fold into one hit with an 'N similar' count, on both engines."""

from __future__ import annotations

from datetime import date

import pytest

from indexer.dedup import lsh_bands
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.model import SearchRequest


@pytest.fixture
def engine(reuters_engine):
    return reuters_engine


def test_reuters_repeated_wire_copies_fold(engine):
    # reuters-230, -240 and -347 are three transmissions of one Manila story.
    folded = engine.search(SearchRequest(query='"debt bonds" manila'))
    assert folded.total == 3
    assert len(folded.hits) == 1 and folded.hits[0].similar == 2
    copies = engine.search(SearchRequest(dupkey=folded.hits[0].dupkey, fold_duplicates=False))
    assert {h.id for h in copies.hits} == {"reuters-230", "reuters-240", "reuters-347"}
    assert {engine.article(i).title for i in ("reuters-230", "reuters-240", "reuters-347")} == {
        "MANILA SAID TO OFFER DEBT BONDS TO BANKS"}


def test_switch_shows_every_copy(engine):
    shown = engine.search(SearchRequest(query='"debt bonds" manila', fold_duplicates=False))
    assert len(shown.hits) == 3 and all(h.similar == 0 for h in shown.hits)


def test_pages_count_stories_so_the_last_page_is_not_empty(engine):
    """Three wire copies of one story: one hit, one page, and the total still says three."""
    folded = engine.search(SearchRequest(query='"debt bonds" manila', limit=1))
    assert (folded.total, folded.stories, folded.pages) == (3, 1, 1)
    assert folded.to_json()["stories"] == 1 and folded.to_json()["pages"] == 1
    every = engine.search(SearchRequest(query='"debt bonds" manila', limit=1, fold_duplicates=False))
    assert (every.total, every.stories, every.pages) == (3, None, 3)
    assert len(engine.search(SearchRequest(query='"debt bonds" manila', limit=1, page=3,
                                           fold_duplicates=False)).hits) == 1


def test_different_stories_do_not_fold(engine):
    hits = engine.search(SearchRequest(query="cocoa", fold_duplicates=True)).hits
    assert len({h.dupkey for h in hits}) == len(hits)
    assert engine.article("reuters-1").dupkey != engine.article("reuters-275").dupkey


def test_small_edits_keep_the_bands_unrelated_text_does_not(engine):
    body = engine.article("reuters-1").body
    edited = body.replace("Showers continued", "Rain continued")
    assert set(lsh_bands(body)) & set(lsh_bands(edited))
    assert not set(lsh_bands(body)) & set(lsh_bands(engine.article("reuters-275").body))
    assert lsh_bands("Too short to compare.") == ()


def test_folding_also_applies_when_sorted_by_date(engine):
    for sort in ("newest", "oldest"):
        hits = engine.search(SearchRequest(query='"debt bonds" manila', sort=sort)).hits
        assert len(hits) == 1 and hits[0].similar == 2


@pytest.mark.parametrize("sort, kept", [
    # The best-scoring copy (the later, fuller transmission scores higher); between
    # copies scoring the same, the first indexed (lower document number).
    ("relevance", "reuters-347"),
    ("newest", "reuters-347"),  # the latest copy
    ("oldest", "reuters-230"),  # the earliest published copy
])
def test_folding_keeps_the_copy_that_comes_first_in_the_order_shown(engine, sort, kept):
    """Folding keeps, of each story, the copy the unfolded list would show first, and
    counts the others as similar: never the last copy."""
    folded = engine.search(SearchRequest(query='"debt bonds" manila', sort=sort))
    every = engine.search(SearchRequest(query='"debt bonds" manila', sort=sort,
                                        fold_duplicates=False))
    assert [h.id for h in folded.hits] == [every.hits[0].id]
    assert every.hits[-1].id != folded.hits[0].id
    if sort != "relevance" or isinstance(engine, WhooshEngine):  # Lucene ranks the copies
        assert folded.hits[0].id == kept  # otherwise (docs/engines.md: ranking differs)


def test_copies_that_score_the_same_keep_the_first_indexed(reuters_index):
    """reuters-230 and -240 are identical copies (347, the third, came a day later).
    Whoosh breaks score ties by document number (OpenSearch: by id)."""
    engine = WhooshEngine(reuters_index)
    docnum = engine.snapshot().searcher.document_number
    req = dict(query='"debt bonds" manila', date_to=date(1987, 3, 1))
    every = engine.search(SearchRequest(**req, fold_duplicates=False))
    assert [h.id for h in every.hits] == ["reuters-230", "reuters-240"]
    assert every.hits[0].score == every.hits[1].score
    assert docnum(id="reuters-230") < docnum(id="reuters-240")
    folded = engine.search(SearchRequest(**req))
    assert [(h.id, h.similar) for h in folded.hits] == [("reuters-230", 1)]


FOLDED_QUERIES = ["oil", "said", "trade OR bank", "*", "cocoa"]


def folded_answer(engine, query: str) -> tuple:
    result = engine.search(SearchRequest(query=query))
    return result.total, result.stories, [(h.id, h.similar) for h in result.hits]


@pytest.mark.opensearch
@pytest.mark.parametrize("query", ["oil", "said"])  # "said": 2,000+ stories, most single
def test_a_folded_search_counts_its_stories_in_its_own_request_on_opensearch(reuters_os,
                                                                             monkeypatch,
                                                                             query):
    """On one shard the page's search is one request: its stories and the shown hits'
    copies come with its hits (on several shards a second request counts them, exactly)."""
    from indexer.search.engine import open_engine
    from tests.conftest import SHARED_LAYOUT

    engine = open_engine(reuters_os)
    engine.search(SearchRequest(query=query))  # the generation, spellings and such read
    asked_again = engine.search(SearchRequest(query=query, fold_duplicates=False)).total
    sent = []
    real = engine.client.search
    monkeypatch.setattr(engine.client, "search", lambda **kw: sent.append(kw) or real(**kw))
    result = engine.search(SearchRequest(query=query))
    assert result.stories and result.stories < result.total == asked_again
    assert len(sent) == (1 if SHARED_LAYOUT[0] == 1 else 2)


@pytest.mark.opensearch
def test_stories_too_many_for_the_searchs_own_request_are_counted_by_another(reuters_os,
                                                                            monkeypatch):
    """Where the search's own lists of story keys are cut short, the second request
    counts them: the same totals, stories and copies either way."""
    from indexer.engines.opensearch import engine as os_engine
    from indexer.search.engine import open_engine
    from tests.conftest import SHARED_LAYOUT

    engine = open_engine(reuters_os)
    inline = [folded_answer(engine, q) for q in FOLDED_QUERIES]
    monkeypatch.setattr(os_engine, "COPIED_KEYS", 1)  # one story with copies fills it
    asked = []
    real = engine._stories
    monkeypatch.setattr(engine, "_stories", lambda *a: asked.append(a) or real(*a))
    assert [folded_answer(engine, q) for q in FOLDED_QUERIES] == inline
    with_copies = [q for q, (total, stories, _) in zip(FOLDED_QUERIES, inline, strict=True)
                   if stories < total]
    assert len(with_copies) >= 3
    # On several shards every folded search asks the second request anyway.
    assert len(asked) == (len(with_copies) if SHARED_LAYOUT[0] == 1 else len(FOLDED_QUERIES))
