"""newsearch installed the way a user installs it: a wheel, in a fresh venv, its stock pip.

The rest of the suite runs on an editable install, which reads templates and static files
from the source tree, so a file missing from the package data (feed.xml once was) passes
it. Here the wheel is built from a copy of the source, installed with the pip that the
venv comes with (not upgraded: Python 3.11 ships pip 23.2, which does not install
trafilatura's lxml extra by itself), and the installed ``newsearch`` indexes the bundled
corpus and serves it. Every route of the app is requested from that server, and the Atom
feed is read by a real feed reader. Packages come from PyPI through pip's own cache.
"""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
import venv
import zipfile
from pathlib import Path

import feedparser
import pytest

from tests.conftest import REPO
from tests.serving import serving
from webapp.security import HEADERS

pytestmark = pytest.mark.slow

PUBLIC_URL = "https://news.example.org/archive/"
# Left out of the copy the wheel is built from: what a clean checkout does not have.
NOT_SOURCE = shutil.ignore_patterns(".venv", ".git", ".newsearch", "build", "dist",
                                    "*.egg-info", "__pycache__", ".pytest_cache",
                                    ".ruff_cache")
HTML_PAGE = """<!doctype html><html><head><title>Tin talks resume in La Paz</title>
<meta name="date" content="1987-03-02"></head><body><nav>Home · World</nav><article>
<h1>Tin talks resume in La Paz</h1>
<p>LA PAZ - Bolivia and Peru resumed talks on tin exports on Monday, the mining ministry
said, after producers in both countries cut output for a second month.</p>
<p>Officials said the International Tin Council would meet in London next week to
discuss the buffer stock, which has been frozen since the council ran out of money.</p>
</article><footer>Copyright</footer></body></html>
"""


def _run(*cmd: str | Path, cwd: Path) -> str:
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    env.pop("PYTHONPATH", None)
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=1200)
    assert done.returncode == 0, f"{cmd} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A fresh venv outside the repository with newsearch installed from its wheel, and an
    index of corpus/ (plus one HTML page) built by that installed ``newsearch``."""
    work = tmp_path_factory.mktemp("installed")
    source = work / "source"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    env_dir = work / "venv"
    venv.create(env_dir, with_pip=True)
    python, pip = env_dir / "bin" / "python", env_dir / "bin" / "pip"
    _run(pip, "wheel", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work)
    wheel = next((work / "dist").glob("newsearch-*.whl"))
    _run(pip, "install", wheel, cwd=work)
    articles = work / "articles"
    shutil.copytree(REPO / "corpus", articles)
    (articles / "tin-talks.html").write_text(HTML_PAGE, "utf-8")
    index = work / "index"
    _run(env_dir / "bin" / "newsearch", "index", articles, "--index", index, cwd=work)
    return {"work": work, "python": python, "pip": pip, "wheel": wheel, "index": index,
            "newsearch": env_dir / "bin" / "newsearch"}


def test_the_venv_uses_its_own_pip_and_its_own_copy(installed) -> None:
    """The stock pip installed it, and the code runs from the venv, not from the repo."""
    stock = subprocess.run([sys.executable, "-c", "import ensurepip; "
                            "print(ensurepip.version())"], capture_output=True, text=True)
    version = _run(installed["pip"], "--version", cwd=installed["work"]).split()[1]
    assert version == stock.stdout.strip()
    where = _run(installed["python"], "-c", "import indexer, webapp, lxml_html_clean, "
                 "trafilatura; print(indexer.__file__); print(webapp.__file__)",
                 cwd=installed["work"])
    assert all("site-packages" in line and str(REPO) not in line
               for line in where.splitlines())


def test_the_wheel_holds_every_template_and_static_file(installed) -> None:
    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    for folder in ("templates", "static"):
        for path in (REPO / "webapp" / folder).iterdir():
            assert f"webapp/{folder}/{path.name}" in names


def _get(url: str, **headers: str) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


POSTS = ("/saved", "/saved/open", "/saved/remove")


def _post(url: str, fields: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_every_route_answers_from_the_installed_package(installed, corpus_index) -> None:
    """One request per route of the app (checked against its URL map), each answered by
    the installed server with its security headers, plus the error page."""
    from webapp import create_app

    with serving(installed["index"], "--public-url", PUBLIC_URL,
                 newsearch=installed["newsearch"], cwd=installed["work"]) as base:
        found = json.loads(_get(base + "/api/search?q=missile&limit=1")[2])
        article_id = found["hits"][0]["id"]
        person = found["facets"]["people"][0]["value"]
        country = found["facets"]["countries"][0]["value"]
        quoted = urllib.parse.quote
        urls = {
            "/": "text/html", "/?q=missile&country=Japan": "text/html",
            "/api/search?q=tin+bolivia": "application/json",
            f"/article/{quoted(article_id)}?q=missile": "text/html",
            f"/person/{quoted(person)}": "text/html",
            f"/country/{quoted(country)}": "text/html",
            "/api/search?q=missile": "application/json",
            f"/api/article/{quoted(article_id)}?q=missile": "application/json",
            "/api/facets/people?prefix=k": "application/json",
            "/export.csv?q=missile": "text/csv", "/export.json?q=missile": "application/json",
            "/feed.atom?q=missile": "application/atom+xml",
            # correlated names and the network (indexer.insights)
            "/api/correlated?q=missile&facet=countries&min_count=1": "application/json",
            "/api/network?q=missile": "application/json",
            "/network?q=missile": "text/html", "/network.gexf?q=missile": "application/xml",
            # compare and bursts, saved searches (their POSTs are below)
            "/compare?q=missile&q=japan": "text/html", "/compare.csv?q=missile": "text/csv",
            "/api/compare?q=missile&q=japan": "application/json",
            "/api/bursts?q=missile": "application/json",
            "/saved": "text/html", "/api/saved": "application/json",
            **{f"/static/{p.name}": "" for p in (REPO / "webapp" / "static").iterdir()},
        }
        answers = {path: _get(base + path) for path in urls}
        missing = _get(base + "/article/no-such-article")
        unknown_feed = _get(base + "/saved/feed.atom?name=nobody")
        # A POST without the page's token is refused, whichever saved-search action it is.
        posts = {path: _post(base + path, {"name": "Missiles", "state": "q=missile"})
                 for path in POSTS}
    for path, (status, headers, body) in answers.items():
        assert status == 200, (path, body[:300])
        assert headers["Content-Type"].startswith(urls[path]), path
        assert all(headers.get(name) == value for name, value in HEADERS.items()), path
        assert body, path
    assert missing[0] == 404 and b"There is no article" in missing[2]
    assert unknown_feed[0] == 404
    for path, (status, headers, body) in posts.items():
        assert status == 403 and b"token" in body.lower(), (path, body[:300])
        assert all(headers.get(name) == value for name, value in HEADERS.items()), path
    tin = json.loads(answers["/api/search?q=tin+bolivia"][2])["hits"]  # the HTML page
    assert [h["title"] for h in tin] == ["Tin talks resume in La Paz"]
    rows = list(csv.DictReader(io.StringIO(answers["/export.csv?q=missile"][2].decode())))
    exported = json.loads(answers["/export.json?q=missile"][2])
    assert len(rows) == exported["count"] == found["total"] > 1

    adapter = create_app({"INDEX_DIR": str(corpus_index)}).url_map.bind("localhost")
    routed = {adapter.match(urllib.parse.unquote(path.split("?")[0]))[0] for path in urls}
    routed |= {adapter.match("/saved/feed.atom")[0]}
    routed |= {adapter.match(path, method="POST")[0] for path in POSTS}
    every = {rule.endpoint for rule in adapter.map.iter_rules()}
    assert routed == every, f"routes without a smoke request: {every - routed}"


def test_a_feed_reader_reads_the_installed_feed(installed) -> None:
    with serving(installed["index"], "--public-url", PUBLIC_URL,
                 newsearch=installed["newsearch"], cwd=installed["work"]) as base:
        status, headers, body = _get(base + "/feed.atom?q=missile", Host="evil.example")
    assert status == 200 and headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10" and feed.feed.title.startswith("newsearch: missile")
    assert len(feed.entries) > 1
    published = [e.updated_parsed for e in feed.entries]
    assert published == sorted(published, reverse=True)
    links = [feed.feed.link] + [e.link for e in feed.entries] + [e.id for e in feed.entries]
    assert all(link.startswith(PUBLIC_URL) for link in links), links
    assert b"evil.example" not in body
    assert all(e.title and e.summary for e in feed.entries)
