"""Load balancer relations for RES305: the zones a load balancer is enabled in, its target
groups (through listeners) and the zones its targets run in.

- `load_balancer_span(unit, lb)`: the subnets (or zones) an ELB load balancer is attached to:
  `subnets` plus `subnet_mapping[*].subnet_id` (`Subnets`, `SubnetMappings[*].SubnetId`), or a
  Classic Load Balancer's `availability_zones` (`AvailabilityZones`).
- `target_zones(unit, lb)`: per target group the load balancer forwards to, the zones of its
  targets: instances attached with `aws_lb_target_group_attachment` or listed in `Targets`,
  Auto Scaling groups (`target_group_arns`, `aws_autoscaling_attachment`, `TargetGroupARNs`)
  and ECS services (`load_balancer.target_group_arn`, `LoadBalancers[*].TargetGroupArn`).
  None for a target group whose targets are not all known: targets can also be registered
  from outside the code, so a group without targets in the code is not known to be empty.
- `one_zone_targets_without_cross_zone(unit, lb)`: the one zone every target of a load balancer
  runs in when cross-zone load balancing is off for every target group it forwards to (RES305,
  and RES312 which leaves that case to it).
- `sole_instance_target(unit, group)`: the EC2 instance that is the only target the code
  registers with a target group (RES313); None when there are several or anything is unknown.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import blocks, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, INSTANCES
from resilint.families.load_balancing import (
    LISTENERS,
    LOAD_BALANCERS,
    SCALING_ATTACHMENTS,
    TARGET_ATTACHMENTS,
    TARGET_GROUPS,
    group_cross_zone,
    load_balancer_cross_zone,
)
from resilint.model import Resource, Unit, Unknown
from resilint.relations.network import SUBNET_TYPES, Entry, Span, Zone, referenced, span, subnet_zone, zone_span

# Types come from the families (one spelling table per family).
ELBV2_TYPES = LOAD_BALANCERS.types_of("load_balancer")
CLASSIC_TYPES = LOAD_BALANCERS.types_of("classic_load_balancer")
LISTENER_TYPES = LISTENERS.types
TARGET_GROUP_TYPES = TARGET_GROUPS.types
_INSTANCE_TYPES = INSTANCES.types_of("ec2_instance")
_GROUP_TYPES = COMPUTE_GROUPS.types_of("autoscaling_group")


def load_balancer_span(unit: Unit, lb: Resource) -> tuple[str, Span] | None:
    """The argument that places the load balancer and the subnets or zones it lists; None
    when not known."""
    member = LOAD_BALANCERS.member(lb)
    if member is None:
        return None
    if member.kind == "classic_load_balancer":
        if member.value("subnets") is not None:
            found = span(unit, member.value("subnets"))
            return (member.argument("subnets"), found) if found is not None else None
        found = zone_span(member.value("zones"))
        return (member.argument("zones"), found) if found is not None else None
    if not member.has("subnet_mappings"):
        return None
    subnets = member.value("subnets")
    mappings = blocks(member.value("subnet_mappings"))
    if isinstance(subnets, Unknown) or mappings is None:
        return None
    values: list[Any] = list(subnets) if isinstance(subnets, list) else []
    values.extend(member.value("mapping_subnet", within=m) for m in mappings)
    found = span(unit, values)
    if found is None:
        return None
    name = member.argument("subnet_mappings") if mappings and not subnets else member.argument("subnets")
    return name, found


# Listeners and target groups --------------------------------------------------------------


def forwarded_target_groups(unit: Unit, lb: Resource) -> list[Resource] | None:
    """The target groups the load balancer's listeners forward to; None when a listener's
    targets are not known, or when the unit declares no listener for it."""
    listeners = []
    for listener in LISTENERS.members(unit):
        points = _points_at(unit, listener.value("load_balancer"), lb)
        if points is None:
            return None  # a listener that may be this load balancer's forwards we cannot tell where
        if points:
            listeners.append(listener)
    if not listeners:
        return None
    groups: list[Resource] = []
    for listener in listeners:
        if listener.resource.count_unknown:
            return None
        actions = blocks(listener.value("actions"))
        if not actions:
            return None
        for action in actions:
            found = _action_groups(unit, listener, action)
            if found is None:
                return None
            groups.extend(g for g in found if g not in groups)
    return groups


def _action_groups(unit: Unit, listener: Member, action: dict[str, Any]) -> list[Resource] | None:
    values: list[Any] = []
    direct = listener.value("target_group", within=action)
    if direct is not None:
        values.append(direct)
    forward = first_block(listener.value("forward", within=action))
    if forward is not None:
        tuples = blocks(listener.value("forward_groups", within=forward))
        if tuples is None:
            return None
        values.extend(listener.value("forward_group", within=t) for t in tuples)
    kind = listener.value("action_type", within=action)
    if not values:
        # A redirect or fixed response forwards to nothing; anything else we cannot read.
        return [] if isinstance(kind, str) and kind != "forward" else None
    groups = []
    for value in values:
        group = referenced(unit, value)
        if group is None or group.type not in TARGET_GROUP_TYPES:
            return None
        groups.append(group)
    return groups


def target_zones(unit: Unit, group: Resource) -> Span | None:
    """The zones of every target registered with a target group in the code; None when any
    target's zone is not known, when something registers targets we cannot follow (a target
    group ARN that is not known may be this group's), or when the code registers none."""
    entries: list[Entry] = []
    for attachment in TARGET_ATTACHMENTS.members(unit):
        points = _points_at(unit, attachment.value("target_group"), group)
        if points is None:
            return None
        if not points:
            continue
        if attachment.resource.count_unknown:
            return None
        entry = _target_entry(unit, attachment.value("target_id"), attachment.value("target_zone"))
        if entry is None:
            return None
        entries.append(entry)
    member = TARGET_GROUPS.member(group)
    if member is not None and member.has("targets"):
        targets = blocks(member.value("targets"))
        if targets is None:
            return None
        for target in targets:
            entry = _target_entry(unit, member.value("target_id", within=target), member.value("target_zone", within=target))
            if entry is None:
                return None
            entries.append(entry)
    for registered, placement in _member_groups(unit, group):
        if placement is None:
            return None
        # One entry per zone the group or service runs in, named after it.
        entries.extend(
            Entry(identity=f"{registered.address}@{e.identity}", label=registered.address, zone=e.zone, resource=registered)
            for e in placement.entries
        )
    if not entries or any(e.zone is None for e in entries):
        return None
    return Span(tuple(entries))


def _target_entry(unit: Unit, target_id: Any, zone: Any) -> Entry | None:
    target = referenced(unit, target_id)
    instance = INSTANCES.member(target) if target is not None and target.type in _INSTANCE_TYPES else None
    if instance is not None:
        own = instance.value("zone")
        if isinstance(own, str) and own:
            return Entry(identity=instance.address, label=instance.address, zone=Zone("name", own), resource=instance.resource)
        subnet = referenced(unit, instance.value("subnet"))
        if subnet is not None and subnet.type in SUBNET_TYPES and subnet_zone(subnet) is not None:
            return Entry(identity=instance.address, label=instance.address, zone=subnet_zone(subnet), resource=instance.resource)
        return None
    if isinstance(target_id, str) and isinstance(zone, str) and zone and zone != "all":
        return Entry(identity=f"literal:{target_id}", label=target_id, zone=Zone("name", zone))
    return None


def _member_groups(unit: Unit, group: Resource) -> Iterator[tuple[Resource, Span | None]]:
    """Auto Scaling groups and ECS services registered with the group, with their placement;
    (resource, None) when one may be registered with it but we cannot tell."""
    for scaling in COMPUTE_GROUPS.members(unit, "autoscaling_group"):
        sources = blocks(scaling.value("traffic_sources"))
        points = _any_points_at(unit, scaling.value("target_groups"), group)
        if sources is None:
            points = None
        elif points is not True:
            from_sources = _any_points_at(unit, [_source_identifier(scaling, s) for s in sources], group)
            points = from_sources if points is False else (True if from_sources else None)
        if points is not False:
            yield scaling.resource, (_group_span(unit, scaling) if points and not scaling.resource.count_unknown else None)
    for attachment in SCALING_ATTACHMENTS.members(unit):
        if attachment.kind == "traffic_source_attachment":
            arn = _source_identifier(attachment, first_block(attachment.value("traffic_source")))
        else:
            arn = attachment.value("target_group")
        points = _points_at(unit, arn, group)
        if points is False:
            continue
        attached = referenced(unit, attachment.value("group"))
        scaling_group = COMPUTE_GROUPS.member(attached) if attached is not None and attached.type in _GROUP_TYPES else None
        if points is None or scaling_group is None or attachment.resource.count_unknown:
            yield attachment.resource, None
        else:
            yield scaling_group.resource, _group_span(unit, scaling_group)
    for service in COMPUTE_GROUPS.members(unit, "container_service"):
        balancers = blocks(service.value("load_balancers"))
        if balancers is None:
            yield service.resource, None
            continue
        points = _any_points_at(unit, [service.value("target_group", within=b) for b in balancers], group)
        if points is False:
            continue
        if points is None or service.resource.count_unknown:
            yield service.resource, None
            continue
        network = first_block(service.value("network"))
        subnets = service.value("subnets", within=network) if network else None
        yield service.resource, span(unit, subnets)


def _source_identifier(owner: Member, source: dict[str, Any] | None) -> Any:
    """The target group ARN of an Auto Scaling traffic source (`traffic_source`,
    `TrafficSources`); `Unknown` when the block is not known."""
    if source is None:
        return Unknown("traffic source not known")
    return owner.value("traffic_source_id", within=source)


def _group_span(unit: Unit, group: Member) -> Span | None:
    subnets = group.value("subnets")
    if subnets is not None:
        return span(unit, subnets)
    return zone_span(group.value("zones"))


def _points_at(unit: Unit, value: Any, resource: Resource) -> bool | None:
    """True when a value refers to the resource, False when it refers to something else (or
    is absent), None when it may refer to it."""
    if value is None or isinstance(value, str):
        return False  # not set, or a literal ARN of something outside the code
    target = referenced(unit, value)
    if target is None:
        return None
    return target.address == resource.address


def _any_points_at(unit: Unit, values: Any, resource: Resource) -> bool | None:
    """Whether a list of references holds one to the resource (None: it may)."""
    if values is None:
        return False
    if not isinstance(values, list):
        return None
    answers = [_points_at(unit, value, resource) for value in values]
    if True in answers:
        return True
    return None if None in answers else False


def sole_instance_target(unit: Unit, group: Resource) -> Resource | None:
    """The EC2 instance that is the only target the code registers with a target group; None
    when the code registers several targets, an Auto Scaling group or ECS service (or may), or
    anything it does not resolve (an attachment whose group or target is not known)."""
    targets: dict[str, Resource | None] = {}
    for attachment in TARGET_ATTACHMENTS.members(unit):
        points = _points_at(unit, attachment.value("target_group"), group)
        if points is None or (points and attachment.resource.count_unknown):
            return None
        if points and not _add_target(unit, targets, attachment.value("target_id")):
            return None
    member = TARGET_GROUPS.member(group)
    if member is not None and member.has("targets"):
        listed = blocks(member.value("targets"))
        if listed is None:
            return None
        for target in listed:
            if not _add_target(unit, targets, member.value("target_id", within=target)):
                return None
    if any(True for _ in _member_groups(unit, group)):
        return None
    if len(targets) != 1:
        return None
    (only,) = targets.values()
    return only


def _add_target(unit: Unit, targets: dict[str, Resource | None], target_id: Any) -> bool:
    """Record one registered target (an instance of the unit, or a literal ID or address);
    False when the target is not known."""
    if isinstance(target_id, str) and target_id.strip():
        targets[f"literal:{target_id.strip()}"] = None
        return True
    target = referenced(unit, target_id)
    if target is None:
        return False
    targets[target.address] = target if target.type in _INSTANCE_TYPES else None
    return True


def one_zone_targets_without_cross_zone(unit: Unit, lb: Resource) -> tuple[Zone, tuple[Span, ...]] | None:
    """When cross-zone load balancing is off for every target group the load balancer forwards
    to and all their targets run in one zone: that zone and the groups' target spans; None
    otherwise, or when anything is not known."""
    member = LOAD_BALANCERS.member(lb)
    if member is None:
        return None
    inherited = load_balancer_cross_zone(member)
    groups = forwarded_target_groups(unit, lb)
    if not groups:
        return None
    spans: list[Span] = []
    for group in groups:
        group_member = TARGET_GROUPS.member(group)
        if group_member is None or group_cross_zone(group_member, inherited) is not False:
            return None  # on for this group, or not known
        found = target_zones(unit, group)
        if found is None:
            return None
        spans.append(found)
    zones = {z for s in spans for z in s.zones}
    if len(zones) != 1:
        return None
    (zone,) = zones
    return zone, tuple(spans)
