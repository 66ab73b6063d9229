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

import threading
import time
from collections import Counter
from collections.abc import Callable
from types import TracebackType

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
#: CPU seconds after which a request counts as heavy: heavy requests take turns (one at a
#: time per engine), so they cannot starve the cheap ones of the interpreter. A cheap
#: search takes 10-30 ms of CPU on Reuters-21578; the worst the caps allow 0.2-0.5 s.
HEAVY_AFTER_CPU_SECONDS = 0.1


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


def timed_out(seconds: float) -> SearchTimeout:
    """The message of a search stopped at its time budget (on any engine)."""
    return SearchTimeout(
        f"the search took longer than {seconds:g} s and was stopped; make the "
        "query more specific (fewer wildcards, fuzzy terms, ORs or long phrases)")


class Budget:
    """The time one request may take, checked inside every loop whose length the user
    controls (postings read, vocabulary scans, phrase position checks, respellings).

    ``spent`` counts the work done by kind, so tests can bound the work of a worst-case
    query instead of timing it; ``clock`` is injectable for the same reason.

    With a ``heavy`` semaphore, a request that has used HEAVY_AFTER_CPU_SECONDS of CPU
    waits for its turn among the heavy ones (within its deadline) before going on, and
    gives the turn back when closed (``with budget:``). Python runs one thread at a time,
    so two worst-case queries beside a cheap one would each get a third of the
    interpreter; one at a time, a cheap search shares it with one at most.
    """

    def __init__(self, seconds: float = SEARCH_BUDGET_SECONDS,
                 clock: Callable[[], float] = time.monotonic,
                 heavy: threading.Semaphore | None = None) -> None:
        self.seconds = seconds
        self.clock = clock
        self.deadline = clock() + seconds
        self.spent: Counter[str] = Counter()
        self._heavy = heavy
        self._holding = False
        self._cpu_start = time.thread_time()

    def spend(self, kind: str, units: int = 1) -> None:
        """Count ``units`` of work; raise SearchTimeout once the budget is spent."""
        self.spent[kind] += units
        if (self._heavy is not None and not self._holding
                and time.thread_time() - self._cpu_start > HEAVY_AFTER_CPU_SECONDS):
            self._holding = self._heavy.acquire(timeout=max(0.0, self.deadline - self.clock()))
            if not self._holding:
                self._stop()
        if self.clock() > self.deadline:
            self._stop()

    def _stop(self) -> None:
        raise timed_out(self.seconds)

    def close(self) -> None:
        """Give back the heavy requests' turn, if this request holds it."""
        if self._holding:
            self._holding = False
            self._heavy.release()

    def __enter__(self) -> Budget:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
