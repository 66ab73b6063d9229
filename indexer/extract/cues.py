"""The words that title each person where an article names them: the archive's evidence.

"Baker" alone is James Baker in most Reuters stories and Howard Baker in others; what
tells them apart in one article is the title around the name ("Treasury Secretary
Baker", "Baker, the White House chief of staff"). Extraction runs once per article and
keeps these words beside its people (``Entities.person_cues``), so the archive-wide step
(:mod:`indexer.archive`) can compare a surname-only mention with every full name of
that surname without reading the article again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from indexer.analysis import STOP_WORDS
from indexer.extract import lexicon

#: Where a title phrase ends: a sentence or clause boundary (a comma opens an apposition,
#: read separately after the name).
_CLAUSE_END = re.compile(r"[.;:!?()\"\n,]|--")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")
#: ", the White House chief of staff," right after a name.
_APPOSITION = re.compile(r",\s+(?:the\s+|a\s+|an\s+)?((?:[A-Za-z][\w-]*\s+){0,5}[A-Za-z][\w-]*)\s*[,.;]")
_NOT_CUES = STOP_WORDS | lexicon.FUNCTION_WORDS | frozenset(
    "said says told added noted explained argued wrote declined asked according mln pct".split())
_TITLE_WORDS = lexicon.TITLES | lexicon.TITLE_MODIFIERS | {"staff"}
WINDOW_CHARS = 60  # a title phrase is a few words long ("U.S. Treasury Secretary James")
MAX_WORDS = 4  # cue words per side of one mention
MAX_MENTIONS = 5  # mentions read per person: the first ones carry the titles


def _words(text: str, name_words: set[str]) -> list[str]:
    """The title words of a stretch of text: capitalised words ("Treasury", "White
    House") and the lower-case words of titles ("chief", "former"), names' own left out."""
    out = []
    for word in _WORD.findall(text):
        low = word.lower().strip("-")
        if (len(low) >= 3 and low not in _NOT_CUES and low not in name_words
                and (word[0].isupper() or low in _TITLE_WORDS)):
            out.append(low)
    return out


def _title_before(text: str, name_words: set[str]) -> list[str]:
    """The title phrase that ends right before a mention, read backwards: title words
    and capitalised words, across names, short words and "of" ("White House chief of
    staff Howard"), up to the first other word ("met", "said")."""
    out: list[str] = []
    for word in reversed(_WORD.findall(text)):
        low = word.lower().strip("-")
        if low in name_words or len(low) < 3 or low in ("of", "the", "and"):
            continue
        if low in _NOT_CUES or not (word[0].isupper() or low in _TITLE_WORDS):
            break
        out.append(low)
        if len(out) == MAX_WORDS:
            break
    return out[::-1]


def person_cues(text: str, people: list[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """For each person, the lower-case words titling their mentions in ``text``: up to
    ``MAX_WORDS`` before each of the first ``MAX_MENTIONS`` mentions of their surname in
    the same clause, and those of an apposition after it. Names' own words are left out."""
    name_words = {w.lower() for name in people for w in _WORD.findall(name)}
    surnames = [_surname(name.split()) for name in people if name.split()]
    cues: dict[str, tuple[str, ...]] = {}
    for name in people:
        tokens = name.split()
        if not tokens:
            continue
        surname = _surname(tokens)
        # Where two people of the article share a surname, only a mention with this
        # one's given name is theirs ("Nancy Reagan" beside "President Reagan").
        if surnames.count(surname) > 1 and len(tokens) > 1:
            own = re.compile(rf"(?<![\w-]){re.escape(tokens[0])}\s+(?:\S+\s+)?{re.escape(surname)}(?![\w-])")
            mentions = ((m.start(), m.end()) for m in own.finditer(text))
        else:
            mentions = _word_at(text, surname)
        found: dict[str, None] = {}
        for n, (start, end) in enumerate(mentions):
            if n == MAX_MENTIONS:
                break
            before = text[max(0, start - WINDOW_CHARS):start]
            ends = list(_CLAUSE_END.finditer(before))
            before = before[ends[-1].end():] if ends else before
            if not ends and start > WINDOW_CHARS:
                before = before.split(" ", 1)[-1]  # a cut word is no word
            found.update(dict.fromkeys(_title_before(before, name_words)))
            after = _APPOSITION.match(text, end, end + 80)
            if after:
                found.update(dict.fromkeys(_words(after.group(1), name_words)[:MAX_WORDS]))
        if found:
            cues[name] = tuple(found)
    return cues


def _word_at(text: str, word: str) -> Iterator[tuple[int, int]]:
    r"""Where ``word`` stands in ``text`` as a word of its own, not inside a longer word or
    a hyphenated one: what ``(?<![\w-])word(?![\w-])`` finds, without compiling a pattern
    for every person of every article (the compiling was most of this module's cost)."""
    if not word:
        return
    size, i = len(word), text.find(word)
    while i != -1:
        end = i + size
        if not (i and _in_word(text[i - 1])) and not (end < len(text) and _in_word(text[end])):
            yield i, end
            i = text.find(word, end)
        else:
            i = text.find(word, i + 1)


def _in_word(char: str) -> bool:
    r"""A character of ``[\w-]``, as ``re`` reads ``\w`` in a str pattern."""
    return char.isalnum() or char in "_-"


def _surname(tokens: list[str]) -> str:
    """The word a person is written by alone: the last, or the first of a family name
    written first ("Kim" of "Kim Jong Un")."""
    return tokens[0] if tokens[0].lower() in lexicon.FAMILY_NAME_FIRST else tokens[-1]
