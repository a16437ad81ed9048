"""One self-contained HTML page: the verdict table and, per system, the graph drawn as inline
SVG (no script, style or font from the network; it works offline and in a mail attachment)."""

from __future__ import annotations

from html import escape

from resilint.simulate.control_planes import shown_resources
from resilint.simulate.objectives import why_unchecked
from resilint.simulate.report import Report
from resilint.simulate.report.layout import picture
from resilint.simulate.report.rows import Row, data_rows, entry_rows, matrix, shared_reasons, systems_count
from resilint.simulate.report.svg import COLOURS, TEXT, draw

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 24px; color: #1d1d1d; }
table { border-collapse: collapse; margin: 12px 0 20px; }
th, td { border: 1px solid #c8c8c8; padding: 4px 8px; text-align: left; vertical-align: top; font-size: 14px; }
th { background: #f0f0f0; }
td.because { max-width: 90ch; overflow-wrap: anywhere; }
td.part { max-width: 48ch; overflow-wrap: anywhere; }
.verdict { font-weight: 600; padding: 1px 6px; border-radius: 3px; white-space: nowrap; }
""" + "\n".join(f".state-{s} {{ background: {c}; color: {TEXT[s]}; }}" for s, c in COLOURS.items()) + """
.graph-frame { overflow-x: auto; max-width: 100%; }
svg.graph { max-width: 100%; height: auto; }
svg text { font-family: ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; }
svg text.caption { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-style: italic; }
.legend span { margin-right: 12px; }
p.graph-note { font-size: 13px; color: #444444; margin: 4px 0 8px; }
a.note-ref { font-weight: 600; text-decoration: none; white-space: nowrap; }
a.note-ref:hover, a.note-ref:focus { text-decoration: underline; }
ol.notes { list-style: none; padding: 0; margin: -8px 0 20px; max-width: 110ch; font-size: 14px; }
ol.notes li { margin: 4px 0; padding-left: 3.2em; text-indent: -3.2em; }
ol.notes li:target { background: #fff3c4; }
.note-number { display: inline-block; width: 3.2em; text-indent: 0; font-weight: 600; }
th { white-space: nowrap; }
"""


def _breakable(text: str) -> str:
    """Escaped text that may break after its dots: a long resource address wraps in its cell
    instead of pushing the table past the page."""
    return escape(text).replace(".", ".<wbr>")


def _badge(state: str) -> str:
    return f'<span class="verdict state-{escape(state)}">{escape(state)}</span>'


def _note_id(system: int, number: int) -> str:
    return f"s{system}-note-{number}"


def _because(row: Row, notes: dict[str, int], system: int) -> str:
    """A row's explanation; a reason several rows share is a link to its note instead (the text
    report's `[1]`): the path stays, the long reason is written once under the table."""
    number = notes.get(row.reason)
    if number is None:
        return escape(row.because)
    path = " → ".join((*row.trail, row.status))
    link = f'<a class="note-ref" href="#{_note_id(system, number)}" aria-label="see note {number}">[{number}]</a>'
    return f"{escape(path)} {link}"


def _notes(notes: dict[str, int], system: int) -> str:
    """The shared reasons, numbered as the rows point to them."""
    items = "".join(
        f'<li id="{_note_id(system, number)}"><span class="note-number">[{number}]</span>{escape(reason)}</li>'
        for reason, number in notes.items()
    )
    return f'<ol class="notes" aria-label="reasons several parts share">{items}</ol>'


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
        broken = sorted((c for c in cells.values() if c.verdict.verdict == "down"), key=lambda c: (c.verdict.system.name, c.failure.label))
        if broken:
            body.append("<h2>Not met</h2><table><tr><th>system</th><th>failure</th><th>because</th></tr>")
            body.extend(
                f"<tr><td>{escape(c.verdict.system.name)}</td><td>{escape(c.failure.label)}</td><td class='because'>{escape(c.verdict.because)}</td></tr>"
                for c in broken
            )
            body.append("</table>")
        if report.unchecked:
            body.append("<h2>Not checked</h2><ul>")
            body.extend(f"<li>{escape(u.system)}: {escape(u.word)}, {escape(why_unchecked(u.word))}</li>" for u in report.unchecked)
            body.append("</ul>")
    else:
        simulation = report.simulation
        assert simulation is not None
        failing = ", ".join(t.text for t in sorted(simulation.failures))
        # A scenario is known by its name; the five targets it fails read as a list, not a title.
        title = f"resilint simulate: {report.scenario.title}" if report.scenario is not None else f"resilint simulate: {failing}"
        body.append(f"<h1>{escape(title)}</h1>")
        if report.scenario is not None:
            body.append(
                f"<p>Scenario <b>{escape(report.scenario.name)}</b>: {escape(report.scenario.summary)} "
                f"Source: {escape(report.scenario.source)}</p>"
            )
            body.append(f"<p>Failing: {escape(failing)}</p>")
        body.append(f"<p>{escape(systems_count(simulation))}</p>")
        body.append('<p class="legend">' + "".join(f'<span>{_badge(s)}</span>' for s in COLOURS) + "</p>")
        # Per system (numbered by position): its rows and the reasons they share, as the text report
        # numbers them (an unchanged data store is listed in the table but shares no note).
        tables = [(entry_rows(s) + data_rows(s), s) for s in simulation.systems]
        shared = [shared_reasons(rows) for rows, _ in tables]
        body.append('<table id="verdicts"><tr><th>system</th><th>verdict</th><th>because</th></tr>')
        for index, (rows, system) in enumerate(tables, 1):
            # The system's explanation is one of its rows': the same note, linked.
            same = next((r for r in rows if r.because == system.because and r.reason in shared[index - 1]), None)
            because = _because(same, shared[index - 1], index) if same is not None else escape(system.because)
            body.append(f"<tr><td>{escape(system.system.name)}</td><td>{_badge(system.verdict)}</td><td class='because'>{because}</td></tr>")
        body.append("</table>")
        for index, (rows, system) in enumerate(tables, 1):
            notes = shared[index - 1]
            body.append(f'<section class="system"><h2>{escape(system.system.name)} {_badge(system.verdict)}</h2>')
            drawn = picture(system)
            if drawn.boxes:
                if drawn.prefix:
                    body.append(
                        f'<p class="graph-note">Units are named relative to <code>{escape(drawn.prefix)}</code> in the graph; '
                        "a box's title and the table give the full name.</p>"
                    )
                body.append(f'<div class="graph-frame">{draw(drawn, f"dependency graph of {system.system.name}", f"s{index}")}</div>')
            if rows:
                body.append("<table><tr><th>part</th><th>status</th><th>because</th></tr>")
                for row in rows:
                    body.append(
                        f"<tr><td class='part'>{_breakable(row.name)}</td><td>{_badge(row.status)}</td>"
                        f"<td class='because'>{_because(row, notes, index)}</td></tr>"
                    )
                body.append("</table>")
                if notes:
                    body.append(_notes(notes, index))
            if system.blocked:
                body.append("<table><tr><th>change blocked</th><th>resources</th><th>effect</th></tr>")
                for blocked, resources in zip(system.blocked, shown_resources(system.blocked), strict=True):
                    body.append(
                        f"<tr><td>{escape(blocked.service)}</td><td class='part'>{_breakable(resources)}</td>"
                        f"<td class='because'>{escape(blocked.effect)}</td></tr>"
                    )
                body.append("</table>")
            body.append("</section>")
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )
