"""The neutral query tree as OpenSearch Query DSL, node by node.

The user's text never reaches ``query_string``: every word in the tree is already analysed
(stems, lowercase), so text-field words become ``term`` queries on the analysed fields and
both engines look up the same terms. Phrases become ordered ``span_near`` chains, one per
gap, so that each word must follow the previous within the slop (Whoosh's rule; Lucene's
own phrase slop is a total over the phrase and allows reordering). Expansions (prefix,
wildcard, fuzzy) score a constant, as on Whoosh.
"""

from __future__ import annotations

from indexer.search import tree as t
from indexer.search.added import FIELD as ADDED
from indexer.search.limits import MAX_FUZZY_EXPANSION

#: Query-language keyword fields -> the normalised (lowercase) keyword field matched.
KEYWORD_FIELDS = {"person", "country", "country_code", "about", "organization", "mentioned",
                  "source", "category", "dupkey", "id", "lsh", "file"}
TEXT_FIELDS = {"title", "body"}



def _term(field: str, text: str, boost: float = 1.0) -> dict:
    value: dict = {"value": text}
    if boost != 1.0:
        value["boost"] = boost
    return {"term": {field: value}}


def _span_term(field: str, word: str) -> dict:
    return {"span_term": {field: word}}


def _phrase(node: t.Phrase) -> dict:
    if len(node.words) == 1:
        return _term(node.field, node.words[0], node.boost)
    span = _span_term(node.field, node.words[0])
    for word in node.words[1:]:
        span = {"span_near": {"clauses": [span, _span_term(node.field, word)],
                              "slop": max(0, node.slop - 1), "in_order": True}}
    span["span_near"]["boost"] = node.boost
    return span


def to_dsl(node: t.Node, words: dict[t.Node, list[str]] | None = None) -> dict:
    """One Query DSL object for a tree. ``words`` holds the words a fuzzy term stands for
    where the engine expanded it itself (from the index's word list, as Whoosh expands it
    from its lexicon: the closest MAX_FUZZY_EXPANSION by edit distance, then by word)."""
    words = words or {}
    match node:
        case t.Every():
            return {"match_all": {}}
        case t.Term(field=f, text=text, boost=boost):
            return _term(f, text, boost)
        case t.Phrase():
            return _phrase(node)
        case t.Prefix(field=f, text=text, boost=boost):
            return {"constant_score": {"filter": {"prefix": {f: {"value": text}}},
                                       "boost": boost}}
        case t.Wildcard(field=f, pattern=pattern, boost=boost):
            return {"constant_score": {"filter": {"wildcard": {f: {"value": pattern}}},
                                       "boost": boost}}
        case t.Fuzzy(field=f, boost=boost) if node in words:
            return {"constant_score": {"filter": {"terms": {f: words[node]}}, "boost": boost}}
        case t.Fuzzy(field=f, text=text, maxdist=dist, prefix=prefix, boost=boost):
            return {"constant_score": {"filter": {"fuzzy": {f: {
                "value": text, "fuzziness": dist, "prefix_length": prefix,
                "transpositions": True, "max_expansions": MAX_FUZZY_EXPANSION}}}, "boost": boost}}
        case t.DayRange(first=first, last=last):
            bounds = {}
            if first:
                bounds["gte"] = first.toordinal()
            if last:
                bounds["lte"] = last.toordinal()
            return {"constant_score": {"filter": {"range": {"day": bounds or {"gte": 1}}}}}
        case t.AddedAfter(stamp=stamp):
            return {"constant_score": {"filter": {"range": {ADDED: {"gt": stamp}}}}}
        case t.TermRange(field=f, start=start, end=end, start_excl=sx, end_excl=ex):
            bounds = {}
            if start is not None:
                bounds["gt" if sx else "gte"] = start
            if end is not None:
                bounds["lt" if ex else "lte"] = end
            return {"constant_score": {"filter": {"range": {f: bounds}}}}
        case t.Exists(field="date" | "published"):
            return {"constant_score": {"filter": {"range": {"day": {"gte": 1}}}}}
        case t.Exists(field=f):
            return {"constant_score": {"filter": {"exists": {"field": f}}}}
        case t.And(parts=parts):
            must = [to_dsl(p, words) for p in parts if not isinstance(p, t.Not)]
            must_not = [to_dsl(p.part, words) for p in parts if isinstance(p, t.Not)]
            if not must:
                must = [{"match_all": {}}]
            return {"bool": {"must": must, **({"must_not": must_not} if must_not else {})}}
        case t.Or(parts=parts):
            return {"bool": {"should": [to_dsl(p, words) for p in parts],
                             "minimum_should_match": 1}}
        case t.Not(part=part):
            return {"bool": {"must": [{"match_all": {}}], "must_not": [to_dsl(part, words)]}}
    raise TypeError(f"no OpenSearch translation for {type(node).__name__}")
