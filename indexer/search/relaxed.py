"""The relaxed fallback: a page that every word of a query could not fill.

Words are ANDed, so a query of several plain words ("wheat exports to the soviet union")
often finds fewer articles than a page, and the rest of the page stays empty although
many articles hold most of the words. When that happens on the first page of a relevance
search, the page is filled with the best articles holding only some of the words (the
same words ORed, ranked the same way), after every article holding all of them. Those
hits carry ``relaxed=True`` and each front end says so above the first one; the total,
the facets and the timeline still count the articles holding every word.

Only plain words are relaxed: a query with operators, phrases, fields or wildcards
says exactly what it wants. Measured with bench/relevance.py (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.search.model import MAX_QUERY_CHARS, SearchRequest, SearchResult

#: A query of plain words only (letters, digits, dotted abbreviations, apostrophes).
_PLAIN = re.compile(r"[\w.']+(?:\s+[\w.']+)+")
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}
#: What a front end shows above the first relaxed hit.
RELAXED_NOTE = "Fewer articles than a page hold every word; these hold some of them:"


def relaxed_request(req: SearchRequest, result: SearchResult) -> SearchRequest | None:
    """The request that fills ``result``'s page, or None when there is nothing to relax."""
    text = req.query.strip()
    if (req.sort != "relevance" or req.page != 1 or req.dupkey
            or len(result.hits) >= req.limit or not _PLAIN.fullmatch(text)):
        return None
    words = list(dict.fromkeys(text.split()))  # "word word": one word, nothing to relax
    loose = " OR ".join(words)
    if len(words) < 2 or _OPERATORS & set(words) or len(loose) > MAX_QUERY_CHARS:
        return None
    return replace(req, query=loose, with_facets=False)


def with_relaxed(strict: SearchResult, loose: SearchResult) -> SearchResult:
    """``strict`` with its page filled from ``loose`` (hits it does not show yet, in the
    order ``loose`` ranks them), marked relaxed."""
    shown = {h.id for h in strict.hits} | {h.dupkey for h in strict.hits if h.dupkey}
    extra = [replace(h, relaxed=True) for h in loose.hits
             if h.id not in shown and not (h.dupkey and h.dupkey in shown)]
    return replace(strict, hits=strict.hits + extra[:strict.limit - len(strict.hits)],
                   took_ms=strict.took_ms + loose.took_ms)
