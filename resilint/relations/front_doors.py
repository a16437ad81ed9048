"""Global entry points and where they send traffic (RES310, RES308).

A *front door* is a global entry point that spreads traffic over regional endpoints and moves it
away from a failed one by itself: an AWS Global Accelerator listener (its endpoint groups, one
region each), an Azure Traffic Manager profile (its endpoints), an Azure Front Door origin group
(its origins), a classic Azure Front Door backend pool (its backends) and a Google Cloud global
backend service (its backends' instance groups and network endpoint groups). An origin group
the code gives no health probe is `unprobed`.

`front_doors(unit, project)` lists the unit's front doors with their endpoints, looking for
endpoints in every unit of the unit's system (an endpoint group in a region's own root module
that reads the accelerator's state belongs to it too). A front door's `endpoints` is None when
the code does not fix them: an endpoint whose parent is unknown may belong to it, a count or
`for_each` that is not known, blocks written with `dynamic`. An endpoint's `region` is None
when it is not known, or when the endpoint is not in one region (a nested Traffic Manager
profile, a global network endpoint group, an external host name).

`target_region(resource)` is the region a regional endpoint resource sits in; `host_region(host)`
the region an AWS host name spells (`my-lb-1.eu-west-1.elb.amazonaws.com`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from resilint.arguments import DEFAULT, as_bool, blocks
from resilint.families.base import Family, Member
from resilint.families.edge import (
    ACCELERATORS,
    CDN_DISTRIBUTIONS,
    FRONT_DOOR_ORIGINS,
    TRAFFIC_MANAGER_ENDPOINTS,
    TRAFFIC_MANAGERS,
)
from resilint.families.load_balancing import BACKEND_SERVICES
from resilint.model import Project, Resource, Unit, Unknown
from resilint.placement import NOT_A_REGION, normalize_azure_location
from resilint.relations.placement import is_multi_region_location, region_of

# Regional AWS endpoints by host name, with the region they spell.
_REGION = r"([a-z]{2}(?:-gov)?-[a-z]+-\d)"
_HOST_REGION = (
    re.compile(rf"\.{_REGION}\.elb\.amazonaws\.com\.?$"),
    re.compile(rf"\.execute-api\.{_REGION}\.amazonaws\.com\.?$"),
    re.compile(rf"(?:^|\.)s3-website[.-]{_REGION}\.amazonaws\.com\.?$"),
    re.compile(rf"\.lambda-url\.{_REGION}\.on\.aws\.?$"),
)


@dataclass(frozen=True)
class Endpoint:
    """One endpoint of a front door: a resource (or a host name) and its region."""

    label: str  # what a message calls it: an address, or a host name
    region: str | None  # None when not known or not one region


@dataclass(frozen=True)
class FrontDoor:
    """A global entry point and the endpoints it spreads traffic over."""

    member: Member
    what: str  # "Global Accelerator listener", "Traffic Manager profile"...
    endpoints: tuple[Endpoint, ...] | None  # None when the code does not fix them
    endpoint_word: str = "endpoint"  # what one endpoint is called: "endpoint group", "origin"...
    # Whether one endpoint of unknown region is still one endpoint (a Traffic Manager endpoint,
    # an endpoint group); False where one entry may stand for several regions.
    single_counts: bool = True
    # The fewest endpoints judged: an origin group with one origin is RES306's.
    fewest: int = 1
    # An origin group the code gives no health probe: Front Door then cannot tell a failed
    # origin from a healthy one (False when it has one, or when that is not known).
    unprobed: bool = False


def front_doors(unit: Unit, project: Project) -> Iterator[FrontDoor]:
    """The unit's front doors with their endpoints, in source order of each kind."""
    units = system_units(unit, project)
    for listener in ACCELERATORS.members(unit, "listener"):
        yield FrontDoor(listener, "Global Accelerator listener", _endpoint_groups(listener.resource, units), "endpoint group")
    for profile in TRAFFIC_MANAGERS.members(unit, "traffic_manager"):
        yield FrontDoor(profile, "Traffic Manager profile", _traffic_manager_endpoints(profile.resource, units))
    for group in CDN_DISTRIBUTIONS.members(unit, "front_door_origin_group"):
        yield FrontDoor(
            group,
            "Front Door origin group",
            _front_door_origins(group.resource, units),
            "origin",
            single_counts=False,
            fewest=2,
            unprobed=group.setting("health_probe")[1] is DEFAULT,
        )
    for door in CDN_DISTRIBUTIONS.members(unit, "classic_front_door"):
        for pool in blocks(door.value("pools")) or []:
            name = door.value("pool_name", within=pool)
            what = f'classic Front Door backend pool "{name}"' if isinstance(name, str) else "classic Front Door backend pool"
            yield FrontDoor(door, what, _classic_backends(unit, door, pool), "backend", single_counts=False, fewest=2)
    for service in BACKEND_SERVICES.members(unit, "global_backend_service"):
        yield FrontDoor(service, "global backend service", _backends(unit, service), "backend", single_counts=False)


def system_units(unit: Unit, project: Project) -> tuple[Unit, ...]:
    """The units of the unit's system (the unit itself first), or the unit alone."""
    system = project.system_of(unit)
    if system is None:
        return (unit,)
    # project.unit() indexes the units once per project: a dict built here, per unit, made a
    # scan of many units quadratic (issue 18).
    others = tuple(other for u in system.units if u != unit.id and (other := project.unit(u)) is not None)
    return (unit, *others)


def target_region(resource: Resource) -> str | None:
    """The one region a resource sits in; None when it is global, multi-region or unknown."""
    region = region_of(resource)
    if not isinstance(region, str) or not region.strip() or region.strip().lower() in NOT_A_REGION:
        return None
    if is_multi_region_location(resource, region):
        return None
    return normalize_azure_location(region) if resource.cloud == "azure" else region


def host_region(host: Any) -> str | None:
    """The region an AWS regional host name spells; None for anything else."""
    if not isinstance(host, str):
        return None
    name = host.strip().lower()
    for pattern in _HOST_REGION:
        found = pattern.search(name)
        if found is not None:
            return found.group(1)
    return None


def provider_region(unit: Unit, resource: Resource) -> str | None:
    """The region of the provider configuration a Terraform resource uses (a global resource's
    regional default); None when it is not known."""
    for provider in unit.providers:
        if provider.key == resource.provider_config:
            region = provider.region
            return region.strip() if isinstance(region, str) and region.strip() else None
    return None


def one_resource(unit: Unit, value: Any) -> Resource | None:
    """The one resource a value comes from (`aws_lb.web.arn`, `!GetAtt Listener.ListenerArn`),
    also in another unit of the system; None otherwise."""
    if not isinstance(value, Unknown) or len(value.refs) != 1:
        return None
    found = unit.resolve(value.refs[0])
    return found[0] if len(found) == 1 else None


# Children of a parent, across the units of a system -----------------------------------------


@dataclass(frozen=True)
class _Child:
    unit: Unit
    member: Member


def _children(parent: Resource, units: tuple[Unit, ...], family: Family, kind: str, role: str) -> list[_Child] | None:
    """The members of `kind` whose `role` names `parent`; None when some member's parent is
    not known (it may be this one) or when how many of them there are is not known."""
    found: list[_Child] = []
    for unit in units:
        for member in family.members(unit, kind):
            value = member.value(role)
            target = one_resource(unit, value) or _referenced_by_name(unit, member, role, value)
            if target is None:
                if isinstance(value, Unknown):
                    return None
                continue  # a literal: a parent the code does not hold
            if (target.unit, target.address) != (parent.unit, parent.address):
                continue
            if member.resource.count_unknown:
                return None
            found.append(_Child(unit, member))
    return found


def _referenced_by_name(unit: Unit, member: Member, role: str, value: Any) -> Resource | None:
    """The one resource a known value was read from (`profile_name = azurerm_traffic_manager_profile.web.name`
    where the name is a literal): the reference recorded at the argument."""
    if not isinstance(value, str):
        return None
    argument = member.argument(role)
    found = {r.target for r in member.resource.references if r.path == argument}
    if len(found) != 1:
        return None
    targets = unit.resolve(found.pop())
    return targets[0] if len(targets) == 1 else None


def _enabled(member: Member) -> bool | None:
    """Whether an endpoint is enabled: true unless it says false (or "Disabled"); None when
    unknown."""
    _, value = member.setting("enabled")
    if value is DEFAULT:
        return True
    if isinstance(value, str) and value.strip().lower() in ("enabled", "disabled"):
        return value.strip().lower() == "enabled"
    return as_bool(value)


def _enabled_only(children: list[_Child]) -> list[_Child] | None:
    kept = []
    for child in children:
        enabled = _enabled(child.member)
        if enabled is None:
            return None
        if enabled:
            kept.append(child)
    return kept


# Global Accelerator -------------------------------------------------------------------------


def _endpoint_groups(listener: Resource, units: tuple[Unit, ...]) -> tuple[Endpoint, ...] | None:
    children = _children(listener, units, ACCELERATORS, "endpoint_group", "listener")
    if children is None:
        return None
    endpoints = []
    for child in children:
        group = child.member
        _, endpoints_value = group.setting("endpoints")
        if endpoints_value is not DEFAULT and isinstance(endpoints_value, list) and not endpoints_value:
            continue  # a group with no endpoints serves nothing
        _, region = group.setting("region")
        if region is DEFAULT:
            region = provider_region(child.unit, group.resource)
        endpoints.append(Endpoint(group.address, region.strip() if isinstance(region, str) and region.strip() else None))
    return tuple(endpoints)


# Traffic Manager ----------------------------------------------------------------------------


def _traffic_manager_endpoints(profile: Resource, units: tuple[Unit, ...]) -> tuple[Endpoint, ...] | None:
    children = _children(profile, units, TRAFFIC_MANAGER_ENDPOINTS, "azure_endpoint", "profile")
    more = _children(profile, units, TRAFFIC_MANAGER_ENDPOINTS, "external_endpoint", "profile")
    nested = _children(profile, units, TRAFFIC_MANAGER_ENDPOINTS, "nested_endpoint", "profile")
    legacy = _children(profile, units, TRAFFIC_MANAGER_ENDPOINTS, "legacy_endpoint", "profile")
    if children is None or more is None or nested is None or legacy is None:
        return None
    if nested or any(_legacy_type(c.member) != "azure" and _legacy_type(c.member) != "external" for c in legacy):
        return None  # a nested profile spreads over endpoints of its own
    enabled = _enabled_only(children + more + legacy)
    if enabled is None:
        return None
    return tuple(Endpoint(c.member.address, _traffic_manager_region(c)) for c in enabled)


def _legacy_type(member: Member) -> str | None:
    """"azure", "external" or "nested" for a legacy endpoint's `type`; None when unknown."""
    value = member.value("endpoint_type")
    if not isinstance(value, str):
        return None
    name = value.strip().lower().rsplit("/", 1)[-1]  # "azureEndpoints" or the full ARM type
    for kind in ("azure", "external", "nested"):
        if name.startswith(kind):
            return kind
    return None


def _traffic_manager_region(child: _Child) -> str | None:
    member = child.member
    if member.has("location"):
        location = member.value("location")
        if isinstance(location, str) and location.strip():
            return normalize_azure_location(location)
    if member.kind == "azure_endpoint" or (member.kind == "legacy_endpoint" and _legacy_type(member) == "azure"):
        target = one_resource(child.unit, member.value("target"))
        return target_region(target) if target is not None else None
    return None


# Azure Front Door ---------------------------------------------------------------------------


def _front_door_origins(group: Resource, units: tuple[Unit, ...]) -> tuple[Endpoint, ...] | None:
    children = _children(group, units, FRONT_DOOR_ORIGINS, "front_door_origin", "group")
    if children is None:
        return None
    enabled = _enabled_only(children)
    if enabled is None:
        return None
    endpoints = []
    for child in enabled:
        target = one_resource(child.unit, child.member.value("host"))
        if target is not None and target in TRAFFIC_MANAGERS:
            return None  # a Traffic Manager profile in front of the origin spreads it over regions
        region = target_region(target) if target is not None else None
        endpoints.append(Endpoint(child.member.address, region))
    return tuple(endpoints)


def _classic_backends(unit: Unit, door: Member, pool: dict[str, Any]) -> tuple[Endpoint, ...] | None:
    """The enabled backends of a classic Front Door backend pool, each with the region of the
    resource its `address` comes from (`azurerm_linux_web_app.eu.default_hostname`)."""
    found = blocks(door.value("backends", within=pool))
    if found is None:
        return None
    endpoints = []
    for backend in found:
        enabled = door.value("backend_enabled", within=backend)
        if enabled is not None and as_bool(enabled) is None:
            return None
        if enabled is not None and as_bool(enabled) is False:
            continue
        address = door.value("backend_address", within=backend)
        target = one_resource(unit, address)
        if target is not None and target in TRAFFIC_MANAGERS:
            return None  # a Traffic Manager profile behind the backend spreads it over regions
        if target is not None:
            endpoints.append(Endpoint(target.address, target_region(target)))
        else:
            endpoints.append(Endpoint(address.strip() if isinstance(address, str) else "a backend", None))
    return tuple(endpoints)


# Google Cloud global load balancers ---------------------------------------------------------


def _backends(unit: Unit, service: Member) -> tuple[Endpoint, ...] | None:
    if service.resource.count_unknown:
        return None
    found = blocks(service.value("backends"))
    if found is None:
        return None
    endpoints = []
    for backend in found:
        group = service.value("group", within=backend)
        target = one_resource(unit, group)
        if target is None:
            return None  # a group from a variable, a data source or a literal self link
        if target.count_unknown:
            return None
        endpoints.append(Endpoint(target.address, target_region(target)))
    return tuple(endpoints)
