"""Entity extraction: people, organisations, countries and dates from one article.

Pure functions with no I/O after the gazetteers are loaded (lazily, once per process),
so they run in worker processes and can be tested and benchmarked on their own.
Organisations are found first, because a name the article shows to be a firm ("Merrill
Lynch and Co") is no person anywhere in it; people come next, because their names tell
the country matcher which "Jordan" is a person. Both read the same capitalised spans.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from indexer.article import Article
from indexer.extract import countries as _countries
from indexer.extract import cues as _cues
from indexer.extract import dates as _dates
from indexer.extract import organisations as _organisations
from indexer.extract import people as _people


@dataclass(frozen=True)
class Entities:
    """What the facets are built from, with one canonical spelling per value."""

    people: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    country_codes: tuple[str, ...] = ()
    published: datetime | date | None = None
    mentioned: tuple[str, ...] = ()  # ISO-like: "2018-05-12", "2018-06", "2018", "1970s"
    # The subset of ``countries`` the story is about (dateline, headline, lead, or named
    # twice), like the PLACES tags wire editors assign; a narrower facet than mentions.
    main_countries: tuple[str, ...] = ()
    organizations: tuple[str, ...] = ()
    # The words titling each person in the body ("Baker": treasury, secretary), the
    # evidence the archive-wide step (indexer.archive) decides ambiguous surnames by.
    person_cues: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Name keys of what the article calls a work, a band or a team ("film Vera Drake"):
    # the archive takes a name it calls so more often than a person out of the people.
    things: tuple[str, ...] = ()
    # The body holds a team line-up ("Man Utd: Carroll, G Neville, Brown ..."): a match
    # report, whose surnames the archive gives only to players.
    line_up: bool = False


def extract(article: Article) -> Entities:
    """People, organisations, countries (names and ISO codes) and dates of one article."""
    body = article.body
    spans = _people.body_spans(body)
    orgs = _organisations.organisations_in(body, spans, _people.employer(body, _people.given_names()))
    people, person_spans, line_up, things = _people.people_in(article.title, body, spans=spans,
                                                              not_people=orgs.not_people)
    published = article.published or _dates.infer_published(article.dateline, article.text)
    person_words = {word for name in people for word in name.split()}
    # Person spans are body offsets; the title is matched on its own, and a country in
    # the headline is always a main one.
    mentioned, main = _countries.countries_in(
        body, dateline=article.dateline, published=published, person_spans=person_spans, person_words=person_words
    )
    in_title, _ = _countries.countries_in(article.title, published=published, person_words=person_words)
    countries = list(dict.fromkeys(mentioned + in_title))
    return Entities(
        people=tuple(people),
        person_cues=tuple(_cues.person_cues(body, people).items()),
        things=tuple(sorted(things)),
        line_up=line_up,
        organizations=orgs.names,
        countries=tuple(c.name for c in countries),
        country_codes=tuple(dict.fromkeys(c.code for c in countries)),
        main_countries=tuple(c.name for c in countries if c in main or c in in_title),
        published=published,
        mentioned=tuple(_dates.mentioned_dates(article.text, published)),
    )
