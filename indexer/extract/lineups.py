"""Team line-ups: the players a sports report names only in its line-up lists.

BBC sport reports end with the sides ("Everton: Martyn, Hibbert, Yobo, ... Subs: Wright,
Pistone", "Replacements: Everitt for Mapletoft (53)"). Each is a person named by surname
only, which the span rules never take as a person on its own ("Murphy" could be a place or
a pub). A list is a line-up by its shape, not by its words: a whole clause of comma- or
semicolon-separated surnames with no "and", long enough to be a side (``MIN_SIDE``), or
after a label that only line-ups use ("Subs:", "Replacements:", "Booked:"). The shape
keeps prose lists out ("AEG, Zanussi and Frigidaire", "Nashville, Toronto, Denver").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.extract import countries, lexicon

_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŌŐŒŘŚŞŠŢŤŪŮŰŹŻŽ"
# One name word: "Hibbert", "O'Gara", "McFadden", "Ben-Haim"; not "FL", "NBC" or "iPhone".
_WORD = rf"(?:[{_UPPER}]['’][{_UPPER}]|[{_UPPER}])[a-zß-öø-ÿā-ž][\w'’-]*"
_PARTICLE = rf"(?:{'|'.join(sorted(lexicon.PARTICLES))}|[Vv]an|[Dd]e)"
_NAME = rf"(?:{_PARTICLE}\s+)*{_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_WORD})?"
# An item: an optional initial, a name, then what line-ups add to it: "Everitt for
# Mapletoft (53)", "Barton (Macken 68)", "Rooney 68", "(capt)", "R Styles (Hampshire)".
_ITEM = re.compile(
    rf"(?:(?P<initial>[{_UPPER}])\.?\s+)?(?P<name>{_NAME})"
    rf"(?:\s+for\s+(?:[{_UPPER}]\.?\s+)?(?P<replaced>{_NAME}))?"
    r"(?:\s+\d{1,3}(?:\s*(?:pen|og))?)?"
    rf"(?:\s*\((?:(?P<sub>{_NAME})\s+\d{{1,3}}|[^()]{{1,30}})\))?"
)
_CAPTAIN = frozenset({"capt", "(capt)", "c", "(c)", "captain"})
# Labels of the lists that follow a side; what follows them is a line-up however short.
LIST_LABELS = frozenset("""subs substitutes replacements bench reserves booked cautioned dismissed
sent-off referee ref goals tries conversions penalties scorers""".split()) | {
    "subs not used", "not used", "sent off", "sin bin", "drop goals", "drop goal", "cons", "pens"}
MIN_SIDE = 7  # items of a side's list with any other label, or none (a five-a-side list is no news)
# A clause: what lies between sentence ends and line breaks, split once at its label colon.
_CLAUSE = re.compile(r"[^.\n]+")
# The label is the capitalised words right before the clause's last colon: "Subs Not
# Used", "Manchester United", "Ref" of "Att: 47,111 Ref: S Bennett".
_LABEL = re.compile(rf"[{_UPPER}][\w'’&\- ]*$")


@dataclass(frozen=True)
class Player:
    """One name of a line-up: ``initial`` is the letter written before the surname, if any."""

    name: str
    initial: str
    start: int
    end: int


def _items(clause: str, offset: int) -> list[Player] | None:
    """The players of a clause, or None when it is not a line-up."""
    before, colon, items = clause.rpartition(":")
    label = _LABEL.search(before.rstrip()) if colon else None
    listed = label is not None and label.group().strip().lower() in LIST_LABELS
    players: list[Player] = []
    base = offset + len(before) + len(colon)
    for raw in re.finditer(r"[^,;]+", items):
        text = raw.group().strip()
        if not text or text.lower() in _CAPTAIN:
            continue
        item = _ITEM.fullmatch(text)
        if item is None or re.search(r"\band\b", text):
            return None
        start = base + raw.start() + (len(raw.group()) - len(raw.group().lstrip()))
        for group in ("name", "replaced", "sub"):
            if item.group(group):
                players.append(Player(item.group(group), item.group("initial") or "" if group == "name" else "",
                                      start + item.start(group), start + item.end(group)))
    if not players or (not listed and len(players) < MIN_SIDE):
        return None
    places = sum(countries.is_place_name(p.name) or p.name.lower() in lexicon.NON_NAME_WORDS for p in players)
    return players if places * 2 < len(players) else None  # "London, Paris, Rome, ...": places


# In a list every separator is followed by a capital ("Martyn, Hibbert"); prose mostly
# has a lower-case word after its first comma ("Electrolux, which"): a cheap test first.
_SEPARATED = re.compile(rf"[,;:]\s*(?:[{_UPPER}]|[a-z]+\s+[{_UPPER}])")


def players_in(body: str) -> list[Player]:
    """Every player named in the body's line-up lists, in text order."""
    out: list[Player] = []
    for clause in _CLAUSE.finditer(body):
        text = clause.group()
        if _SEPARATED.search(text):
            out.extend(_items(text, clause.start()) or ())
    return out
