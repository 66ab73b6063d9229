"""The archive's name table: which full name each written form of a person stands for.

Built from every article's :class:`PersonInput` (its people as extracted, with the words
titling them, its countries, organisations and day), so the same inputs always give the
same table, in whatever order the articles came:

1. **Full names** are the multi-word forms that are not the tail of a longer one.
   Forms equal once case, accents, hyphens and periods are ignored are one person
   ("Willy De Clercq" / "Willy de Clercq", "Robin Leigh Pemberton" / "Robin
   Leigh-Pemberton"); so are forms that differ only by middle initials when only one
   set of initials occurs ("Ivan F. Boesky" / "Ivan Boesky"; but "George Bush", "George
   H.W. Bush" and "George W. Bush" stay three), a leading initial or a stray word before
   a name ("E. Gerald Corrigan", "Minsiter Kiichi Miyazawa") and a short given name
   beside the full one ("Jim Wright" / "James Wright"). A person's value is the form the
   archive uses most, preferring one that opens with a given name or an initial.
2. **Short forms** (a surname alone, "Perez De Cuellar" beside "Javier Perez de
   Cuellar") resolve, in each article, to the one person of the archive they can be:
   the one the article itself names in full, else the only candidate, else the candidate
   the article's evidence points to (:func:`_decide`). Where nothing decides, the short
   form stays as it is: never a guess.
3. A full name that the archive calls an organisation, a work, a band or a team in more
   of its articles than it calls it a person ("Merrill Lynch", the film "Vera Drake") is
   no person.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache

from indexer.extract import lexicon
from indexer.extract.names import canonical_name, name_key, surname_key

Key = tuple[str, ...]

#: How much likelier the best candidate must be than the next one, given what the
#: article shows, for a short form to take its name (a factor, on the evidence alone:
#: "most stories mean James Baker" decides nothing).
DECISIVE = 20.0
#: How much likelier of someone else the title of a mention must be for the one full name
#: of its surname not to be taken ("Prince Charles" and Ray Charles).
AGAINST = 5.0
#: Short given names and the names they shorten: "Jim Wright" is "James Wright", "Jim
#: Baker" "James Baker" (joined only when the archive writes both forms).
DIMINUTIVES = {
    "jim": "james", "jimmy": "james", "bob": "robert", "bill": "william", "dick": "richard",
    "mike": "michael", "tony": "anthony", "tom": "thomas", "joe": "joseph", "ted": "edward",
    "dan": "daniel", "ron": "ronald", "don": "donald", "chuck": "charles", "pete": "peter",
    "nick": "nicholas", "andy": "andrew", "steve": "stephen", "larry": "lawrence",
    "fred": "frederick", "ben": "benjamin", "sam": "samuel", "walt": "walter", "pat": "patrick",
}
#: Days either side of an article in which a candidate's own articles count as near.
NEAR_DAYS = 45
#: Pseudo-articles of the background each profile starts from (an m-estimate): a feature
#: never seen with a candidate is as rare as in the archive, not impossible, and a person
#: named in full once has not shown that everything around them comes with them.
_PRIOR_ARTICLES = 2.0
_LINE_UP = "line-up"  # the profile feature of the people named in match reports
#: A title is an office (one holder, :func:`_join_misnamed`) when one person holds it in
#: at least this many articles and more than this share of all the articles it titles a
#: full name in: most of them, so that "Energy Secretary" is John Herrington's (18 of 24
#: in Reuters, beside his predecessor, his deputy and Mexico's) and "chairman" nobody's.
OFFICE_ARTICLES = 3
OFFICE_SHARE = 0.5


@dataclass(frozen=True)
class PersonInput:
    """What one article tells the archive about its people (stored with the article)."""

    raw: tuple[str, ...]  # people as extraction resolved them within the article
    cues: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # raw value -> title words
    day: int = 0  # date.toordinal(), 0 when undated
    places: tuple[str, ...] = ()  # the countries it mentions
    organizations: tuple[str, ...] = ()
    things: tuple[str, ...] = ()  # name keys of what it calls a work, band or team
    line_up: bool = False  # it holds a team line-up: a match report

    def to_json(self) -> dict[str, object]:
        """The stored part (day, places and organisations are the article's own fields)."""
        return {"raw": list(self.raw), "cues": {k: list(v) for k, v in self.cues.items()},
                "things": list(self.things), "line_up": self.line_up}


@dataclass(frozen=True)
class HeldPeople:
    """An article the index holds, as the archive step reads it back from an engine."""

    id: str
    input: PersonInput
    people: tuple[str, ...]  # its people values as the index holds them now


#: Written forms merged into each person: {name_key(value): {"name": value, "forms":
#: {form: articles}}}, kept by each engine beside its index for the person page and
#: ``newsearch show``.
Forms = dict[str, dict[str, object]]


def forms_of(entry: object) -> list[tuple[str, int]]:
    """One person's merged forms from a saved ``Forms`` entry, most used first; nothing
    for a missing or malformed entry."""
    forms = entry.get("forms") if isinstance(entry, dict) else None
    if not isinstance(forms, dict):
        return []
    return sorted(((str(f), int(n)) for f, n in forms.items()), key=lambda fn: (-fn[1], fn[0]))


def input_of(stored: Mapping[str, object] | None, people: Iterable[str], day: int,
             places: Iterable[str], organizations: Iterable[str]) -> PersonInput:
    """An article's input from its stored part; an article indexed before the archive
    step has none, and its people as stored are what extraction gave."""
    stored = stored or {}
    raw = stored.get("raw")
    cues = stored.get("cues") or {}
    things = stored.get("things")
    return PersonInput(tuple(raw if isinstance(raw, list) else people),
                       {str(k): tuple(v) for k, v in cues.items()} if isinstance(cues, dict) else {},
                       int(day or 0), tuple(places), tuple(organizations),
                       tuple(map(str, things)) if isinstance(things, list) else (),
                       stored.get("line_up") is True)


@lru_cache(maxsize=1 << 17)
def _canonical(name: str) -> str:
    return canonical_name(name)


@lru_cache(maxsize=1 << 17)
def key_of(name: str) -> Key:
    """The comparison key of a written form: its words, case, accents, hyphens and
    periods ignored ("Leigh-Pemberton" -> ("leigh", "pemberton"))."""
    return tuple(name_key(_canonical(name)).split())


def _reduced(key: Key) -> Key:
    """The key without middle initials: ("ivan", "f", "boesky") -> ("ivan", "boesky")."""
    return (key[0], *[t for t in key[1:-1] if len(t) > 1], key[-1])


def _tails(form: str) -> Iterable[Key]:
    """The shorter forms a written full name can take: each tail of its words, a
    hyphenated surname whole ("Bonham-Carter", never "Carter"), without its Arabic
    article ("Assad" of "Bashar al-Assad"), and its first word when it is a family name
    written first ("Kim" of "Kim Jong Un")."""
    tokens = _canonical(form).split()
    for i in range(1, len(tokens)):
        yield key_of(" ".join(tokens[i:]))
    yield tuple(surname_key(tokens[-1]).split())
    if tokens[0].lower() in lexicon.FAMILY_NAME_FIRST:
        yield key_of(tokens[0])


def _starts_like_name(key: Key, given_names: frozenset[str]) -> bool:
    """A given name or an initial first: "Javier Perez de Cuellar", not "Perez de Cuellar"."""
    return len(key[0]) == 1 or (key[0] in given_names and key[0] not in lexicon.PARTICLES)


class _Groups:
    """Keys joined into persons (union-find)."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.parent = {k: k for k in keys}

    def find(self, key: Key) -> Key:
        while self.parent[key] != key:
            self.parent[key] = key = self.parent[self.parent[key]]
        return key

    def join(self, a: Key, b: Key) -> None:
        self.parent[self.find(b)] = self.find(a)

    def groups(self) -> list[list[Key]]:
        out: dict[Key, list[Key]] = defaultdict(list)
        for key in self.parent:
            out[self.find(key)].append(key)
        return list(out.values())


def _grouped(full: list[Key], given_names: frozenset[str]) -> _Groups:
    """The full names' keys joined into persons: rule 1 of the module docstring."""
    group = _Groups(full)
    by_reduced: dict[Key, list[Key]] = defaultdict(list)
    for key in full:
        by_reduced[_reduced(key)].append(key)
    for reduced, keys in by_reduced.items():
        if len({k for k in keys if k != reduced}) <= 1:  # one set of middle initials
            for key in keys[1:]:
                group.join(keys[0], key)
    for key in full:
        if key[1:] in group.parent and len(key) > 2 and (
                len(key[0]) == 1 or key[0] not in given_names):
            # "E. Gerald Corrigan" / "Gerald Corrigan"; a stray word left of a name:
            # "Represenative Clayton Yeutter", "Minsiter Kiichi Miyazawa".
            group.join(key[1:], key)
    for key in full:  # "Jim Wright" / "James Wright"
        formal = (DIMINUTIVES.get(key[0], ""), *key[1:])
        if formal in group.parent:
            group.join(formal, key)
    return group


def _join_misnamed(group: _Groups, inputs: list[PersonInput], seen: Mapping[Key, list[int]]) -> None:
    """A full name written in one article only, under a title that is one person's across
    the archive, is that person with a wrong given name: "Energy Secretary James
    Herrington" in one story, "Energy Secretary John Herrington" in 18. The title must
    stand before the same surname's rival in at least OFFICE_ARTICLES articles and in
    most (OFFICE_SHARE) of all the articles where it stands before a full name (an office,
    not a "chairman" or a "senator" many hold), and the one story must not name the rival
    too. James Baker ("Treasury Secretary") and Howard Baker ("White House chief of
    staff") are each named in many articles, so neither is ever joined to the other.
    Every decision reads the groups as they were before any join, so the joins do not
    depend on the order of the articles; each distinct title is counted once."""
    entries: list[tuple[Key, frozenset[str]]] = []  # (full name, its title words) per article
    first: dict[Key, int] = {}  # a full name -> its first entry
    for key in group.parent:
        first[key] = len(entries)
        for i in seen[key]:
            item = inputs[i]
            entries.append((key, frozenset(w for v in item.raw if key_of(v) == key
                                           for w in item.cues.get(v, ()))))
    by_word: dict[str, list[int]] = defaultdict(list)
    for n, (_, words) in enumerate(entries):
        for word in words:
            by_word[word].append(n)
    root = {key: group.find(key) for key in group.parent}
    articles: Counter = Counter()
    for key, person in root.items():
        articles[person] += len(seen[key])
    rivals: dict[str, set[Key]] = defaultdict(set)  # a surname -> its persons of several articles
    for key, person in root.items():
        if articles[person] >= OFFICE_ARTICLES:
            rivals[key[-1]].add(person)

    @cache
    def holders(title: frozenset[str]) -> tuple[int, list[tuple[Key, int]]]:
        """(how many articles the title stands before a full name in, the two persons it
        stands before most often, with their counts)."""
        fewest = min((by_word[w] for w in title), key=len)
        counts = Counter(root[entries[n][0]] for n in fewest if entries[n][1] >= title)
        return sum(counts.values()), counts.most_common(2)

    joins: list[tuple[Key, Key]] = []
    for key, person in root.items():
        if person != key or articles[key] != 1 or len(key) != 2 or len(seen[key]) != 1:
            continue
        title = entries[first[key]][1]
        if not title or not rivals.get(key[-1]):
            continue
        total, top = holders(title)
        holder, held = next(((p, n) for p, n in top if p != key), (key, 0))
        named = {root[k] for v in inputs[seen[key][0]].raw if (k := key_of(v)) in root}
        if (holder in rivals[key[-1]] and holder not in named and held >= OFFICE_ARTICLES
                and held > OFFICE_SHARE * (total - 1)):  # all but the one-off's own article
            joins.append((holder, key))
    for holder, key in joins:
        group.join(holder, key)


def _most_used(forms: Counter) -> str:
    """The form written in most articles; on a tie the shorter, then the first in order."""
    return min(forms, key=lambda f: (-forms[f], len(f), f))


@dataclass
class _Profile:
    """What the articles naming a person in full show around them."""

    days: list[int] = field(default_factory=list)
    articles: int = 0
    features: Counter = field(default_factory=Counter)


class NameTable:
    """The archive's people: built once per indexing run from every article's input."""

    def __init__(self, inputs: Iterable[PersonInput], given_names: frozenset[str]) -> None:
        inputs = list(inputs)
        forms: dict[Key, Counter] = defaultdict(Counter)
        seen: dict[Key, list[int]] = defaultdict(list)  # a key -> the articles writing it
        org_articles: Counter = Counter()  # articles calling a key an organisation, a work, a band
        for i, item in enumerate(inputs):
            for value in dict.fromkeys(item.raw):
                key = key_of(value)
                forms[key][_canonical(value)] += 1
                if not seen[key] or seen[key][-1] != i:
                    seen[key].append(i)
            for org in {*map(key_of, item.organizations), *(tuple(k.split()) for k in item.things)}:
                org_articles[org] += 1
        self.display = {key: _most_used(c) for key, c in forms.items() if key}
        multi = [k for k in forms if len(k) > 1]
        tails = {key: {t for form in forms[key] for t in _tails(form) if t and t != key}
                 for key in multi}
        short = {tail for key in multi if _starts_like_name(key, given_names)
                 for tail in tails[key] if len(tail) > 1 and not _starts_like_name(tail, given_names)}
        full = [k for k in multi if k not in short]
        group = _grouped(full, given_names)
        _join_misnamed(group, inputs, seen)
        self.person_of: dict[Key, str] = {}  # a full name's key -> the person's value
        for keys in group.groups():
            written = sum((forms[k] for k in keys), Counter())
            if sum(org_articles[k] for k in keys) > max(written.values()):
                continue  # an organisation in most of its articles: "Merrill Lynch"; "Vera Drake", a film
            # A form opening with a given name or an initial beats a stray word before it.
            named = Counter({f: n for f, n in written.items()
                             if _starts_like_name(key_of(f), given_names)}) or written
            name = _most_used(named)
            for key in keys:
                self.person_of[key] = name
        self.candidates: dict[Key, set[str]] = defaultdict(set)
        for key, name in self.person_of.items():
            for tail in tails[key]:
                self.candidates[tail].add(name)
        self.not_people = {k for k in full if k not in self.person_of}
        self.profiles: dict[str, _Profile] = defaultdict(_Profile)
        for item in inputs:
            self._learn(item)
        for profile in self.profiles.values():
            profile.days.sort()
        self.background = _Profile(sorted(d for p in self.profiles.values() for d in p.days))
        for profile in self.profiles.values():
            self.background.articles += profile.articles
            self.background.features.update(profile.features)

    def _direct(self, item: PersonInput) -> dict[str, str]:
        """Raw value -> person for the full names an article writes out."""
        return {v: self.person_of[k] for v in item.raw if (k := key_of(v)) in self.person_of}

    def _learn(self, item: PersonInput) -> None:
        direct = self._direct(item)
        for value, name in direct.items():
            profile = self.profiles[name]
            profile.articles += 1
            profile.features.update(set(_features(item.cues.get(value, ()), direct.values(),
                                                  item.places, exclude=name)))
            if item.line_up:
                profile.features[_LINE_UP] += 1
            if item.day:
                profile.days.append(item.day)

    def resolve(self, item: PersonInput) -> tuple[list[str], dict[str, str]]:
        """(the article's people values, {raw form -> value} for each form that took
        another value): full names become their person's value, short forms the person
        they stand for in this article, or stay as written."""
        direct = self._direct(item)
        named = set(direct.values())
        out: dict[str, None] = {}
        merged: dict[str, str] = {}
        for value in item.raw:
            key = key_of(value)
            if key in self.not_people:
                continue
            name = direct.get(value)
            if name is None:
                name = self._short(key, value, item, named)
            out[name] = None
            if _canonical(value) != name:
                merged[value] = name
        return list(out), merged

    def _short(self, key: Key, value: str, item: PersonInput, named: set[str]) -> str:
        candidates = self.candidates.get(key, set())
        if item.line_up:
            candidates = {c for c in candidates if _plays(self.profiles[c], item, named)}
        shown = self.display.get(key, value)
        if not candidates:
            return shown
        here = candidates & named
        if here:
            return next(iter(here)) if len(here) == 1 else shown
        if len(candidates) == 1:
            (name,) = candidates
            return shown if _contradicted(self.profiles[name], self.background, item,
                                          value) else name
        return _decide(sorted(candidates), self.profiles, self.background, item, value,
                       named) or shown


def _plays(profile: _Profile, item: PersonInput, named: set[str]) -> bool:
    """Whether a surname in a team line-up may be this person: one the archive names in a
    match report too, or beside one of the people of this one. "Brown" of a Manchester
    United line-up is Wes Brown, no Paul Brown of a politics story; "Spector" of the
    same line-up is no Phil Spector, though the archive names no other Spector."""
    return bool(profile.features.get(_LINE_UP)
                or any(profile.features.get(f"person:{p}") for p in named))


def _features(cues: Iterable[str], people: Iterable[str], places: Iterable[str],
              exclude: str = "") -> Iterable[str]:
    """An article's evidence about one mention, as feature names."""
    yield from (f"cue:{w}" for w in cues)
    yield from (f"person:{p}" for p in people if p != exclude)
    yield from (f"place:{p}" for p in places)


def _near(days: list[int], day: int) -> int:
    """How many of a sorted list of days lie within NEAR_DAYS of ``day``."""
    from bisect import bisect_left, bisect_right

    return bisect_right(days, day + NEAR_DAYS) - bisect_left(days, day - NEAR_DAYS)


def _evidence(profile: _Profile, features: list[str], rates: list[float],
              day: int) -> tuple[float, bool]:
    """(log-likelihood of what the article shows under a person's profile, whether the
    profile has any of it): naive Bayes, each rate smoothed towards the archive's."""
    counts = [profile.features.get(f, 0) for f in features]
    if day:
        counts.append(_near(profile.days, day))
    return (sum(math.log((c + _PRIOR_ARTICLES * r) / (profile.articles + _PRIOR_ARTICLES))
                for c, r in zip(counts, rates, strict=True)), any(counts))


def _shown(item: PersonInput, value: str, named: set[str], background: _Profile,
           keep: Callable[[str], bool]) -> tuple[list[str], list[float]]:
    """The article's features that ``keep`` accepts, and the archive's rate of each (the
    day's nearness last when the article is dated)."""
    features = [f for f in sorted(set(_features(item.cues.get(value, ()), named, item.places)))
                if keep(f)]
    bg = [background.features.get(f, 0) for f in features]
    if item.day:
        bg.append(_near(background.days, item.day))
    return features, [(c + 1.0) / (background.articles + 1.0) for c in bg]


def _contradicted(profile: _Profile, background: _Profile, item: PersonInput,
                  value: str) -> bool:
    """Whether the words titling the mention are AGAINST times likelier of anyone in the
    archive than of its one candidate ("Prince Charles" is no Ray Charles): the only full
    name of a surname is taken unless the article's title for it speaks against it.
    Only titles count here: the article's other people and places are in the archive's
    rates already, through the profiles of the people it names itself."""
    cues = [f"cue:{w}" for w in sorted(set(item.cues.get(value, ())))]
    rates = [(background.features.get(f, 0) + 1.0) / (background.articles + 1.0) for f in cues]
    evidence, _ = _evidence(profile, cues, rates, 0)
    return evidence - sum(map(math.log, rates)) < -math.log(AGAINST)


def _decide(candidates: list[str], profiles: Mapping[str, _Profile], background: _Profile,
            item: PersonInput, value: str, named: set[str]) -> str | None:
    """The candidate DECISIVE times likelier than any other given what the article shows
    (the features any candidate shares with it: the words titling the mention, the people
    and countries around it, and articles near in time), or None when nothing decides.
    How often the archive names each candidate in full weighs in, but never alone: the
    article must show something of the winner, and nothing it shows may favour another
    candidate."""
    features, rates = _shown(item, value, named, background,
                             lambda f: any(profiles[n].features.get(f) for n in candidates))
    scores = []
    for name in candidates:
        evidence, seen = _evidence(profiles[name], features, rates, item.day)
        scores.append((evidence + math.log(profiles[name].articles), evidence, seen, name))
    scores.sort(reverse=True)
    best, second = scores[0], scores[1]
    decisive = best[0] - second[0] >= math.log(DECISIVE)
    return best[3] if decisive and best[2] and best[1] >= second[1] else None
