"""When an article entered the index: the ``added`` field both engines store.

Alerts on saved searches ask "which articles arrived after this moment?", which the
publication date cannot answer (an archive is often indexed long after publication, and
in any order). Each indexing run stamps the articles it writes with one moment, the
run's start, as whole microseconds since the Unix epoch (UTC): an integer compares
exactly on both engines (OpenSearch's ``date`` type keeps milliseconds only).

An article re-written with the same content (another article of its file changed)
keeps its stamp; one whose content changed gets the run's stamp, so it counts as new
to a reader following a search (it is, in the version they have not read). Files that
did not change are not read again, so their articles keep their stamps.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from indexer.search.model import QueryError

FIELD = "added"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class AlertsUnavailable(QueryError):
    """The index was built before newsearch recorded when articles arrive."""


def unavailable(location: object) -> AlertsUnavailable:
    """The one message for an index without ``added`` (alerts and "N new")."""
    return AlertsUnavailable(
        f"the index at {location} does not record when articles were added (it was built "
        f"by an older newsearch), so there is nothing to count as new; rebuild it with: "
        f"newsearch index PATH --index {location} --rebuild")


def now_stamp() -> int:
    """This moment as an ``added`` value."""
    return time.time_ns() // 1000


def to_stamp(moment: datetime) -> int:
    """A moment as an ``added`` value (a naive datetime is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH) // timedelta(microseconds=1)


def to_moment(stamp: int) -> datetime:
    """An ``added`` value as an aware UTC datetime."""
    return _EPOCH + timedelta(microseconds=int(stamp))
