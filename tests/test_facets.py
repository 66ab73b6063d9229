"""Facet counts follow the query and filters and equal a brute-force count of the hits."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from importlib import resources

import pycountry
import pytest

from indexer.engines.whoosh.engine import WhooshEngine
from indexer.search.engine import Engine
from indexer.search.model import QueryError, SearchRequest


@pytest.fixture(scope="module")
def engine(reuters_engine) -> Engine:
    """Each test runs on both engines (conftest.ENGINES)."""
    return reuters_engine


def brute_force(engine: Engine, req: SearchRequest) -> dict[str, Counter]:
    counts = {"people": Counter(), "countries": Counter(), "about": Counter(),
              "months": Counter()}
    for hit in engine.export(req):
        counts["people"].update(hit.people)
        counts["countries"].update(hit.countries)
        counts["about"].update(hit.about)
        if hit.published:
            counts["months"][hit.published.strftime("%Y-%m-%d")] += 1
    return counts


@pytest.mark.parametrize("req", [
    SearchRequest(query="oil prices", facet_limit=1000),
    SearchRequest(query="trade", countries=("Japan",), facet_limit=1000),
    SearchRequest(query="bank OR banks", exclude_countries=("United States",), facet_limit=1000),
    SearchRequest(query="", people=("James Baker", "Paul Volcker"), facet_limit=1000),
    SearchRequest(query="oil", about=("Saudi Arabia", "Kuwait"), exclude_about=("Iran",),
                  facet_limit=1000),
], ids=["words", "filtered", "excluded", "people-or", "about"])
def test_counts_equal_a_brute_force_count(engine, req):
    result = engine.search(req)
    expected = brute_force(engine, req)
    for facet in ("people", "countries", "about"):
        assert {v.value: v.count for v in result.facets[facet]} == dict(expected[facet])
    assert result.dates.interval == "day"
    assert {b.value: b.count for b in result.dates.buckets if b.count} == dict(expected["months"])
    assert sum(b.count for b in result.dates.buckets) == result.total


@pytest.mark.parametrize("facet", ["countries", "about"])
def test_counts_change_with_a_filter(engine, facet):
    broad = engine.search(SearchRequest(query="trade"))
    narrow = engine.search(SearchRequest(query="trade", **{facet: ("Japan",)}))
    japan = next(v for v in broad.facets[facet] if v.value == "Japan")
    assert narrow.total == japan.count < broad.total
    assert narrow.facets[facet][0].value == "Japan"
    assert narrow.facets[facet][0].count == narrow.total
    assert narrow.facets[facet][0].selected


@pytest.mark.parametrize("facet", ["countries", "about"])
def test_selected_value_stays_visible_beyond_the_limit(engine, facet):
    all_values = engine.search(SearchRequest(query="trade", facet_limit=1000)).facets[facet]
    rare = all_values[-1]
    result = engine.search(SearchRequest(query="trade", facet_limit=3, **{facet: (rare.value,)}))
    shown = {v.value: v for v in result.facets[facet]}
    assert rare.value in shown and shown[rare.value].selected


def test_about_lists_what_a_story_is_about_not_every_mention(engine):
    """reuters-192, a Philadelphia story about a US trial, says "12 other trials involving
    the drug, 10 in the U.S. and two in West Germany": West Germany is mentioned, but the
    story is not about it (Reuters tagged it usa only)."""
    story = engine.article("reuters-192")
    assert story.countries == ["United States", "West Germany"]
    assert story.about == ["United States"]
    everything = engine.search(SearchRequest(facet_limit=1000))
    mentions = {v.value: v.count for v in everything.facets["countries"]}
    about = {v.value: v.count for v in everything.facets["about"]}
    # A story is about a subset of the countries it mentions, so no count can be higher.
    assert about["West Germany"] < mentions["West Germany"]
    assert all(count <= mentions[value] for value, count in about.items())


def test_search_inside_a_facet(engine):
    values = engine.search(SearchRequest(query="", facet_prefix={"people": "ba"},
                                         facet_limit=50)).facets["people"]
    assert values and all(any(w.lower().startswith("ba") for w in v.value.split())
                          for v in values)
    assert "James Baker" in {v.value for v in values}


def test_unknown_facet_is_refused(engine):
    with pytest.raises(QueryError, match="unknown facet"):
        SearchRequest(facet_prefix={"colour": "x"})
    with pytest.raises(QueryError, match="unknown facet"):
        engine.facet_values("colour")


def test_histogram_interval_follows_the_span(engine, corpus_index):
    assert engine.search(SearchRequest(query="oil")).dates.interval == "day"
    wide = WhooshEngine(corpus_index).search(SearchRequest(query="")).dates
    assert wide.interval == "month"
    assert [b.value for b in wide.buckets][:2] == ["2016-04", "2016-05"]


def test_autocomplete_values_over_the_whole_index(engine):
    values = engine.facet_values("countries", prefix="jap")
    assert values[0].value == "Japan" and values[0].count > 100


@lru_cache(maxsize=1)
def country_forms() -> dict[str, set[str]]:
    """Canonical country name -> every way a text may name it, read from the data files
    (pycountry, countries.tsv, places.tsv) rather than from the extractor's code: its
    names, aliases, demonyms, cities and, for the United States, its states."""
    from indexer.extract.countries import _US_STATE_ABBREVIATIONS, _US_STATES

    by_code = {c.alpha_2: {c.name, getattr(c, "common_name", c.name),
                           getattr(c, "official_name", c.name)} for c in pycountry.countries}
    code_of = {getattr(c, "common_name", None) or c.name: c.alpha_2 for c in pycountry.countries}
    data = resources.files("indexer.extract.data")
    for line in data.joinpath("countries.tsv").read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, code, aliases, demonyms = (line.split("\t") + ["", "", ""])[:4]
            code_of[name] = code
            by_code.setdefault(code, set()).update({name, *aliases.split("|"),
                                                    *demonyms.split("|")} - {""})
    for line in data.joinpath("places.tsv").read_text("utf-8").splitlines():
        if not line.startswith("#"):
            place, code, _ = line.split("\t")
            by_code.setdefault(code, set()).add(place)
    by_code["US"].update(_US_STATES, {f"{a.title()}." for a in _US_STATE_ABBREVIATIONS},
                         {"N.H.", "N.J.", "N.Y.", "N.C.", "S.C.", "D.C."})
    return {name: by_code[code] for name, code in code_of.items() if code in by_code}


def names_country(country: str, text: str) -> bool:
    forms = sorted(country_forms()[country], key=len, reverse=True)
    return bool(re.search("|".join(re.escape(f) for f in forms), text, re.IGNORECASE))


def test_counted_articles_name_the_value_in_their_text(engine):
    """The brute-force count above reads the same stored lists the facet columns come
    from, so a wrong extraction passes it. Here every article a facet value counts must
    name it in its text: a country by one of its names, aliases, demonyms or places, a
    person by surname."""
    req = SearchRequest(query="trade OR oil OR bank", facet_limit=1000)
    result = engine.search(req)
    hits = engine.export(req)
    text = {h.id: (lambda a: f"{a.title}\n{a.dateline}\n{a.body}")(engine.article(h.id))
            for h in hits}
    checked = 0
    for facet in ("countries", "about", "people"):
        for value in result.facets[facet][:30]:
            counted = [h.id for h in hits if value.value in getattr(h, facet)]
            assert len(counted) == value.count
            for article_id in counted:
                if facet == "people":
                    surname = value.value.split()[-1]
                    assert re.search(rf"\b{re.escape(surname)}\b", text[article_id], re.I), \
                        (value.value, article_id)
                else:
                    assert names_country(value.value, text[article_id]), (value.value, article_id)
                checked += 1
    assert checked > 1000
