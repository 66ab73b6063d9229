"""Evaluate a query over posting arrays: every matching document and its BM25F score.

Whoosh finds and scores matches by walking its matcher tree in Python, one posting at a
time (~1-3 µs a posting, and skipping through ``And``/``Not`` trees is Python too): at
200,000 articles that walk was 70% of a search, done twice (once to list every match for
the total and the facets, once to score the top hits). Here each term's posting blocks are
read as arrays and the tree is combined with numpy set operations, scores included, in one
pass:

- a word in a text field scores Whoosh's BM25F (same idf, field lengths, ``B`` and ``K1``,
  so the ranking is the one Whoosh would give; a test compares the two);
- a term in a keyword field (person, country, ...) scores its weight, as in Whoosh;
- ``And`` and ``Or`` add their parts' scores; ``Not`` removes documents and, as in
  Whoosh, adds its boost (1) to the rest;
- wildcards, prefixes and fuzzy terms match any of their expansions with a constant score
  (Whoosh's and Lucene's constant-score rewrite: a rare misspelling among the expansions
  must not outrank the word that was meant);
- a phrase matches where its words occur in order (within its slop), checked on decoded
  positions for the documents that have every word and match the rest of the query, and
  scores as the sum of its words;
- a ``date:`` range or date filter reads the ``day`` column; ``field:*`` (any value in
  the field) reads the facet, length or day column; anything else takes its documents
  from Whoosh's own matcher; all of these score a constant;
- a ``Not`` on its own (``-oil``, an exclusion filter without a query) is every live
  document but its matches.

Every loop whose length the query decides spends from the request's ``Budget``
(indexer.search.limits), so a query that outruns it stops with ``SearchTimeout``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from itertools import chain, pairwise
from typing import TYPE_CHECKING

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.structfile import StructFile
from whoosh.reading import TermNotFound

from indexer.engines.whoosh.codec import ArrayCodec, Values, read_postings
from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.search.limits import Budget
from indexer.search.model import FACET_FIELDS

if TYPE_CHECKING:
    from indexer.engines.whoosh.columns import FacetColumns

_EMPTY_IDS = np.zeros(0, dtype=np.int64)
_EMPTY_SCORES = np.zeros(0, dtype=np.float64)
_FACET_OF_FIELD = {field: facet for facet, field in FACET_FIELDS.items()}
_PHRASE_CHUNK = 256  # documents whose positions are checked between two budget checks
_MAX_SLOP = 1 << 31  # past every position of a document (position keys keep them in 32 bits)


@dataclass(frozen=True)
class Matches:
    """Matching live documents (sorted document numbers) with their scores."""

    ids: np.ndarray
    scores: np.ndarray
    terms: frozenset[tuple[str, bytes]] = field(default_factory=frozenset)
    #: The postings read to find them, (field, term) -> per segment: the proximity bonus
    #: checks positions without reading its words' postings again.
    postings: dict | None = field(default=None, compare=False, repr=False)

    def scores_of(self, docnums: list[int]) -> np.ndarray:
        """The scores of some of the matched documents."""
        return self.scores[np.searchsorted(self.ids, docnums)]

    def ranked(self, enough: int | None = None) -> np.ndarray:
        """Document numbers best score first (ties: lower document number first).

        With ``enough``, only the first ``enough`` places are guaranteed; the rest of the
        ranking is skipped (a partition instead of a full sort when few are wanted).
        """
        ids, scores = self.ids, self.scores
        if enough is not None and enough < len(ids) // 4:
            # Every document scoring at least the enough-th best score, ties included.
            cut = -np.partition(-scores, enough - 1)[enough - 1]
            keep = scores >= cut
            ids, scores = ids[keep], scores[keep]
        return ids[np.lexsort((ids, -scores))]


def _bm25(idf: float, tf: np.ndarray, fl: np.ndarray, avgfl: float, b: float, k1: float) -> np.ndarray:
    """Whoosh's ``scoring.bm25``, over arrays."""
    return idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl)))


@dataclass(frozen=True)
class _Postings:
    """One term's postings in one segment (deleted documents included)."""

    ids: np.ndarray  # segment-local document numbers
    weights: np.ndarray
    #: Each block's encoded positions: decoded already (a W3 block, inlined postings) or an
    #: ``ArrayCodec`` block's ``Values``, inflated and read only where ``position_keys`` asks.
    value_blocks: list[Sequence[bytes]]

    @cached_property
    def _starts(self) -> np.ndarray:
        """The index in ``ids`` of each block's first posting."""
        return np.cumsum([0, *map(len, self.value_blocks)], dtype=np.int64)[:-1]

    def position_keys(self, docs: np.ndarray, decode: Callable[[bytes], list[int]]) -> np.ndarray:
        """Every position of the term in ``docs`` (segment-local, sorted, all among
        ``ids``) as ``doc << 32 | position``, sorted.

        Only the blocks holding them are read. Of a block that stores positions as arrays
        only the stored counts and gaps are taken; the positions of just these documents'
        postings are then summed for all blocks at once (decoding each block whole cost
        ~40 µs, and the proximity bonus reads ~40 blocks a word for 100 documents)."""
        if not len(docs):
            return _EMPTY_IDS
        at = np.searchsorted(self.ids, docs)
        block_of = np.searchsorted(self._starts, at, side="right") - 1
        edges = [0, *(np.flatnonzero(np.diff(block_of)) + 1).tolist(), len(docs)]
        counts, gaps, chosen, chosen_docs, keys = [], [], [], [], []
        first = 0  # where this block's postings start among those of the blocks in ``counts``
        for lo, hi in pairwise(edges):  # the documents of one block at a time
            block = int(block_of[lo])
            values, local = self.value_blocks[block], at[lo:hi] - self._starts[block]
            stored = values.position_gaps() if isinstance(values, Values) else None
            if stored is None:  # a W3 block, or inlined postings: Whoosh's encoded values
                found = [decode(values[j]) for j in local.tolist()]
                lengths = np.fromiter(map(len, found), dtype=np.int64, count=len(found))
                flat = np.fromiter(chain.from_iterable(found), dtype=np.int64, count=int(lengths.sum()))
                keys.append(np.repeat(docs[lo:hi] << 32, lengths) | flat)
                continue
            counts.append(stored[0])
            gaps.append(stored[1])
            chosen.append(local + first)
            chosen_docs.append(docs[lo:hi])
            first += len(stored[0])
        if counts:
            every_count = np.concatenate(counts, dtype=np.int64)
            postings = np.concatenate(chosen)
            lengths = every_count[postings]
            begins = (np.cumsum(every_count) - every_count)[postings]
            running = np.cumsum(np.concatenate(gaps, dtype=np.int64)[_ranges(begins, lengths)])
            before = np.cumsum(lengths) - lengths  # each posting's first among ``running``
            running -= np.repeat(np.where(before > 0, running[before - 1], 0), lengths)
            keys.append(np.repeat(np.concatenate(chosen_docs) << 32, lengths) | running)
        return np.sort(np.concatenate(keys)) if keys else _EMPTY_IDS


def _ranges(begins: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """The indices ``begins[i] .. begins[i] + counts[i] - 1`` for every ``i``, in order."""
    before = np.cumsum(counts) - counts
    return np.repeat(begins - before, counts) + np.arange(int(counts.sum()), dtype=np.int64)


_NO_POSTINGS = _Postings(_EMPTY_IDS, _EMPTY_SCORES, [])


def _read_postings(reader, fieldname: str, btext: bytes) -> _Postings:
    """All of a term's posting blocks in one segment, as arrays.

    The term's whole posting range is read with one file read and parsed in memory
    (Whoosh's matcher reads each block's header with a dozen small reads). A segment in
    ``ArrayCodec``'s format is arrays already (``codec.read_postings``: ``np.frombuffer``,
    positions left packed). A W3 segment (an index built before it) pickles each
    block's delta-coded ids, weights and values together: one unpickle gives all three
    and the ids are one ``cumsum`` (Whoosh decodes them one by one).
    Deleted documents are included (Whoosh's ``FilterMatcher`` for them walks postings
    one by one); the live mask drops them instead.
    """
    terms = getattr(reader, "_terms", None)
    if terms is None:  # an index without segments: Whoosh's EmptyReader has no term table
        return _NO_POSTINGS
    try:  # one look-up in the term table (``(field, term) in reader`` was a second one)
        info = terms.term_info(fieldname, btext)
    except TermNotFound:
        return _NO_POSTINGS
    if info.is_inlined():  # a rare term's postings are kept in its term info
        ids, weights, values = info.inlined_postings()
        return _Postings(np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float64),
                         [values])
    offset, length = info.extent()
    if isinstance(length, tuple):  # W3TermInfo.from_bytes leaves it as struct.unpack's tuple
        length = length[0]
    data = terms._postfile.get(offset, length)
    if isinstance(terms._codec, ArrayCodec):
        return _Postings(*read_postings(data, reader.doc_count_all()))
    m = W3LeafMatcher(StructFile(io.BytesIO(data)), 0, length, reader.schema[fieldname].format)
    id_blocks, weight_blocks, value_blocks = [], [], []
    while not m._atend:
        m._read_data()
        coded, weights = m._data[0], m._data[1]
        ids = np.asarray(coded, dtype=np.int64)
        id_blocks.append(ids if m._byteids else np.cumsum(ids))
        if weights is None or isinstance(weights, float):
            weight_blocks.append(np.full(len(ids), 1.0 if weights is None else weights))
        else:
            weight_blocks.append(np.asarray(weights, dtype=np.float64))
        m._read_values()
        value_blocks.append(m._values)
        if m._lastblock:
            break
        m._goto(m._nextoffset)
    if not id_blocks:
        return _NO_POSTINGS
    return _Postings(np.concatenate(id_blocks), np.concatenate(weight_blocks), value_blocks)


def _in_sequence(keys: list[np.ndarray], slop: int) -> np.ndarray:
    """The documents where the words occur in order, each at most ``slop`` positions
    after the previous, from each word's ``_Postings.position_keys``.

    Whoosh's ``Phrase`` (``SpanNear2``, ordered, mindist 1) rule: slop 1 is "right after".
    Each position looks for an end in ``[p - slop, p - 1]`` by binary search, all of a
    word's positions at once, so the cost does not grow with the slop (it was a loop
    over every step: 66 s for ``"said said"~100000``). A slop past any position means
    "anywhere before", and is capped so that a key minus the slop stays in its document.
    """
    slop = min(slop, _MAX_SLOP)
    ends = keys[0]
    for later in keys[1:]:
        at = np.searchsorted(ends, later - slop)
        ok = at < len(ends)
        ok[ok] = ends[at[ok]] < later[ok]
        ends = later[ok]
    return np.unique(ends >> 32)


class _Evaluator:
    """One query's evaluation against one searcher and its per-document columns."""

    def __init__(self, searcher, live: np.ndarray, columns: FacetColumns,
                 vocabulary: Vocabulary, budget: Budget) -> None:
        self.searcher = searcher
        self.budget = budget
        self.columns = columns
        self.vocabulary = vocabulary
        self.reader = searcher.reader()
        self.leaves = self.reader.leaf_readers()
        self.live = live
        self.lengths = columns.lengths
        self.days = columns.days
        weighting = searcher.weighting
        self.k1 = weighting.K1
        self.b = weighting.B
        self.field_b = weighting._field_B
        self.terms: set[tuple[str, bytes]] = set()
        # Postings read so far (field, term) -> per segment: a phrase reuses its words'.
        self.postings: dict[tuple[str, bytes], list[_Postings]] = {}

    def term(self, fieldname: str, text: str | bytes, boost: float) -> Matches:
        fieldtype = self.searcher.schema[fieldname]
        btext = text if isinstance(text, bytes) else fieldtype.to_bytes(text)
        key = (fieldname, btext)
        if key not in self.postings:
            self.budget.spend("postings read", len(self.leaves))
            self.postings[key] = [_read_postings(r, fieldname, btext) for r, _ in self.leaves]
        parts = [(p.ids + offset, p.weights)
                 for p, (_, offset) in zip(self.postings[key], self.leaves, strict=True) if len(p.ids)]
        if not parts:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES)
        ids = np.concatenate([p[0] for p in parts])
        tf = np.concatenate([p[1] for p in parts])
        alive = self.live[ids]
        ids, tf = ids[alive], tf[alive]
        if fieldtype.scorable and fieldname in self.lengths:
            scores = _bm25(self.searcher.idf(fieldname, btext), tf, self.lengths[fieldname][ids],
                           self.searcher.avg_field_length(fieldname) or 1,
                           self.field_b.get(fieldname, self.b), self.k1)
        else:
            scores = tf
        return Matches(ids, scores * boost if boost != 1.0 else scores)

    def constant(self, ids: np.ndarray, boost: float) -> Matches:
        return Matches(ids, np.full(len(ids), float(boost)))

    def day_range(self, start: int | None, end: int | None, startexcl: bool, endexcl: bool) -> np.ndarray:
        """Documents published between two day numbers, from the ``day`` column (the same
        value as the ``date`` field): no walk over a range's day terms."""
        inside = self.live & (self.days > 0)
        if start is not None:
            inside &= self.days > start if startexcl else self.days >= start
        if end is not None:
            inside &= self.days < end if endexcl else self.days <= end
        return np.flatnonzero(inside)

    def having(self, fieldname: str) -> np.ndarray:
        """Documents with any value in a field (``person:*``), from the columns when the
        field has one (Whoosh's ``Every(field)`` matched every document)."""
        if fieldname in _FACET_OF_FIELD:
            docs = np.unique(self.columns.multi[_FACET_OF_FIELD[fieldname]].pair_doc)
            return docs[self.live[docs]].astype(np.int64)
        if fieldname in self.lengths:
            return np.flatnonzero(self.live & (self.lengths[fieldname] > 0))
        if fieldname == "date":
            return np.flatnonzero(self.live & (self.days > 0))
        return self.whoosh_docs(wq.Every(fieldname))

    def whoosh_docs(self, q: wq.Query) -> np.ndarray:
        """Documents of a node only Whoosh knows how to match (e.g. ranges over words)."""
        ids = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
        return ids[self.live[ids]]

    def evaluate(self, q: wq.Query, positive: bool = True, within: np.ndarray | None = None) -> Matches:
        """Matches of ``q``; ``positive`` is False under a NOT (its words are not highlighted)
        and ``within`` (documents matching the rest of an enclosing ``And``) lets a phrase
        check positions only where they can matter."""
        if isinstance(q, wq.Term):
            if positive:
                self.terms.add((q.fieldname, q.text if isinstance(q.text, bytes)
                                else self.searcher.schema[q.fieldname].to_bytes(q.text)))
            return self.term(q.fieldname, q.text, q.boost)
        if isinstance(q, wq.Every):
            return self.constant(np.flatnonzero(self.live) if not q.fieldname
                                 else self.having(q.fieldname), q.boost)
        if isinstance(q, wq.Not):
            return self.constant(_without(self.constant(np.flatnonzero(self.live), q.boost),
                                          self.evaluate(q.query, False)).ids, q.boost)
        if q is wq.NullQuery:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES)
        if isinstance(q, wq.AndNot):
            return _without(self.evaluate(q.a, positive), self.evaluate(q.b, False))
        if type(q) in (wq.And, wq.Or):
            return self.compound(q, positive, within)
        if isinstance(q, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
            words = self.vocabulary.expansions(q, self.reader, self.budget)
            if positive:
                self.terms.update((q.fieldname, w) for w in words)
            found = [self.term(q.fieldname, w, 1.0).ids for w in words]
            return self.constant(np.unique(np.concatenate(found)) if found else _EMPTY_IDS, q.boost)
        if isinstance(q, wq.Phrase):
            return self.phrase(q, positive, within)
        if isinstance(q, wq.NumericRange) and q.fieldname == "date":
            return self.constant(self.day_range(q.start, q.end, q.startexcl, q.endexcl), q.boost)
        if isinstance(q, wq.NumericRange) and q.fieldname not in self.searcher.schema:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES)  # "added" on an index made before it
        return self.constant(self.whoosh_docs(q), getattr(q, "boost", 1.0))

    def phrase(self, q: wq.Phrase, positive: bool, within: np.ndarray | None) -> Matches:
        """Documents with the words in sequence, scored as the sum of the words.

        Only documents that have every word (and, inside an ``And``, match the rest of
        it: ``within``) get their positions read, so a phrase costs what its rarest
        combination does, not a Python walk over every posting of its words.
        """
        words = [self.evaluate(wq.Term(q.fieldname, w, boost=q.boost), positive) for w in q.words]
        if not words:
            return Matches(_EMPTY_IDS, _EMPTY_SCORES)
        together = words[0]
        for word in words[1:]:
            together = _intersect(together, word)
        if within is not None:
            inside = np.isin(together.ids, within, assume_unique=True)
            together = Matches(together.ids[inside], together.scores[inside])
        if len(words) == 1:
            return together
        field = self.searcher.schema[q.fieldname]
        keep = np.zeros(len(together.ids), dtype=bool)
        for leaf, (reader, offset) in enumerate(self.leaves):
            inside = np.flatnonzero((together.ids >= offset) & (together.ids < offset + reader.doc_count_all()))
            if not len(inside):
                continue
            # Each distinct word's positions are decoded once ("said said said": once).
            postings = {w: self.postings[(q.fieldname, field.to_bytes(w))][leaf]
                        for w in dict.fromkeys(q.words)}
            for start in range(0, len(inside), _PHRASE_CHUNK):
                chunk = inside[start:start + _PHRASE_CHUNK]
                self.budget.spend("phrase positions", len(chunk) * len(postings))
                local = together.ids[chunk] - offset
                keys = {w: p.position_keys(local, field.format.decode_positions)
                        for w, p in postings.items()}
                keep[chunk] = np.isin(local, _in_sequence([keys[w] for w in q.words], q.slop))
        return Matches(together.ids[keep], together.scores[keep])

    def compound(self, q: wq.Query, positive: bool, within: np.ndarray | None) -> Matches:
        subs = [s for s in q.subqueries if not isinstance(s, wq.Not)]
        nots = [s.query for s in q.subqueries if isinstance(s, wq.Not)]
        if isinstance(q, wq.Or):
            # A bare "NOT x" inside an Or means "every document but x".
            subs += [wq.AndNot(wq.Every(), n) for n in nots]
            found = _sum([self.evaluate(s, positive, within) for s in subs])
        else:
            # Parts without phrases first: their matches narrow where positions are read.
            cheap = sorted((self.evaluate(s, positive, within) for s in subs if not _has_phrases(s)),
                           key=lambda m: len(m.ids))
            found = cheap[0] if cheap else None
            for part in cheap[1:]:
                found = _intersect(found, part)
            for sub in (s for s in subs if _has_phrases(s)):
                part = self.evaluate(sub, positive, within if found is None else found.ids)
                found = part if found is None else _intersect(found, part)
            if found is None:
                found = self.constant(np.flatnonzero(self.live), 0.0)
            for n in (s for s in q.subqueries if isinstance(s, wq.Not)):
                # As in Whoosh, a NOT clause adds its boost to what remains.
                found = _without(found, self.evaluate(n.query, False))
                found = Matches(found.ids, found.scores + n.boost)
        if q.boost != 1.0:
            found = Matches(found.ids, found.scores * q.boost)
        return found


def _has_phrases(q: wq.Query) -> bool:
    return isinstance(q, wq.Phrase) or any(_has_phrases(s) for s in q.children())


def _intersect(a: Matches, b: Matches) -> Matches:
    ids, ia, ib = np.intersect1d(a.ids, b.ids, assume_unique=True, return_indices=True)
    return Matches(ids, a.scores[ia] + b.scores[ib])


def _without(a: Matches, b: Matches) -> Matches:
    keep = ~np.isin(a.ids, b.ids, assume_unique=True)
    return Matches(a.ids[keep], a.scores[keep])


def _sum(parts: list[Matches]) -> Matches:
    """Union of the parts, each document scoring the sum of the parts it is in."""
    parts = [p for p in parts if len(p.ids)]
    if not parts:
        return Matches(_EMPTY_IDS, _EMPTY_SCORES)
    if len(parts) == 1:
        return parts[0]
    ids, where = np.unique(np.concatenate([p.ids for p in parts]), return_inverse=True)
    scores = np.bincount(where, weights=np.concatenate([p.scores for p in parts]), minlength=len(ids))
    return Matches(ids, scores)


def evaluate(q: wq.Query, searcher, live: np.ndarray, columns: FacetColumns,
             vocabulary: Vocabulary, budget: Budget) -> Matches:
    """Every live document matching ``q``, its score, and the terms that can match it."""
    evaluator = _Evaluator(searcher, live, columns, vocabulary, budget)
    found = evaluator.evaluate(q.normalize())
    return Matches(found.ids, found.scores, frozenset(evaluator.terms), evaluator.postings)


def with_phrase_bonus(found: Matches, phrase: wq.Phrase, window: int, searcher, live: np.ndarray,
                      columns: FacetColumns, vocabulary: Vocabulary, budget: Budget) -> Matches:
    """``found`` with the scores of ``phrase`` added where it matches, checked among the
    ``window`` best of ``found`` only (indexer.search.ranking's proximity bonus: the
    positions of every match cost too much in Python, and past the first pages the bonus
    changes nothing a user sees)."""
    if not len(found.ids):
        return found
    best = np.sort(found.ranked(window)[:window])
    evaluator = _Evaluator(searcher, live, columns, vocabulary, budget)
    evaluator.postings.update(found.postings or {})
    bonus = evaluator.phrase(phrase, False, best)
    if not len(bonus.ids):
        return found
    scores = found.scores.copy()
    scores[np.searchsorted(found.ids, bonus.ids)] += bonus.scores
    return Matches(found.ids, scores, found.terms, found.postings)
