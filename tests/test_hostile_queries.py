"""Hostile queries: property-based tests over the query language, every SearchRequest
parameter, the CLI and the JSON API. Always a result or a clean QueryError / exit 2 /
4xx, with bounded work; queries that would expand to too many terms are refused.

No timing assertions (they failed now and then on the shared 2-core machine): every
engine search counts its work by kind (``Budget.spent``), and each kind must stay within
what the caps of indexer.search.limits allow on this index (``work_bounds``). Times are
still recorded for the report.

Set NEWSEARCH_HOSTILE_REPORT=path.json to save the counts quoted in docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import time
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from indexer.cli import main as cli
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.engines.whoosh.spelling import SPELL_FIELD
from indexer.search import limits
from indexer.search.limits import Budget
from indexer.search.model import MAX_QUERY_CHARS, QueryError, SearchRequest
from indexer.search.query import parse

STATS: dict[str, dict[str, float]] = {}
FAST_PHASES = (Phase.explicit, Phase.reuse, Phase.generate)  # no slow shrinking

WORDS = ["oil", "prices", "coffee", "Brazil", "tin", "reagan", "1987", "1987-03", "u.s.",
         "Jong-un", "the", "a", "co", "zz", "North", "北朝鮮", "ミサイル", "🙂", "naïve",
         "\u202eevil", "e\u0301", "x" * 300]
SYNTAX = ["AND", "OR", "NOT", "-", "+", "(", ")", '"', "*", "?", "~", "~2", "~9", "^", "^2",
          ":", "[", "]", "{", "}", " TO ", " to ", ">", "<", "=", "\\", "/", "'", ",", ";",
          "title:", "person:", "country:", "source:", "date:", "published:", "people:",
          "text:", "category:", "nosuch:", "date:[", "date:>", "1987-02-30", "0000",
          "9999-99-99", "\x00", "\x1b[31m", "\x7f", "\t", "\n", "\u200b", "\ufeff", "%00",
          "<script>", "&amp;", "' OR 1=1 --"]
tokens = st.one_of(st.sampled_from(WORDS), st.sampled_from(SYNTAX),
                   st.text(min_size=1, max_size=12))
queries = st.one_of(
    st.lists(tokens, max_size=14).flatmap(
        lambda parts: st.sampled_from(["", " "]).map(lambda sep: sep.join(parts))),
    st.text(max_size=200),
    st.text(alphabet=st.characters(max_codepoint=0x2FF), max_size=3000),
)


@pytest.fixture(scope="module")
def engine(reuters_index) -> WhooshEngine:
    """An engine whose every call keeps its Budget in ``engine.budgets`` for the test."""
    engine = WhooshEngine(reuters_index)
    engine.budgets = []
    real = engine.budget

    def budget() -> Budget:
        engine.budgets.append(real())
        return engine.budgets[-1]
    engine.budget = budget
    engine.bounds = work_bounds(engine)
    return engine


def work_bounds(engine: WhooshEngine) -> dict[str, int]:
    """The most work of each kind one search may do on this index under the caps
    (a search may run twice: once as typed, once respelled for "did you mean")."""
    snap = engine.snapshot()
    vocabulary = snap.vocabulary
    words = {f: sum(len(vocabulary._words(leaf, f)) for leaf in vocabulary.leaves)
             for f in ("title", "body", SPELL_FIELD)}
    segments = len(snap.searcher.reader().leaf_readers())
    documents = snap.searcher.doc_count_all()
    # Terms a query can name: a word per two characters, in title and body, plus the
    # expansions of its wildcards and fuzzy terms, plus filter values.
    terms = 2 * (MAX_QUERY_CHARS // 2) + limits.MAX_TOTAL_EXPANSION + 16
    return {
        "vocabulary words": 2 * (limits.MAX_EXPANDING_TERMS * 2 * max(words.values())
                                 + limits.MAX_EXPANDING_TERMS * (limits.MAX_EXPANSION + 1))
        + limits.MAX_RESPELLED_WORDS * words[SPELL_FIELD],
        "postings read": 2 * terms * segments,
        "phrase positions": 2 * 2 * documents * limits.MAX_PHRASE_WORDS,
        "respelled words": limits.MAX_RESPELLED_WORDS,
        "ranking rounds": 2 + documents.bit_length(),
    }


def _record(kind: str, seconds: float, outcome: str) -> None:
    s = STATS.setdefault(kind, {"tried": 0, "max_seconds": 0.0, "errors_clean": 0})
    s["tried"] += 1
    s["max_seconds"] = max(s["max_seconds"], round(seconds, 3))
    s["errors_clean"] += outcome == "error"
    path = os.environ.get("NEWSEARCH_HOSTILE_REPORT")
    if path:
        Path(path).write_text(json.dumps(STATS, indent=1))


def _search(engine: WhooshEngine, kind: str, **fields) -> None:
    engine.budgets.clear()
    started = time.perf_counter()
    outcome = "result"
    try:
        result = engine.search(SearchRequest(**fields))
    except QueryError as exc:
        assert str(exc).strip() and "Traceback" not in str(exc)
        outcome = "error"
    else:
        assert 0 <= len(result.hits) <= result.limit
        assert result.total >= len(result.hits)
        json.dumps(result.to_json(), default=str)
    _record(kind, time.perf_counter() - started, outcome)
    for budget in engine.budgets:
        assert set(budget.spent) <= set(engine.bounds), budget.spent
        for work, units in budget.spent.items():
            assert units <= engine.bounds[work], (fields, work, units)


@settings(max_examples=300, deadline=None, derandomize=True, phases=FAST_PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(q=queries)
def test_any_query_gives_a_result_or_a_query_error_with_bounded_work(engine, q):
    _search(engine, "query", query=q)


text_values = st.text(max_size=40) | st.sampled_from(["Brazil", "united states", "", "\x00",
                                                       "x" * 5000, "<b>", "a,b"])
ints = st.one_of(st.integers(1, 5), st.integers(-10, 2000), st.sampled_from([-1, 0, 10**9, -(10**18), 2**63]))
dates = st.one_of(st.none(), st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)))


@settings(max_examples=250, deadline=None, derandomize=True, phases=FAST_PHASES,
          suppress_health_check=[HealthCheck.too_slow])
@given(q=st.sampled_from(["", "oil", "coffee OR cocoa", "*", '"oil prices"']),
       people=st.lists(text_values, max_size=3).map(tuple),
       countries=st.lists(text_values, max_size=3).map(tuple),
       exclude=st.lists(text_values, max_size=2).map(tuple),
       date_from=dates, date_to=dates,
       sort=st.sampled_from(["relevance", "newest", "oldest", "best", "", "RELEVANCE"]),
       page=ints, limit=ints, facet_limit=ints,
       prefix=st.dictionaries(st.sampled_from(["people", "countries", "sources", "nosuch",
                                               ""]), text_values, max_size=2),
       fold=st.booleans(), dupkey=st.one_of(st.none(), text_values))
def test_any_parameters_give_a_result_or_a_query_error(engine, q, people, countries, exclude,
                                                      date_from, date_to, sort, page, limit,
                                                      facet_limit, prefix, fold, dupkey):
    _search(engine, "parameters", query=q, people=people, countries=countries,
            exclude_countries=exclude, date_from=date_from, date_to=date_to, sort=sort,
            page=page, limit=limit, facet_limit=facet_limit, facet_prefix=prefix,
            fold_duplicates=fold, dupkey=dupkey)


@pytest.mark.parametrize("query", [
    "*", "title:*", "person:*", "a*", "?", "*a*", "co*", "t*", "??*", "*oil", "?il",
    "oil~", "oil~2", "th~2", "a~3",
    "[a TO zzz]", "body:{a TO z}", "title:[a TO z]", "person:[a TO z]", "country:[a to z]",
    "date:[1900 to 2100]", "date:[0001 to 9999]", "oil OR " * 250 + "oil",
    "(" * 300 + "oil" + ")" * 300, '"' + "oil " * 400 + '"', '"oil prices"~100000',
    "oil^1000000000", "*" * 1000, '"said said"~100000', " ".join(["*qqq"] * 150),
    " ".join(f"*q{a}" for a in "abcdefghij"), " ".join(f"abc~{d}" for d in [2, 9] * 75),
    '"' + " ".join(["said"] * 20) + '"~50', " ".join(f"zq{a}{b}x" for a in "abcdefghij"
                                                  for b in "abcdefghijklmnop"),
])
def test_expensive_queries_are_bounded(engine, query):
    _search(engine, "expansion", query=query)


def test_a_wildcard_over_too_many_words_is_refused(engine):
    with pytest.raises(QueryError, match="matches more than"):
        engine.search(SearchRequest(query="co*"))


@pytest.mark.parametrize("query", ["oil~5"])
def test_a_fuzzy_distance_over_two_is_refused(engine, query):
    with pytest.raises(QueryError, match="fuzzy distance"):
        engine.search(SearchRequest(query=query))


@pytest.mark.parametrize("query", ["[a TO zzz]", "body:{a TO z}"])
def test_a_word_range_over_too_many_words_is_refused(engine, query):
    with pytest.raises(QueryError, match="matches more than"):
        engine.search(SearchRequest(query=query))


def test_a_lone_star_means_every_article_without_expanding_terms(engine):
    """'*' alone is Every(), not a wildcard over every word of title and body."""
    assert isinstance(parse(engine.parser, "*"), wq.Every)
    assert engine.search(SearchRequest(query="*")).total == \
        engine.search(SearchRequest(query="")).total


# -- the CLI --------------------------------------------------------------------------------

cli_args = st.lists(st.one_of(
    st.tuples(st.sampled_from(["--page", "--limit"]),
              st.sampled_from(["-1", "0", "1", "101", "1000000000", "x", "", "1e3"])),
    st.tuples(st.sampled_from(["--from", "--to"]),
              st.sampled_from(["0000", "9999-12-31", "1987-02-30", "x", "", "1987"])),
    st.tuples(st.sampled_from(["--person", "--country", "--source", "--exclude-country"]),
              text_values.filter(lambda v: not v.startswith("-"))),
    st.tuples(st.sampled_from(["--sort", "--format"]),
              st.sampled_from(["newest", "best", "json", "csv", "ndjson", "table", "xml"])),
), max_size=4)


@settings(max_examples=120, deadline=None, derandomize=True, phases=FAST_PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(q=queries, args=cli_args)
def test_the_cli_exits_0_1_or_2_never_a_traceback(reuters_index, q, args):
    argv = ["search", "--index", str(reuters_index), "--", q.replace("\x00", "")]
    for name, value in args:
        argv[1:1] = [name, value]
    started = time.perf_counter()
    result = CliRunner().invoke(cli, argv)
    _record("cli", time.perf_counter() - started, "error" if result.exit_code == 2 else "result")
    assert result.exit_code in (0, 1, 2), (argv, result.output, result.exception)
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert "Traceback" not in result.output


# -- the JSON API and pages -------------------------------------------------------------------

web_params = st.dictionaries(
    st.sampled_from(["q", "page", "limit", "sort", "from", "to", "person", "country",
                     "source", "xperson", "xcountry", "dupkey", "all", "chart",
                     "people_prefix", "countries_prefix", "facet_limit", "nosuch", "prefix"]),
    st.one_of(text_values, st.sampled_from(["-1", "0", "10" * 5, "1000000000", "1e9",
                                            "1987-13-45", "0000", "9999"]), queries),
    max_size=6)
web_paths = st.sampled_from(["/api/search", "/", "/export.csv", "/export.json", "/feed.atom",
                             "/api/facets/people", "/api/facets/nosuch",
                             "/api/facets/countries"])


@settings(max_examples=200, deadline=None, derandomize=True, phases=FAST_PHASES,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(path=web_paths, params=web_params)
def test_every_web_parameter_gives_a_page_or_a_clean_4xx(reuters_web, path, params):
    started = time.perf_counter()
    response = reuters_web.get(path, query_string=params)
    _record("web", time.perf_counter() - started,
            "error" if response.status_code >= 400 else "result")
    assert response.status_code in (200, 400, 404), (path, params, response.status_code)
    body = response.get_data(as_text=True)
    assert "Traceback" not in body and "werkzeug" not in body.lower()
    if path.startswith("/api/") and response.status_code >= 400:
        assert response.get_json()["error"]["message"]
