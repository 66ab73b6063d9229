"""The relaxed fallback (indexer.search.relaxed): a query of plain words that finds fewer
articles than a page gets the page filled with articles holding some of the words, after
every article holding all of them, marked as such; on both engines, in the web page and
in the CLI."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.search.model import SearchRequest
from indexer.search.relaxed import RELAXED_NOTE

QUERY = "tin council"  # 2 articles of the Reuters subset hold both words


def _text(engine, hit_id: str) -> str:
    article = engine.article(hit_id)
    return f"{article.title} {article.body}".lower()


def test_a_short_page_is_filled_after_the_articles_with_every_word(reuters_engine) -> None:
    strict = reuters_engine.search(SearchRequest(query="tin AND council"))  # AND: not relaxed
    assert 0 < strict.total < 10
    result = reuters_engine.search(SearchRequest(query=QUERY))
    assert result.total == strict.total  # counts, facets and timeline stay strict
    assert len(result.hits) == 10
    head = result.hits[:strict.total]
    assert [h.id for h in head] == [h.id for h in strict.hits]
    assert not any(h.relaxed for h in head)
    rest = result.hits[strict.total:]
    assert all(h.relaxed for h in rest)
    for hit in rest:
        text = _text(reuters_engine, hit.id)
        assert re.search(r"\btin\b|\bcouncil", text), hit.id
        assert hit.to_json()["relaxed"] is True


@pytest.mark.parametrize("request_args", [
    {"query": "tin AND council"}, {"query": '"tin council"'}, {"query": "title:tin council"},
    {"query": QUERY, "sort": "newest"}, {"query": "tin"},
    {"query": "coffee brazil"},  # more articles than a page: nothing to fill
])
def test_no_fallback_for_operators_one_word_other_orders_or_full_pages(
        reuters_engine, request_args: dict) -> None:
    result = reuters_engine.search(SearchRequest(**request_args))
    assert not any(h.relaxed for h in result.hits)


def test_web_page_says_which_hits_hold_only_some_words(reuters_web) -> None:
    page = reuters_web.get("/", query_string={"q": QUERY}).get_data(as_text=True)
    assert page.count(RELAXED_NOTE) == 1
    note = page.index(RELAXED_NOTE)
    assert page.count('class="hit"') == 2 and page.rindex('class="hit"') < note
    assert page.count('class="hit relaxed"') == 8 and page.index('class="hit relaxed"') > note


def test_cli_says_which_hits_hold_only_some_words(reuters_location: str) -> None:
    out = CliRunner().invoke(main, ["search", QUERY, "--index", reuters_location]).output
    assert out.count(RELAXED_NOTE) == 1
    assert out.index(" 2. ") < out.index(RELAXED_NOTE) < out.index(" 3. ")
