"""One default sort, kept in SearchRequest: relevance with a query, newest without.

The CLI and the web app leave ``sort`` unset unless the user chooses, so both answer a
query-less search with the newest articles first and a query by relevance.
"""

from __future__ import annotations

import json

from click.testing import CliRunner

from indexer.cli import main
from indexer.search.model import SearchRequest


def _cli(index, *args: str) -> dict:
    result = CliRunner().invoke(main, ["search", *args, "--index", str(index), "--format",
                                       "json", "--limit", "20"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_the_request_resolves_the_default() -> None:
    assert SearchRequest().sort == "newest"
    assert SearchRequest(query="oil").sort == "relevance"
    assert SearchRequest(query="  ").sort == "newest"
    assert SearchRequest(query="oil", sort="oldest").sort == "oldest"


def test_cli_without_a_query_lists_the_newest_first(reuters_location, reuters_web) -> None:
    cli = _cli(reuters_location, "--country", "Japan")
    web = reuters_web.get("/api/search?country=Japan&limit=20").get_json()
    assert cli["sort"] == web["sort"] == "newest"
    published = [h["published"] for h in cli["hits"]]
    assert published == sorted(published, reverse=True)
    assert [h["id"] for h in cli["hits"]] == [h["id"] for h in web["hits"]]


def test_cli_and_web_rank_a_query_by_relevance(reuters_location, reuters_web) -> None:
    cli = _cli(reuters_location, "coffee")
    web = reuters_web.get("/api/search?q=coffee&limit=20").get_json()
    assert cli["sort"] == web["sort"] == "relevance"
    assert [h["id"] for h in cli["hits"]] == [h["id"] for h in web["hits"]]
