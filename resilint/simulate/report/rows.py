"""The rows every reporter shows, in one sorted, deterministic shape."""

from __future__ import annotations

from dataclasses import dataclass

from resilint.simulate.objectives import Cell
from resilint.simulate.verdicts import Judged, Simulation, SystemVerdict


@dataclass(frozen=True)
class Row:
    name: str  # entry point name, or the resource address for data
    resource: str | None
    unit: str | None
    path: str | None
    line: int | None
    status: str
    because: str


def row(judged: Judged) -> Row:
    node = judged.node
    resource = node.resource
    return Row(
        name=node.label,
        resource=resource.address if resource is not None else None,
        unit=node.unit.id if node.unit is not None else None,
        path=resource.location.path if resource is not None else None,
        line=resource.location.line if resource is not None else None,
        status=judged.status.state,
        because=judged.status.because,
    )


def entry_rows(system: SystemVerdict) -> list[Row]:
    return sorted((row(j) for j in system.entries), key=lambda r: (r.name, r.unit or "", r.resource or ""))


def data_rows(system: SystemVerdict) -> list[Row]:
    return sorted((row(j) for j in system.data), key=lambda r: (r.unit or "", r.resource or "", r.name))


def summary(simulation: Simulation) -> dict[str, int]:
    return {
        "systems": len(simulation.systems),
        "up": simulation.count("up"),
        "degraded": simulation.count("degraded"),
        "down": simulation.count("down"),
        "unknown": simulation.count("unknown"),
    }


def systems_count(simulation: Simulation) -> str:
    """`2 systems: 0 up, 1 degraded, 1 down, 0 unknown` (`1 system: ...`)."""
    counts = summary(simulation)
    noun = "system" if counts["systems"] == 1 else "systems"
    return f"{counts['systems']} {noun}: {counts['up']} up, {counts['degraded']} degraded, {counts['down']} down, {counts['unknown']} unknown"


def matrix(cells: tuple[Cell, ...]) -> tuple[list[str], list[str], dict[tuple[str, str], Cell]]:
    """(failures, systems, (failure, system) -> cell) of an objectives run."""
    by_pair: dict[tuple[str, str], Cell] = {}
    for cell in cells:
        by_pair.setdefault((cell.failure.label, cell.verdict.system.name), cell)
    failures = sorted({f for f, _ in by_pair})
    systems = sorted({s for _, s in by_pair})
    return failures, systems, by_pair
