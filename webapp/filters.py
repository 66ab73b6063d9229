"""Jinja filters and globals: the only place the templates trust markup.

Templates autoescape everything. The engine's highlighted HTML (escaped text plus
``<mark>`` tags) is the one exception, and :func:`marked` checks that it really contains
no other tag before letting it through, so a highlighting bug cannot become an XSS hole.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from flask import Flask, request, url_for
from markupsafe import Markup, escape

from indexer.search.facets import REGISTRY
from webapp.params import changed

_MARK_TAGS = re.compile(r"</?mark>")


def marked(html: str) -> Markup:
    """Highlighted HTML from the engine as markup, or escaped if it holds any other tag."""
    rest = _MARK_TAGS.sub("", html)
    if "<" in rest or ">" in rest:
        return escape(html)
    return Markup(html)


def paragraphs(html: str) -> list[Markup]:
    """Highlighted article text split into paragraphs at blank lines."""
    return [marked(p) for p in re.split(r"\n\s*\n", html) if p.strip()]


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
    path = url_for(request.endpoint, **(request.view_args or {}))  # quoted, unlike .path
    return f"{path}?{query}" if query else path


def search_url(**params: object) -> str:
    """The search page for ``params``; lists give repeated parameters."""
    return url_for("pages.search", **{k: v for k, v in params.items() if v not in (None, "")})


def register(app: Flask) -> None:
    app.jinja_env.filters.update(marked=marked, paragraphs=paragraphs, safe_url=safe_url,
                                 when=when, number=number, rfc3339=rfc3339)
    app.jinja_env.globals.update(here=here, search_url=search_url, facet_registry=REGISTRY)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
