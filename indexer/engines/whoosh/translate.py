"""The neutral query tree as Whoosh query objects, node by node (the matcher in
``matches.py`` evaluates those over posting arrays)."""

from __future__ import annotations

from whoosh import query as wq

from indexer.engines.whoosh.dayfield import day_range
from indexer.search import tree as t
from indexer.search.added import FIELD as ADDED


def to_whoosh(node: t.Node) -> wq.Query:
    """One Whoosh query for a tree."""
    match node:
        case t.Every():
            return wq.Every()
        case t.Term(field=f, text=text, boost=boost):
            return wq.Term(f, text, boost=boost)
        case t.Phrase(field=f, words=words, slop=slop, boost=boost):
            return wq.Phrase(f, list(words), slop=slop, boost=boost)
        case t.Prefix(field=f, text=text, boost=boost):
            return wq.Prefix(f, text, boost=boost)
        case t.Wildcard(field=f, pattern=pattern, boost=boost):
            return wq.Wildcard(f, pattern, boost=boost)
        case t.Fuzzy(field=f, text=text, maxdist=dist, prefix=prefix, boost=boost):
            return wq.FuzzyTerm(f, text, boost=boost, maxdist=dist, prefixlength=prefix)
        case t.DayRange(first=first, last=last):
            return day_range(first, last)
        case t.AddedAfter(stamp=stamp):
            return wq.NumericRange(ADDED, stamp + 1, None, constantscore=True)
        case t.TermRange(field=f, start=start, end=end, start_excl=sx, end_excl=ex):
            return wq.TermRange(f, start, end, startexcl=sx, endexcl=ex)
        case t.Exists(field=f):
            return wq.Every(f)  # matches.py reads "has a value" from the field's column
        case t.And(parts=parts):
            # No Every() beside a Not: Whoosh's normalize() turns And([Every(), Not(x)])
            # into Every(); matches.py evaluates an And of Nots as "every article but".
            kept = [to_whoosh(p) for p in parts if not isinstance(p, t.Every)]
            return kept[0] if len(kept) == 1 else wq.And(kept) if kept else wq.Every()
        case t.Or(parts=parts):
            return wq.Or([to_whoosh(p) for p in parts])
        case t.Not(part=part):
            return wq.Not(to_whoosh(part))
    raise TypeError(f"no Whoosh translation for {type(node).__name__}")
