"""The HTML pages: search, article, and the person, organisation and country pages.

Views parse the URL with ``params``, ask the engine, and hand plain results to the
templates; a bad query renders the search page again with the message (HTTP 400).
"""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request
from werkzeug.datastructures import MultiDict

from indexer.insights.bursts import bursts
from indexer.insights.correlated import MIN_COUNT, search_with_sidebar
from indexer.search.limits import SearchTimeout
from indexer.search.model import (
    FACET_FIELDS,
    FACET_LABELS,
    QueryError,
    SearchRequest,
    SearchResult,
)
from indexer.search.urlstate import parse_int, search_request
from webapp.engine import current_engine
from webapp.filters import search_url
from webapp.params import active_filters, changed
from webapp.timeline import MODES, Chart, build_chart

bp = Blueprint("pages", __name__)

# page kind (the facet's field, so also its URL parameter) -> facet
ENTITY_FACETS = {"person": "people", "country": "countries", "organization": "organizations"}
#: The facets an entity page lists beside its articles, each with its page kind.
COOCCURRING = (("people", "person"), ("organizations", "organization"), ("countries", "country"))
ENTITY_PAGE_SIZE = 20
RELATED = 8


def _chart(req: SearchRequest, result: SearchResult, mode: str, link_args: MultiDict,
           path: str) -> Chart | None:
    """The timeline for a search, from the histogram the search returned (its buckets
    carry the archive's counts too, for "share" mode)."""
    interval, rows = result.dates.interval, result.dates.rows()
    found = bursts(rows)  # on the counts the search returned: no further request
    if mode != "share":
        rows = [(label, count, None) for label, count, _ in rows]

    def href(label: str) -> str:
        return f"{path}?{changed(link_args, set={'from': label, 'to': label})}"

    return build_chart(interval, rows, mode, href, found)


def _mode() -> str:
    mode = request.args.get("chart", "count")
    return mode if mode in MODES else "count"


@bp.get("/")
def search():
    """The search page: results, facets, timeline; every state in the query string."""
    try:
        req = search_request(request.args)
        result, unusual = search_with_sidebar(current_engine(), req)
    except QueryError as exc:
        return render_template("search.html", error=str(exc), q=request.args.get("q", ""),
                               chips=active_filters(request.args)), \
            503 if isinstance(exc, SearchTimeout) else 400
    chart = _chart(req, result, _mode(), request.args, "/")
    return render_template("search.html", req=req, result=result, chart=chart,
                           q=req.query, chips=active_filters(request.args),
                           export_query=changed(request.args, remove=[("page", None)]),
                           unusual=unusual, unusual_min=MIN_COUNT,
                           facet_labels=FACET_LABELS, facet_fields=FACET_FIELDS)


@bp.get("/article/<path:article_id>")
def article(article_id: str):
    """One article with the query's matches marked, its entities and related articles.

    The id is only ever looked up in the index (ids may contain "/"), never on disk.
    """
    engine = current_engine()
    found = engine.article(article_id)
    if found is None:
        abort(404, description=f"There is no article with id {article_id!r}.")
    q = request.args.get("q", "")
    title_spans, body_spans = engine.highlight_article(found, q) if q else ([], [])
    return render_template("article.html", article=found, q=q, title_spans=title_spans,
                           body_spans=body_spans, related=engine.related(found.id, RELATED))


@bp.get("/<any(person, country, organization):kind>/<path:name>")
def entity(kind: str, name: str):
    """A person's, organisation's or country's page: its articles (newest first), its
    timeline and the people, organisations and countries that co-occur with it most; a
    country's page also counts and links the articles mainly about it, the narrower
    "about" facet."""
    facet = ENTITY_FACETS[kind]
    req = search_request(MultiDict(), sort="newest", limit=ENTITY_PAGE_SIZE, facet_limit=11,
                         fold_duplicates=False,  # every article, so the list matches the count
                         page=parse_int(request.args, "page", 1), **{facet: (name,)})
    result = current_engine().search(req)
    if not result.total:
        abort(404, description=f"No article mentions the {'organisation' if kind == 'organization' else kind} {name!r}.")
    display = next((v.value for v in result.facets[facet] if v.selected), name)
    cooccurring = {f: [v for v in result.facets[f] if v.value.casefold() != name.casefold()][:10]
                   for f, _ in COOCCURRING}
    search_args = MultiDict([(kind, display)])
    chart = _chart(req, result, _mode(), search_args, "/")
    about = None
    if kind == "country":
        about = current_engine().search(SearchRequest(
            about=(display,), limit=1, highlight=False, with_facets=False)).total
    forms = current_engine().merged_forms(display) if kind == "person" else []
    return render_template("entity.html", kind=kind, name=display, result=result,
                           cooccurring_kinds=COOCCURRING, merged_forms=forms,
                           chart=chart, cooccurring=cooccurring, about=about,
                           all_url=search_url(**{kind: display}),
                           about_url=search_url(about=display))
