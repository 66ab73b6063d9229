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

SPELL_FIELD = "spell_body"
_WORD = re.compile(r"(?<![\w:\-*?~])([A-Za-z]{3,})(?![\w:*?~])")
_OPERATORS = {"AND", "OR", "NOT", "TO"}


def best_spelling(reader, vocabulary: Vocabulary, word: str) -> str | None:
    """The closest known word to an unknown one (None if the word is known or hopeless)."""
    lower = word.lower()
    if reader.doc_frequency(SPELL_FIELD, lower):
        return None
    maxdist = 1 if len(lower) <= 4 else 2
    candidates = [(OSA.distance(lower, c), -reader.doc_frequency(SPELL_FIELD, c), c)
                  for c in vocabulary.within(SPELL_FIELD, lower, maxdist, prefix=1)]
    return min(candidates)[2] if candidates else None


def respell(reader, vocabulary: Vocabulary, query: str) -> str | None:
    """The query with each unknown plain word respelled, or None when nothing changed.

    Field values, wildcards and operators are left alone.
    """
    changed = False

    def fix(match: re.Match[str]) -> str:
        nonlocal changed
        word = match.group(1)
        if word in _OPERATORS:
            return word
        better = best_spelling(reader, vocabulary, word)
        if better is None:
            return word
        changed = True
        return better
    corrected = _WORD.sub(fix, query)
    return corrected if changed else None
