"""Analyses over the search API: what a search's results say beyond their list of hits.

Engine-neutral: each module asks an Engine (indexer.search.engine) for exact counts and
computes the rest here, so the CLI and the web app stay thin and both engines agree.
"""
