"""Markdown for pull-request comments and step summaries, with a Mermaid flowchart per system:
failed parts red, survivors green, degraded amber, unknown grey (GitHub draws Mermaid)."""

from __future__ import annotations

from resilint.simulate.control_planes import shown_resources
from resilint.simulate.objectives import why_unchecked
from resilint.simulate.report import Report
from resilint.simulate.report.layout import picture
from resilint.simulate.report.rows import data_rows, entry_rows, matrix, pointing, shared_reasons, systems_count
from resilint.simulate.verdicts import SystemVerdict

CLASSES = (
    "  classDef up fill:#2e7d32,stroke:#1b5e20,color:#ffffff",
    "  classDef degraded fill:#f9a825,stroke:#f57f17,color:#000000",
    "  classDef down fill:#c62828,stroke:#8e0000,color:#ffffff",
    "  classDef unknown fill:#9e9e9e,stroke:#616161,color:#000000",
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


# GitHub refuses to draw a Mermaid chart beyond about 500 edges or 50,000 characters; a chart
# that large is unreadable long before that.
MOST_BOXES = 120


def flowchart(system: SystemVerdict) -> list[str]:
    drawn = picture(system)
    flow, loose = drawn.flow, drawn.loose
    note = ""
    if len(flow) + len(loose) > MOST_BOXES and loose:
        note = f"{len(loose)} data stores no entry point reaches are left out of the chart (they are in the table)."
        loose = ()
    if len(flow) > MOST_BOXES:
        return [f"_The graph has {len(flow)} parts, too many to draw here: `--format html` draws it._"]
    ids = {box.key: f"n{i}" for i, box in enumerate(drawn.boxes)}
    lines = []
    if drawn.prefix:  # as in the HTML graph: boxes name units relative to the folder they share
        lines.extend([f"_Units are named relative to `{drawn.prefix}` in the chart; the table gives the full name._", ""])
    lines.extend(["```mermaid", "flowchart LR"])
    for box in flow:
        lines.append(f'  {ids[box.key]}["{_mermaid_text(box.shown)}"]:::{box.state}')
    if loose:
        lines.append('  subgraph loose["data no entry point reaches"]')
        for box in loose:
            lines.append(f'    {ids[box.key]}["{_mermaid_text(box.shown)}"]:::{box.state}')
        lines.append("  end")
    for source, target in sorted(drawn.edges, key=lambda e: (int(ids[e[0]][1:]), int(ids[e[1]][1:]))):
        lines.append(f"  {ids[source]} --> {ids[target]}")
    lines.extend(CLASSES)
    lines.append("```")
    if note:
        lines.extend(["", f"_{note}_"])
    return lines


def render(report: Report) -> str:
    lines: list[str] = []
    if report.objectives:
        failures, systems, cells = matrix(report.cells)
        lines.append("## resilint simulate: objectives")
        lines.append("")
        if not cells and not report.unchecked:
            return "\n".join([*lines, "No objective applies to a scanned system.", ""])
        lines.append("| failure | " + " | ".join(_cell(s) for s in systems) + " |")
        lines.append("|---|" + "---|" * len(systems))
        for failure in failures:
            values = [cells[(failure, s)].verdict.verdict if (failure, s) in cells else "–" for s in systems]
            lines.append(f"| {_cell(failure)} | " + " | ".join(values) + " |")
        broken = [c for c in sorted(cells.values(), key=lambda c: (c.verdict.system.name, c.failure.label)) if c.verdict.verdict == "down"]
        if broken:
            lines.extend(["", "**Not met:**", ""])
            lines.extend(f"- {_cell(c.verdict.system.name)}, {c.failure.label}: {_cell(c.verdict.because)}" for c in broken)
        if report.unchecked:
            lines.extend(["", "**Not checked:**", ""])
            lines.extend(f"- {_cell(u.system)}: {u.word}, {why_unchecked(u.word)}" for u in report.unchecked)
        return "\n".join(lines) + "\n"
    simulation = report.simulation
    assert simulation is not None
    failing = ", ".join(t.text for t in sorted(simulation.failures))
    lines.append(f"## resilint simulate: {report.scenario.title if report.scenario is not None else failing}")
    lines.append("")
    if report.scenario is not None:
        lines.append(f"Scenario **{report.scenario.name}**, source: {report.scenario.source}")
        lines.append("")
        lines.append(f"Failing: {failing}")
        lines.append("")
    lines.append(systems_count(simulation))
    lines.append("")
    if any(entry_rows(s) or data_rows(s) for s in simulation.systems):
        lines.append("In the charts: red is down, amber degraded, green up, grey unknown.")
        lines.append("")
    lines.append("| system | verdict | because |")
    lines.append("|---|---|---|")
    for system in simulation.systems:
        lines.append(f"| {_cell(system.system.name)} | {system.verdict} | {_cell(system.because)} |")
    for system in simulation.systems:
        lines.append("")
        lines.append(f"### {system.system.name}: {system.verdict}")
        lines.append("")
        rows = entry_rows(system) + data_rows(system)
        if rows:
            # A long reason several rows share is written once under the table, as in the text report.
            notes = shared_reasons(rows)
            lines.append("| part | status | because |")
            lines.append("|---|---|---|")
            for row in rows:
                lines.append(f"| {_cell(row.name)} | {row.status} | {_cell(pointing(row, notes))} |")
            lines.append("")
            if notes:
                lines.extend(f"- **[{number}]** {reason}" for reason, number in notes.items())
                lines.append("")
            lines.extend(flowchart(system))
        if system.blocked:
            if rows:
                lines.append("")
            lines.append("| change blocked | resources | effect |")
            lines.append("|---|---|---|")
            lines.extend(
                f"| {_cell(b.service)} | {_cell(shown)} | {_cell(b.effect)} |"
                for b, shown in zip(system.blocked, shown_resources(system.blocked), strict=True)
            )
    return "\n".join(lines) + "\n"
