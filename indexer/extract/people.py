"""People mentioned in an article, one canonical full name each.

Rules instead of a statistical model, because they run at several hundred thousand
words per second and fail in ways a journalist can read:

1. Capitalised spans are cut from the text (initials, particles and "of" after a title
   may sit inside a span; punctuation and line breaks end it).
2. Everything up to the last job title or honorific is dropped and cues the rest as a
   person ("Israeli Prime Minister Benjamin Netanyahu" -> "Benjamin Netanyahu").
3. A span is a person if it was cued, or starts with a known given name, or starts with
   a family name written first ("Kim Jong Un"); spans holding organisation, place or
   calendar words are not.
4. One-word mentions ("Pompeo", "Secretary Pompeo", "Kim") and headline mentions resolve
   to the full name used elsewhere in the article; a cued one-word name with no full form
   is kept as it is ("President Reagan" -> "Reagan").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from indexer.extract import lexicon
from indexer.extract.names import canonical_name, name_key, surname_key

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
# A token: initials ("H.W.", "J."), a capitalised word, or a particle glued to one.
_TOKEN = re.compile(
    rf"(?:[{_UPPER}]\.(?:[ ]?[{_UPPER}]\.)*(?![\w])"
    rf"|(?:(?:al|el|bin|ibn|abu|ad|as)-)?[{_UPPER}][\w'’-]*\.?"
    rf"|\b(?:{'|'.join(sorted(lexicon.PARTICLES | {'of', 'the'}))})\b)"
)
_GAP = re.compile(r"[ \t]+|[ \t]*\n[ \t]*")  # what may separate tokens of one span
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Span:
    """A run of capitalised tokens with its offsets in the text."""

    tokens: tuple[str, ...]
    start: int
    end: int
    sentence_start: bool
    cue_before: bool


@dataclass(frozen=True)
class Mention:
    """A candidate person after titles are stripped; ``cued`` when a title preceded it."""

    tokens: tuple[str, ...]
    start: int
    end: int
    cued: bool
    sentence_start: bool


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """International given names (gender-guesser's nam_dict), lower-cased.

    Loaded once per process; the list holds ~45,000 names from many countries, so
    "Taro" and "Benjamin" both count, while country and calendar words are removed.
    """
    from importlib import resources

    names: set[str] = set()
    text = resources.files("gender_guesser").joinpath("data/nam_dict.txt").read_text(encoding="iso-8859-1")
    for line in text.splitlines():
        if line.startswith("#") or len(line) < 30:
            continue
        name = line[3:29].strip()
        if name and "+" not in name and " " not in name:
            names.add(name.lower())
    return frozenset(names - lexicon.NON_NAME_WORDS - lexicon.FUNCTION_WORDS - lexicon.TITLES)


def _is_title(word: str) -> bool:
    return word.lower().rstrip(".") in lexicon.TITLES


def _spans(text: str) -> list[Span]:
    """Cut the text into runs of adjacent capitalised tokens."""
    spans: list[Span] = []
    tokens: list[str] = []
    start = end = 0

    def flush() -> None:
        while tokens and tokens[-1].lower() in lexicon.PARTICLES | {"of", "the"}:
            tokens.pop()
        while tokens and tokens[0][0].islower():
            tokens.pop(0)
        if tokens:
            spans.append(Span(tuple(tokens), start, end, _starts_sentence(text, start), _cue_before(text, start)))
        tokens.clear()

    for m in _TOKEN.finditer(text):
        raw = m.group()
        is_particle = raw[0].islower() and "-" not in raw
        sentence_end = False
        if raw.endswith(".") and not re.fullmatch(r"(?:[^\W\d_]\.\s?)+", raw):
            if raw[:-1].lower() not in lexicon.ABBREVIATIONS:
                raw, sentence_end = raw[:-1], True
        if raw.endswith("-"):  # "Trump-" in "Trump-Kim": the word is the part before
            raw = raw.rstrip("-")
        gap_ok = tokens and _GAP.fullmatch(text, end, m.start()) and "\n\n" not in text[end:m.start()]
        if tokens and not gap_ok:
            flush()
        if is_particle:
            allowed = tokens and (
                raw in lexicon.PARTICLES
                or (raw == "of" and _is_title(tokens[-1]))
                or (raw == "the" and tokens[-1] == "of")
            )
            if not allowed:
                flush()
                end = m.end()
                continue
        elif raw.isupper() and len(raw) > 1 and "." not in raw:
            flush()  # ALL-CAPS words are acronyms or headline text, never a name
            end = m.end()
            continue
        if not tokens:
            start = m.start()
        tokens.append(_POSSESSIVE.sub("", raw))
        end = m.end()
        if sentence_end or raw.endswith(("'s", "’s", ",")):
            flush()
    flush()
    return spans


def _starts_sentence(text: str, pos: int) -> bool:
    i = pos - 1
    while i >= 0 and text[i] in " \t\"“‘'(«—–-":
        i -= 1
    return i < 0 or text[i] in ".!?:\n;•"


def _cue_before(text: str, pos: int) -> bool:
    """Whether the word right before the span is a lower-case title ("leader Kim")."""
    m = re.search(r"([a-z][\w-]*)[,]?\s+$", text[max(0, pos - 40):pos])
    return bool(m) and m.group(1) in lexicon.LOWER_CUES


def _mentions(spans: list[Span], is_place: Callable[[str], bool]) -> list[Mention]:
    """Strip titles and non-name words from spans; keep what may be a person."""
    out: list[Mention] = []
    for span in spans:
        toks = list(span.tokens)
        cued = span.cue_before
        # Everything up to the last title that still has a name after it goes.
        last_title = max((i for i, t in enumerate(toks[:-1]) if _is_title(t)), default=-1)
        if last_title >= 0:
            toks, cued = toks[last_title + 1:], True
        sentence_start = span.sentence_start and last_title < 0
        while toks and (
            toks[0].lower().rstrip(".") in lexicon.TITLE_MODIFIERS
            or toks[0].lower() in ("of", "the")
            or is_place(toks[0])
            or toks[0].lower() in lexicon.FUNCTION_WORDS
        ):
            if toks[0].lower() not in lexicon.FUNCTION_WORDS and toks[0].lower() not in ("of", "the"):
                sentence_start = False
            toks.pop(0)
            sentence_start = sentence_start or False
        if not toks:
            continue
        if any(t.lower().rstrip(".") in lexicon.NON_NAME_WORDS for t in toks):
            continue
        if is_place(" ".join(toks)):
            continue
        if len(toks) == 1 and "-" in toks[0] and all(p[:1].isupper() for p in toks[0].split("-")):
            # "Trump-Kim meeting": two surnames, each resolved on its own.
            for part in toks[0].split("-"):
                out.append(Mention((part,), span.start, span.end, False, False))
            continue
        out.append(Mention(tuple(toks), span.start, span.end, cued, sentence_start))
    return out


def _is_full_name(m: Mention, first_names: frozenset[str]) -> bool:
    """Whether a multi-word mention is a person's full name on its own evidence."""
    if len(m.tokens) < 2 or len(m.tokens) > 5:
        return False
    if not all(t[0].isupper() or t in lexicon.PARTICLES or t[:3] in ("al-", "el-") for t in m.tokens):
        return False
    first = m.tokens[0].lower()
    return m.cued or first in first_names or first in lexicon.FAMILY_NAME_FIRST or bool(
        re.fullmatch(r"(?:[^\W\d_]\.)+", m.tokens[0])
    )


@dataclass
class _Person:
    name: str
    tokens: tuple[str, ...]


def people_in(title: str, body: str, is_place: Callable[[str], bool]) -> tuple[list[str], list[tuple[int, int]]]:
    """Canonical people of an article, in order of first mention, and their spans in the body.

    ``is_place`` tells country, demonym and capital words, which are never names.
    The headline only confirms people found in the body: headline capitalisation
    makes every word look like a name.
    """
    first_names = given_names()
    mentions = _mentions(_spans(body), is_place)
    persons: list[_Person] = []
    by_key: dict[str, _Person] = {}
    spans: list[tuple[int, int]] = []
    for m in mentions:
        if not _is_full_name(m, first_names):
            continue
        name = canonical_name(" ".join(m.tokens))
        key = name_key(name)
        if key not in by_key:
            person = _Person(name, tuple(name.split()))
            by_key[key] = person
            persons.append(person)
        spans.append((m.start, m.end))
    _merge_short_forms(persons, by_key)

    found: dict[str, None] = {}  # insertion-ordered set
    for m in mentions:
        if _is_full_name(m, first_names):
            found[by_key[name_key(canonical_name(" ".join(m.tokens)))].name] = None
            continue
        target = _resolve(m.tokens, persons)
        if target is not None:
            found[target.name] = None
            spans.append((m.start, m.end))
        elif m.cued and len(m.tokens) == 1 and not m.sentence_start and len(m.tokens[0]) > 2:
            found[canonical_name(m.tokens[0])] = None
            spans.append((m.start, m.end))
    for m in _mentions(_spans(title), is_place):
        target = _resolve(m.tokens, persons)
        if target is not None:
            found[target.name] = None
    return list(found), spans


def _merge_short_forms(persons: list[_Person], by_key: dict[str, _Person]) -> None:
    """Point "George Bush" at "George H.W. Bush" when both occur: same first and last word."""
    for short in list(persons):
        for long in persons:
            if long is short or len(long.tokens) <= len(short.tokens):
                continue
            if name_key(long.tokens[0]) == name_key(short.tokens[0]) and surname_key(long.tokens[-1]) == surname_key(short.tokens[-1]):
                by_key[name_key(short.name)] = long
                persons.remove(short)
                break


def _resolve(tokens: tuple[str, ...], persons: list[_Person]) -> _Person | None:
    """The one full name a partial mention refers to, or None if none or ambiguous."""
    key = name_key(canonical_name(" ".join(tokens)))
    exact = [p for p in persons if name_key(p.name) == key]
    if exact:
        return exact[0]
    last = surname_key(tokens[-1])
    candidates = [p for p in persons if surname_key(p.tokens[-1]) == last]
    if len(tokens) == 1:
        candidates += [
            p for p in persons
            if p.tokens[0].lower() in lexicon.FAMILY_NAME_FIRST and name_key(p.tokens[0]) == last
        ]
    unique = {id(p): p for p in candidates}
    return next(iter(unique.values())) if len(unique) == 1 else None
