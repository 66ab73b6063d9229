"""Writing records into OpenSearch: one indexing run, bulk requests sized in bytes.

The index name users give is an alias over one concrete index (``news`` ->
``news-20261201t190000``). ``--rebuild`` fills a new concrete index and swaps the alias
at the end, in one atomic alias update, so a killed rebuild leaves the previous index
serving. Article ids are document ids, so a rerun after a crash rewrites the same
documents instead of doubling them, and the content and file hashes that make runs
incremental live in the documents themselves: any machine can continue a run.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator

from opensearchpy import OpenSearch
from opensearchpy.exceptions import ConnectionError as OSConnectionError
from opensearchpy.exceptions import ConnectionTimeout, TransportError
from opensearchpy.helpers import streaming_bulk

from indexer.analysis import TOKEN_PATTERN, indexed_form
from indexer.archive.table import Forms, HeldPeople, input_of
from indexer.engines.opensearch.client import (
    SHARD_RETRY_SECONDS,
    Location,
    connect,
    unavailable,
)
from indexer.engines.opensearch.mapping import (
    ADDED_MAPPING,
    REFRESH_INTERVAL,
    SCHEMA_VERSION,
    index_body,
)
from indexer.record import Record, keyword_values
from indexer.search.added import FIELD as ADDED
from indexer.search.added import now_stamp
from indexer.search.errors import EngineUnavailable, IndexMissing, IndexWriteFailed

_WORD = re.compile(TOKEN_PATTERN)
BULK_BYTES = 4 * 1024 * 1024  # one bulk request; OpenSearch's default limit is 100 MB
#: Also send what is buffered once it is this old: extraction is slow beside the server,
#: so a long run writes as it goes (and a killed one has written what it sent).
FLUSH_SECONDS = 2.0
_SCAN = 5000


#: The lists beside an index, one small document per entry:
#: - every word its title and body hold (``field`` title/body), so that a wildcard's
#:   expansions can be counted (and refused past the limit) as Whoosh counts them in its
#:   lexicon; Lucene has no API that lists a field's terms;
#: - every file whose articles were all written (``field`` FILES, with its hash), so that
#:   a run killed halfway through a many-article file reads that file again.
#: It has as many replicas as its index (set at each commit, see ``_match_replicas``):
#: searches read it, so it must survive the loss of a node as the index does.
#: - the written forms merged into each person (``field`` FORMS, ``word`` the person's
#:   name key, ``forms`` {"name", "forms"}; indexer.archive), rewritten by each run.
SIDE_BODY = {"settings": {"index": {"number_of_shards": 1, "number_of_replicas": 0}},
             "mappings": {"dynamic": "strict", "properties": {
                 "field": {"type": "keyword"}, "word": {"type": "keyword"},
                 "hash": {"type": "keyword"},
                 "forms": {"type": "object", "enabled": False}}}}
FILES = "_file"
FORMS = "_forms"
_MGET = 500  # articles read back per request when the archive step rewrites them


def side_index(index: str) -> str:
    """The lists of an index (or of the alias over it)."""
    return f"{index}-words"


class IndexWriteError(IndexWriteFailed):
    """OpenSearch refused documents (the first reason is in the message)."""


_TRANSIENT = (429, 503)  # bulk item statuses that a retry can cure


def indexed_text(text: str) -> str:
    """The words Whoosh indexes, in order, stop words and one-letter tokens gone.

    Whoosh renumbers positions after removing them (StopFilter's ``renumber``), so
    "said that said" holds the phrase "said said"; Lucene's stop filter leaves a gap. The
    text OpenSearch analyses is therefore the surviving words only, and phrases match on
    both engines alike; what users read is stored unchanged beside it."""
    return " ".join(m.group() for m in _WORD.finditer(text)
                    if indexed_form(m.group()) is not None)


def to_document(record: Record) -> dict:
    """The OpenSearch document of one record (see mapping.MAPPINGS)."""
    source = record["source"]
    published = record["published"]
    return {
        "id": record["id"], "title": indexed_text(record["title"]),
        "body": indexed_text(record["body"]), "title_text": record["title"],
        "body_text": record["body"],
        "person": keyword_values(record["people"]), "facet_people": record["people"],
        "country": keyword_values(record["countries"]), "facet_countries": record["countries"],
        "country_code": keyword_values(record["country_codes"]),
        "about": keyword_values(record["about"]), "facet_about": record["about"],
        "mentioned": keyword_values(record["mentioned"]),
        "organization": keyword_values(record["organizations"]),
        "facet_organizations": record["organizations"],
        "source": keyword_values([source]), "facet_sources": [source] if source else [],
        "category": keyword_values([record["category"]]),
        "day": record["day"], "published": published.isoformat() if published else None,
        "dupkey": record["dupkey"], "lsh": record["lsh"], "file": record["file"],
        "file_hash": record["file_hash"], "content_hash": record["content_hash"],
        "dateline": record["dateline"], "authors": record["authors"], "url": record["url"],
        "path": record["path"], "gold_places": record["gold_places"],
        "gold_people": record["gold_people"], "people_input": record.get("people_input") or {},
    }


def _guard(location: Location, call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except (OSConnectionError, ConnectionTimeout) as exc:
        raise unavailable(location, exc) from None
    except TransportError as exc:
        if exc.status_code in (502, 503, 504, "N/A"):
            raise unavailable(location, exc) from None
        raise


#: The first concrete index behind a new alias is named the same by every process: several
#: ``newsearch index`` runs that start at once on an empty cluster (one slice of a corpus
#: each) then share it, where two names would each take the alias and the second would
#: drop the first (tests/test_opensearch_faults.py).
FIRST = "first"


def _create_once(location: Location, client: OpenSearch, index: str, body: dict) -> None:
    """Create an index unless it exists, also when another process creates it now."""
    if _guard(location, client.indices.exists, index=index):
        return
    try:
        _guard(location, client.indices.create, index=index, body=body)
    except TransportError as exc:
        if exc.error != "resource_already_exists_exception":
            raise


class OpenSearchWriter:
    """One indexing run into the alias ``location.name`` (see the module docstring)."""

    def __init__(self, location: Location, *, rebuild: bool = False, shards: int = 1,
                 replicas: int = 0) -> None:
        self.location = location
        self.client: OpenSearch = connect(location, timeout=120.0)
        self.alias = location.name
        self.rebuild = rebuild
        self._buffer: list[dict] = []
        self._listed: list[dict] = []  # file-list entries, sent after the buffer (flush)
        self._bytes = 0
        self._flushed = time.monotonic()
        self._words: dict[str, set[str]] = {"title": set(), "body": set()}
        self._sides: set[str] = set()
        self._deleted_files: list[str] = []
        self._people: dict[str, list[str]] = {}
        self._forms: Forms | None = None
        current = self._current_index()
        files: dict[str, str] = {}
        if current is not None and not rebuild:
            self._check_version(current)
            files = self._file_list(current)
        if current is not None:
            # A killed run leaves its index with refreshes off: what it wrote is stored
            # but not yet searchable, and the count and the scan below would miss it.
            _guard(self.location, self.client.indices.refresh, index=current)
        self.had_documents = False
        self._replacing = current  # what the alias named when this run started
        if current is None:  # a new index: nothing to protect, so it is named at once
            self.target = self._create(shards, replicas, f"{self.alias}-{FIRST}")
            self._side()
            self._point_alias()
        elif rebuild:  # filled beside the old one, which serves until the alias swap
            self.target = self._create(shards, replicas)
        else:
            self.target = current
            self.had_documents = self._count(current) > 0
            # An index made before the field gains it (adding a field is allowed).
            _guard(self.location, self.client.indices.put_mapping, index=current,
                   body=ADDED_MAPPING)
            if _guard(self.location, self.client.indices.exists, index=side_index(current)):
                _guard(self.location, self.client.indices.put_mapping,
                       index=side_index(current),
                       body={"properties": {"forms": SIDE_BODY["mappings"]["properties"]["forms"]}})
        self.stamp = now_stamp()  # this run's "added" (indexer.search.added)
        self._files = files if self.had_documents else {}
        self._ids_by_file: dict[str, dict[str, str]] = {}
        self._held: dict[str, tuple[str, int]] = {}
        if current is not None:
            self._read_held(current)

    def _file_list(self, index: str) -> dict[str, str]:
        """file -> hash of the files whose every article the index holds (``state``)."""
        side = side_index(index)
        if not _guard(self.location, self.client.indices.exists, index=side):
            return {}
        _guard(self.location, self.client.indices.refresh, index=side)
        return {doc["word"]: doc.get("hash", "") for doc in self._scan(
            side, ["word", "hash"], {"term": {"field": FILES}}, sort="word")}

    def _read_held(self, index: str) -> None:
        """One pass over the articles held, at the start of a run: their ids by file for
        ``state`` (none on --rebuild), and each one's content hash and "added" stamp, even
        on --rebuild, so that an article written again with the same content keeps its
        stamp."""
        for doc in self._scan(index, ["id", "file", "content_hash", ADDED], {"match_all": {}}):
            content = doc.get("content_hash", "")
            if self.had_documents:
                self._ids_by_file.setdefault(doc.get("file", ""), {})[doc["id"]] = content
            if ADDED in doc:
                self._held[doc["id"]] = (content, int(doc[ADDED]))

    # -- the concrete index behind the alias --------------------------------------------

    def _current_index(self) -> str | None:
        aliases = _guard(self.location, self.client.indices.get_alias, name=self.alias,
                         ignore=[404])
        names = [n for n in aliases if "error" not in aliases and n != "status"]
        if len(names) > 1:
            # A read alias over time-based indexes (docs/scaling.md §6). Writing through
            # it would pick one of them and the alias swap would delete the others.
            raise IndexWriteFailed(
                f"{self.location.url} is an alias over several indexes "
                f"({', '.join(sorted(names))}); newsearch writes one index at a time: "
                "index into the alias of one of them")
        if names:
            return names[0]
        if _guard(self.location, self.client.indices.exists, index=self.alias):
            return self.alias  # a plain index of that name (made by hand): use it as it is
        return None

    def _check_version(self, index: str) -> None:
        mapping = _guard(self.location, self.client.indices.get_mapping, index=index)
        meta = next(iter(mapping.values()))["mappings"].get("_meta", {})
        if meta.get("newsearch_schema") != SCHEMA_VERSION:
            raise IndexMissing(f"the index {self.location.url} was built by another version "
                               f"of newsearch; rebuild it with: newsearch index PATH --index "
                               f"{self.location.url} --rebuild")

    def _create(self, shards: int, replicas: int, name: str = "") -> str:
        """A new concrete index: ``name``, or a rebuild's own timestamped one. Another
        process may create the same name at the same moment; then both use it."""
        name = name or (f"{self.alias}-{time.strftime('%Y%m%dt%H%M%S')}-"
                        f"{time.time_ns() % 1000000:06d}")
        _create_once(self.location, self.client, name, index_body(shards, replicas, refresh="-1"))
        _guard(self.location, self.client.cluster.health, index=name,
               wait_for_status="yellow")
        return name

    def _count(self, index: str) -> int:
        return _guard(self.location, self.client.count, index=index)["count"]

    # -- what the index holds -----------------------------------------------------------

    def _scan(self, index: str, fields: list[str], query: dict,
              sort: str = "id") -> Iterator[dict]:
        body: dict = {"size": _SCAN, "sort": [{sort: "asc"}], "_source": fields,
                      "query": query}
        while True:
            hits = _guard(self.location, self.client.search, index=index,
                          body=body)["hits"]["hits"]
            for hit in hits:
                yield hit["_source"]
            if len(hits) < _SCAN:
                return
            body["search_after"] = hits[-1]["sort"]

    def state(self) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """(file -> its hash, file -> {id: content hash}) of what the index holds.

        A file's hash comes from its entry in the file list, sent only once OpenSearch
        acknowledged all its articles (``flush``): a file cut short by a crash has none,
        so the next run reads it again. The list was read first and the articles after a
        refresh, so every listed file's articles are seen, even those of a killed run's
        last bulk request, which the node may still have been applying."""
        return self._files, self._ids_by_file

    def people_rows(self) -> Iterator[HeldPeople]:
        """The people of every article the index holds (none on --rebuild). Read at the
        end of a run, so this run's articles may be among them (the caller knows them)."""
        if self.rebuild or not self.had_documents:
            return
        fields = ["id", "facet_people", "people_input", "day", "facet_countries",
                  "facet_organizations"]
        for doc in self._scan(self.target, fields, {"match_all": {}}):
            people = doc.get("facet_people") or []
            yield HeldPeople(doc["id"], input_of(
                doc.get("people_input"), people, doc.get("day") or 0,
                doc.get("facet_countries") or [], doc.get("facet_organizations") or []),
                tuple(people))

    def set_people(self, article_id: str, people: list[str]) -> None:
        """Give an article other people values (written again at the commit: Lucene
        documents are immutable, and the indexed text is not in ``_source``, so a partial
        update would lose it)."""
        self._people[article_id] = people

    def save_forms(self, forms: Forms) -> None:
        """The written forms merged into each person, saved in the side index at the
        commit."""
        self._forms = forms

    def _write_people(self) -> None:
        """Write again, from their stored source, the articles given other people (read
        by id, which sees what this run sent before any refresh)."""
        ids = list(self._people)
        for start in range(0, len(ids), _MGET):
            found = _guard(self.location, self.client.mget, index=self.target,
                           body={"ids": ids[start:start + _MGET]})["docs"]
            for doc in found:
                if not doc.get("found"):
                    continue
                source = doc["_source"]
                people = self._people[doc["_id"]]
                source.update(title=indexed_text(source.get("title_text", "")),
                              body=indexed_text(source.get("body_text", "")),
                              person=keyword_values(people), facet_people=people)
                self._buffer.append({"_op_type": "index", "_index": self.target,
                                     "_id": doc["_id"], "_source": source})
            self.flush()
        self._people = {}

    def _write_forms(self) -> None:
        """Replace the side index's forms with this run's (stale entries deleted one by
        one: delete-by-query needs a module a minimal node may lack)."""
        if self._forms is None:
            return
        index = self._side()
        _guard(self.location, self.client.indices.refresh, index=index)
        stale = {doc["word"] for doc in self._scan(index, ["word"], {"term": {"field": FORMS}},
                                                   sort="word")} - set(self._forms)
        self._buffer.extend({"_op_type": "delete", "_index": index, "_id": f"{FORMS}:{key}"}
                            for key in sorted(stale))
        self._buffer.extend({"_op_type": "index", "_index": index, "_id": f"{FORMS}:{key}",
                             "_source": {"field": FORMS, "word": key, "forms": entry}}
                            for key, entry in self._forms.items())
        self.flush()

    def dupkey(self, bands: list[str]) -> str | None:
        """The story key of an indexed near-duplicate sharing an LSH band, if any."""
        if not bands or self.rebuild or not self.had_documents:
            return None
        hits = _guard(self.location, self.client.search, index=self.target, body={
            "size": 1, "_source": ["dupkey"], "sort": [{"id": "asc"}],
            "query": {"terms": {"lsh": bands}}})["hits"]["hits"]
        return hits[0]["_source"]["dupkey"] if hits else None

    # -- writing ------------------------------------------------------------------------

    def put(self, record: Record) -> None:
        """Add or replace one article (sent in the next bulk request); its words join
        the index's word list (see ``side_index``)."""
        source = to_document(record)
        held = self._held.get(record["id"])
        same = held is not None and held[0] == record["content_hash"]
        source[ADDED] = held[1] if same else self.stamp
        for field, words in self._words.items():  # source[field]: indexed words, one space apart
            words.update(map(indexed_form, source[field].split()))
        self._buffer.append({"_op_type": "index", "_index": self.target, "_id": record["id"],
                             "_source": source})
        self._bytes += len(json.dumps(source, default=str))
        if self._bytes >= BULK_BYTES or time.monotonic() - self._flushed >= FLUSH_SECONDS:
            self.flush()

    def file_done(self, key: str, file_hash: str) -> None:
        """Every article of a file has been handed over: list the file (sent by the
        flush that sends its last articles, once they are acknowledged)."""
        self._listed.append({"_op_type": "index", "_index": self._side(), "_id": f"{FILES}:{key}",
                             "_source": {"field": FILES, "word": key, "hash": file_hash}})

    def _side(self) -> str:
        index = side_index(self.target)
        if index not in self._sides:
            _create_once(self.location, self.client, index, SIDE_BODY)
            self._sides.add(index)
        return index

    def delete_id(self, article_id: str) -> None:
        self._buffer.append({"_op_type": "delete", "_index": self.target, "_id": article_id})

    def delete_file(self, key: str) -> None:
        """Remove every article of a file that has vanished (done at commit)."""
        self._deleted_files.append(key)

    def flush(self) -> None:
        """Send the buffered actions; refused documents end the run with the reason.

        Documents refused for a while only (429 too busy, 503 no active primary: a node
        holding it died and a replica is being promoted) are sent again, with growing
        pauses, for up to SHARD_RETRY_SECONDS; each carries its id, so a document sent
        twice is still one document.

        File-list entries go in a bulk request of their own after the rest: a bulk
        request's items are applied shard by shard in parallel, so an entry sent beside
        its articles could be stored while they are not (a run killed mid-request), and
        the next run would skip the file without them."""
        actions, listed = self._buffer, self._listed
        self._buffer, self._listed, self._bytes = [], [], 0
        self._send_all(actions)
        self._send_all(listed)

    def _send_all(self, actions: list[dict]) -> None:
        deadline, pause = time.monotonic() + SHARD_RETRY_SECONDS, 0.5
        while actions:
            self._flushed = time.monotonic()
            refused = self._send(actions)
            lasting = [info for _, info in refused if info.get("status") not in _TRANSIENT]
            if lasting:
                first = lasting[0]
                raise IndexWriteError(f"OpenSearch refused {len(lasting)} document(s); first: "
                                      f"{first.get('_id')}: {first.get('error')}")
            if refused and time.monotonic() + pause > deadline:
                raise unavailable(self.location, TransportError(503, "shards_unavailable"))
            actions = [action for action, _ in refused]
            if actions:
                time.sleep(pause)
                pause = min(2 * pause, 5.0)

    def _send(self, actions: list[dict]) -> list[tuple[dict, dict]]:
        """Bulk-send actions; the (action, reason) of each one OpenSearch refused."""
        by_key = {(a["_index"], a["_id"]): a for a in actions}
        refused = []
        try:
            for ok, item in streaming_bulk(self.client, actions, chunk_size=2000,
                                           max_chunk_bytes=BULK_BYTES, raise_on_error=False,
                                           raise_on_exception=True, max_retries=3,
                                           initial_backoff=1):
                if not ok:
                    (op, info), = item.items()
                    if not (op == "delete" and info.get("status") == 404):
                        refused.append((by_key[(info["_index"], info["_id"])], info))
        except (OSConnectionError, ConnectionTimeout) as exc:
            raise unavailable(self.location, exc) from None
        return refused

    def _write_words(self) -> None:
        """Add this run's words to the word list (a word already there is rewritten)."""
        index = self._side()
        for field, words in self._words.items():
            self._buffer.extend({"_op_type": "index", "_index": index,
                                 "_id": f"{field}:{word}",
                                 "_source": {"field": field, "word": word}}
                                for word in words)
        self._words = {field: set() for field in self._words}
        self.flush()

    def commit(self, roots: list[str] = ()) -> int:
        """Make the run visible: flush, remove vanished files, refresh, swap the alias on
        a rebuild. Returns the number of documents the index then holds."""
        self.flush()
        self._write_people()
        self._write_words()
        self._write_forms()
        for key in self._deleted_files:
            # One delete per article of the vanished file, not _delete_by_query: that
            # lives in the reindex module, which a minimal node (as tools/opensearch.py
            # runs) lacks, and the run ended on its 400 with a traceback.
            self._buffer.extend({"_op_type": "delete", "_index": self.target, "_id": doc["id"]}
                                for doc in self._scan(self.target, ["id"], {"term": {"file": key}}))
            self.flush()
            _guard(self.location, self.client.delete, index=self._side(),
                   id=f"{FILES}:{key}", ignore=[404])
        self._match_replicas()
        if self.target != self.alias:
            self._check_not_replaced()
        # A new index filled with refreshes off, or one a killed run left that way.
        _guard(self.location, self.client.indices.put_settings, index=self.target,
               body={"index": {"refresh_interval": REFRESH_INTERVAL}})
        _guard(self.location, self.client.indices.refresh,
               index=f"{self.target},{side_index(self.target)}")
        if self.target != self.alias:
            self._point_alias()
        return self._count(self.target)

    def _match_replicas(self) -> None:
        """Give the word and file lists the replicas of their index."""
        settings = _guard(self.location, self.client.indices.get_settings, index=self.target,
                          name="index.number_of_replicas")
        replicas = next(iter(settings.values()))["settings"]["index"]["number_of_replicas"]
        _guard(self.location, self.client.indices.put_settings, index=self._side(),
               body={"index": {"number_of_replicas": int(replicas)}})

    def _check_not_replaced(self) -> None:
        """A rebuild swaps the alias only to replace the index it started from: if
        another rebuild swapped it meanwhile (several machines each rebuilding a slice),
        this swap would drop that run's new index, articles and all."""
        now = self._current_index()
        if self.rebuild and now not in (self._replacing, self.target):
            raise IndexWriteFailed(
                f"another --rebuild of {self.location.url} finished while this one ran (the "
                f"alias now names {now}, not {self._replacing}); this run's articles were "
                "not made searchable, so that they do not replace that run's. To fill one "
                "index from several machines, run every slice without --rebuild into a new "
                f"name (e.g. {self.alias}-v2), then point the alias or `serve` at it")

    def _point_alias(self) -> None:
        old = _guard(self.location, self.client.indices.get_alias, name=self.alias,
                     ignore=[404])
        previous = [n for n in old if n not in ("error", "status") and n != self.target]
        if self.rebuild:
            # Only the index this run set out to replace is dropped: a rebuild that
            # finished in the same instant (past ``_check_not_replaced``) keeps its index,
            # and the alias names both until one of them is rebuilt again.
            previous = [n for n in previous if n == self._replacing]
        if _guard(self.location, self.client.indices.exists, index=self.alias) and \
                not previous and self._current_index() == self.alias:
            _guard(self.location, self.client.indices.delete, index=self.alias)
        actions = [{"remove": {"index": n, "alias": self.alias}} for n in previous]
        actions += [{"remove": {"index": side_index(n), "alias": side_index(self.alias)}}
                    for n in previous
                    if _guard(self.location, self.client.indices.exists, index=side_index(n))]
        actions.append({"add": {"index": self.target, "alias": self.alias}})
        actions.append({"add": {"index": side_index(self.target),
                                "alias": side_index(self.alias)}})
        _guard(self.location, self.client.indices.update_aliases, body={"actions": actions})
        for name in previous:
            _guard(self.location, self.client.indices.delete,
                   index=f"{name},{side_index(name)}", ignore=[404],
                   params={"ignore_unavailable": "true"})

    def cancel(self) -> int:
        """An interrupted rebuild drops its half-filled index; the alias never moved.
        Returns 0: nothing is left on this machine's disk either way."""
        self._buffer, self._listed = [], []
        if self.rebuild and self.target != self.alias:
            try:
                self.client.indices.delete(index=f"{self.target},{side_index(self.target)}",
                                           ignore=[404], params={"ignore_unavailable": "true"})
            except (OSConnectionError, ConnectionTimeout, TransportError):
                pass
        return 0

    def optimize(self) -> tuple[int, int]:
        """Force-merge to one segment per shard; returns segment counts before and after."""
        def segments() -> int:
            stats = _guard(self.location, self.client.indices.segments, index=self.target)
            return sum(len(copy["segments"]) for index in stats["indices"].values()
                       for shard in index["shards"].values() for copy in shard
                       if copy["routing"]["primary"])
        before = segments()
        _guard(self.location, self.client.indices.forcemerge, index=self.target,
               max_num_segments=1, request_timeout=3600)
        return before, segments()


def ensure_reachable(location: Location) -> None:
    """Fail fast, before reading any file, when no host answers."""
    client = connect(location, timeout=10.0)
    try:
        client.info()
    except (OSConnectionError, ConnectionTimeout, TransportError) as exc:
        raise unavailable(location, exc) from None


__all__ = ["EngineUnavailable", "IndexWriteError", "OpenSearchWriter", "ensure_reachable"]
