"""Correlated names and the network of a search: the JSON API, the network page and its
GEXF/GraphML downloads. The analyses are indexer.insights'; this only reads the URL (the
search's own parameters, plus ``facet``, ``limit`` and ``min_count``) and renders.
"""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from indexer.insights import correlated as corr
from indexer.insights import network as net
from indexer.search.facets import BY_NAME
from indexer.search.model import QueryError
from indexer.search.urlstate import parse_int, search_request
from webapp.engine import current_engine
from webapp.feeds import _filename
from webapp.network_chart import draw
from webapp.params import changed

bp = Blueprint("insights", __name__)

#: Parameters of these views that are not the search's: left out of links to the search.
_OWN_PARAMS = ("facet", "limit", "min_count", "page")


def _search_args() -> MultiDict:
    """The URL's search state without this view's own parameters."""
    args = MultiDict(request.args)
    for name in _OWN_PARAMS:
        args.setlist(name, [])
    return args


def _search_href(query: str) -> str:
    return f"{url_for('pages.search')}?{query}" if query else url_for("pages.search")


def _facets(default: tuple[str, ...]) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in request.args.getlist("facet") if v.strip()))
    return chosen or default


def _network() -> net.Network:
    req = search_request(_search_args())
    return net.network(current_engine(), req, _facets(net.DEFAULT_FACETS),
                       parse_int(request.args, "limit", net.DEFAULT_LIMIT))


@bp.get("/api/correlated")
def api_correlated():
    """``[{"value", "count", "background", "score"}]``, highest score first."""
    facets = _facets(("people",))
    if len(facets) > 1:
        raise QueryError("give one facet")
    found = corr.correlated(current_engine(), search_request(_search_args()), facets[0],
                            parse_int(request.args, "limit", corr.DEFAULT_LIMIT),
                            parse_int(request.args, "min_count", corr.MIN_COUNT))
    return jsonify([c.to_json() for c in found])


@bp.get("/api/network")
def api_network():
    """``{"nodes": [{"id", "count"}], "edges": [{"source", "target", "weight"}]}``."""
    return jsonify(_network().to_json())


@bp.get("/network.<any(gexf, graphml):fmt>")
def network_download(fmt: str):
    """The network as a file for Gephi and other graph tools."""
    graph = _network()
    name = _filename(search_request(_search_args()), fmt).replace("newsearch-", "network-")
    return Response(graph.export(fmt), mimetype="application/xml", headers={
        "Content-Disposition": f'attachment; filename="{name}"'})


@bp.get("/network")
def network_page():
    """The network drawn as SVG (laid out on the server), with its edges as a table."""
    q = request.args.get("q", "")
    try:
        graph = _network()
    except QueryError as exc:
        return render_template("network.html", error=str(exc), q=q,
                               facets=_facets(net.DEFAULT_FACETS)), 400
    search_args = _search_args()
    drawing = draw(graph, lambda facet, value: _search_href(
        changed(search_args, add=[(BY_NAME[facet].field, value)])))
    query = changed(request.args, remove=[("page", None)])
    return render_template("network.html", graph=graph, drawing=drawing, q=q,
                           facets=_facets(net.DEFAULT_FACETS),
                           limit=parse_int(request.args, "limit", net.DEFAULT_LIMIT),
                           search_link=_search_href(changed(search_args)), download_query=query,
                           labels={n.id: n.value for n in graph.nodes})
