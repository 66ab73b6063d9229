"""Cues that end where a span starts: "analyst at |Smith Barney", "the |Billy Goat".

The span rules ask such questions of every capitalised span, with patterns anchored at the
end of a short window before it (``...\\s+$``). A regex search for them tries every start
in the window, yet a match always ends in one of a few words and blanks, and most spans
have none of those words before them. :class:`Before` tests that first, on the window with
its trailing blanks stripped, and runs the search only when it holds; the answer is the
plain search's.
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterable

#: ``ends`` for patterns whose last word is any lower-case or capital letter run.
LOWER_LETTERS = tuple(string.ascii_lowercase)
UPPER_LETTERS = tuple(string.ascii_uppercase)


def alternatives(phrases: Iterable[str]) -> str:
    """A regex alternation of phrases whose words may be split by any blanks ("role in")."""
    return "|".join(r"\s+".join(phrase.split()) for phrase in phrases)


def last_words(phrases: Iterable[str]) -> tuple[str, ...]:
    """The ``ends`` of a pattern ending in one of ``phrases``."""
    return tuple(dict.fromkeys(phrase.split()[-1] for phrase in phrases))


class Before:
    """``pattern`` searched in the ``width`` characters before a position.

    ``ends``: the strings every match ends with, blanks after them aside (the pattern's
    last words, or the letters its last word may end in).
    """

    def __init__(self, pattern: str, width: int, ends: Iterable[str]) -> None:
        self.pattern = re.compile(pattern)
        self.width = width
        self.ends = tuple(ends)

    def search(self, text: str, start: int) -> re.Match[str] | None:
        """``pattern.search(text, start - width, start)``, the window clipped at 0."""
        window = max(0, start - self.width)
        if not text[window:start].rstrip().endswith(self.ends):
            return None
        return self.pattern.search(text, window, start)
