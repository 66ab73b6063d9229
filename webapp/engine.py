"""Access to the app's one SearchEngine.

The engine gives each thread its own searcher (see ``indexer.search.engine``), so views
share it across waitress's threads as it is.
"""

from __future__ import annotations

from flask import current_app

from indexer.search.engine import SearchEngine


def current_engine() -> SearchEngine:
    return current_app.extensions["newsearch.engine"]
