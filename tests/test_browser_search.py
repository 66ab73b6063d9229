"""The real page in headless Chromium against ``newsearch serve`` (waitress) processes.

One server over the Reuters subset and one over the hostile articles, one browser, for
the whole session. Needs Debian's /usr/bin/chromium (``.ci/run`` installs it; never
``playwright install``) and ../shared for the Reuters data; skips with a message otherwise.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serving import serving

pytestmark = pytest.mark.browser

#: ``make screenshots`` sets this to docs/screenshots to refresh the README's images; the
#: test suite writes them to a temporary folder, so ``make test`` leaves the tree clean.
SCREENSHOTS_ENV = "NEWSEARCH_SCREENSHOTS"


@pytest.fixture(scope="session")
def reuters_server(reuters_index: Path) -> Iterator[str]:
    with serving(reuters_index) as base:
        yield base


@pytest.fixture(scope="session")
def hostile_server(hostile_index: Path) -> Iterator[str]:
    with serving(hostile_index) as base:
        yield base


def total(page) -> int:
    return int(page.locator("#total").inner_text().replace(",", ""))


def facet_item(page, facet: str, value: str):
    return page.locator(f"section[aria-labelledby=facet-{facet}] .facet-item").filter(
        has=page.locator(".facet-value", has_text=re.compile(f"^{re.escape(value)}$")))


def facet_count(page, facet: str, value: str) -> int:
    return int(facet_item(page, facet, value).locator(".count").inner_text().replace(",", ""))


def search(page, base: str, query: str) -> None:
    page.goto(base + "/")
    page.fill("#q", query)
    with page.expect_navigation():
        page.press("#q", "Enter")


def test_type_a_query_and_see_highlighted_results(page, reuters_server) -> None:
    search(page, reuters_server, "coffee")
    assert "q=coffee" in page.url
    assert page.input_value("#q") == "coffee"
    assert total(page) == 39
    marks = page.locator(".hit mark")
    assert marks.count() > 5 and marks.first.inner_text().lower() == "coffee"
    assert page.locator(".hit").count() == 10


def test_country_chip_filters_and_counts_stay_consistent(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=coffee")
    before = total(page)
    brazil = facet_count(page, "country", "Brazil")
    with page.expect_navigation():
        page.locator(".hit .chip-country", has_text="Brazil").first.click()
    assert "country=Brazil" in page.url
    assert total(page) == brazil < before
    assert facet_count(page, "country", "Brazil") == total(page)
    counts = [int(c.replace(",", "")) for c in page.locator(
        "section[aria-labelledby=facet-person] .count").all_inner_texts()]
    assert counts and max(counts) <= total(page)
    assert page.locator(".active-filters", has_text="Country: Brazil").count() == 1


def test_mainly_about_facet_keeps_stories_about_a_country(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=coffee")
    mentioning = facet_count(page, "country", "Brazil")
    about = facet_count(page, "about", "Brazil")
    assert 0 < about < mentioning  # some reports from the London talks name Brazil once
    with page.expect_navigation():
        facet_item(page, "about", "Brazil").locator(".facet-toggle").click()
    assert "about=Brazil" in page.url and total(page) == about
    assert facet_count(page, "about", "Brazil") == total(page)
    assert page.locator(".active-filters", has_text="Mainly about: Brazil").count() == 1


def test_exclude_a_person(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=coffee")
    before = total(page)
    item = page.locator("section[aria-labelledby=facet-person] .facet-item").first
    name = item.locator(".facet-value").inner_text()
    count = int(item.locator(".count").inner_text())
    with page.expect_navigation():
        item.locator(".facet-exclude").click()
    assert total(page) == before - count
    assert page.locator(".chip-exclude", has_text=name).count() == 1
    with page.expect_navigation():
        page.locator(".chip-exclude .chip-remove").click()
    assert total(page) == before


def test_page_two_and_the_back_button(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=oil")
    first = page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.id)")
    with page.expect_navigation():
        page.click("a[rel=next]")
    assert "page=2" in page.url
    second = page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.id)")
    assert second and not set(first) & set(second)
    page.go_back()
    assert page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.id)") == first


def test_sort_by_newest(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=oil")
    with page.expect_navigation():
        page.click("a[data-sort=newest]")
    assert "sort=newest" in page.url
    ids = page.locator(".hit").evaluate_all("els => els.map(e => e.dataset.id)")
    dates = [page.request.get(f"{reuters_server}/api/article/{i}").json()["published"]
             for i in ids]
    assert dates == sorted(dates, reverse=True)


def test_open_an_article_with_highlights_then_a_person_page(page, reuters_server) -> None:
    search(page, reuters_server, "baker treasury")
    with page.expect_navigation():
        page.locator(".hit-title a").first.click()
    assert "/article/" in page.url and "q=baker" in page.url
    assert page.locator(".article-body mark").count() > 0
    assert page.locator(".related-list li").count() > 0
    with page.expect_navigation():
        page.locator(".entities .chip-person", has_text="James Baker").click()
    assert page.locator("h1").inner_text() == "James Baker"
    assert page.locator(".cooccur-list li").count() > 0
    assert page.locator(".hit").count() > 0 and page.locator(".bar-link").count() > 0


def test_click_a_timeline_bar(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=oil")
    before = total(page)
    with page.expect_navigation():
        page.locator(".bar-link[data-bucket='1987-03-02'] .bar-hit").click()
    assert "from=1987-03-02" in page.url and "to=1987-03-02" in page.url
    assert 0 < total(page) < before
    assert set(page.locator(".hit .date").all_inner_texts()) == {"2 Mar 1987"}
    with page.expect_navigation():
        page.click(".timeline .segmented >> text=Share of all")
    assert "chart=share" in page.url and page.locator(".chart-peak").inner_text().endswith("%")


def test_autocomplete_adds_a_person_filter(page, reuters_server) -> None:
    page.goto(reuters_server + "/")
    page.locator("#q").press_sequentially("dollar bak", delay=30)
    option = page.locator("#q-suggestions [role=option]", has_text="James Baker")
    option.wait_for()
    assert page.get_attribute("#q", "aria-expanded") == "true"
    with page.expect_navigation():
        option.click()
    assert "person=James+Baker" in page.url and "q=dollar" in page.url
    assert page.input_value("#q") == "dollar"
    assert page.locator(".active-filters", has_text="Person: James Baker").count() == 1


def test_did_you_mean_link(page, reuters_server) -> None:
    search(page, reuters_server, "cocao")
    link = page.locator("#did-you-mean")
    assert link.inner_text() == "cocoa"
    with page.expect_navigation():
        link.click()
    assert page.input_value("#q") == "cocoa" and total(page) > 0


def test_similar_copies_expand_inline(page, reuters_server) -> None:
    page.goto(reuters_server + "/?q=opec")
    link = page.locator("a.similar").first
    link.click()
    page.locator(".copies li").first.wait_for()
    assert link.get_attribute("aria-expanded") == "true" and "/?" in page.url


def test_script_in_query_runs_nothing(page, reuters_server) -> None:
    attack = "oil <script>alert(1)</script>"
    search(page, reuters_server, attack)
    assert page.input_value("#q") == attack
    assert attack in page.locator(".total").inner_text()


def test_script_in_article_body_runs_nothing(page, hostile_server) -> None:
    page.goto(hostile_server + "/article/hostile.txt?q=minister")
    body = page.locator(".article-body").inner_text()
    assert "<script>alert(1)</script>" in body and "<img src=x onerror=alert(2)>" in body
    assert "<script>alert(1)</script>" in page.locator("h1").inner_text()
    assert page.locator(".article-body script, .article-body img").count() == 0
    page.goto(hostile_server + "/?q=minister")
    assert "<b>bold</b>" in page.locator(".hit-title").inner_text()


@pytest.mark.parametrize("path", ["/?q=oil+prices&country=Saudi+Arabia", "/article/reuters-17?q=health",
                                  "/person/James Baker", "/?q=%22broken"])
def test_phone_width_has_no_horizontal_scroll(browser, reuters_server, path: str) -> None:
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True)
    tab = context.new_page()
    tab.goto(reuters_server + path)
    width = tab.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    context.close()
    assert width[0] <= width[1] == 375


def test_save_screenshots(page, reuters_server, tmp_path: Path) -> None:
    """The README's screenshots: search, article and person pages, desktop and phone."""
    shots_dir = Path(os.environ.get(SCREENSHOTS_ENV) or tmp_path)
    shots_dir.mkdir(parents=True, exist_ok=True)
    shots = {"search": "/?q=oil+prices", "article": "/article/reuters-17?q=health+program",
             "person": "/person/James Baker",
             "compare": "/compare?q=oil&q=coffee+country%3Abrazil&q=grain&interval=day"}
    for name, path in shots.items():
        page.goto(reuters_server + path)
        page.screenshot(path=str(shots_dir / f"{name}.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(reuters_server + "/?q=coffee&country=Brazil")
    page.screenshot(path=str(shots_dir / "search-phone.png"))
    assert all((shots_dir / f"{n}.png").stat().st_size > 10_000 for n in shots)
