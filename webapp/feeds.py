"""Downloads of the current search: every hit as CSV or JSON, and an Atom feed.

Exports honour every filter of the URL and hold all matching articles up to
``EXPORT_CAP`` (no pagination, near-duplicates not folded); the feed holds the newest
``FEED_ENTRIES`` stories so a search can be followed in a feed reader.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from flask import Blueprint, Response, jsonify, render_template, request

from indexer.render import hits_csv
from indexer.search.engine import EXPORT_CAP
from indexer.search.model import SearchRequest
from indexer.search.urlstate import search_request
from webapp.engine import current_engine
from webapp.filters import mark
from webapp.public_url import absolute_url

bp = Blueprint("feeds", __name__)

FEED_ENTRIES = 50


def _export(req: SearchRequest) -> tuple[list, bool]:
    """All hits (up to the cap) and whether the cap cut the list short."""
    hits = current_engine().export(req, cap=EXPORT_CAP + 1)
    return hits[:EXPORT_CAP], len(hits) > EXPORT_CAP


def _filename(req: SearchRequest, ext: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9]+", "-", req.query).strip("-")[:40] or "all"
    return f"newsearch-{stem}.{ext}"


@bp.get("/export.csv")
def export_csv():
    req = search_request(request.args)
    hits, _ = _export(req)
    return Response(hits_csv(hits), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="{_filename(req, "csv")}"'})


@bp.get("/export.json")
def export_json():
    req = search_request(request.args)
    hits, truncated = _export(req)
    response = jsonify({"query": req.query, "filters": req.filters, "sort": req.sort,
                        "count": len(hits), "cap": EXPORT_CAP, "truncated": truncated,
                        "hits": [h.to_json() for h in hits]})
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{_filename(req, "json")}"')
    return response


@bp.get("/feed.atom")
def feed():
    """The newest matching stories, one entry per story (copies folded); its absolute
    links start with the configured PUBLIC_URL, never with the request's Host header."""
    req = search_request(request.args, sort="newest", page=1, limit=FEED_ENTRIES,
                         with_facets=False)
    query = request.query_string.decode("ascii", "replace")
    return render_feed(req, "feeds.feed", query, query)


def render_feed(req: SearchRequest, endpoint: str, feed_query: str, page_query: str,
                title: str = "") -> Response:
    """The Atom feed of a request's newest stories: at ``endpoint?feed_query``, linking to
    the search page at ``?page_query`` (the search feed, and each saved search's feed of
    new matches)."""
    result = current_engine().search(req)
    dated = [h.published for h in result.hits if h.published]
    updated = max(dated) if dated else datetime.now(UTC)
    # The summary is HTML carried as text: marked here, then escaped by the template.
    entries = [(h, str(mark(h.snippet, h.snippet_spans))) for h in result.hits]
    body = render_template("feed.xml", req=req, result=result, entries=entries,
                           updated=updated, absolute_url=absolute_url, endpoint=endpoint,
                           feed_query=feed_query, page_query=page_query, title=title)
    return Response(body, mimetype="application/atom+xml")
