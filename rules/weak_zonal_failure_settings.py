"""RES312 weak-zonal-failure-settings."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT, as_bool, as_str, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, CONTAINER_CLUSTERS
from resilint.families.load_balancing import (
    LOAD_BALANCERS,
    TARGET_GROUPS,
    attribute_value,
    group_cross_zone_override,
    load_balancer_cross_zone,
    load_balancer_zonal_shift,
)
from resilint.model import Project, Unit
from resilint.relations.load_balancing import (
    forwarded_target_groups,
    load_balancer_span,
    one_zone_targets_without_cross_zone,
)
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES312",
    name="weak-zonal-failure-settings",
    severity=Severity.NOTE,
    summary="Cross-zone or zonal-shift settings weaken how a zone failure is handled",
    fix="Turn on cross-zone load balancing and ARC zonal shift, and keep ECS zone rebalancing on",
    tags=("az", "load-balancing"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes settings that make a zone failure hurt more than it has to, on resources that span
    zones:

    - a Network Load Balancer (`aws_lb`, `aws_alb`, `AWS::ElasticLoadBalancingV2::LoadBalancer`
      of type `network`) with cross-zone load balancing off (`enable_cross_zone_load_balancing`,
      the `load_balancing.cross_zone.enabled` attribute; off by default for NLBs);
    - a target group that turns cross-zone load balancing off for itself
      (`load_balancing_cross_zone_enabled = "false"`, the `load_balancing.cross_zone.enabled`
      target group attribute) under a load balancer that has it on (every Application Load
      Balancer does);
    - an EKS cluster (`aws_eks_cluster`, `AWS::EKS::Cluster`) or load balancer that turns
      ARC zonal shift off explicitly (`zonal_shift_config.enabled = false`,
      `ZonalShiftConfig.Enabled: false`, `enable_zonal_shift = false`, the
      `zonal_shift.config.enabled` attribute set to false);
    - an ECS service with Availability Zone rebalancing turned off
      (`availability_zone_rebalancing = "DISABLED"`, `AvailabilityZoneRebalancing: DISABLED`).

    Zonal shift left at its default (off) is not noted: AWS makes it an opt-in per resource
    ("so that you can start a zonal shift using only the specific load balancers that you
    want"), and a note on every load balancer and cluster would drown the settings that do
    weaken zone failures; an explicit `false` is a decision worth a second look. A load
    balancer enabled in one zone is RES305's, as is a Network Load Balancer whose
    targets all sit in one zone with cross-zone off: neither is noted again here. Gateway Load
    Balancers and Classic Load Balancers are not judged. Settings resilint cannot resolve (a
    variable without a value, an attribute list built at deploy time, a value a plan leaves
    out) are not judged.

    ## Why is this bad?
    With cross-zone load balancing off, each zone's load balancer node sends only to the
    targets of its own zone: when a zone loses targets, the clients that resolve to that
    zone's node get errors or an overloaded remainder instead of the healthy capacity in the
    other zones. Zonal shift lets you (or zonal autoshift, automatically) move traffic away
    from an impaired zone in one call; it must be enabled on each load balancer or cluster
    before the incident. ECS zone rebalancing moves tasks back into a zone after it recovers;
    without it a service can stay crowded into the surviving zones, and the next zone failure
    takes most of it.

    ## Example
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]
    }
    ```

    Use instead:
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type               = "network"
      subnets                          = [aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]
      enable_cross_zone_load_balancing = true
      enable_zonal_shift               = true
    }
    ```

    ## References
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-cross-zone.html
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-zonal-shift.html
    - https://docs.aws.amazon.com/r53recovery/latest/dg/arc-zonal-shift.html
    - https://docs.aws.amazon.com/eks/latest/userguide/zone-shift.html
    - https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-rebalancing.html
    """
    for lb in LOAD_BALANCERS.members(unit, "load_balancer"):
        if not lb.resource.count_unknown:
            yield from _load_balancer(unit, lb)
    for group in TARGET_GROUPS.members(unit):
        if not group.resource.count_unknown:
            yield from _target_group(unit, group)
    for cluster in CONTAINER_CLUSTERS.members(unit, "eks_cluster"):
        if not cluster.resource.count_unknown:
            yield from _eks_cluster(cluster)
    for service in COMPUTE_GROUPS.members(unit, "container_service"):
        if not service.resource.count_unknown:
            yield from _ecs_service(service)


def _load_balancer(unit: Unit, lb: Member) -> Iterator[Violation]:
    type_name, kind = lb.setting("type")
    kind = "application" if kind is DEFAULT else as_str(kind)
    if kind is None or kind.strip().lower() not in ("application", "network"):
        return  # gateway load balancers, and a type not known
    kind = kind.strip().lower()
    placed = load_balancer_span(unit, lb.resource)
    if placed is not None and placed[1].one_zone:
        return  # one zone: RES305's
    weak: list[str] = []
    fixes: list[str] = []
    if kind == "network" and load_balancer_cross_zone(lb) is False and not _res305s(unit, lb):
        weak.append(f"cross-zone load balancing is off ({_off_words(lb, 'cross_zone', 'for network load balancers ')})")
        fixes.append(lb.word("cross_zone_on"))
    if load_balancer_zonal_shift(lb) is False and _explicit(lb, "zonal_shift"):
        weak.append(f"ARC zonal shift is off ({_off_words(lb, 'zonal_shift', '')})")
        fixes.append(lb.word("zonal_shift_on"))
    if not weak:
        return
    yield Violation(
        f"{lb.address} is {'a network' if kind == 'network' else 'an application'} load balancer whose {' and whose '.join(weak)}: "
        + _consequence(kind, len(weak)),
        at=lb.resource,
        fix=f"Set {' and '.join(fixes)}",
    )


def _res305s(unit: Unit, lb: Member) -> bool:
    """Whether RES305 reports the load balancer's cross-zone setting already (every target in
    one zone)."""
    return one_zone_targets_without_cross_zone(unit, lb.resource) is not None


def _explicit(member: Member, role: str) -> bool:
    """Whether the setting is written in the code (not left to its default)."""
    if member.has(role):
        return member.setting(role)[1] is not DEFAULT
    return attribute_value(member.value("attributes"), member.word(f"{role}_attribute")) is not DEFAULT


def _off_words(lb: Member, role: str, whose: str) -> str:
    if lb.has(role):
        name, value = lb.setting(role)
    else:
        name = lb.word(f"{role}_attribute")
        value = attribute_value(lb.value("attributes"), name)
    if value is DEFAULT:
        return f"{name} is not set; the default {whose}is false"
    return f'{name} = "false"' if isinstance(value, str) else f"{name} = false"


def _consequence(kind: str, count: int) -> str:
    if count == 2:
        return (
            "each zone's node sends only to its own zone's targets, and traffic cannot be shifted away from an "
            "impaired zone in one call"
        )
    return (
        "each zone's node sends only to its own zone's targets, so losing targets in one zone fails that zone's "
        "clients"
        if kind == "network"
        else "traffic cannot be shifted away from an impaired zone in one call, by hand or by zonal autoshift"
    )


def _target_group(unit: Unit, group: Member) -> Iterator[Violation]:
    own = group_cross_zone_override(group)
    if own is DEFAULT or own is None or as_bool(own) is not False:
        return
    # Under network load balancers that have it off already, the group changes nothing.
    forwarders = [
        lb
        for lb in LOAD_BALANCERS.members(unit, "load_balancer")
        if group.resource in (forwarded_target_groups(unit, lb.resource) or [])
    ]
    if forwarders and all(_is_network(lb) and load_balancer_cross_zone(lb) is False for lb in forwarders):
        return
    yield Violation(
        f"{group.address} turns cross-zone load balancing off for its targets ({group.word('cross_zone_off')}): "
        "each load balancer node sends only to targets in its own zone, so losing targets in one zone fails "
        "that zone's clients instead of spreading them over the others",
        at=group.resource,
        fix=f"Remove the override (or set {group.word('cross_zone_inherit')}) unless every zone keeps enough targets",
    )


def _is_network(lb: Member) -> bool:
    _, kind = lb.setting("type")
    return isinstance(kind, str) and kind.strip().lower() == "network"


def _eks_cluster(cluster: Member) -> Iterator[Violation]:
    block_name, block_value = cluster.setting("zonal_shift")
    name = f"{block_name}.{cluster.argument('zonal_shift_enabled')}"
    if block_value is DEFAULT:
        return  # left at its default: opt-in by design
    block = first_block(block_value)
    if block is None:
        return  # not known
    _, value = cluster.setting("zonal_shift_enabled", within=block)
    if value is DEFAULT or as_bool(value) is not False:
        return
    why = f"{name} = false"
    yield Violation(
        f"{cluster.address} is an EKS cluster with ARC zonal shift turned off ({why}): traffic to its workloads cannot "
        "be shifted away from an impaired zone in one call, by hand or by zonal autoshift",
        at=cluster.resource,
        fix=f"Set {cluster.word('zonal_shift_on')}",
    )


def _ecs_service(service: Member) -> Iterator[Violation]:
    _, value = service.setting("zone_rebalancing")
    text = as_str(value) if value is not DEFAULT else None
    if text is None or text.strip().upper() != "DISABLED":
        return
    yield Violation(
        f"{service.address} turns Availability Zone rebalancing off "
        f"({service.assignment('zone_rebalancing', service.word('rebalancing_disabled'))}): after a zone "
        "recovers its tasks stay crowded into the other zones, and the next zone failure takes more of the service",
        at=service.resource,
        fix=f"Set {service.assignment('zone_rebalancing', service.word('rebalancing_enabled'))} (the default)",
    )
