"""One self-contained HTML page: the verdict table and, per system, the graph drawn as inline
SVG (no script, style or font from the network; it works offline and in a mail attachment)."""

from __future__ import annotations

from html import escape

from resilint.simulate.report import Report
from resilint.simulate.report.layout import Picture, picture
from resilint.simulate.report.rows import data_rows, entry_rows, matrix, summary

COLOURS = {"up": "#2e7d32", "degraded": "#f9a825", "down": "#c62828", "unknown": "#9e9e9e"}
TEXT = {"up": "#ffffff", "degraded": "#000000", "down": "#ffffff", "unknown": "#000000"}
BOX_WIDTH, BOX_HEIGHT, GAP_X, GAP_Y, MARGIN = 260, 40, 70, 18, 12
MAX_LABEL = 38

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #1d1d1d; }
table { border-collapse: collapse; margin: 12px 0 20px; }
th, td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left; vertical-align: top; font-size: 14px; }
th { background: #f0f0f0; }
.verdict { font-weight: 600; padding: 1px 6px; border-radius: 3px; }
""" + "\n".join(f".state-{s} {{ background: {c}; color: {TEXT[s]}; }}" for s, c in COLOURS.items()) + """
svg text { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12px; }
.legend span { margin-right: 12px; }
"""


def _badge(state: str) -> str:
    return f'<span class="verdict state-{escape(state)}">{escape(state)}</span>'


def svg(drawn: Picture, title: str) -> str:
    width = MARGIN * 2 + drawn.columns * BOX_WIDTH + max(drawn.columns - 1, 0) * GAP_X
    height = MARGIN * 2 + drawn.rows * BOX_HEIGHT + max(drawn.rows - 1, 0) * GAP_Y
    where = {}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" aria-label="{escape(title)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto">'
        '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555555"/></marker></defs>',
    ]
    for box in drawn.boxes:
        x = MARGIN + box.column * (BOX_WIDTH + GAP_X)
        y = MARGIN + box.row * (BOX_HEIGHT + GAP_Y)
        where[box.key] = (x, y)
    for source, target in drawn.edges:
        (x1, y1), (x2, y2) = where[source], where[target]
        parts.append(
            f'<line x1="{x1 + BOX_WIDTH}" y1="{y1 + BOX_HEIGHT // 2}" x2="{x2}" y2="{y2 + BOX_HEIGHT // 2}" '
            'stroke="#555555" stroke-width="1.5" marker-end="url(#arrow)"/>'
        )
    for box in drawn.boxes:
        x, y = where[box.key]
        label = box.label if len(box.label) <= MAX_LABEL else box.label[: MAX_LABEL - 1] + "…"
        parts.append(
            f'<g class="node state-{box.state}" data-state="{box.state}"><title>{escape(box.label)}: {box.state}</title>'
            f'<rect x="{x}" y="{y}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}" rx="6" fill="{COLOURS[box.state]}" stroke="#333333"/>'
            f'<text x="{x + 10}" y="{y + BOX_HEIGHT // 2 + 4}" fill="{TEXT[box.state]}">{escape(label)}</text></g>'
        )
    parts.append("</svg>")
    return "".join(parts)


def render(report: Report) -> str:
    body: list[str] = []
    if report.objectives:
        failures, systems, cells = matrix(report.cells)
        title = "resilint simulate: objectives"
        body.append(f"<h1>{escape(title)}</h1>")
        body.append("<table><tr><th>failure</th>" + "".join(f"<th>{escape(s)}</th>" for s in systems) + "</tr>")
        for failure in failures:
            cells_html = "".join(f"<td>{_badge(cells[(failure, s)].verdict.verdict) if (failure, s) in cells else ''}</td>" for s in systems)
            body.append(f"<tr><td>{escape(failure)}</td>{cells_html}</tr>")
        body.append("</table>")
    else:
        simulation = report.simulation
        assert simulation is not None
        title = "resilint simulate: " + ", ".join(t.text for t in sorted(simulation.failures))
        body.append(f"<h1>{escape(title)}</h1>")
        if report.scenario is not None:
            body.append(
                f"<p>Scenario <b>{escape(report.scenario.name)}</b> ({escape(report.scenario.title)}): "
                f"{escape(report.scenario.summary)} Source: {escape(report.scenario.source)}</p>"
            )
        counts = summary(simulation)
        body.append(
            f"<p>{counts['systems']} systems: {counts['up']} up, {counts['degraded']} degraded, "
            f"{counts['down']} down, {counts['unknown']} unknown</p>"
        )
        body.append('<p class="legend">' + "".join(f'<span>{_badge(s)}</span>' for s in COLOURS) + "</p>")
        body.append('<table id="verdicts"><tr><th>system</th><th>verdict</th><th>because</th></tr>')
        for system in simulation.systems:
            body.append(f"<tr><td>{escape(system.system.name)}</td><td>{_badge(system.verdict)}</td><td>{escape(system.because)}</td></tr>")
        body.append("</table>")
        for system in simulation.systems:
            body.append(f'<section class="system"><h2>{escape(system.system.name)} {_badge(system.verdict)}</h2>')
            drawn = picture(system)
            if drawn.boxes:
                body.append(svg(drawn, f"dependency graph of {system.system.name}"))
            rows = entry_rows(system) + data_rows(system)
            if rows:
                body.append("<table><tr><th>part</th><th>status</th><th>because</th></tr>")
                for row in rows:
                    body.append(f"<tr><td>{escape(row.name)}</td><td>{_badge(row.status)}</td><td>{escape(row.because)}</td></tr>")
                body.append("</table>")
            body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
