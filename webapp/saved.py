"""Saved searches on the web: the list with "N new since you last looked", saving,
opening and removing (POSTs checked by :mod:`webapp.csrf`), each one's Atom feed of new
matches, and ``/api/saved``. Every decision is :mod:`indexer.insights.saved`'s.
"""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for

from indexer.insights.saved import (
    MAX_NAME_CHARS,
    MAX_STATE_CHARS,
    SavedSearchError,
    SavedSearchExists,
    SavedStore,
    UnknownSavedSearch,
    new_count,
    new_since,
    open_saved,
    open_store,
    save,
)
from indexer.search.added import AlertsUnavailable
from indexer.search.model import QueryError
from webapp import csrf
from webapp.engine import current_engine

bp = Blueprint("saved", __name__)


def current_store() -> SavedStore:
    """The index's saved searches, opened on first use (a server that never saves a
    search never writes beside its index)."""
    store = current_app.extensions.get("newsearch.saved")
    if store is None:
        store = current_app.extensions["newsearch.saved"] = open_store(
            current_app.config["INDEX_DIR"])
    return store


def _status(exc: QueryError) -> int:
    return 404 if isinstance(exc, UnknownSavedSearch) else \
        409 if isinstance(exc, SavedSearchExists) else 400


def _listing() -> tuple[list[tuple[object, int]], str]:
    """Each saved search with its new count, and the note for an index that records no
    arrival times."""
    engine, store = current_engine(), current_store()
    try:
        engine.latest_added()
        note = ""
    except AlertsUnavailable as exc:
        note = str(exc)
    return [(s, new_count(engine, s)) for s in store.all()], note


def _page(error: str = "", status: int = 200, name: str = "", state: str = ""):
    rows, note = _listing()
    return render_template("saved.html", rows=rows, note=note, error=error,
                           added=request.args.get("added", ""), name=name, state=state,
                           max_name=MAX_NAME_CHARS), status


@bp.get("/saved")
def saved_list():
    return _page()


@bp.post("/saved")
def saved_add():
    """Save the search whose query string the form carries; back to the list."""
    csrf.check()
    name, state = request.form.get("name", ""), request.form.get("state", "")
    try:
        saved = save(current_store(), current_engine(), name, state)
    except QueryError as exc:  # the name, the state, or a query the engine refuses
        return _page(f"That search cannot be saved: {exc}", _status(exc),
                     name[:MAX_NAME_CHARS], state[:MAX_STATE_CHARS])
    return redirect(url_for("saved.saved_list", added=saved.name), 303)


@bp.post("/saved/open")
def saved_open():
    """Open a saved search: its "last looked" moves to now, and the search page shows
    what was new until then."""
    csrf.check()
    try:
        _, query = open_saved(current_store(), current_engine(), request.form.get("name", ""))
    except SavedSearchError as exc:
        return _page(str(exc), _status(exc))
    return redirect(f"{url_for('pages.search')}?{query}", 303)


@bp.post("/saved/remove")
def saved_remove():
    csrf.check()
    try:
        current_store().remove(request.form.get("name", ""))
    except SavedSearchError as exc:
        return _page(str(exc), _status(exc))
    return redirect(url_for("saved.saved_list"), 303)


@bp.get("/saved/feed.atom")
def saved_feed():
    """The Atom feed of a saved search's matches new since it was last opened."""
    from webapp.feeds import FEED_ENTRIES, render_feed

    try:
        saved = current_store().get(request.args.get("name", ""))
    except SavedSearchError as exc:
        return _page(str(exc), _status(exc))
    req = new_since(saved, saved.seen)
    req = replace(req, limit=FEED_ENTRIES, with_facets=False)
    return render_feed(req, "saved.saved_feed", urlencode({"name": saved.name}),
                       saved.state, title=f"newsearch saved search: {saved.name}")


@bp.get("/api/saved")
def api_saved():
    """Every saved search with its new count (docs/api.md)."""
    rows, note = _listing()
    return jsonify({"alerts": note or None,
                    "saved": [{**s.to_json(), "new": n} for s, n in rows]})
