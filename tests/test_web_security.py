"""Hostile articles and requests: escaping, headers, ids, formula injection, no tracebacks."""

from __future__ import annotations

import csv
import io

import pytest

from webapp.security import HEADERS


def test_security_headers_on_pages_api_and_errors(reuters_web) -> None:
    for url in ("/", "/api/search?q=oil", "/nope", "/api/search?page=x", "/static/app.js"):
        response = reuters_web.get(url)
        for name, value in HEADERS.items():
            assert response.headers[name] == value, (url, name)
    assert "script-src 'self'" in HEADERS["Content-Security-Policy"]


def test_no_inline_script_or_style_in_pages(reuters_web) -> None:
    for url in ("/?q=oil", "/article/reuters-17", "/person/James Baker", "/nope"):
        html = reuters_web.get(url).get_data(as_text=True)
        assert "<script>" not in html and " style=" not in html and "onclick" not in html


def test_query_is_escaped_everywhere(hostile_web) -> None:
    attack = '<script>alert(1)</script>"><img src=x onerror=alert(1)>'
    for url in ("/", "/api/search"):
        response = hostile_web.get(url, query_string={"q": attack, "person": attack})
        body = response.get_data(as_text=True)
        assert "<script>alert" not in body and "<img src=x" not in body
    page = hostile_web.get("/", query_string={"q": "tin <script>alert(1)</script>"})
    assert "tin &lt;script&gt;alert(1)&lt;/script&gt;" in page.get_data(as_text=True)


def test_article_text_is_escaped_and_js_urls_dropped(hostile_web) -> None:
    html = hostile_web.get("/article/hostile.txt?q=minister").get_data(as_text=True)
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<mark>minister</mark>" in html
    assert "javascript:" not in html  # the source link is left out, not made clickable
    results = hostile_web.get("/?q=minister").get_data(as_text=True)
    assert "<script>alert" not in results and "&lt;b&gt;bold&lt;/b&gt;" in results


def test_feed_escapes_titles(hostile_web) -> None:
    xml = hostile_web.get("/feed.atom?q=minister").get_data(as_text=True)
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_csv_export_neutralises_formulas(hostile_web) -> None:
    text = hostile_web.get("/export.csv?q=tin").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=formula.txt" in cells
    assert not any(cell[:1] in ("=", "+", "-", "@") for cell in cells)


def test_ids_with_slashes_are_looked_up_in_the_index_only(hostile_web) -> None:
    assert hostile_web.get("/article/nested/dir/plain-story.txt").status_code == 200
    assert hostile_web.get("/api/article/nested/dir/plain-story.txt").get_json()[
        "title"] == "Tin council meets in London"
    for probe in ("../../../../etc/passwd", "..%2f..%2fetc%2fpasswd", "/etc/passwd",
                  "nested/../hostile.txt", "%00"):
        for prefix in ("/article/", "/api/article/"):
            response = hostile_web.get(prefix + probe)
            assert response.status_code in (404, 308), probe
            assert b"root:" not in response.data


@pytest.mark.parametrize("url", ["/?q=%00%01", "/?q=\u202e\ufeff", "/api/search?q=%ff%fe",
                                 "/?from=9999-99", "/?to=0000", "/api/facets/people?limit=abc"])
def test_odd_input_never_crashes(reuters_web, url: str) -> None:
    response = reuters_web.get(url)
    assert response.status_code in (200, 400)
    assert b"Traceback" not in response.data


def test_unexpected_errors_are_generic_500s(reuters_index) -> None:
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(reuters_index)})

    def broken(*args, **kwargs):
        raise RuntimeError("secret internal detail")

    app.extensions["newsearch.engine"].search = broken
    client = app.test_client()
    for url in ("/?q=oil", "/api/search?q=oil"):
        response = client.get(url)
        assert response.status_code == 500
        assert b"secret internal detail" not in response.data and b"Traceback" not in response.data
    assert client.get("/api/search?q=oil").get_json()["error"]["status"] == 500
