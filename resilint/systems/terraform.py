"""Links between Terraform units: remote state read by address, and the same root deployed once
per region."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from pathlib import Path

from resilint.model import Link, Project, StateRead, Unit
from resilint.state_match import partial_match

_AWS_REGION = re.compile(r"^[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_GCP_REGION = re.compile(r"^(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-[a-z]+\d+$")
_AZURE_REGIONS = frozenset(
    """eastus eastus2 westus westus2 westus3 centralus northcentralus southcentralus westcentralus
    canadacentral canadaeast brazilsouth brazilsoutheast mexicocentral northeurope westeurope
    uksouth ukwest francecentral francesouth germanywestcentral germanynorth switzerlandnorth
    switzerlandwest norwayeast norwaywest swedencentral swedensouth polandcentral italynorth
    spaincentral austriaeast belgiumcentral denmarkeast eastasia southeastasia japaneast japanwest
    koreacentral koreasouth centralindia southindia westindia jioindiawest jioindiacentral
    australiaeast australiasoutheast australiacentral australiacentral2 uaenorth uaecentral
    southafricanorth southafricawest qatarcentral israelcentral newzealandnorth indonesiacentral
    malaysiawest chilecentral""".split()
)


# Folder names that say which side of a failover pair a root is: `environments/primary` and
# `environments/dr` running the same modules are one system (the standby of the other).
_FAILOVER_ROLES = frozenset({"primary", "secondary", "dr", "standby", "failover", "active", "passive", "main", "backup"})


def is_failover_role(segment: str) -> bool:
    return segment.lower() in _FAILOVER_ROLES


def is_region_name(segment: str) -> bool:
    """Whether a folder name is a region's name (AWS, Google Cloud or Azure)."""
    name = segment.lower()
    return bool(_AWS_REGION.match(name) or _GCP_REGION.match(name)) or name in _AZURE_REGIONS


def remote_state_links(project: Project) -> Iterator[Link]:
    """A unit that reads a state (`terraform_remote_state`, `tfe_outputs`) is linked to the unit
    whose backend has that address."""
    by_state, by_folder = _state_index(project)
    for unit in project.units:
        for read in unit.state_reads:
            if read.address is None:
                yield from _partial_link(unit, read, project)
                continue
            if read.kind == "terragrunt":
                dependency = by_folder.get(read.address)
                if dependency is not None and dependency.id != unit.id:
                    if read.name == "dependencies":
                        reason = f"Terragrunt dependencies block: deployed after {dependency.id}"
                    else:
                        reason = f"Terragrunt {read.name} reads the outputs of {dependency.id}"
                    yield Link(kind="terragrunt-dependency", source=unit.id, target=dependency.id, reason=reason, location=read.location)
                continue
            for target in by_state.get(read.address, ()):
                if target.id == unit.id:
                    continue
                used = f", outputs {', '.join(read.outputs_used)}" if read.outputs_used else ""
                yield Link(
                    kind="remote-state",
                    source=unit.id,
                    target=target.id,
                    reason=f"{read.name} reads the state of {target.id} ({read.address}{used})",
                    location=read.location,
                )


def _state_index(project: Project) -> tuple[dict[str, list[Unit]], dict[str, Unit]]:
    """The units by the state address of their backend, and by the address a Terragrunt
    dependency names them with."""
    by_state: dict[str, list[Unit]] = {}
    for unit in project.units:
        if unit.backend is not None and unit.backend.address is not None:
            by_state.setdefault(unit.backend.address, []).append(unit)
    by_folder = {f"terragrunt://{Path(u.id).resolve().as_posix()}": u for u in project.units if u.source == "terraform"}
    return by_state, by_folder


def _partial_candidates(unit: Unit, read: StateRead, project: Project) -> list[tuple[Unit, str]]:
    """The roots whose backend the known parts of a read whose address is not wholly known
    match, each with how (state.partial_match)."""
    if not read.parts:
        return []
    return [
        (other, reason)
        for other in project.units
        if other.source == "terraform" and other.backend is not None and other.id != unit.id
        and (reason := partial_match(read.kind, read.parts, other.backend, Path(other.id).resolve())) is not None
    ]


def _partial_link(unit: Unit, read: StateRead, project: Project) -> Iterator[Link]:
    """A read whose address is not wholly known, linked to the one root whose backend its known
    parts match (state.partial_match says how); several or none: no link, the read stays
    unknown."""
    found = _partial_candidates(unit, read, project)
    if len(found) != 1:
        return
    target, how = found[0]
    used = f"; outputs {', '.join(read.outputs_used)}" if read.outputs_used else ""
    yield Link(
        kind="remote-state",
        source=unit.id,
        target=target.id,
        reason=f"{read.name} reads the state of {target.id}: {how}{used}",
        location=read.location,
    )


def unlinked_reads(project: Project) -> dict[str, list[tuple[StateRead, str]]]:
    """By unit id: the state reads that link the unit to no other, each with why in words a user
    can act on (`resilint systems` shows them, so that a DR root that should have joined its
    primary can be joined by a value or by configuration)."""
    by_state, by_folder = _state_index(project)
    found: dict[str, list[tuple[StateRead, str]]] = {}
    for unit in project.units:
        for read in unit.state_reads:
            why = _why_unlinked(unit, read, project, by_state.keys(), by_folder.keys())
            if why is not None:
                found.setdefault(unit.id, []).append((read, why))
    return found


_DECLARE = "give what it is built from a value (--var, a .tfvars file), or declare the system in configuration ([[systems]])"


def _why_unlinked(
    unit: Unit, read: StateRead, project: Project, addresses: AbstractSet[str], folders: AbstractSet[str]
) -> str | None:
    if read.address is not None:
        if read.kind == "terragrunt":
            return None if read.address in folders else "the Terragrunt unit it depends on is not in the scan"
        if read.address in addresses:
            return None
        return f"no scanned root has the backend {read.address}"
    if not read.parts:
        return f"the address of the state it reads is not known: {_DECLARE}"
    candidates = _partial_candidates(unit, read, project)
    if len(candidates) == 1:
        return None
    known = ", ".join(f"{name} = {value}" for name, value in read.parts)
    if not candidates:
        return f"its address is not wholly known and what is known ({known}) matches no scanned root's backend"
    names = sorted(other.id for other, _ in candidates)
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    return (
        f"its address is not wholly known and what is known ({known}) matches {len(names)} roots ({shown}): "
        f"which one is not in the code; {_DECLARE}"
    )


def region_sibling_links(project: Project) -> Iterator[Link]:
    """Terraform roots whose folders differ only by one segment that names a region (or a side of
    a failover pair: `primary` and `dr`), and that run the same code (call the same module, or
    declare the same resources): one system deployed to several regions. Folders that differ in
    any other segment (`dev` and `prod`) are different deployments, never linked."""
    groups: dict[tuple[int, str, tuple[str, ...]], list[Unit]] = {}
    for unit in project.units:
        if unit.source != "terraform":
            continue
        parts = unit.id.split("/")
        for index, part in enumerate(parts):
            kind = "region" if is_region_name(part) else "role" if is_failover_role(part) else None
            if kind is not None:
                key = (index, kind, tuple(parts[:index] + ["*"] + parts[index + 1 :]))
                groups.setdefault(key, []).append(unit)
    for (index, kind, _), members in sorted(groups.items()):
        members = sorted(members, key=lambda u: u.id)
        for i, unit in enumerate(members):
            for other in members[:i]:
                shared = _shared_code(unit, other)
                if shared is None:
                    continue
                a, b = other.id.split("/")[index], unit.id.split("/")[index]
                if kind == "region":
                    reason = f"the same root deployed to another region: the folders differ only in the region ({a} and {b}) and {shared}"
                else:
                    reason = f"the two sides of a failover pair: the folders differ only in the role ({a} and {b}) and {shared}"
                yield Link(kind="region-sibling", source=unit.id, target=other.id, reason=reason)
                break  # one link to the first sibling joins the group


def _shared_code(a: Unit, b: Unit) -> str | None:
    """What two roots have in common that makes them copies of one deployment: a module folder
    both call, or the same resource addresses; None when they run different code."""
    modules_a, modules_b = _module_folders(a), _module_folders(b)
    common = sorted(modules_a & modules_b)
    if common:
        return f"both call the module {common[0]}"
    addresses_a, addresses_b = _addresses(a), _addresses(b)
    if addresses_a and addresses_a == addresses_b:
        return "they declare the same resources"
    return None


def _module_folders(unit: Unit) -> set[str]:
    """Folders of the modules whose resources the unit holds, outside its own folder."""
    own = unit.id.rstrip("/")
    found = set()
    for resource in unit.resources:
        folder = posixpath.dirname(resource.location.path)
        if folder != own:
            found.add(folder)
    return found


def _addresses(unit: Unit) -> frozenset[str]:
    return frozenset(re.sub(r"\[[^\]]*\]", "", r.address) for r in unit.resources)
