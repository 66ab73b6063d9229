"""Who appears with whom: a search's most frequent names linked by shared results.

The nodes are the ``limit`` values of each chosen facet held by most of the search's
matches (ties by value), with that count; an edge joins two nodes held together by at
least one match, weighted by how many. Both come from the engine's exact counts
(``Engine.facet_counts`` and ``Engine.cooccurrence``), so a node's count is the total of
the search filtered by it and an edge's weight the total filtered by both. Documents are
counted as a search's facet counts count them: every copy of a near-duplicate story.

With one facet a node's id is the value (``James Baker``); with several it is the query
language's ``field:value`` (``person:James Baker``, ``country:Japan``), since a country
can be both mentioned and "mainly about". The layout is networkx's spring layout with a
fixed seed, so the same search draws the same picture; GEXF and GraphML (for Gephi) are
networkx's writers.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import networkx as nx

from indexer.search.engine import Engine
from indexer.search.facets import BY_NAME
from indexer.search.model import MAX_COOCCURRING, QueryError, SearchRequest, check_facet

DEFAULT_LIMIT = 25
DEFAULT_FACETS = ("people",)
LAYOUT_SEED = 14  # any fixed number: the same search always gets the same drawing
GRAPH_FORMATS = ("gexf", "graphml")
ALONE_BAND = 0.45  # the layout's share of its height (from the bottom) for unlinked names


def _scale(v: float, lo: float, hi: float, out_lo: float, out_hi: float) -> float:
    if hi == lo:
        return (out_lo + out_hi) / 2
    return float(out_lo + (v - lo) / (hi - lo) * (out_hi - out_lo))


@dataclass(frozen=True)
class Node:
    id: str
    facet: str
    value: str
    count: int


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    weight: int


@dataclass(frozen=True)
class Network:
    query: str
    total: int  # the search's matching documents
    nodes: list[Node]
    edges: list[Edge]  # heaviest first, ties by (source, target)

    def to_json(self) -> dict[str, object]:
        """The documented shape (docs/api.md)."""
        return {"nodes": [{"id": n.id, "count": n.count} for n in self.nodes],
                "edges": [{"source": e.source, "target": e.target, "weight": e.weight}
                          for e in self.edges]}

    def graph(self) -> nx.Graph:
        """The network as a networkx graph (node attributes: label, facet, count)."""
        g = nx.Graph(query=self.query, total=self.total)
        for n in self.nodes:
            g.add_node(n.id, label=n.value, facet=n.facet, count=n.count)
        for e in self.edges:
            g.add_edge(e.source, e.target, weight=e.weight)
        return g

    def layout(self) -> dict[str, tuple[float, float]]:
        """Node positions in [-1, 1]², deterministic (fixed seed, fixed node order).

        The linked nodes get networkx's spring layout in the upper part; the names linked
        to none go in rows below it (in one spring layout they push the linked ones into
        a knot of overlapping labels in the middle).
        """
        g = self.graph()
        linked = [n.id for n in self.nodes if g.degree(n.id)]
        alone = [n.id for n in self.nodes if not g.degree(n.id)]
        pos: dict[str, tuple[float, float]] = {}
        if len(linked) == 1:
            pos[linked[0]] = (0.0, -0.25)
        elif linked:
            sub = g.subgraph(linked)
            spring = nx.spring_layout(sub, k=2.0 / math.sqrt(len(linked)), seed=LAYOUT_SEED,
                                      iterations=50)
            xs = [x for x, _ in spring.values()]
            ys = [y for _, y in spring.values()]
            top = (1.0 - ALONE_BAND) if alone else 1.0
            for node, (x, y) in spring.items():
                pos[node] = (_scale(x, min(xs), max(xs), -1.0, 1.0),
                             _scale(y, min(ys), max(ys), -1.0, top))
        per_row = max(1, math.ceil(math.sqrt(len(alone) * 3)))
        rows = max(1, math.ceil(len(alone) / per_row))
        for i, node in enumerate(alone):
            row, col = divmod(i, per_row)
            y = 1.0 if not linked else 1.0 - ALONE_BAND + 2 * ALONE_BAND * (row + 1) / (rows + 1)
            pos[node] = (-1.0 + 2.0 * (col + 0.5) / per_row, y if linked else
                         -1.0 + 2.0 * (row + 0.5) / rows)
        return {n.id: pos[n.id] for n in self.nodes}

    def export(self, fmt: str) -> bytes:
        """The graph as GEXF or GraphML (UTF-8 XML)."""
        out = io.BytesIO()
        if fmt == "gexf":
            nx.write_gexf(self.graph(), out)
        elif fmt == "graphml":
            nx.write_graphml(self.graph(), out)
        else:
            raise QueryError(f"format must be one of {', '.join(GRAPH_FORMATS)}, not {fmt!r}")
        return out.getvalue()


def check_options(facets: tuple[str, ...], limit: int) -> None:
    """The one check of the options, for the API, the CLI and the page."""
    if not facets:
        raise QueryError("choose at least one facet")
    for facet in facets:
        check_facet(facet)
    most = MAX_COOCCURRING // len(facets)
    if not 1 <= limit <= most:
        raise QueryError(f"limit must be between 1 and {most}"
                         + (f" with {len(facets)} facets" if len(facets) > 1 else ""))


def network(engine: Engine, req: SearchRequest, facets: tuple[str, ...] = DEFAULT_FACETS,
            limit: int = DEFAULT_LIMIT) -> Network:
    """The network of the search's ``limit`` most frequent values of each facet."""
    facets = tuple(dict.fromkeys(facets))
    check_options(facets, limit)
    nodes: list[Node] = []
    total = 0
    for facet in facets:
        found = engine.facet_counts(req, facet)
        total = found.total
        top = sorted(found.counts.items(), key=lambda vc: (-vc[1], vc[0]))[:limit]
        for value, count in top:
            node_id = value if len(facets) == 1 else f"{BY_NAME[facet].field}:{value}"
            nodes.append(Node(node_id, facet, value, count))
    pairs = engine.cooccurrence(req, [(n.facet, n.value) for n in nodes])
    edges = [Edge(nodes[i].id, nodes[j].id, w) for (i, j), w in pairs.items()]
    edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    return Network(req.query, total, nodes, edges)
