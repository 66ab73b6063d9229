"""The sample article must come out exactly right on both facets (issue 5)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from indexer.extract import extract
from indexer.sources.plaintext import parse_text

SAMPLE = Path(__file__).resolve().parents[1].parent / "shared" / "samples" / "kono-pompeo-amman.txt"


@pytest.fixture(scope="module")
def entities():
    if not SAMPLE.is_file():
        pytest.skip(f"sample article not found at {SAMPLE} (../shared is absent)")
    article = parse_text(SAMPLE.read_text(encoding="utf-8"), id="kono", meta={"date": "2018-05-02"})
    return extract(article)


def test_people_are_exactly_the_five_full_names(entities):
    assert set(entities.people) == {"Taro Kono", "Mike Pompeo", "Kim Jong Un", "Donald Trump", "Benjamin Netanyahu"}


def test_countries_are_exactly_the_eight_named_ones(entities):
    assert set(entities.countries) == {
        "Japan", "United States", "Jordan", "North Korea", "Iran", "Saudi Arabia", "Israel", "South Korea",
    }
    assert set(entities.country_codes) == {"JP", "US", "JO", "KP", "IR", "SA", "IL", "KR"}


def test_mentioned_dates_resolve_against_publication_date(entities):
    # "on Monday" in an article of Wed 2 May 2018 is 30 April; "a May 12 deadline";
    # "expected by early June"; "confirmed ... Thursday"; "during the 1970s and 1980s".
    assert entities.published.date() == date(2018, 5, 2)
    assert {"2018-04-30", "2018-05-12", "2018-06", "2018-04-26", "1970s", "1980s"} <= set(entities.mentioned)


def test_without_a_date_relative_mentions_are_not_guessed():
    if not SAMPLE.is_file():
        pytest.skip(f"sample article not found at {SAMPLE} (../shared is absent)")
    article = parse_text(SAMPLE.read_text(encoding="utf-8"), id="kono")
    found = extract(article)
    assert found.published is None
    assert set(found.mentioned) == {"1970s", "1980s"}
