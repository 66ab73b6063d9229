"""The query language, feature by feature, on real Reuters-21578 articles."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from indexer.search.engine import Engine
from indexer.search.model import QueryError, SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    """Each test runs on both engines (conftest.ENGINES)."""
    return reuters_engine


def ids(engine: Engine, query: str = "", **filters) -> set[str]:
    result = engine.export(SearchRequest(query=query, **filters))
    return {h.id for h in result}


def texts(engine: Engine, query: str) -> list[str]:
    return [f"{a.title}\n{a.body}" for a in map(engine.article, ids(engine, query))]


def test_words_are_anded(engine):
    both = ids(engine, "money supply")
    assert both and both == ids(engine, "money") & ids(engine, "supply")


def test_phrase_is_narrower_than_its_words(engine):
    phrase, words = ids(engine, '"money supply"'), ids(engine, "money supply")
    assert phrase and phrase < words
    assert all(re.search(r"money\s+suppl", t, re.I) for t in texts(engine, '"money supply"'))


def test_proximity_widens_a_phrase(engine):
    assert ids(engine, '"bank rates"') <= ids(engine, '"bank rates"~3')
    assert len(ids(engine, '"bank rates"~3')) > len(ids(engine, '"bank rates"'))


def test_stemming_both_ways(engine):
    assert ids(engine, "shipments") == ids(engine, "shipment") != set()
    assert ids(engine, "exporting") == ids(engine, "exports")


def test_or_not_minus_and_groups(engine):
    cocoa, coffee, brazil = ids(engine, "cocoa"), ids(engine, "coffee"), ids(engine, "brazil")
    assert ids(engine, "cocoa OR coffee") == cocoa | coffee
    assert ids(engine, "brazil NOT coffee") == brazil - coffee == ids(engine, "brazil -coffee")
    assert ids(engine, "(cocoa OR coffee) brazil") == (cocoa | coffee) & brazil


def test_wildcard_and_fuzzy(engine):
    assert ids(engine, "cocoa") < ids(engine, "coco*")
    assert ids(engine, "cocoa") <= ids(engine, "cocoa~")
    assert ids(engine, "cocoe~") >= ids(engine, "cocoa")


def test_title_field(engine):
    in_title = ids(engine, "title:cocoa")
    assert in_title and in_title <= ids(engine, "cocoa")
    assert all("COCOA" in engine.article(i).title for i in in_title)


def test_person_and_country_fields(engine):
    baker = ids(engine, 'person:"James Baker"')
    assert baker and all("James Baker" in engine.article(i).people for i in baker)
    japan = ids(engine, "country:japan")
    assert japan == ids(engine, countries=("Japan",))
    assert ids(engine, 'country:"west germany"') == ids(engine, countries=("West Germany",))


def test_about_field_finds_what_stories_are_about(engine):
    assert ids(engine, "about:japan") == ids(engine, about=("Japan",))
    about = ids(engine, 'about:"west germany"')
    assert about == ids(engine, about=("West Germany",))
    # "10 in the U.S. and two in West Germany" (reuters-192) mentions it in passing.
    assert about < ids(engine, 'country:"west germany"')
    assert "reuters-192" in ids(engine, 'country:"west germany"') - about


def test_source_field(engine):
    assert ids(engine, "source:reuters cocoa") == ids(engine, "cocoa")
    assert ids(engine, "source:bbc cocoa") == set()


@pytest.mark.parametrize("query, first, last", [
    ("date:1987-03", date(1987, 3, 1), date(1987, 3, 31)),
    ("date:[1987-03-02 to 1987-03-03]", date(1987, 3, 2), date(1987, 3, 3)),
    ("date:1987-03-04", date(1987, 3, 4), date(1987, 3, 4)),
    ("date:>1987-03-05", date(1987, 3, 6), date(1987, 12, 31)),
    ("date:>=1987-03-05", date(1987, 3, 5), date(1987, 12, 31)),
])
def test_date_ranges(engine, query, first, last):
    found = ids(engine, query)
    assert found
    for doc_id in found:
        assert first <= engine.article(doc_id).published.date() <= last
    assert found == ids(engine, "", date_from=first, date_to=last)


def test_date_year_matches_everything_from_1987(engine):
    assert len(ids(engine, "date:1987")) == engine.stats().documents


def test_exclusion_filters(engine):
    oil = ids(engine, "oil")
    without = ids(engine, "oil", exclude_countries=("United States",))
    assert without < oil
    assert all("United States" not in engine.article(i).countries for i in without)
    # Leaving out stories about the US keeps those that only mention it.
    not_about = ids(engine, "oil", exclude_about=("United States",))
    assert without < not_about < oil
    assert all("United States" not in engine.article(i).about for i in not_about)


@pytest.mark.parametrize("facet", ["countries", "about"])
def test_filters_or_within_and_across(engine, facet):
    japan, uk = ids(engine, **{facet: ("Japan",)}), ids(engine, **{facet: ("United Kingdom",)})
    assert ids(engine, **{facet: ("Japan", "United Kingdom")}) == japan | uk
    baker = ids(engine, people=("James Baker",))
    assert ids(engine, people=("James Baker",), **{facet: ("Japan",)}) == baker & japan


def test_published_dates_are_iso_in_json(engine):
    hit = engine.search(SearchRequest(query="cocoa")).to_json()["hits"][0]
    assert datetime.fromisoformat(hit["published"]).year == 1987


def test_unknown_field_is_a_clear_error(engine):
    with pytest.raises(QueryError, match="unknown field 'author:'"):
        engine.search(SearchRequest(query="author:smith"))


@pytest.mark.parametrize("query, filters, left_out", [
    ("", {"exclude_countries": ("Japan",)}, ("", {"countries": ("Japan",)})),
    ("", {"exclude_people": ("James Baker",)}, ("", {"people": ("James Baker",)})),
    ("", {"exclude_about": ("Japan",)}, ("", {"about": ("Japan",)})),
    ("", {"exclude_sources": ("reuters",)}, ("", {"sources": ("reuters",)})),
    ("-oil", {}, ("oil", {})),
    ("NOT oil", {}, ("oil", {})),
    ("-country:japan", {}, ("country:japan", {})),
    ("-country:japan -oil", {}, ("country:japan OR oil", {})),
    ("*", {"exclude_countries": ("Japan",)}, ("", {"countries": ("Japan",)})),
], ids=["xcountry", "xperson", "xabout", "xsource", "-oil", "NOT oil", "-country", "two-nots",
        "star-xcountry"])
def test_an_exclusion_alone_is_everything_but_the_excluded(engine, query, filters, left_out):
    """Each of these returned every article (issue 17): Whoosh's normalize() turned
    And([Every(), Not(x)]) into Every(), and a lone Not matched everything."""
    everything = ids(engine)
    excluded = ids(engine, left_out[0], **left_out[1])
    assert excluded  # (every article here is from Reuters: xsource=reuters leaves none)
    assert ids(engine, query, **filters) == everything - excluded
    assert engine.search(SearchRequest(query=query, **filters)).total == \
        len(everything) - len(excluded)


@pytest.mark.parametrize("field, attribute", [("person", "people"), ("country", "countries"),
                                              ("about", "about"), ("source", "source")])
def test_field_star_means_any_value_and_minus_field_star_none(engine, field, attribute):
    every = {h.id: h for h in engine.export(SearchRequest())}
    having = {i for i, h in every.items() if getattr(h, attribute)}
    assert ids(engine, f"{field}:*") == having
    assert ids(engine, f"-{field}:*") == set(every) - having
    assert ids(engine, f"oil -{field}:*") == ids(engine, "oil") - having
    if field != "source":  # every Reuters article has a source
        assert 0 < len(having) < len(every)


def test_double_negation_is_explained(engine):
    for query in ("NOT NOT oil", "oil NOT NOT gas", "NOT -oil", "-NOT oil", "x NOT NOT y"):
        with pytest.raises(QueryError) as exc:
            engine.search(SearchRequest(query=query))
        assert str(exc.value) == ("NOT NOT: a NOT (or -) needs a word, phrase or (group) after "
                                  "it, not another NOT; remove both to search for the word")
