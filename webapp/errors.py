"""Every failure becomes a short message: JSON under /api/, a page elsewhere, no traceback.

Bad queries and parameters (QueryError) are 400s with the engine's own message; anything
unexpected is logged with its traceback on the server and answered with a generic 500.
A request whose Host header cannot be read (``Host: ..``, a 300-character label) gets
Werkzeug's 400 before routing, with no URL adapter, so its page is one that builds no links.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, jsonify, render_template, request
from flask.globals import request_ctx
from werkzeug.exceptions import BadHost, HTTPException, InternalServerError

from indexer.search.errors import EngineUnavailable, IndexMissing
from indexer.search.limits import SearchTimeout
from indexer.search.model import QueryError


def error_response(status: int, title: str, message: str) -> tuple[Response | str, int]:
    """The error as JSON for API clients or as the site's error page for people."""
    if request.path.startswith("/api/"):
        return jsonify({"error": {"status": status, "title": title, "message": message}}), status
    if request_ctx.url_adapter is None:  # the site's page links to itself: url_for fails
        return Response(f"{status} {title}: {message}\n", status, mimetype="text/plain"), status
    return render_template("error.html", status=status, title=title, message=message), status


def _http_error(exc: HTTPException) -> tuple[Response | str, int]:
    if isinstance(exc, BadHost):
        return error_response(400, exc.name, "The Host header of the request is not a valid "
                              "host name.")
    return error_response(exc.code or 500, exc.name, exc.description or exc.name)


def _query_error(exc: QueryError) -> tuple[Response | str, int]:
    if isinstance(exc, SearchTimeout):
        return error_response(503, "Search took too long", str(exc))
    return error_response(400, "Bad request", str(exc))


def _index_unusable(exc: IndexMissing | EngineUnavailable) -> tuple[Response | str, int]:
    """A segment found damaged mid-search, or a search server that went away: say so
    (and how to rebuild, or what to start), not a generic 500."""
    current_app.logger.error("%s", exc)
    return error_response(503, "Index unavailable", str(exc))


def _crash(exc: Exception) -> tuple[Response | str, int]:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    current_app.logger.exception("unhandled error on %s", request.path)
    return _http_error(InternalServerError(
        "Something went wrong on the server. The error has been logged; please try again."))


def register(app: Flask) -> None:
    app.register_error_handler(QueryError, _query_error)
    app.register_error_handler(IndexMissing, _index_unusable)
    app.register_error_handler(EngineUnavailable, _index_unusable)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _crash)
