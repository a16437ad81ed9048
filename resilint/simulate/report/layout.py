"""The picture of one system's graph: which nodes, which edges, in which column and row.

Columns follow the flow, entry points first: a node's column is its shortest distance from an
entry point. Data no entry point reaches is not part of the flow: it is drawn apart (`loose`),
so a system with many stores does not stretch one column down the page. Rows keep the order of
the keys, so the same graph is always drawn the same way.

`label_lines` breaks a long label (a resource address inside nested modules) into lines at its
dots, so a box can be made wide enough for its text instead of cutting it.

In a system of several units a label names its unit (`aws_lb.web in infra/prod/us-east-1`): a
box shows it relative to the folder all the system's units share (`short`, `Picture.prefix`),
so boxes stay narrow enough for the graph to fit the page; the full label stays the box's title
and the tables' text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from resilint.simulate.graph import Node
from resilint.simulate.semantics import shown
from resilint.simulate.verdicts import SystemVerdict


@dataclass(frozen=True)
class Box:
    key: str
    label: str
    state: str
    column: int  # -1 for loose boxes
    row: int
    loose: bool = False  # data that no entry point reaches
    short: str = ""  # the label drawn in the box: its unit relative to `Picture.prefix`

    @property
    def shown(self) -> str:
        return self.short or self.label


@dataclass(frozen=True)
class Picture:
    boxes: tuple[Box, ...]  # the flow first, then the loose boxes
    edges: tuple[tuple[str, str], ...]
    columns: int
    rows: int
    prefix: str = ""  # the folder every unit of the system is in, left out of the boxes' labels

    @property
    def flow(self) -> tuple[Box, ...]:
        return tuple(b for b in self.boxes if not b.loose)

    @property
    def loose(self) -> tuple[Box, ...]:
        return tuple(b for b in self.boxes if b.loose)


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
    by_column: dict[int, list[str]] = {}
    for key in sorted(nodes):
        by_column.setdefault(depth[key], []).append(key)
    # A column's boxes follow the rows of what points at them in the columns before, so edges
    # run mostly straight across instead of crossing (ties keep the order of the keys).
    row_of: dict[str, int] = {}
    parents: dict[str, list[str]] = {}
    for node in nodes.values():
        for child in node.children():
            if child.key in nodes and depth[child.key] == depth[node.key] + 1:
                parents.setdefault(child.key, []).append(node.key)
    for column in sorted(by_column):
        keys = by_column[column]
        if column > 0:
            # DNS providers after what serves: the path of the traffic reads first
            keys.sort(key=lambda k: (min((row_of[p] for p in parents.get(k, []) if p in row_of), default=len(nodes)), k.startswith("dns:"), k))
        for row, key in enumerate(keys):
            row_of[key] = row
    units = sorted(u.id for u in system.system.units)
    prefix = common_folder(units)
    short = shortener(units, prefix)
    boxes = []
    for column, keys in sorted(by_column.items()):
        for row, key in enumerate(keys):
            label = shown(nodes[key])
            boxes.append(Box(key, label, _state(system, key), column, row, short=short(label)))
    loose = sorted((n for n in system.graph.data if n.key not in depth), key=lambda n: n.key)
    for row, node in enumerate(loose):
        label = shown(node)
        boxes.append(Box(node.key, label, _state(system, node.key), -1, row, loose=True, short=short(label)))
    # A host in the column of what lives inside it (both referenced by one compute): the edge
    # between them would run along the column through other boxes; the tables say it.
    edges = sorted(
        {(n.key, c.key) for n in nodes.values() for c in n.children() if c.key in nodes and not (c is n.host and depth[c.key] == depth[n.key])}
    )
    columns = max(by_column, default=-1) + 1
    rows = max((len(v) for v in by_column.values()), default=0)
    return Picture(tuple(boxes), tuple(edges), columns, rows, prefix)


def common_folder(units: Sequence[str]) -> str:
    """The folder every one of several units is in (`infra/prod/`), ending in a slash; empty
    for one unit, or units in no common folder. Each unit keeps at least its own last part."""
    if len(units) < 2:
        return ""
    parts = [unit.split("/") for unit in units]
    common: list[str] = []
    for index in range(min(len(p) for p in parts) - 1):
        segment = parts[0][index]
        if any(p[index] != segment for p in parts):
            break
        common.append(segment)
    return "/".join(common) + "/" if common else ""


def shortener(units: Sequence[str], prefix: str) -> Callable[[str], str]:
    """A label with the unit it names (`... in UNIT`, then the end or a space) relative to
    `prefix`; the label itself when there is no prefix."""
    if not prefix:
        return lambda label: label
    named = sorted((u for u in units if u.startswith(prefix)), key=len, reverse=True)  # longest first
    pattern = re.compile(" in (" + "|".join(re.escape(u) for u in named) + ")(?= |$)")
    return lambda label: pattern.sub(lambda m: " in " + m.group(1)[len(prefix) :], label)


def _state(system: SystemVerdict, key: str) -> str:
    status = system.statuses.get(key)
    return status.state if status else "unknown"


def box_lines(label: str, width: int, split: int) -> list[str]:
    """A box's label in lines: a label longer than `split` that names its unit (`Fleet in
    app.yaml (us-east-1)`) puts the unit on lines of its own, under the address, so a column
    is as wide as the longer of the two, not their sum."""
    head, found, tail = label.partition(" in ")
    if not found or len(label) <= split or not head:
        return label_lines(label, width)
    return label_lines(head, width, 2) + label_lines(f"in {tail}", width, 2)


def label_lines(label: str, width: int, most: int = 3) -> list[str]:
    """The label in lines of at most `width` characters, broken after a dot, a slash or a space
    where it can be (else after `_` or `-`, else anywhere). Beyond `most` lines its start is left
    out (`…`), at a dot where it can be: the end names the resource and the modules nearest it,
    which tell boxes apart, where the outer modules a root's resources share
    (`module.app.module.…`) do not; the box's title and the tables keep the whole address."""
    lines = _wrapped(label, width)
    if len(lines) <= most:
        return lines
    for breaks in ("./ ", "_-"):
        for start in (i + 1 for i, c in enumerate(label[:-1]) if c in breaks):
            lines = _wrapped("…" + label[start:], width)
            if len(lines) <= most:
                return lines
    end = "…" + label[len(label) - (most * width - 1) :]
    return [end[i : i + width] for i in range(0, len(end), width)]


def _wrapped(text: str, width: int) -> list[str]:
    lines: list[str] = []
    rest = text
    while rest:
        if len(rest) <= width:
            lines.append(rest)
            break
        cut = max(rest.rfind(c, 1, width) for c in "./ ")
        if cut <= 0:
            cut = max(rest.rfind(c, 1, width) for c in "_-")
        cut = cut + 1 if cut > 0 else width
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    return lines
