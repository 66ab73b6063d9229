"""The one text analyzer, used both to index articles and to parse queries.

Sharing it is what makes ``denuclearize`` find ``denuclearization`` and ``talks`` find
``talk``: both sides are reduced to the same NLTK Snowball stem. The tokenizer reports
character offsets so highlighting can mark the reader's original words, not the stems.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

import regex
from nltk.stem.snowball import SnowballStemmer
from nltk.tokenize import RegexpTokenizer
from whoosh.analysis import STOP_WORDS, Filter, LowercaseFilter, StopFilter, Token, Tokenizer

# Words, numbers, and dotted abbreviations kept whole ("U.S", "3.5").
TOKEN_PATTERN = r"\w+(?:\.\w+)*"


class _FixedPatternTokenizer(RegexpTokenizer):
    """NLTK's RegexpTokenizer on our one fixed pattern, compiled with the ``regex`` engine
    NLTK itself uses, without ``nltk.redos``'s wall-clock guard around every match.

    That guard is for patterns a caller supplies; ours cannot backtrack (each ``\\w+``
    run is followed by a literal dot or nothing), and the guard's wrapper tripled the
    tokenizer's cost: 0.34 s against 0.12 s of CPU for the 925 bodies of reut2-000,
    the same spans (tests/test_analysis.py)."""

    def _check_regexp(self) -> None:
        if self._regexp is None:
            self._regexp = regex.compile(self._pattern, self._flags)

    def words(self, text: str) -> list[str]:
        """The tokens' texts, as ``span_tokenize``'s spans cut them from ``text``."""
        self._check_regexp()
        return self._regexp.findall(text)


_nltk_tokenizer = _FixedPatternTokenizer(TOKEN_PATTERN)
_stemmer = SnowballStemmer("english")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball-stem one lowercase word (cached: news vocabulary repeats a lot)."""
    return _stemmer.stem(word)


class NltkTokenizer(Tokenizer):
    """Whoosh tokenizer backed by NLTK's RegexpTokenizer, with positions and offsets."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, value: str, positions: bool = False, chars: bool = False,
                 keeporiginal: bool = False, removestops: bool = True, start_pos: int = 0,
                 start_char: int = 0, tokenize: bool = True, mode: str = "",
                 **kwargs: object) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar, t.endchar = start_char, start_char + len(value)
            yield t
            return
        for pos, (start, end) in enumerate(_nltk_tokenizer.span_tokenize(value)):
            t.text = value[start:end]
            t.boost = 1.0
            t.stopped = False
            if keeporiginal:
                t.original = t.text
            if positions:
                t.pos = start_pos + pos
            if chars:
                t.startchar, t.endchar = start_char + start, start_char + end
            yield t


class NltkStemFilter(Filter):
    """Reduce tokens to their Snowball stem. ``is_morph`` lets Whoosh skip it for spelling."""

    is_morph = True

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self)

    def __call__(self, tokens: Iterator[Token]) -> Iterator[Token]:
        for t in tokens:
            if not t.stopped and t.text.isalpha():  # leave "u.s" and "3.5" alone
                t.text = stem(t.text)
            yield t


@lru_cache(maxsize=200_000)
def spelling_form(word: str) -> str | None:
    """What ``news_analyzer`` keeps of one token before stemming (None for a stop word):
    the form "did you mean" suggests, for which Whoosh runs the analyzer without its
    stemmer (``NltkStemFilter.is_morph``)."""
    lower = word.lower()
    return None if len(lower) < 2 or lower in STOP_WORDS else lower


@lru_cache(maxsize=200_000)
def indexed_form(word: str) -> str | None:
    """What ``news_analyzer`` indexes for one token (None for a stop word).

    The same steps in one cached call, for highlighting, where running the Whoosh
    pipeline per token costs ~1 ms a hit, and for indexing (``term_positions``);
    tests/test_analysis.py checks the two agree.
    """
    form = spelling_form(word)
    return stem(form) if form is not None and form.isalpha() else form


def words_of(text: str) -> list[str]:
    """The tokens of ``text`` as ``news_analyzer``'s tokenizer cuts them."""
    return _nltk_tokenizer.words(text)


def term_positions(words: list[str]) -> dict[str, list[int]]:
    """Each term ``news_analyzer`` indexes from a text's tokens (``words_of``), with its
    positions, first occurrence first: what Whoosh's ``Positions`` format collects from
    the analyzer's stream (a ``Token`` through four generators a word), in one pass with
    one cached look-up a word (the streams, with the keyword fields' and the spelling
    words' second, unstemmed run, were 23% of a build's CPU). Positions count as
    Whoosh's ``StopFilter`` renumbers them: stop words take none, but the first word kept
    keeps the place it had among all tokens."""
    found: dict[str, list[int]] = {}
    pos = -1
    for i, word in enumerate(words):
        form = indexed_form(word)
        if form is None:
            continue
        pos = i if pos < 0 else pos + 1
        if (positions := found.get(form)) is None:
            found[form] = [pos]
        else:
            positions.append(pos)
    return found


def spelling_words(words: list[str]) -> list[str]:
    """The distinct unstemmed words among a text's tokens (``words_of``) that Whoosh's
    spelling field takes (``spelling_form``), sorted as Whoosh's ``spellable_words``
    gives them."""
    found = set(map(spelling_form, words))
    found.discard(None)
    return sorted(found)


def news_analyzer():  # -> whoosh.analysis.CompositeAnalyzer
    """Tokenize (NLTK), lowercase, drop English stop words, stem (NLTK Snowball)."""
    return NltkTokenizer() | LowercaseFilter() | StopFilter(stoplist=STOP_WORDS, minsize=2) \
        | NltkStemFilter()
