"""The URL is the search state: one parser from a search page's query-string parameters
to a SearchRequest.

The page, the JSON API, the exports and the saved searches (indexer.insights.saved) all
call :func:`search_request`, so a URL means the same thing everywhere and a bookmarked,
shared or saved search reproduces exactly. Every bad parameter becomes a
:class:`QueryError` with a message for the user (HTTP 400 on the web).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime

from werkzeug.datastructures import MultiDict

from indexer.search.dates import parse_date
from indexer.search.facets import REGISTRY
from indexer.search.model import FACETS, QueryError, SearchRequest

# URL parameter -> SearchRequest field, for the repeatable facet filters: the query
# language's field name (person=, country=, about=, source=), and x<field> to exclude.
FILTER_PARAMS = {**{f.field: f.name for f in REGISTRY},
                 **{f.exclude_param: f.exclude_name for f in REGISTRY}}
# "Search inside facet" boxes: URL parameter -> facet whose values it narrows.
PREFIX_PARAMS = {f"{facet}_prefix": facet for facet in FACETS}
MAX_VALUES = 20  # most values of one repeatable parameter
MAX_PARAM_CHARS = 200  # a facet value or prefix longer than this is not a real name


def parse_int(args: Mapping[str, str], name: str, default: int) -> int:
    """An integer parameter (range checks are the SearchRequest's job)."""
    raw = args.get(name, "").strip()
    if raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise QueryError(f"{name} must be a whole number, not {raw[:20]!r}") from None


def _values(args: MultiDict, name: str) -> tuple[str, ...]:
    values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
    if len(values) > MAX_VALUES:
        raise QueryError(f"at most {MAX_VALUES} values of {name!r} may be given")
    if any(len(v) > MAX_PARAM_CHARS for v in values):
        raise QueryError(f"a {name!r} value is longer than {MAX_PARAM_CHARS} characters")
    return values


def _moment(args: MultiDict, name: str) -> datetime | None:
    """An ISO date-time parameter (``added_after``: what saved searches link to); naive
    means UTC."""
    raw = args.get(name, "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        raise QueryError(f"{name} must be an ISO date and time such as "
                         f"2026-12-01T09:30:00+00:00, not {raw[:40]!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def search_request(args: MultiDict, **fixed: object) -> SearchRequest:
    """The SearchRequest a query string describes; ``fixed`` fields override the URL.

    Parameters: q, person/country/about/organization/source (repeatable, OR within one),
    xperson/xcountry/xabout/xorganization/xsource (excluded), from, to, sort, page, limit,
    dupkey, all=1 (no folding of near-duplicates), <facet>_prefix ("search inside facet")
    and added_after (an ISO moment: only articles the index received after it, as saved
    searches link to). Without ``sort`` the
    request's default applies (:func:`indexer.search.model.default_sort`).
    """
    query = args.get("q", "")
    fields: dict[str, object] = {name: _values(args, param)
                                 for param, name in FILTER_PARAMS.items()}
    prefixes = {facet: args[param].strip() for param, facet in PREFIX_PARAMS.items()
                if args.get(param, "").strip()}
    if any(len(p) > MAX_PARAM_CHARS for p in prefixes.values()):
        raise QueryError(f"a facet search is longer than {MAX_PARAM_CHARS} characters")
    fields.update(
        query=query,
        date_from=parse_date(args["from"], end=False) if args.get("from") else None,
        date_to=parse_date(args["to"], end=True) if args.get("to") else None,
        dupkey=args.get("dupkey") or None,
        sort=args.get("sort", "").strip(),
        page=parse_int(args, "page", 1),
        limit=parse_int(args, "limit", 10),
        fold_duplicates=args.get("all") != "1",
        facet_prefix=prefixes,
        added_after=_moment(args, "added_after"),
    )
    fields.update(fixed)
    return SearchRequest(**fields)
