"""People mentioned in an article, one canonical full name each.

Rules instead of a statistical model, because they run at several hundred thousand
words per second and fail in ways a journalist can read:

1. Capitalised spans are cut from the text (initials, particles and "of" after a title
   may sit inside a span; punctuation and line breaks end it).
2. Everything up to the last job title or honorific is dropped and cues the rest as a
   person ("Israeli Prime Minister Benjamin Netanyahu" -> "Benjamin Netanyahu"); so do
   a leading nationality ("Croatian Ivan Ljubicic"), a title right before the span
   ("leader Kim Jong Un", "MP Kefa Ssempgani") and an apposition after it
   ("Mirwais Rabee, the head of ...", "Pompeo, who ...").
3. A span is a full name if it was cued, or starts with a known given name, or starts
   with a family name written first ("Kim Jong Un"); spans holding organisation,
   calendar or place words are not.
4. One-word mentions ("Pompeo", "Secretary Pompeo", "Kim") and headline mentions resolve
   to the full name used elsewhere in the article; a one-word name after a title with
   no full form is kept as it is ("President Reagan" -> "Reagan").
"""

from __future__ import annotations

import bisect
import importlib
import pkgutil
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from indexer.extract import countries, lexicon, lineups
from indexer.extract.before import LOWER_LETTERS, UPPER_LETTERS, Before, alternatives, last_words
from indexer.extract.dates import MONTHS
from indexer.extract.names import canonical_name, name_key, surname_key

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
_JOINERS = lexicon.PARTICLES | {"of", "the"}
# A token: initials ("H.W.", "J."), a capitalised word, or one with a particle glued on.
# It starts a word: the "K." of "4K. Everyone" is a unit, not an initial.
_TOKEN = re.compile(
    rf"(?<![\w])(?:[{_UPPER}]\.(?:[ ]?[{_UPPER}]\.)*(?![\w])"
    rf"|(?:(?:al|el|bin|ibn|abu|ad|as)-)?[{_UPPER}][\w'’-]*\.?)"
)
# What may separate two tokens of one span: blanks and lower-case particles or "of (the)"
# ("Ursula von der Leyen", "Secretary of State"). Readers join wrapped lines, so a line
# break ends a span (a heading's last word is not the next paragraph's first).
_GAP = re.compile(rf"[ \t]+(?P<joiners>(?:(?:{'|'.join(sorted(_JOINERS))})[ \t]+)*)")
_POSSESSIVE = re.compile(r"['’]s?$")
# A compound with a lower-case tail is a description, never a name's first word.
_LOWER_TAIL = re.compile(r"-[a-z]")
# Function words inside a capitalised span make it a title of a work: "Stars In Their Eyes".
_INNER_STOP = frozenset("""in on at for from with to and or by into their his her its our your my the a an
no not yes you i we they he she it one two three four five six seven eight nine ten""".split())
_FAKER_FIRST_NAMES = ("first_names", "first_names_male", "first_names_female", "first_romanized_names")
_LATIN_NAME = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ž'’-]+")
_INITIALS = re.compile(r"(?:[^\W\d_]\.\s?)+")
# The word right before a span (a title, "said"), as ``([A-Za-z][\w-]*)[,]?\s+$`` would find
# it in the 40 characters before. Asked of every span, so it is read backwards: reversed,
# the window opens with the blanks, an optional comma and the word, one anchored match
# instead of a search that tries every start in the window (10x slower).
_CUE_BEFORE_REVERSED = re.compile(r"\s+,?([\w-]*[A-Za-z])")
_CUE_AFTER = re.compile(
    r",\s+(?:(?P<who>who|whose)\b|(?:the\s+|a\s+|an\s+)?(?:[A-Z][\w.&'’-]*\s+){0,2}"
    r"(?P<w1>[a-z][\w-]*)(?:\s+(?P<w2>[a-z][\w-]*))?)"
    r"|\s+(?P<verb>said|says|told|added|noted|explained|argued|wrote|declined)\b"
    r"|,\s+(?P<age>\d{1,3}),"  # "Ahed Tamimi, 16, as an icon"
)
# A post with its portfolio right before a span: "minister for women Jacqui Smith". Only
# "for" after the posts that take one: "president of manufacturer Toshiba Elevator" and
# "founder of the blog Mommy Blog Expert" name what they head.
_PORTFOLIO_BEFORE = re.compile(
    r"\b(?:minister|secretary|spokes(?:man|woman|person)|commissioner|envoy|czar|tsar)\s+for\s+"
    r"[a-z]+(?:\s+and\s+[a-z]+)?\s+$")
_RANK_OR_AGE = ("-ranked", "-seeded", "-year-old")
# Words that start the next sentence of a caption or credit written with no full stop
# after a name: "Barack Obama As Trump meets", "Robert Huxley Click to share", "David
# Jackson Read or Share", "Dane Chinnery Getty Images", "Collin Brennan Democratic
# presidential candidate". From the third word of a span on, the span ends before one.
_RUN_ON = frozenset("As Click Read Watch Share Follow Subscribe Democratic Republican".split())
# A photo agency's words run on from the second word: "Clinton Getty Images".
_CREDIT = frozenset("Getty Images Photo Photos".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
# A royal known by a given name alone keeps the title: "Andrew" is no person's value.
_ROYAL = frozenset("king queen prince princess emperor empress duke duchess".split())
_REGNAL = re.compile(r"[IVX]+")
# Titles that open the next name when a caption runs two together, never a surname
# (unlike "Major", "King" or "Bishop").
_TRAILING_TITLES = frozenset("president minister secretary senator governor chairman".split())
# "Last June Grewcock was banned": a month after these words is a date, not a given name.
_BEFORE_MONTH = frozenset("last next this since early late mid by in".split())
# A determiner right before a capitalised span makes it a thing: "the Billy Goat",
# "his Red Bull", "the Mac Mini".
_DETERMINERS = ("the", "a", "an", "his", "her", "its", "their", "our", "my", "your")
_DETERMINER_BEFORE = Before(rf"\b(?:{alternatives(_DETERMINERS)})\s+$", 8, _DETERMINERS)
# A capitalised article opening a span is a title's or a venue's first word even at a
# sentence start: "A Very Long Engagement", "The Florida Project", "The Golden Globes".
_ARTICLES = frozenset({"A", "An", "The"})
_ACRONYM_BEFORE = Before(r"(?<![\w.])([A-Z]{2,})[ ]$", 12, UPPER_LETTERS)
# An institution's head word with "of/for/on" before a span makes it the institution's name:
# "the Aspen Institute for Humanistic Studies", "the Council on Foreign Relations".
_INSTITUTION_BEFORE = Before(
    r"\b(?:Institute|University|College|School|Academy|Centre|Center|Foundation|Council|Committee|"
    r"Commission|Association|Society|Department|Ministry|Office|Bureau|Agency|Museum|Federation|League|"
    r"Organi[sz]ation)\s+(?:of|for|on)\s+(?:the\s+)?$", 40, ("of", "for", "on", "the"))
# A job word and "at/with/from" before a span name an employer: "analyst at Smith Barney".
_EMPLOYER_WORDS = ("at", "with", "from", "for")
_JOB_BEFORE = Before(rf"\b([A-Za-z]+?)s?,?\s+({alternatives(_EMPLOYER_WORDS)})\s+$", 30, _EMPLOYER_WORDS)
# Jobs done for a firm, never a post taken over from someone: "analyst with Smith Barney",
# "meteorologist for E.F. Hutton" (but "took over as president from O.C. Davis").
_DESK_JOBS = frozenset("analyst economist strategist meteorologist trader dealer broker expert".split())
# "of" right between a person's name and a span: "Peter Greenbaum of Smith Barney".
_OF_BETWEEN = re.compile(r",?\s+of\s+")
# A company suffix right after a span makes it a company: "Merrill Lynch and Co", "Sime Darby Bhd".
_COMPANY_AFTER = re.compile(
    r"(?:\s+(?:and|&)\s+Co\b|,?\s+(?:Inc|Corp|Co|Cos|Ltd|Plc|PLC|LLC|L\.P|AG|SA|S\.A|NV|N\.V|GmbH|Bhd|Berhad|Group)\b)"
)


# An ALL-CAPS word right before another: a headline in capitals.
_CAPITALS_BEFORE = re.compile(r"\b[A-Z]{2,}[ ]$")
# A photo credit's mark or agency right before a span: "©Dmitry Astakhov", "REUTERS/Toru Yamanaka".
_CREDIT_BEFORE = re.compile(r"(?:©[ ]?|\b(?:REUTERS|Reuters|AFP|AP|EPA|Getty Images)/)$")
#: How far back a credit may start: "Getty Images/" is 13 characters, so 12 missed it.
_CREDIT_REACH = 16
#: Organisation or calendar words that are also names ("Park Geun-hye", "keeper Chris
#: Day", "Jerry Hall"): a person's only where a title vouches for the name.
_NAME_LIKE_WORDS = frozenset("park day hall post".split())
# "&" and a capitalised word after a span joins it to a firm's or a division's name:
# "Nissan Sales & Regional Operations", "Procter & Gamble".
_AMPERSAND_AFTER = re.compile(r"[ ]?&[ ]?[A-Z]")
# An award's category right before its name: "the best actor Bafta", "best actress Oscar".
_AWARD_BEFORE = Before(r"\bbest\s+[a-z]+\s+$", 24, LOWER_LETTERS)
#: Quotation marks that open and close a span quoted on its own ("“Wolf Moon”", "'Wolf Moon'").
_OPENING_QUOTES = frozenset("'‘\"“")
_CLOSING_QUOTES = frozenset("'’\"”")


def _quoted(text: str, span: Span) -> bool:
    """Whether the span stands alone between quotation marks: what a thing is called
    ("Dubbed a “Wolf Moon” by Nasa", "2018 to open with 'Wolf Moon'"), never how a
    person is named. (A closing "'" is read into the span's last token, "Moon'".)"""
    before = text[span.start - 1:span.start] if span.start else ""
    return bool(before) and before in _OPENING_QUOTES and (
        text[span.end:span.end + 1] in _CLOSING_QUOTES or text[span.end - 1] in "'’")


# A work or a band named right before or after a span: "film Vera Drake", "band Franz
# Ferdinand", "role in Vera Drake", "Harry Potter games", "Harry Potter star Daniel Radcliffe".
# Not "X film" or "X novel": "the ninth Jim Carrey film" names its star.
_WORKS = ("film", "movie", "drama", "musical", "album", "single", "song", "band", "group", "novel", "book",
          "magazine", "newspaper", "tabloid", "website",
          "series", "sitcom", "programme", "documentary", "biopic", "thriller", "comedy", "role in",
          "performance in", "starring in", "starred in", "stars in", "appearance in", "appeared in", "star of")
_WORK_BEFORE = Before(rf"\b(?:{alternatives(_WORKS)})\s+$", 24, last_words(_WORKS))
_WORK_AFTER = re.compile(
    r"\s+(?:games?|DVDs?|series|franchise|sequel|star|stars|author|creator|cast|director)\b"
    r"|\s+and\s+the\s+[A-Z][\w']+\s+of\s+(?:the\s+)?[A-Z]")  # "Harry Potter and the Goblet of Fire"
# "which" after a name makes it a thing: "the top beneficiary will be Wells Fargo, which
# has been dogged by scandals" (a person is "who").
_WHICH_AFTER = re.compile(r",?\s+which\b")
# A team or a firm with its people after it: "Aston Villa boss David O'Leary", "Smith Barney
# analyst Peter Greenbaum".
_TEAM_AFTER = re.compile(
    r"\s+(?:(?!said|says|told|and|or|as)[a-z]+\s+)?(?:boss|manager|striker|midfielder|defender|goalkeeper|keeper|winger|coach|captain|"
    r"skipper|analyst|analysts|economist|strategist|spokesman|spokeswoman|chairman|president|"
    r"executive|fans|supporters)\s+[A-Z]")


@dataclass(frozen=True)
class Span:
    """A run of capitalised tokens with its offsets in the text."""

    tokens: tuple[str, ...]
    start: int
    end: int


@dataclass(frozen=True)
class Mention:
    """A candidate person after titles are stripped.

    ``cued``: some title or context says this is a person; ``titled``: an honorific or
    job title inside the span ("President Reagan"), strong enough to keep one word.
    """

    tokens: tuple[str, ...]
    start: int
    end: int
    cued: bool
    titled: bool


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Given names in Latin script from Faker's person providers (86 locales), lower-cased.

    Loaded once per process (~0.3 s). Faker is MIT-licensed and well kept; its lists
    cover "Taro", "Benjamin" and "Thibault" alike. Organisation, calendar and function
    words are removed ("March", "Will", "May"); everyday words that stay ("Red", "Rice")
    need support in the article (``lexicon.WEAK_GIVEN_NAMES``).
    """
    import faker.providers.person as person

    names: set[str] = set()
    for module in pkgutil.iter_modules(person.__path__):
        provider = getattr(importlib.import_module(f"{person.__name__}.{module.name}"), "Provider", None)
        for attr in _FAKER_FIRST_NAMES:
            values = next((base.__dict__[attr] for base in getattr(provider, "__mro__", ()) if attr in base.__dict__), ())
            if isinstance(values, (list, tuple, dict)):  # some locales compute names in a property
                names.update(n.lower() for n in values if isinstance(n, str) and _LATIN_NAME.fullmatch(n))
    return frozenset(names - lexicon.NON_NAME_WORDS - lexicon.FUNCTION_WORDS - lexicon.TITLES)


def _word(token: str) -> str:
    return token.lower().rstrip(".")


@lru_cache(maxsize=65536)  # per token, asked several times of every span
def _is_title(token: str) -> bool:
    """A title, also hyphenated ("Secretary-General", "Attorney-General")."""
    return any(part in lexicon.TITLES for part in _word(token).split("-"))


@lru_cache(maxsize=65536)
def _title_word(token: str) -> bool:
    """A title or a word of one ("Vice", "Elect"): a span of these names nobody."""
    return _is_title(token) or _word(token) in lexicon.TITLE_MODIFIERS or _word(token) == "elect"


@lru_cache(maxsize=65536)
def _starts_like_name(token: str, first_names: frozenset[str]) -> bool:
    """A given name ("Jan-Michael" counts by its first part), a family-first name or initials."""
    first = _word(token.split("-")[0])
    return first in first_names or first in lexicon.FAMILY_NAME_FIRST or bool(_INITIALS.fullmatch(token))


def _weak_start(tokens: tuple[str, ...] | list[str]) -> bool:
    """Whether a name opens with a given name that is also an everyday word ("Red", "Price").

    A hyphenated given name ("Rose-Lynn") is no everyday word, so the whole token counts."""
    return _word(tokens[0]) in lexicon.WEAK_GIVEN_NAMES


def _word_before(text: str, start: int) -> str:
    before = _CUE_BEFORE_REVERSED.match(text[max(0, start - 40):start][::-1])
    return before.group(1)[::-1].lower() if before else ""


def _place_first(toks: list[str]) -> bool:
    """Whether the first two tokens name a place ("New York", "Los Angeles"): a word that
    would otherwise be trimmed from a name's front is then the place's, and no person's."""
    return len(toks) > 1 and countries.is_place_name(f"{toks[0]} {toks[1]}")


def _brand_before(text: str, start: int) -> bool:
    """An acronym right before the span that is no title or country ("MP Kefa", "US Senator")
    names its maker or publisher: "BMJ Case Reports", "VW Atlas Cross Sport". One after
    other capitals is a headline's last word: "HOW TO DEAL WITH TRUMP George Osborne warns"."""
    before = _ACRONYM_BEFORE.search(text, start)
    return (before is not None and before.group(1).lower() not in lexicon.LOWER_CUES
            and not countries.is_nationality(before.group(1))
            and not (len(before.group(1)) > 3  # "BBC AG Brown Boveri" is a firm's name
                     and _CAPITALS_BEFORE.search(text, max(0, before.start(1) - 20), before.start(1))))


def _context_cue(text: str, start: int, end: int) -> bool:
    """A title right before the span ("leader Kim", "MP Kefa", "DJ Dan Peppe"), also with
    its portfolio ("minister for women Jacqui Smith"), a ranking or an age ("the
    187th-ranked Arvind Parmar", "19-year-old"), an apposition after it ("Rabee, the head
    of", "Pompeo, who") or a speech verb ("Jorio Dauster said").

    A news outlet's possessive is no cue: "CNN's Atika Shubert" beside "BBC's Westminster
    Hour", "ITV's Celebrity Fit Club" and "NASA's Deep Space" names a programme as often."""
    word = _word_before(text, start)
    if word in lexicon.LOWER_CUES or word.endswith(_RANK_OR_AGE):
        return True
    if _CREDIT_BEFORE.search(text, max(0, start - _CREDIT_REACH), start):
        return True  # a photo credit: "©Dmitry Astakhov (Sputnik/AFP)", "REUTERS/Toru Yamanaka/Pool"
    if _PORTFOLIO_BEFORE.search(text, max(0, start - 40), start):
        return True
    after = _CUE_AFTER.match(text, end, end + 80)
    return bool(after) and (bool(after.group("who")) or bool(after.group("verb")) or bool(after.group("age"))
                            or after.group("w1") in lexicon.TITLES or after.group("w2") in lexicon.TITLES)


def _joins(tokens: list[str], joiners: list[str]) -> bool:
    """Append the lower-case words between two capitalised ones if they belong to one span."""
    for word in joiners:
        if not (word in lexicon.PARTICLES or (word == "of" and _is_title(tokens[-1]))
                or (word == "the" and tokens[-1] == "of")):
            return False
        tokens.append(word)
    return True


def _spans(text: str) -> list[Span]:
    """Cut the text into runs of adjacent capitalised tokens."""
    spans: list[Span] = []
    tokens: list[str] = []
    start = end = 0

    def flush() -> None:
        if tokens:
            spans.append(Span(tuple(tokens), start, end))
        tokens.clear()

    for m in _TOKEN.finditer(text):
        raw = m.group()
        if tokens:
            gap = _GAP.fullmatch(text, end, m.start())
            if gap is None or not _joins(tokens, gap.group("joiners").split()):
                flush()
        sentence_end = False
        if raw.endswith(".") and text[m.end():m.end() + 1].islower():
            flush()  # a web address, "Dailymail.com" of "Huma Abedin Dailymail.com": no name word
            end = m.end()
            continue
        if raw.endswith(".") and not _INITIALS.fullmatch(raw) and _word(raw) not in lexicon.ABBREVIATIONS:
            raw, sentence_end = raw[:-1], True
        raw = raw.rstrip("-")  # "Trump-" of "Trump-Kim": the word is the part before
        if raw.isupper() and len(raw) > 1 and "." not in raw and not (tokens and _REGNAL.fullmatch(raw)):
            flush()  # ALL-CAPS words are acronyms or headline text, never part of a name (but "Elizabeth II")
            end = m.end()
            continue
        if not tokens:
            start = m.start()
        tokens.append(_POSSESSIVE.sub("", raw))
        end = m.end()
        if sentence_end or raw.endswith(("'s", "’s", "'", "’")):
            flush()
    flush()
    return spans


def _employer(text: str, span: Span, previous: Span | None, first_names: frozenset[str]) -> bool:
    """Is the span where someone works rather than someone: "analyst at Smith Barney",
    "Analysts at Goldman Sachs", "John Doe of Morgan Stanley"? Firms named after their
    founders are the commonest non-people of business news."""
    job = _JOB_BEFORE.search(text, span.start)
    if job and job.group(1).lower() in _DESK_JOBS:
        return True
    if job and job.group(1).lower() in lexicon.TITLES and job.group(2) != "for":
        # "at" is a workplace; "with" and "from" may be a person ("took over as president
        # from O.C. Davis", "replaced him as president with Stephen Fischer").
        return job.group(2) == "at" or not _starts_like_name(span.tokens[0], first_names)
    return (previous is not None and len(previous.tokens) > 1
            and _starts_like_name(previous.tokens[0], first_names)
            and _OF_BETWEEN.fullmatch(text, previous.end, span.start) is not None)


def _mentions(text: str, first_names: frozenset[str], spans: list[Span] | None = None,
              players: frozenset[str] = frozenset()) -> list[Mention]:
    """Strip titles, nationalities and sentence-initial words from the text's spans.

    ``players`` are the surname keys of the article's line-ups: a two-word span ending in
    one is that player's full name ("Girvan Dempsey comes into the team", "a Mark
    Mapletoft drop goal"), whatever its given name and a determiner before it."""
    out: list[Mention] = []
    spans = _split_run_ons(text, _spans(text) if spans is None else spans, first_names)
    for span, previous in zip(spans, [None, *spans], strict=False):  # each with the one before
        toks = list(span.tokens)
        player = bool(players) and len(toks) == 2 and surname_key(toks[-1]) in players and not _is_title(toks[0])
        if ((_DETERMINER_BEFORE.search(text, span.start) or toks[0] in _ARTICLES)
                and not any(map(_is_title, toks)) and not player):
            continue  # "the Billy Goat", "his Red Bull", "A Little Chaos"
        if _COMPANY_AFTER.match(text, span.end):
            continue  # "Merrill Lynch and Co"
        if _AMPERSAND_AFTER.match(text, span.end) and not _starts_like_name(toks[0], first_names):
            continue  # "Nissan Sales & Regional Operations"; but "Ariana Grande & Billie Eilish"
        if _quoted(text, span):
            continue  # "Dubbed a “Wolf Moon” by Nasa": a name in quotes is what something is called
        if _employer(text, span, previous, first_names) and not any(map(_is_title, toks)):
            continue  # "analyst at Smith Barney", "Peter Greenbaum of Smith Barney"
        if (_INSTITUTION_BEFORE.search(text, span.start)
                and not any(map(_is_title, toks))):
            continue  # "Institute for Humanistic Studies"; not "Council of ... Chairman Beryl Sprinkel"
        while len(toks) > 2 and (_word(toks[-1]) in _TRAILING_TITLES or ("-" in toks[-1] and _is_title(toks[-1]))):
            toks.pop()  # "Vice President-elect Mike Pence President-elect": the next name's title
        cued = False
        # "minister Subroto"; but "the best actor Bafta" is an award
        word_before = _word_before(text, span.start)
        titled = word_before in lexicon.HONORIFICS and not _AWARD_BEFORE.search(text, span.start)
        # Everything up to the last title that still has a name after it goes.
        last_title = max((i for i, t in enumerate(toks[:-1]) if _is_title(t)), default=-1)
        if last_title >= 0:
            # Only an honorific right before one word keeps that word as a person.
            titled = _word(toks[last_title]) in lexicon.HONORIFICS and last_title == len(toks) - 2
            title, toks, cued = toks[last_title], toks[last_title + 1:], True
            if (_word(title) in _ROYAL and _word(toks[0]) in first_names and not _weak_start(toks)
                    and (len(toks) == 1 or (len(toks) == 2 and _REGNAL.fullmatch(toks[1])))):
                # "Prince Andrew", "Queen Elizabeth II", "Crown Prince Abdullah": the title is the name's part
                toks = [title, *toks] if last_title == 0 or _word(span.tokens[last_title - 1]) != "crown" else ["Crown", title, *toks]
            if toks and toks[0] == "of":  # the title's object: "Secretary of State", "of the Exchequer"
                toks = toks[2:] if len(toks) > 1 and toks[1] != "the" else toks[3:]
        while toks:
            if len(toks) > 1 and countries.is_nationality(f"{toks[0]} {toks[1]}"):  # "South Korean Hyung-Taik Lee"
                toks, cued = toks[2:], True
            elif countries.is_nationality(toks[0]):  # "Israeli Benjamin Netanyahu", "U.S. Secretary"
                if len(toks) == 2 and _word(toks[0]) in first_names and not _starts_like_name(toks[1], first_names):
                    break  # "Dane Chinnery": a given name that is also a demonym, before a surname
                toks, cued = toks[1:], True
            elif len(toks) > 2 and _word(toks[0]) in _BEFORE_MONTH and _word(toks[1]) in MONTHS:
                toks = toks[2:]  # "Last June Grewcock was banned"
            elif ((_word(toks[0]) in lexicon.TITLE_MODIFIERS or toks[0] in _JOINERS or _word(toks[0]) in lexicon.FUNCTION_WORDS)
                  and not _place_first(toks)):
                toks = toks[1:]  # "New" of "New York Yankees" stays: a place is no person
            elif len(toks) > 2 and _LOWER_TAIL.search(toks[0]):
                toks = toks[1:]  # "Fifteen-year-old Donald Young", "Tunisian-born Abdellatif Kechiche"
            elif (len(toks) > 2 and not _starts_like_name(toks[0], first_names)
                  and _starts_like_name(toks[1], first_names) and not countries.is_place_name(toks[1])
                  and not _place_first(toks)):
                toks = toks[1:]  # "Follow Ashley May"; but not "Los Angeles Lakers", "New York GoDaddy"
            elif (len(toks) > 2 and countries.is_country_word(toks[0]) and _word(toks[1]) in first_names
                  and not _place_first(toks)):
                toks = toks[1:]  # "the Lord Mayor of the City of London Andrew Parmley"
            else:
                break
        org_words = [i for i, t in enumerate(toks) if _word(t) in lexicon.NON_NAME_WORDS]
        if (org_words and len(toks) - org_words[-1] > 2 and (last_title >= 0 or _context_cue(text, span.start, span.end))
                and not countries.is_place_name(" ".join(toks[org_words[-1]:org_words[-1] + 2]))):  # "New York Yankees"
            toks = toks[org_words[-1] + 1:]  # "Foreign Affairs Committee Leonid Slutsky said"
        if toks and toks[0].lower() in lexicon.PARTICLES and last_title < 0:
            continue  # "El Watan said": a name does not start with its particle
        vouched = bool(toks) and (last_title >= 0 or word_before in lexicon.TITLES) and _starts_like_name(toks[0], first_names)
        if (not toks or any(_word(t) in lexicon.NON_NAME_WORDS and not (vouched and _word(t) in _NAME_LIKE_WORDS)
                            for t in toks) or countries.is_nationality(toks[-1])
                or any(c.isdigit() for t in toks for c in t)  # "Space Launch Vehicle-1": a name has no digits
                or any(t in _INNER_STOP or t.lower() in _INNER_STOP - lexicon.PARTICLES for t in toks[1:])):
            continue  # "Central Intelligence Agency", "Cleveland Indians"
        if all(map(_title_word, toks)):
            continue  # "Mr. President", "President Elect": a title with no name
        if len(toks) > 1 and _is_title(toks[-1]) and (not _starts_like_name(toks[0], first_names)
                                                       or countries.is_country_word(toks[0])):
            continue  # "Chief Strategy Officer", "London Mayor": a post; but "John Major"
        if not _starts_like_name(toks[0], first_names) and any(countries.is_country_or_state(t) for t in toks):
            continue  # "Utah Power said"; but "Ola Jordan" and "Georgia Toffolo" start with given names
        # The name's own offsets, so that "South Korean" before it still counts as a country.
        start = text.find(toks[0], span.start, span.end)
        if start == span.start and _brand_before(text, start):
            continue  # "BMJ Case Reports", "VW Atlas Cross Sport"; but "NFL Insider Jason La Canfora"
        if len(toks) == 1 and "-" in toks[0] and all(p[:1].isupper() for p in toks[0].split("-")):
            # "Trump-Kim meeting": two surnames, each resolved on its own.
            out.extend(Mention((part,), start, span.end, False, False) for part in toks[0].split("-"))
            continue
        if len(toks) > 1 and not cued and (not _starts_like_name(toks[0], first_names) or _weak_start(toks)):
            cued = (player and len(toks) == 2) or _context_cue(text, span.start, span.end)
        out.append(Mention(tuple(toks), start, span.end, cued, titled))
    return out


def _shared_surnames(text: str, mentions: list[Mention], first_names: frozenset[str]) -> list[Mention]:
    """A given name with a middle initial joined by "and" to a full name shares its
    surname: "George W and Laura Bush" names George W Bush. A given name alone does not:
    "Madonna and David Bowie", "Brown and Tony Blair" are two people as often as "Bill and
    Hillary Clinton" is a couple."""
    out = list(mentions)
    for i, (a, b) in enumerate(zip(mentions, mentions[1:], strict=False)):
        if (text[a.end:b.start] == " and " and 2 <= len(b.tokens) <= 3 and _is_full_name(b, first_names)
                and len(a.tokens) == 2 and len(a.tokens[1]) == 1 and a.tokens[1].isupper()):
            out[i] = Mention((*a.tokens, b.tokens[-1]), a.start, a.end, True, False)
    return out


def _split_run_ons(text: str, spans: list[Span], first_names: frozenset[str]) -> list[Span]:
    """Spans cut where a caption or credit runs on into the next sentence with no full stop: before a ``_RUN_ON`` word ("Barack Obama As Trump" is
    "Barack Obama" and "Trump"; from the second word before a photo credit, "Clinton Getty
    Images"), and a given name and two surnames the article also uses alone ("Denis
    McDonough Trump aide Dan Scavino", beside "McDonough" and "Trump")."""
    long = [s for s in spans if len(s.tokens) > 1]
    if not long:
        return spans
    alone = {s.tokens[0] for s in spans if len(s.tokens) == 1}
    if not any(_CREDIT.intersection(s.tokens) or _RUN_ON.intersection(s.tokens[2:])
               or (len(s.tokens) > 2 and s.tokens[-1] in alone) for s in long):
        return spans
    out: list[Span] = []
    for span in spans:
        toks = span.tokens
        cut = next((i for i in range(1, len(toks)) if toks[i] in _CREDIT or (i > 1 and toks[i] in _RUN_ON)), None)
        skip = 1
        if (cut is None and len(toks) > 2 and toks[-2] in alone and toks[-1] in alone
                and _word(toks[-3]) in first_names and not _starts_like_name(toks[-2], first_names)):
            cut, skip = len(toks) - 1, 0
        if cut is None:
            out.append(span)
            continue
        offsets, at = [], span.start
        for tok in toks:
            at = text.find(tok, at, span.end)
            offsets.append(at)
            at += len(tok)
        if not countries.is_country_or_state(toks[0]):  # "Washington View Photos Trump": only "Trump"
            out.append(Span(toks[:cut], span.start, offsets[cut - 1] + len(toks[cut - 1])))
        if toks[cut + skip:]:
            out.append(Span(toks[cut + skip:], offsets[cut + skip], span.end))
    return out


def _is_full_name(m: Mention, first_names: frozenset[str]) -> bool:
    """Whether a multi-word mention is a person's full name on its own evidence. A given
    name with a generational suffix and no title ("Don Jr.", not "Queen Elizabeth II") is
    none: the surname is missing."""
    if not 2 <= len(m.tokens) <= 5 or countries.is_place_name(" ".join(m.tokens)):
        return False
    if len(m.tokens) == 2 and _word(m.tokens[1]) in _SUFFIXES and not m.cued:
        return False
    if not all(t[0].isupper() or t in lexicon.PARTICLES or t.split("-")[0] in lexicon.PARTICLES for t in m.tokens):
        return False
    return m.cued or _starts_like_name(m.tokens[0], first_names)


@dataclass
class _Person:
    name: str
    tokens: tuple[str, ...]
    count: int = 0


class People(NamedTuple):
    """The people of an article (:func:`people_in`)."""

    names: list[str]  # canonical, in order of first mention
    spans: list[tuple[int, int]]  # their mentions' offsets in the body
    line_up: bool  # the body holds a team line-up (``lineups.players_in``)
    things: frozenset[str]  # name keys of what it calls a work, band or team ("film Vera Drake")


def people_in(title: str, body: str, *, spans: list[Span] | None = None,
              not_people: frozenset[str] = frozenset()) -> People:
    """Canonical people of an article, in order of first mention, and their spans in the body.

    The country gazetteer tells nationality words ("Israeli", "U.S."), stripped from the
    front of a span, and place names ("San Francisco"), never a person. The headline only
    adds people whose surname the body uses: headline capitalisation makes every word
    look like a name. ``spans`` are the body's (``body_spans``), when the caller has
    them already; ``not_people`` are name keys the article shows to be something else
    (an organisation's names, ``organisations.organisations_in``), to which the names
    of works, bands and teams it cues as such are added ("film Vera Drake").
    """
    first_names = given_names()
    spans = _spans(body) if spans is None else spans
    things = _things(body, spans)
    not_people = not_people | things
    players = lineups.players_in(body)
    player_keys = frozenset(surname_key(p.name.split()[-1]) for p in players)
    mentions = [m for m in _mentions(body, first_names, spans, player_keys) if _name_key(m) not in not_people]
    speakers = _speakers(body, first_names)
    if speakers:
        mentions = sorted(mentions + speakers, key=lambda m: m.start)
    if players:  # a line-up's own names are read by its rule ("S Bennett" is the surname Bennett)
        mentions = [m for m in mentions if not any(p.start < m.end and m.start < p.end for p in players)]
    persons: list[_Person] = []
    by_key: dict[str, _Person] = {}
    spans: list[tuple[int, int]] = []

    def add(m: Mention) -> None:
        name = canonical_name(" ".join(m.tokens))
        if name_key(name) not in by_key:
            person = _Person(name, tuple(name.split()))
            by_key[name_key(name)] = person
            persons.append(person)
        by_key[name_key(name)].count += 1

    mentions = _shared_surnames(body, mentions, first_names)
    unsupported = _unsupported_names(mentions)
    full = {id(m) for m in mentions if _is_full_name(m, first_names) and _name_key(m) not in unsupported}
    full |= _listed_with_people(body, mentions, full)
    for m in mentions:
        if id(m) in full:
            add(m)
            spans.append((m.start, m.end))
    in_title = [m for m in _mentions(title, first_names) if _name_key(m) not in not_people]
    for m in in_title:
        if _is_full_name(m, first_names) and _name_key(m) not in unsupported and re.search(rf"\b{re.escape(m.tokens[-1])}\b", body):
            add(m)
    _merge_short_forms(persons, by_key)

    found: dict[str, None] = {}  # insertion-ordered set
    for m in mentions:
        if id(m) in full:
            found[by_key[name_key(canonical_name(" ".join(m.tokens)))].name] = None
            continue
        target = _resolve(m.tokens, persons)
        if target is not None:
            found[target.name] = None
            spans.append((m.start, m.end))
        elif _surname_of_several(m.tokens, persons):
            spans.append((m.start, m.end))  # "Baker" with Howard and James Baker: neither is sure
        elif m.titled and len(m.tokens) == 1 and len(m.tokens[0]) > 2 and not countries.is_place_name(m.tokens[0]):
            found[canonical_name(m.tokens[0])] = None
            spans.append((m.start, m.end))
    for m in in_title:
        target = _resolve(m.tokens, persons)
        if target is not None:
            found[target.name] = None
    for name, start, end in _players(players, persons):
        found[name] = None
        spans.append((start, end))
    return People(list(found), spans, bool(players), things)


def _players(players: list[lineups.Player], persons: list[_Person]) -> list[tuple[str, int, int]]:
    """The line-up players (``lineups.players_in``) as people: the article's full name of
    that surname when it has exactly one that fits the initial ("S Horgan" is Shane
    Horgan), else the surname alone, with its initial where two players share it ("S
    Easterby", "G Easterby"). A surname is all a line-up says: issue 13 keeps it as a
    surname-only value rather than guess."""
    initials: dict[str, set[str]] = {}
    for p in players:
        initials.setdefault(surname_key(p.name.split()[-1]), set()).add(p.initial)
    out = []
    for p in players:
        tokens = tuple(p.name.split())
        if len(tokens) > 1 and tokens[0] not in lexicon.PARTICLES and tokens[0].lower() not in ("van", "de"):
            out.append((canonical_name(p.name), p.start, p.end))  # "Gary Neville", "Juninho Paulista"
            continue
        last = surname_key(tokens[-1])
        fits = [q for q in persons if surname_key(q.tokens[-1]) == last and len(q.tokens) > 1
                and (not p.initial or q.tokens[0][0] == p.initial)]
        if len(fits) == 1:
            out.append((fits[0].name, p.start, p.end))
        elif p.initial and len(initials[last]) > 1:
            out.append((f"{p.initial} {canonical_name(p.name)}", p.start, p.end))
        else:
            out.append((canonical_name(p.name), p.start, p.end))
    return out


# A transcript's speaker line: "ARI SHAPIRO, HOST:", "SCOTT HORSLEY, BYLINE: Good to be".
_SPEAKER = re.compile(rf"^([{_UPPER}][{_UPPER}'’-]+(?:[ ][{_UPPER}][{_UPPER}'’.-]*){{1,3}})(?:,[ ][{_UPPER}][{_UPPER} ,'’-]*)?:",
                      re.MULTILINE)


def _speakers(text: str, first_names: frozenset[str]) -> list[Mention]:
    """The full names of a transcript's speaker lines, which are all capitals and so
    never a span ("ARI SHAPIRO, HOST:" is Ari Shapiro; the later "SHAPIRO:" is his
    surname, as usual). A title goes and vouches for the name ("PRESIDENT BARACK OBAMA:");
    otherwise the first word must be a given name: "BREAKING NEWS:" is none."""
    out = []
    for m in _SPEAKER.finditer(text):
        tokens = tuple(w.capitalize() if "'" not in w else w.title() for w in m.group(1).split())
        titled = len(tokens) > 2 and _is_title(tokens[0])
        while len(tokens) > 2 and _is_title(tokens[0]):
            tokens = tokens[1:]
        if ((titled or _word(tokens[0]) in first_names)
                and not any(_word(w) in lexicon.NON_NAME_WORDS for w in tokens)):
            out.append(Mention(tokens, m.end(1) - len(" ".join(tokens)), m.end(1), True, False))
    return out


def body_spans(body: str) -> list[Span]:
    """The body's capitalised spans, cut once for the people and organisation rules."""
    return _spans(body)


def employer(text: str, first_names: frozenset[str]) -> Callable[[Span, Span | None], bool]:
    """The "where someone works" rule over ``text``, for the organisation rules: "analyst at
    Smith Barney", "John Doe of Morgan Stanley", "Aston Villa boss David O'Leary"."""
    def works_there(span: Span, previous: Span | None) -> bool:
        return _employer(text, span, previous, first_names) or (
            len(span.tokens) > 1 and not any(map(_is_title, span.tokens))
            and text[span.end - 2:span.end] not in ("'s", "’s")  # "Chirac's spokesman Denis"
            and _TEAM_AFTER.match(text, span.end) is not None)
    return works_there


def _things(text: str, spans: list[Span]) -> frozenset[str]:
    """Name keys of the spans the article calls a work, a band, a team or a thing: "film Vera
    Drake", "group Franz Ferdinand", "magazine Mac Format", "Harry Potter films", "Aston
    Villa boss David O'Leary", "Wells Fargo, which"."""
    out: set[str] = set()
    # Surnames the article uses alone or after a title ("Peston", "Mr Peston"): a person's,
    # whatever "which" follows ("by journalist Robert Peston, which suggested" is his book).
    # Gathered only for an article with a "which" after a name.
    alone: set[str] | None = None
    for span in spans:
        if len(span.tokens) < 2 or any(map(_is_title, span.tokens)):
            continue
        possessive = text[span.end - 2:span.end] in ("'s", "’s")  # "Chirac's spokesman Denis"
        which = _WHICH_AFTER.match(text, span.end) is not None
        if which and alone is None:
            alone = {s.tokens[-1] for s in spans if all(map(_is_title, s.tokens[:-1]))}
        if (_WORK_BEFORE.search(text, span.start)
                or (which and span.tokens[-1] not in alone)
                or (not possessive and (_WORK_AFTER.match(text, span.end) or _TEAM_AFTER.match(text, span.end)))):
            out.add(name_key(canonical_name(" ".join(span.tokens))))
    return frozenset(out)


# What separates the items of a list of people: a comma, "and", "or" or "&", after an
# optional bracket ("Dominic Cooper (His Dark Materials), Romola Garai (Calico) or ...").
_LIST_GAP = re.compile(r"(?:[ ]\([^()\n]{0,80}\))?(?:,[ ](?:(?:and|or)[ ])?|[ ](?:and|or|&)[ ])")


def _listed_with_people(text: str, mentions: list[Mention], full: set[int]) -> set[int]:
    """Ids of two- and three-word mentions listed between two full names: a list names
    people of one kind, so "Romola Garai" between "Dominic Cooper" and "Eddie Redmayne"
    is a person though no list knows "Romola", and so is the last of three or more
    ("Alexandra Shulman, Terence Conran and Deyan Sudjic"). Both neighbours must be full names, so
    a list of firms and people ("Oliver Stone, Buena Vista") adds nothing, and the list
    must not stand in brackets: "producer John Shanks (Bon Jovi, Sheryl Crow, Goo Goo
    Dolls, Miley Cyrus)" lists his credits, bands among them."""
    by_start = sorted((m for m in mentions if id(m) in full), key=lambda m: m.start)
    by_end = sorted(by_start, key=lambda m: m.end)
    starts, ends = [p.start for p in by_start], [p.end for p in by_end]

    def ending_by(offset: int) -> Mention | None:
        """The full name that ends last at or before offset."""
        i = bisect.bisect_right(ends, offset)
        return by_end[i - 1] if i else None

    out: set[int] = set()
    for m in mentions:
        if (id(m) in full or not 2 <= len(m.tokens) <= 3 or not all(t[:1].isupper() for t in m.tokens)
                or any(_LOWER_TAIL.search(t) for t in m.tokens)):  # "Grammy Award-winning composer"
            continue
        before = ending_by(m.start)
        if before is None or not _LIST_GAP.fullmatch(text, before.end, m.start):
            continue
        opened = text.rfind("(", 0, m.start)
        if opened != -1 and text.find(")", opened, m.start) == -1:
            continue
        i = bisect.bisect_left(starts, m.end)
        after = by_start[i] if i < len(by_start) else None
        if after is not None and _LIST_GAP.fullmatch(text, m.end, after.start):
            out.add(id(m))
            continue
        # The last of three or more: "Alexandra Shulman, Terence Conran and Deyan Sudjic".
        first = ending_by(before.start)
        gap = text[first.end:before.start] if first is not None else ""
        if (gap.startswith(", ") and (gap == ", " or _is_title(gap[2:].strip()))  # ", Sir Terence Conran"
                and text[before.end:m.start] in (" and ", " or ", ", and ")):
            out.add(id(m))
    return out


def _name_key(m: Mention) -> str:
    return name_key(canonical_name(" ".join(m.tokens)))


def _unsupported_names(mentions: list[Mention]) -> set[str]:
    """Keys of the mentions opening with a weak given name that nothing else in the article backs.

    "Red Dead Redemption" and "Price Drop" open with given names that are everyday words,
    so such a span is a title or a brand as often as a person. It stays a person when the
    article supports it: a cue on any of its mentions (a title, "said", an apposition) or
    its surname used alone ("Carney said"). A repeated full form is no support: product
    names repeat too ("Echo Dot", "Star Trek Beyond").
    """
    alone = {surname_key(m.tokens[0]) for m in mentions if len(m.tokens) == 1}
    weak = [m for m in mentions if len(m.tokens) > 1 and _weak_start(m.tokens)]
    supported = {_name_key(m) for m in weak if m.cued or surname_key(m.tokens[-1]) in alone}
    return {_name_key(m) for m in weak} - supported


def _merge_short_forms(persons: list[_Person], by_key: dict[str, _Person]) -> None:
    """Merge two written forms of one name in the article.

    "El Guerrouj" is the tail of "Hicham El Guerrouj": the full form wins. "Donald Trump"
    and "Donald J. Trump" share first and last words: the form used more often wins,
    and on a tie the one without middle names, as most articles write it.
    """
    for short in list(persons):
        for long in persons:
            if long is short or len(long.tokens) <= len(short.tokens):
                continue
            tail = [name_key(t) for t in long.tokens[-len(short.tokens):]] == [name_key(t) for t in short.tokens]
            middle = (name_key(long.tokens[0]) == name_key(short.tokens[0])
                      and surname_key(long.tokens[-1]) == surname_key(short.tokens[-1]))
            if tail or middle:
                if middle and short.count >= long.count:
                    long.name, long.tokens = short.name, short.tokens
                long.count += short.count
                for key, person in by_key.items():
                    if person is short:
                        by_key[key] = long
                persons.remove(short)
                break


def _surname_of_several(tokens: tuple[str, ...], persons: list[_Person]) -> bool:
    last = surname_key(tokens[-1])
    return sum(surname_key(p.tokens[-1]) == last for p in persons) > 1


def _resolve(tokens: tuple[str, ...], persons: list[_Person]) -> _Person | None:
    """The one full name a partial mention refers to, or None if none or ambiguous."""
    key = name_key(canonical_name(" ".join(tokens)))
    for p in persons:
        if name_key(p.name) == key:
            return p
    last = surname_key(tokens[-1])
    candidates = {id(p): p for p in persons if surname_key(p.tokens[-1]) == last}
    if len(tokens) == 1:
        candidates.update({
            id(p): p for p in persons
            if p.tokens[0].lower() in lexicon.FAMILY_NAME_FIRST and name_key(p.tokens[0]) == last
        })
        if not candidates:  # "Sheikh Ali" after "Sheikh Ali al-Khalifa al-Sabah": a given name
            candidates = {id(p): p for p in persons if len(p.tokens) > 1 and name_key(p.tokens[0]) == last}
    return next(iter(candidates.values())) if len(candidates) == 1 else None
