"""'Did you mean': respell unknown query words with words the index actually holds.

Whoosh's corrector ranks candidates by plain edit distance and frequency, so "cocao"
becomes "coal". Here a transposition counts as one edit (Damerau), which is how people
mistype, and frequency only breaks ties. Candidates come from the unstemmed spelling
field Whoosh keeps beside the stemmed body (``spell_body``).
"""

from __future__ import annotations

import re

from rapidfuzz.distance import OSA

from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.search.limits import MAX_RESPELLED_WORDS, Budget

SPELL_FIELD = "spell_body"
_WORD = re.compile(r"(?<![\w:\-*?~])([A-Za-z]{3,})(?![\w:*?~])")
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def is_known(reader, word: str) -> bool:
    return bool(reader.doc_frequency(SPELL_FIELD, word.lower()))


def best_spelling(reader, vocabulary: Vocabulary, word: str,
                  budget: Budget | None = None) -> str | None:
    """The closest known word to an unknown one (None if the word is known or hopeless)."""
    lower = word.lower()
    if is_known(reader, lower):
        return None
    maxdist = 1 if len(lower) <= 4 else 2
    close = vocabulary.distances(SPELL_FIELD, lower, maxdist, prefix=1, budget=budget)
    candidates = [(OSA.distance(lower, c), -reader.doc_frequency(SPELL_FIELD, c), c)
                  for c in close]
    return min(candidates)[2] if candidates else None


def respell(reader, vocabulary: Vocabulary, query: str, budget: Budget) -> str | None:
    """The query with its unknown plain words respelled, or None when nothing changed.

    Field values, wildcards and operators are left alone. Each unknown word costs a scan
    of the spelling vocabulary, so only the first MAX_RESPELLED_WORDS unknown words are
    looked up (248 unknown words took 2 s); the rest stay as typed.
    """
    changed = False
    looked_up = 0

    def fix(match: re.Match[str]) -> str:
        nonlocal changed, looked_up
        word = match.group(1)
        if word in _OPERATORS or looked_up >= MAX_RESPELLED_WORDS or is_known(reader, word):
            return word
        looked_up += 1
        budget.spend("respelled words")
        better = best_spelling(reader, vocabulary, word, budget)
        if better is None:
            return word
        changed = True
        return better
    corrected = _WORD.sub(fix, query)
    return corrected if changed else None
