"""The HTML pages through Flask's test client, on the Reuters subset."""

from __future__ import annotations

import re
from datetime import datetime
from html import unescape
from pathlib import Path

import pytest

from indexer.engines.whoosh.store import IndexMissing
from webapp import create_app


def text(response) -> str:
    return response.get_data(as_text=True)


def total(html: str) -> int:
    return int(re.search(r'<strong id="total">([\d,]+)</strong>', html).group(1).replace(",", ""))


def test_search_page_shows_highlighted_hits_facets_and_timeline(reuters_web) -> None:
    response = reuters_web.get("/?q=coffee")
    html = text(response)
    assert response.status_code == 200
    assert 'value="coffee"' in html  # the query box keeps the query
    assert total(html) == 39
    assert "<mark>coffee</mark>" in html.lower()
    assert 'class="facet-values"' in html and "Brazil" in html
    assert 'class="bar-link"' in html and "by day" in html
    assert 'href="/article/reuters-' in html


def test_filters_and_exclusions_change_the_total(reuters_web) -> None:
    everything = total(text(reuters_web.get("/?q=coffee")))
    brazil = total(text(reuters_web.get("/?q=coffee&country=Brazil")))
    either = total(text(reuters_web.get("/?q=coffee&country=Brazil&country=Colombia")))
    without = total(text(reuters_web.get("/?q=coffee&xcountry=Brazil")))
    assert brazil == 15 and brazil < either < everything
    assert without == everything - brazil
    html = text(reuters_web.get("/?q=coffee&country=Brazil&xperson=Jorio+Dauster"))
    assert "Not person: <strong>Jorio Dauster</strong>" in html
    assert 'aria-pressed="true"' in html  # Brazil ticked in the sidebar


def test_facet_search_box_narrows_one_facet(reuters_web) -> None:
    html = text(reuters_web.get("/?q=oil&countries_prefix=sau"))
    countries = html.split('id="facet-country"')[1].split("</section>")[0]
    assert "Saudi Arabia" in countries and "United States" not in countries


def test_mainly_about_facet_selects_and_excludes_like_countries(reuters_web) -> None:
    html = text(reuters_web.get("/?q=coffee"))
    about = html.split('id="facet-about"')[1].split("</section>")[0]
    assert ">Mainly about</h2>" in about and "Brazil" in about
    mentions = total(text(reuters_web.get("/?q=coffee&country=Brazil")))
    mainly = text(reuters_web.get("/?q=coffee&about=Brazil"))
    passing = total(text(reuters_web.get("/?q=coffee&country=Brazil&xabout=Brazil")))
    assert 0 < total(mainly) < mentions and total(mainly) + passing == mentions
    assert "Mainly about: <strong>Brazil</strong>" in mainly
    assert 'aria-pressed="true"' in mainly.split('id="facet-about"')[1].split("</section>")[0]
    narrowed = text(reuters_web.get("/?q=coffee&about_prefix=col"))
    about = narrowed.split('id="facet-about"')[1].split("</section>")[0]
    assert "Colombia" in about and "Brazil" not in about


def test_sort_pages_and_date_range(reuters_web) -> None:
    first = text(reuters_web.get("/?q=oil&sort=oldest"))
    second = text(reuters_web.get("/?q=oil&sort=oldest&page=2"))
    ids = re.compile(r'data-id="([^"]+)"')
    assert set(ids.findall(first)).isdisjoint(ids.findall(second))
    assert 'aria-current="page">2<' in second and 'rel="prev"' in second
    day = text(reuters_web.get("/?q=oil&from=1987-03-02&to=1987-03-02"))
    assert total(day) < total(first)
    assert re.findall(r'class="date">([^<]+)<', day) == ["2 Mar 1987"] * len(ids.findall(day))


def test_timeline_bar_links_narrow_to_the_bucket_and_share_mode(reuters_web) -> None:
    html = text(reuters_web.get("/?q=oil"))
    href = unescape(re.search(r'<a href="([^"]+)" class="bar-link" data-bucket="1987-03-02"',
                              html).group(1))
    assert "from=1987-03-02" in href and "to=1987-03-02" in href and "q=oil" in href
    share = text(reuters_web.get("/?q=oil&chart=share"))
    assert "%</span>" in share and re.search(r"of [\d,]+ \(\d+\.\d%\)", share)


def test_did_you_mean(reuters_web) -> None:
    html = text(reuters_web.get("/?q=cocao"))
    assert 'id="did-you-mean" href="/?q=cocoa"' in html


def test_folded_duplicates_link_to_all_copies(reuters_web) -> None:
    html = text(reuters_web.get("/?q=opec"))
    link = re.search(r'class="similar" href="([^"]+)"', html)
    assert link and "1 similar" in html
    copies = text(reuters_web.get(unescape(link.group(1))))
    assert total(copies) >= 2 and "Copies of one story" in copies


def test_empty_query_browses_newest_first(reuters_web) -> None:
    html = text(reuters_web.get("/"))
    assert total(html) == 3000
    assert 'data-sort="newest" aria-current="true"' in html


def test_no_results_and_page_past_the_end(reuters_web) -> None:
    assert "No articles match" in text(reuters_web.get("/?q=zzzqqqxxx"))
    assert "only" in text(reuters_web.get("/?q=cocoa&page=50"))


@pytest.mark.parametrize("query", ['"unclosed', "(oil", "foo:bar", "a*", "date:[nonsense to x]"])
def test_malformed_queries_show_a_friendly_message(reuters_web, query: str) -> None:
    response = reuters_web.get("/", query_string={"q": query})
    assert response.status_code == 400
    html = text(response)
    assert "That search could not be run" in html and "Traceback" not in html
    assert 'class="error-message"' in html


def test_bad_parameters_are_400_pages(reuters_web) -> None:
    for query in ("page=abc", "limit=500", "from=soon", "sort=up", "page=0"):
        response = reuters_web.get(f"/?q=oil&{query}")
        assert response.status_code == 400, query
        assert "error-message" in text(response)


def test_article_page_highlights_and_shows_entities_and_related(reuters_web) -> None:
    response = reuters_web.get("/article/reuters-17?q=health")
    html = text(response)
    assert response.status_code == 200
    assert "<mark>HEALTH</mark>" in html and "<mark>Health</mark>" in html
    assert "&lt;NHES&gt;" in html  # ticker text escaped, shown literally
    assert 'href="/country/United%20States"' in html
    assert "Related articles" in html and html.count('href="/article/') >= 2
    assert reuters_web.get("/article/reuters-17").status_code == 200


def test_article_page_says_what_the_story_is_mainly_about(reuters_web) -> None:
    html = text(reuters_web.get("/article/reuters-192"))  # "... two in West Germany"
    countries = html.split("<dt>Countries</dt>")[1].split("</dd>")[0]
    about = html.split("<dt>Mainly about</dt>")[1].split("</dd>")[0]
    assert "West Germany" in countries and "United States" in countries
    assert "United States" in about and "West Germany" not in about


def test_unknown_article_is_404(reuters_web) -> None:
    response = reuters_web.get("/article/reuters-999999")
    assert response.status_code == 404 and "no article" in text(response).lower()


def test_person_and_country_pages(reuters_web) -> None:
    html = text(reuters_web.get("/person/James Baker"))
    assert "<h1>James Baker</h1>" in html
    assert "Articles over time" in html and 'class="bar-link"' in html
    assert "People most often with James Baker" in html
    dates = [datetime.strptime(d, "%d %b %Y") for d in re.findall(r'class="date">([^<]+)<', html)]
    assert len(dates) == 18 and dates == sorted(dates, reverse=True)
    country = text(reuters_web.get("/country/brazil"))  # any case finds the canonical name
    assert "<h1>Brazil</h1>" in country and "Countries most often with Brazil" in country
    assert 'href="/?country=Brazil"' in country
    # ... and to the narrower search: the articles mainly about Brazil.
    articles = int(re.search(r"<strong>(\d+)</strong> articles", country)[1])
    mainly = re.search(r'id="mainly-about" href="([^"]+)"><strong>(\d+)</strong> mainly about', country)
    assert mainly[1] == "/?about=Brazil"
    assert 0 < int(mainly[2]) == total(text(reuters_web.get(mainly[1]))) < articles
    assert reuters_web.get("/person/Nobody Atall").status_code == 404
    assert reuters_web.get("/country/Brazil?page=x").status_code == 400


def test_unknown_route_and_method(reuters_web) -> None:
    assert reuters_web.get("/nope").status_code == 404
    assert reuters_web.post("/").status_code == 405


def test_static_files_are_served(reuters_web) -> None:
    for name in ("style.css", "app.js", "favicon.svg"):
        assert reuters_web.get(f"/static/{name}").status_code == 200


def test_create_app_needs_an_index(tmp_path: Path, monkeypatch, corpus_index: Path) -> None:
    with pytest.raises(IndexMissing):
        create_app({"INDEX_DIR": str(tmp_path / "none")})
    monkeypatch.setenv("NEWSEARCH_INDEX", str(corpus_index))
    app = create_app()
    assert app.config["INDEX_DIR"] == str(corpus_index) and not app.debug
