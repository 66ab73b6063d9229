"""Links that change the search state, and the active filters shown as chips.

The state itself is read by one parser, :func:`indexer.search.urlstate.search_request`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote_plus

from werkzeug.datastructures import MultiDict

from indexer.search.facets import REGISTRY
from indexer.search.urlstate import FILTER_PARAMS

# Parameters that choose what is shown, not which articles match: changing them keeps
# the page number; changing anything else starts again at page 1.
_KEEPS_PAGE = {"page", "chart"}


@dataclass(frozen=True)
class Chip:
    """One active filter, shown above the results with a link that removes it."""

    kind: str  # "include", "exclude" or "other"
    label: str
    value: str
    remove: str  # query string without this filter


_CHIP_LABELS = {**{f.field: f.singular for f in REGISTRY},
                **{f.exclude_param: f.exclude_label for f in REGISTRY},
                "from": "From", "to": "To", "dupkey": "Copies of one story",
                "all": "All copies", "added_after": "Added after"}


def active_filters(args: MultiDict) -> list[Chip]:
    """The filters in a query string, in a stable order, each with its removal link."""
    chips = []
    for name, label in _CHIP_LABELS.items():
        for value in args.getlist(name):
            if value.strip():
                kind = ("exclude" if name.startswith("x") else
                        "include" if name in FILTER_PARAMS else "other")
                shown = "" if name == "all" else value
                chips.append(Chip(kind, label, shown, changed(args, remove=[(name, value)])))
    return chips


def changed(args: MultiDict, *, add: Iterable[tuple[str, str]] = (),
            remove: Iterable[tuple[str, str | None]] = (),
            set: Mapping[str, object] | None = None) -> str:
    """The query string of ``args`` after a change, for links that refine a search.

    ``remove`` takes (name, value) pairs, or (name, None) to drop every value of a name;
    ``set`` replaces single values (None or "" drops them). Unless only the page or the
    chart mode changes, the page number is dropped, because page 7 of a different result
    set means nothing.
    """
    out = MultiDict(args)
    add, remove, set = list(add), list(remove), dict(set or {})
    for name, value in remove:
        kept = [] if value is None else [v for v in out.getlist(name) if v != value]
        out.setlist(name, kept)
    for name, value in add:
        if value not in out.getlist(name):
            out.add(name, value)
    for name, value in set.items():
        out.setlist(name, [] if value in (None, "") else [str(value)])
    touched = {name for name, _ in add} | {name for name, _ in remove} | set.keys()
    if touched - _KEEPS_PAGE:
        out.setlist("page", [] if "page" not in set else out.getlist("page"))
    return "&".join(_pair(k, str(v)) for k, v in out.items(multi=True) if v != "")


@lru_cache(maxsize=4096)
def _pair(name: str, value: str) -> str:
    """One ``name=value`` of a query string, quoted as ``urlencode`` quotes it. A results
    page builds about 130 links from the same few parameters and facet values, and
    quoting them again for each link was a fifth of the page's rendering."""
    return f"{quote_plus(name)}={quote_plus(value)}"
