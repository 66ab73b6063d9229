"""Highlighting: the reader's own words wrapped in ``<mark>``, everything else escaped.

The analyzer stems both the text and the query, so a match is found on stems but the
marked span is cut from the original text by character offsets.
"""

from __future__ import annotations

from html import escape

from whoosh import highlight


class MarkFormatter(highlight.HtmlFormatter):
    """``<mark>word</mark>`` with all other text HTML-escaped."""

    template = "<mark>%(t)s</mark>"
    between = " … "

    def __init__(self) -> None:
        super().__init__(tagname="mark", between=" … ")


def snippet_highlighter() -> highlight.Highlighter:
    """Best fragments of about 200 characters around the matches."""
    return highlight.Highlighter(
        fragmenter=highlight.ContextFragmenter(maxchars=220, surround=70),
        formatter=MarkFormatter(), scorer=highlight.BasicFragmentScorer())


def mark_text(text: str, terms: frozenset[bytes] | set, analyzer) -> str:
    """The whole text with every query-term match marked (for the article page)."""
    if not terms:
        return escape(text, quote=False)
    marked = highlight.highlight(text, terms, analyzer, highlight.WholeFragmenter(charlimit=None),
                                 MarkFormatter(), top=1, minscore=0)
    return marked or escape(text, quote=False)


def lead(text: str, chars: int = 240) -> str:
    """The escaped opening of a text, cut at a word boundary, when nothing matched in it."""
    if len(text) <= chars:
        return escape(text, quote=False)
    cut = text.rfind(" ", 0, chars)
    return escape(text[: cut if cut > chars // 2 else chars], quote=False) + " …"
