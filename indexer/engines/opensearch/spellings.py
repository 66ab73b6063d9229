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

#: Buckets per page of the ``composite`` aggregation listing a facet's spellings (below
#: OpenSearch's default search.max_buckets, 65,535).
PAGE = 10_000

Spelled = dict[str, tuple[str, ...]]  # folded value -> its spellings, as sorted keys


def folded(value: str) -> str:
    """A value as the lowercase field holds it (Lucene's ``lowercase`` filter lowers each
    character, as ``str.lower`` does; ``casefold`` would turn "ß" into "ss")."""
    return value.lower()


class Spellings:
    """Every name facet's spellings in one index, read again when its generation changes
    (a tuple swap under a lock: safe across the web app's threads)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # (generation, facet -> its spellings, facets read again in this generation)
        self._read: tuple[int, dict[str, Spelled], set[str]] | None = None

    def of(self, client, index: str, field: str, facet: str, generation: int,
           again: bool = False) -> Spelled:
        """The spellings of ``facet`` (display field ``field``) at ``generation``.
        ``again``: a counted value was missing (written after they were read, within the
        second a generation is reused): read them anew, at most once a generation, so a
        value no spelling can be found for costs no read on every request."""
        with self._lock:
            read = self._read
            if read is None or read[0] != generation:
                read = (generation, {}, set())
            known = read[1].get(facet)
            again = again and facet not in read[2]
        if known is None or again:
            known = _spellings(client, index, field)
            with self._lock:
                read[1][facet] = known
                if again:
                    read[2].add(facet)
                self._read = read
        return known


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


def several(spelled: Spelled) -> list[str]:
    """The spellings of the values spelled more than one way."""
    return sorted(s for values in spelled.values() if len(values) > 1 for s in values)
