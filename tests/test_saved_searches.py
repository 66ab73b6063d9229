"""Saved searches from the page, the JSON API and the CLI, on both engines (issue 14):
the list with "N new since you last looked", saving and removing as CSRF-checked POSTs,
bad input refused with nothing changed, each search's Atom feed of new matches."""

from __future__ import annotations

import json
import re
import stat
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from click.testing import CliRunner

from indexer.build import build_index
from indexer.cli import main
from tests.conftest import reuters_articles
from webapp import create_app
from webapp.csrf import COOKIE

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def site(writable_location: str, tmp_path: Path):
    """(test client, location, folder of documents) over 20 Reuters articles."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 20), "latin-1")
    build_index([docs], writable_location)
    client = create_app({"INDEX_DIR": writable_location}).test_client()
    return client, writable_location, docs


def token(client, path: str = "/?q=said") -> str:
    page = client.get(path)
    assert page.status_code == 200
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def listed(client) -> list[tuple[str, str, int]]:
    data = client.get("/api/saved").get_json()
    return [(s["name"], s["state"], s["new"]) for s in data["saved"]]


def test_save_from_the_page_then_see_new_articles_and_open_them(site):
    client, location, docs = site
    answer = client.post("/saved", data={"name": "Said", "state": "q=said&page=3",
                                         "csrf": token(client)})
    assert answer.status_code == 303
    assert listed(client) == [("Said", "q=said", 0)]  # the page number is not state

    (docs / "b.sgm").write_text(reuters_articles(21, 40), "latin-1")
    build_index([docs], location)
    client = create_app({"INDEX_DIR": location}).test_client()
    fresh = client.get("/api/search?q=said&limit=1").get_json()["total"] - \
        client.get("/api/search?q=said&limit=1&added_after=2000-01-01").get_json()["total"]
    assert fresh == 0  # every article has a stamp
    (_, _, new), = listed(client)
    assert new > 0
    page = client.get("/saved")
    assert f"<strong>{new}</strong> new" in page.text

    opened = client.post("/saved/open", data={"name": "Said", "csrf": token(client)})
    assert opened.status_code == 303
    target = urlsplit(opened.headers["Location"])
    args = parse_qs(target.query)
    assert args["q"] == ["said"] and "added_after" in args
    shown = client.get(f"/api/search?{target.query}").get_json()
    assert shown["total"] == new
    assert all(int(h["id"].split("-")[-1]) > 20 for h in shown["hits"])
    assert listed(client) == [("Said", "q=said", 0)]  # looked: nothing new any more
    assert "never" not in client.get("/saved").text


def test_each_saved_search_has_an_atom_feed_of_its_new_matches(site):
    client, location, docs = site
    assert CliRunner().invoke(main, ["saved", "add", "Said", "q=said", "--index",
                                     location]).exit_code == 0
    feed = ET.fromstring(client.get("/saved/feed.atom?name=Said").data)
    assert feed.findall(f"{ATOM}entry") == []
    (docs / "b.sgm").write_text(reuters_articles(21, 40), "latin-1")
    build_index([docs], location)
    client = create_app({"INDEX_DIR": location}).test_client()
    response = client.get("/saved/feed.atom?name=Said")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.data)
    assert feed.find(f"{ATOM}title").text == "newsearch saved search: Said"
    entries = [e.find(f"{ATOM}id").text for e in feed.findall(f"{ATOM}entry")]
    (_, _, new), = listed(client)
    assert entries and len(entries) <= new
    assert all(int(e.rsplit("-", 1)[-1]) > 20 for e in entries)
    assert client.get("/saved/feed.atom?name=Nobody").status_code == 404


def test_bad_input_gets_a_clear_error_and_changes_nothing(site):
    client, location, _ = site
    good = token(client)
    assert client.post("/saved", data={"name": "Said", "state": "q=said",
                                       "csrf": good}).status_code == 303
    before = listed(client)
    cases = [
        ({"name": "x" * 10_000, "state": "q=oil", "csrf": good}, 400, "10,000 characters"),
        ({"name": "", "state": "q=oil", "csrf": good}, 400, "needs a name"),
        ({"name": "Oil", "state": 'q="oil', "csrf": good}, 400, "closing"),
        ({"name": "Oil", "state": "q=oil&sort=sideways", "csrf": good}, 400, "sort must be"),
        ({"name": "Oil", "state": "", "csrf": good}, 400, "no search to save"),
        ({"name": "Said", "state": "q=oil", "csrf": good}, 409, "exists already"),
        ({"name": "Oil", "state": "q=oil"}, 403, "did not come from this site"),
        ({"name": "Oil", "state": "q=oil", "csrf": good[:-1] + ("1" if good.endswith("0") else "0")}, 403, "security token"),
    ]
    for form, status, message in cases:
        answer = client.post("/saved", data=form)
        assert answer.status_code == status, form
        assert message in answer.text, (form, answer.text[:2000])
        assert listed(client) == before
    for path in ("/saved/remove", "/saved/open"):
        assert client.post(path, data={"name": "Nobody", "csrf": good}).status_code == 404
        assert client.post(path, data={"name": "Said"}).status_code == 403
        assert listed(client) == before
    assert client.get("/saved/feed.atom?name=" + "x" * 10_000).status_code == 404
    assert client.post("/saved/remove", data={"name": "Said", "csrf": good}).status_code == 303
    assert listed(client) == []


def test_a_token_from_another_site_or_cookie_is_refused(site):
    """Double submit: the form's token must equal the cookie and be signed by this
    index's key; a browser only sends the SameSite=Strict cookie from our own pages."""
    client, location, _ = site
    page = client.get("/?q=said")
    cookie = page.headers["Set-Cookie"]
    assert f"{COOKIE}=" in cookie and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    mine = token(client)
    other = create_app({"INDEX_DIR": location}).test_client()  # no cookie
    assert other.post("/saved", data={"name": "A", "state": "q=said",
                                      "csrf": mine}).status_code == 403
    forged = "0" * 32 + "." + "0" * 64  # well-formed, not signed with this index's key
    other.set_cookie(COOKIE, forged)
    assert other.post("/saved", data={"name": "A", "state": "q=said",
                                      "csrf": forged}).status_code == 403
    assert listed(client) == []


def test_tokens_hold_across_server_processes(site):
    """Workers share the secret stored beside the saved searches: a page one app served
    is accepted by another over the same index."""
    client, location, _ = site
    mine = token(client)
    second = create_app({"INDEX_DIR": location}).test_client()
    second.set_cookie(COOKIE, mine)
    assert second.post("/saved", data={"name": "A", "state": "q=said",
                                       "csrf": mine}).status_code == 303
    assert [n for n, _, _ in listed(client)] == ["A"]


def test_whoosh_keeps_the_database_and_a_private_secret_inside_the_index(tmp_path):
    docs, index = tmp_path / "docs", tmp_path / "index"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 5), "latin-1")
    build_index([docs], index)
    client = create_app({"INDEX_DIR": str(index)}).test_client()
    client.post("/saved", data={"name": "Said", "state": "q=said", "csrf": token(client)})
    secret = index / "newsearch-secret"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600
    assert (index / "newsearch-saved.sqlite").is_file()
    build_index([docs], index, rebuild=True)  # the index's clean-up leaves both alone
    build_index([docs], index)
    assert secret.is_file() and listed(client) == [("Said", "q=said", 0)]


def test_cli_saved_add_list_remove(writable_location, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 10), "latin-1")
    build_index([docs], writable_location)

    def run(*args: str):
        return CliRunner().invoke(main, [*args, "--index", writable_location])

    added = run("saved", "add", "Cocoa", "http://news.example/?q=cocoa&country=Brazil&page=2")
    assert added.exit_code == 0 and "q=cocoa&country=Brazil" in added.output
    assert run("saved", "add", "Cocoa", "q=oil").exit_code == 2
    assert run("saved", "add", "y" * 10_000, "q=oil").exit_code == 2
    listing = run("saved", "list", "--format", "json")
    assert [(s["name"], s["state"], s["new"]) for s in json.loads(listing.output)] == \
        [("Cocoa", "q=cocoa&country=Brazil", 0)]
    assert run("saved", "list").output.startswith("Cocoa\t0 new\tq=cocoa&country=Brazil")
    assert run("saved", "remove", "Nobody").exit_code == 1
    assert run("saved", "remove", "Cocoa").exit_code == 0
    assert json.loads(run("saved", "list", "--format", "json").output) == []


def test_drop_opensearch_index_removes_the_saved_searches(opensearch_url, tmp_path):
    from opensearchpy import OpenSearch

    from indexer.insights.saved import saved_index
    from tests.conftest import drop_opensearch_index

    location = f"{opensearch_url}/test-saved-drop-{tmp_path.name[-8:].lower()}"
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.sgm").write_text(reuters_articles(1, 3), "latin-1")
    build_index([docs], location)
    assert CliRunner().invoke(main, ["saved", "add", "S", "q=said", "--index",
                                     location]).exit_code == 0
    name = location.rsplit("/", 1)[1]
    client = OpenSearch([opensearch_url])
    assert client.indices.exists(index=saved_index(name))
    drop_opensearch_index(location)
    assert not client.indices.exists(index=saved_index(name))
