"""The one reader of the dates people type: ``2018``, ``2018-05`` or ``2018-05-31``.

The CLI's ``--from``/``--to``, the web app's ``from=``/``to=`` and the query language's
``date:`` all call :func:`date_bounds`, so a partial date means the same period
everywhere: ``--to 1987-03`` reaches the end of March, as ``date:1987-03`` does.
Engine-neutral: plain ``datetime.date`` values, errors as :class:`QueryError`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from indexer.search.model import QueryError

DATE_FORMS = "2018-05-31, 2018-05 or 2018"
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def date_bounds(text: str) -> tuple[date, date]:
    """The first and last day of the year, month or day that ``text`` names."""
    m = _ISO.match(text.strip())
    if not m:
        raise QueryError(f"{text!r} is not a date like {DATE_FORMS}")
    year, month, day = (int(g) if g else None for g in m.groups())
    try:
        if month is None:
            return date(year, 1, 1), date(year, 12, 31)
        if day is None:
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        one = date(year, month, day)
    except ValueError:
        raise QueryError(f"{text!r} is not a valid date") from None
    return one, one


def parse_date(text: str, *, end: bool) -> date:
    """A date as a range start (its first day) or a range end (its last day).

    ``to=1987-03`` means "up to the end of March 1987", so a timeline bar's label can be
    used as both ends of its own range.
    """
    first, last = date_bounds(text)
    return last if end else first
