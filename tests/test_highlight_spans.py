"""Highlights are spans: plain text plus (start, end) character offsets into it.

The library emits no HTML: a title, snippet or body comes back as the article wrote it
(a ``<script>`` in it stays literal text) and the spans say which words the query
matched. The web app escapes and wraps them in ``<mark>``, the CLI colours them, and
both engines give the same spans for the same query on the same article.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from indexer.analysis import indexed_form
from indexer.render import marked_text
from indexer.search.engine import open_engine
from indexer.search.highlight import SEPARATOR, marks, snippet
from indexer.search.model import SearchRequest

QUERIES = ["coffee", "coffee prices", '"bank of japan"', "export*", "expor?", "stokc~",
           "pric~2", "title:cocoa", "brazil -coffee", "health"]


def words(text: str, spans: list[tuple[int, int]]) -> list[str]:
    return [text[s:e] for s, e in spans]


def well_formed(text: str, spans: list[tuple[int, int]]) -> bool:
    """In order, disjoint, inside the text, each covering one whole word."""
    ends = [0, *(e for _, e in spans)]
    return all(prev <= s < e <= len(text) and text[s:e].strip() == text[s:e]
               for (s, e), prev in zip(spans, ends, strict=False))


def test_snippet_spans_are_offsets_into_the_joined_passages() -> None:
    text = ("Coffee prices rose. " + "Filler words go here without any match. " * 8
            + "Brazil said coffee exports fell; coffee stocks were low.")
    marked = snippet(text, {"coffe"})
    assert SEPARATOR in marked.text, "two passages far apart"
    assert words(marked.text, marked.spans) == ["Coffee", "coffee", "coffee"]
    assert marked.text.index(SEPARATOR) < marked.spans[1][0]
    assert snippet(text, {"tea"}) == ("", [])
    assert words(text, marks(text, {"coffe", "price"})) == [
        "Coffee", "prices", "coffee", "coffee"]


@pytest.mark.parametrize("query", QUERIES)
def test_hit_spans_cover_the_matched_words(reuters_engine, query: str) -> None:
    hits = reuters_engine.search(SearchRequest(query=query, limit=20)).hits
    assert hits
    for hit in hits:
        assert well_formed(hit.snippet, hit.snippet_spans), (hit.id, hit.snippet_spans)
        assert well_formed(hit.title, hit.title_spans), (hit.id, hit.title_spans)
    assert any(hit.snippet_spans or hit.title_spans for hit in hits)
    if query == "coffee prices":
        marked = {indexed_form(w) for h in hits for w in words(h.snippet, h.snippet_spans)}
        assert marked == {"coffe", "price"}


def test_json_carries_text_and_span_lists(reuters_engine) -> None:
    hit = reuters_engine.search(SearchRequest(query="cocoa")).hits[0]
    data = hit.to_json()
    assert "title_html" not in data and "<mark>" not in data["title"] + data["snippet"]
    assert data["title_spans"] and all(isinstance(s, list) and len(s) == 2
                                       for s in data["title_spans"] + data["snippet_spans"])
    assert {data["title"][s:e].lower() for s, e in data["title_spans"]} == {"cocoa"}


def test_angle_brackets_in_an_article_stay_text(reuters_engine) -> None:
    article = reuters_engine.article("reuters-17")
    assert article.title == "NATIONAL HEALTH ENHANCEMENT <NHES> NEW PROGRAM"  # a ticker
    title, body = reuters_engine.highlight_article(article, "nhes health")
    assert words(article.title, title) == ["HEALTH", "NHES"]
    assert article.title[title[1][0] - 1:title[1][1] + 1] == "<NHES>"
    assert {w.lower() for w in words(article.body, body)} == {"health"}
    hit = next(h for h in reuters_engine.search(SearchRequest(query="nhes")).hits
               if h.id == "reuters-17")
    assert hit.title == article.title and words(hit.title, hit.title_spans) == ["NHES"]


def test_script_tags_are_literal_text_with_spans_on_the_words(hostile_index: Path) -> None:
    engine = open_engine(str(hostile_index))
    hit = engine.search(SearchRequest(query="minister bolivia")).hits[0]
    assert hit.title.startswith("<script>alert(1)</script> Bolivia minister <b>bold</b>")
    assert words(hit.title, hit.title_spans) == ["Bolivia", "minister"]
    assert "<script>alert(1)</script>" in hit.snippet
    assert words(hit.snippet, hit.snippet_spans)[:2] == ["minister", "Bolivia"]
    article = engine.article(hit.id)
    _, body = engine.highlight_article(article, "script alert")
    assert words(article.body, body) == ["script", "alert", "script", "alert"]
    assert [article.body[s - 1:e + 1] for s, e in body] == [
        "<script>", ">alert(", "/script>", "=alert("]


def test_cli_colours_the_spans_after_stripping_controls_per_piece() -> None:
    text = "Tin \x1b]0;pwned\x07price\x1b[2J talks in Bolivia"
    spans = marks(text, {"talk", "bolivia"})
    assert words(text, spans) == ["talks", "Bolivia"]
    assert marked_text(text, spans, color=False) == "Tin price talks in Bolivia"
    shown = marked_text(text, spans, color=True)
    yellow = click.style("talks", fg="yellow", bold=True)
    assert shown == f"Tin price {yellow} in {click.style('Bolivia', fg='yellow', bold=True)}"
    assert "pwned" not in shown and "[2J" not in shown


@pytest.fixture(scope="module")
def both(reuters_index, reuters_os):
    return open_engine(str(reuters_index)), open_engine(reuters_os)


@pytest.mark.opensearch
@pytest.mark.parametrize("query", QUERIES)
def test_both_engines_give_the_same_spans(both, query: str) -> None:
    whoosh, opensearch = both
    req = SearchRequest(query=query, limit=30, fold_duplicates=False)
    w_hits = {h.id: h for h in whoosh.search(req).hits}
    o_hits = {h.id: h for h in opensearch.search(req).hits}
    shared = sorted(w_hits.keys() & o_hits.keys())
    assert shared, "the top 30 overlap"
    for article_id in shared:
        w, o = w_hits[article_id], o_hits[article_id]
        assert (o.title, o.title_spans, o.snippet, o.snippet_spans) == \
            (w.title, w.title_spans, w.snippet, w.snippet_spans), article_id
        article = whoosh.article(article_id)
        assert opensearch.highlight_article(article, query) == \
            whoosh.highlight_article(article, query), article_id


def test_web_marks_spans_in_every_paragraph_and_escapes_the_rest(hostile_web) -> None:
    html = hostile_web.get("/article/hostile.txt?q=bolivia").get_data(as_text=True)
    body = html[html.index('<div class="article-body">'):html.index("</div>", html.index(
        '<div class="article-body">'))]
    paras = body.split("<p>")[1:]
    assert len(paras) == 2 and all("<mark>Bolivia</mark>" in p for p in paras)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in paras[0] and "<script>" not in body
    title = html[html.index('<h1 class="article-title">'):html.index("</h1>")]
    assert "&lt;script&gt;alert(1)&lt;/script&gt; <mark>Bolivia</mark> minister" in title


def test_feed_summary_is_marked_html_escaped_as_text(hostile_web) -> None:
    xml = hostile_web.get("/feed.atom?q=minister").get_data(as_text=True)
    summary = xml[xml.index("<summary"):xml.index("</summary>")]
    assert "&lt;mark&gt;minister&lt;/mark&gt;" in summary, "HTML, carried as text"
    assert "&amp;lt;script&amp;gt;" in summary, "the article's tag is text in that HTML"
    assert "<mark>" not in summary and "<script>" not in summary
