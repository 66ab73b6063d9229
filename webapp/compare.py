"""Compare and bursts in the web app: the /compare page, its CSV, /api/compare and
/api/bursts. Every state is in the URL: ``q`` repeated (each query with its own
filters in the query language), ``interval``, ``from``, ``to`` and ``chart=share``.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.insights.bursts import bursts, search_bursts
from indexer.insights.compare import MAX_SERIES, Comparison, compare
from indexer.search.dates import parse_date
from indexer.search.histogram import INTERVALS, check_interval
from indexer.search.model import QueryError
from indexer.search.urlstate import search_request
from webapp.compare_chart import build_compare_chart
from webapp.engine import current_engine
from webapp.filters import search_url
from webapp.timeline import MODES

bp = Blueprint("compare", __name__)


def _interval(args: MultiDict) -> str | None:
    raw = args.get("interval", "").strip()
    return check_interval(raw) if raw else None


def _dates(args: MultiDict) -> tuple[date | None, date | None]:
    first = parse_date(args["from"], end=False) if args.get("from", "").strip() else None
    last = parse_date(args["to"], end=True) if args.get("to", "").strip() else None
    if first and last and first > last:
        raise QueryError("the 'from' date is after the 'to' date")
    return first, last


def comparison(args: MultiDict) -> Comparison:
    """The comparison a query string describes (a QueryError for bad input)."""
    return compare(current_engine(), args.getlist("q"), _interval(args), *_dates(args))


@bp.get("/compare")
def page():
    """The compare page: a form of up to MAX_SERIES queries, the chart, its legend and
    the bursts of each series; a bad query shows the form again with the message."""
    mode = request.args.get("chart", "count")
    mode = mode if mode in MODES else "count"
    queries = [q for q in request.args.getlist("q") if q.strip()]
    context = {"queries": queries, "max_series": MAX_SERIES, "intervals": INTERVALS,
               "mode": mode}
    if not queries:
        return render_template("compare.html", **context)
    try:
        found = comparison(request.args)
    except QueryError as exc:
        return render_template("compare.html", error=str(exc), **context), 400
    series_bursts = [bursts([(b.value, b.count, b.all) for b in s.buckets])
                     for s in found.series]
    links = [search_url(**{"q": s.query, "from": request.args.get("from"),
                           "to": request.args.get("to")}) for s in found.series]
    return render_template("compare.html", comparison=found, bursts=series_bursts,
                           links=links, chart=build_compare_chart(found, mode, series_bursts),
                           **context)


@bp.get("/compare.csv")
def csv():
    found = comparison(request.args)
    return Response(found.to_csv(), mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="compare-{found.interval}.csv"'})


@bp.get("/api/compare")
def api_compare():
    return jsonify(comparison(request.args).to_json())


@bp.get("/api/bursts")
def api_bursts():
    """The bursts of a search (the search page's parameters, plus ``interval``)."""
    _, found = search_bursts(current_engine(), search_request(request.args),
                             _interval(request.args))
    return jsonify([b.to_json() for b in found])
