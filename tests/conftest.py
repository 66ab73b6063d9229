"""Shared fixtures: temporary indexes built from real articles.

``../shared`` holds the real corpora beside the repository; tests that need them skip
with a message when it is absent. Indexes are built once per session and shared.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from indexer.build import build_index

# The real OpenSearch node (fixture ``opensearch_url``) and the CI rule for its tests.
pytest_plugins = ["tests.opensearch_node", "tests.browsing"]  # browsing: one Chromium

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"
CORPORA = SHARED / "corpora"
SAMPLE = SHARED / "samples" / "kono-pompeo-amman.txt"
REUTERS_FILES = ("reut2-000.sgm", "reut2-001.sgm", "reut2-002.sgm")


def shared_path(*parts: str) -> Path:
    """A path under ../shared, or skip the test when the data is not there."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"real data not available: {path} (../shared is absent)")
    return path


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the bundled corpus/ folder (no ../shared needed)."""
    target = tmp_path_factory.mktemp("corpus-index")
    build_index([REPO / "corpus"], target)
    return target


@pytest.fixture(scope="session")
def bbc_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All 2,225 BBC articles (no dates; used for text, entity and duplicate tests)."""
    source = shared_path("corpora", "bbc")
    target = tmp_path_factory.mktemp("bbc-index")
    build_index([source], target, workers=2)
    return target


@pytest.fixture(scope="session")
def reuters_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The first 3,000 Reuters-21578 articles (dated 26 Feb - 9 Mar 1987) in a temp folder."""
    source = shared_path("corpora", "reuters21578")
    folder = tmp_path_factory.mktemp("reuters-subset")
    for name in REUTERS_FILES:
        shutil.copy(source / name, folder / name)
    return folder


@pytest.fixture(scope="session")
def reuters_index(reuters_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An index of the Reuters subset, shared by API, CLI, web and browser tests."""
    target = tmp_path_factory.mktemp("reuters-index")
    build_index([reuters_dir], target, workers=2)
    return target


HOSTILE_ARTICLES = {
    "hostile.txt": (
        "---\ntitle: <script>alert(1)</script> Bolivia minister <b>bold</b> claims\n"
        "date: 1987-03-01\nurl: javascript:alert(1)\n---\n"
        "LA PAZ — The minister said <script>alert(1)</script> and "
        "<img src=x onerror=alert(2)> during talks on tin prices in Bolivia.\n\n"
        "Tin producers in Bolivia and Peru met again on Monday.\n"),
    "=formula.txt": (
        "---\ntitle: =HYPERLINK(\"http://evil.example\",\"click\") tin report\n"
        "date: 1987-03-02\n---\nTin output in Peru rose, the ministry said.\n"),
    "nested/dir/plain-story.txt": (
        "---\ntitle: Tin council meets in London\ndate: 1987-03-03\n---\n"
        "LONDON — The International Tin Council met in Britain about Bolivia's output.\n"),
}


@pytest.fixture(scope="session")
def hostile_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny index whose articles carry script tags, a javascript: URL, a spreadsheet
    formula title and a nested-path id: the web app must show all of it as text."""
    folder = tmp_path_factory.mktemp("hostile-articles")
    for name, text in HOSTILE_ARTICLES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    target = tmp_path_factory.mktemp("hostile-index")
    build_index([folder], target)
    return target


#: The shared suite's OpenSearch index layout, "SHARDSxREPLICAS" (NEWSEARCH_TEST_LAYOUT):
#: one shard by default; `make test-sharded` runs the suite again on "3x1" over 3 nodes.
SHARED_LAYOUT = tuple(int(n) for n in os.environ.get("NEWSEARCH_TEST_LAYOUT", "1x0").split("x"))


@pytest.fixture(scope="session")
def reuters_os(reuters_dir: Path, opensearch_url: str) -> Iterator[str]:
    """The same Reuters subset in an OpenSearch index of its own (removed at the end)."""
    location = f"{opensearch_url}/test-reuters-{os.getpid()}"
    shards, replicas = SHARED_LAYOUT
    build_index([reuters_dir], location, workers=2, rebuild=True, shards=shards,
                replicas=replicas)
    yield location
    drop_opensearch_index(location)


def drop_opensearch_index(location: str) -> None:
    """Remove an index a test made (the alias, the concrete index behind it, its word
    list and its saved searches)."""
    from indexer.engines.opensearch.client import connect, parse_location
    from indexer.engines.opensearch.writer import side_index

    where = parse_location(location)
    name, client = where.name, connect(where)
    for concrete in client.indices.get_alias(name=name, ignore=[404]):
        if concrete not in ("error", "status"):
            client.indices.delete(index=f"{concrete},{side_index(concrete)}", ignore=[404],
                                  params={"ignore_unavailable": "true"})
    from indexer.insights.saved import saved_index

    client.indices.delete(index=saved_index(name), ignore=[404],
                          params={"ignore_unavailable": "true"})


#: The shared behavioural suite runs every test that takes ``reuters_location`` (or
#: ``reuters_engine``) once per engine, on the same articles.
ENGINES = ("whoosh", pytest.param("opensearch", marks=[pytest.mark.opensearch,
                                                      pytest.mark.shared]))


@pytest.fixture(scope="session", params=ENGINES)
def reuters_location(request: pytest.FixtureRequest) -> str:
    """The Reuters subset's location on each engine in turn: a folder, then a URL."""
    if request.param == "whoosh":
        return str(request.getfixturevalue("reuters_index"))
    return request.getfixturevalue("reuters_os")


@pytest.fixture(scope="session")
def reuters_engine(reuters_location: str):
    """An engine over the Reuters subset, once per engine (see ENGINES)."""
    from indexer.search.engine import open_engine

    return open_engine(reuters_location)


@pytest.fixture(scope="session")
def reuters_web(reuters_location: str):
    """A Flask test client of the web app over the Reuters subset, on each engine."""
    from webapp import create_app

    return create_app({"INDEX_DIR": reuters_location}).test_client()


@pytest.fixture(scope="session")
def hostile_web(hostile_index: Path):
    """A Flask test client over the hostile articles (script tags, formulas, nested ids)."""
    from webapp import create_app

    return create_app({"INDEX_DIR": str(hostile_index)}).test_client()


# -- saved searches and alerts: a small index per test that the test may write to --------

def reuters_articles(first: int, last: int) -> str:
    """Reuters-21578 articles ``first``..``last`` (1-based, of reut2-000.sgm) as one SGML
    file's text: small real files for tests that index, save, then index more."""
    text = shared_path("corpora", "reuters21578", "reut2-000.sgm").read_text("latin-1")
    head, *articles = text.split("<REUTERS ")
    chosen = ["<REUTERS " + a.split("</REUTERS>")[0] + "</REUTERS>\n"
              for a in articles[first - 1:last]]
    return head + "".join(chosen)


def write_reuters_files(folder: Path, parts: dict[str, tuple[int, int]]) -> Path:
    """``folder`` holding one SGML file per name, of the Reuters articles ``(first, last)``
    (``reuters_articles``); made if needed."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, (first, last) in parts.items():
        (folder / name).write_text(reuters_articles(first, last), "latin-1")
    return folder


@pytest.fixture
def fixed_added_stamp(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every run stamps its articles with the same "added" moment (an indexed number),
    so that two builds of the same articles are given the same postings."""
    import indexer.engines.whoosh.writer as whoosh_writer

    monkeypatch.setattr(whoosh_writer, "now_stamp", lambda: 1_700_000_000)


@pytest.fixture(params=ENGINES)
def writable_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty location on each engine in turn (a folder, then an OpenSearch index named
    with the pid, dropped at the end) for a test to build and rebuild."""
    if request.param == "whoosh":
        yield str(tmp_path / "index")
        return
    base = request.getfixturevalue("opensearch_url")
    location = f"{base}/test-saved-{os.getpid()}-{request.node.name.split('[')[0][-30:]}"
    location = location.lower().replace("_", "-")
    drop_opensearch_index(location)
    yield location
    drop_opensearch_index(location)
