"""Organisations named in an article: firms, banks, agencies, parties, clubs, bodies.

Rules and cues over the capitalised spans the people extractor cuts (one pass over the
text for both), no gazetteer of names:

1. A company suffix inside or right after a span makes it a firm and is dropped from the
   name: "Merrill Lynch and Co Inc", "Texas Air Corp", "Sime Darby Bhd" -> "Merrill
   Lynch", "Texas Air", "Sime Darby".
2. A head word at the end of a span makes it an organisation: "Chase Manhattan Bank",
   "Shearson Lehman Brothers", "Labour Party", "European Commission", "Leeds United";
   "Bank of Japan" and "Securities and Exchange Commission" join across "of" / "and".
3. Where someone works is an organisation: "analyst at Smith Barney", "Peter Greenbaum
   of Morgan Stanley" (the people extractor's employer rule).
4. International bodies written as acronyms ("OPEC", "IMF", "EC", "GATT"), and their
   spelled-out names, are one short list (``lexicon.BODIES``).
5. Once a name is an organisation in an article, its other mentions there are too
   ("Merrill Lynch said ..."), and so is the name without its head word ("Chase
   Manhattan" after "Chase Manhattan Bank"): these keys also keep the name out of the
   people facet.

Names that are places ("Soviet Union", "New York"), generic government offices with no
name of their own ("Finance Ministry", "Central Bank") and sentence openers are no
organisation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from indexer.extract import countries, lexicon
from indexer.extract.before import LOWER_LETTERS, UPPER_LETTERS, Before, alternatives, last_words
from indexer.extract.names import name_key

if TYPE_CHECKING:
    from indexer.extract.people import Span

_SUFFIXES = "|".join(sorted(lexicon.COMPANY_SUFFIXES_CASED, key=len, reverse=True))
_SUFFIX_AFTER = re.compile(rf"(?:,?\s+(?:and|&)\s+(?:Co|Cos|Company)\b\.?|,?\s+(?:{_SUFFIXES})\b\.?)+")
# What may stand between a firm's name and its suffix: a unit's acronym or a region in
# brackets ("E.F. Hutton LBO Inc", "James Capel (Far East) Ltd").
_SUFFIX_LATER = re.compile(rf"(?:\s+[A-Z]{{2,5}}|\s+\([A-Z][^()\n]{{0,30}}\))(?:,?\s+(?:and|&)\s+Co\b|,?\s+(?:{_SUFFIXES})\b)")
_COMMA = re.compile(r",\s+")
_ACRONYM_BEFORE = Before(r"(?<![\w.])([A-Z]{2,5}) $", 8, UPPER_LETTERS)
# What only firms do or have, right after a name: "Merrill Lynch co-managed the deal", "a
# Chase Manhattan official said", "Chase Manhattan bank". A second name joined by "and"
# shares the verb: "Goldman Sachs and Merrill Lynch co-managed".
_FIRM_AFTER = re.compile(
    r"(?:\s+and\s+[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*){0,3})?\s+(?:co-managed|lead-managed|co-lead|"
    r"underwrote|co-manager|bank\b|(?:official|officials|spokesman|spokeswoman|executives?|analysts?|"
    r"economists?|traders?|dealers?)\s+(?:said|says|told|added))")
_COORDINATION = re.compile(r",?\s+and\s+")  # not a bare comma: "the Fed's chairman, Paul Volcker"
_TITLE_BEFORE = Before(r"\b([a-z]+)\s+$", 20, LOWER_LETTERS)
# A firm's trade right before its name: "brokers James Capel", "lead manager Morgan Stanley",
# "brokerage firm Merrill Lynch", "underwritten by Smith Barney".
_FIRM_TRADES = ("broker", "brokers", "stockbroker", "stockbrokers", "brokerage", "broker-dealer", "underwriter",
                "underwriters", "underwritten by", "lead manager", "co-manager", "co-managers", "lead-managed by",
                "managed by", "firm", "house", "bankers", "lender", "insurer", "retailer", "carrier", "airline",
                "conglomerate", "subsidiary", "unit", "maker", "makers")
_FIRM_BEFORE = Before(rf"(?<![\w-])(?:{alternatives(_FIRM_TRADES)})\s+$", 30, last_words(_FIRM_TRADES))
_AND = re.compile(r"\s+(?:and|&)\s+")
_OF = re.compile(r"\s+of\s+(?:the\s+)?")
_EMPLOYER_BEFORE = re.compile(r"\b([A-Za-z]+?)s?,?\s+(at|with|from)\s+$")
_ACRONYM = re.compile(r"(?<![\w.-])[A-Z]{2,7}(?![\w-])")
#: Every written form of an international body (``lexicon.BODY_FORMS``) -> its facet value.
_BODY_NAMES = {name_key(form): value for value, forms in lexicon.BODY_FORMS.items()
               for form in (value, *forms)}
# Mostly upper-case text (old wire copy, headlines) makes every word look like an acronym.
_LOWER = re.compile(r"[a-z]")


@dataclass(frozen=True)
class Organisations:
    """The organisations of one text, in order of first mention, and the name keys that
    must not become people (every form seen as an organisation)."""

    names: tuple[str, ...]
    not_people: frozenset[str]


def _word(token: str) -> str:
    return token.lower().rstrip(".")


@lru_cache(maxsize=65536)
def canonical_org(name: str) -> str:
    """One display form: company suffixes and a leading "The" dropped, ``&`` spelled
    ``and`` only inside suffixes ("Merrill Lynch and Co Inc" -> "Merrill Lynch")."""
    name = _SUFFIX_AFTER.sub("", name).strip(" ,")
    tokens = name.split()
    while tokens and (_word(tokens[-1]) in lexicon.COMPANY_SUFFIXES or tokens[-1] in ("&", "and")):
        tokens.pop()
    while tokens and tokens[0] in ("The", "the"):
        tokens.pop(0)
    name = " ".join(tokens)
    return _BODY_NAMES.get(name_key(name), name)


def _name_like(tokens: Sequence[str]) -> bool:
    """Tokens that may open a firm's name: no place, calendar or description word."""
    name = " ".join(tokens)
    return not countries.is_place_name(name) and not any(
        _word(t) in lexicon.NON_NAME_WORDS or _word(t) in lexicon.FUNCTION_WORDS
        or countries.is_nationality(t) for t in tokens)


def _generic(tokens: Sequence[str]) -> bool:
    """A government office named only by its job ("Finance Ministry", "Central Bank")."""
    if _word(tokens[-1]) not in lexicon.GENERIC_ORG_HEADS:
        return False
    return all(_word(t) in lexicon.TITLE_MODIFIERS or _word(t) in lexicon.FUNCTION_WORDS
               or countries.is_nationality(t) for t in tokens[:-1])


@lru_cache(maxsize=8192)
def _plausible(name: str) -> bool:
    tokens = name.split()
    if not tokens or len(tokens) > 8 or countries.is_place_name(name) or countries.is_country_word(name):
        return False
    if _word(tokens[0]) in lexicon.FUNCTION_WORDS and len(tokens) == 1:
        return False
    if len(tokens) == 1 and (len(tokens[0]) < 3 or _word(tokens[0]) in lexicon.ORG_HEADS
                             or _word(tokens[0]) in lexicon.NON_NAME_WORDS
                             or _word(tokens[0]) in lexicon.TITLE_MODIFIERS):
        return False  # "Bank", "Co", "International Inc" after an acronym
    return not _generic(tokens)


def _trim(tokens: Sequence[str]) -> list[str]:
    """Drop sentence openers and descriptions in front: "But Merrill Lynch", "Former
    Worldcom", "Geneva-based International Labour Organisation"; "New" stays ("New York
    Stock Exchange", "New China News Agency")."""
    out = list(tokens)
    while len(out) > 1 and ((_word(out[0]) in lexicon.FUNCTION_WORDS and out[0] != "New")
                            or out[0] in ("of", "the", "Former") or out[0].endswith("-based")):
        out.pop(0)
    return out


def _possessive_join(text: str, span: Span, following: Span) -> bool:
    """"Moody's Investors Service", "Standard and Poor's Corp": a possessive inside a name."""
    return (text[span.end - 2:span.end] in ("'s", "’s") and text[span.end:following.start] == " "
            and not countries.is_place_name(" ".join(span.tokens))  # "Japan's Ministry of ..."
            and (_word(following.tokens[-1]) in lexicon.ORG_HEADS
                 or _word(following.tokens[-1]) in lexicon.COMPANY_SUFFIXES))


def organisations_in(text: str, spans: Sequence[Span],
                     employer: Callable[[Span, Span | None], bool]) -> Organisations:
    """Organisations in ``text`` from its capitalised ``spans`` (``people.body_spans``).

    ``employer(span, previous)`` is the people extractor's "where someone works" rule.
    """
    found: dict[str, None] = {}  # insertion-ordered set of display names
    blocked: set[str] = set()
    keys: dict[str, str] = {}  # name key of every org form -> display name

    def add(tokens: Sequence[str], start: int, *, also_short: bool = True) -> None:
        acronym = _ACRONYM_BEFORE.search(text, start)
        if (acronym and acronym.group(1) not in lexicon.BODIES
                and canonical_org(" ".join(tokens)) not in lexicon.BODY_FORMS):  # "US Federal Reserve"
            tokens = [acronym.group(1), *tokens]  # "IXL Holdings Canada Inc", "AG Edwards & Co"
        name = canonical_org(" ".join(tokens))
        if name not in lexicon.BODY_FORMS and not _plausible(name):
            return
        found[name] = None
        key = name_key(name)
        keys.setdefault(key, name)
        blocked.add(key)
        blocked.add(name_key(" ".join(tokens)))
        short = name.split()
        while also_short and len(short) > 2 and _word(short[-1]) in lexicon.ORG_HEADS:
            short.pop()  # "Chase Manhattan" of "Chase Manhattan Bank", "Merrill Lynch" of
            base = " ".join(short)  # "Merrill Lynch Capital Markets"
            if countries.is_place_name(base):
                break
            blocked.add(name_key(base))
            keys.setdefault(name_key(base), base)

    candidates: list[tuple[int, list[str]]] = []  # (span index, tokens) not decided yet
    i = 0
    n = len(spans)
    while i < n:
        span = spans[i]
        tokens = _trim(span.tokens)
        j = i
        headed = False  # a head word with "of" after it: "Bank of Japan"
        # "Bank of Japan", "Organisation of Petroleum Exporting Countries"
        while (j + 1 < n and _word(tokens[-1]) in lexicon.ORG_HEADS_OF
               and _OF.fullmatch(text, spans[j].end, spans[j + 1].start)):
            j += 1
            tokens, headed = tokens + ["of", *spans[j].tokens], True
        if j + 1 < n and _possessive_join(text, spans[j], spans[j + 1]):
            j += 1
            tokens = [*tokens[:-1], tokens[-1] + "'s", *spans[j].tokens]
        if (j == i and len(tokens) == 1 and not text.startswith((",", " and ", " & "), span.end)
                and not _SUFFIX_AFTER.match(text, span.end) and not _SUFFIX_LATER.match(text, span.end)):
            candidates.append((i, tokens))  # one word alone: only a name seen elsewhere or a body
            i += 1
            continue
        chain = j
        # "Smith Barney, Harris Upham and Co", "L.F. Rothschild, Unterberg, Towbin Inc": the
        # first partner's name is the firm's short name.
        while (chain + 1 < n and chain - j < 3 and len(spans[chain + 1].tokens) <= 3
               and (_COMMA.fullmatch(text, spans[chain].end, spans[chain + 1].start)
                    or _AND.fullmatch(text, spans[chain].end, spans[chain + 1].start))):
            chain += 1
            if _SUFFIX_AFTER.match(text, spans[chain].end) or _word(spans[chain].tokens[-1]) in lexicon.COMPANY_SUFFIXES:
                break
        else:
            chain = j
        if chain > j and _COMMA.fullmatch(text, spans[j].end, spans[j + 1].start) and _name_like(tokens):
            first = tokens if len(tokens) > 1 else [*tokens, *spans[j + 1].tokens]
            add(first, span.start)
            blocked.update(name_key(" ".join(spans[k].tokens)) for k in range(j, chain + 1))
            i = chain + 1
            continue
        # "Securities and Exchange Commission", "Procter and Gamble Co", "Ministry of
        # International Trade and Industry"
        if (j + 1 < n and _AND.fullmatch(text, spans[j].end, spans[j + 1].start)
                and ((headed and len(spans[j + 1].tokens) <= 2)
                     or _word(spans[j + 1].tokens[-1]) in lexicon.ORG_HEADS
                     or _word(spans[j + 1].tokens[-1]) in lexicon.COMPANY_SUFFIXES
                     or _SUFFIX_AFTER.match(text, spans[j + 1].end))
                and not countries.is_place_name(" ".join(tokens))
                and len(spans[j + 1].tokens) <= 3):
            j += 1
            tokens = tokens + ["and", *spans[j].tokens]
            if text[spans[j].end - 2:spans[j].end] in ("'s", "’s"):
                tokens[-1] += "'s"  # "Standard and Poor's Corp"
        last = _word(tokens[-1])
        title = _TITLE_BEFORE.search(text, span.start)
        if (title and title.group(1) in lexicon.TITLES and last not in lexicon.ORG_HEADS
                and last not in lexicon.COMPANY_SUFFIXES
                and not _FIRM_BEFORE.search(text, span.start)):
            candidates.append((i, tokens))  # "governor Francisco Gros and Brazil's bank ..."
            i = j + 1
            continue
        if ((last in lexicon.COMPANY_SUFFIXES and len(tokens) > 1) or _SUFFIX_AFTER.match(text, spans[j].end)
                or _SUFFIX_LATER.match(text, spans[j].end)):
            add(tokens, span.start)
        elif (last in lexicon.ORG_HEADS or headed) and len(tokens) > 1:
            add(tokens, span.start)
        elif len(tokens) > 1 and (employer(span, spans[i - 1] if i else None)
                                  or _FIRM_BEFORE.search(text, span.start)):
            add(tokens, span.start, also_short=False)
        elif len(tokens) > 1 and _FIRM_AFTER.match(text, spans[j].end) and not countries.is_place_name(" ".join(tokens)):
            add(tokens, span.start)
        elif len(tokens) > 2 and _FIRM_BEFORE.pattern.fullmatch(tokens[0].lower() + " "):
            add(tokens[1:], span.start, also_short=False)  # "Stockbrokers James Capel said"
        else:
            candidates.append((i, tokens))
        i = j + 1
    seen_as_org = frozenset(blocked)  # before the candidates add their own
    for i, tokens in candidates:  # other mentions of a name seen as an organisation
        key = name_key(canonical_org(" ".join(tokens)))
        if key in keys:
            found[keys[key]] = None
            continue
        # A name joined by "and" to an organisation: "Citibank Corp and Chase Manhattan".
        if len(tokens) > 1 and _name_like(tokens) and any(
                0 <= k < n and name_key(" ".join(spans[k].tokens)) in seen_as_org
                and _COORDINATION.fullmatch(text, *((spans[k].end, spans[i].start) if k < i
                                                    else (spans[i].end, spans[k].start)))
                for k in (i - 1, i + 1)):
            add(tokens, spans[i].start, also_short=False)
        elif key in _BODY_NAMES:  # "the Fed", "Bundesbank"
            found[_BODY_NAMES[key]] = None
            blocked.add(key)
    if _LOWER.search(text):
        for m in _ACRONYM.finditer(text):
            body = lexicon.BODIES.get(m.group())
            if body:
                found[body] = None
                blocked.add(name_key(body))
    return Organisations(tuple(found), frozenset(blocked))
