"""`resilint systems`: the systems found, their units, regions and links, in text and JSON."""

from __future__ import annotations

import json

from resilint.model import Link, Project, StateRead, System
from resilint.systems.terraform import unlinked_reads


def render_text(project: Project) -> str:
    lines: list[str] = []
    unlinked = unlinked_reads(project)
    copies = _copies(project)
    for system in project.systems:
        regions = ", ".join(system.regions) or "no known region"
        how = "configured" if system.configured else ("found" if system.links else "a unit alone")
        if system.library:
            how = "a module library: no provider or backend, nothing calls it; not judged"
        lines.append(f"system {system.name} ({how}; {regions})")
        for unit_id in system.units:
            unit_regions = ", ".join(system.unit_regions.get(unit_id, ())) or "no known region"
            each = "; a copy of the stack in each" if copies.get(unit_id) else ""
            lines.append(f"  unit {unit_id} ({unit_regions}{each})")
        for link in system.links:
            lines.append(f"  link {_arrow(link)}: {link.reason}{_where(link)}")
        for unit_id, read, why in _unlinked(system, unlinked):
            lines.append(f"  unlinked {unit_id}: {read.name} ({read.location.path}:{read.location.line}): {why}")
        lines.append("")
    units = sum(len(s.units) for s in project.systems)
    lines.append(f"{_count(len(project.systems), 'system')}, {_count(units, 'unit')}")
    return "\n".join(lines) + "\n"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def render_json(project: Project) -> str:
    unlinked = unlinked_reads(project)
    copies = _copies(project)
    data = {"version": "1", "systems": [_system(s, unlinked, copies) for s in project.systems]}
    return json.dumps(data, indent=2, sort_keys=True) + "\n"


def _unlinked(system: System, unlinked: dict[str, list[tuple[StateRead, str]]]) -> list[tuple[str, StateRead, str]]:
    """The system's state reads that link to no unit, in unit and file order."""
    found = [(unit_id, read, why) for unit_id in system.units for read, why in unlinked.get(unit_id, ())]
    return sorted(found, key=lambda r: (r[0], r[1].location.path, r[1].location.line, r[1].name))


def _copies(project: Project) -> dict[str, list[str]]:
    """The regions of the copies of each stack deployed to several regions, by unit id."""
    return {u.id: [c.deploy_regions[0] for c in u.copies] for u in project.units if u.copies}


def _system(system: System, unlinked: dict[str, list[tuple[StateRead, str]]], copies: dict[str, list[str]]) -> dict[str, object]:
    return {
        "name": system.name,
        "configured": system.configured,
        "library": system.library,
        "regions": list(system.regions),
        # `copies`: the regions a stack is deployed to, a copy in each (the simulation judges each)
        "units": [{"id": u, "regions": list(system.unit_regions.get(u, ())), "copies": copies.get(u, [])} for u in system.units],
        "links": [
            {
                "kind": link.kind,
                "source": link.source,
                "target": link.target,
                "reason": link.reason,
                "path": link.location.path if link.location else None,
                "line": link.location.line if link.location else None,
            }
            for link in system.links
        ],
        "unlinked_reads": [
            {"unit": unit_id, "name": read.name, "path": read.location.path, "line": read.location.line, "reason": why}
            for unit_id, read, why in _unlinked(system, unlinked)
        ],
    }


def _arrow(link: Link) -> str:
    if link.source == link.target:
        return f"{link.kind} {link.source}"
    return f"{link.kind} {link.source} -> {link.target}"


def _where(link: Link) -> str:
    return f" ({link.location.path}:{link.location.line})" if link.location else ""
