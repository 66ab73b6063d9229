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


# -- Reliability additions (issue 6): more hostile articles, every output format ------------

FORMULA_TITLES = ["=1+1 formula", "+SUM(A1) plus", "-2+3 minus", "@cmd at", "\t=1 tab",
                  "\r=1 cr"]
XSS = '<svg onload=alert(1)>"\'><iframe src=javascript:alert(2)>'


@pytest.fixture(scope="module")
def nasty_web(tmp_path_factory):
    """Articles whose titles and bodies are formulas and markup, in every field we show."""
    from indexer.build import build_index
    from webapp import create_app

    folder = tmp_path_factory.mktemp("nasty")
    lines = [{"title": title, "text": f"Tin report {n} {XSS} from Bolivia.",
              "date": "1987-03-0" + str(n + 1), "url": "javascript:alert(3)",
              "authors": [XSS], "source": XSS} for n, title in enumerate(FORMULA_TITLES)]
    import json as _json
    (folder / "nasty.jsonl").write_text("\n".join(_json.dumps(x) for x in lines) + "\n")
    target = tmp_path_factory.mktemp("nasty-index")
    build_index([folder], target)
    return create_app({"INDEX_DIR": str(target)}).test_client()


def test_stored_markup_is_inert_in_html_json_csv_and_atom(nasty_web) -> None:
    for url in ("/?q=tin", "/article/nasty.jsonl%231?q=tin", "/feed.atom?q=tin",
                "/api/search?q=tin", "/export.json?q=tin", "/export.csv?q=tin",
                "/api/article/nasty.jsonl%231"):
        response = nasty_web.get(url)
        assert response.status_code == 200, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        if url.startswith(("/api/", "/export.")):
            # Data, not markup: raw text is right, as long as no browser renders it.
            assert response.mimetype in ("application/json", "text/csv"), url
            assert "<svg onload=alert(1)>" in response.get_data(as_text=True), url
            continue
        body = response.get_data(as_text=True)
        assert "<svg onload" not in body and "<iframe" not in body, url


def test_every_csv_cell_is_formula_safe(nasty_web) -> None:
    text = nasty_web.get("/export.csv?q=tin").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == 1 + len(FORMULA_TITLES)
    for cell in (c for row in rows[1:] for c in row):
        assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), repr(cell)


@pytest.mark.parametrize("attack", [XSS, "</title><script>x</script>", "]]><x/>",
                                    "\"onmouseover=\"alert(1)", "javascript:alert(1)"])
def test_reflected_query_and_filters_are_escaped(nasty_web, attack) -> None:
    for url in ("/", "/feed.atom", "/api/search", "/export.json"):
        for params in ({"q": attack}, {"q": "tin", "person": attack, "country": attack,
                                       "source": attack, "xcountry": attack}):
            response = nasty_web.get(url, query_string=params)
            assert response.status_code in (200, 400)
            if response.mimetype == "application/json":
                continue  # data (checked above); JSON is never rendered as HTML
            body = response.get_data(as_text=True)
            assert "<script>x" not in body and "<svg onload" not in body and "<x/>" not in body
            assert 'href="javascript:' not in body


@pytest.mark.parametrize("path", ["/static/../webapp/__init__.py", "/static/..%2f__init__.py",
                                  "/static/%2e%2e/%2e%2e/setup.cfg", "/static//etc/passwd",
                                  "/static/..\\..\\setup.cfg", "/favicon.ico/../../setup.cfg"])
def test_static_files_cannot_be_escaped(reuters_web, path) -> None:
    response = reuters_web.get(path)
    assert response.status_code in (404, 400, 308)
    assert b"create_app" not in response.data and b"[tool:pytest]" not in response.data


def test_no_debug_mode_and_small_request_limits(reuters_index) -> None:
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(reuters_index)})
    assert not app.debug and not app.testing
    assert app.config["MAX_CONTENT_LENGTH"] <= 1 << 20
    client = app.test_client()
    big = client.post("/api/search", data=b"x" * (2 << 20),
                      headers={"Content-Type": "application/octet-stream"})
    assert big.status_code in (405, 413)
    response = client.get("/api/search", query_string={"q": "x" * 100_000})
    assert response.status_code == 400 and b"Werkzeug" not in response.data
    many = client.get("/api/search?" + "&".join(f"person=p{n}" for n in range(500)))
    assert many.status_code == 400
    assert client.get("/api/search?limit=1000000000").status_code == 400
    assert client.get("/api/search?page=-1").status_code == 400


def test_serve_binds_to_loopback_by_default() -> None:
    from indexer.cli import serve_cmd

    host = next(p for p in serve_cmd.params if p.name == "host")
    assert host.default == "127.0.0.1"
