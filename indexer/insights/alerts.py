"""Alerts: the new matches of every saved search, for ``newsearch alerts`` (cron, mail).

Without ``since``, each search reports what arrived after its ``alerted`` mark (set at
the save, then moved by every run that reports from it), so a daily cron job mails each
article once. The mark is the index's newest stamp taken *before* searching: an article
committed while the run searches is reported again next time rather than never (at least
once, never lost). With ``since`` the run looks back from that moment and moves no mark.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from indexer.insights.saved import SavedSearch, SavedStore, new_since
from indexer.search.engine import EXPORT_CAP, Engine
from indexer.search.model import Hit, QueryError


@dataclass(frozen=True)
class Alert:
    """One saved search's new matches (newest first), or the reason it could not run."""

    saved: SavedSearch
    since: datetime | None
    hits: list[Hit]
    error: str = ""

    def to_json(self) -> dict[str, object]:
        return {"name": self.saved.name, "state": self.saved.state,
                "since": self.since.isoformat() if self.since else None,
                "new": len(self.hits), "error": self.error or None,
                "hits": [h.to_json() for h in self.hits]}


def run_alerts(store: SavedStore, engine: Engine, since: datetime | None = None,
               names: tuple[str, ...] = (), cap: int = EXPORT_CAP) -> list[Alert]:
    """Every saved search's (or the named ones') new matches, up to ``cap`` each.
    Raises AlertsUnavailable for an index that records no arrival times."""
    mark = engine.latest_added()  # AlertsUnavailable on an index made before "added"
    chosen = [store.get(n) for n in names] if names else store.all()
    alerts = []
    for saved in chosen:
        start = since if since is not None else saved.alerted
        try:
            hits = engine.export(new_since(saved, start), cap=cap)
        except QueryError as exc:  # e.g. a search the engine's limits now refuse
            alerts.append(Alert(saved, start, [], str(exc)))
            continue
        alerts.append(Alert(saved, start, hits))
        if since is None and mark is not None:
            store.update(replace(saved, alerted=mark))
    return alerts
