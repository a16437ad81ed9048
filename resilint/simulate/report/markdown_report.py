"""Markdown for pull-request comments and step summaries, with a Mermaid flowchart per system:
failed parts red, survivors green, degraded amber, unknown grey (GitHub draws Mermaid)."""

from __future__ import annotations

from resilint.simulate.report import Report
from resilint.simulate.report.layout import picture
from resilint.simulate.report.rows import data_rows, entry_rows, matrix, summary
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


def flowchart(system: SystemVerdict) -> list[str]:
    drawn = picture(system)
    ids = {box.key: f"n{i}" for i, box in enumerate(drawn.boxes)}
    lines = ["```mermaid", "flowchart LR"]
    for box in drawn.boxes:
        lines.append(f'  {ids[box.key]}["{_mermaid_text(box.label)}"]:::{box.state}')
    for source, target in drawn.edges:
        lines.append(f"  {ids[source]} --> {ids[target]}")
    lines.extend(CLASSES)
    lines.append("```")
    return lines


def render(report: Report) -> str:
    lines: list[str] = []
    if report.objectives:
        failures, systems, cells = matrix(report.cells)
        lines.append("## resilint simulate: objectives")
        lines.append("")
        if not cells:
            return "\n".join([*lines, "No objective applies to a scanned system.", ""])
        lines.append("| failure | " + " | ".join(_cell(s) for s in systems) + " |")
        lines.append("|---|" + "---|" * len(systems))
        for failure in failures:
            values = [cells[(failure, s)].verdict.verdict if (failure, s) in cells else "" for s in systems]
            lines.append(f"| {_cell(failure)} | " + " | ".join(values) + " |")
        return "\n".join(lines) + "\n"
    simulation = report.simulation
    assert simulation is not None
    lines.append("## resilint simulate: " + ", ".join(t.text for t in sorted(simulation.failures)))
    lines.append("")
    if report.scenario is not None:
        lines.append(f"Scenario **{report.scenario.name}** ({report.scenario.title}), source: {report.scenario.source}")
        lines.append("")
    counts = summary(simulation)
    lines.append(f"{counts['systems']} systems: {counts['up']} up, {counts['degraded']} degraded, {counts['down']} down, {counts['unknown']} unknown")
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
            lines.append("| part | status | because |")
            lines.append("|---|---|---|")
            for row in rows:
                lines.append(f"| {_cell(row.name)} | {row.status} | {_cell(row.because)} |")
            lines.append("")
            lines.extend(flowchart(system))
    return "\n".join(lines) + "\n"
