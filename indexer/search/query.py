"""The query language: Whoosh's parser with the plugins our syntax needs, plus checks.

Words are ANDed; ``OR``, ``NOT``/``-word``, ``"phrases"``, ``"phrase"~3``, ``wild*``,
``fuzzy~``, parentheses, ``title:``/``person:``/``country:``/``source:`` fields and
``date:`` ranges (``date:2018``, ``date:2018-05``, ``date:[2018-04-01 to 2018-05-31]``,
``date:>2018-04-01``). Searches run over title (boosted) and body with the same analyzer
as indexing. Parse problems become QueryError with a message, never an exception trace.
"""

from __future__ import annotations

import re

from whoosh import query as wq
from whoosh.qparser import (
    FieldAliasPlugin,
    FuzzyTermPlugin,
    GtLtPlugin,
    MultifieldParser,
    PlusMinusPlugin,
)
from whoosh.qparser.dateparse import DateParseError, DateParserPlugin

from indexer.search.model import QueryError

SEARCH_FIELDS = ("title", "body")
FIELD_BOOSTS = {"title": 2.0, "body": 1.0}
QUERY_FIELDS = ("title", "body", "person", "country", "country_code", "source", "date",
                "mentioned", "category")
MAX_EXPANSION = 1000  # terms a wildcard or fuzzy term may expand to
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def make_parser(schema):  # -> MultifieldParser
    """A parser over title and body, with our plugins and field aliases."""
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=FIELD_BOOSTS)
    parser.add_plugin(FuzzyTermPlugin())
    parser.add_plugin(GtLtPlugin())
    parser.add_plugin(DateParserPlugin(free=False))
    parser.add_plugin(PlusMinusPlugin())
    parser.add_plugin(FieldAliasPlugin({
        "person": ["people"], "country": ["countries"], "source": ["sources"],
        "date": ["published"], "body": ["text"],
    }))
    return parser


def clean_query(text: str) -> str:
    """Drop NUL and other control characters that no user means to search for."""
    return _CONTROL.sub(" ", text).strip()


def parse(parser, text: str) -> wq.Query:
    """Parse a user query, raising QueryError for anything Whoosh could not understand."""
    text = clean_query(text)
    if not text:
        return wq.Every()
    unknown = {f for f in re.findall(r"(?<![\w\"])([A-Za-z_]+):(?=\S)", text)
               if f.lower() not in QUERY_FIELDS and f.lower() not in
               ("people", "countries", "sources", "published", "text")}
    if unknown:
        name = sorted(unknown)[0]
        raise QueryError(f"unknown field '{name}:'; use one of title:, person:, country:, "
                         f"source:, date: (or put the word in quotes)")
    if text.count('"') % 2:
        raise QueryError('unbalanced quote: a phrase needs a closing " mark')
    depth = 0
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if depth < 0:
            break
    if depth:
        raise QueryError("unbalanced parentheses: every ( needs a matching )")
    try:
        q = parser.parse(text)
    except DateParseError as exc:
        raise QueryError(f"cannot read the date in the query: {exc}") from None
    except Exception as exc:  # whoosh raises assorted errors on odd input
        raise QueryError(f"cannot parse the query: {exc}") from None
    _check_errors(q)
    if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
        raise QueryError("the query has no searchable words (only stop words or operators)")
    return q


def _check_errors(q: wq.Query) -> None:
    for node in _walk(q):
        if isinstance(node, wq.Term) and node.fieldname == "date" and isinstance(
                node.text, str) and "error" in type(node).__name__.lower():
            raise QueryError(f"cannot read the date {node.text!r}")
        if type(node).__name__ == "ErrorQuery" or hasattr(node, "message"):
            raise QueryError(f"cannot read the query near {str(node)[:60]!r}: "
                             f"{getattr(node, 'message', 'invalid syntax')}")


def _walk(q: wq.Query):
    yield q
    for child in q.children():
        yield from _walk(child)


def check_expansion(q: wq.Query, reader) -> None:
    """Refuse wildcards and fuzzy terms that would expand to too many words (``a*``)."""
    for node in _walk(q):
        if isinstance(node, (wq.Prefix, wq.Wildcard, wq.FuzzyTerm, wq.Regex)):
            text = str(getattr(node, "text", ""))
            if isinstance(node, (wq.Prefix, wq.Wildcard)) and len(text.strip("*?")) < 2:
                raise QueryError(f"'{text}' is too short for a wildcard; give at least "
                                 "two letters before * or ?")
            count = 0
            for _ in node._btexts(reader):
                count += 1
                if count > MAX_EXPANSION:
                    raise QueryError(f"'{text}' matches more than {MAX_EXPANSION:,} words; "
                                     "make it more specific")
