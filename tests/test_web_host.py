"""The Host header is the client's word: it never breaks a page nor makes a link.

A Host that cannot be a host name is a 400 with the security headers (it used to crash
the HTML error handler into a bare 500), and the feed's absolute links come from the
configured public URL, whatever Host the request carried.
"""

from __future__ import annotations

import feedparser
import pytest

from webapp import create_app
from webapp.security import HEADERS

BAD_HOSTS = ["..", "x" * 300, "a..b", "news." + "b" * 64, ".example"]


@pytest.mark.parametrize("host", BAD_HOSTS)
@pytest.mark.parametrize("path", ["/", "/?q=missile", "/static/style.css", "/article/x",
                                  "/feed.atom", "/api/search?q=missile"])
def test_a_bad_host_header_is_a_400_with_the_security_headers(corpus_index, host: str,
                                                              path: str) -> None:
    app = create_app({"INDEX_DIR": str(corpus_index)})
    response = app.test_client().get(path, headers={"Host": host})
    assert response.status_code == 400
    assert all(response.headers.get(k) == v for k, v in HEADERS.items())
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "Host header" in body


def _feed_links(app, host: str) -> tuple[list[str], str]:
    body = app.test_client().get("/feed.atom?q=missile", headers={"Host": host}).get_data(
        as_text=True)
    feed = feedparser.parse(body)
    assert not feed.bozo and len(feed.entries) > 1
    return [feed.feed.link, feed.feed.id] + [e.link for e in feed.entries], body


def test_feed_links_default_to_the_served_address_not_the_host_header(corpus_index) -> None:
    app = create_app({"INDEX_DIR": str(corpus_index)})
    links, body = _feed_links(app, "evil.example")
    assert all(link.startswith("http://127.0.0.1:5000/") for link in links), links
    assert "evil.example" not in body


def test_feed_links_use_the_configured_public_url(corpus_index) -> None:
    app = create_app({"INDEX_DIR": str(corpus_index),
                      "PUBLIC_URL": "https://news.example.org/archive"})
    links, body = _feed_links(app, "evil.example:8080")
    assert all(link.startswith("https://news.example.org/archive/") for link in links)
    assert any(link.startswith("https://news.example.org/archive/article/") for link in links)
    assert "evil.example" not in body


@pytest.mark.parametrize("url", ["news.example.org", "ftp://news.example.org/",
                                 "https:///nohost", "https://x.org/?a=1", "javascript:alert(1)"])
def test_a_malformed_public_url_is_refused_at_start(corpus_index, url: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        create_app({"INDEX_DIR": str(corpus_index), "PUBLIC_URL": url})
