"""Which units make up each system the simulation judges: the project's systems (units deployed
together, `resilint.systems`), or, before that step has run, each unit on its own."""

from __future__ import annotations

from dataclasses import dataclass

from resilint.model import Project, Unit


@dataclass(frozen=True)
class System:
    name: str
    units: tuple[Unit, ...]
    configured: bool = False  # named by [[systems]] in configuration, not from its units


def systems(project: Project) -> list[System]:
    """Every system of the project, sorted by name; module libraries are left out: like the scan,
    the simulation judges a library where it is called, never on its variables' defaults."""
    if not project.systems:
        return sorted((System(unit.id, (unit,)) for unit in project.units), key=lambda s: s.name)
    by_id = {unit.id: unit for unit in project.units}
    found = [
        System(s.name, tuple(by_id[u] for u in s.units if u in by_id), s.configured) for s in project.systems if not s.library
    ]
    return sorted(found, key=lambda s: (s.name, [u.id for u in s.units]))
