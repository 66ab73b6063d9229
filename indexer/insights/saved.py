"""Saved searches: a name and the search page's URL state, and the marks alerts count from.

A saved search is what a bookmark would be (the query string of the search page, so it
means what the page, the API and the exports mean by it) plus two marks:

- ``seen``: the index's newest ``added`` stamp (``Engine.latest_added``) when the user last
  opened the search from the list; "N new since you last looked" counts what arrived
  after it;
- ``alerted``: the same mark at the last ``newsearch alerts`` run, from which the next
  run reports.

The marks are index stamps, not wall-clock times: a Whoosh run makes all its articles
visible at its commit, stamped with the moment it started, so someone who looks while it
runs still gets them as new afterwards. Both marks start at the save.

Where they live follows the index location, as ``open_engine`` does: a SQLite database
inside a Whoosh index folder (``store.SAVED_DB``, which Whoosh's clean-up and
``--rebuild`` leave alone), or the OpenSearch index ``<name>-saved`` beside the alias,
created on demand (a rebuild swaps only the concrete index behind the alias). The same
place keeps the secret that signs the web app's CSRF tokens, so every worker process of
``newsearch serve`` agrees on it.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import unicodedata
from contextlib import closing
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit

from werkzeug.datastructures import MultiDict

from indexer.search.added import AlertsUnavailable, to_moment
from indexer.search.engine import Engine, is_server, resolve
from indexer.search.errors import IndexMissing
from indexer.search.model import QueryError, SearchRequest
from indexer.search.urlstate import search_request

MAX_NAME_CHARS = 100
MAX_STATE_CHARS = 4000
MAX_SAVED = 1000  # saved searches per index: a list people read, not a database
#: Parameters of the search page that only say which page or view is shown.
_NOT_STATE = {"page"}


class SavedSearchError(QueryError):
    """A saved-search name or state the user must fix (HTTP 400, CLI exit 2)."""


class UnknownSavedSearch(SavedSearchError):
    """No saved search has that name (HTTP 404)."""


class SavedSearchExists(SavedSearchError):
    """The name is taken (HTTP 409): saving never replaces a search silently."""


@dataclass(frozen=True)
class SavedSearch:
    name: str
    state: str  # the search page's query string, canonical (see canonical_state)
    created: datetime
    seen: datetime | None = None  # index mark when last opened from the list
    looked: datetime | None = None  # wall clock of that opening, for people to read
    alerted: datetime | None = None  # index mark at the last ``newsearch alerts``

    def request(self, **fixed: object) -> SearchRequest:
        """The SearchRequest of the saved URL state (``fixed`` overrides it)."""
        return search_request(MultiDict(parse_qsl(self.state)), **fixed)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "state": self.state, "created": _iso(self.created),
                "seen": _iso(self.seen), "looked": _iso(self.looked),
                "alerted": _iso(self.alerted)}

    @classmethod
    def from_json(cls, data: dict) -> SavedSearch:
        return cls(name=data["name"], state=data["state"], created=_moment(data["created"]),
                   seen=_moment(data.get("seen")), looked=_moment(data.get("looked")),
                   alerted=_moment(data.get("alerted")))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _moment(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def check_name(name: str) -> str:
    """The name as kept (surrounding spaces dropped), or SavedSearchError saying why not."""
    name = name.strip()
    if not name:
        raise SavedSearchError("a saved search needs a name")
    if len(name) > MAX_NAME_CHARS:
        raise SavedSearchError(f"the name is {len(name):,} characters long; the limit is "
                               f"{MAX_NAME_CHARS}")
    if any(unicodedata.category(c).startswith("C") for c in name):
        raise SavedSearchError("the name may not hold control characters")
    return name


def canonical_state(text: str) -> str:
    """The query string of a search page URL, ``?q=…`` or ``q=…``, without its page
    number, re-encoded so that one search is saved one way."""
    text = text.strip()
    if len(text) > MAX_STATE_CHARS:
        raise SavedSearchError(f"the search is {len(text):,} characters long; the limit is "
                               f"{MAX_STATE_CHARS:,}")
    if "://" in text or text.startswith("/"):
        text = urlsplit(text).query
    pairs = [(k, v) for k, v in parse_qsl(text.lstrip("?"), keep_blank_values=False)
             if k not in _NOT_STATE]
    if not pairs:
        raise SavedSearchError("there is no search to save: give the query string of a "
                               "search page, such as 'q=oil&country=Kuwait'")
    return urlencode(pairs)


class SavedStore(Protocol):
    """Where an index's saved searches live (see the module docstring)."""

    def all(self) -> list[SavedSearch]:
        """Every saved search, by name."""

    def get(self, name: str) -> SavedSearch:
        """One saved search; UnknownSavedSearch if there is none of that name."""

    def add(self, saved: SavedSearch) -> None:
        """Keep a new saved search; SavedSearchExists if the name is taken."""

    def remove(self, name: str) -> None:
        """Forget a saved search; UnknownSavedSearch if there is none of that name."""

    def update(self, saved: SavedSearch) -> None:
        """Replace a saved search's marks (by name)."""

    def secret(self) -> bytes:
        """The key that signs the web app's CSRF tokens, made once, the same for every
        process serving this index."""


def _unknown(name: str) -> UnknownSavedSearch:
    return UnknownSavedSearch(f"there is no saved search named {name[:MAX_NAME_CHARS]!r}")


def _lookup(name: str) -> str:
    """A name to look up: one that no saved search can have (too long, empty, control
    characters) is unknown without asking the store (an id of 10,000 characters is
    more than an OpenSearch request line may hold)."""
    try:
        if check_name(name) == name:
            return name
    except SavedSearchError:
        pass
    raise _unknown(name)


def _exists(name: str) -> SavedSearchExists:
    return SavedSearchExists(f"a saved search named {name!r} exists already; remove it "
                             "first or choose another name")


def _too_many() -> SavedSearchError:
    return SavedSearchError(f"there are {MAX_SAVED:,} saved searches already; remove one first")


class SqliteStore:
    """Saved searches in ``newsearch-saved.sqlite`` inside a Whoosh index folder: one
    connection per call, so threads and the processes of one server never share one."""

    def __init__(self, index_dir: Path) -> None:
        from indexer.engines.whoosh.store import SAVED_DB, SECRET_FILE, index_exists

        if not index_exists(index_dir):
            raise IndexMissing(f"no index at {index_dir}; build one with: newsearch index "
                               f"PATH --index {index_dir}")
        self.path = index_dir / SAVED_DB
        self.secret_path = index_dir / SECRET_FILE
        with self._connect() as db:
            db.execute("CREATE TABLE IF NOT EXISTS saved (name TEXT PRIMARY KEY, "
                       "data TEXT NOT NULL)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def _rows(self, sql: str, *args: object) -> list[SavedSearch]:
        with closing(self._connect()) as db:
            return [SavedSearch.from_json(json.loads(data))
                    for (data,) in db.execute(sql, args)]

    def all(self) -> list[SavedSearch]:
        return self._rows("SELECT data FROM saved ORDER BY name")

    def get(self, name: str) -> SavedSearch:
        found = self._rows("SELECT data FROM saved WHERE name = ?", _lookup(name))
        if not found:
            raise _unknown(name)
        return found[0]

    def add(self, saved: SavedSearch) -> None:
        with closing(self._connect()) as db, db:
            db.execute("BEGIN IMMEDIATE")  # the count and the insert in one transaction
            if db.execute("SELECT count(*) FROM saved").fetchone()[0] >= MAX_SAVED:
                raise _too_many()
            try:
                db.execute("INSERT INTO saved VALUES (?, ?)",
                           (saved.name, json.dumps(saved.to_json())))
            except sqlite3.IntegrityError:
                raise _exists(saved.name) from None

    def remove(self, name: str) -> None:
        with closing(self._connect()) as db, db:
            if not db.execute("DELETE FROM saved WHERE name = ?", (_lookup(name),)).rowcount:
                raise _unknown(name)

    def update(self, saved: SavedSearch) -> None:
        with closing(self._connect()) as db, db:
            if not db.execute("UPDATE saved SET data = ? WHERE name = ?",
                              (json.dumps(saved.to_json()), saved.name)).rowcount:
                raise _unknown(saved.name)

    def secret(self) -> bytes:
        """Read the secret file, or make it: written to a temporary file readable by its
        owner only (0600), then linked into place, so two processes starting at once
        end up with the same secret and nobody reads a half-written one."""
        try:
            return bytes.fromhex(self.secret_path.read_text("ascii").strip())
        except FileNotFoundError:
            pass
        tmp = self.secret_path.with_name(f"{self.secret_path.name}.tmp{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(tmp, self.secret_path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink(missing_ok=True)
        return bytes.fromhex(self.secret_path.read_text("ascii").strip())


def saved_index(index: str) -> str:
    """The OpenSearch index holding the saved searches of an index (or alias)."""
    return f"{index}-saved"


_SAVED_BODY = {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
               "mappings": {"dynamic": False, "properties": {
                   "kind": {"type": "keyword"}, "name": {"type": "keyword"}}}}
_SECRET_ID = "\x00secret"  # no saved-search name holds a control character


class OpenSearchStore:
    """Saved searches as documents (id = name) of ``<index>-saved``; every write waits
    for the refresh, so the list a page shows next holds it."""

    def __init__(self, location) -> None:  # location: engines.opensearch.client.Location
        from indexer.engines.opensearch.client import connect

        self.location = location
        self.client = connect(location)
        self.index = saved_index(location.name)

    def _call(self, method, *args, **kwargs):  # noqa: ANN001, ANN202
        from indexer.engines.opensearch.writer import _guard

        return _guard(self.location, method, *args, **kwargs)

    def _ensure(self) -> None:
        if not self._call(self.client.indices.exists, index=self.index):
            self._call(self.client.indices.create, index=self.index, body=_SAVED_BODY,
                       ignore=[400])  # 400: another process created it meanwhile

    def all(self) -> list[SavedSearch]:
        if not self._call(self.client.indices.exists, index=self.index):
            return []
        hits = self._call(self.client.search, index=self.index, body={
            "size": MAX_SAVED, "query": {"term": {"kind": "search"}},
            "sort": [{"name": "asc"}]})["hits"]["hits"]
        return [SavedSearch.from_json(h["_source"]) for h in hits]

    def get(self, name: str) -> SavedSearch:
        _lookup(name)
        if not self._call(self.client.indices.exists, index=self.index):
            raise _unknown(name)
        doc = self._call(self.client.get, index=self.index, id=name, ignore=[404])
        if not doc.get("found") or doc["_source"].get("kind") != "search":
            raise _unknown(name)
        return SavedSearch.from_json(doc["_source"])

    def add(self, saved: SavedSearch) -> None:
        self._ensure()
        if len(self.all()) >= MAX_SAVED:
            raise _too_many()
        resp = self._call(self.client.index, index=self.index, id=saved.name,
                          body={"kind": "search", **saved.to_json()}, op_type="create",
                          refresh="wait_for", ignore=[409])
        if resp.get("status") == 409:
            raise _exists(saved.name)

    def remove(self, name: str) -> None:
        self.get(name)
        self._call(self.client.delete, index=self.index, id=name, refresh="wait_for")

    def update(self, saved: SavedSearch) -> None:
        self.get(saved.name)
        self._call(self.client.index, index=self.index, id=saved.name,
                   body={"kind": "search", **saved.to_json()}, refresh="wait_for")

    def secret(self) -> bytes:
        """One document, created once (``op_type=create``: the first process wins and
        every other reads its value)."""
        self._ensure()
        self._call(self.client.index, index=self.index, id=_SECRET_ID,
                   body={"kind": "secret", "value": secrets.token_hex(32)},
                   op_type="create", refresh="wait_for", ignore=[409])
        doc = self._call(self.client.get, index=self.index, id=_SECRET_ID)
        return bytes.fromhex(doc["_source"]["value"])


def open_store(location: str | Path | None = None) -> SavedStore:
    """The saved searches of the index at a location (the choice ``open_engine`` makes)."""
    where = resolve(location)
    if is_server(where):
        from indexer.search.engine import _server_location

        return OpenSearchStore(_server_location(where))
    return SqliteStore(Path(where))


# -- what the CLI and the web app do with them -----------------------------------------

def mark_of(engine: Engine) -> datetime | None:
    """The index's newest ``added`` stamp, or None (empty, or made before the field:
    then every stamped article counts as new, which is none until the next run)."""
    try:
        return engine.latest_added()
    except AlertsUnavailable:
        return None


def save(store: SavedStore, engine: Engine, name: str, state: str) -> SavedSearch:
    """Check and keep a new saved search; nothing is written unless every check passes:
    the name, the state, and the search itself (run once, so that a query the engine
    refuses is refused now, not at every alert)."""
    name, state = check_name(name), canonical_state(state)
    saved = SavedSearch(name=name, state=state, created=datetime.now(UTC))
    engine.search(saved.request(page=1, limit=1, with_facets=False, highlight=False))
    mark = mark_of(engine)
    saved = replace(saved, seen=mark, alerted=mark)
    store.add(saved)
    return saved


def new_since(saved: SavedSearch, mark: datetime | None) -> SearchRequest:
    """The saved search narrowed to articles added after ``mark`` (None: every article
    with a stamp), newest first."""
    return saved.request(added_after=mark or to_moment(0), sort="newest", page=1)


def new_count(engine: Engine, saved: SavedSearch) -> int:
    """How many articles matching the search arrived since it was last opened."""
    return engine.search(replace(new_since(saved, saved.seen), limit=1,
                                 with_facets=False, highlight=False)).total


def open_saved(store: SavedStore, engine: Engine, name: str) -> tuple[SavedSearch, str]:
    """Open a saved search from the list: its marks move to now, and the query string
    to show is the search limited to what was new (``added_after``), before the move."""
    saved = store.get(name)
    since = saved.seen
    store.update(replace(saved, seen=mark_of(engine) or since, looked=datetime.now(UTC)))
    state = MultiDict(parse_qsl(saved.state))
    state["added_after"] = (since or to_moment(0)).isoformat()
    return saved, urlencode(list(state.items(multi=True)))
