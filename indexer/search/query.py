"""The query language: Whoosh's parser with the plugins our syntax needs, plus checks.

Words are ANDed; ``OR``, ``NOT``/``-word``, ``"phrases"``, ``"phrase"~3``, ``wild*``,
``fuzzy~``, parentheses, ``title:``/``person:``/``country:``/``about:``/``source:`` fields and
``date:`` ranges (``date:2018``, ``date:2018-05``, ``date:[2018-04-01 to 2018-05-31]``,
``date:>2018-04-01``), read by the DATETIME field itself (Whoosh's DateParserPlugin
misreads ISO dates inside ranges). Searches run over title (boosted) and body with the same analyzer
as indexing. Parse problems become QueryError with a message, never an exception trace.
"""

from __future__ import annotations

import functools
import re
from datetime import date

from whoosh import query as wq
from whoosh.qparser import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    OperatorsPlugin,
)

from indexer.engines.whoosh.vocabulary import Vocabulary
from indexer.search import tree
from indexer.search.facets import REGISTRY
from indexer.search.limits import (
    MAX_EXPANDING_TERMS,
    MAX_EXPANSION,
    MAX_FUZZY_DISTANCE,
    MAX_NESTING,
    MAX_PHRASE_WORDS,
    MAX_SLOP,
    MAX_TOTAL_EXPANSION,
    Budget,
    too_deep,
    too_fuzzy,
    too_long_phrase,
    too_many_expanding_terms,
    too_many_words,
    too_many_words_together,
    too_much_slop,
    too_short_wildcard,
)
from indexer.search.model import FACET_FIELDS, QueryError, check_length

SEARCH_FIELDS = ("title", "body")
FIELD_BOOSTS = {"title": 2.0, "body": 1.0}
QUERY_FIELDS = ("title", "body", *FACET_FIELDS.values(), "country_code", "date", "mentioned",
                "category")
# A facet's name works as its field too ("countries:japan"), as do published: and text:.
FIELD_ALIASES = {**{f.field: [name for name in (f.name, f.option) if name and name != f.field]
                   for f in REGISTRY if f.name != f.field or f.option},
                 "date": ["published"], "body": ["text"]}
_DATE_FIELD = re.compile(r"(?<![\w\"])(?:date|published):", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# NOT or "-" right before another NOT or "-" (Whoosh's parser fails with an IndexError).
_DOUBLE_NOT = re.compile(r"(^|(?<=[\s(]))(NOT\s+|-(?=[\w\"(]))+(NOT(?=\s)|-(?=[\w\"(]))")


def make_parser(schema):  # -> MultifieldParser
    """A parser over title and body, with our plugins and field aliases."""
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    # "-word" is NOT, but only at the start of a word: "1987-03" and "Jong-un" stay whole.
    parser.replace_plugin(OperatorsPlugin(Not=r"(^|(?<=(\s|[()])))(NOT(?=\s)|-(?=[\w\"(]))"))
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def clean_query(text: str) -> str:
    """Drop NUL and other control characters that no user means to search for."""
    return _CONTROL.sub(" ", text).strip()


def parse(parser, text: str) -> wq.Query:
    """Parse a user query, raising QueryError for anything Whoosh could not understand."""
    text = clean_query(text)
    if not text or text == "*":  # "*" alone: every article, without walking every term
        return wq.Every()
    aliases = {alias for names in FIELD_ALIASES.values() for alias in names}
    unknown = {f for f in re.findall(r"(?<![\w\"])([A-Za-z_]+):(?=\S)", text)
               if f.lower() not in QUERY_FIELDS and f.lower() not in aliases}
    if unknown:
        name = sorted(unknown)[0]
        raise QueryError(f"unknown field '{name}:'; use one of title:, person:, country:, "
                         f"about:, organization:, source:, date: (or put the word in quotes)")
    if text.count('"') % 2:
        raise QueryError('unbalanced quote: a phrase needs a closing " mark')
    depth = deepest = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        deepest = max(deepest, depth)
        if depth < 0:
            break
    if depth:
        raise QueryError("unbalanced parentheses: every ( needs a matching )")
    if deepest > MAX_NESTING:
        raise too_deep(deepest)
    if _DOUBLE_NOT.search(text):
        raise QueryError("NOT NOT: a NOT (or -) needs a word, phrase or (group) after it, "
                         "not another NOT; remove both to search for the word")
    try:
        q = parser.parse(text)
    except Exception:  # whoosh raises assorted errors on odd input; theirs mean nothing to users
        raise QueryError("cannot read the query; check its operators (AND, OR, NOT), quotes "
                         "and parentheses") from None
    _check_errors(q)
    q = without_andnot(q)
    if _DATE_FIELD.search(text) and not any(getattr(node, "fieldname", None) == "date"
                                            for node in _walk(q)):
        raise QueryError("cannot read the date; write date:2018, date:2018-05, "
                         "date:2018-05-12, date:>2018-04-01 or date:[2018-04-01 to 2018-05-31]")
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError("the query has no searchable words (only stop words or operators)")
    return q


def _check_errors(q: wq.Query) -> None:
    for node in _walk(q):
        if type(node).__name__ == "ErrorQuery" or hasattr(node, "message"):
            raise QueryError(f"cannot read the query near {str(node)[:60]!r}: "
                             f"{getattr(node, 'message', 'invalid syntax')}")


def without_andnot(q: wq.Query) -> wq.Query:
    """Rewrite ``a ANDNOT b`` as ``a AND NOT b``.

    Whoosh's AndNot matcher lets excluded documents through when the excluded part is a
    keyword term (``oil -country:"united states"`` kept 2 US articles in a 3,000-article
    test index); the And/Not form is exact.
    """
    if isinstance(q, wq.AndNot):
        return wq.And([without_andnot(q.a), wq.Not(without_andnot(q.b))])
    return q.apply(without_andnot) if q.is_leaf() is False else q


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def check_query(q: wq.Query, vocabulary: Vocabulary, reader, budget: Budget) -> None:
    """Refuse a query whose cost the limits do not allow (indexer.search.limits).

    The one check every entry point runs (search, export, feed, article highlighting,
    the CLI), so they refuse the same queries with the same messages. Cheap checks
    first (``check_tree``, shared with every engine: phrase slop and words, fuzzy
    distance, too-short wildcards and the number of expanding terms need no index); then
    each expanding term is expanded (and the expansions remembered for the search
    itself) and counted.
    """
    check_tree(to_tree(q))
    expanding = [n for n in _walk(q) if isinstance(n, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm))
                 or (isinstance(n, wq.TermRange) and n.fieldname != "date")]
    total = 0
    for node in expanding:
        if isinstance(node, wq.TermRange):
            count = 0
            for _ in node._btexts(reader):
                count += 1
                budget.spend("vocabulary words")
                if count > MAX_EXPANSION:
                    raise too_many_words(_term_text(node))
        else:
            count = len(vocabulary.expansions(node, reader, budget))
        total += count
        if total > MAX_TOTAL_EXPANSION:
            raise too_many_words_together()


def _term_text(node: wq.Query) -> str:
    if isinstance(node, wq.TermRange):
        return f"{node.fieldname}:[{node.start} TO {node.end}]"
    if isinstance(node, wq.FuzzyTerm):
        return f"{node.text}~{node.maxdist:g}"
    return str(node.text) + ("*" if isinstance(node, wq.Prefix) else "")


def query_terms(q: wq.Query, vocabulary: Vocabulary, reader,
                budget: Budget) -> list[tuple[str, object]]:
    """(field, term) pairs a query can match, wildcards and fuzzy terms expanded.

    For highlighting an article outside a result list (the article page), where Whoosh
    has no matched terms to offer.
    """
    pairs: list[tuple[str, object]] = list(q.all_terms())
    for node in _walk(q):
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm)):
            pairs.extend((node.fieldname, t) for t in vocabulary.expansions(node, reader, budget))
    return pairs


def to_tree(q: wq.Query) -> tree.Node:
    """Whoosh's parse as the neutral tree every engine translates (see ``tree``)."""
    if isinstance(q, wq.Every):
        return tree.Exists(q.fieldname) if q.fieldname else tree.Every()
    if isinstance(q, wq.FuzzyTerm):
        return tree.Fuzzy(q.fieldname, q.text, int(q.maxdist), int(q.prefixlength), q.boost)
    if isinstance(q, wq.Prefix):
        return tree.Prefix(q.fieldname, q.text, q.boost)
    if isinstance(q, wq.Wildcard):
        return tree.Wildcard(q.fieldname, q.text, q.boost)
    if isinstance(q, wq.Term):
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else q.text
        return tree.Term(q.fieldname, text, q.boost)
    if isinstance(q, wq.Phrase):
        return tree.Phrase(q.fieldname, tuple(q.words), int(q.slop), q.boost)
    if isinstance(q, wq.NumericRange) and q.fieldname == "date":
        return tree.DayRange(date.fromordinal(q.start) if q.start else None,
                             date.fromordinal(q.end) if q.end else None)
    if isinstance(q, wq.TermRange):
        return tree.TermRange(q.fieldname, q.start, q.end, q.startexcl, q.endexcl)
    if isinstance(q, wq.And):
        return tree.And(tuple(to_tree(s) for s in q.subqueries))
    if isinstance(q, wq.Or):
        return tree.Or(tuple(to_tree(s) for s in q.subqueries))
    if isinstance(q, wq.Not):
        return tree.Not(to_tree(q.query))
    raise QueryError(f"cannot search for {str(q)[:60]!r}; rephrase the query")


@functools.lru_cache(maxsize=1)
def _parser():  # -> MultifieldParser
    from indexer.engines.whoosh.schema import build_schema

    return make_parser(build_schema())


def tree_term_text(leaf: tree.Node) -> str:
    """How a message names an expanding term (as ``_term_text`` does for Whoosh's)."""
    if isinstance(leaf, tree.Fuzzy):
        return f"{leaf.text}~{leaf.maxdist:g}"
    if isinstance(leaf, tree.Prefix):
        return leaf.text + "*"
    if isinstance(leaf, tree.Wildcard):
        return leaf.pattern
    return str(leaf)


def check_tree(node: tree.Node) -> None:
    """The limits that need no index (indexer.search.limits), on the neutral tree: what
    an engine without Whoosh's parser objects checks before it runs a query, with the
    messages ``check_query`` gives."""
    leaves = list(tree.walk(node))
    phrases = {(p.words, p.slop) for p in leaves if isinstance(p, tree.Phrase)}
    if (words := sum(len(p) for p, _ in phrases)) > MAX_PHRASE_WORDS:
        raise too_long_phrase(words)
    for leaf in leaves:
        if isinstance(leaf, tree.Phrase) and leaf.slop > MAX_SLOP:
            raise too_much_slop(leaf.slop)
        if isinstance(leaf, tree.Fuzzy) and leaf.maxdist > MAX_FUZZY_DISTANCE:
            raise too_fuzzy(leaf.text, leaf.maxdist)
        text = leaf.pattern if isinstance(leaf, tree.Wildcard) else \
            leaf.text if isinstance(leaf, tree.Prefix) else None
        if text is not None and len(text.strip("*?")) < 2:
            raise too_short_wildcard(text)
    expanding = {(type(n).__name__, tree_term_text(n),
                  "" if getattr(n, "field", "") in SEARCH_FIELDS else n.field)
                 for n in leaves if isinstance(n, tree.Prefix | tree.Wildcard | tree.Fuzzy
                                               | tree.TermRange)}
    if len(expanding) > MAX_EXPANDING_TERMS:
        raise too_many_expanding_terms(len(expanding))


def parse_tree(text: str) -> tree.Node:
    """The user's query as the neutral tree, checked against the limits that need no
    index (an engine checks the expansions itself)."""
    check_length(text)
    node = to_tree(parse(_parser(), text))
    check_tree(node)
    return node
