"""The picture of one system's graph: which nodes, which edges, in which column and row.

Columns follow the flow, entry points first: a node's column is its shortest distance from an
entry point, and data no entry point reaches sits in the last column. Rows keep the order of the
keys, so the same graph is always drawn the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.simulate.graph import Node
from resilint.simulate.semantics import shown
from resilint.simulate.verdicts import SystemVerdict


@dataclass(frozen=True)
class Box:
    key: str
    label: str
    state: str
    column: int
    row: int


@dataclass(frozen=True)
class Picture:
    boxes: tuple[Box, ...]
    edges: tuple[tuple[str, str], ...]
    columns: int
    rows: int


def picture(system: SystemVerdict) -> Picture:
    depth: dict[str, int] = {}
    nodes: dict[str, Node] = {}
    frontier = sorted(system.graph.entries, key=lambda n: n.key)
    level = 0
    while frontier:
        following: list[Node] = []
        for node in frontier:
            if node.key in depth:
                continue
            depth[node.key] = level
            nodes[node.key] = node
            following.extend(c for c in node.children() if c.key not in depth)
        frontier = sorted(following, key=lambda n: n.key)
        level += 1
    last = max(depth.values(), default=-1) + 1 if any(n.key not in depth for n in system.graph.data) else max(depth.values(), default=0)
    for node in system.graph.data:
        if node.key not in depth:
            depth[node.key] = max(last, 0)
            nodes[node.key] = node
    by_column: dict[int, list[str]] = {}
    for key in sorted(nodes):
        by_column.setdefault(depth[key], []).append(key)
    boxes = []
    for column, keys in sorted(by_column.items()):
        for row, key in enumerate(keys):
            status = system.statuses.get(key)
            boxes.append(Box(key, shown(nodes[key]), status.state if status else "unknown", column, row))
    edges = sorted({(n.key, c.key) for n in nodes.values() for c in n.children() if c.key in nodes})
    columns = max(by_column, default=0) + 1
    rows = max((len(v) for v in by_column.values()), default=0)
    return Picture(tuple(boxes), tuple(edges), columns, rows)
