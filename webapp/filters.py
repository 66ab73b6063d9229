"""Jinja filters and globals: the only place the templates trust markup.

Templates autoescape everything. Highlighting is the one place markup is built from
article text: the engine gives plain text plus spans (character offsets), and
:func:`mark` escapes every piece of the text itself and adds only ``<mark>`` tags, so
nothing from an article can become a tag.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import Flask, g, request, url_for
from markupsafe import Markup, escape

from indexer.search.facets import REGISTRY
from indexer.search.relaxed import RELAXED_NOTE
from webapp.params import changed

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def mark(text: str, spans: Sequence[Sequence[int]] = ()) -> Markup:
    """``text`` escaped, with each ``(start, end)`` span wrapped in ``<mark>``."""
    out, pos = [], 0
    for start, end in spans:
        out.append(escape(text[pos:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        pos = end
    out.append(escape(text[pos:]))
    return Markup("").join(out)


def paragraphs(text: str, spans: Sequence[Sequence[int]] = ()) -> list[Markup]:
    """Article text split into paragraphs at blank lines, each marked by :func:`mark`
    with the spans that fall in it, shifted to the paragraph's own offsets."""
    out, start = [], 0
    for brk in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = brk.start() if brk else len(text)
        if text[start:end].strip():
            inside = [(max(s, start) - start, min(e, end) - start)
                      for s, e in spans if s < end and e > start]
            out.append(mark(text[start:end], inside))
        start = brk.end() if brk else end
    return out


def safe_url(url: str) -> str:
    """An article's source link if it is http(s), else "" (never ``javascript:``)."""
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else ""


def when(value: datetime | date | None, with_time: bool = False) -> str:
    """``26 Feb 1987`` (or with the time), ``undated`` when there is no date."""
    if value is None:
        return "undated"
    text = f"{value.day} {value:%b %Y}"
    if with_time and isinstance(value, datetime) and (value.hour or value.minute):
        text += f" {value:%H:%M}"
    return text


def rfc3339(value: datetime) -> str:
    """An Atom timestamp; naive datetimes (most news archives) are taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="seconds") + "Z"


def number(value: int) -> str:
    return f"{value:,}"


def here(**changes: object) -> str:
    """This page's URL after a change to its query string (see ``params.changed``)."""
    query = changed(request.args, **changes)
    path = g.get("here_path")
    if path is None:  # once a request: a page has ~130 such links
        path = g.here_path = url_for(request.endpoint, **(request.view_args or {}))  # quoted, unlike .path
    return f"{path}?{query}" if query else path


def search_url(**params: object) -> str:
    """The search page for ``params``; lists give repeated parameters."""
    return url_for("pages.search", **{k: v for k, v in params.items() if v not in (None, "")})


def register(app: Flask) -> None:
    app.jinja_env.filters.update(mark=mark, paragraphs=paragraphs, safe_url=safe_url,
                                 when=when, number=number, rfc3339=rfc3339)
    app.jinja_env.globals.update(here=here, search_url=search_url, facet_registry=REGISTRY)
    app.jinja_env.globals.update(relaxed_note=RELAXED_NOTE)  # indexer.search.relaxed
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
