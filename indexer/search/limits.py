"""What one query may cost: the caps, their messages and the time budget of a search.

Every query has bounded cost (issue 17): ``"said said"~100000`` held the server for 66 s,
150 leading wildcards for 38 s, 248 unknown words spent 2 s in "did you mean". The caps
below bound the work a query can ask for before it starts; the budget stops whatever
still takes too long (a loaded machine, a query shape nobody thought of) and answers
with ``SearchTimeout``. Both are engine-neutral: any backend checks the same numbers and
gives the same messages, so search, article pages, exports, feeds and the CLI agree.
The numbers are documented in docs/query-syntax.md ("Limits").
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

from indexer.search.model import QueryError

MAX_NESTING = 20  # parentheses inside parentheses (999 overflowed Python's stack)
MAX_SLOP = 50  # "a b"~N: words at most N positions apart (a paragraph or so)
MAX_PHRASE_WORDS = 20  # words of all the query's phrases together (each checks positions)
MAX_EXPANDING_TERMS = 10  # wildcards, fuzzy terms and word ranges in one query
MAX_EXPANSION = 256  # words one wildcard or word range may stand for (more: refused)
MAX_FUZZY_EXPANSION = 50  # closest words a fuzzy term stands for (the rest dropped: Lucene's 50)
MAX_TOTAL_EXPANSION = 1024  # words all expanding terms of a query stand for, in all fields
MAX_FUZZY_DISTANCE = 2  # "oil~5" walked every word with a distance-5 automaton (~19 s)
MAX_RESPELLED_WORDS = 8  # unknown words "did you mean" looks up (each scans a vocabulary)
SEARCH_BUDGET_SECONDS = 5.0  # one search, article highlight or export, start to answer


class SearchTimeout(QueryError):
    """The search spent its time budget and was stopped (HTTP 503, CLI exit 2)."""


def too_deep(depth: int) -> QueryError:
    return QueryError(f"the query nests parentheses {depth} deep; the limit is {MAX_NESTING}")


def too_much_slop(slop: int) -> QueryError:
    return QueryError(f"'~{slop}': the words of a phrase can be at most {MAX_SLOP} positions "
                      "apart")


def too_long_phrase(words: int) -> QueryError:
    return QueryError(f"the query's phrases have {words} words together; the limit is "
                      f"{MAX_PHRASE_WORDS}")


def too_many_expanding_terms(count: int) -> QueryError:
    return QueryError(f"the query has {count} wildcard, fuzzy or range terms; the limit is "
                      f"{MAX_EXPANDING_TERMS}")


def too_many_words(term: str) -> QueryError:
    return QueryError(f"'{term}' matches more than {MAX_EXPANSION:,} words; make it more "
                      "specific")


def too_many_words_together() -> QueryError:
    return QueryError(f"the query's wildcard, fuzzy and range terms match more than "
                      f"{MAX_TOTAL_EXPANSION:,} words together; make them more specific")


def too_fuzzy(term: str, distance: float) -> QueryError:
    return QueryError(f"'{term}~{distance:g}': the fuzzy distance can be at most "
                      f"{MAX_FUZZY_DISTANCE}")


def too_short_wildcard(term: str) -> QueryError:
    return QueryError(f"'{term}' is too short for a wildcard; give at least two letters "
                      "before * or ?")


class Budget:
    """The time one request may take, checked inside every loop whose length the user
    controls (postings read, vocabulary scans, phrase position checks, respellings).

    ``spent`` counts the work done by kind, so tests can bound the work of a worst-case
    query instead of timing it; ``clock`` is injectable for the same reason.
    """

    def __init__(self, seconds: float = SEARCH_BUDGET_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.clock = clock
        self.deadline = clock() + seconds
        self.spent: Counter[str] = Counter()

    def spend(self, kind: str, units: int = 1) -> None:
        """Count ``units`` of work; raise SearchTimeout once the budget is spent."""
        self.spent[kind] += units
        if self.clock() > self.deadline:
            raise SearchTimeout(
                f"the search took longer than {self.seconds:g} s and was stopped; make the "
                "query more specific (fewer wildcards, fuzzy terms, ORs or long phrases)")
