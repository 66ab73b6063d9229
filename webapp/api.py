"""The JSON API (documented in docs/api.md): the page's data for scripts and tools.

``/api/search`` takes exactly the search page's parameters and returns the same JSON as
``newsearch search --format json``. Errors are JSON objects with a 4xx status.
"""

from __future__ import annotations

from flask import Blueprint, abort, jsonify, request

from indexer.search.model import MAX_LIMIT, QueryError
from indexer.search.urlstate import MAX_PARAM_CHARS, parse_int, search_request
from webapp.engine import current_engine

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.get("/search")
def search():
    return jsonify(current_engine().search(search_request(request.args)).to_json())


@bp.get("/article/<path:article_id>")
def article(article_id: str):
    """The stored article; with ``q``, also the spans of the matches in its title and
    body (character offsets, docs/api.md)."""
    engine = current_engine()
    found = engine.article(article_id)
    if found is None:
        abort(404, description=f"There is no article with id {article_id!r}.")
    data = found.to_json()
    q = request.args.get("q", "")
    if q:
        title_spans, body_spans = engine.highlight_article(found, q)
        data["title_spans"] = [list(s) for s in title_spans]
        data["body_spans"] = [list(s) for s in body_spans]
    return jsonify(data)


@bp.get("/facets/<facet>")
def facet_values(facet: str):
    """Autocomplete: the most frequent values of a facet having a word starting with
    ``prefix``, over the whole index."""
    prefix = request.args.get("prefix", "").strip()
    limit = parse_int(request.args, "limit", 10)
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if len(prefix) > MAX_PARAM_CHARS:
        raise QueryError(f"prefix is longer than {MAX_PARAM_CHARS} characters")
    values = current_engine().facet_values(facet, prefix, limit)
    return jsonify({"facet": facet, "prefix": prefix,
                    "values": [{"value": v.value, "count": v.count} for v in values]})
