"""Saving a search from the page in headless Chromium, against a real ``newsearch serve``:
the form's POST carries the CSRF token and cookie a browser really sends, the list shows
the search, then "N new since you last looked" once more articles are indexed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from indexer.build import build_index
from tests.conftest import reuters_articles
from tests.serving import serving
from tests.test_browser_search import SCREENSHOTS_ENV

pytestmark = pytest.mark.browser


def test_save_a_search_from_the_page_and_see_what_is_new(page, tmp_path: Path) -> None:  # noqa: F811
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "first.sgm").write_text(reuters_articles(1, 60), "latin-1")
    build_index([docs], index)
    with serving(index) as base:
        page.goto(base + "/?q=oil+OR+crude&country=United+States")
        page.fill("#save-name", "US oil")
        page.click("form.save-search button[type=submit]")
        page.wait_for_url(re.compile(r"/saved\?added="))
        row = page.locator("tr.saved-row", has_text="US oil")
        assert row.locator(".saved-new").inner_text() == "0 new"
        assert "q=oil+OR+crude&country=United+States" in row.inner_text()

        page.goto(base + "/?q=coffee&sort=newest")  # a second one, for the list
        page.fill("#save-name", "Coffee, newest first")
        page.click("form.save-search button[type=submit]")
        page.wait_for_url(re.compile(r"/saved\?added="))
        assert page.locator("tr.saved-row").count() == 2

        (docs / "second.sgm").write_text(reuters_articles(61, 200), "latin-1")
        build_index([docs], index)
        page.wait_for_timeout(1200)  # the server's searcher looks for new commits each second
        page.goto(base + "/saved")
        new = int(row.locator(".saved-new strong").inner_text())
        assert new > 0
        shots = os.environ.get(SCREENSHOTS_ENV)
        if shots:
            page.screenshot(path=str(Path(shots) / "saved-searches.png"))

        row.locator("button.saved-open").click()
        page.wait_for_url(re.compile(r"added_after="))
        assert int(page.locator("#total").inner_text().replace(",", "")) == new
        assert page.locator(".chip-active", has_text="Added after").count() == 1
        page.goto(base + "/saved")
        assert row.locator(".saved-new").inner_text() == "0 new"

        row.locator("button.saved-remove").click()
        page.wait_for_url(re.compile(r"/saved$"))
        assert page.locator("tr.saved-row").all_inner_texts()[0].startswith("Coffee")
        assert page.locator("tr.saved-row").count() == 1
