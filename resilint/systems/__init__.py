"""Systems: the sets of deployment units deployed together.

Built once per scan, after parsing and before the rules: each link finder reads the model (never
source text) and says which units belong together and why; units joined by links, directly or
through others, form one system. Configuration declares what the code cannot show (a deployment
pipeline that deploys several roots together): `[[systems]]` with a name, unit globs and
regions. A unit that nothing links is a system of its own.

Rules and the outage simulation read `Project.systems` and `Project.system_of(unit)`; they never
find links themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from resilint.model import (
    FOREIGN,
    Link,
    Project,
    Reference,
    Resource,
    System,
    Unit,
    split_foreign_ref,
    split_import_ref,
)
from resilint.systems.cloudformation import (
    cdk_app_links,
    export_named,
    exporters,
    import_value_links,
    nested_stack_links,
    stack_set_links,
)
from resilint.systems.configured import ConfiguredSystem, configured_links, matching_units
from resilint.systems.regions import unit_regions
from resilint.systems.terraform import region_sibling_links, remote_state_links

__all__ = ["ConfiguredSystem", "LinkFinder", "LINK_FINDERS", "find_systems"]

LinkFinder = Callable[[Project], Iterable[Link]]

# Every way the code links units, in the order their links are listed. A source that finds links
# of its own adds a finder.
LINK_FINDERS: list[LinkFinder] = [
    remote_state_links,
    region_sibling_links,
    nested_stack_links,
    stack_set_links,
    cdk_app_links,
    import_value_links,
]


def find_systems(
    project: Project,
    configured: Sequence[ConfiguredSystem] = (),
    config_root: Path | None = None,
) -> Project:
    """The project with its systems, and every unit able to resolve references into the other
    units of the project (a remote state's output naming a resource of the unit it reads)."""
    ids = [u.id for u in project.units]
    links: list[Link] = []
    for finder in LINK_FINDERS:
        links.extend(link for link in finder(project) if link.source != link.target)
    declared = [(system, matching_units(system, ids, config_root)) for system in configured]
    for system, members in declared:
        links.extend(configured_links(system, members))

    parent = {unit_id: unit_id for unit_id in ids}

    def root(unit_id: str) -> str:
        while parent[unit_id] != unit_id:
            parent[unit_id] = parent[parent[unit_id]]
            unit_id = parent[unit_id]
        return unit_id

    for link in links:
        if link.source in parent and link.target in parent:
            a, b = root(link.source), root(link.target)
            if a != b:
                parent[max(a, b)] = min(a, b)

    groups: dict[str, list[str]] = {}
    for unit_id in ids:
        groups.setdefault(root(unit_id), []).append(unit_id)
    by_id = {u.id: u for u in project.units}
    systems = []
    for members in groups.values():
        members.sort()
        member_set = set(members)
        # A nested stack's link starts at the template that nests it, a file of a member.
        member_files = member_set | {f for u in members for f in by_id[u].files if by_id[u].source == "cloudformation"}
        own_links = tuple(
            sorted(
                (link for link in links if link.source in member_files),
                key=lambda link: (link.source, link.target, link.kind, link.reason),
            )
        )
        names = [s for s, m in declared if member_set & set(m)]
        systems.append(
            System(
                name=names[0].name if names else system_name(members),
                units=tuple(members),
                unit_regions={u: unit_regions(by_id[u]) for u in members},
                links=tuple(dict.fromkeys(own_links)),
                configured=bool(names),
                declared_regions=tuple(sorted({r for s in names for r in s.regions})),
                library=not names and not own_links and all(is_library(by_id[u]) for u in members),
            )
        )
    systems.sort(key=lambda s: (s.name, s.units))
    _resolve_across(project, by_id)
    return project.model_copy(update={"systems": tuple(systems)})


def is_library(unit: Unit) -> bool:
    """A Terraform folder that configures no provider, no backend and no tfvars, and that sits
    in a `modules` folder or requires an input nothing gives it: a module meant to be called
    (`modules/postgresql` of a published module), not something anyone deploys as is."""
    return unit.source == "terraform" and unit.module_like and not unit.state_reads


def system_name(units: Sequence[str]) -> str:
    """A name for units found together: the one unit's id, else their ids with the path segments
    that differ written as `*` (`live/prod/*/app`), else their common folder."""
    if len(units) == 1:
        return units[0]
    split = [u.split("/") for u in units]
    if len({len(parts) for parts in split}) == 1:
        merged = ["*" if len(set(column)) > 1 else column[0] for column in zip(*split, strict=True)]
        if merged.count("*") == 1 and len(merged) > 1:
            return "/".join(merged)
    if len(units) <= 3:
        return " + ".join(units)
    common = [column[0] for column in zip(*split, strict=False) if len(set(column)) == 1]
    prefix = "/".join(common[: next((i for i, c in enumerate(zip(*split, strict=False)) if len(set(c)) > 1), len(common))])
    return f"{prefix or '.'} ({len(units)} units)"


def _resolve_across(project: Project, by_id: dict[str, Unit]) -> None:
    by_export = exporters(project)
    imports: dict[tuple[str, str], list[tuple[Resource, Reference]]] = {}
    for unit in project.units if by_export else ():
        for resource in unit.resources:
            for ref in resource.references:
                name = split_import_ref(ref.target)
                export = export_named(name, by_export) if name is not None else None
                for exporter in export[1] if export is not None else ():
                    if exporter.id != unit.id:
                        imports.setdefault((exporter.id, export[0] if export else ""), []).append((resource, ref))

    # References into another unit's resources (through its outputs), by the unit referred to:
    # found on first demand (only what reads a store's users asks), once for the project.
    referrers: dict[str, list[tuple[Resource, Reference]]] | None = None

    def referrers_of(unit_id: str) -> list[tuple[Resource, Reference]]:
        nonlocal referrers
        if referrers is None:
            referrers = {}
            for unit in project.units:
                for resource in unit.resources:
                    for ref in resource.references:
                        if ref.target.startswith(FOREIGN):
                            foreign = split_foreign_ref(ref.target)
                            if foreign is not None and foreign[0] != unit.id:
                                referrers.setdefault(foreign[0], []).append((resource, ref))
        return list(referrers.get(unit_id, ()))

    def outside(ref: str) -> list[Resource]:
        name = split_import_ref(ref)
        if name is not None:
            export = export_named(name, by_export)
            if export is None:
                return []
            exported, units = export
            return [r for unit in units for address in unit.exports[exported] for r in unit.resolve(address)]
        found = split_foreign_ref(ref)
        if found is None:
            return []
        target = by_id.get(found[0])
        return target.resolve(found[1]) if target is not None else []

    for unit in project.units:
        unit._outside = outside
        unit._others = by_id.get
        unit._importers = lambda name, unit_id=unit.id: list(imports.get((unit_id, name), ()))
        unit._referrers = lambda unit_id=unit.id: referrers_of(unit_id)
        for copy in unit.copies:  # read by the outage simulation only, as the unit is
            copy._outside, copy._others, copy._importers = outside, by_id.get, unit._importers
            copy._referrers = unit._referrers
