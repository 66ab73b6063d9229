"""'Did you mean': which words of a query are respelled, the same on every engine.

An engine knows its own vocabulary; what counts as a word to respell, which words are left
alone and how many are looked up is decided here once. Field values, wildcards, fuzzy
terms and operators stay as typed. Looking up an unknown word costs a scan of a
vocabulary (Whoosh) or a request (OpenSearch), so only the first MAX_RESPELLED_WORDS
unknown words are looked up (248 unknown words took 2 s); the rest stay as typed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from indexer.search.limits import MAX_RESPELLED_WORDS, Budget

_WORD = re.compile(r"(?<![\w:\-*?~])([A-Za-z]{3,})(?![\w:*?~])")
_OPERATORS = frozenset({"AND", "OR", "NOT", "TO"})


def respell(query: str, known: Callable[[Iterable[str]], set[str]],
            best: Callable[[str], str | None], budget: Budget | None = None) -> str | None:
    """The query with its unknown plain words respelled, or None when nothing changed.

    ``known`` answers, for lowercase words, which the index holds (one call for the whole
    query, so a server is asked once); ``best`` gives the closest known word to an unknown
    one, or None when nothing is close enough.
    """
    words = [m.group(1) for m in _WORD.finditer(query) if m.group(1) not in _OPERATORS]
    held = known(dict.fromkeys(w.lower() for w in words))
    fixes: dict[str, str | None] = {}
    for word in words:
        lower = word.lower()
        if lower in held or word in fixes or len(fixes) >= MAX_RESPELLED_WORDS:
            continue
        if budget is not None:
            budget.spend("respelled words")
        fixes[word] = best(lower)

    def fix(match: re.Match[str]) -> str:
        word = match.group(1)
        return fixes.get(word) or word
    corrected = _WORD.sub(fix, query)
    return corrected if any(fixes.values()) else None
