"""Words of the index within a few typing mistakes of a given word (fuzzy terms, "did you mean").

Whoosh's ``terms_within`` runs a Levenshtein automaton over a segment's word list, but only
on a one-segment index, and there it looks in the unstemmed spelling field even for a
stemmed field. On an index of several segments (any ``--workers 2`` build, any index
updated since its last optimize) it compares every word of the field in Python: 1.3 s for
``stokc~`` at 25,000 articles. Its automaton is no way out at scale either: with two edits
it walks most of the word list (2.2 s for ``pric~2`` at 100,000 articles).

Here each segment's words of a field are read once, kept for as long as the segment
exists, and compared with RapidFuzz's C++ optimal-string-alignment distance (a swap of two
neighbouring letters, the commonest typo, is one edit; a swapped pair is not edited again:
exactly Lucene's fuzzy-query distance, so both engines expand a fuzzy term alike):
~20 ms for a field of 100,000 articles.
"""

from __future__ import annotations

import re
from bisect import bisect_left

from rapidfuzz import process
from rapidfuzz.distance import OSA
from whoosh.fields import BOOLEAN, NUMERIC
from whoosh.query import FuzzyTerm, Prefix, Wildcard

from indexer.search.limits import MAX_EXPANSION, MAX_FUZZY_EXPANSION, Budget, too_many_words

_MEMO_SIZE = 1024  # expansions remembered per searcher generation (check, search, highlight)


def segment_key(reader) -> str:
    """A segment's identity; its words and columns never change, so the id is enough."""
    segment = reader.segment() if hasattr(reader, "segment") else None
    return segment.segment_id() if segment is not None else str(id(reader))


def _glob(text: str) -> re.Pattern[str]:
    """A wildcard (``*`` any letters, ``?`` one) as a regex over one word per line."""
    body = "".join("[^\n]*" if c == "*" else "[^\n]" if c == "?" else re.escape(c)
                   for c in text)
    return re.compile(f"^{body}$", re.MULTILINE)


class Vocabulary:
    """The words of each segment, by field, read on first use.

    ``cache`` maps (segment id, field) to a sorted word list and is shared between
    searcher generations (and threads), so after an incremental update only new segments
    are read; entries of segments merged away are dropped.

    Wildcards and prefixes are matched here too, not with Whoosh's ``_btexts``: that
    walks the lexicon in Python and runs the pattern on every word (38 s for 150
    ``*qqq`` terms on Reuters-21578). A prefix is a binary search in the sorted list, a
    leading wildcard one C regex scan over the segment's words joined by newlines.
    """

    def __init__(self, reader, cache: dict[tuple[str, str], object]) -> None:
        self.leaves = [leaf for leaf, _ in reader.leaf_readers() if leaf.doc_count_all()]
        current = {segment_key(leaf) for leaf in self.leaves}
        for key in list(cache):  # list(): other threads may add entries meanwhile
            if key[0] not in current:
                cache.pop(key, None)
        self.cache = cache
        self._memo: dict[tuple, list[bytes]] = {}

    def _words(self, leaf, fieldname: str) -> list[str]:
        key = (segment_key(leaf), fieldname)
        words = self.cache.get(key)
        if words is None:
            words = ([b.decode("utf-8") for b in leaf.lexicon(fieldname)]
                     if fieldname in leaf.indexed_field_names() else [])
            self.cache[key] = words
        return words

    def _joined(self, leaf, fieldname: str) -> str:
        key = (segment_key(leaf), f"joined:{fieldname}")
        joined = self.cache.get(key)
        if joined is None:
            joined = "\n".join(self._words(leaf, fieldname))
            self.cache[key] = joined
        return joined

    def load(self, fieldname: str) -> None:
        """Read the field's words of every segment now rather than on first use."""
        for leaf in self.leaves:
            self._words(leaf, fieldname)

    def within(self, fieldname: str, word: str, maxdist: int, prefix: int = 0,
               budget: Budget | None = None) -> set[str]:
        """Words of ``fieldname`` within ``maxdist`` edits of ``word`` (the first ``prefix``
        letters equal). An edit inserts, deletes or substitutes a letter or swaps two."""
        return set(self.distances(fieldname, word, maxdist, prefix, budget))

    def distances(self, fieldname: str, word: str, maxdist: int, prefix: int = 0,
                  budget: Budget | None = None) -> dict[str, int]:
        """``within``, each word with its distance."""
        start = word[:prefix]
        found: dict[str, int] = {}
        for leaf in self.leaves:
            words = self._words(leaf, fieldname)
            if budget is not None:
                budget.spend("vocabulary words", len(words))
            for match, distance, _ in process.extract(
                    word, words, scorer=OSA.distance, score_cutoff=maxdist,
                    limit=None):
                if match.startswith(start):
                    found[match] = min(distance, found.get(match, distance))
        return found

    def matching(self, fieldname: str, pattern: str, budget: Budget | None = None) -> set[str]:
        """Words of ``fieldname`` matching a wildcard pattern (``*``, ``?``); at most
        MAX_EXPANSION + 1 of them (enough to know the pattern matches too many)."""
        literal = re.match(r"[^*?]*", pattern).group()
        rx = None if literal == pattern[:-1] and pattern.endswith("*") else _glob(pattern)
        found: set[str] = set()
        for leaf in self.leaves:
            words = self._words(leaf, fieldname)
            if literal:
                lo = bisect_left(words, literal)
                hi = bisect_left(words, literal + "\U0010ffff", lo)
                candidates = words[lo:hi]
                if budget is not None:
                    budget.spend("vocabulary words", len(candidates))
                found.update(candidates if rx is None else
                             (w for w in candidates if rx.match(w)))
            else:
                if budget is not None:
                    budget.spend("vocabulary words", len(words))
                for m in rx.finditer(self._joined(leaf, fieldname)):
                    found.add(m.group())
                    if len(found) > MAX_EXPANSION:
                        break
            if len(found) > MAX_EXPANSION:
                break
        return found

    def expansions(self, node, reader, budget: Budget | None = None) -> list[bytes]:
        """The indexed terms a wildcard, prefix or fuzzy query node stands for.

        A wildcard or prefix over more than MAX_EXPANSION words is refused; a fuzzy term
        stands for its MAX_FUZZY_EXPANSION closest words (fewest edits, then alphabetical;
        ranking by frequency costs a slow term lookup per candidate): ``oil~2`` is within
        two edits of 400 words of Reuters' first 3,000 articles, and reading 4,000 posting
        lists for ten such terms took 2.3 s.
        """
        key = (type(node).__name__, node.fieldname, node.text,
               getattr(node, "maxdist", 0), getattr(node, "prefixlength", 0))
        if key in self._memo:
            return self._memo[key]
        field = reader.schema[node.fieldname]
        if isinstance(node, FuzzyTerm):
            close = self.distances(node.fieldname, node.text, node.maxdist, node.prefixlength,
                                budget)
            words = sorted(close, key=lambda w: (close[w], w))[:MAX_FUZZY_EXPANSION]
        elif isinstance(node, (Prefix, Wildcard)) and "[" not in node.text and \
                not isinstance(field, (NUMERIC, BOOLEAN)):
            words = self.matching(node.fieldname, node.text + ("*" if isinstance(node, Prefix)
                                                               else ""), budget)
        else:
            words = None
        if words is None:  # a field whose terms are not text, or a [set] pattern
            found = []
            for btext in node._btexts(reader):
                if budget is not None:
                    budget.spend("vocabulary words")
                found.append(btext)
                if len(found) > MAX_EXPANSION:
                    break
        else:
            found = sorted(field.to_bytes(w) for w in words)
        if len(found) > MAX_EXPANSION and not isinstance(node, FuzzyTerm):
            raise too_many_words(node.text + ("*" if isinstance(node, Prefix) else ""))
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = found
        return found
