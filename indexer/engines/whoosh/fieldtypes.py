"""The indexed field types of the schema: Whoosh's ``TEXT`` and ``KEYWORD``, indexing a
value in one pass.

Whoosh's ``FieldType.index`` runs the analyzer's token stream through the format's
``word_values``: a ``Token`` through a chain of generators per word, for the article
text and the keyword fields (people, countries, MinHash bands, ...) alike; for the text
``spellable_words`` then runs it once more without the stemmer for "did you mean".
Together that was 23% of a Reuters build's CPU (docs/scaling.md §7). These types get the
same terms, frequencies, weights, encoded values and spelling words in one pass
(``indexer.analysis.term_positions`` and ``spelling_words`` for the text; a split,
strip and lowercase for keywords); tests/test_whoosh_field_types.py holds them to
Whoosh's, and a whole index to the bytes Whoosh's types write. Queries are parsed as
before. An index made before them keeps Whoosh's types in its schema, which index the
same terms the slower way, until ``--rebuild``.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from whoosh.fields import KEYWORD, TEXT
from whoosh.system import pack_uint

from indexer.analysis import news_analyzer, spelling_words, term_positions, words_of

#: What Whoosh's ``CommaSeparatedTokenizer`` and ``SpaceSeparatedTokenizer`` match.
_COMMA_ITEMS = re.compile(r"[^,]+")
_SPACE_ITEMS = re.compile(r"[^ \t\r\n]+")

Terms = Iterator[tuple[bytes, int, float, bytes]]


class NewsText(TEXT):
    """``TEXT(analyzer=news_analyzer(), ...)`` whose ``index`` and ``spellable_words``
    take one pass over the text (module docstring)."""

    def __init__(self, **options: object) -> None:
        super().__init__(analyzer=news_analyzer(), **options)
        self._last: tuple[str, list[str]] = ("", [])  # the last value indexed, its tokens

    def __getstate__(self) -> dict:
        """The schema pickled into the index never holds an article's tokens."""
        state = self.__dict__.copy()
        state.pop("_last", None)
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._last = ("", [])

    def _words(self, value: str) -> list[str]:
        """The value's tokens, cut once for its terms and its spelling words: Whoosh's
        writer asks ``index`` then ``spellable_words`` of the same value."""
        last = self._last
        if last[0] is not value:
            last = self._last = (value, words_of(value))
        return last[1]

    def index(self, value: object, **kwargs: object) -> Terms:
        if kwargs or not isinstance(value, str):  # a list of tokens, or start offsets
            return super().index(value, **kwargs)
        return self._terms(value)

    def _terms(self, value: str) -> Terms:
        encode, boost = self.format.encode, self.format.field_boost
        for term, positions in term_positions(self._words(value)).items():
            yield term.encode("utf-8"), len(positions), len(positions) * boost, encode(positions)

    def spellable_words(self, value: object) -> Iterator[str]:
        if not isinstance(value, str):
            return super().spellable_words(value)
        return iter(spelling_words(self._words(value)))


class NewsKeyword(KEYWORD):
    """``KEYWORD`` (its ``KeywordAnalyzer``: items between commas, stripped, or between
    blanks; lowercased if asked) whose ``index`` splits the value in one pass."""

    def __init__(self, *, lowercase: bool = False, commas: bool = False, **options: object) -> None:
        super().__init__(lowercase=lowercase, commas=commas, **options)
        self.lowercase, self.commas = lowercase, commas

    def index(self, value: object, **kwargs: object) -> Terms:
        if kwargs or not isinstance(value, str):
            return super().index(value, **kwargs)
        return self._terms(value)

    def _terms(self, value: str) -> Terms:
        items = [item.strip() for item in _COMMA_ITEMS.findall(value)] if self.commas \
            else _SPACE_ITEMS.findall(value)
        boost = self.format.field_boost
        for term, count in Counter(map(str.lower, items) if self.lowercase else items).items():
            yield term.encode("utf-8"), count, count * boost, pack_uint(count)
