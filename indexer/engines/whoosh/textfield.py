"""The article text fields (title, body): Whoosh's ``TEXT`` with ``news_analyzer``,
indexing a text in one pass.

Whoosh's ``TEXT.index`` runs the analyzer's token stream through ``Positions.word_values``
(four generators and a ``Token`` per word), then ``spellable_words`` runs it once more
without the stemmer for "did you mean": together 23% of a Reuters build's CPU
(docs/scaling.md §7). ``NewsText`` gets the same terms, frequencies, weights, encoded
positions and spelling words from ``indexer.analysis.term_positions`` and
``spelling_words`` (tests/test_whoosh_text_field.py holds them to ``TEXT``'s). Queries are
parsed with the analyzer as before. An index made before it keeps its ``TEXT`` fields,
which index the same terms the slower way, until ``--rebuild``.
"""

from __future__ import annotations

from collections.abc import Iterator

from whoosh.fields import TEXT

from indexer.analysis import news_analyzer, spelling_words, term_positions


class NewsText(TEXT):
    """``TEXT(analyzer=news_analyzer(), ...)`` whose ``index`` and ``spellable_words``
    take one pass over the text (module docstring)."""

    def __init__(self, **options: object) -> None:
        super().__init__(analyzer=news_analyzer(), **options)

    def index(self, value: object, **kwargs: object) -> Iterator[tuple[bytes, int, float, bytes]]:
        if kwargs or not isinstance(value, str):  # a list of tokens, or start offsets
            return super().index(value, **kwargs)
        return self._terms(value)

    def _terms(self, value: str) -> Iterator[tuple[bytes, int, float, bytes]]:
        encode, boost = self.format.encode, self.format.field_boost
        for term, positions in term_positions(value).items():
            yield term.encode("utf-8"), len(positions), len(positions) * boost, encode(positions)

    def spellable_words(self, value: object) -> Iterator[str]:
        if not isinstance(value, str):
            return super().spellable_words(value)
        return iter(spelling_words(value))
