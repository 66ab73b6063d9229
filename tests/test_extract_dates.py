"""Dates facet rules (issue 5): publication date and mentioned dates at day, month,
year or decade precision, resolved against the publication date."""

from __future__ import annotations

from datetime import date, datetime

from indexer.article import Article
from indexer.extract import extract
from indexer.extract.dates import infer_published, mentioned_dates

WED_2_MAY_2018 = date(2018, 5, 2)


def test_weekday_is_the_most_recent_one_before_publication():
    # kono-pompeo-amman.txt: "agreed in Jordan on Monday"; "confirmed to his new post Thursday"
    assert mentioned_dates("The top Japanese and U.S. diplomats agreed in Jordan on Monday.", WED_2_MAY_2018) == [
        "2018-04-30"]
    assert mentioned_dates("was confirmed to his new post Thursday.", WED_2_MAY_2018) == ["2018-04-26"]


def test_weekday_in_a_future_sentence_is_the_next_one():
    # bbc/sport/426.txt: "Top seed Andy Roddick launches his defence ... on Wednesday" (future tense rephrased)
    assert mentioned_dates("Roddick will launch his defence of the title on Friday.", WED_2_MAY_2018) == [
        "2018-05-04"]
    assert mentioned_dates("They meet again next Monday.", WED_2_MAY_2018) == ["2018-05-07"]


def test_month_and_day_take_the_nearest_year():
    # kono-pompeo-amman.txt: "Ahead of a May 12 deadline"
    assert mentioned_dates("Ahead of a May 12 deadline for the U.S. to decide", WED_2_MAY_2018) == ["2018-05-12"]
    # bbc/business/166.txt: "It will go before the House of Commons on 23 February."
    assert mentioned_dates("on 23 February", date(2005, 1, 30)) == ["2005-02-23"]
    # reuters (published 2 March 1987): "for the week ended February 22"
    assert mentioned_dates("Arrivals for the week ended February 22 were 155,221 bags",
                           datetime(1987, 2, 26)) == ["1987-02-22"]


def test_month_alone_is_month_precision():
    # kono-pompeo-amman.txt: "expected by early June"; "met secretly with Kim in Pyongyang early in April"
    assert mentioned_dates("expected by early June", WED_2_MAY_2018) == ["2018-06"]
    assert mentioned_dates("met secretly with Kim in Pyongyang early in April.", WED_2_MAY_2018) == ["2018-04"]


def test_decades_and_years():
    # kono-pompeo-amman.txt; bbc/business/347.txt ("in the same period in 2003")
    assert mentioned_dates("abducted by North Korea during the 1970s and 1980s.", None) == ["1970s", "1980s"]
    assert mentioned_dates("rose from $64.4m in the same period in 2003", None) == ["2003"]
    assert mentioned_dates("the music of the '80s", None) == ["1980s"]


def test_full_dates_need_no_publication_date():
    # giveme5w1h 0e5fa7c0…: "November 8, 2016"; bbc/sport/087.txt "on 19 March" needs one
    assert mentioned_dates("-- James Melville (@JamesMelville) November 8, 2016", None) == ["2016-11-08"]
    assert mentioned_dates("in the women's 8km race on 19 March.", None) == []


def test_the_verb_may_is_not_a_month():
    # kono-pompeo-amman.txt: "the Trump administration may seek quick deals"
    assert mentioned_dates("the Trump administration may seek quick deals", WED_2_MAY_2018) == []


def test_relative_days():
    assert mentioned_dates("Police said yesterday that the driver had been arrested.", WED_2_MAY_2018) == [
        "2018-05-01"]


def test_published_comes_from_metadata_first():
    published = datetime(1987, 2, 26, 15, 1, 1)
    article = Article(id="t", title="", body="on March 3", source="test", published=published)
    assert extract(article).published == published


def test_published_is_inferred_from_dateline_or_text():
    assert infer_published("WASHINGTON, May 2, 2018", "") == date(2018, 5, 2)
    assert infer_published("", "-- Seattle Police Dept. (@SeattlePD) November 10, 2016") == date(2016, 11, 10)
    # BBC files carry no date at all
    assert extract(Article(id="t", title="Trial date is set for Balco case", body="A US judge has set a date.",
                           source="bbc")).published is None
