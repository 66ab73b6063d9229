"""Metadata values as sources write them, turned into the Article's types."""

from __future__ import annotations

import ast
import re

_SEPARATORS = re.compile(r"\s*(?:;|,|\band\b)\s*")
_BY = re.compile(r"^by\s+", re.IGNORECASE)


def split_authors(value: object) -> tuple[str, ...]:
    """Authors from a list, a list written as a string (news-please's ``"['A', 'B']"``)
    or one string joined by commas, semicolons or "and"; a leading "By" is dropped."""
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                value = ast.literal_eval(text)
            except (ValueError, SyntaxError):
                value = [text]
        else:
            value = _SEPARATORS.split(_BY.sub("", text))
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(dict.fromkeys(_BY.sub("", str(a)).strip() for a in value if str(a).strip()))
