"""Result pages: pagination, sorting, highlighted snippets and titles, escaping."""

from __future__ import annotations

import pytest

from indexer.build import build_index
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.engine import Engine
from indexer.search.model import QueryError, SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    """Each test runs on both engines (conftest.ENGINES)."""
    return reuters_engine


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_pages_have_no_overlap_and_no_gaps(engine, sort):
    req = dict(query="oil", sort=sort, fold_duplicates=False)
    whole = [h.id for h in engine.search(SearchRequest(limit=60, **req)).hits]
    paged = [h.id for page in (1, 2, 3)
             for h in engine.search(SearchRequest(page=page, limit=20, **req)).hits]
    assert len(whole) == 60 and paged == whole


def test_page_past_the_end_is_empty_not_an_error(engine):
    result = engine.search(SearchRequest(query="cocoa", page=50))
    assert result.total > 0 and result.hits == []


def test_sort_by_date(engine):
    newest = engine.search(SearchRequest(query="oil", sort="newest", limit=50)).hits
    oldest = engine.search(SearchRequest(query="oil", sort="oldest", limit=50)).hits
    assert [h.published for h in newest] == sorted((h.published for h in newest), reverse=True)
    assert [h.published for h in oldest] == sorted(h.published for h in oldest)
    assert newest[0].published > oldest[0].published
    assert newest[0].score is None


def test_relevance_puts_title_matches_first(engine):
    hits = engine.search(SearchRequest(query="cocoa")).hits
    assert "COCOA" in hits[0].title
    assert hits[0].score >= hits[-1].score


def test_snippet_marks_the_readers_words_not_stems(engine):
    hits = engine.search(SearchRequest(query="shipment")).hits
    marked = {h.snippet[s:e].lower() for h in hits for s, e in h.snippet_spans}
    assert marked == {"shipment", "shipments"}, "both forms, as written, never the stem"


def test_title_is_highlighted_too(engine):
    hit = engine.search(SearchRequest(query="cocoa")).hits[0]
    assert "COCOA" in [hit.title[s:e] for s, e in hit.title_spans]


def test_snippets_are_plain_text_with_spans_on_the_words(tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "x.txt").write_text(
        "A <b>bold</b> title & more\n\nPARIS — Markets fell <script>alert(1)</script> "
        "as traders sold shares & bonds.\n")
    build_index([folder], tmp_path / "ix")
    hit = WhooshEngine(tmp_path / "ix").search(SearchRequest(query="markets")).hits[0]
    assert hit.snippet.startswith("Markets fell <script>alert(1)</script>"), "text, not HTML"
    assert [hit.snippet[s:e] for s, e in hit.snippet_spans] == ["Markets"]
    assert hit.title == "A <b>bold</b> title & more" and hit.title_spans == []


def test_filter_only_search_shows_the_lead(engine):
    hit = engine.search(SearchRequest(countries=("Japan",), sort="newest")).hits[0]
    assert hit.snippet and hit.snippet_spans == [] and hit.title_spans == []


@pytest.mark.parametrize("kwargs, message", [
    ({"page": 0}, "page must be"), ({"page": -1}, "page must be"),
    ({"limit": 10**9}, "limit must be"), ({"sort": "random"}, "sort must be"),
    ({"query": "x" * 10_000}, "characters long"),
])
def test_bad_parameters_are_query_errors(kwargs, message):
    with pytest.raises(QueryError, match=message):
        SearchRequest(**kwargs)


def test_article_highlights_expand_wildcards(engine):
    hit = engine.search(SearchRequest(query="shipments")).hits[0]
    article = engine.article(hit.id)
    _, body = engine.highlight_article(article, "shipm*")
    marked = {article.body[s:e].lower() for s, e in body}
    assert marked and all(m.startswith("shipm") for m in marked)
    with pytest.raises(QueryError, match="unbalanced quote"):  # as a search says
        engine.highlight_article(article, '"unclosed')
    assert engine.highlight_article(article, "") == ([], [])


def test_undated_articles_sort_last_either_way(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "dated.txt").write_text("---\ndate: 2018-05-02\n---\nDated\n\nOil prices rose.\n")
    (folder / "undated.txt").write_text("Undated\n\nOil prices fell.\n")
    build_index([folder], tmp_path / "ix")
    engine = WhooshEngine(tmp_path / "ix")
    for sort in ("newest", "oldest"):
        assert [h.id for h in engine.search(SearchRequest(query="oil", sort=sort)).hits] == [
            "dated.txt", "undated.txt"]
        assert [h.id for h in engine.export(SearchRequest(query="oil", sort=sort))] == [
            "dated.txt", "undated.txt"]
