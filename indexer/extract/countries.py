"""Countries mentioned in an article, one canonical English short name and code each.

A single Aho-Corasick automaton (pyahocorasick) holds every way of naming a country:
pycountry names, the hand-kept aliases and demonyms in ``data/countries.tsv`` and the
capitals in ``data/places.tsv`` (capitals stand for governments: "Pyongyang said").
Matching is case-sensitive, so "us" and "turkey" never match, and runs at about a
million words per second. A few context rules then drop words that only look like
countries ("Michael Jordan", "Atlanta, Georgia", a roast turkey).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources

import ahocorasick
import pycountry

from indexer.extract.before import Before


@dataclass(frozen=True)
class Country:
    """A canonical country: English short name and ISO 3166 alpha-2 code."""

    name: str
    code: str


@dataclass(frozen=True)
class Mention:
    """One place in the text that names a country, and how (name, alias, demonym, capital)."""

    start: int
    end: int
    text: str
    country: Country
    kind: str


#: Phrases that contain a country word but do not mean the country; matched like names
#: so that the longest match wins and then dropped.
NOT_COUNTRIES = (
    "Latin America", "South America", "North America", "Central America",
    "Latin American", "South American", "North American", "Central American",
    "Native American", "Native Americans", "African American", "African Americans",
    "American Indian", "American Indians", "Indian Ocean", "New Mexico", "New Mexican",
    "New Jersey", "New Guinea", "North Pole", "South Pole", "Jersey City", "Georgia Tech",
    "Georgia State", "University of Georgia", "Washington state", "Washington State",
    "Washington Post", "Washington Redskins", "Washington Wizards", "Washington Capitals",
    "George Washington", "Booker T. Washington", "Denzel Washington", "Mount Washington",
    "Paris Hilton", "Jordan River", "Michael Jordan", "Vernon Jordan", "Irish Sea",
    "Dutch auction", "French fries", "French toast", "Swiss cheese", "Danish pastry",
    "Turkish delight", "Chinese whispers", "Indian summer", "Mexican wave", "Russian roulette",
    "Guinea pig", "Persian Gulf", "Arabian Gulf", "Arabian Sea", "China Sea",
    "South China Sea", "East China Sea", "New England", "New South Wales", "Korean War",
    "British Columbia", "Paris Club", "Uruguay Round", "London Club", "Tokyo Round",
    "Cleveland Indians",
)

#: Before these dates a successor's words mean the historic state ("Bonn said" in 1987
#: is West Germany, "Moscow" is the Soviet Union).
SUCCEEDED: dict[str, tuple[date, str]] = {
    "DE": (date(1990, 10, 3), "West Germany"),
    "RU": (date(1991, 12, 26), "Soviet Union"),
    "UA": (date(1991, 8, 24), "Soviet Union"),
    "BY": (date(1991, 8, 25), "Soviet Union"),
    "RS": (date(1992, 4, 27), "Yugoslavia"),
    "HR": (date(1991, 6, 25), "Yugoslavia"),
    "SI": (date(1991, 6, 25), "Yugoslavia"),
    "CZ": (date(1993, 1, 1), "Czechoslovakia"),
    "SK": (date(1993, 1, 1), "Czechoslovakia"),
    "YE": (date(1990, 5, 22), "North Yemen"),
}
#: Former capitals; with :data:`SUCCEEDED`, "Bonn" in 1987 is West Germany.
HISTORIC_CAPITALS = {"Bonn": "DE", "East Berlin": "DD"}

# Georgia the country needs a Caucasus cue when the article is otherwise about the US
# ("A Georgia man employed at Kroger filed a federal lawsuit").
_US_CONTEXT = re.compile(
    r"(?<!\w)(?:U\.S\.|US|United States|American|Americans|Atlanta|Savannah|Ga\.|state of Georgia|"
    r"Alabama|Florida|Carolina|Tennessee|Texas|California|New York)(?!\w)"
)
#: Historic states that share the ISO code of the state that continued them (West
#: Germany and Germany are both DE), so the code means the successor.
_SHARED_CODES = {(code, name) for code, (_, name) in SUCCEEDED.items()}
_CAUCASUS_CONTEXT = re.compile(
    r"\b(?:Tbilisi|Georgian|Saakashvili|Shevardnadze|Abkhaz|Ossetia|Caucasus|Soviet|Russia|Russian|"
    r"Ukraine|Armenia|Azerbaijan|Republic of Georgia)"
)
_FOOD_CONTEXT = re.compile(r"\b(?:roast|stuffing|gravy|Thanksgiving|recipe|oven|carve|carving|drumstick)", re.I)
_TURKISH_CONTEXT = re.compile(r"\b(?:Turkish|Ankara|Istanbul|Erdogan|Turks)\b")


# A country word used for a currency or a market place does not make the article about
# that country: "U.S. dlrs", "Swiss francs", "London-based", "the Tokyo stock exchange",
# "listed in Luxembourg".
_CURRENCY_AFTER = re.compile(
    r"[\s-]*(?:dollars?|dlrs?|francs?|marks?|yen|pounds?|sterling|lire|lira|pesos?|crowns?|kron[aeo]r?|"
    r"guilders?|cents?|currency|currencies)\b"
)
_MARKET_AFTER = re.compile(
    r"[\s-]*(?:based|stock\s+exchange|stock\s+market|bourse|futures|interbank|trading|time|"
    r"metal\s+exchange|commodity\s+exchange|gold|money\s+market|composite|index|listed)\b"
)
_NOT_TOPICAL_BEFORE = Before(r"\b(?:listed|listing|quoted|traded)\s+(?:in|on)\s+(?:the\s+)?$", 30, ("in", "on", "the"))


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _tables() -> tuple[dict[str, Country], dict[str, Country], dict[str, tuple[Country, str]]]:
    """(canonical name -> Country, code -> Country, surface form -> (Country, kind))."""
    by_name: dict[str, Country] = {}
    by_code: dict[str, Country] = {}
    forms: dict[str, tuple[Country, str]] = {}
    for c in pycountry.countries:
        name = getattr(c, "common_name", None) or c.name
        country = Country(name, c.alpha_2)
        by_code[c.alpha_2] = country
    rows = resources.files("indexer.extract.data").joinpath("countries.tsv").read_text(encoding="utf-8")
    listed: list[tuple[Country, list[str], list[str]]] = []
    for line in rows.splitlines():
        if not line or line.startswith("#"):
            continue
        name, code, aliases, demonyms = (line.split("\t") + ["", "", ""])[:4]
        country = Country(name, code)
        if (code, name) not in _SHARED_CODES:
            by_code[code] = country
        listed.append((country, [a for a in aliases.split("|") if a], [d for d in demonyms.split("|") if d]))
    for c in pycountry.countries:
        country = by_code[c.alpha_2]
        by_name[country.name] = country
        for form in {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}:
            if "," not in form and "(" not in form:
                forms.setdefault(form, (country, "name"))
    for country, aliases, demonyms in listed:
        by_name[country.name] = country
        forms[country.name] = (country, "name")
        for alias in aliases:
            forms[alias] = (country, "alias")
        for demonym in demonyms:
            forms[demonym] = (country, "demonym")
    places = resources.files("indexer.extract.data").joinpath("places.tsv").read_text(encoding="utf-8")
    for line in places.splitlines():
        if line.startswith("#"):
            continue
        place, code, kind = line.split("\t")
        if kind == "capital" and code in by_code:
            forms.setdefault(place, (by_code[code], "capital"))
            ascii_place = _strip_accents(place)
            forms.setdefault(ascii_place, (by_code[code], "capital"))
    for place, code in HISTORIC_CAPITALS.items():
        forms[place] = (by_code[code], "capital")
    return by_name, by_code, forms


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    """Every surface form, also in capitals for all-caps headlines; blockers map to None."""
    _, _, forms = _tables()
    auto = ahocorasick.Automaton()
    entries: dict[str, tuple[Country, str] | None] = dict(forms)
    entries.update({phrase: None for phrase in NOT_COUNTRIES})
    for form, value in list(entries.items()):
        entries.setdefault(form.upper(), value)
    for form, value in entries.items():
        auto.add_word(form, (len(form), value))
    auto.make_automaton()
    return auto


@lru_cache(maxsize=1)
def _cities() -> dict[str, str]:
    """Accent-free lower-case city name -> country code, for datelines."""
    out: dict[str, str] = {}
    places = resources.files("indexer.extract.data").joinpath("places.tsv").read_text(encoding="utf-8")
    for line in places.splitlines():
        if not line.startswith("#"):
            place, code, _ = line.split("\t")
            out.setdefault(_strip_accents(place).lower(), code)
    return out


def by_name(name: str) -> Country | None:
    """The canonical country of that exact canonical name, if any."""
    return _tables()[0].get(name)


def lookup(form: str) -> Country | None:
    """The country a single surface form names ("U.S.", "Japanese", "Pyongyang"), if any."""
    hit = _tables()[2].get(form)
    return hit[0] if hit else None


def is_country_word(word: str) -> bool:
    """Whether a word or phrase names a country, people or capital; used to tell names apart."""
    return word in _tables()[2] or word.rstrip(".") in _tables()[2]


def is_nationality(word: str) -> bool:
    """Whether a word is a demonym or abbreviation ("Israeli", "U.S."), which may precede a name.

    Plain country names are not: "Chad Kroeger" and "Michael Jordan" are people.
    """
    hit = _tables()[2].get(word)
    return hit is not None and hit[1] in ("demonym", "alias")


def is_country_or_state(word: str) -> bool:
    """Whether a word is a country's name or a US state ("Canada", "Utah"), not a city."""
    hit = _tables()[2].get(word)
    return (hit is not None and hit[1] in ("name", "alias")) or word in _US_STATES


@lru_cache(maxsize=65536)  # asked for every capitalised span, many of them repeated
def is_place_name(phrase: str) -> bool:
    """Whether a phrase names a country, capital, large city, US state ("San Francisco") or
    a province or state of another country written in two words or more ("Nova Scotia")."""
    return (
        is_country_word(phrase)
        or phrase in _US_STATES
        or _strip_accents(phrase).lower() in _cities()
        or (" " in phrase and _strip_accents(phrase).lower() in _regions())
    )


@lru_cache(maxsize=1)
def _regions() -> frozenset[str]:
    """Accent-free lower-case names of first-level subdivisions with two words or more
    (pycountry's ISO 3166-2): "nova scotia", "new south wales". One-word names ("Ontario")
    are left out: a lone capitalised word is tested as a person's name elsewhere."""
    return frozenset(
        _strip_accents(s.name).lower() for s in pycountry.subdivisions
        if s.parent_code is None and " " in s.name and not any(c in s.name for c in "[,("))


def find_mentions(text: str) -> list[Mention]:
    """Leftmost-longest, word-bounded matches of country forms in the text."""
    raw: list[tuple[int, int, tuple[Country, str] | None]] = []
    for end, (length, value) in _automaton().iter(text):
        start = end - length + 1
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "-'’"):
            continue
        if end + 1 < len(text) and text[end + 1].isalnum():
            continue
        raw.append((start, end + 1, value))
    raw.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    out: list[Mention] = []
    taken = -1
    for start, end, value in raw:
        if start < taken:
            continue
        taken = end
        if value is not None:
            out.append(Mention(start, end, text[start:end], value[0], value[1]))
    return out


def dateline_country(dateline: str) -> Country | None:
    """The country of a dateline such as "TOKYO", "NEW YORK, March 3 -" or "Amman, Jordan"."""
    head = re.split(r"\s[-—–]\s|\(|,\s*(?:Jan|Feb|Mar|Apr|May|June?|July?|Aug|Sept?|Oct|Nov|Dec)\w*\.?\s+\d", dateline.strip())[0]
    parts = [p.strip(" .-—–") for p in head.split(",") if p.strip(" .-—–")]
    for part in reversed(parts):
        country = lookup(part) or lookup(part.title()) or lookup(part.upper())
        if country is not None:
            return country
        if part.upper() in _US_STATE_ABBREVIATIONS or part.title() in _US_STATES:
            return _tables()[1]["US"]
    if parts:
        city = _strip_accents(parts[0]).lower()
        # German wires spell umlauts out: "Duesseldorf" is Düsseldorf.
        code = _cities().get(city) or _cities().get(re.sub(r"([aou])e", r"\1", city))
        if code:
            return _tables()[1].get(code)
    return None


_US_STATES = frozenset("""Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
Georgia Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan
Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas
Utah Vermont Virginia Washington Wisconsin Wyoming""".split()) | {
    "New Hampshire", "New Jersey", "New Mexico", "New York", "North Carolina", "North Dakota",
    "Rhode Island", "South Carolina", "South Dakota", "West Virginia",
}
_US_STATE_ABBREVIATIONS = frozenset("""ALA ALASKA ARIZ ARK CALIF COLO CONN DEL FLA GA HAWAII IDAHO ILL IND
IOWA KAN KY LA MAINE MD MASS MICH MINN MISS MO MONT NEB NEV N.H N.J N.M N.Y N.C N.D OHIO OKLA ORE PA R.I
S.C S.D TENN TEX TEXAS UTAH VT VA WASH WIS WYO D.C""".split())


#: A country mentioned once, after the lead, is "mentioned" but not "main" (about).
LEAD_CHARS = 250


def countries_in(
    text: str,
    *,
    dateline: str = "",
    published: date | datetime | None = None,
    person_spans: Iterable[tuple[int, int]] = (),
    person_words: Iterable[str] = (),
) -> tuple[list[Country], list[Country]]:
    """Canonical countries of an article in order of first mention: (mentioned, main).

    *Mentioned* is every country the text names. *Main* is what the story is about, as
    wire editors tag it: the dateline's country, and countries named at least twice or
    in the lead. ("Saudi Arabia" named once in paragraph four is mentioned, not main.)

    ``person_spans`` (offsets in ``text``) and ``person_words`` come from the people
    extractor: "Jordan" inside "Michael Jordan", or anywhere in an article about him,
    is not the country unless the article also names it another way ("Jordanian",
    "Amman").
    """
    spans = sorted(person_spans)
    names_of_people = set(person_words)
    mentions = [m for m in find_mentions(text) if not _inside(m, spans) and _topical(m, text)]
    strong = {m.country for m in mentions if m.kind != "name" or m.text not in names_of_people}
    counts: dict[Country, int] = {}
    main: set[Country] = set()
    for m in mentions:
        if m.kind == "name" and m.text in names_of_people and m.country not in strong:
            continue
        counts[m.country] = counts.get(m.country, 0) + 1
        if counts[m.country] >= 2 or m.start < LEAD_CHARS:
            main.add(m.country)
    found = list(counts)
    if dateline:
        country = dateline_country(dateline)
        if country is not None:
            found.insert(0, country)
            main.add(country)
    found = [c for c in dict.fromkeys(found) if _plausible(c, text)]
    mentioned = list(dict.fromkeys(_as_of(found, published)))
    return mentioned, list(dict.fromkeys(_as_of([c for c in found if c in main], published)))


def _topical(m: Mention, text: str) -> bool:
    """False for currency and market-place uses ("U.S. dlrs", "London-based")."""
    if _CURRENCY_AFTER.match(text, m.end):
        return False
    if m.kind == "capital" and _MARKET_AFTER.match(text, m.end):
        return False
    return not _NOT_TOPICAL_BEFORE.search(text, m.start)


def _inside(m: Mention, spans: list[tuple[int, int]]) -> bool:
    return any(s <= m.start and m.end <= e for s, e in spans)


def _plausible(country: Country, text: str) -> bool:
    """Context checks for names shared with US states and food."""
    if country.code == "GE" and _US_CONTEXT.search(text) and not _CAUCASUS_CONTEXT.search(text):
        return False
    if country.code == "TR" and _FOOD_CONTEXT.search(text) and not _TURKISH_CONTEXT.search(text):
        return False
    return True


def _as_of(countries: list[Country], published: date | datetime | None) -> list[Country]:
    """Replace successor states by the historic state when the article predates them."""
    if published is None:
        return countries
    day = published.date() if isinstance(published, datetime) else published
    out = []
    for c in countries:
        succeeded = SUCCEEDED.get(c.code)
        if succeeded and c.name == _tables()[1][c.code].name and day < succeeded[0]:
            out.append(_tables()[0][succeeded[1]])
        else:
            out.append(c)
    return out


def code_of(name: str) -> str | None:
    """The ISO code behind a canonical country name (``United States`` -> ``US``)."""
    country = _tables()[0].get(name)
    return country.code if country else None
