"""Both engines answer alike: every query kind of docs/query-syntax.md and every query of
bench/queries.json gives the same totals, story counts, facet counts and date buckets on
Whoosh and on OpenSearch, over the same articles. Ranking may differ (BM25F against Lucene
BM25); docs/BENCHMARKS.md reports the top-10 overlap instead of hiding it."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest

from indexer.search.engine import open_engine
from indexer.search.model import SearchRequest
from tests.conftest import REPO

SYNTAX = [  # one query per construct of docs/query-syntax.md
    "pompeo korea", "cocoa OR coffee", "brazil NOT coffee", "brazil -coffee",
    '"money supply"', '"bank rates"~3', "export*", "stokc~", "pric~2", "*port", "expor?",
    "(wheat OR corn) exports", "title:cocoa", 'person:"James Baker"', "country:japan",
    'country:"west germany"', "about:japan", 'about:"west germany"', "source:reuters",
    "date:1987", "date:1987-03", "date:1987-03-02", "date:[1987-03-01 to 1987-03-31]",
    "date:[1987-03-03 to]", "date:>1987-03-05", "date:>=1987-03-05", "date:<1987-03-01",
    "*", "", "-oil", "NOT oil", "-country:japan", "u.s. 3.5", '"said said"',
    "Jong-un", "1987-03", "cofee", "brazl AND cofee",
]
FILTERS = [  # filters outside the query: OR within a facet, AND across, exclusions, dates
    {"countries": ("Japan", "Brazil")},
    {"countries": ("Japan",), "people": ("James Baker",)},
    {"about": ("Brazil",), "exclude_about": ("Colombia",)},
    {"exclude_countries": ("United States",)},
    {"exclude_sources": ("reuters",)},
    {"date_from": date(1987, 3, 2), "date_to": date(1987, 3, 4)},
]


def bench_queries() -> list[tuple[str, dict]]:
    out = []
    for item in json.loads((REPO / "bench" / "queries.json").read_text("utf-8")):
        extra = {k: v for k, v in item.items() if k != "q"}
        fields: dict = {}
        for key, value in extra.items():
            if key in ("date_from", "date_to"):
                fields[key] = date.fromisoformat(value)
            else:
                fields[key] = tuple(value) if isinstance(value, list) else value
        out.append((item["q"], fields))
    return out


CASES = [(q, {}) for q in SYNTAX] + [("oil", f) for f in FILTERS] + \
    [("", f) for f in FILTERS] + bench_queries()


@pytest.fixture(scope="module")
def engines(reuters_index, reuters_os):
    return open_engine(reuters_index), open_engine(reuters_os)


def answer(engine, query: str, fields: dict, **options) -> dict:
    result = engine.search(SearchRequest(query=query, **fields, **options))
    return {
        "total": result.total, "stories": result.stories, "suggestion": result.suggestion,
        "facets": {f: [(v.value, v.count, v.selected) for v in values]
                   for f, values in result.facets.items()},
        "dates": (result.dates.interval, [(b.value, b.count) for b in result.dates.buckets]),
    }


@pytest.mark.parametrize(("query", "fields"), CASES,
                         ids=[f"{q or '(all)'}{'+' + '+'.join(f) if f else ''}" for q, f in CASES])
def test_both_engines_count_alike(engines, query, fields):
    whoosh, opensearch = engines
    assert answer(opensearch, query, fields) == answer(whoosh, query, fields)


@pytest.mark.parametrize("query", ["oil", "coffee prices", "date:1987-03"])
def test_timelines_and_unfolded_counts_agree(engines, query):
    whoosh, opensearch = engines
    assert answer(opensearch, query, {}, fold_duplicates=False) == \
        answer(whoosh, query, {}, fold_duplicates=False)
    req = SearchRequest(query=query)
    assert opensearch.timeline(req) == whoosh.timeline(req)


def test_exports_hold_the_same_articles(engines):
    whoosh, opensearch = engines
    req = SearchRequest(query="oil", exclude_countries=("United States",), sort="newest")
    assert {h.id for h in opensearch.export(req)} == {h.id for h in whoosh.export(req)}


def test_archive_stats_agree(engines):
    """`newsearch stats` shows the same archive on either engine: size, date span, and
    each facet's most frequent values (ties by value); only where the index is differs."""
    whoosh, opensearch = engines
    here = replace(whoosh.stats(20), index="")
    there = replace(opensearch.stats(20), index="", shards=None, replicas=None)
    assert there == here and here.documents > 0 and here.top["people"]
