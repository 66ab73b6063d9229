"""How the index spells each facet value: folded value -> its spellings, per generation.

Exact counts are taken on the lowercase fields filters match (``person``), so that
"Herman De Croo" and "Herman de Croo" are one value; a list then shows each value as
spelled most often among the matches, which used to take a ``terms`` aggregation over
every shown spelling of the matches (up to 5,000 buckets a facet, the largest part of
the sidebar's request). Almost every value has a single spelling in the whole index
(12 of 5,710 people and 95 of 11,903 organisations on Reuters-21578 have more), so the
index's spellings are read once per generation, here, and a request counts among its
matches only the spellings of values spelled several ways (``include``: a few buckets).
"""

from __future__ import annotations

import threading
import time

#: How long the whole list of spellings is kept before it is read again (``Spellings``).
REREAD_SECONDS = 600
#: Most spellings one look-up of new values lists per value (a name is rarely written in
#: more than a handful of ways).
SPELLINGS_PER_VALUE = 20
#: Buckets per page of the ``composite`` aggregation listing a facet's spellings (below
#: OpenSearch's default search.max_buckets, 65,535).
PAGE = 10_000

Spelled = dict[str, tuple[str, ...]]  # folded value -> its spellings, as sorted keys


def folded(value: str) -> str:
    """A value as the lowercase field holds it (Lucene's ``lowercase`` filter lowers each
    character, as ``str.lower`` does; ``casefold`` would turn "ß" into "ss")."""
    return value.lower()


class Spellings:
    """Every name facet's spellings in one index, shared by the web app's threads.

    The whole list is read at most every REREAD_SECONDS, not once a generation: an
    archive being written gets a new generation every second, and reading every value
    of a facet (1-1.6 s on Reuters-21578, more on a larger archive) on the first page of
    each would cost that on every page. Values written since are looked up on their own
    when a count finds them (``complete``)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._read: dict[str, tuple[float, Spelled]] = {}  # facet -> (read at, spellings)

    def of(self, client, index: str, field: str, facet: str) -> Spelled:
        """The spellings of ``facet`` (display field ``field``)."""
        with self._lock:
            held = self._read.get(facet)
        if held is None or time.monotonic() - held[0] > REREAD_SECONDS:
            held = (time.monotonic(), _spellings(client, index, field))
            with self._lock:
                self._read[facet] = held
        return held[1]

    def complete(self, client, index: str, field: str, match_field: str, facet: str,
                 keys: list[str]) -> Spelled:
        """The spellings with those of ``keys`` added: folded values a count found that
        the spellings lack (written since they were read). One request over the
        articles holding them; a key no article holds any more stays unknown."""
        found = _spellings_of(client, index, field, match_field, keys)
        with self._lock:
            read_at, known = self._read.get(facet, (time.monotonic(), {}))
            merged = {**known, **found}
            self._read[facet] = (read_at, merged)
        return merged


def _spellings(client, index: str, field: str) -> Spelled:
    """Every value of ``field`` in the index, grouped by its folded form (pages of a
    ``composite`` aggregation, in key order)."""
    grouped: dict[str, list[str]] = {}
    after: dict | None = None
    while True:
        composite: dict = {"size": PAGE, "sources": [{"v": {"terms": {"field": field}}}]}
        if after is not None:
            composite["after"] = after
        resp = client.search(index=index, body={"size": 0, "aggs": {"s": {
            "composite": composite}}})
        found = resp["aggregations"]["s"]
        for bucket in found["buckets"]:
            value = bucket["key"]["v"]
            grouped.setdefault(folded(value), []).append(value)
        after = found.get("after_key")
        if after is None or len(found["buckets"]) < PAGE:
            return {key: tuple(values) for key, values in grouped.items()}


def _spellings_of(client, index: str, field: str, match_field: str, keys: list[str]
                  ) -> Spelled:
    """The spellings of some folded values: per value, the display values of the articles
    holding it that fold to it (a ``filter`` with a ``terms`` restricted to the value's
    spellings in any case, ``_any_case``)."""
    aggs = {f"k{i}": {"filter": {"term": {match_field: key}},
                      "aggs": {"v": {"terms": {"field": field, "include": _any_case(key),
                                               "size": SPELLINGS_PER_VALUE}}}}
            for i, key in enumerate(keys)}
    resp = client.search(index=index, body={"size": 0, "aggs": aggs})
    found: Spelled = {}
    for i, key in enumerate(keys):
        buckets = resp["aggregations"][f"k{i}"]["v"]["buckets"]
        values = sorted(b["key"] for b in buckets if folded(b["key"]) == key)
        if values:
            found[key] = tuple(values)
    return found


def _any_case(key: str) -> str:
    """A Lucene regular expression for ``key`` in any mix of cases ("de" -> "[dD][eE]"),
    every other character escaped."""
    out = []
    for ch in key:
        upper = ch.upper()
        if len(upper) == 1 and upper != ch:
            out.append(f"[{ch}{upper}]")
        elif ch.isalnum():
            out.append(ch)
        else:
            out.append("\\" + ch)
    return "".join(out)


def several(spelled: Spelled) -> list[str]:
    """The spellings of the values spelled more than one way."""
    return sorted(s for values in spelled.values() if len(values) > 1 for s in values)
