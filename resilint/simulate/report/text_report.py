"""Plain text for people and terminals."""

from __future__ import annotations

from resilint.simulate.control_planes import shown_resources
from resilint.simulate.objectives import why_unchecked
from resilint.simulate.report import Report
from resilint.simulate.report.rows import data_rows, entry_rows, matrix, pointing, shared_reasons, systems_count


def render(report: Report) -> str:
    lines: list[str] = []
    if report.objectives:
        failures, systems, cells = matrix(report.cells)
        if not cells and not report.unchecked:
            return "no objective applies to a scanned system\n"
        lines.append("objectives: each failure a system must survive, and what it does")
        width = max((len(f) for f in failures), default=0)
        for name in sorted({*systems, *(u.system for u in report.unchecked)}):
            lines.append("")
            lines.append(name)
            for failure in failures:
                cell = cells.get((failure, name))
                if cell is not None:
                    lines.append(f"  {failure:<{width}}  {cell.verdict.verdict:<8}  {cell.verdict.because}")
            for missing in (u for u in report.unchecked if u.system == name):
                lines.append(f"  {missing.word}: not checked, {why_unchecked(missing.word)}")
        down = sum(1 for c in cells.values() if c.verdict.verdict == "down")
        lines.append("")
        unchecked = f", {len(report.unchecked)} not checked" if report.unchecked else ""
        lines.append(f"{len(cells)} failure x system checks, {down} objective{'s' if down != 1 else ''} not met{unchecked}")
        return "\n".join(lines) + "\n"
    simulation = report.simulation
    assert simulation is not None
    heading = ", ".join(t.text for t in sorted(simulation.failures))
    if report.scenario is not None:
        lines.append(f"scenario {report.scenario.name}: {report.scenario.title}")
        lines.append(f"  source: {report.scenario.source}")
    lines.append(f"failing: {heading}")
    for system in simulation.systems:
        lines.append("")
        lines.append(f"{system.system.name}: {system.verdict}")
        entries = entry_rows(system)
        stores = [d for d in data_rows(system) if d.status != "up"]
        notes = shared_reasons(entries + stores)
        for entry in entries:
            lines.append(f"  entry  {entry.status:<8}  {pointing(entry, notes)}")
        for data in stores:
            lines.append(f"  data   {data.status:<8}  {pointing(data, notes)}")
        for reason, number in notes.items():
            lines.append(f"  [{number}] {reason}")
        for blocked, resources in zip(system.blocked, shown_resources(system.blocked), strict=True):
            lines.append(f"  change blocked   {blocked.service} ({resources}): {blocked.effect}")
    lines.append("")
    lines.append(systems_count(simulation))
    return "\n".join(lines) + "\n"
