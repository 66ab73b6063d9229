"""A day-resolution date field whose query syntax is ISO dates.

Whoosh's DATETIME field indexes microsecond timestamps, so a one-month range expands to
thousands of trie terms (260 ms for ``prices`` in March 1987 on Reuters-21578). News
searches filter by day at most, so ``date`` indexes the day number (``date.toordinal()``):
a month is at most 31 terms. ``date:2018``, ``date:2018-05``, ``date:2018-05-12``,
``date:[2018-04-01 to 2018-05-31]`` and ``date:>2018-04-01`` parse here.
"""

from __future__ import annotations

from datetime import date

from whoosh import query
from whoosh.fields import NUMERIC
from whoosh.qparser.common import QueryParserError

from indexer.search.dates import date_bounds
from indexer.search.model import QueryError


def day_bounds(text: str) -> tuple[int, int]:
    """First and last day ordinal covered by ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``.

    The period comes from :func:`indexer.search.dates.date_bounds`, the parser that the
    CLI's and the web app's from/to also use, so ``date:1987-03`` and ``--to 1987-03``
    cover the same days.
    """
    try:
        first, last = date_bounds(text)
    except QueryError as exc:
        raise QueryParserError(f"cannot read the date: {exc}") from None
    return first.toordinal(), last.toordinal()


class DayField(NUMERIC):
    """Publication day as an indexed integer, queried with ISO dates."""

    def __init__(self) -> None:
        super().__init__(numtype=int, bits=32, signed=False, shift_step=4)

    def parse_query(self, fieldname: str, qstring: str, boost: float = 1.0) -> query.Query:
        first, last = day_bounds(qstring)
        return query.NumericRange(fieldname, first, last, boost=boost, constantscore=True)

    def parse_range(self, fieldname: str, start: str | None, end: str | None,
                    startexcl: bool, endexcl: bool, boost: float = 1.0) -> query.Query:
        low = high = None
        if start:
            first, last = day_bounds(start)
            low = last + 1 if startexcl else first
        if end:
            first, last = day_bounds(end)
            high = first - 1 if endexcl else last
        return query.NumericRange(fieldname, low, high, boost=boost, constantscore=True)


def day_range(first: date | None, last: date | None) -> query.Query:
    """The filter for articles published between two days, both included."""
    return query.NumericRange("date", first.toordinal() if first else None,
                              last.toordinal() if last else None, constantscore=True)
