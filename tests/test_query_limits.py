"""Every query has bounded cost (issue 17): caps refuse what would cost too much, with the
same message on search, exports, feed, article pages and the CLI; the time budget stops
the rest; and one search in progress never holds another up.

No timing assertions: the work a query does is counted (``Budget.spent``) and compared
with the bound the caps allow.
"""

from __future__ import annotations

import re
import threading

import pytest
from click.testing import CliRunner
from whoosh.query import FuzzyTerm

from indexer.cli import main as cli
from indexer.engines.whoosh.engine import WhooshEngine
from indexer.engines.whoosh.matches import _PHRASE_CHUNK
from indexer.engines.whoosh.spelling import SPELL_FIELD
from indexer.search import limits
from indexer.search.limits import (
    MAX_EXPANDING_TERMS,
    MAX_PHRASE_WORDS,
    MAX_RESPELLED_WORDS,
    Budget,
    SearchTimeout,
)
from indexer.search.model import QueryError, SearchRequest

LETTERS = "abcdefghijklmnopqrstuvwxyz"

# Queries that each cost tens of seconds before the caps, with the message they now get.
REFUSED = [
    ('"said said"~100000', "can be at most 50 positions apart"),
    (" ".join(f"*qq{a}{b}" for a in LETTERS[:6] for b in LETTERS[:25]),
     "150 wildcard, fuzzy or range terms; the limit is 10"),
    (" ".join(["abc~9"] * 150), "the fuzzy distance can be at most 2"),
    (" OR ".join(f"{w}~2" for w in ["oil", "gas", "tin", "price", "trade", "bank", "rate",
                                      "stock", "cut", "rise", "fall"]),
     "11 wildcard, fuzzy or range terms"),
    ('"' + " ".join(["said"] * 21) + '"', "phrases have 21 words together; the limit is 20"),
    ('"oil prices said" "' + " ".join(["said"] * 18) + '"', "phrases have 21 words"),
    ("(" * 998 + "oil" + ")" * 998, "nests parentheses 998 deep; the limit is 20"),
    ("oil " * 2500, "query is 10,000 characters long; the limit is 2,000"),
    ("a*", "'a' is too short for a wildcard"),
    ("*e*", "'*e*' is too short for a wildcard"),
    ("co*", "'co*' matches more than 256 words"),
    ("NOT NOT oil", "a NOT (or -) needs a word, phrase or (group) after it"),
]


@pytest.fixture(scope="module")
def engine(reuters_index) -> WhooshEngine:
    return WhooshEngine(reuters_index)


def _recording(engine: WhooshEngine, monkeypatch, **kwargs) -> list[Budget]:
    """Make the engine's calls use Budgets that the test can read afterwards."""
    made: list[Budget] = []

    def budget() -> Budget:
        made.append(Budget(**kwargs))
        return made[-1]
    monkeypatch.setattr(engine, "budget", budget)
    return made


def _vocabulary_sizes(engine: WhooshEngine, field: str) -> int:
    snap = engine.snapshot()
    return sum(len(snap.vocabulary._words(leaf, field)) for leaf in snap.vocabulary.leaves)


# -- refused with the same message everywhere -------------------------------------------

@pytest.mark.parametrize("query, message", REFUSED, ids=[m[:30] for _, m in REFUSED])
def test_over_limit_queries_are_refused_by_search_export_and_highlight(engine, query, message):
    with pytest.raises(QueryError, match=re.escape(message)):
        engine.search(SearchRequest(query=query))
    with pytest.raises(QueryError, match=re.escape(message)):
        engine.export(SearchRequest(query=query))
    with pytest.raises(QueryError, match=re.escape(message)):
        engine.timeline(SearchRequest(query=query))
    with pytest.raises(QueryError, match=re.escape(message)):
        engine.highlight_article(engine.article("reuters-1"), query)


@pytest.mark.parametrize("query, message", REFUSED[:3] + REFUSED[6:9])
def test_every_web_route_refuses_with_the_same_message(reuters_web, query, message):
    for path in ("/api/search", "/", "/export.csv", "/export.json", "/feed.atom",
                 "/article/reuters-1", "/api/article/reuters-1"):
        response = reuters_web.get(path, query_string={"q": query})
        assert response.status_code == 400, path
        text = response.get_data(as_text=True).replace("&#39;", "'").replace("&#34;", '"')
        assert message in text, path


@pytest.mark.parametrize("query, message", REFUSED[:3] + REFUSED[6:9])
def test_the_cli_refuses_search_and_show_with_the_same_message(reuters_index, query, message):
    for argv in (["search", "--index", str(reuters_index), "--", query],
                 ["show", "reuters-1", "--index", str(reuters_index), "--query", query]):
        result = CliRunner().invoke(cli, argv)
        assert result.exit_code == 2, (argv[0], result.output)
        assert message in result.output and "Traceback" not in result.output


def test_queries_at_the_limits_are_answered(engine):
    at_limit = [
        '"oil prices"~50',
        '"' + " ".join(["said"] * MAX_PHRASE_WORDS) + '"~50',
        " OR ".join(f"*q{a}" for a in LETTERS[:MAX_EXPANDING_TERMS]),
        "(" * limits.MAX_NESTING + "oil" + ")" * limits.MAX_NESTING,
    ]
    for query in at_limit:
        assert engine.search(SearchRequest(query=query)).total >= 0
    assert engine.search(SearchRequest(query="(" * 20 + "oil" + ")" * 20)).total == \
        engine.search(SearchRequest(query="oil")).total


def test_a_fuzzy_term_stands_for_its_closest_words(engine):
    snap = engine.snapshot()
    words = snap.vocabulary.expansions(FuzzyTerm("body", "oil", maxdist=2, prefixlength=0),
                                       snap.searcher.reader())
    assert len(snap.vocabulary.within("body", "oil", 2)) > limits.MAX_FUZZY_EXPANSION
    assert len(words) == limits.MAX_FUZZY_EXPANSION
    assert b"oil" in words and b"soil" in words  # the exact word and one-edit words first


# -- the work of the worst accepted queries is bounded --------------------------------

def test_leading_wildcards_scan_each_vocabulary_once_per_term(engine, monkeypatch):
    """150 ``*qqq`` terms walked the vocabulary 300 times in Python (38 s); now at most
    MAX_EXPANDING_TERMS terms, each one C regex scan of the title and body words."""
    made = _recording(engine, monkeypatch)
    query = " OR ".join(f"*q{a}" for a in LETTERS[:MAX_EXPANDING_TERMS])
    engine.search(SearchRequest(query=query))
    words = _vocabulary_sizes(engine, "title") + _vocabulary_sizes(engine, "body")
    assert made[0].spent["vocabulary words"] <= MAX_EXPANDING_TERMS * words
    made.clear()
    engine.search(SearchRequest(query=query))  # remembered: no second scan
    assert made[0].spent["vocabulary words"] == 0


def test_a_long_phrase_checks_positions_at_most_once_per_document_and_word(engine, monkeypatch):
    made = _recording(engine, monkeypatch)
    engine.search(SearchRequest(query='"' + " ".join(["said"] * MAX_PHRASE_WORDS) + '"~50'))
    documents = engine.stats().documents
    spent = made[0].spent["phrase positions"]
    assert 0 < spent <= 2 * documents * MAX_PHRASE_WORDS  # title and body


def test_did_you_mean_respells_a_bounded_number_of_words(engine, monkeypatch):
    """248 unknown words were each respelled (2 s); now the first MAX_RESPELLED_WORDS."""
    made = _recording(engine, monkeypatch)
    query = " ".join(f"zq{a}{b}x" for a in LETTERS[:16] for b in LETTERS[:16])[:1990]
    result = engine.search(SearchRequest(query=query))
    assert result.total == 0 and len(query.split()) > 200
    assert made[0].spent["respelled words"] == MAX_RESPELLED_WORDS
    assert made[0].spent["vocabulary words"] <= MAX_RESPELLED_WORDS * _vocabulary_sizes(
        engine, SPELL_FIELD)


def test_did_you_mean_still_fixes_the_first_words(engine):
    assert engine.search(SearchRequest(query="cofee brazl")).suggestion == "coffee brazil"


def test_work_between_two_budget_checks_is_bounded(engine, monkeypatch):
    """The budget can only stop a query between two checks: the work done between two
    checks is at most one segment's vocabulary, one posting list per segment, or one
    chunk of phrase documents."""
    made = _recording(engine, monkeypatch)
    steps: list[tuple[str, int]] = []
    real_spend = Budget.spend

    def spend(self, kind, units=1):
        steps.append((kind, units))
        real_spend(self, kind, units)
    monkeypatch.setattr(Budget, "spend", spend)
    for query in ['"' + " ".join(["said"] * 20) + '"~50',
                  " OR ".join(f"*q{a}" for a in LETTERS[:10]),
                  " ".join(f"{w}~2" for w in ["oil", "gas", "tin", "price", "trade"]),
                  "zqqx zqqy cofee"]:
        engine.search(SearchRequest(query=query))
    assert made and steps
    segments = len(engine.snapshot().searcher.reader().leaf_readers())
    biggest = max(len(engine.snapshot().vocabulary._words(leaf, field))
                  for leaf in engine.snapshot().vocabulary.leaves
                  for field in ("title", "body", SPELL_FIELD))
    bound = {"vocabulary words": biggest, "postings read": segments,
             "phrase positions": _PHRASE_CHUNK * MAX_PHRASE_WORDS,
             "respelled words": 1, "ranking rounds": 1}
    assert {kind for kind, _ in steps} <= set(bound)
    for kind, units in steps:
        assert units <= bound[kind], (kind, units)


# -- the time budget ------------------------------------------------------------------

WORST = ['"' + " ".join(["said"] * 20) + '"~50',
         " OR ".join(f"*q{a}" for a in LETTERS[:10]),
         " ".join(f"{w}~2" for w in ["oil", "gas", "tin", "price", "trade"]),
         " ".join(f"zq{a}{b}x" for a in LETTERS[:10] for b in LETTERS[:10])]


@pytest.mark.parametrize("query", WORST, ids=["phrase", "wildcards", "fuzzy", "unknown-words"])
def test_a_spent_budget_stops_the_search_with_a_clear_error(reuters_index, query):
    engine = WhooshEngine(reuters_index, budget_seconds=0)
    engine.warm()
    with pytest.raises(SearchTimeout, match="took longer than 0 s and was stopped"):
        engine.search(SearchRequest(query=query))
    if not query.startswith('"') and ("*" in query or "~" in query):  # what highlighting expands
        with pytest.raises(SearchTimeout):
            engine.highlight_article(engine.article("reuters-1"), query)


def test_a_budget_stops_inside_the_loops_not_after_them(engine, monkeypatch):
    """A clock that runs out after a few checks: the phrase is stopped part-way."""
    ticks = iter(range(10**6))
    made = _recording(engine, monkeypatch, seconds=5, clock=lambda: next(ticks))
    with pytest.raises(SearchTimeout):
        engine.search(SearchRequest(query='"' + " ".join(["said"] * 20) + '"~50'))
    documents = engine.stats().documents
    assert made[0].spent["phrase positions"] < documents * 20


def test_a_timeout_is_a_503_with_the_message(reuters_index):
    from webapp import create_app

    app = create_app({"INDEX_DIR": str(reuters_index)})
    app.extensions["newsearch.engine"].budget_seconds = 0
    client = app.test_client()
    response = client.get("/api/search", query_string={"q": WORST[0]})
    assert response.status_code == 503
    assert "was stopped" in response.get_json()["error"]["message"]
    page = client.get("/", query_string={"q": WORST[0]})
    assert page.status_code == 503 and "was stopped" in page.get_data(as_text=True)


# -- one search in progress does not hold up another ------------------------------------

def test_a_cheap_search_answers_while_a_slow_one_is_in_progress(reuters_index, monkeypatch):
    """The slow search is paused inside its evaluation (in its budget check, holding the
    heavy requests' turn) and the cheap search must still finish: with one lock around
    every engine call it waited for the slow one (65 s behind ``"said said"~100000``)."""
    engine = WhooshEngine(reuters_index)
    expected = engine.search(SearchRequest(query="coffee")).total
    inside, release = threading.Event(), threading.Event()
    real_budget = engine.budget
    slow_thread: list[threading.Thread] = []

    def budget() -> Budget:
        b = real_budget()
        if threading.current_thread() in slow_thread:
            real_spend = b.spend

            def paused(kind, units=1):
                if not inside.is_set():  # paused holding the heavy requests' turn
                    with engine._heavy:
                        inside.set()
                        release.wait(60)
                real_spend(kind, units)
            b.spend = paused
        return b
    monkeypatch.setattr(engine, "budget", budget)
    slow_result: list = []
    slow = threading.Thread(target=lambda: slow_result.append(
        engine.search(SearchRequest(query='"said said"~50')).total))
    slow_thread.append(slow)
    slow.start()
    assert inside.wait(60)
    cheap: list[int] = []
    quick = threading.Thread(target=lambda: cheap.append(
        engine.search(SearchRequest(query="coffee")).total))
    quick.start()
    quick.join(30)  # a guard against a hang, not a speed assertion
    finished_while_paused = not quick.is_alive() and slow.is_alive()
    release.set()
    slow.join(60)
    quick.join(60)
    assert finished_while_paused and cheap == [expected]
    assert slow_result and slow_result[0] > 0


def test_heavy_requests_take_turns_and_cheap_ones_never_wait(monkeypatch):
    """A request past HEAVY_AFTER_CPU_SECONDS of CPU waits for the one heavy slot, within
    its deadline; one below it never touches the slot."""
    cpu = [0.0]  # this thread's CPU seconds, as the budgets read them
    monkeypatch.setattr(limits.time, "thread_time", lambda: cpu[0])
    slot = threading.Semaphore(1)
    slot.acquire()  # another heavy request has the turn
    cheap = Budget(seconds=5, heavy=slot)
    cheap.spend("postings read")  # no CPU used yet: does not wait for the slot
    assert cheap.spent["postings read"] == 1
    heavy = Budget(seconds=0.01, heavy=slot)
    cpu[0] += 1.0
    with pytest.raises(SearchTimeout):  # its turn never came within its budget
        heavy.spend("postings read")
    slot.release()
    with Budget(seconds=5, heavy=slot) as turn:
        cpu[0] += 1.0
        turn.spend("postings read")  # takes the free slot...
        assert not slot.acquire(blocking=False)
    assert slot.acquire(blocking=False)  # ...and gives it back when done
