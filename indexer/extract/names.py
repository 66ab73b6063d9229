"""Normalising person names so that spelling variants compare equal.

Shared by the extractor (to merge "Kim Jong-un" with "Kim Jong Un" inside one article)
and by the evaluator (to compare with gold names regardless of case and accents).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from indexer.extract.lexicon import FAMILY_NAME_FIRST

_HYPHEN_LOWER = re.compile(r"(?<=\w)-(\w)")
_INITIALS_GAP = re.compile(r"\b([A-Z])\. (?=[A-Z]\.)")
_SPACES = re.compile(r"\s+")
_PARTICLE_PREFIX = re.compile(r"^(?:al|el|ad|as|ar|an|at|az)-", re.IGNORECASE)


@lru_cache(maxsize=65536)  # asked of every mention, many of them repeated
def canonical_name(name: str) -> str:
    """One display spelling: "Kim Jong-un" -> "Kim Jong Un", "George H. W. Bush" -> "George H.W. Bush".

    Hyphens before a lower-case syllable are romanisation variants, so they become
    spaces with a capital, as do all hyphens in a family-name-first name ("Kim Jong-Un");
    hyphens between capitals elsewhere ("Jean-Claude") are kept.
    """
    name = name.replace("’", "'")
    family_first = name.split(" ", 1)[0].lower() in FAMILY_NAME_FIRST and " " in name
    name = _HYPHEN_LOWER.sub(
        lambda m: " " + m.group(1).upper() if m.group(1).islower() or family_first else "-" + m.group(1), name)
    name = _INITIALS_GAP.sub(r"\1.", name)
    return _SPACES.sub(" ", name).strip()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Comparison key: case, accents, hyphens and initials' periods ignored."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", re.sub(r"[-.’']", " ", ascii_only.lower())).strip()


@lru_cache(maxsize=65536)
def surname_key(token: str) -> str:
    """Key of one surname token, ignoring Arabic article prefixes ("al-Assad" ~ "Assad")."""
    return name_key(_PARTICLE_PREFIX.sub("", token))
