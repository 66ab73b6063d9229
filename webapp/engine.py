"""Access to the app's one SearchEngine (thread-safe, created by ``create_app``)."""

from __future__ import annotations

from flask import current_app

from indexer.search.engine import SearchEngine


def current_engine() -> SearchEngine:
    return current_app.extensions["newsearch.engine"]
