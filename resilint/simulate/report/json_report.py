"""The machine contract of `resilint simulate --format json`: sorted, no timestamps."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from resilint import __version__
from resilint.simulate.objectives import why_unchecked
from resilint.simulate.report import Report
from resilint.simulate.report.rows import CONTRACT_FIELDS, Row, data_rows, entry_rows, matrix, summary


def _contract(row: Row, *, named: bool = True) -> dict[str, Any]:
    fields = asdict(row)
    found = {k: fields[k] for k in CONTRACT_FIELDS if named or k != "name"}
    if row.copy is not None:
        found["copy"] = row.copy  # which region's copy of a stack deployed to several regions
    return found


def render(report: Report) -> str:
    data: dict[str, Any] = {"version": "1", "tool": {"name": "resilint", "version": __version__}}
    if report.objectives:
        failures, systems, cells = matrix(report.cells)
        data["objectives"] = [
            {
                "system": system,
                "failure": failure,
                "survive": cells[(failure, system)].word,
                "verdict": cells[(failure, system)].verdict.verdict,
                "because": cells[(failure, system)].verdict.because,
            }
            for system in systems
            for failure in failures
            if (failure, system) in cells
        ]
        data["not_checked"] = [{"system": u.system, "survive": u.word, "because": why_unchecked(u.word)} for u in report.unchecked]
        data["summary"] = {"checks": len(cells), "not_met": sum(1 for c in cells.values() if c.verdict.verdict == "down")}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    simulation = report.simulation
    assert simulation is not None
    data["failures"] = sorted(t.text for t in simulation.failures)
    if report.scenario is not None:
        data["scenario"] = {"name": report.scenario.name, "title": report.scenario.title, "source": report.scenario.source}
    data["systems"] = [
        {
            "name": system.system.name,
            "units": sorted(u.id for u in system.system.units),
            "verdict": system.verdict,
            "because": system.because,
            "entry_points": [_contract(r) for r in entry_rows(system)],
            "data": [_contract(r, named=False) for r in data_rows(system)],
            "blocked_changes": [asdict(b) for b in system.blocked],
        }
        for system in simulation.systems
    ]
    data["summary"] = summary(simulation)
    return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
