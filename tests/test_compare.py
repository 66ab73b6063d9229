"""Compare queries over time (issue 14), on both engines: every series has the same
buckets, each bucket count is that search's own count for the period, totals are the
searches' totals, share = count / all articles of the bucket; the API, the CLI and the
page say the same, and bad input gets a message (400, exit code 2), never a traceback."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.insights.compare import MAX_SERIES, compare
from indexer.search.histogram import INTERVALS, label_range
from indexer.search.model import QueryError, SearchRequest

QUERIES = ["oil", "bank country:japan", "coffee country:brazil", "tonnes -wheat"]


def _total(engine, query: str, **dates) -> int:
    return engine.search(SearchRequest(query=query, with_facets=False, highlight=False,
                                       fold_duplicates=False, **dates)).total


def test_every_series_shares_the_buckets_and_sums_to_its_search(reuters_engine):
    found = compare(reuters_engine, QUERIES)
    labels = [b.value for b in found.series[0].buckets]
    assert found.interval == "day" and labels[0] == "1987-02-26" and len(labels) > 5
    for series in found.series:
        assert [b.value for b in series.buckets] == labels
        assert series.total == _total(reuters_engine, series.query) > 0
        assert sum(b.count for b in series.buckets) == series.total  # every article dated
        for b in series.buckets[::3]:  # each bucket: the same search narrowed to it
            first, last = label_range(b.value, found.interval)
            assert b.count == _total(reuters_engine, series.query, date_from=first,
                                     date_to=last)


def test_share_is_count_over_all_articles_of_the_bucket(reuters_engine):
    found = compare(reuters_engine, ["oil", "*"])
    oil, everything = found.series
    assert everything.total == _total(reuters_engine, "*") == _total(reuters_engine, "")
    for b, all_ in zip(oil.buckets, everything.buckets, strict=True):
        assert b.all == all_.count == all_.all
        assert b.share == pytest.approx(b.count / b.all if b.all else 0.0)
        assert all_.share == (1.0 if all_.all else 0.0)


@pytest.mark.parametrize("interval", INTERVALS)
def test_the_interval_can_be_forced(reuters_engine, interval):
    found = compare(reuters_engine, ["oil", "coffee"], interval)
    assert found.interval == interval
    oil = found.series[0]
    assert sum(b.count for b in oil.buckets) == oil.total
    expected = {"year": ["1987"], "month": ["1987-02", "1987-03"],
                "week": ["1987-W09", "1987-W10", "1987-W11"]}
    if interval in expected:
        assert [b.value for b in oil.buckets] == expected[interval]


def test_a_date_range_bounds_the_buckets_and_the_counts(reuters_engine):
    first, last = date(1987, 3, 2), date(1987, 3, 4)
    found = compare(reuters_engine, ["oil"], "day", first, last)
    oil = found.series[0]
    assert [b.value for b in oil.buckets] == ["1987-03-02", "1987-03-03", "1987-03-04"]
    assert oil.total == _total(reuters_engine, "oil", date_from=first, date_to=last)
    assert sum(b.count for b in oil.buckets) == oil.total


def test_a_query_matching_nothing_still_has_every_bucket(reuters_engine):
    found = compare(reuters_engine, ["oil", "zzzyxqnotaword"])
    assert len(found.series[1].buckets) == len(found.series[0].buckets)
    assert found.series[1].total == 0 and not any(b.count for b in found.series[1].buckets)


@pytest.mark.parametrize("queries, message", [
    (["a", "b", "c", "d", "e", "f"], f"at most {MAX_SERIES} queries"),
    (["", "  "], "at least one query"),
    (["oil (grain"], "parenthes"),
])
def test_bad_queries_are_refused_with_a_message(reuters_engine, queries, message):
    with pytest.raises(QueryError, match=message):
        compare(reuters_engine, queries)


def test_the_api_returns_the_documented_shape(reuters_web, reuters_engine):
    resp = reuters_web.get("/api/compare?q=oil&q=coffee+country:brazil&interval=week")
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["interval"] == "week"
    assert [s["query"] for s in data["series"]] == ["oil", "coffee country:brazil"]
    assert set(data["series"][0]["buckets"][0]) == {"value", "count", "all", "share"}
    assert data == compare(reuters_engine, ["oil", "coffee country:brazil"], "week").to_json()


@pytest.mark.parametrize("query, message", [
    ("q=a&q=b&q=c&q=d&q=e&q=f", "at most 5"),
    ("q=oil&interval=fortnight", "interval must be one of"),
    ("q=oil+(grain", "parenthes"),
    ("q=oil&from=1987-13", "1987-13"),
    ("q=oil&from=1987-03-05&to=1987-03-01", "after"),
    ("q=oil&from=0001&to=9999&interval=day", "buckets"),
])
def test_the_api_answers_bad_input_with_400(reuters_web, query, message):
    resp = reuters_web.get(f"/api/compare?{query}")
    assert resp.status_code == 400
    assert message in resp.get_json()["error"]["message"]


def test_the_page_draws_one_line_per_series_with_a_legend(reuters_web):
    resp = reuters_web.get("/compare?q=oil&q=coffee&q=grain&chart=share")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert page.count('<polyline class="series-line') == 3
    assert page.count('class="legend-item"') == 3
    assert "Share of all articles" in page and 'id="compare-csv"' in page


def test_the_page_shows_bad_input_without_a_traceback(reuters_web):
    resp = reuters_web.get("/compare?q=oil+(grain")
    assert resp.status_code == 400
    assert "could not be run" in resp.get_data(as_text=True)
    assert reuters_web.get("/compare").status_code == 200  # the empty form


def test_the_csv_download_holds_every_series_and_bucket(reuters_web, reuters_engine):
    resp = reuters_web.get("/compare.csv?q=oil&q=coffee&interval=week")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    found = compare(reuters_engine, ["oil", "coffee"], "week")
    assert [(r["query"], r["bucket"], int(r["count"])) for r in rows] == [
        (s.query, b.value, b.count) for s in found.series for b in s.buckets]


def test_the_cli_prints_table_csv_and_json(reuters_location, reuters_engine):
    runner = CliRunner()
    args = ["compare", "oil", "coffee", "--by", "month", "--index", reuters_location]
    as_json = runner.invoke(main, [*args, "--format", "json"])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output) == compare(reuters_engine, ["oil", "coffee"],
                                                 "month").to_json()
    table = runner.invoke(main, args)
    assert table.output.splitlines()[0].split() == ["month", "oil", "coffee"]
    assert table.output.splitlines()[1].startswith("1987-02")
    as_csv = runner.invoke(main, [*args, "--format", "csv"])
    assert as_csv.output.splitlines()[0] == "query,bucket,count,all,share"


@pytest.mark.parametrize("args, message", [
    (["a", "b", "c", "d", "e", "f"], "at most 5"),
    (["oil (grain"], "parenthes"),
    (["oil", "--by", "fortnight"], "fortnight"),
])
def test_the_cli_refuses_bad_input_with_exit_code_2(reuters_location, args, message):
    result = CliRunner().invoke(main, ["compare", *args, "--index", reuters_location])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_the_archives_count_per_bucket_follows_an_update(writable_location, tmp_path):
    """The "all articles" of each bucket (share of the archive, bursts) may be kept
    between searches, but only until the index changes."""
    import time as clock

    from indexer.build import build_index
    from indexer.search.engine import open_engine
    from indexer.search.model import SearchRequest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    day = "1987-03-02"
    (corpus / "cocoa.txt").write_text(
        f"---\ntitle: Ghana cocoa crop forecast\ndate: {day}\n---\n"
        "ACCRA - Ghana's cocoa crop is expected to rise this season, traders said.\n", "utf-8")
    build_index([corpus], writable_location)
    engine = open_engine(writable_location)
    req = SearchRequest(query="cocoa", date_from=date(1987, 3, 1), date_to=date(1987, 3, 31))
    before = engine.search(req).dates.rows()
    (corpus / "tin.txt").write_text(
        f"---\ntitle: Bolivia tin output falls\ndate: {day}\n---\n"
        "LA PAZ - Bolivia's tin output fell in February, the mining ministry said.\n", "utf-8")
    build_index([corpus], writable_location)
    clock.sleep(1.2)  # past both engines' once-a-second look for a new index generation
    after = engine.search(req).dates.rows()
    assert [(b, n) for b, n, _ in after] == [(b, n) for b, n, _ in before]
    assert sum(t for _, _, t in after) == sum(t for _, _, t in before) + 1
