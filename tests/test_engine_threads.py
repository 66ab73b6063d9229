"""One WhooshEngine shared by many threads (as under waitress) answers every call right."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.model import SearchRequest

REQUESTS = [
    SearchRequest(query="prices", date_from=date(1987, 3, 1), date_to=date(1987, 3, 31)),
    SearchRequest(query="oil", countries=("United States",)),
    SearchRequest(query='"money supply"', sort="newest"),
    SearchRequest(query="trade", page=2),
]


def fingerprint(engine: WhooshEngine, req: SearchRequest) -> tuple:
    result = engine.search(req)
    return (result.total, [(h.id, h.snippet, h.snippet_spans) for h in result.hits],
            [(v.value, v.count) for v in result.facets["countries"]])


def test_concurrent_searches_match_serial_ones(reuters_index):
    engine = WhooshEngine(reuters_index)
    expected = [fingerprint(engine, req) for req in REQUESTS]
    jobs = REQUESTS * 40
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda req: fingerprint(engine, req), jobs))
    assert got == expected * 40
