"""'Did you mean': respell unknown query words with words the index actually holds.

Whoosh's corrector ranks candidates by plain edit distance and frequency, so "cocao"
becomes "coal". Here a transposition counts as one edit (Damerau), which is how people
mistype, and frequency only breaks ties. Candidates come from the unstemmed spelling
field Whoosh keeps beside the stemmed body (``spell_body``), and a word's frequency there
is the number of articles it is in (``pool.TermPool``; Whoosh's own postings of before,
one a document, count the same).
"""

from __future__ import annotations

from rapidfuzz.distance import OSA

from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.search.limits import Budget

SPELL_FIELD = "spell_body"


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
    candidates = [(OSA.distance(lower, c), -reader.frequency(SPELL_FIELD, c), c)
                  for c in close]
    return min(candidates)[2] if candidates else None


def corrector(reader, vocabulary: Vocabulary, budget: Budget | None = None):
    """(known, best): what indexer.search.spelling.respell asks of this index."""
    def known(words) -> set[str]:
        return {w for w in words if is_known(reader, w)}

    def best(word: str) -> str | None:
        return best_spelling(reader, vocabulary, word, budget)
    return known, best
