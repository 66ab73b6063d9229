"""Publication dates from metadata strings, strict enough to reject nonsense.

The fast stdlib parsers handle ISO 8601, RFC 2822 and most feeds; python-dateutil is the
fallback. Results are naive UTC datetimes because that is what the index stores.
"""

from __future__ import annotations

import email.utils
from datetime import UTC, date, datetime

from dateutil import parser as dateutil_parser

EARLIEST_YEAR = 1800
_DEFAULT_A = datetime(2000, 1, 1)
_DEFAULT_B = datetime(2001, 2, 2)


class BadDate(ValueError):
    """A date string that is present but cannot be a publication date."""


def _naive_utc(value: datetime) -> datetime:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def check_plausible(value: datetime) -> datetime:
    """Refuse years no news archive holds (year 0, 9999, far future)."""
    latest = datetime.now().year + 1
    if not EARLIEST_YEAR <= value.year <= latest:
        raise BadDate(f"year {value.year} is outside {EARLIEST_YEAR}-{latest}")
    return value


def parse_published(value: object) -> datetime | None:
    """Parse a metadata date; None when absent, BadDate when present but unusable."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, datetime):
        return check_plausible(_naive_utc(value))
    if isinstance(value, date):
        return check_plausible(datetime(value.year, value.month, value.day))
    text = str(value).strip()
    if not text or text.lower() in {"none", "null", "nan", "unknown"}:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            try:
                # Two different defaults show what the text left out: dateutil fills
                # missing parts from today ("2018" -> 2018-<this month>-<today>, "-1" ->
                # the 1st of this month). Year and month must be given; a missing day is 1.
                parsed = dateutil_parser.parse(text, default=_DEFAULT_A)
                other = dateutil_parser.parse(text, default=_DEFAULT_B)
            except (ValueError, OverflowError) as exc:
                raise BadDate(f"cannot read date {text[:40]!r}") from exc
            if (parsed.year, parsed.month) != (other.year, other.month):
                raise BadDate(f"incomplete date {text[:40]!r} (needs a year and a month)") from None
    return check_plausible(_naive_utc(parsed))


def published_or_warning(value: object) -> tuple[datetime | None, str | None]:
    """Like ``parse_published`` but turns a bad date into a warning, keeping the article."""
    try:
        return parse_published(value), None
    except BadDate as exc:
        return None, f"unusable date: {exc}"
