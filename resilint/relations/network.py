"""Network relations for the zonal-redundancy rules (RES303, RES304, RES305): which availability
zones a list of subnets spans, and which subnets send their traffic through which NAT gateway.

- `span(unit, value)`: the subnets (or zones) one argument lists, each followed to its
  `aws_subnet` / `AWS::EC2::Subnet` and that subnet's `availability_zone` / `AvailabilityZone`
  (or zone ID). `Span.one_zone` is true only on evidence: the list has one subnet, or every
  subnet's zone is known and they are all the same.
- `nat_egress(unit)`: for each NAT gateway, the subnets whose route table sends traffic to it
  (`aws_route` and inline `route` blocks, `AWS::EC2::Route`; `aws_route_table_association`,
  `AWS::EC2::SubnetRouteTableAssociation`).

Unknown stays unknown. A list that comes whole from a variable, a module output or a
parameter is no list at all here (`span` answers None). A subnet given as a literal ID, or
created without a zone (AWS picks one) has an unknown zone. A zone chosen by its position in
the region's zone list (`!Select [0, !GetAZs '']`, `data.aws_availability_zones.x.names[0]`)
is not named, but it is the same zone as the same position of the same list and a different
zone from any other position of it. A route or association whose references do
not name exactly one resource (an instance key that is not known) is left out, so a relation is
never guessed.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from resilint.arguments import blocks, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, INSTANCES
from resilint.families.network import (
    NAT_ASSOCIATIONS,
    NAT_GATEWAYS,
    NETWORK_INTERFACES,
    ROUTE_TABLE_ASSOCIATIONS,
    ROUTE_TABLES,
    ROUTES,
    SUBNETS,
)
from resilint.model import Resource, Unit, Unknown, UnknownZone

SUBNET_TYPES = SUBNETS.types_of("subnet")  # subnets that live in one zone (AWS)
NAT_GATEWAY_TYPES = NAT_GATEWAYS.types_of("nat_gateway")
ROUTE_TABLE_TYPES = ROUTE_TABLES.types


@dataclass(frozen=True)
class Zone:
    """An availability zone by name (`eu-west-1a`) or by ID (`euw1-az1`). Names and IDs cannot
    be compared with each other: the mapping differs per account."""

    kind: str  # "name" or "id"
    value: str

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Entry:
    """One entry of a subnet (or zone) list."""

    identity: str  # the subnet's address, a literal ID, or a token unique to an unknown entry
    label: str  # how a message names it
    zone: Zone | None  # None when unknown
    resource: Resource | None = None


@dataclass(frozen=True)
class Span:
    """The entries one argument lists (subnets, or zones for `availability_zones`)."""

    entries: tuple[Entry, ...]

    @property
    def distinct(self) -> tuple[Entry, ...]:
        """Entries with duplicates (the same subnet listed twice) removed, in order."""
        seen: dict[str, Entry] = {}
        for entry in self.entries:
            seen.setdefault(entry.identity, entry)
        return tuple(seen.values())

    @property
    def zones(self) -> tuple[Zone, ...]:
        """The known zones, sorted, without duplicates."""
        return tuple(sorted({e.zone for e in self.entries if e.zone is not None}, key=lambda z: (z.kind, z.value)))

    @property
    def one_zone(self) -> bool:
        """True when the list certainly covers a single zone: it names one subnet, or the zones
        of all its subnets are known and equal."""
        distinct = self.distinct
        if len(distinct) == 1:
            return True
        if not distinct or any(e.zone is None for e in distinct):
            return False
        return len({e.zone for e in distinct}) == 1

    def zone_count(self) -> int:
        """How many different zones the list certainly covers (a lower bound): the larger count
        among zone names and among zone IDs, which cannot be compared with each other."""
        by_kind: dict[str, set[str]] = {}
        for zone in self.zones:
            by_kind.setdefault(zone.kind, set()).add(zone.value)
        return max((len(v) for v in by_kind.values()), default=0)

    def describe(self, limit: int = 3) -> str:
        """`aws_subnet.a, aws_subnet.b` for messages."""
        return shorten([e.label for e in self.distinct], limit)


def shorten(items: Iterable[str], limit: int = 3) -> str:
    """`a, b, c and 2 more`."""
    values = list(items)
    if len(values) <= limit:
        return ", ".join(values)
    return f"{', '.join(values[:limit])} and {len(values) - limit} more"


# Subnets and zones --------------------------------------------------------------------------


def subnet_zone(subnet: Resource) -> Zone | None:
    """The zone an `aws_subnet` / `AWS::EC2::Subnet` is created in, when the code says."""
    for key, kind in (
        ("availability_zone", "name"),
        ("AvailabilityZone", "name"),
        ("availability_zone_id", "id"),
        ("AvailabilityZoneId", "id"),
    ):
        value = subnet.attributes.get(key)
        if isinstance(value, str) and value.strip():
            return Zone(kind, value.strip())
        if isinstance(value, UnknownZone):
            return position_zone(value)
    return None


def position_zone(value: UnknownZone) -> Zone:
    """A zone known by its position in the region's zone list (`!Select [0, !GetAZs '']`): it
    compares only with positions in the same list."""
    return Zone(f"{value.kind} at a position of {value.source}", value.label)


def referenced(unit: Unit, value: Any) -> Resource | None:
    """The one resource a value comes from (`aws_subnet.a.id`, `!Ref SubnetA`), or None when it
    does not come from exactly one resource of the unit."""
    if not isinstance(value, Unknown) or len(value.refs) != 1:
        return None
    targets = unit.resolve(value.refs[0])
    return targets[0] if len(targets) == 1 else None


def subnet_entry(unit: Unit, value: Any, position: int) -> Entry:
    """A subnet list entry: a reference to a subnet of the unit, a literal ID, or unknown."""
    if isinstance(value, str) and value.strip():
        return Entry(identity=f"literal:{value.strip()}", label=value.strip(), zone=None)
    target = referenced(unit, value)
    if target is not None:
        zone = subnet_zone(target) if target.type in SUBNET_TYPES else None
        return Entry(identity=target.address, label=target.address, zone=zone, resource=target)
    return Entry(identity=f"unknown:{position}", label="a subnet that is not known", zone=None)


def zone_entry(value: Any, position: int) -> Entry:
    """An entry of a list of zone names (`availability_zones`, `AvailabilityZones`)."""
    return _zone_list_entry(value, position, "name")


def zone_id_entry(value: Any, position: int) -> Entry:
    """An entry of a list of zone IDs (`AvailabilityZoneIds`)."""
    return _zone_list_entry(value, position, "id")


def _zone_list_entry(value: Any, position: int, kind: str) -> Entry:
    if isinstance(value, str) and value.strip():
        zone = Zone(kind, value.strip())
    elif isinstance(value, UnknownZone):
        zone = position_zone(value)
    else:
        return Entry(identity=f"unknown:{position}", label="a zone that is not known", zone=None)
    return Entry(identity=f"zone:{zone.kind}:{zone.value}", label=zone.value, zone=zone)


def span(unit: Unit, value: Any) -> Span | None:
    """The subnets a list argument names; None when the list itself is not known (absent,
    empty, from a variable or module output, or not a list)."""
    if not isinstance(value, list) or not value:
        return None
    return Span(tuple(subnet_entry(unit, item, i) for i, item in enumerate(value)))


def zone_span(value: Any, ids: bool = False) -> Span | None:
    """The zones a list of zone names (or IDs) names; None when the list is not known."""
    if not isinstance(value, list) or not value:
        return None
    make = zone_id_entry if ids else zone_entry
    return Span(tuple(make(item, i) for i, item in enumerate(value)))


# NAT gateways -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class NatEgress:
    """A NAT gateway and the subnets whose route tables send traffic through it."""

    gateway: Resource
    zone: Zone | None  # the zone of the gateway's own subnet
    subnets: Span  # the subnets routed through it (empty when none is known)
    route_tables: tuple[str, ...]  # how it is reached: route tables (AWS), or subnets (Azure)
    # Azure: `subnets` holds the workloads of the gateway's subnets, an entry per zone each runs in
    # (an Azure subnet spans every zone, its workloads are what is zonal).
    by_workload: bool = False


def nat_egress(unit: Unit) -> tuple[NatEgress, ...]:
    return unit.derived("relations.network.nat_egress", _build_nat_egress)


def _build_nat_egress(unit: Unit) -> tuple[NatEgress, ...]:
    gateways = list(NAT_GATEWAYS.members(unit, "nat_gateway"))
    if not gateways:  # the routes and subnets below are read for the gateways' sake only
        return tuple(_azure_nat_egress(unit))
    tables_of_gateway: dict[str, list[str]] = {}
    for table, gateway in _nat_routes(unit):
        found = tables_of_gateway.setdefault(gateway.address, [])
        if table.address not in found:
            found.append(table.address)
    subnets_of_table: dict[str, list[Entry]] = {}
    for table, entry in _associations(unit):
        subnets_of_table.setdefault(table.address, []).append(entry)
    result = []
    for member in gateways:
        gateway = member.resource
        tables = tables_of_gateway.get(gateway.address, [])
        entries = [e for t in tables for e in subnets_of_table.get(t, [])]
        target = referenced(unit, member.value("subnet"))
        zone = subnet_zone(target) if target is not None and target.type in SUBNET_TYPES else None
        result.append(NatEgress(gateway=gateway, zone=zone, subnets=Span(tuple(entries)), route_tables=tuple(tables)))
    result.extend(_azure_nat_egress(unit))
    return tuple(result)


def _nat_routes(unit: Unit) -> Iterator[tuple[Resource, Resource]]:
    """(route table, NAT gateway) for every route that sends traffic to a NAT gateway."""
    for route in ROUTES.members(unit):
        table = _one_of(unit, route.value("route_table"), ROUTE_TABLE_TYPES)
        gateway = _route_gateway(unit, route)
        if table is not None and gateway is not None:
            yield table, gateway
    for table_member in ROUTE_TABLES.members(unit):
        if not table_member.has("routes"):
            continue
        for block in blocks(table_member.value("routes")) or []:
            gateway = _route_gateway(unit, table_member, within=block)
            if gateway is not None:
                yield table_member.resource, gateway


def _route_gateway(unit: Unit, route: Member, within: dict[str, Any] | None = None) -> Resource | None:
    """The NAT gateway a route (or an inline route block `within` a route table) sends to. Every
    spelling of the role is tried: a NAT gateway ID also works as `gateway_id` / `GatewayId`."""
    source = route.resource.attributes if within is None else within
    for name in route.names("nat_gateway"):
        gateway = _one_of(unit, source.get(name), NAT_GATEWAY_TYPES)
        if gateway is not None:
            return gateway
    return None


def _associations(unit: Unit) -> Iterator[tuple[Resource, Entry]]:
    """(route table, subnet) for every explicit association of a subnet with a route table."""
    for association in ROUTE_TABLE_ASSOCIATIONS.members(unit):
        table = _one_of(unit, association.value("route_table"), ROUTE_TABLE_TYPES)
        subnet_value = association.value("subnet")
        if table is None or subnet_value is None:
            continue
        subnet = referenced(unit, subnet_value)
        if isinstance(subnet_value, Unknown) and subnet is None:
            continue  # an unresolved instance key: which subnet is not known
        yield table, subnet_entry(unit, subnet_value, 0)


def _one_of(unit: Unit, value: Any, types: tuple[str, ...]) -> Resource | None:
    target = referenced(unit, value)
    return target if target is not None and target.type in types else None


# Azure NAT gateways ---------------------------------------------------------------------------
# Azure subnets span every zone of their region: what a zonal NAT gateway puts at risk is the
# egress of the workloads in its subnets, in whichever zones they run.


def _azure_nat_egress(unit: Unit) -> Iterator[NatEgress]:
    gateways = list(NAT_GATEWAYS.members(unit, "azure_nat_gateway"))
    if not gateways:
        return
    subnets_of_gateway: dict[str, list[str]] = {}
    for association in NAT_ASSOCIATIONS.members(unit, "subnet_association"):
        target = referenced(unit, association.value("nat_gateway"))
        subnet = referenced(unit, association.value("subnet"))
        if target is None or subnet is None or association.resource.count_unknown:
            continue
        found = subnets_of_gateway.setdefault(target.address, [])
        if subnet.address not in found:
            found.append(subnet.address)
    workloads = _azure_workloads(unit)
    for gateway in gateways:
        subnets = subnets_of_gateway.get(gateway.address, [])
        entries = [entry for subnet in subnets for entry in workloads.get(subnet, [])]
        zones = gateway.value("zones")
        zone = Zone("name", str(zones[0])) if isinstance(zones, list) and len(zones) == 1 and isinstance(zones[0], (str, int)) else None
        yield NatEgress(gateway.resource, zone, Span(tuple(entries)), route_tables=tuple(subnets), by_workload=True)


def _azure_workloads(unit: Unit) -> dict[str, list[Entry]]:
    """For each subnet address, an entry per zone a workload placed in it runs in (scale sets,
    AKS node pools, virtual machines through their network interfaces). A workload whose zones
    the code does not fix adds nothing: it proves no spread."""
    found: dict[str, list[Entry]] = {}

    def add(subnet_value: Any, workload: Resource, zones: Any) -> None:
        subnet = referenced(unit, subnet_value)
        if subnet is None or workload.count_unknown:
            return
        listed = zones if isinstance(zones, list) else [zones] if isinstance(zones, (str, int)) else []
        for zone in listed:
            if isinstance(zone, (str, int)) and str(zone).strip():
                value = str(zone).strip()
                found.setdefault(subnet.address, []).append(
                    Entry(identity=f"{workload.address}@{value}", label=workload.address, zone=Zone("name", value), resource=workload)
                )

    for group in COMPUTE_GROUPS.members(unit, "scale_set", "aks_node_pool", "aks_cluster"):
        if group.kind == "aks_cluster":
            pool = first_block(group.value("default_pool"))
            if pool is not None:
                add(group.value("subnet", within=pool), group.resource, group.value("zones", within=pool))
            continue
        if group.kind == "aks_node_pool":
            add(group.value("subnet"), group.resource, group.value("zones"))
            continue
        for nic in blocks(group.value("network_interfaces")) or []:
            for configuration in blocks(group.value("ip_configurations", within=nic)) or []:
                add(group.value("subnet", within=configuration), group.resource, group.value("zones"))
    interfaces = {i.address: i for i in NETWORK_INTERFACES.members(unit)}
    for machine in INSTANCES.members(unit, "azure_vm"):
        ids = machine.value("network_interfaces")
        for value in ids if isinstance(ids, list) else []:
            interface = referenced(unit, value)
            member = interfaces.get(interface.address) if interface is not None else None
            if member is None:
                continue
            for configuration in blocks(member.value("ip_configurations")) or []:
                add(member.value("subnet", within=configuration), machine.resource, machine.value("zone"))
    return found
