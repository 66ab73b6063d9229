"""The newsearch web front end: a Flask application factory over the search API.

The views only translate URLs into SearchRequests and render SearchResults; every search
decision lives in :mod:`indexer.search`. ``newsearch serve`` runs this app under waitress.
"""

from __future__ import annotations

from flask import Flask

from indexer.search.engine import open_engine, resolve


def create_app(config: dict[str, object] | None = None) -> Flask:
    """Build the app for the index at ``config["INDEX_DIR"]``, else ``$NEWSEARCH_INDEX``,
    else the per-user default; raises ``IndexMissing`` (with the command that builds one)
    if there is no index there, so a misconfigured server fails at start, not per request.
    ``config["PUBLIC_URL"]`` is where people reach the site (the feed's links; default
    ``newsearch serve``'s default address); a malformed one raises ValueError.
    """
    from webapp import api, compare, csrf, errors, feeds, filters, insights, pages, saved, security
    from webapp.public_url import DEFAULT_HOST, DEFAULT_PORT, checked_public_url, served_url

    app = Flask(__name__)
    app.config.update(MAX_CONTENT_LENGTH=64 * 1024)  # the app takes no uploads
    app.config.update(config or {})
    location = resolve(app.config.get("INDEX_DIR"))
    app.config["INDEX_DIR"] = location
    app.config["PUBLIC_URL"] = checked_public_url(
        str(app.config.get("PUBLIC_URL") or served_url(DEFAULT_HOST, DEFAULT_PORT)))
    app.extensions["newsearch.engine"] = open_engine(location)
    app.json.sort_keys = False  # keep the documented key order of SearchResult.to_json
    app.json.ensure_ascii = False
    filters.register(app)
    security.register(app)
    errors.register(app)
    app.register_blueprint(pages.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(feeds.bp)
    csrf.register(app)
    app.register_blueprint(compare.bp)
    app.register_blueprint(insights.bp)
    app.register_blueprint(saved.bp)
    return app
