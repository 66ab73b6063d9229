"""OpenSearch pages and exports reach as far as Whoosh's: every page a user can ask for,
and exports past the server's result window (``search_after``, not ``from``)."""

from __future__ import annotations

from opensearchpy import OpenSearch

from indexer.search.engine import open_engine
from indexer.search.model import MAX_LIMIT, MAX_PAGE, SearchRequest


def test_an_export_goes_past_the_result_window(reuters_os):
    base, name = reuters_os.rsplit("/", 1)
    client = OpenSearch([base])
    client.indices.put_settings(index=name, body={"index": {"max_result_window": 1000}})
    try:
        hits = open_engine(reuters_os).export(SearchRequest(sort="newest"), cap=2500)
    finally:
        client.indices.put_settings(index=name, body={
            "index": {"max_result_window": MAX_PAGE * MAX_LIMIT}})
    assert len(hits) == 2500 and len({h.id for h in hits}) == 2500
    days = [h.published for h in hits if h.published]
    assert days == sorted(days, reverse=True)


def test_the_last_page_a_user_can_ask_for_is_served(reuters_os):
    engine = open_engine(reuters_os)
    last = engine.search(SearchRequest(query="", page=30, limit=100, fold_duplicates=False))
    assert last.total == 3000 and len(last.hits) == 100
    beyond = engine.search(SearchRequest(query="", page=MAX_PAGE, limit=MAX_LIMIT))
    assert beyond.hits == [] and beyond.total == 3000
