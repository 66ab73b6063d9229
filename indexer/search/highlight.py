"""Highlighting: which characters of a text are the reader's own words.

The library returns plain text plus spans, ``(start, end)`` character offsets (Python
``str`` indices) into that text, and no markup: the web app escapes the text and wraps
the spans in ``<mark>``, the CLI colours them, JSON hands them to the client. So no
layer below the renderer can produce HTML, and a ``<script>`` in an article stays text.

Matches are found on indexed forms (stems), but the spans cover the original text, so
"shipments" is marked as written when the query said "shipment". One regex pass over
the text with a cached ``indexed_form`` per token replaces Whoosh's highlighter, which
re-ran the analyzer pipeline token by token (~1 ms a hit, most of a query's fixed cost
at 25,000 articles).
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Container, Mapping
from typing import NamedTuple

from rapidfuzz.distance import OSA

from indexer.analysis import TOKEN_PATTERN, indexed_form

_WORD = re.compile(TOKEN_PATTERN)  # the analyzer's tokenizer, so offsets agree
#: Between the passages of a snippet.
SEPARATOR = " … "

Span = tuple[int, int]


class Marked(NamedTuple):
    """A text and the spans to mark in it (offsets into ``text``, in order, disjoint)."""

    text: str
    spans: list[Span]


def lead(text: str, chars: int = 240) -> str:
    """The opening of a text, cut at a word boundary, when nothing matched in it."""
    if len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars)
    return text[: cut if cut > chars // 2 else chars] + " …"


def marks(text: str, terms: Container[str]) -> list[Span]:
    """The spans of every word of ``text`` whose indexed form is in ``terms``.

    Every word of every shown hit's body passes here, so the test per word is the
    cheapest one ``terms`` offers (``MarkedWords.test``: a set look-up for a query
    without expansions, half the cost of the general test)."""
    test = terms.test if isinstance(terms, MarkedWords) else terms.__contains__
    return [m.span() for m in _WORD.finditer(text) if test(indexed_form(m.group()))]


def snippet(text: str, terms: Container[str], *, top: int = 2, maxchars: int = 220,
            surround: int = 70) -> Marked:
    """The ``top`` passages with the most matches, in text order, joined by SEPARATOR;
    the spans are offsets into that joined text.

    Matches closer than ``maxchars - 2 * surround`` characters share a passage, which
    extends ``surround`` characters either side to word boundaries. ``Marked("", [])``
    when nothing matches (the caller shows the lead instead).
    """
    spans = marks(text, terms)
    if not spans:
        return Marked("", [])
    groups, i = [], 0
    while i < len(spans):
        j = i
        while j + 1 < len(spans) and spans[j + 1][1] - spans[i][0] <= maxchars - 2 * surround:
            j += 1
        groups.append(spans[i:j + 1])
        i = j + 1
    best = sorted(heapq.nlargest(top, groups, key=len), key=lambda g: g[0][0])
    passages: list[str] = []
    out: list[Span] = []
    offset = 0  # where the next passage starts in the joined text
    for group in best:
        start = max(0, group[0][0] - surround)
        end = min(len(text), group[-1][1] + surround)
        if start > 0 and (space := text.find(" ", start, group[0][0])) != -1:
            start = space + 1
        if end < len(text) and (space := text.rfind(" ", group[-1][1], end)) != -1:
            end = space
        if passages:
            offset += len(SEPARATOR)
        out.extend((s - start + offset, e - start + offset) for s, e in group)
        passages.append(text[start:end])
        offset += end - start
    return Marked(SEPARATOR.join(passages), out)


class MarkedWords:
    """The indexed forms a query marks in one field: its words, plus the prefixes,
    wildcard patterns and fuzzy words it expands. Works as the ``terms`` of
    :func:`marks` and :func:`snippet` (``form in marked``), so highlighting needs no
    engine: it follows the query tree, not an engine's list of matched terms."""

    def __init__(self) -> None:
        self.words: set[str] = set()
        self.prefixes: list[str] = []
        self.patterns: list[re.Pattern[str]] = []
        self.fuzzy: list[tuple[str, int, int]] = []

    def __bool__(self) -> bool:
        return bool(self.words or self.prefixes or self.patterns or self.fuzzy)

    @property
    def test(self) -> Callable[[object], bool]:
        """``form in self`` as one callable: the words' own set look-up when nothing is
        expanded (most queries), else ``__contains__``."""
        if self.prefixes or self.patterns or self.fuzzy:
            return self.__contains__
        return self.words.__contains__

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


def marked_words(node, expanded: Mapping | None = None) -> dict[str, MarkedWords]:
    """What to mark in the title and the body for a query tree (only its positive part:
    a word the query excludes is not marked).

    ``expanded`` maps a fuzzy leaf to the words the engine searched for it (its closest
    MAX_FUZZY_EXPANSION, as Whoosh keeps them); those words are marked, not every word
    within its distance, so a word the search left out is not highlighted either.
    (node: indexer.search.tree.Node; expanded: {Fuzzy leaf: [indexed forms]}.)
    """
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
            case t.Fuzzy() if expanded is not None and leaf in expanded:
                target.words.update(expanded[leaf])
            case t.Fuzzy(text=text, maxdist=dist, prefix=prefix):
                target.fuzzy.append((text, dist, prefix))
    return marks
