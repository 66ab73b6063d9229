"""The records that flow from readers to the index.

Readers yield :class:`Article` for every good record and :class:`Problem` for every
bad one, so one broken file never stops a run: the indexer counts and reports problems
and indexes everything else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class Article:
    """One news article as read from disk, before entity extraction.

    ``id`` is stable across runs (derived from the source, e.g. ``reuters-17``,
    ``bbc-sport-199`` or the file's relative path), so re-indexing replaces documents
    instead of duplicating them.
    """

    id: str
    title: str
    body: str
    source: str
    path: str = ""
    published: datetime | date | None = None
    dateline: str = ""
    authors: tuple[str, ...] = ()
    url: str = ""
    category: str = ""
    gold_places: tuple[str, ...] = ()
    gold_people: tuple[str, ...] = ()
    extra: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def content_hash(self) -> str:
        """Hash of everything indexed, so unchanged articles can be skipped on re-runs."""
        h = hashlib.sha1()
        for part in (self.title, self.body, str(self.published or ""), self.dateline,
                     "|".join(self.authors), self.url, self.category,
                     "|".join(self.gold_places), "|".join(self.gold_people)):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()

    @property
    def text(self) -> str:
        """Title and body together, the text entities are extracted from."""
        return f"{self.title}\n\n{self.body}" if self.title else self.body


@dataclass(frozen=True)
class Problem:
    """A file or record that could not be read, with a reason a user can act on."""

    path: str
    kind: str
    reason: str
    skipped: bool = True  # False: a warning, the article was indexed anyway

    def __str__(self) -> str:
        return f"{self.path}: {self.kind}: {self.reason}"
