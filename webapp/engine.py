"""Access to the app's one SearchEngine.

The engine serialises its own calls (see ``indexer.search.engine._one_at_a_time``), so
views share it across waitress's threads as it is.
"""

from __future__ import annotations

from flask import current_app

from indexer.search.engine import SearchEngine


def current_engine() -> SearchEngine:
    return current_app.extensions["newsearch.engine"]
