"""The compare page in headless Chromium against a real ``newsearch serve``: the form
adds a series, the chart draws one line per series under the strict CSP (no script or
console error), the legend and the CSV download match the API."""

from __future__ import annotations

import csv
import io
import json
import urllib.request

import pytest

from tests.test_browser_search import reuters_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser


def test_compare_two_searches_then_a_third_from_the_form(page, reuters_server):  # noqa: F811
    page.goto(reuters_server + "/compare?q=oil&q=coffee+country%3Abrazil")
    assert page.locator("polyline.series-line").count() == 2
    legend = page.locator(".legend-item")
    assert legend.count() == 2
    api = json.loads(urllib.request.urlopen(
        reuters_server + "/api/compare?q=oil&q=coffee+country%3Abrazil").read())
    assert f"{api['series'][0]['total']:,} articles" in legend.nth(0).inner_text()
    page.locator(".compare-q input").nth(2).fill("grain")
    page.locator("select[name=interval]").select_option("week")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**interval=week**")
    assert page.locator("polyline.series-line").count() == 3
    assert "by week" in page.locator("#compare-title").inner_text()
    page.get_by_role("link", name="Share of all").click()
    assert "Share of all articles" in page.locator("#compare-title").inner_text()
    href = page.locator("#compare-csv").get_attribute("href")
    rows = list(csv.DictReader(io.StringIO(
        urllib.request.urlopen(reuters_server + href).read().decode("utf-8"))))
    assert {r["query"] for r in rows} == {"oil", "coffee country:brazil", "grain"}


def test_a_bad_query_shows_the_message(page, reuters_server):  # noqa: F811
    page.goto(reuters_server + "/compare?q=oil+(grain")
    assert "could not be run" in page.locator("[role=alert]").inner_text()
