"""The graph of one system as inline SVG: boxes sized to their labels (long addresses broken
into lines at their dots, never cut at a box's edge), curved edges from each box's right side to
the left side of what it needs, and the data no entry point reaches in a grid of its own below
the flow. Every coordinate is an integer computed from the labels, so the same graph gives the
same bytes."""

from __future__ import annotations

from html import escape

from resilint.simulate.report.layout import Box, Picture, box_lines

COLOURS = {"up": "#2e7d32", "degraded": "#f9a825", "down": "#c62828", "unknown": "#9e9e9e"}
TEXT = {"up": "#ffffff", "degraded": "#000000", "down": "#ffffff", "unknown": "#000000"}

FONT_SIZE = 12
# Monospace glyphs are 0.6 em wide in the usual fonts (DejaVu Sans Mono, Menlo, Consolas is
# narrower); 8 px per character at 12 px leaves room for a wider fallback font.
CHAR_WIDTH = 8
LINE_HEIGHT = 15
PAD_X, PAD_Y = 10, 8
GAP_X, GAP_Y = 48, 14
MARGIN = 12
WRAP = 40  # characters per line before a label breaks
SPLIT = 24  # a longer label that names its unit puts the unit on a line of its own
MIN_BOX = 120
LOOSE_WIDTH = 1200  # the width the grid of loose boxes may take when the flow is narrower (a 1280 px window)
# A page narrower than the picture shows it smaller (CSS max-width), down to this share of its
# size (text of 9 px at 12): below that the frame scrolls instead.
SMALLEST = 3 / 4
CAPTION = "data no entry point reaches"


def _size(lines: list[str]) -> tuple[int, int]:
    width = max(MIN_BOX, max(len(line) for line in lines) * CHAR_WIDTH + 2 * PAD_X)
    return width, len(lines) * LINE_HEIGHT + 2 * PAD_Y


def draw(drawn: Picture, title: str, ident: str = "graph") -> str:
    """The picture as an SVG element; `ident` makes its ids its own, so that a page of several
    graphs holds no id twice."""
    lines = {box.key: box_lines(box.shown, WRAP, SPLIT) for box in drawn.boxes}
    size = {key: _size(text) for key, text in lines.items()}
    where: dict[str, tuple[int, int]] = {}
    flow = drawn.flow
    column_of = {b.key: b.column for b in flow}
    parents: dict[str, list[str]] = {}
    for source, target in drawn.edges:
        if column_of.get(target) == column_of.get(source, -2) + 1:
            parents.setdefault(target, []).append(source)
    x = MARGIN
    bottom = MARGIN
    for column in range(drawn.columns):
        boxes = [b for b in flow if b.column == column]
        if not boxes:
            continue
        width = max(size[b.key][0] for b in boxes)
        y = MARGIN
        for box in boxes:
            # level with the first box that points at it, when the column has room
            y = max([y, *(where[p][1] for p in parents.get(box.key, [])[:1] if p in where)])
            where[box.key] = (x, y)
            size[box.key] = (width, size[box.key][1])  # one width per column: edges line up
            y += size[box.key][1] + GAP_Y
        bottom = max(bottom, y - GAP_Y)
        x += width + GAP_X
    right = x - GAP_X if flow else MARGIN
    parts: list[str] = []
    loose = drawn.loose
    if loose:
        top = bottom + (2 * GAP_Y if flow else 0)
        parts.append(f'<text class="caption" x="{MARGIN}" y="{top + FONT_SIZE}" fill="#444444">{escape(CAPTION)}</text>')
        top += FONT_SIZE + GAP_Y
        width = max(size[b.key][0] for b in loose)
        across = max(1, (max(right, LOOSE_WIDTH) - MARGIN + GAP_X) // (width + GAP_X))
        height = max(size[b.key][1] for b in loose)
        for index, box in enumerate(loose):
            row, column = divmod(index, across)
            where[box.key] = (MARGIN + column * (width + GAP_X), top + row * (height + GAP_Y))
            size[box.key] = (width, height)
        rows = (len(loose) + across - 1) // across
        bottom = top + rows * (height + GAP_Y) - GAP_Y
        right = max(right, MARGIN + min(across, len(loose)) * (width + GAP_X) - GAP_X)
    total_width, total_height = right + MARGIN, bottom + MARGIN
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="{escape(title)}" '
        f'width="{total_width}" height="{total_height}" viewBox="0 0 {total_width} {total_height}" '
        f'style="min-width: {int(total_width * SMALLEST)}px">',
        f'<defs><marker id="{ident}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555555"/></marker></defs>',
    ]
    for source, target in drawn.edges:
        svg.append(_edge(where[source], size[source], where[target], size[target], f"{ident}-arrow"))
    svg.extend(parts)
    for box in drawn.boxes:
        svg.append(_box(box, where[box.key], size[box.key], lines[box.key]))
    svg.append("</svg>")
    return "".join(svg)


def _edge(start: tuple[int, int], start_size: tuple[int, int], end: tuple[int, int], end_size: tuple[int, int], arrow: str) -> str:
    x1, y1 = start[0] + start_size[0], start[1] + start_size[1] // 2
    x2, y2 = end[0], end[1] + end_size[1] // 2
    bend = max((x2 - x1) // 2, GAP_X // 2)  # a box to its left curves out and back in
    return (
        f'<path d="M {x1} {y1} C {x1 + bend} {y1}, {x2 - bend} {y2}, {x2} {y2}" fill="none" '
        f'stroke="#555555" stroke-width="1.5" marker-end="url(#{arrow})"/>'
    )


def _box(box: Box, at: tuple[int, int], size: tuple[int, int], lines: list[str]) -> str:
    x, y = at
    width, height = size
    top = y + (height - len(lines) * LINE_HEIGHT) // 2  # centred: loose boxes share the tallest one's height
    text = "".join(
        f'<tspan x="{x + PAD_X}" y="{top + (i + 1) * LINE_HEIGHT - 4}">{escape(line)}</tspan>' for i, line in enumerate(lines)
    )
    return (
        f'<g class="node state-{box.state}" data-state="{box.state}"><title>{escape(box.label)}: {box.state}</title>'
        f'<rect x="{x}" y="{y}" width="{width}" height="{height}" rx="6" fill="{COLOURS[box.state]}" stroke="#333333"/>'
        f'<text fill="{TEXT[box.state]}">{text}</text></g>'
    )
