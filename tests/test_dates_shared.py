"""One date parser for the CLI, the web app and the query language (indexer/search/dates.py).

A partial date names a period: as a range start it means the period's first day, as a
range end its last day, and ``date:`` covers the whole period. So ``--from 1987-03 --to
1987-03``, ``from=1987-03&to=1987-03`` and ``date:1987-03`` find the same articles.
"""

from __future__ import annotations

import json
from datetime import date

import pytest
from click.testing import CliRunner

from indexer.cli import main
from indexer.search.dates import date_bounds, parse_date
from indexer.search.model import QueryError


def _cli_total(index, *args: str) -> int:
    result = CliRunner().invoke(main, ["search", *args, "--index", str(index),
                                       "--format", "json"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)["total"]


@pytest.mark.parametrize(("period", "first", "last"), [
    ("1987", date(1987, 1, 1), date(1987, 12, 31)),
    ("1987-03", date(1987, 3, 1), date(1987, 3, 31)),
    ("1988-02", date(1988, 2, 1), date(1988, 2, 29)),
    ("1987-03-02", date(1987, 3, 2), date(1987, 3, 2)),
])
def test_a_partial_date_is_a_period(period: str, first: date, last: date) -> None:
    assert date_bounds(period) == (first, last)
    assert (parse_date(period, end=False), parse_date(period, end=True)) == (first, last)


def test_cli_web_and_query_language_find_the_same_month(reuters_location, reuters_web) -> None:
    """The Reuters subset runs 26 Feb - 9 Mar 1987: March holds nine days of articles."""
    cli = _cli_total(reuters_location, "oil", "--from", "1987-03", "--to", "1987-03")
    web = reuters_web.get("/api/search?q=oil&from=1987-03&to=1987-03").get_json()["total"]
    language = _cli_total(reuters_location, "oil date:1987-03")
    first_day = _cli_total(reuters_location, "oil", "--from", "1987-03-01", "--to", "1987-03-01")
    assert cli == web == language
    assert cli > first_day > 0


def test_cli_year_range_reaches_the_end_of_the_year(reuters_location) -> None:
    assert _cli_total(reuters_location, "oil", "--to", "1987") == _cli_total(reuters_location, "oil")


@pytest.mark.parametrize("text", ["March", "1987-13", "1987-02-30", "87"])
def test_every_entry_point_refuses_a_bad_date_with_one_message(text: str, reuters_index,
                                                              reuters_web) -> None:
    with pytest.raises(QueryError) as exc:
        parse_date(text, end=False)
    message = str(exc.value)
    result = CliRunner().invoke(main, ["search", "oil", "--from", text, "--index",
                                       str(reuters_index)])
    assert result.exit_code == 2 and message in result.output
    assert reuters_web.get(f"/api/search?q=oil&from={text}").get_json()["error"]["message"] \
        == message
    language = CliRunner().invoke(main, ["search", f"oil date:{text}", "--index",
                                         str(reuters_index)])
    assert language.exit_code == 2 and "cannot read the date" in language.output
