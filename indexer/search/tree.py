"""The engine-neutral query tree: what a search means, before any engine runs it.

The user's text is parsed once (``indexer.search.query``) into these nodes, the request's
filters are added as nodes of the same kind (:func:`request_tree`), and each engine
translates the one tree node by node: Whoosh into its query objects, OpenSearch into Query
DSL. Words are already analysed (stems, lowercase) when they reach the tree, so neither
engine analyses the user's text again and both look up exactly the same terms.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date


class Node:
    """A query node; ``children`` lists the nodes it combines (none for a leaf)."""

    def children(self) -> tuple[Node, ...]:
        return ()


@dataclass(frozen=True)
class Every(Node):
    """Every article."""


@dataclass(frozen=True)
class Term(Node):
    """One analysed word (text fields) or one lowercase value (keyword fields)."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase(Node):
    """Words in this order, each at most ``slop`` positions after the previous one
    (slop 1: right after)."""

    field: str
    words: tuple[str, ...]
    slop: int = 1
    boost: float = 1.0


@dataclass(frozen=True)
class Prefix(Node):
    """Words starting with ``text`` (``export*``); every expansion scores the same."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Wildcard(Node):
    """Words matching a pattern with ``*`` and ``?``; every expansion scores the same."""

    field: str
    pattern: str
    boost: float = 1.0


@dataclass(frozen=True)
class Fuzzy(Node):
    """Words within ``maxdist`` edits of ``text`` (a transposition is one edit), the
    first ``prefix`` letters equal."""

    field: str
    text: str
    maxdist: int = 1
    prefix: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class DayRange(Node):
    """Published between two days, both included; None leaves that end open."""

    first: date | None = None
    last: date | None = None


@dataclass(frozen=True)
class TermRange(Node):
    """Keyword values between two strings (``person:[a TO c]``)."""

    field: str
    start: str | None
    end: str | None
    start_excl: bool = False
    end_excl: bool = False


@dataclass(frozen=True)
class Exists(Node):
    """Articles with at least one value in a keyword field (``person:*``)."""

    field: str


@dataclass(frozen=True)
class And(Node):
    parts: tuple[Node, ...] = field(default_factory=tuple)

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True)
class Or(Node):
    parts: tuple[Node, ...] = field(default_factory=tuple)

    def children(self) -> tuple[Node, ...]:
        return self.parts


@dataclass(frozen=True)
class Not(Node):
    """Articles that do not match ``part``; only meaningful inside an ``And``."""

    part: Node

    def children(self) -> tuple[Node, ...]:
        return (self.part,)


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children."""
    yield node
    for child in node.children():
        yield from walk(child)


def positive_leaves(node: Node) -> Iterator[Node]:
    """The leaves that make an article match (not those under a ``Not``): what
    highlighting marks."""
    if isinstance(node, Not):
        return
    if not node.children():
        yield node
        return
    for child in node.children():
        yield from positive_leaves(child)


def conjunction(parts: list[Node]) -> Node:
    """``parts`` ANDed, with ``Every`` in front when nothing positive is left, so that
    "everything except X" means exactly that on every engine."""
    parts = [p for p in parts if not isinstance(p, Every)]
    if not parts:
        return Every()
    if all(isinstance(p, Not) for p in parts):
        parts.insert(0, Every())
    return parts[0] if len(parts) == 1 else And(tuple(parts))


def request_tree(req, user: Node) -> Node:  # req: indexer.search.model.SearchRequest
    """The user's tree with the request's filters: OR within a facet, AND across facets,
    exclusions as one ``Not`` of everything excluded. Both engines run this one tree, so
    filters mean the same on each."""
    from indexer.search.model import FACET_FIELDS

    parts: list[Node] = [user]
    for facet, fieldname in FACET_FIELDS.items():
        if values := req.selected(facet):
            parts.append(Or(tuple(Term(fieldname, v.casefold()) for v in values)))
    if req.dupkey:
        parts.append(Term("dupkey", req.dupkey))
    if req.date_from or req.date_to:
        parts.append(DayRange(req.date_from, req.date_to))
    excluded = tuple(Term(fieldname, v.casefold()) for facet, fieldname in FACET_FIELDS.items()
                     for v in req.excluded(facet))
    if excluded:
        parts.append(Not(Or(excluded)))
    return conjunction(parts)
