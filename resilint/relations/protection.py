"""Copies of what a region's data needs to be usable elsewhere: backup copies, key replicas,
secret replicas, registry replication, messaging pairings; and the workload's other regions.

For the data-and-recovery rules (RES108-RES112). Everything answers from the model, and says
"not known" (None) rather than guess:

- `other_regions(unit, project, resource, family, kinds)`: the regions where the workload that
  `resource` belongs to serves, besides the resource's own, and where the workload has no member
  of its own of the same kinds. The workload is the unit's system (`Project.system_of`): the unit
  itself (provider aliases, per-resource regions), the units it reads through remote state, and
  the units configuration declares with it. A region "serves" when compute or an entry point of
  the system runs there (`relations.footprint` role `serving`, pinned satellites and plumbing
  functions left out, resources whose count is unknown left out). A region where the system has
  its own key, secret or registry (a root deployed once per region, a StackSet's copy in each
  region) uses that copy, so it is not another region of this one.
- `plan_copies(unit, plan)`: where an AWS Backup plan's copy actions send recovery points.
- `selected_resources(unit, plan)`: what the unit's backup selections of an AWS Backup plan
  name, when they name only resources of the code.
- `key_replica_regions`, `secret_replica_regions`, `repository_replica_regions`: regions a key,
  a secret, an ECR repository or an Azure registry is copied to.
- `paired_namespaces(unit)`: messaging namespaces in a geo-DR pairing.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from resilint.arguments import DEFAULT, as_bool, block_instances, blocks, first_block, is_set_or_computed, nested
from resilint.families.base import Family, Member
from resilint.families.messaging import MESSAGING
from resilint.families.recovery import BACKUPS
from resilint.families.registries import REGISTRIES
from resilint.families.security import KEYS
from resilint.model import Project, Resource, Unit, Unknown
from resilint.placement import gcp_region_of, normalize_azure_location
from resilint.relations.footprint import plumbing_functions, role, satellites
from resilint.relations.placement import is_multi_region_location, region_of, regional

# The workload's other regions -----------------------------------------------------------------


@dataclass(frozen=True)
class OtherRegion:
    """A region the workload serves from, with what serves there (for messages)."""

    region: str
    serving: tuple[str, ...]


def serving_regions(unit: Unit) -> dict[str, tuple[str, ...]]:
    """Known regions of the unit's compute and entry points, with their addresses."""
    return unit.derived("relations.protection.serving", _build_serving)


def _build_serving(unit: Unit) -> dict[str, tuple[str, ...]]:
    skip = satellites(unit) | plumbing_functions(unit)
    found: dict[str, list[str]] = {}
    for resource in unit.resources:
        if resource.address in skip or resource.count_unknown or role(resource) != "serving":
            continue
        region = region_of(resource)
        if not regional(resource) or not isinstance(region, str) or is_multi_region_location(resource, region):
            continue
        found.setdefault(region, []).append(resource.address)
    return {region: tuple(addresses) for region, addresses in sorted(found.items())}


def system_units(unit: Unit, project: Project) -> list[Unit]:
    """The unit and the other units of its system."""
    system = project.system_of(unit)
    units = [unit]
    for other_id in system.units if system is not None else ():
        other = project.unit(other_id) if other_id != unit.id else None
        if other is not None:
            units.append(other)
    return units


def other_regions(
    unit: Unit,
    project: Project,
    resource: Resource,
    family: Family,
    kinds: Iterable[str],
    own_regions: Iterable[str] | None = None,
) -> tuple[OtherRegion, ...]:
    """The workload's other regions for `resource` (module documentation): () when its own
    region is not known, or when the workload serves from no other region that lacks a copy.
    `own_regions` are the regions a resource without a region of its own keeps its data in
    (the replica locations of a Google secret)."""
    mine = set(own_regions) if own_regions is not None else set()
    own = region_of(resource)
    if own_regions is None and (not isinstance(own, str) or not regional(resource)):
        return ()
    if isinstance(own, str):
        mine.add(own)
    wanted = family.types_of(*kinds)
    serving: dict[str, list[str]] = {}
    copies: set[str] = set()
    for member_unit in system_units(unit, project):
        prefix = "" if member_unit.id == unit.id else f"{member_unit.id}: "
        for region, addresses in serving_regions(member_unit).items():
            serving.setdefault(region, []).extend(prefix + a for a in addresses)
        for other in member_unit.of_type(*wanted):
            region = region_of(other)
            if isinstance(region, str) and other is not resource:
                copies.add(region)
            elif other is not resource and isinstance(region, Unknown):
                return ()  # a copy somewhere not known: it may be in any of the regions
    return tuple(
        OtherRegion(region, tuple(addresses))
        for region, addresses in sorted(serving.items())
        if region not in mine and region not in copies
    )


# References between resources -------------------------------------------------------------------


def targets(unit: Unit, value: Any, types: tuple[str, ...]) -> list[Resource] | None:
    """The resources of `types` a value refers to; None when it is no reference to one."""
    if not isinstance(value, Unknown) or not value.refs:
        return None
    found = [t for ref in value.refs for t in unit.resolve(ref) if t.type in types]
    return found or None


def users(unit: Unit, address: str) -> tuple[Resource, ...]:
    """The unit's resources whose arguments refer to the resource at `address`."""
    index = unit.derived("relations.protection.users", _build_users)
    return index.get(address, ())


def _build_users(unit: Unit) -> dict[str, tuple[Resource, ...]]:
    found: dict[str, list[Resource]] = {}
    for resource in unit.resources:
        for ref in resource.references:
            for target in unit.resolve(ref.target):
                if target.address != resource.address:
                    bucket = found.setdefault(target.address, [])
                    if resource not in bucket:
                        bucket.append(resource)
    return {address: tuple(resources) for address, resources in found.items()}


_ARN = re.compile(r"^arn:aws[a-z-]*:([a-z0-9-]+):([a-z0-9-]*):")


def arn_region(value: str) -> str | None:
    """The region field of an ARN; None when the value is no ARN or has no region."""
    match = _ARN.match(value.strip())
    return match.group(2) or None if match else None


# AWS Backup ------------------------------------------------------------------------------------


@dataclass
class PlanCopies:
    """Where a backup plan's copy actions send recovery points."""

    copies: int = 0  # copy actions found
    other_regions: set[str] = field(default_factory=set)
    same_region: list[str] = field(default_factory=list)  # destinations in the plan's region
    undecided: str | None = None


def plan_copies(unit: Unit, plan: Member) -> PlanCopies:
    result = PlanCopies()
    container: dict[str, Any] | None = None
    if plan.has("plan"):
        wrapped = plan.value("plan")
        if isinstance(wrapped, Unknown) or not isinstance(wrapped, dict):
            result.undecided = "the backup plan is not known"
            return result
        container = wrapped
    _, given = plan.setting("rules", within=container)
    rules = [] if given is DEFAULT else block_instances(given)
    if isinstance(rules, Unknown):
        result.undecided = "its rules are not known"
        return result
    own = region_of(plan.resource)
    vault_types = BACKUPS.types_of("backup_vault")
    for rule in rules:
        if not isinstance(rule, dict):
            result.undecided = "a rule is not known"
            return result
        copies = block_instances(plan.value("copy_actions", within=rule))
        if isinstance(copies, Unknown):
            result.undecided = "its copy actions are not known"
            return result
        for copy in copies:
            result.copies += 1
            destination = plan.value("destination", within=copy) if isinstance(copy, dict) else None
            region: Any = None
            vaults = targets(unit, destination, vault_types)
            if vaults is not None:
                regions = {v.region for v in vaults}
                if unit.source == "cloudformation" and all(v.unit == plan.resource.unit for v in vaults):
                    region = own if isinstance(own, str) else _SAME
                elif len(regions) == 1 and isinstance(next(iter(regions)), str):
                    region = next(iter(regions))
            elif isinstance(destination, str):
                region = arn_region(destination)
            if region is _SAME or (isinstance(region, str) and isinstance(own, str) and region == own):
                result.same_region.append(_describe(destination, vaults))
            elif isinstance(region, str) and isinstance(own, str):
                result.other_regions.add(region)
            else:
                result.undecided = result.undecided or "the region of a copy action's destination vault is not known"
    return result


_SAME = "\0same"


def _describe(destination: Any, vaults: list[Resource] | None) -> str:
    if vaults:
        return ", ".join(v.address for v in vaults)
    return str(destination)


# Google Backup and DR, Backup for GKE -------------------------------------------------------------

_PATH_LOCATION = re.compile(r"(?:^|/)locations/([^/]+)/([A-Za-z]+)/[^/]+$")


def path_location(value: Any, collection: str) -> str | None:
    """The location in a Google resource name of `collection`
    (`projects/shop/locations/us-central1/backupVaults/vault` -> `us-central1`); None otherwise."""
    if not isinstance(value, str):
        return None
    match = _PATH_LOCATION.search(value.strip())
    return match.group(1).lower() if match and match.group(2) == collection else None


def backup_vault_location(unit: Unit, plan: Member) -> str | None:
    """Where a Backup and DR plan stores its backups: the location of its backup vault (a vault
    of the unit it refers to, or the vault's resource name), lower-case; None when not known."""
    value = plan.value("vault")
    vaults = targets(unit, value, BACKUPS.types_of("gcp_backup_vault"))
    if vaults is None:
        return path_location(value, "backupVaults")
    locations: set[str] = set()
    for vault in vaults:
        member = BACKUPS.member(vault)
        location = member.value("location") if member is not None and not vault.count_unknown else None
        if not isinstance(location, str) or not location.strip():
            return None
        locations.add(location.strip().lower())
    return locations.pop() if len(locations) == 1 else None


# The key of `backup_dr_protection` for plans applied to workloads that are not known.
ANY_WORKLOAD = "*"


def backup_dr_protection(unit: Unit) -> dict[str, tuple[tuple[str | None, str | None], ...]]:
    """For each workload (its address) that a Backup and DR plan association of the unit
    protects: the plans applied to it (their addresses; None: a plan not known) with the
    location of each one's backup vault (None: not known). Under `ANY_WORKLOAD`, the plans of
    associations whose workload is not known (a resource name, a choice between resources, an
    association whose count is not known): they may protect any workload."""
    return unit.derived("relations.protection.backup_dr", _build_backup_dr)


def _build_backup_dr(unit: Unit) -> dict[str, tuple[tuple[str | None, str | None], ...]]:
    found: dict[str, list[tuple[str | None, str | None]]] = {}
    plan_types = BACKUPS.types_of("gcp_backup_plan")
    for association in BACKUPS.members(unit, "gcp_backup_association"):
        plans = targets(unit, association.value("backup_plan"), plan_types) or []
        applied: list[tuple[str | None, str | None]] = []
        for plan in plans:
            member = BACKUPS.member(plan)
            applied.append((plan.address, backup_vault_location(unit, member) if member is not None else None))
        protected = association.value("protected")
        workloads = (
            unit.resolve(protected.refs[0])
            if isinstance(protected, Unknown) and len(protected.refs) == 1 and not association.resource.count_unknown
            else None
        )
        for address in [w.address for w in workloads] if workloads else [ANY_WORKLOAD]:
            found.setdefault(address, []).extend(applied or [(None, None)])
    return {address: tuple(entries) for address, entries in found.items()}


def backed_up_clusters(unit: Unit, plan: Member) -> tuple[tuple[str, ...], set[str]] | None:
    """The clusters a Backup for GKE plan backs up (addresses of clusters of the unit it refers
    to, or the cluster's resource name) and their regions; None when a region is not known."""
    value = plan.value("cluster")
    clusters = targets(unit, value, ("google_container_cluster",))
    if clusters is None:
        location = path_location(value, "clusters")
        region = gcp_region_of(location) if location is not None else None
        return ((json.dumps(value),), {region}) if region is not None else None
    regions: set[str] = set()
    for cluster in clusters:
        region = region_of(cluster)
        if cluster.count_unknown or not isinstance(region, str) or gcp_region_of(region) is None:
            return None
        regions.add(region)
    return tuple(c.address for c in clusters), regions


# Keys ------------------------------------------------------------------------------------------


def key_replica_regions(unit: Unit, project: Project, key: Resource) -> set[str] | None:
    """Regions of the replica keys of a multi-region key (in any unit of its system); None when
    a replica key's primary or region is not known (it may be this key's)."""
    found: set[str] = set()
    replica_types = KEYS.types_of("kms_replica_key")
    for member_unit in system_units(unit, project):
        for replica in member_unit.of_type(*replica_types):
            member = KEYS.member(replica)
            assert member is not None
            primary = member.value("primary")
            keys = targets(member_unit, primary, (key.type,))
            if keys is None:
                if isinstance(primary, str) and primary.strip():
                    continue  # an ARN of a key outside the code
                return None
            if not any(k.address == key.address and k.unit == key.unit for k in keys):
                continue
            region = region_of(replica)
            if not isinstance(region, str):
                return None
            found.add(region)
    return found


# Secrets ---------------------------------------------------------------------------------------


def secret_replica_regions(secret: Member) -> set[str] | None:
    """Regions a secret's replica blocks (`replica`, `ReplicaRegions`) name; None when unknown."""
    # `setting`: a plan that leaves the blocks out says nothing about them (unknown, not none).
    _, value = secret.setting("replicas")
    replicas = [] if value is DEFAULT else block_instances(value)
    if isinstance(replicas, Unknown):
        return None
    found: set[str] = set()
    for replica in replicas:
        region = secret.value("region", within=replica) if isinstance(replica, dict) else None
        if not isinstance(region, str) or not region:
            return None
        found.add(region)
    return found


def secret_locations(secret: Member) -> set[str] | None:
    """Where a Google secret keeps its data: the locations of its user-managed replicas; None
    when automatic replication (Google's choice of locations) is on or anything is unknown."""
    replication = first_block(secret.value("replication"))
    if replication is None:
        return None
    automatic = secret.value("auto", within=replication)
    if is_set_or_computed(automatic) is not False and as_bool(automatic) is not False:
        return None  # automatic replication (an `auto {}` block, or `automatic = true`), or maybe
    managed = first_block(secret.value("user_managed", within=replication))
    if managed is None:
        return None
    replicas = block_instances(secret.value("replicas", within=managed))
    if isinstance(replicas, Unknown) or not replicas:
        return None
    found: set[str] = set()
    for replica in replicas:
        location = secret.value("location", within=replica) if isinstance(replica, dict) else None
        if not isinstance(location, str) or not location:
            return None
        found.add(location.lower())
    return found


# Container registries -----------------------------------------------------------------------------


def repository_replica_regions(unit: Unit, project: Project, repository: Member) -> set[str] | None:
    """Regions the registry's replication rules copy an ECR repository to (the replication
    configurations of its region in any unit of the system), or an Azure registry's
    geo-replicas; None when a rule's destinations or filters, or the repository's name, are
    not known."""
    if repository.kind == "container_registry":
        return _azure_replicas(repository)
    if repository.kind == "artifact_repository":
        return set()  # a regional repository has no replicas; a multi-region location has no region
    own = region_of(repository.resource)
    name = repository.value("name")
    found: set[str] = set()
    replication_types = REGISTRIES.types_of("ecr_replication")
    for member_unit in system_units(unit, project):
        for configuration in member_unit.of_type(*replication_types):
            region = region_of(configuration)
            if member_unit.source == "cloudformation" and member_unit.id == unit.id:
                region = own
            if not isinstance(region, str) or not isinstance(own, str):
                return None
            if region != own:
                continue  # another region's registry
            member = REGISTRIES.member(configuration)
            assert member is not None
            regions = _ecr_rule_regions(member, name)
            if regions is None:
                return None
            found |= regions
    return found


def _ecr_rule_regions(configuration: Member, name: Any) -> set[str] | None:
    outer = blocks(configuration.value("configuration"))
    if outer is None:
        return None
    found: set[str] = set()
    for block in outer:
        rules = block_instances(configuration.value("rules", within=block))
        if isinstance(rules, Unknown):
            return None
        for rule in rules:
            if not isinstance(rule, dict):
                return None
            filters = block_instances(configuration.value("filters", within=rule))
            if isinstance(filters, Unknown):
                return None
            if filters:
                matched = _filter_matches(configuration, filters, name)
                if matched is None:
                    return None
                if not matched:
                    continue
            destinations = block_instances(configuration.value("destinations", within=rule))
            if isinstance(destinations, Unknown):
                return None
            for destination in destinations:
                region = configuration.value("region", within=destination) if isinstance(destination, dict) else None
                if not isinstance(region, str) or not region:
                    return None
                found.add(region)
    return found


def _filter_matches(configuration: Member, filters: list[Any], name: Any) -> bool | None:
    """Whether a repository name matches one of a rule's prefix filters; None when unknown."""
    for entry in filters:
        prefix = configuration.value("filter", within=entry) if isinstance(entry, dict) else None
        if not isinstance(prefix, str) or not isinstance(name, str):
            return None
        if name.startswith(prefix):
            return True
    return False


def _azure_replicas(registry: Member) -> set[str] | None:
    found: set[str] = set()
    replicas = block_instances(registry.value("georeplications"))
    if isinstance(replicas, Unknown):
        return None
    for replica in replicas:
        location = nested(replica, "location")
        if not isinstance(location, str):
            return None
        found.add(normalize_azure_location(location))
    legacy = registry.value("legacy_locations")
    if isinstance(legacy, Unknown):
        return None
    for location in legacy if isinstance(legacy, list) else []:
        if not isinstance(location, str):
            return None
        found.add(normalize_azure_location(location))
    return found


# Messaging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Pairings:
    """Namespaces in a geo-DR pairing anywhere in a system."""

    paired: frozenset[tuple[str, str]]  # (unit id, address) of namespaces paired (primary or partner)
    undecided: frozenset[str]  # namespace kinds that a pairing the code cannot resolve may concern

    def covers(self, namespace: Member) -> bool:
        """Whether the namespace is paired, or may be (a pairing of its kind is not resolved)."""
        resource = namespace.resource
        return (resource.unit, resource.address) in self.paired or namespace.kind in self.undecided


@dataclass(frozen=True)
class _UnitPairings:
    paired: frozenset[tuple[str, str]]  # namespaces a pairing references
    named: frozenset[tuple[str, str]]  # (kind, name) of namespaces a pairing names by name or ARM id
    undecided: frozenset[str]


_NAMESPACE_KINDS = {"servicebus_pairing": "servicebus_namespace", "eventhub_pairing": "eventhub_namespace"}


def paired_namespaces(unit: Unit, project: Project) -> Pairings:
    """The pairings of the unit's whole system: a DR root's pairing whose primary is the
    primary root's namespace (through remote state), or whose partner is named by its ARM id,
    pairs the namespaces of both units. A pairing whose primary cannot be resolved may concern
    any namespace of its kind in the system."""
    paired: set[tuple[str, str]] = set()
    named: set[tuple[str, str]] = set()
    undecided: set[str] = set()
    units = system_units(unit, project)
    for member_unit in units:
        found = member_unit.derived("relations.protection.pairings", _build_pairings)
        paired |= found.paired
        named |= found.named
        undecided |= found.undecided
    if named:
        for member_unit in units:
            for namespace in MESSAGING.members(member_unit, *_NAMESPACE_KINDS.values()):
                name = namespace.value("name")
                if isinstance(name, str) and (namespace.kind, name.lower()) in named:
                    paired.add((member_unit.id, namespace.address))
    return Pairings(frozenset(paired), frozenset(undecided))


def _build_pairings(unit: Unit) -> _UnitPairings:
    paired: set[tuple[str, str]] = set()
    named: set[tuple[str, str]] = set()
    undecided: set[str] = set()
    for pairing in MESSAGING.members(unit, *_NAMESPACE_KINDS):
        kind = _NAMESPACE_KINDS[pairing.kind]
        types = MESSAGING.types_of(kind)
        for role_name in ("primary", "primary_name", "partner"):
            if not pairing.has(role_name):
                continue
            value = pairing.value(role_name)
            found = targets(unit, value, types)
            if found is not None:
                paired.update((r.unit, r.address) for r in found)
                continue
            name = _namespace_name(value, by_id=role_name != "primary_name")
            if name is not None:
                named.add((kind, name))
            elif role_name != "partner":
                undecided.add(kind)  # the pairing's primary is not known: any namespace may be it
    return _UnitPairings(frozenset(paired), frozenset(named), frozenset(undecided))


def _namespace_name(value: Any, *, by_id: bool) -> str | None:
    """The namespace name a literal names: the value itself, or the last segment of an ARM id
    (`.../providers/Microsoft.ServiceBus/namespaces/orders-dr`)."""
    if not isinstance(value, str) or not value.strip():
        return None
    if not by_id:
        return value.strip().lower()
    match = re.search(r"/namespaces/([^/]+)/?$", value.strip(), re.IGNORECASE)
    return match.group(1).lower() if match else None


def describe_regions(regions: Iterable[OtherRegion], limit: int = 2) -> str:
    """`us-west-2 (aws_ecs_service.west)` for messages: each region with what serves there."""
    parts = []
    for other in regions:
        shown = ", ".join(other.serving[:limit]) + (f" and {len(other.serving) - limit} more" if len(other.serving) > limit else "")
        parts.append(f"{other.region} ({shown})")
    return "; ".join(parts)


# What a key encrypts: the unit's data and compute that refer to it (its aliases, grants, policies
# and replicas are the key's own plumbing).
_KEY_PLUMBING = re.compile(r"^(?:aws_kms_|AWS::KMS::|google_kms_)")


def encrypted_by(unit: Unit, key: Resource) -> tuple[Resource, ...]:
    """The unit's data stores and compute that refer to a key."""
    return tuple(
        r for r in users(unit, key.address) if not _KEY_PLUMBING.match(r.type) and role(r) in ("data", "serving")
    )


def selected_resources(unit: Unit, plan: Member) -> list[Resource] | None:
    """The resources of the unit that its backup selections of `plan` name by reference (an
    `aws_backup_selection` whose `plan_id` is the plan, its `resources`); None when no
    selection names the plan, or when one also selects by tags or conditions, or names
    something that is not a resource of the code (an ARN written out, a value not known): the
    plan may then back up anything."""
    selected: list[Resource] = []
    found = False
    for selection in BACKUPS.members(unit, "backup_selection"):
        plan_argument = selection.argument("plan")
        plans = {
            r.address for ref in selection.resource.references if ref.path == plan_argument for r in unit.resolve(ref.target)
        }
        if plan.address not in plans:
            continue
        found = True
        if any(selection.has(role) and selection.value(role) not in (None, []) for role in ("tags", "conditions")):
            return None
        argument = selection.argument("selected")
        names = selection.value("selected")
        if not isinstance(names, list) or not names:
            return None
        for index in range(len(names)):
            targets = [
                r for ref in selection.resource.references if ref.path == f"{argument}[{index}]" for r in unit.resolve(ref.target)
            ]
            if not targets:
                return None
            selected.extend(targets)
    return selected if found else None
