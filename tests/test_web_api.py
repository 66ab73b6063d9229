"""The JSON API and the exports (CSV, JSON, Atom) through Flask's test client."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest

from indexer.render import result_output
from indexer.search.engine import EXPORT_CAP
from indexer.search.model import SearchRequest

ATOM = "{http://www.w3.org/2005/Atom}"


def test_api_search_is_the_cli_json_shape(reuters_web, reuters_engine) -> None:
    data = reuters_web.get("/api/search?q=coffee&country=Brazil&sort=newest").get_json()
    expected = json.loads(result_output(reuters_engine.search(SearchRequest(
        query="coffee", countries=("Brazil",), sort="newest")), "json", False, False))
    data.pop("took_ms"), expected.pop("took_ms")
    assert data == expected
    assert list(data) == ["query", "total", "stories", "page", "limit", "pages", "sort",
                          "filters", "suggestion", "hits", "facets"]
    assert data["filters"] == {"countries": ["Brazil"]} and data["total"] == 15


def test_api_search_pages_and_limits(reuters_web) -> None:
    page = reuters_web.get("/api/search?q=oil&page=3&limit=5").get_json()
    assert (page["page"], page["limit"], len(page["hits"])) == (3, 5, 5)


@pytest.mark.parametrize("query", ["q=%22open", "page=0", "page=x", "limit=101", "from=x",
                                   "sort=best", "q=(a"])
def test_api_errors_are_json_400(reuters_web, query: str) -> None:
    response = reuters_web.get(f"/api/search?{query}")
    assert response.status_code == 400 and response.is_json
    error = response.get_json()["error"]
    assert error["status"] == 400 and error["message"]


def test_api_article(reuters_web) -> None:
    data = reuters_web.get("/api/article/reuters-17").get_json()
    assert data["id"] == "reuters-17" and data["countries"] == ["United States"]
    assert "body_spans" not in data and "title_spans" not in data
    marked = reuters_web.get("/api/article/reuters-17?q=health").get_json()
    assert marked["body"] == data["body"] and "body_html" not in marked
    assert "Health" in [marked["body"][s:e] for s, e in marked["body_spans"]]
    assert {marked["title"][s:e].lower() for s, e in marked["title_spans"]} <= {"health"}
    missing = reuters_web.get("/api/article/nope")
    assert missing.status_code == 404 and missing.get_json()["error"]["status"] == 404


def test_api_facets_autocomplete(reuters_web) -> None:
    data = reuters_web.get("/api/facets/people?prefix=bak&limit=3").get_json()
    assert data["facet"] == "people" and data["prefix"] == "bak"
    assert data["values"][0]["value"] == "James Baker" and len(data["values"]) <= 3
    countries = reuters_web.get("/api/facets/countries?prefix=braz").get_json()["values"]
    assert countries[0]["value"] == "Brazil"
    assert reuters_web.get("/api/facets/colours").status_code == 400
    assert reuters_web.get("/api/facets/people?limit=0").status_code == 400
    assert reuters_web.get("/api/facets/people?prefix=" + "x" * 300).status_code == 400


def test_api_about_filters_facet_and_article(reuters_web) -> None:
    data = reuters_web.get("/api/search?q=coffee&about=Brazil&xabout=Colombia").get_json()
    assert data["filters"] == {"about": ["Brazil"], "exclude_about": ["Colombia"]}
    assert data["hits"] and all("Brazil" in h["about"] and "Colombia" not in h["about"]
                                for h in data["hits"])
    assert {"value": "Brazil", "count": data["total"], "selected": True} in data["facets"]["about"]
    # "10 in the U.S. and two in West Germany": a passing mention is not what it is about.
    story = reuters_web.get("/api/article/reuters-192").get_json()
    assert story["countries"] == ["United States", "West Germany"]
    assert story["about"] == ["United States"]
    values = reuters_web.get("/api/facets/about?prefix=west").get_json()["values"]
    assert values[0]["value"] == "West Germany"


def test_api_unknown_route_is_json_404(reuters_web) -> None:
    response = reuters_web.get("/api/nothing")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404


def test_csv_export_has_every_hit_with_filters(reuters_web) -> None:
    response = reuters_web.get("/export.csv?q=coffee&country=Brazil&page=2")
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 15  # all pages, the page parameter is ignored
    assert all("Brazil" in row["countries"] for row in rows)
    about = list(csv.DictReader(io.StringIO(
        reuters_web.get("/export.csv?q=coffee&about=Brazil").get_data(as_text=True))))
    assert 0 < len(about) < len(rows) and all("Brazil" in row["about"] for row in about)


def test_json_export_reports_the_cap(reuters_web) -> None:
    data = reuters_web.get("/export.json?q=oil&xcountry=United+States").get_json()
    assert data["cap"] == EXPORT_CAP and data["truncated"] is False
    assert data["count"] == len(data["hits"]) > 10
    assert all("United States" not in hit["countries"] for hit in data["hits"])
    everything = reuters_web.get("/export.json").get_json()
    assert everything["count"] == 3000


def test_atom_feed_of_the_current_query(reuters_web) -> None:
    response = reuters_web.get("/feed.atom?q=coffee&country=Brazil")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert "coffee" in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert 0 < len(entries) <= 15
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True) and updated[0].endswith("Z")
    # Absolute links from the app's public URL (default: serve's default address).
    assert entries[0].find(f"{ATOM}link").get("href").startswith(
        "http://127.0.0.1:5000/article/")
    assert reuters_web.get("/feed.atom?q=%22").status_code == 400


def test_concurrent_requests_all_succeed(reuters_location) -> None:
    """Many threads at once (as under waitress) must not corrupt shared index reads."""
    from concurrent.futures import ThreadPoolExecutor

    from webapp import create_app

    app = create_app({"INDEX_DIR": reuters_location})
    urls = ["/api/search?q=prices&from=1987-03-01&to=1987-03-31",
            "/?q=oil&country=Japan", "/api/search?q=export*&sort=newest"] * 8

    def fetch(url: str) -> int:
        return app.test_client().get(url).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert set(pool.map(fetch, urls)) == {200}


@pytest.mark.parametrize("params, only", [
    ({"xcountry": "Japan"}, {"country": "Japan"}),
    ({"xperson": "James Baker"}, {"person": "James Baker"}),
    ({"xabout": "Japan"}, {"about": "Japan"}),
    ({"xsource": "reuters"}, {"source": "reuters"}),
    ({"q": "-oil"}, {"q": "oil"}),
    ({"q": "NOT oil"}, {"q": "oil"}),
    ({"q": "-country:japan"}, {"q": "country:japan"}),
])
def test_an_exclusion_alone_is_every_article_but_those(reuters_web, params, only) -> None:
    """Each of these gave all 3,000 articles, with a chip "Not country: Japan" beside it."""
    def total(args: dict) -> int:
        response = reuters_web.get("/api/search", query_string=args)
        assert response.status_code == 200
        return response.get_json()["total"]
    assert total(params) == total({}) - total(only)
    assert total(only) > 0
