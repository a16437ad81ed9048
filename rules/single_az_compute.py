"""RES304 single-az-compute."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from resilint.arguments import DEFAULT, as_bool, as_int, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, CONTAINER_CLUSTERS
from resilint.families.platforms import APP_PLATFORMS, zone_capable_plan_sku
from resilint.model import Project, Unit, Unknown
from resilint.relations.network import Span, span, zone_span
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES304",
    name="single-az-compute",
    severity=Severity.WARNING,
    summary="A compute group can only run in one availability zone",
    fix="Give the group subnets (or zones) in two or more availability zones",
    tags=("az", "compute"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a compute group that is meant to replace lost capacity but can only place it in one
    availability zone:

    - an Auto Scaling group whose `vpc_zone_identifier` (`VPCZoneIdentifier`) lists one subnet
      or subnets of one zone, or whose `availability_zones` (`AvailabilityZones`,
      `AvailabilityZoneIds`) lists one zone;
    - an ECS service whose `network_configuration.subnets`
      (`NetworkConfiguration.AwsvpcConfiguration.Subnets`) are in one zone;
    - an EKS managed node group whose `subnet_ids` (`Subnets`) are in one zone;
    - a Google zonal managed instance group (`google_compute_instance_group_manager`), a
      regional one whose `distribution_policy_zones` lists one zone, and a GKE node pool whose
      `node_locations` lists one zone (without its own, its cluster's `node_locations`, with
      the zone of a zonal cluster);
    - an AKS node pool (`default_node_pool` of `azurerm_kubernetes_cluster`,
      `azurerm_kubernetes_cluster_node_pool`) or a virtual machine scale set whose `zones`
      (formerly `availability_zones`) lists one zone;
    - an App Service plan (`azurerm_service_plan`) of a tier that can balance its instances over
      zones (Premium v2, v3 and v4, Isolated v2, Elastic Premium) without
      `zone_balancing_enabled = true`, as a note: its instances are not spread over zones; the
      same for the deprecated `azurerm_app_service_plan` by its `sku.size` and `zone_redundant`.

    Subnets are followed to their `aws_subnet` / `AWS::EC2::Subnet` and its zone; a list of one
    subnet is one zone whatever that zone is. A subnet list from a variable, a module output
    or a parameter is not known and not judged, nor is a subnet whose zone the code does not
    fix. A zone picked by its position in the region's zone list (`!Select [0, !GetAZs '']`,
    `data.aws_availability_zones.available.names[0]`) is compared by position: the same position of
    the same list is the same zone, two positions are two zones, whichever zones they turn out to be.
    Groups scaled to zero (`max_size = 0`, `desired_count = 0`, `target_size = 0`) are
    left alone. AKS node pools and scale sets without `zones` are not judged: not every region
    has zones. Zonal GKE clusters are RES104's.

    ## Why is this bad?
    The point of a group is that it replaces what fails. If it can only launch into one
    availability zone, a zone outage takes out every instance at once and the group cannot
    launch replacements anywhere else until the zone recovers; the services behind it are down
    for the whole incident.

    ## Example
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size            = 2
      max_size            = 6
      vpc_zone_identifier = [aws_subnet.private_a.id]
    }
    ```

    Use instead:
    ```hcl
    resource "aws_autoscaling_group" "web" {
      min_size            = 2
      max_size            = 6
      vpc_zone_identifier = [aws_subnet.private_a.id, aws_subnet.private_b.id, aws_subnet.private_c.id]
    }
    ```

    ## References
    - https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-availability-zone-balanced.html
    - https://docs.aws.amazon.com/config/latest/developerguide/autoscaling-multiple-az.html
    - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html
    - https://cloud.google.com/compute/docs/instance-groups/regional-migs
    - https://learn.microsoft.com/en-us/azure/aks/availability-zones
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-app-service
    """
    for group in COMPUTE_GROUPS.members(unit):
        if group.resource.count_unknown:
            continue
        yield from _CHECKS[group.kind](unit, group)
    for plan in APP_PLATFORMS.members(unit, "app_service_plan"):
        if not plan.resource.count_unknown:
            yield from _app_service_plan(plan)


@dataclass(frozen=True)
class _Placement:
    """Where a group can place instances: the argument that says so and the span it lists."""

    argument: str
    span: Span
    zones_only: bool  # the argument lists zones, not subnets


def _verdict(group: Member, what: str, placement: _Placement, fix: str) -> Iterator[Violation]:
    found = placement.span
    if not found.one_zone:
        return
    zones = found.zones
    if placement.zones_only:
        where = (
            f'one availability zone ({placement.argument} = ["{zones[0].value}"])'
            if zones
            else (f"one availability zone ({placement.argument} has one entry)")
        )
    elif len(found.distinct) == 1:
        if found.distinct[0].resource is None and found.distinct[0].zone is None:
            where = f"one subnet ({placement.argument} has one entry)"
        else:
            where = f"one subnet ({placement.argument} = {found.describe()})"
        if zones:
            where += f", in {zones[0].value}"
    else:
        where = f"subnets of one availability zone, {zones[0].value} ({placement.argument} = {found.describe()})"
    yield Violation(
        f"{group.address} {what} {where}: when that zone fails, all of its capacity goes and it cannot "
        "replace it in another zone",
        at=group.resource,
        fix=fix,
    )


def _may_be_zero(size: Any) -> bool:
    """Whether a group's size is zero or may be: a parked group runs nothing, and a size that
    is not known may be zero, so neither is judged."""
    return isinstance(size, Unknown) or as_int(size) == 0


# AWS ------------------------------------------------------------------------------------------


def _autoscaling_group(unit: Unit, group: Member) -> Iterator[Violation]:
    if _may_be_zero(group.value("max_size")):
        return  # scaled to zero: nothing runs anywhere
    subnets_name, subnets = group.setting("subnets")
    if subnets is not DEFAULT:
        placement = _subnets(unit, subnets_name, subnets)
    else:
        zones_name, zones = group.setting("zones")
        ids = group.value("zone_ids") if group.has("zone_ids") else None
        if zones is not DEFAULT:
            placement = _zones(zones_name, zones)
        elif ids is not None:
            placement = _zones(group.argument("zone_ids"), ids, ids=True)
        else:
            return
    if placement is None:
        return
    fix = f"List subnets in two or more availability zones in {group.argument('subnets')}"
    yield from _verdict(group, "can launch instances in", placement, fix)


def _ecs_service(unit: Unit, service: Member) -> Iterator[Violation]:
    if _may_be_zero(service.value("max_size")):
        return
    network = first_block(service.value("network"))
    name = f"{service.argument('network')}.{service.argument('subnets')}"
    fix = f"List subnets in two or more availability zones in {name}"
    subnets = service.value("subnets", within=network) if network else None
    placement = _subnets(unit, name, subnets)
    if placement is not None:
        yield from _verdict(service, "runs its tasks in", placement, fix)


def _eks_node_group(unit: Unit, group: Member) -> Iterator[Violation]:
    scaling_value = group.value("scaling")
    if isinstance(scaling_value, Unknown):
        return
    scaling = first_block(scaling_value)
    if scaling is not None and _may_be_zero(group.value("max_size", within=scaling)):
        return
    name = group.argument("subnets")
    placement = _subnets(unit, name, group.value("subnets"))
    if placement is not None:
        yield from _verdict(
            group, "runs its nodes in", placement, f"List subnets in two or more availability zones in {name}"
        )


def _subnets(unit: Unit, name: str, value: Any) -> _Placement | None:
    found = span(unit, value)
    return _Placement(name, found, zones_only=False) if found is not None else None


def _zones(name: str, value: Any, ids: bool = False) -> _Placement | None:
    found = zone_span(value, ids=ids)
    return _Placement(name, found, zones_only=True) if found is not None else None


# Google Cloud ---------------------------------------------------------------------------------


def _zonal_instance_group(unit: Unit, group: Member) -> Iterator[Violation]:
    if _may_be_zero(group.value("max_size")):
        return
    zone = group.value("zone")
    where = f' ({group.argument("zone")} = "{zone}")' if isinstance(zone, str) else ""
    yield Violation(
        f"{group.address} is a zonal managed instance group{where}: all its VMs run in one zone and it "
        "cannot recreate them in another",
        at=group.resource,
        fix=(
            f"Use {COMPUTE_GROUPS.types_of('regional_instance_group')[0]}, which spreads the VMs over several zones "
            "of the region and recreates them in the healthy ones"
        ),
    )


def _regional_instance_group(unit: Unit, group: Member) -> Iterator[Violation]:
    if _may_be_zero(group.value("max_size")):
        return
    name = group.argument("zones")
    placement = _zones(name, group.value("zones"))
    if placement is not None:
        yield from _verdict(
            group,
            "places its VMs in",
            placement,
            f"List two or more zones in {name}, or leave it out to use every zone of the region",
        )


def _gke_node_pool(unit: Unit, pool: Member) -> Iterator[Violation]:
    name, zones = pool.setting("zones")
    placement = _zones(name, pool.value("zones"))
    fix = f"List two or more zones in {name} (or leave it out in a regional cluster)"
    cluster = _cluster_of(unit, pool) if zones is DEFAULT else None
    if cluster is not None:
        # Without node_locations, a pool runs where its cluster's node_locations say (a zonal
        # cluster's own zone comes with them).
        placement = _cluster_zones(cluster)
        fix = f"List two or more zones in {name}, or in {cluster.address}'s {cluster.argument('zones')}"
    if placement is not None:
        yield from _verdict(pool, "runs its nodes in", placement, fix)


def _cluster_of(unit: Unit, pool: Member) -> Member | None:
    """The one GKE cluster of the unit the pool's `cluster` argument refers to."""
    argument = pool.argument("cluster")
    found: dict[str, Member] = {}
    for reference in pool.resource.references:
        if reference.path != argument:
            continue
        for target in unit.resolve(reference.target):
            member = CONTAINER_CLUSTERS.member(target)
            if member is not None and member.kind == "gke_cluster":
                found[member.address] = member
    return next(iter(found.values())) if len(found) == 1 else None


def _cluster_zones(cluster: Member) -> _Placement | None:
    zones, location = cluster.value("zones"), cluster.value("location")
    if not isinstance(zones, list) or not isinstance(location, str):
        return None
    if _ZONE.fullmatch(location.strip()):  # a zonal cluster: its zone, and node_locations beside it
        zones = [location.strip(), *zones]
    return _zones(f"{cluster.address}.{cluster.argument('zones')}", zones)


_ZONE = re.compile(r"[a-z]+(?:-[a-z]+)*\d+-[a-z]")  # europe-west1-b (a region has no zone letter)


# Azure ----------------------------------------------------------------------------------------


def _aks_cluster(unit: Unit, cluster: Member) -> Iterator[Violation]:
    pool = first_block(cluster.value("default_pool"))
    if pool is None:
        return
    name, zones = cluster.setting("zones", within=pool)
    if zones is DEFAULT:
        zones = None
    where = f"{cluster.argument('default_pool')}.{name}"
    yield from _azure_zones(cluster, where, zones, "runs its default node pool in")


def _aks_node_pool(unit: Unit, pool: Member) -> Iterator[Violation]:
    name, zones = pool.setting("zones")
    yield from _azure_zones(pool, name, zones, "runs its nodes in")


def _scale_set(unit: Unit, scale_set: Member) -> Iterator[Violation]:
    name, zones = scale_set.setting("zones")
    yield from _azure_zones(scale_set, name, zones, "runs its instances in")


def _azure_zones(group: Member, name: str, zones: Any, what: str) -> Iterator[Violation]:
    # One zone only: no `zones` at all is a regional (non-zonal) deployment, which some regions
    # require, and is not judged here.
    if not isinstance(zones, list) or len(zones) != 1 or not isinstance(zones[0], (str, int)):
        return
    field = name.rsplit(".", 1)[-1]
    yield Violation(
        f'{group.address} {what} one availability zone ({name} = ["{zones[0]}"])',
        at=group.resource,
        fix=f'List two or more zones ({field} = ["1", "2", "3"]) so that the nodes spread over the region\'s zones',
    )


def _app_service_plan(plan: Member) -> Iterator[Violation]:
    # Only tiers that can be zone-redundant: on Basic or Standard the fix is another tier, and
    # whether that is worth it is not a setting this rule can judge.
    sku = plan.value("sku")
    if zone_capable_plan_sku(sku) is not True:
        return
    name, balancing = plan.setting("zone_balancing")
    if balancing is DEFAULT:
        why = f"{name} is not set; the default is false"
    elif as_bool(balancing) is False:
        why = f"{name} = false"
    else:
        return
    yield Violation(
        f"{plan.address} ({sku}) does not spread its instances over availability zones ({why}): a zone "
        "failure can take every instance of the apps it runs",
        at=plan.resource,
        fix=(
            f"Set {plan.assignment('zone_balancing', 'true')} with {plan.argument('workers')} of at least 2 "
            "(a multiple of the region's zones spreads them evenly)"
        ),
        severity=Severity.NOTE,
    )


_CHECKS: dict[str, Callable[[Unit, Member], Iterator[Violation]]] = {
    "autoscaling_group": _autoscaling_group,
    "container_service": _ecs_service,
    "node_group": _eks_node_group,
    "zonal_instance_group": _zonal_instance_group,
    "regional_instance_group": _regional_instance_group,
    "gke_node_pool": _gke_node_pool,
    "aks_cluster": _aks_cluster,
    "aks_node_pool": _aks_node_pool,
    "scale_set": _scale_set,
}
