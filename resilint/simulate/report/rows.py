"""The rows every reporter shows, in one sorted, deterministic shape."""

from __future__ import annotations

from collections import Counter
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
    trail: tuple[str, ...] = ()  # the labels of `because` before its last step
    reason: str = ""  # the last step's reason, without the status
    copy: str | None = None  # the region of the stack copy the part belongs to (a stack deployed to several regions)


# The fields of the machine contract (`--format json`), in its order.
CONTRACT_FIELDS = ("name", "resource", "unit", "path", "line", "status", "because")


def row(judged: Judged) -> Row:
    node = judged.node
    resource = node.resource
    return Row(
        name=node.label,
        resource=resource.address if resource is not None else None,
        unit=(node.unit.copy_of or node.unit.id) if node.unit is not None else None,
        path=resource.location.path if resource is not None else None,
        line=resource.location.line if resource is not None else None,
        status=judged.status.state,
        because=judged.status.because,
        trail=judged.status.trail,
        reason=judged.status.reason,
        copy=node.copy,
    )


# A reason shorter than this reads better where it applies ("region us-east-1 failed").
_NOTE_WORTHY = 60


def shared_reasons(rows: list[Row], at_least: int = 2) -> dict[str, int]:
    """Reasons that several rows of one system end with, numbered in order of first use: a
    report shows such a reason once, as a note the rows point to, instead of once per row (ten
    stores whose region comes from one unset variable would repeat the same advice ten times)."""
    counts = Counter(r.reason for r in rows if len(r.reason) >= _NOTE_WORTHY and r.status != "up")
    numbered: dict[str, int] = {}
    for r in rows:
        if counts[r.reason] >= at_least and r.status != "up" and r.reason not in numbered:
            numbered[r.reason] = len(numbered) + 1
    return numbered


def pointing(row: Row, notes: dict[str, int]) -> str:
    """The row's `because` with a shared reason replaced by its note number:
    `aws_lb.web → unknown [1]`."""
    number = notes.get(row.reason)
    if number is None:
        return row.because
    return " → ".join((*row.trail, f"{row.status} [{number}]"))


def entry_rows(system: SystemVerdict) -> list[Row]:
    return sorted((row(j) for j in system.entries), key=lambda r: (r.name, r.unit or "", r.resource or ""))


def data_rows(system: SystemVerdict) -> list[Row]:
    return sorted((row(j) for j in system.data), key=lambda r: (r.unit or "", r.resource or "", r.copy or "", r.name))


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
