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
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import blocks, first_block
from resilint.families.compute import COMPUTE_GROUPS, INSTANCES
from resilint.families.load_balancing import (
    LISTENERS,
    LOAD_BALANCERS,
    SCALING_ATTACHMENTS,
    TARGET_ATTACHMENTS,
    TARGET_GROUPS,
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
_SERVICE_TYPES = COMPUTE_GROUPS.types_of("container_service")


def load_balancer_span(unit: Unit, lb: Resource) -> tuple[str, Span] | None:
    """The argument that places the load balancer and the subnets or zones it lists; None
    when not known."""
    if lb.type == "aws_elb":
        if lb.attributes.get("subnets") is not None:
            found = span(unit, lb.attributes.get("subnets"))
            return ("subnets", found) if found is not None else None
        found = zone_span(lb.attributes.get("availability_zones"))
        return ("availability_zones", found) if found is not None else None
    if lb.type == "AWS::ElasticLoadBalancing::LoadBalancer":
        if lb.attributes.get("Subnets") is not None:
            found = span(unit, lb.attributes.get("Subnets"))
            return ("Subnets", found) if found is not None else None
        found = zone_span(lb.attributes.get("AvailabilityZones"))
        return ("AvailabilityZones", found) if found is not None else None
    terraform = lb.type != "AWS::ElasticLoadBalancingV2::LoadBalancer"
    subnets_name, mapping_name, subnet_key = (
        ("subnets", "subnet_mapping", "subnet_id") if terraform else ("Subnets", "SubnetMappings", "SubnetId")
    )
    subnets = lb.attributes.get(subnets_name)
    mappings = blocks(lb.attributes.get(mapping_name))
    if isinstance(subnets, Unknown) or mappings is None:
        return None
    values: list[Any] = list(subnets) if isinstance(subnets, list) else []
    values.extend(m.get(subnet_key) for m in mappings)
    found = span(unit, values)
    if found is None:
        return None
    name = mapping_name if mappings and not subnets else subnets_name
    return name, found


# Listeners and target groups --------------------------------------------------------------


def forwarded_target_groups(unit: Unit, lb: Resource) -> list[Resource] | None:
    """The target groups the load balancer's listeners forward to; None when a listener's
    targets are not known, or when the unit declares no listener for it."""
    listeners = []
    for listener in unit.of_type(*LISTENER_TYPES):
        points = _points_at(
            unit, listener.attributes.get("load_balancer_arn", listener.attributes.get("LoadBalancerArn")), lb
        )
        if points is None:
            return None  # a listener that may be this load balancer's forwards we cannot tell where
        if points:
            listeners.append(listener)
    if not listeners:
        return None
    groups: list[Resource] = []
    for listener in listeners:
        if listener.count_unknown:
            return None
        terraform = listener.type != "AWS::ElasticLoadBalancingV2::Listener"
        actions = blocks(listener.attributes.get("default_action" if terraform else "DefaultActions"))
        if not actions:
            return None
        for action in actions:
            found = _action_groups(unit, action, terraform)
            if found is None:
                return None
            groups.extend(g for g in found if g not in groups)
    return groups


def _action_groups(unit: Unit, action: dict[str, Any], terraform: bool) -> list[Resource] | None:
    values: list[Any] = []
    direct = action.get("target_group_arn" if terraform else "TargetGroupArn")
    if direct is not None:
        values.append(direct)
    forward = first_block(action.get("forward" if terraform else "ForwardConfig"))
    if forward is not None:
        tuples = blocks(forward.get("target_group" if terraform else "TargetGroups"))
        if tuples is None:
            return None
        values.extend(t.get("arn" if terraform else "TargetGroupArn") for t in tuples)
    kind = action.get("type" if terraform else "Type")
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
    for attachment in unit.of_type(*TARGET_ATTACHMENTS.types):
        points = _points_at(unit, attachment.attributes.get("target_group_arn"), group)
        if points is None:
            return None
        if not points:
            continue
        if attachment.count_unknown:
            return None
        entry = _target_entry(
            unit, attachment.attributes.get("target_id"), attachment.attributes.get("availability_zone")
        )
        if entry is None:
            return None
        entries.append(entry)
    if group.type == "AWS::ElasticLoadBalancingV2::TargetGroup":
        targets = blocks(group.attributes.get("Targets"))
        if targets is None:
            return None
        for target in targets:
            entry = _target_entry(unit, target.get("Id"), target.get("AvailabilityZone"))
            if entry is None:
                return None
            entries.append(entry)
    for member, placement in _member_groups(unit, group):
        if placement is None:
            return None
        # One entry per zone the group or service runs in, named after it.
        entries.extend(
            Entry(identity=f"{member.address}@{e.identity}", label=member.address, zone=e.zone, resource=member)
            for e in placement.entries
        )
    if not entries or any(e.zone is None for e in entries):
        return None
    return Span(tuple(entries))


def _target_entry(unit: Unit, target_id: Any, zone: Any) -> Entry | None:
    target = referenced(unit, target_id)
    if target is not None and target.type in _INSTANCE_TYPES:
        own = target.attributes.get("availability_zone", target.attributes.get("AvailabilityZone"))
        if isinstance(own, str) and own:
            return Entry(identity=target.address, label=target.address, zone=Zone("name", own), resource=target)
        subnet = referenced(unit, target.attributes.get("subnet_id", target.attributes.get("SubnetId")))
        if subnet is not None and subnet.type in SUBNET_TYPES and subnet_zone(subnet) is not None:
            return Entry(identity=target.address, label=target.address, zone=subnet_zone(subnet), resource=target)
        return None
    if isinstance(target_id, str) and isinstance(zone, str) and zone and zone != "all":
        return Entry(identity=f"literal:{target_id}", label=target_id, zone=Zone("name", zone))
    return None


def _member_groups(unit: Unit, group: Resource) -> Iterator[tuple[Resource, Span | None]]:
    """Auto Scaling groups and ECS services registered with the group, with their placement;
    (resource, None) when one may be registered with it but we cannot tell."""
    for scaling in unit.of_type(*_GROUP_TYPES):
        arns = scaling.attributes.get("target_group_arns", scaling.attributes.get("TargetGroupARNs"))
        sources = blocks(scaling.attributes.get("traffic_source", scaling.attributes.get("TrafficSources")))
        points = _any_points_at(unit, arns, group)
        if sources is None:
            points = None
        elif points is not True:
            from_sources = _any_points_at(unit, [_source_identifier(s) for s in sources], group)
            points = from_sources if points is False else (True if from_sources else None)
        if points is not False:
            yield scaling, (_group_span(unit, scaling) if points and not scaling.count_unknown else None)
    for attachment in unit.of_type(*SCALING_ATTACHMENTS.types):
        source = first_block(attachment.attributes.get("traffic_source"))
        arn = (
            _source_identifier(source)
            if attachment.type == "aws_autoscaling_traffic_source_attachment"
            else attachment.attributes.get("lb_target_group_arn", attachment.attributes.get("alb_target_group_arn"))
        )
        points = _points_at(unit, arn, group)
        if points is False:
            continue
        attached = referenced(unit, attachment.attributes.get("autoscaling_group_name"))
        if points is None or attached is None or attached.type not in _GROUP_TYPES or attachment.count_unknown:
            yield attachment, None
        else:
            yield attached, _group_span(unit, attached)
    for service in unit.of_type(*_SERVICE_TYPES):
        terraform = service.type == "aws_ecs_service"
        balancers = blocks(service.attributes.get("load_balancer" if terraform else "LoadBalancers"))
        if balancers is None:
            yield service, None
            continue
        points = _any_points_at(
            unit, [b.get("target_group_arn" if terraform else "TargetGroupArn") for b in balancers], group
        )
        if points is False:
            continue
        if points is None or service.count_unknown:
            yield service, None
            continue
        if terraform:
            network = first_block(service.attributes.get("network_configuration"))
            subnets = network.get("subnets") if network else None
        else:
            network = first_block(service.get("NetworkConfiguration.AwsvpcConfiguration"))
            subnets = network.get("Subnets") if network else None
        yield service, span(unit, subnets)


def _source_identifier(source: dict[str, Any] | None) -> Any:
    """The target group ARN of an Auto Scaling traffic source (`traffic_source`,
    `TrafficSources`); `Unknown` when the block is not known."""
    if source is None:
        return Unknown("traffic source not known")
    return source.get("identifier", source.get("Identifier"))


def _group_span(unit: Unit, group: Resource) -> Span | None:
    subnets = group.attributes.get("vpc_zone_identifier", group.attributes.get("VPCZoneIdentifier"))
    if subnets is not None:
        return span(unit, subnets)
    return zone_span(group.attributes.get("availability_zones", group.attributes.get("AvailabilityZones")))


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
