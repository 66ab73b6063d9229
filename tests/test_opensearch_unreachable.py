"""An OpenSearch server that cannot be reached: a clear message and exit code 3 from every
command, a friendly 503 from the web app, and no count reported as done."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from indexer.cli import main as cli
from indexer.engines.opensearch.client import connect, parse_location
from indexer.search.engine import open_engine
from indexer.search.errors import EngineUnavailable
from indexer.search.model import SearchRequest
from tests.conftest import REPO

DEAD = "http://127.0.0.1:9/news"  # the discard port: nothing listens there


@pytest.mark.parametrize("argv", [
    ["search", "oil", "--index", DEAD],
    ["index", str(REPO / "corpus"), "--index", DEAD],
    ["stats", "--index", DEAD],
    ["show", "reuters-1", "--index", DEAD],
    ["related", "reuters-1", "--index", DEAD],
    ["optimize", "--index", DEAD],
])
def test_every_command_says_the_server_is_unreachable(argv):
    result = CliRunner().invoke(cli, argv)
    assert result.exit_code == 3, result.output
    assert "cannot reach OpenSearch at 127.0.0.1:9 (connection refused)" in result.output
    assert "Traceback" not in result.output and "Indexed" not in result.output


def test_a_server_lost_mid_session_is_a_503_page_and_recovers(reuters_os):
    from webapp import create_app

    app = create_app({"INDEX_DIR": reuters_os})
    client = app.test_client()
    assert client.get("/?q=oil").status_code == 200
    engine = app.extensions["newsearch.engine"]
    live = engine.client
    engine.client = connect(parse_location(f"http://127.0.0.1:9/{engine.index}"))
    page = client.get("/?q=oil")
    assert page.status_code == 503
    assert "cannot reach OpenSearch" in page.get_data(as_text=True)
    api = client.get("/api/search?q=oil")
    assert api.status_code == 503 and "cannot reach" in api.get_json()["error"]["message"]
    engine.client = live  # the hosts are back: the same app answers again
    assert client.get("/api/search?q=oil").get_json()["total"] > 0


def test_the_engine_raises_engine_unavailable_not_a_client_error(reuters_os):
    engine = open_engine(reuters_os)
    engine.client = connect(parse_location(f"http://127.0.0.1:9/{engine.index}"))
    with pytest.raises(EngineUnavailable, match="connection refused"):
        engine.search(SearchRequest(query="oil"))


def test_a_batch_of_reads_that_lost_a_node_is_asked_again(monkeypatch):
    """The expansion checks of a wildcard go out as one ``_msearch``, whose searches
    report a node lost mid-request in their answers, not as a failed request: the batch
    is sent again, as a single search would be, and the user sees the whole answer."""
    from opensearchpy import Transport

    lost = {"responses": [{"status": 500, "error": {
        "type": "node_disconnected_exception", "reason": "[node-2] disconnected"}}]}
    whole = {"responses": [{"hits": {"total": {"value": 3}, "hits": []}, "status": 200}]}
    answers = iter([lost, whole])
    monkeypatch.setattr(Transport, "perform_request", lambda *a, **k: next(answers))
    client = connect(parse_location("http://127.0.0.1:9/news"))
    assert client.msearch(body=[{"index": "news"}, {"size": 0}]) == whole
