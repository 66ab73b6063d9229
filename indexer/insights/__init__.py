"""Analyses over a search's results, beyond the hits: each module one feature, each
built on the engine protocol (``indexer.search.engine.Engine``) so that it works on every
engine, and each used alike by the CLI, the web page and the JSON API."""
