"""The network as a server-rendered SVG: nodes (circles sized by count) and edges (lines
as thick as their weight), from networkx's deterministic layout. Plain data here, drawn
by templates/network.html, so it needs no script and works under a strict CSP.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from indexer.insights.network import Network

WIDTH = 960.0
HEIGHT = 640.0
MARGIN = 90.0  # room for the labels of nodes at the edge
MIN_RADIUS, MAX_RADIUS = 5.0, 22.0
MIN_STROKE, MAX_STROKE = 0.8, 9.0


@dataclass(frozen=True)
class DrawnNode:
    id: str
    label: str
    facet: str
    count: int
    x: float
    y: float
    r: float
    href: str
    title: str


@dataclass(frozen=True)
class DrawnEdge:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    title: str


@dataclass(frozen=True)
class Drawing:
    nodes: list[DrawnNode]
    edges: list[DrawnEdge]
    width: float = WIDTH
    height: float = HEIGHT


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


def draw(graph: Network, href: Callable[[str, str], str]) -> Drawing:
    """Geometry for every node and edge; ``href(facet, value)`` links a node to the
    search narrowed to it."""
    pos = graph.layout()
    if not pos:
        return Drawing([], [])
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    span_x = (max(xs) - min(xs)) or 1.0
    span_y = (max(ys) - min(ys)) or 1.0

    def place(node_id: str) -> tuple[float, float]:
        x, y = pos[node_id]
        return (MARGIN + (x - min(xs)) / span_x * (WIDTH - 2 * MARGIN),
                MARGIN + (y - min(ys)) / span_y * (HEIGHT - 2 * MARGIN))

    top = max(n.count for n in graph.nodes) or 1
    heaviest = max((e.weight for e in graph.edges), default=1)
    labels = {n.id: n.value for n in graph.nodes}
    edges = []
    for e in reversed(graph.edges):  # the heaviest drawn last, on top
        (x1, y1), (x2, y2) = place(e.source), place(e.target)
        width = MIN_STROKE + (MAX_STROKE - MIN_STROKE) * e.weight / heaviest
        edges.append(DrawnEdge(x1, y1, x2, y2, width,
                               f"{labels[e.source]} and {labels[e.target]}: "
                               f"{_plural(e.weight, 'article')} together"))
    nodes = []
    for n in graph.nodes:
        x, y = place(n.id)
        r = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(n.count / top)
        nodes.append(DrawnNode(n.id, n.value, n.facet, n.count, x, y, r, href(n.facet, n.value),
                               f"{n.value}: {_plural(n.count, 'article')}"))
    return Drawing(nodes, edges)
