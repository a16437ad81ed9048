"""Where a Google Cloud DNS routing policy sends clients when a target fails (RES308).

A `google_dns_record_set` with a `routing_policy` is one record set that steers by itself:

- `primary_backup` answers with its `primary` targets (internal load balancers and external
  endpoints, always health-checked) and fails over to its `backup_geo` items when none is
  healthy;
- `geo` answers by where the client is; with `health_checked_targets` in its items, a client
  whose nearest item has no healthy target is sent to the next nearest item;
- `wrr` spreads answers by weight, often inside one region on purpose (canaries, blue/green),
  and is not read here (as Route 53 weighted sets are not judged).

`cloud_dns_steering(unit, record)` is that failover as a `Steering`: the policy and, for every
target of every item, the region it sits in; None when the record does not steer between items
with health checks, or when any target's region is not known (a literal address, an address
from a variable, a `dynamic` block). A target that spans regions by itself (a cross-region
internal load balancer, `globalL7ilb`; a global address) has the region `GLOBAL`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resilint.arguments import blocks, first_block
from resilint.model import Resource, Unit, Unknown, unknowns_in
from resilint.relations.dns import Record
from resilint.relations.front_doors import target_region
from resilint.relations.placement import region_of
from resilint.relations.record_targets import GLOBAL

# The load balancer types Cloud DNS health-checks; a cross-region internal Application Load
# Balancer (`globalL7ilb`) answers from several regions.
_GLOBAL_LOAD_BALANCERS = frozenset({"globall7ilb"})


@dataclass(frozen=True)
class Target:
    label: str  # what a message calls it: the resource, or the load balancer's address
    region: str  # a region name, or GLOBAL


@dataclass(frozen=True)
class Steering:
    policy: str  # "primary_backup" or "geo"
    items: int  # how many items (primary and backups, or geo items) the policy chooses between
    targets: tuple[Target, ...]


def cloud_dns_steering(unit: Unit, record: Record) -> Steering | None:
    if record.family != "clouddns" or not record.routing:
        return None
    policy_value = record.resource.attributes.get("routing_policy")
    if isinstance(policy_value, Unknown):
        return None
    policy = first_block(policy_value)
    if policy is None:
        return None
    failover = policy.get("primary_backup")
    if failover is not None:
        return _primary_backup(unit, record.resource, failover)
    if policy.get("geo") is not None:
        return _geo(unit, record.resource, policy.get("geo"))
    return None


def _primary_backup(unit: Unit, record: Resource, value: Any) -> Steering | None:
    block = first_block(value)
    if block is None:
        return None
    primary = first_block(block.get("primary"))
    backups = blocks(block.get("backup_geo"))
    if primary is None or not backups:
        return None
    items = [_health_checked(unit, record, primary)] + [_geo_item(unit, record, item) for item in backups]
    return _steering("primary_backup", items)


def _geo(unit: Unit, record: Resource, value: Any) -> Steering | None:
    items = blocks(value)
    if items is None or len(items) < 2:
        return None
    if not any(item.get("health_checked_targets") for item in items):
        return None  # without health checks a geo policy never moves a client to another item
    return _steering("geo", [_geo_item(unit, record, item) for item in items])


def _steering(policy: str, items: list[list[Target] | None]) -> Steering | None:
    targets: list[Target] = []
    for item in items:
        if not item:
            return None  # an item with a target of unknown region, or none the code shows
        targets.extend(item)
    return Steering(policy, len(items), tuple(targets))


def _geo_item(unit: Unit, record: Resource, item: dict[str, Any]) -> list[Target] | None:
    """Every target of a geo item: its health-checked targets and its `rrdatas`."""
    found: list[Target] = []
    checked = item.get("health_checked_targets")
    if checked is not None:
        block = first_block(checked)
        targets = _health_checked(unit, record, block) if block is not None else None
        if targets is None:
            return None
        found.extend(targets)
    rrdatas = item.get("rrdatas")
    if rrdatas is not None:
        addresses = _addresses(unit, rrdatas)
        if addresses is None:
            return None
        found.extend(addresses)
    return found


def _health_checked(unit: Unit, record: Resource, block: dict[str, Any]) -> list[Target] | None:
    """The internal load balancers and external endpoints of a `health_checked_targets` (or
    `primary`) block."""
    found: list[Target] = []
    balancers = blocks(block.get("internal_load_balancers"))
    if balancers is None:
        return None
    for balancer in balancers:
        target = _load_balancer(unit, balancer)
        if target is None:
            return None
        found.append(target)
    endpoints = block.get("external_endpoints")
    if endpoints is not None:
        addresses = _addresses(unit, endpoints)
        if addresses is None:
            return None
        found.extend(addresses)
    return found


def _load_balancer(unit: Unit, balancer: dict[str, Any]) -> Target | None:
    kind = balancer.get("load_balancer_type")
    if isinstance(kind, str) and kind.strip().lower() in _GLOBAL_LOAD_BALANCERS:
        return Target(_label(unit, balancer), GLOBAL)
    region = balancer.get("region")
    if isinstance(region, str) and region.strip():
        return Target(_label(unit, balancer), region.strip())
    for value in (region, balancer.get("ip_address")):
        origin = _one_origin(unit, value)
        if origin is not None:
            where = _region(origin)
            return Target(origin.address, where) if where is not None else None
    return None


def _label(unit: Unit, balancer: dict[str, Any]) -> str:
    origin = _one_origin(unit, balancer.get("ip_address"))
    if origin is not None:
        return origin.address
    address = balancer.get("ip_address")
    return f"the internal load balancer at {address.strip()}" if isinstance(address, str) else "an internal load balancer"


def _addresses(unit: Unit, value: Any) -> list[Target] | None:
    """The regions of a list of addresses that come from resources of the code."""
    if not isinstance(value, list):
        return None
    found: list[Target] = []
    for entry in value:
        origin = _one_origin(unit, entry)
        if origin is None:
            return None  # a literal address, or one from a variable: its region is not known
        where = _region(origin)
        if where is None:
            return None
        found.append(Target(origin.address, where))
    return found


def _one_origin(unit: Unit, value: Any) -> Resource | None:
    refs = {ref for unknown in unknowns_in(value) for ref in unknown.refs}
    if len(refs) != 1:
        return None
    found = unit.resolve(refs.pop())
    if len(found) != 1 or found[0].count_unknown:
        return None
    return found[0]


def _region(resource: Resource) -> str | None:
    """The region a target resource answers from, GLOBAL for a global one, None if not known."""
    region = target_region(resource)
    if region is not None:
        return region
    return GLOBAL if region_of(resource) is None else None
