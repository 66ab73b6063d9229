"""Who appears with whom: a search's most frequent names linked by shared results. Every
count is a filtered total (checked search by search on both engines); the API, the page,
the GEXF/GraphML downloads and the CLI show the same graph."""

from __future__ import annotations

import io
import json
import re
from itertools import combinations

import networkx as nx
import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.insights.network import network
from indexer.search.model import QueryError, SearchRequest


def total(engine, query: str = "", **fields) -> int:
    return engine.search(SearchRequest(query=query, limit=1, highlight=False, **fields)).total


def both(query: str, field: str, a: str, b: str, other: str = "", c: str = "") -> str:
    """The search narrowed to documents holding two names (filters would OR them)."""
    second = f'{other or field}:"{c or b}"' if other else f'{field}:"{b}"'
    return f'({query}) {field}:"{a}" {second}' if query else f'{field}:"{a}" {second}'


@pytest.mark.parametrize("query", ["oil", "coffee", "opec", ""])
def test_edge_weights_equal_the_totals_filtered_by_both_names(reuters_engine, query):
    graph = network(reuters_engine, SearchRequest(query=query), limit=12)
    assert graph.nodes and graph.edges
    for node in graph.nodes:
        assert node.count == total(reuters_engine, query, people=(node.value,))
    weights = {frozenset((e.source, e.target)): e.weight for e in graph.edges}
    for a, b in combinations([n.value for n in graph.nodes], 2):  # every pair, linked or not
        assert weights.get(frozenset((a, b)), 0) == \
            total(reuters_engine, both(query, "person", a, b))


def test_nodes_are_the_most_frequent_names(reuters_engine):
    req = SearchRequest(query="oil")
    graph = network(reuters_engine, req, limit=10)
    counts = [n.count for n in graph.nodes]
    assert len(counts) == 10 and counts == sorted(counts, reverse=True)
    top = reuters_engine.search(SearchRequest(query="oil", facet_limit=30)).facets["people"]
    assert counts == [v.count for v in top][:10]
    assert graph.total == total(reuters_engine, "oil")


def test_people_and_countries_together(reuters_engine):
    graph = network(reuters_engine, SearchRequest(query="coffee"), ("people", "countries"), 6)
    facets = {n.facet for n in graph.nodes}
    assert facets == {"people", "countries"}
    assert all(n.id == f"{'person' if n.facet == 'people' else 'country'}:{n.value}"
               for n in graph.nodes)
    by_id = {n.id: n for n in graph.nodes}
    mixed = [e for e in graph.edges if by_id[e.source].facet != by_id[e.target].facet]
    assert mixed
    for e in mixed[:6]:
        a, b = by_id[e.source], by_id[e.target]
        query = f'coffee {a.id.split(":")[0]}:"{a.value}" {b.id.split(":")[0]}:"{b.value}"'
        assert e.weight == total(reuters_engine, query)


def test_layout_is_deterministic(reuters_engine):
    req = SearchRequest(query="oil")
    assert network(reuters_engine, req).layout() == network(reuters_engine, req).layout()


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_graph_files_parse_back_with_networkx(reuters_engine, fmt):
    graph = network(reuters_engine, SearchRequest(query="opec"), limit=15)
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    g = read(io.BytesIO(graph.export(fmt)))
    assert sorted(g.nodes) == sorted(n.id for n in graph.nodes)
    assert {frozenset((a, b)): int(w) for a, b, w in g.edges(data="weight")} == \
        {frozenset((e.source, e.target)): e.weight for e in graph.edges}
    assert {n: int(c) for n, c in g.nodes(data="count")} == {n.id: n.count for n in graph.nodes}


@pytest.mark.parametrize(("facets", "limit"), [(("nope",), 10), (("people",), 0),
                                               (("people",), 101), (("people", "countries"), 60),
                                               ((), 10)])
def test_bad_options_are_refused(reuters_engine, facets, limit):
    with pytest.raises(QueryError):
        network(reuters_engine, SearchRequest(query="oil"), facets, limit)


# -- JSON API, page, downloads, CLI -----------------------------------------------------

def test_api_returns_the_documented_shape(reuters_web, reuters_engine):
    data = reuters_web.get("/api/network?q=oil&facet=people&limit=8").get_json()
    assert list(data) == ["nodes", "edges"]
    assert len(data["nodes"]) == 8
    assert all(list(n) == ["id", "count"] for n in data["nodes"])
    assert all(list(e) == ["source", "target", "weight"] for e in data["edges"])
    assert data == network(reuters_engine, SearchRequest(query="oil"), limit=8).to_json()


def test_api_honours_the_searchs_filters(reuters_web, reuters_engine):
    data = reuters_web.get("/api/network?q=prices&country=Brazil&limit=6").get_json()
    for e in data["edges"]:
        assert e["weight"] == total(reuters_engine, both("prices", "person", e["source"],
                                                         e["target"]), countries=("Brazil",))


@pytest.mark.parametrize("path", ["/api/network", "/network", "/network.gexf", "/network.graphml"])
@pytest.mark.parametrize("query", ["facet=nope", "limit=0", "limit=101", "limit=x", "q=(oil",
                                   "facet=people&facet=countries&limit=80"])
def test_bad_input_is_a_400_with_a_message(reuters_web, path, query):
    resp = reuters_web.get(f"{path}?{query}")
    assert resp.status_code == 400
    text = resp.get_data(as_text=True)
    assert "Traceback" not in text
    if path.startswith("/api/"):
        assert resp.get_json()["error"]["message"]
    elif path == "/network":
        assert 'class="error-message"' in text


def test_page_draws_every_node_and_edge_in_svg(reuters_web, reuters_engine):
    html = reuters_web.get("/network?q=oil&limit=10").get_data(as_text=True)
    graph = network(reuters_engine, SearchRequest(query="oil"), limit=10)
    svg = html[html.index("<svg"):html.index("</svg>")]
    assert svg.count("<circle") == len(graph.nodes) == 10
    assert svg.count("<line") == len(graph.edges)
    assert "<script" not in html[html.index("<main"):]  # drawn on the server
    # each node links to the search narrowed to it, whose total is the node's count
    first = graph.nodes[0]
    link = re.search(r'<a href="([^"]+)" class="node node-people" data-id="'
                     + re.escape(first.value) + '"', svg).group(1).replace("&amp;", "&")
    page = reuters_web.get(link).get_data(as_text=True)
    assert re.search(r'id="total">([\d,]+)<', page).group(1).replace(",", "") == str(first.count)
    assert html.count('<tr><td>') == len(graph.edges)


def test_search_page_links_to_its_network(reuters_web):
    html = reuters_web.get("/?q=oil&country=Kuwait").get_data(as_text=True)
    assert re.search(r'href="/network\?q=oil&amp;country=Kuwait"', html)


@pytest.mark.parametrize("fmt", ["gexf", "graphml"])
def test_downloads_are_attachments_that_parse(reuters_web, fmt):
    resp = reuters_web.get(f"/network.{fmt}?q=opec&limit=10")
    assert resp.status_code == 200
    assert resp.headers["Content-Disposition"] == f'attachment; filename="network-opec.{fmt}"'
    read = nx.read_gexf if fmt == "gexf" else nx.read_graphml
    assert len(read(io.BytesIO(resp.data)).nodes) == 10


def test_cli_formats(reuters_location, reuters_web):
    runner = CliRunner()

    def run(*args):
        out = runner.invoke(main, ["network", "opec", "--index", reuters_location, *args])
        assert out.exit_code == 0, out.output
        return out.output
    assert json.loads(run("--limit", "9", "--format", "json")) == reuters_web.get(
        "/api/network?q=opec&limit=9").get_json()
    g = nx.read_gexf(io.BytesIO(run("--limit", "9", "--format", "gexf").encode()))
    assert len(g.nodes) == 9
    g = nx.read_graphml(io.BytesIO(run("--facet", "people", "--facet", "countries",
                                       "--limit", "4", "--format", "graphml").encode()))
    assert len(g.nodes) == 8 and any(n.startswith("country:") for n in g.nodes)
    table = run("--limit", "5")
    assert table.splitlines()[0].startswith("5 names,")


@pytest.mark.parametrize("args", [["--facet", "nope"], ["--limit", "0"], ["--limit", "101"],
                                  ["(opec"]])
def test_cli_bad_input_exits_2(reuters_location, args):
    out = CliRunner().invoke(main, ["network", "--index", reuters_location, *args])
    assert out.exit_code == 2 and "Error" in out.output and "Traceback" not in out.output


@pytest.mark.opensearch
@pytest.mark.parametrize("query", ["oil", "coffee", "bank rates", ""])
def test_both_engines_give_the_same_network_and_correlated_names(reuters_index, reuters_os,
                                                                 query):
    from indexer.insights.correlated import NAME_FACETS, correlated
    from indexer.search.engine import open_engine

    whoosh, opensearch = open_engine(reuters_index), open_engine(reuters_os)
    req = SearchRequest(query=query)
    assert network(opensearch, req, ("people", "countries"), 12).to_json() == \
        network(whoosh, req, ("people", "countries"), 12).to_json()
    for facet in NAME_FACETS:
        assert correlated(opensearch, req, facet, 20) == correlated(whoosh, req, facet, 20)
