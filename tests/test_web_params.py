"""The URL <-> SearchRequest mapping, the link builder, the timeline and the filters."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import parse_qsl

import pytest
from werkzeug.datastructures import MultiDict

from indexer.search.dates import parse_date
from indexer.search.model import QueryError
from indexer.search.urlstate import search_request
from webapp.filters import mark, paragraphs, rfc3339, safe_url, when
from webapp.params import active_filters, changed
from webapp.timeline import build_chart


def test_every_parameter_reaches_the_request() -> None:
    args = MultiDict([
        ("q", "oil"), ("person", "James Baker"), ("person", "Reagan"), ("country", "Japan"),
        ("about", "Kuwait"), ("source", "reuters"), ("xperson", "Subroto"), ("xcountry", "Iran"),
        ("xabout", "Iraq"), ("xsource", "bbc"), ("from", "1987-03"), ("to", "1987-03"),
        ("sort", "oldest"), ("page", "2"), ("limit", "20"), ("dupkey", "reuters-9"), ("all", "1"),
        ("people_prefix", "ba"), ("about_prefix", "ku")])
    req = search_request(args)
    assert req.query == "oil"
    assert req.people == ("James Baker", "Reagan") and req.countries == ("Japan",)
    assert req.about == ("Kuwait",) and req.exclude_about == ("Iraq",)
    assert req.sources == ("reuters",) and req.exclude_sources == ("bbc",)
    assert req.exclude_people == ("Subroto",) and req.exclude_countries == ("Iran",)
    assert (req.date_from, req.date_to) == (date(1987, 3, 1), date(1987, 3, 31))
    assert (req.sort, req.page, req.limit) == ("oldest", 2, 20)
    assert req.dupkey == "reuters-9" and req.fold_duplicates is False
    assert req.facet_prefix == {"people": "ba", "about": "ku"}


def test_defaults_sort_by_relevance_only_with_a_query() -> None:
    assert search_request(MultiDict({"q": "oil"})).sort == "relevance"
    assert search_request(MultiDict()).sort == "newest"
    assert search_request(MultiDict()).fold_duplicates is True


def test_fixed_fields_override_the_url() -> None:
    req = search_request(MultiDict({"sort": "oldest"}), sort="newest", people=("X",))
    assert req.sort == "newest" and req.people == ("X",)


@pytest.mark.parametrize(("text", "end", "expected"), [
    ("1987", False, date(1987, 1, 1)), ("1987", True, date(1987, 12, 31)),
    ("1988-02", True, date(1988, 2, 29)), ("1987-03-02", True, date(1987, 3, 2)),
])
def test_partial_dates_cover_their_whole_period(text: str, end: bool, expected: date) -> None:
    assert parse_date(text, end=end) == expected


@pytest.mark.parametrize("args", [
    {"page": "x"}, {"page": "0"}, {"page": "100000"}, {"limit": "1000"}, {"limit": "-1"},
    {"from": "March"}, {"to": "1987-13"}, {"from": "1987-02-30"}, {"sort": "random"},
    {"from": "1988", "to": "1987"}, {"q": "x" * 3000}, {"person": "x" * 500},
    {"people_prefix": "y" * 500},
])
def test_bad_parameters_raise_query_errors_with_a_message(args: dict[str, str]) -> None:
    with pytest.raises(QueryError) as info:
        search_request(MultiDict(args))
    assert str(info.value)


def test_too_many_values_of_one_parameter() -> None:
    with pytest.raises(QueryError, match="at most"):
        search_request(MultiDict([("country", f"c{i}") for i in range(30)]))


def test_changed_adds_removes_and_resets_the_page() -> None:
    args = MultiDict([("q", "oil"), ("person", "A"), ("page", "3")])
    assert parse_qsl(changed(args, add=[("person", "B")])) == [
        ("q", "oil"), ("person", "A"), ("person", "B")]
    assert parse_qsl(changed(args, remove=[("person", "A")])) == [("q", "oil")]
    assert parse_qsl(changed(args, set={"page": 4})) == [("q", "oil"), ("person", "A"),
                                                          ("page", "4")]
    assert ("page", "3") in parse_qsl(changed(args, set={"chart": "share"}))
    assert parse_qsl(changed(args, set={"q": None})) == [("person", "A")]


def test_active_filters_link_to_the_search_without_them() -> None:
    args = MultiDict([("q", "oil"), ("person", "A"), ("xcountry", "Iran"), ("from", "1987"),
                      ("about", "Kuwait"), ("xabout", "Iraq")])
    chips = active_filters(args)
    assert [(c.kind, c.label, c.value) for c in chips] == [
        ("include", "Person", "A"), ("include", "Mainly about", "Kuwait"),
        ("exclude", "Not country", "Iran"), ("exclude", "Not mainly about", "Iraq"),
        ("other", "From", "1987")]
    assert parse_qsl(chips[2].remove) == [("q", "oil"), ("person", "A"), ("from", "1987"),
                                          ("about", "Kuwait"), ("xabout", "Iraq")]


def test_timeline_bars_scale_and_link_to_their_bucket() -> None:
    chart = build_chart("month", [("1987-02", 5, 50), ("1987-03", 10, 200), ("1987-04", 0, 10)],
                        "count", lambda label: f"/?from={label}&to={label}")
    assert chart is not None and chart.peak == "10"
    assert [b.height for b in chart.bars] == [50.0, 100.0, 0.0]
    assert chart.bars[0].href == "/?from=1987-02&to=1987-02"
    assert "5 articles of 50 (10.0%)" in chart.bars[0].title
    share = build_chart("month", [("1987-02", 5, 50), ("1987-03", 10, 200)], "share", str)
    assert share.peak == "10.0%" and share.bars[0].height == 100.0
    assert build_chart("year", [], "count", str) is None


def test_mark_escapes_the_text_and_adds_only_mark_tags() -> None:
    assert str(mark("a b <c>", [(2, 3)])) == "a <mark>b</mark> &lt;c&gt;"
    assert str(mark("<mark>x</mark><script>", [(6, 7)])) == (
        "&lt;mark&gt;<mark>x</mark>&lt;/mark&gt;&lt;script&gt;")
    assert str(mark("<b>&", [(0, 4)])) == "<mark>&lt;b&gt;&amp;</mark>"


def test_paragraph_spans_are_shifted_to_each_paragraph() -> None:
    text = "one <two>\n\n  three\n \n\nfour four"
    spans = [(0, 3), (13, 18), (22, 26), (27, 31)]
    assert [text[s:e] for s, e in spans] == ["one", "three", "four", "four"]
    assert [str(p) for p in paragraphs(text, spans)] == [
        "<mark>one</mark> &lt;two&gt;", "  <mark>three</mark>",
        "<mark>four</mark> <mark>four</mark>"]
    assert [str(p) for p in paragraphs("a\n\nb")] == ["a", "b"]


def test_small_filters() -> None:
    assert safe_url("javascript:alert(1)") == "" and safe_url("https://x.org/a") == "https://x.org/a"
    assert when(None) == "undated" and when(datetime(1987, 3, 2, 15, 4), True) == "2 Mar 1987 15:04"
    assert rfc3339(datetime(1987, 3, 2, 15, 4)) == "1987-03-02T15:04:00Z"
