"""The "Unusually often in these results" block and the network page in headless Chromium
(tests/browsing.py), against ``newsearch serve`` on each engine."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import test_browser_search as browser_search
from tests.serving import serving
from tests.test_browser_search import reuters_server  # noqa: F401 - a fixture

pytestmark = pytest.mark.browser
total = browser_search.total
SCREENSHOTS_ENV = browser_search.SCREENSHOTS_ENV


@pytest.fixture(scope="session")
def insights_server(reuters_location: str) -> Iterator[str]:
    """A server over the Reuters subset on each engine in turn."""
    with serving(reuters_location) as base:
        yield base


def count_of(text: str) -> int:
    return int(text.split("/")[0].strip().replace(",", ""))


def test_sidebar_block_lists_unusual_names_whose_links_filter(page, insights_server) -> None:
    page.goto(insights_server + "/?q=coffee")
    block = page.locator("section.unusual")
    assert block.locator("h2").text_content().strip() == "Unusually often in these results"
    countries = block.locator("ul[data-facet=countries] .facet-item")
    assert countries.count() >= 3
    first = countries.first
    name = first.locator(".facet-value").inner_text()
    shown = count_of(first.locator(".count").inner_text())
    assert "of these results" in first.locator("a").get_attribute("title")
    with page.expect_navigation():
        first.locator("a").click()
    assert re.search(r"country=" + re.escape(name.replace(" ", "+")), page.url)
    assert total(page) == shown


def test_network_page_draws_nodes_that_lead_to_their_articles(page, insights_server) -> None:
    page.goto(insights_server + "/?q=oil")
    with page.expect_navigation():
        page.locator("#network-button").click()
    assert "/network?q=oil" in page.url
    svg = page.locator("#network-svg")
    assert svg.is_visible()
    nodes = svg.locator("a.node")
    assert nodes.count() == int(page.locator("#network-nodes").inner_text()) == 25
    assert svg.locator("line").count() == int(page.locator("#network-edges").inner_text()) > 0
    box = svg.bounding_box()
    assert box and box["width"] > 600 and box["height"] > 300
    node = nodes.last  # drawn last: nothing covers it
    expected = int(node.get_attribute("data-count"))
    with page.expect_navigation():
        node.locator("circle").click()
    assert "person=" in page.url and total(page) == expected


def test_network_options_form_redraws_with_countries(page, insights_server) -> None:
    page.goto(insights_server + "/network?q=coffee&limit=5")
    page.check("input[name=facet][value=countries]")
    page.fill("input[name=limit]", "4")
    with page.expect_navigation():
        page.click(".network-options button")
    assert "facet=countries" in page.url and "limit=4" in page.url
    assert page.locator("#network-svg a.node-countries").count() == 4
    assert page.locator("#network-svg a.node-people").count() == 4


def test_save_screenshots(page, reuters_server, tmp_path: Path) -> None:  # noqa: F811
    """The README's images of the block and the network page, taken once, on Whoosh."""
    shots_dir = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    shots_dir.mkdir(parents=True, exist_ok=True)
    page.goto(reuters_server + "/?q=coffee")
    page.locator("section.unusual").screenshot(path=str(shots_dir / "unusual.png"))
    page.goto(reuters_server + "/network?q=oil&limit=25")
    page.screenshot(path=str(shots_dir / "network.png"), full_page=False)
    assert all((shots_dir / f"{n}.png").stat().st_size > 5_000 for n in ("unusual", "network"))
