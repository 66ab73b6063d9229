"""Access to the app's one engine.

Engines are thread-safe (Whoosh gives each thread its own searcher; OpenSearch needs
no lock), so views share one across waitress's threads as it is.
"""

from __future__ import annotations

from flask import current_app

from indexer.search.engine import Engine


def current_engine() -> Engine:
    return current_app.extensions["newsearch.engine"]
