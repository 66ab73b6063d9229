"""Highlighting: the reader's own words wrapped in ``<mark>``, everything else escaped.

Matches are found on indexed forms (stems), but the marked spans are cut from the
original text, so "shipments" is marked as written when the query said "shipment".
One regex pass over the text with a cached ``indexed_form`` per token replaces Whoosh's
highlighter, which re-ran the analyzer pipeline token by token (~1 ms a hit, most of a
query's fixed cost at 25,000 articles).
"""

from __future__ import annotations

import heapq
import re
from html import escape

from indexer.analysis import TOKEN_PATTERN, indexed_form

_WORD = re.compile(TOKEN_PATTERN)  # the analyzer's tokenizer, so offsets agree


def lead(text: str, chars: int = 240) -> str:
    """The escaped opening of a text, cut at a word boundary, when nothing matched in it."""
    if len(text) <= chars:
        return escape(text, quote=False)
    cut = text.rfind(" ", 0, chars)
    return escape(text[: cut if cut > chars // 2 else chars], quote=False) + " …"


def _spans(text: str, terms: set[str]) -> list[tuple[int, int]]:
    return [m.span() for m in _WORD.finditer(text) if indexed_form(m.group()) in terms]


def _render(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> str:
    out, pos = [], start
    for s, e in spans:
        out.append(escape(text[pos:s], quote=False))
        out.append(f"<mark>{escape(text[s:e], quote=False)}</mark>")
        pos = e
    out.append(escape(text[pos:end], quote=False))
    return "".join(out)


def mark_all(text: str, terms: set[str]) -> str:
    """The whole text, escaped, with every word whose indexed form is in ``terms`` marked."""
    return _render(text, 0, len(text), _spans(text, terms))


def snippet(text: str, terms: set[str], *, top: int = 2, maxchars: int = 220,
            surround: int = 70) -> str:
    """The ``top`` passages with the most matches, in text order, joined by " … ".

    Matches closer than ``maxchars - 2 * surround`` characters share a passage, which
    extends ``surround`` characters either side to word boundaries. "" when nothing
    matches (the caller shows the lead instead).
    """
    spans = _spans(text, terms)
    if not spans:
        return ""
    groups, i = [], 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= maxchars - 2 * surround:
            j += 1
        groups.append(spans[i:j + 1])
        i = j + 1
    best = sorted(heapq.nlargest(top, groups, key=len), key=lambda g: g[0][0])
    out = []
    for group in best:
        start = max(0, group[0][0] - surround)
        end = min(len(text), group[-1][1] + surround)
        if start > 0 and (space := text.find(" ", start, group[0][0])) != -1:
            start = space + 1
        if end < len(text) and (space := text.rfind(" ", group[-1][1], end)) != -1:
            end = space
        out.append(_render(text, start, end, group))
    return " … ".join(out)
