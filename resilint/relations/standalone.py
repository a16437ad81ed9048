"""Single machines on a serving path (RES313): a virtual machine that is the only thing behind
a load balancer or a public DNS name, with nothing (an Auto Scaling group, a scale set, a managed
instance group) to replace it.

- `standalone_machines(unit)`: each such machine with what it stands behind:
  - AWS: the only target the code registers with a target group that a listener or listener
    rule forwards to (`aws_lb_target_group_attachment`, `Targets`), or the only answer of a
    simple record in a public zone (the instance's address, or an Elastic IP attached to it by
    its `instance` or by an association);
  - Azure: the only network interface in a load balancer's or application gateway's backend
    pool (`azurerm_network_interface_backend_address_pool_association`...), with no scale set,
    address or other interface in the pool; or the only answer of a public record (a public IP
    of one of its network interfaces);
  - Google: the only instance of an unmanaged instance group that a backend service uses, or of
    a target pool; or the only answer of a public record (the instance's `nat_ip`, or a static
    `google_compute_address` its access config attaches).

Anything the code does not resolve (an attachment whose group is not known, a pool some scale
set may join, a record answer of unknown origin, a machine whose count is not known) means no
finding: targets registered from outside the code are not seen, so the claim is always about
what the code registers.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from resilint.arguments import blocks
from resilint.families.backends import INSTANCE_POOLS, LISTENER_RULES, POOL_MEMBERSHIPS
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, INSTANCES
from resilint.families.load_balancing import BACKEND_SERVICES, LISTENERS, TARGET_GROUPS
from resilint.families.network import EIP_ASSOCIATIONS, NETWORK_INTERFACES, PUBLIC_IPS
from resilint.model import Resource, Unit, Unknown, unknowns_in
from resilint.relations.dns import answer_targets, records
from resilint.relations.load_balancing import sole_instance_target
from resilint.relations.network import referenced


@dataclass(frozen=True)
class Standalone:
    """A machine that is the only thing behind `front` (a target group, a backend pool, an
    instance group, a DNS record); `how` says so in words a message can use."""

    machine: Member
    front: Resource
    how: str


def standalone_machines(unit: Unit) -> tuple[Standalone, ...]:
    return unit.derived("relations.standalone.standalone_machines", _build)


def _build(unit: Unit) -> tuple[Standalone, ...]:
    found: dict[str, Standalone] = {}
    for finder in (_target_groups, _pools, _instance_pools, _records):
        for standalone in finder(unit):
            if standalone.machine.resource.count_unknown:
                continue
            found.setdefault(standalone.machine.address, standalone)
    return tuple(found.values())


def _references_to(unit: Unit, resource: Resource, *sources: Iterator[Member]) -> bool:
    """Whether any of the given members refers to the resource."""
    for member in (m for source in sources for m in source):
        for reference in member.resource.references:
            if any(t.address == resource.address for t in unit.resolve(reference.target)):
                return True
    return False


# AWS target groups ----------------------------------------------------------------------------


def _target_groups(unit: Unit) -> Iterator[Standalone]:
    for group in TARGET_GROUPS.members(unit):
        if group.resource.count_unknown:
            continue
        if not _references_to(unit, group.resource, LISTENERS.members(unit), LISTENER_RULES.members(unit)):
            continue  # no listener forwards to it in the code: not known to serve
        instance = sole_instance_target(unit, group.resource)
        member = INSTANCES.member(instance) if instance is not None else None
        if member is not None:
            yield Standalone(member, group.resource, f"the only target the code registers with {group.address}")


# Azure backend pools --------------------------------------------------------------------------


def _machine_of_interface(unit: Unit) -> dict[str, Member]:
    """Network interface address -> the one virtual machine that lists it."""
    owners: dict[str, list[Member]] = {}
    for vm in INSTANCES.members(unit, "azure_vm"):
        for unknown in unknowns_in(vm.value("network_interfaces")):
            for target in unknown.refs:
                for interface in unit.resolve(target):
                    if vm not in owners.setdefault(interface.address, []):
                        owners[interface.address].append(vm)
    return {nic: vms[0] for nic, vms in owners.items() if len(vms) == 1}


def _pools(unit: Unit) -> Iterator[Standalone]:
    machines = _machine_of_interface(unit)
    members: dict[str, list[Member | None]] = {}  # pool address -> its machines (None: another member)
    services: dict[str, str] = {}
    unknown_pools = False
    for membership in POOL_MEMBERSHIPS.members(unit):
        pool = referenced(unit, membership.value("pool"))
        if pool is None or membership.resource.count_unknown:
            unknown_pools = True  # it may add a member to any pool
            continue
        entry: Member | None = None
        if membership.kind == "interface_membership":
            interface = referenced(unit, membership.value("network_interface"))
            entry = machines.get(interface.address) if interface is not None else None
            services[pool.address] = membership.service
        members.setdefault(pool.address, []).append(entry)
    if unknown_pools:
        return
    scale_sets = list(COMPUTE_GROUPS.members(unit, "scale_set"))
    for pool_address, entries in members.items():
        if pool_address not in services or len(entries) != 1 or entries[0] is None:
            continue
        pool = unit.resource(pool_address)
        if pool is None or _references_to(unit, pool, iter(scale_sets)):
            continue  # a scale set joins the pool too
        yield Standalone(entries[0], pool, f"the only member of {pool_address}'s backend pool ({services[pool_address]})")


# Google instance groups and target pools ------------------------------------------------------


def _instance_pools(unit: Unit) -> Iterator[Standalone]:
    backend_services = list(BACKEND_SERVICES.members(unit))
    for pool in INSTANCE_POOLS.members(unit):
        if pool.resource.count_unknown:
            continue
        if pool.kind == "unmanaged_instance_group" and not _backs_a_service(unit, pool.resource, backend_services):
            continue
        only = _sole_instance(unit, pool.value("instances"))
        if only is not None:
            yield Standalone(only, pool.resource, f"the only instance of {pool.service} {pool.address}")


def _backs_a_service(unit: Unit, group: Resource, services: list[Member]) -> bool:
    for service in services:
        for backend in blocks(service.value("backends")) or []:
            target = referenced(unit, service.value("group", within=backend))
            if target is not None and target.address == group.address:
                return True
    return False


def _sole_instance(unit: Unit, instances: Any) -> Member | None:
    if not isinstance(instances, list) or not instances:
        return None
    found: dict[str, Member] = {}
    for value in instances:
        target = referenced(unit, value)
        member = INSTANCES.member(target) if target is not None else None
        if member is None:
            return None  # a literal or unknown instance: not known to be the same one
        found[member.address] = member
    return next(iter(found.values())) if len(found) == 1 else None


# Public DNS records -----------------------------------------------------------------------------


def _records(unit: Unit) -> Iterator[Standalone]:
    for record in records(unit):
        if record.zone.public is not True or record.routing != frozenset() or record.set_identifier is not None:
            continue
        if record.rtype not in ("A", "AAAA") or record.resource.count_unknown:
            continue
        targets = answer_targets(unit, record)
        if not targets:
            continue
        machines = {m.address: m for m in (_machine_behind(unit, t) for t in targets) if m is not None}
        if len(machines) == 1 and all(_machine_behind(unit, t) is not None for t in targets):
            (machine,) = machines.values()
            yield Standalone(machine, record.resource, f"the only answer of {record.shown_name} ({record.label})")


def _machine_behind(unit: Unit, resource: Resource) -> Member | None:
    """The virtual machine an address belongs to: the machine itself, an Elastic IP attached to
    it, or an Azure public IP of one of its network interfaces."""
    member = INSTANCES.member(resource)
    if member is not None:
        return member
    address = PUBLIC_IPS.member(resource)
    if address is None:
        return None
    if address.has("instance"):
        instance = address.value("instance")
        if instance is None:
            return _associated_instance(unit, resource)
        target = referenced(unit, instance)
        return INSTANCES.member(target) if target is not None else None
    if address.kind == "public_ip":
        machines = _machine_of_interface(unit)
        for interface in NETWORK_INTERFACES.members(unit):
            for configuration in blocks(interface.value("ip_configurations")) or []:
                target = referenced(unit, interface.value("public_ip", within=configuration))
                if target is not None and target.address == resource.address:
                    return machines.get(interface.address)
    if address.kind == "regional_address":
        return _instance_with_nat_ip(unit, resource)
    return None


def _associated_instance(unit: Unit, address: Resource) -> Member | None:
    """The one instance an Elastic IP association attaches the address to
    (`aws_eip_association`, `AWS::EC2::EIPAssociation`); None when none does, when the one that
    does names a network interface instead, or when an association's address is not known."""
    found: list[Member] = []
    for association in EIP_ASSOCIATIONS.members(unit):
        allocation = association.value("address")
        target = referenced(unit, allocation)
        if target is None:
            if isinstance(allocation, Unknown) and not allocation.refs:
                return None  # an allocation from a variable: it may be this address
            continue
        if target.address != address.address:
            continue
        if association.resource.count_unknown:
            return None
        instance = referenced(unit, association.value("instance"))
        member = INSTANCES.member(instance) if instance is not None else None
        if member is None:
            return None  # a network interface, or an instance the code does not hold
        found.append(member)
    return found[0] if len(found) == 1 else None


def _instance_with_nat_ip(unit: Unit, address: Resource) -> Member | None:
    """The one Google VM whose access config attaches a static external address
    (`network_interface { access_config { nat_ip = google_compute_address.web.address } }`);
    None when none does, when several may, or when some VM's address is not known."""
    found: list[Member] = []
    for vm in INSTANCES.members(unit, "vm_instance"):
        interfaces = blocks(vm.value("interfaces"))
        if interfaces is None:
            return None  # dynamic interfaces: any VM may attach it
        for interface in interfaces:
            configurations = blocks(vm.value("access_configs", within=interface))
            if configurations is None:
                return None
            for configuration in configurations:
                nat_ip = vm.value("nat_ip", within=configuration)
                if not isinstance(nat_ip, Unknown):
                    continue  # none (an ephemeral address) or a literal one
                target = referenced(unit, nat_ip)
                if target is None:
                    if not nat_ip.refs:
                        return None  # an address from a variable: it may be this one
                    continue
                if target.address == address.address and vm not in found:
                    found.append(vm)
    return found[0] if len(found) == 1 else None
