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

from rapidfuzz.distance import OSA

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


class MarkedWords:
    """The indexed forms a query marks in one field: its words, plus the prefixes,
    wildcard patterns and fuzzy words it expands. Works as the ``terms`` of
    :func:`mark_all` and :func:`snippet` (``form in marked``), so highlighting needs no
    engine: it follows the query tree, not an engine's list of matched terms."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.prefixes: list[str] = []
        self.patterns: list[re.Pattern[str]] = []
        self.fuzzy: list[tuple[str, int, int]] = []

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.patterns or self.fuzzy)

    def __contains__(self, form: object) -> bool:
        if not isinstance(form, str):
            return False
        if form in self.words or any(form.startswith(p) for p in self.prefixes):
            return True
        if any(p.fullmatch(form) for p in self.patterns):
            return True
        return any(form[:prefix] == text[:prefix]
                   and OSA.distance(form, text, score_cutoff=dist) <= dist
                   for text, dist, prefix in self.fuzzy)


def marked_words(node) -> dict[str, MarkedWords]:  # node: indexer.search.tree.Node
    """What to mark in the title and the body for a query tree (only its positive part:
    a word the query excludes is not marked)."""
    from indexer.search import tree as t

    marks = {"title": MarkedWords(), "body": MarkedWords()}
    for leaf in t.positive_leaves(node):
        target = marks.get(getattr(leaf, "field", ""))
        if target is None:
            continue
        match leaf:
            case t.Term(text=text):
                target.words.add(text)
            case t.Phrase(words=words):
                target.words.update(words)
            case t.Prefix(text=text):
                target.prefixes.append(text)
            case t.Wildcard(pattern=pattern):
                regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c)
                                for c in pattern)
                target.patterns.append(re.compile(regex))
            case t.Fuzzy(text=text, maxdist=dist, prefix=prefix):
                target.fuzzy.append((text, dist, prefix))
    return marks
