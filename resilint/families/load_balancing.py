"""Load balancing: load balancers, their listeners and target groups, and what registers
targets with a group.

Kinds of `LOAD_BALANCERS`: `load_balancer` (ELB v2: application, network, gateway),
`classic_load_balancer`, `application_gateway` (Azure), `azure_load_balancer`.
Kinds of `LISTENERS` `listener`; of `TARGET_GROUPS` `target_group`; of `TARGET_ATTACHMENTS`
`target_attachment`; of `SCALING_ATTACHMENTS` `scaling_attachment` and `traffic_source_attachment`.

Roles of a load balancer: `type` (its `kind` argument: application, network, gateway),
`subnets`, `subnet_mappings` and `mapping_subnet` (the subnet inside a mapping), `zones` (a
Classic Load Balancer's zones; Azure's zones list), `cross_zone`, `zonal_shift` (ARC zonal shift
integration), `attributes` (CloudFormation's attribute list), `frontends` (Azure); an
application gateway's `sku` block (`sku_name`, `sku_tier`, `capacity`) and `autoscale` block
(`min_capacity`, `max_capacity`). Words: `subnet_arguments` (the arguments a fix names),
`cross_zone_on` (cross-zone load balancing turned on, written out).

Kinds of `BACKEND_SERVICES`: `global_backend_service` (Google Cloud's global load balancers;
roles `backends`, the blocks, and `group`, the instance group or network endpoint group of one;
word `add_region`), `regional_backend_service` (Google Cloud's regional load balancers).
"""

from __future__ import annotations

from typing import Any

from resilint.arguments import DEFAULT, as_bool, blocks
from resilint.families.base import Family, Member, cloudformation, terraform

CROSS_ZONE_ATTRIBUTE = "load_balancing.cross_zone.enabled"
ZONAL_SHIFT_ATTRIBUTE = "zonal_shift.config.enabled"

LOAD_BALANCERS = Family(
    "load balancer",
    (
        *(
            terraform(
                t,
                "load_balancer",
                words={
                    "subnet_arguments": "subnets or subnet_mapping",
                    "cross_zone_on": "enable_cross_zone_load_balancing = true",
                    "zonal_shift_on": "enable_zonal_shift = true",
                },
                type="load_balancer_type",
                subnets="subnets",
                subnet_mappings="subnet_mapping",
                mapping_subnet="subnet_id",
                cross_zone="enable_cross_zone_load_balancing",
                zonal_shift="enable_zonal_shift",
            )
            for t in ("aws_lb", "aws_alb")
        ),
        cloudformation(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "load_balancer",
            words={
                "subnet_arguments": "Subnets or SubnetMappings",
                "cross_zone_on": f'LoadBalancerAttributes {CROSS_ZONE_ATTRIBUTE} = "true"',
                "zonal_shift_on": f'LoadBalancerAttributes {ZONAL_SHIFT_ATTRIBUTE} = "true"',
                "cross_zone_attribute": CROSS_ZONE_ATTRIBUTE,
                "zonal_shift_attribute": ZONAL_SHIFT_ATTRIBUTE,
            },
            type="Type",
            subnets="Subnets",
            subnet_mappings="SubnetMappings",
            mapping_subnet="SubnetId",
            attributes="LoadBalancerAttributes",
        ),
        terraform(
            "aws_elb",
            "classic_load_balancer",
            words={"subnet_arguments": "subnets"},
            subnets="subnets",
            zones="availability_zones",
        ),
        cloudformation(
            "AWS::ElasticLoadBalancing::LoadBalancer",
            "classic_load_balancer",
            words={"subnet_arguments": "Subnets"},
            subnets="Subnets",
            zones="AvailabilityZones",
        ),
        terraform(
            "azurerm_application_gateway",
            "application_gateway",
            zones="zones",
            sku="sku",
            sku_name="name",
            sku_tier="tier",
            capacity="capacity",
            autoscale="autoscale_configuration",
            min_capacity="min_capacity",
            max_capacity="max_capacity",
        ),
        terraform("azurerm_lb", "azure_load_balancer", frontends="frontend_ip_configuration"),
    ),
)

LISTENERS = Family(
    "listener",
    (
        *(
            terraform(
                t,
                "listener",
                load_balancer="load_balancer_arn",
                actions="default_action",
                action_type="type",
                target_group="target_group_arn",
                forward="forward",
                forward_groups="target_group",
                forward_group="arn",
            )
            for t in ("aws_lb_listener", "aws_alb_listener")
        ),
        cloudformation(
            "AWS::ElasticLoadBalancingV2::Listener",
            "listener",
            load_balancer="LoadBalancerArn",
            actions="DefaultActions",
            action_type="Type",
            target_group="TargetGroupArn",
            forward="ForwardConfig",
            forward_groups="TargetGroups",
            forward_group="TargetGroupArn",
        ),
    ),
)

TARGET_GROUPS = Family(
    "target group",
    (
        *(
            terraform(
                t,
                "target_group",
                words={
                    "cross_zone_off": 'load_balancing_cross_zone_enabled = "false"',
                    "cross_zone_inherit": 'load_balancing_cross_zone_enabled = "use_load_balancer_configuration"',
                },
                cross_zone="load_balancing_cross_zone_enabled",
            )
            for t in ("aws_lb_target_group", "aws_alb_target_group")
        ),
        cloudformation(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "target_group",
            words={
                "cross_zone_off": f'TargetGroupAttributes {CROSS_ZONE_ATTRIBUTE} = "false"',
                "cross_zone_inherit": f'TargetGroupAttributes {CROSS_ZONE_ATTRIBUTE} = "use_load_balancer_configuration"',
            },
            attributes="TargetGroupAttributes",
            targets="Targets",
            target_id="Id",
            target_zone="AvailabilityZone",
        ),
    ),
)

TARGET_ATTACHMENTS = Family(
    "target group attachment",
    tuple(
        terraform(t, "target_attachment", target_group="target_group_arn", target_id="target_id", target_zone="availability_zone")
        for t in ("aws_lb_target_group_attachment", "aws_alb_target_group_attachment")
    ),
)

SCALING_ATTACHMENTS = Family(
    "Auto Scaling attachment",
    (
        terraform(
            "aws_autoscaling_attachment",
            "scaling_attachment",
            target_group=("lb_target_group_arn", "alb_target_group_arn"),
            group="autoscaling_group_name",
        ),
        terraform(
            "aws_autoscaling_traffic_source_attachment",
            "traffic_source_attachment",
            traffic_source="traffic_source",
            traffic_source_id="identifier",
            group="autoscaling_group_name",
        ),
    ),
)

BACKEND_SERVICES = Family(
    "backend service",
    (
        terraform(
            "google_compute_backend_service",
            "global_backend_service",
            words={
                "add_region": (
                    "Add a backend block whose group is a managed instance group (or network endpoint group) in a "
                    "second region, with a health check on the backend service"
                ),
            },
            backends="backend",
            group="group",
        ),
        terraform("google_compute_region_backend_service", "regional_backend_service", backends="backend", group="group"),
    ),
)

# Facts -----------------------------------------------------------------------------------------


def load_balancer_cross_zone(lb: Member) -> bool | None:
    """Whether an ELB v2 load balancer has cross-zone load balancing on: the argument, or the
    `load_balancing.cross_zone.enabled` attribute; off when not set (the default of network
    load balancers: an Application Load Balancer has it on whatever the setting says); None when
    not known."""
    if lb.has("cross_zone"):
        _, value = lb.setting("cross_zone")
        return False if value is DEFAULT else as_bool(value)
    return _flag(attribute_value(lb.value("attributes"), CROSS_ZONE_ATTRIBUTE))


def load_balancer_zonal_shift(lb: Member) -> bool | None:
    """Whether ARC zonal shift is enabled on an ELB v2 load balancer (off by default); None
    when not known."""
    if lb.has("zonal_shift"):
        _, value = lb.setting("zonal_shift")
        return False if value is DEFAULT else as_bool(value)
    return _flag(attribute_value(lb.value("attributes"), ZONAL_SHIFT_ATTRIBUTE))


def group_cross_zone(group: Member, inherited: bool | None) -> bool | None:
    """The cross-zone setting a target group ends up with: its own override, or `inherited`
    (its load balancer's) when it has none or defers to it."""
    own = group_cross_zone_override(group)
    if own is DEFAULT or own == "use_load_balancer_configuration":
        return inherited
    return as_bool(own)


def group_cross_zone_override(group: Member) -> Any:
    """A target group's own cross-zone value as written, DEFAULT when it sets none, None when
    not known."""
    if group.has("attributes"):
        return attribute_value(group.value("attributes"), CROSS_ZONE_ATTRIBUTE)
    _, value = group.setting("cross_zone")
    return value


def attribute_value(attributes: Any, key: str) -> Any:
    """The value of one key of a CloudFormation attribute list (`LoadBalancerAttributes`,
    `TargetGroupAttributes`); DEFAULT when the list does not set it, None when the list (or one
    of its keys) is not known."""
    if attributes is None:
        return DEFAULT
    found = blocks(attributes)
    if found is None:
        return None
    for item in found:
        name = item.get("Key")
        if not isinstance(name, str):
            return None  # a key decided at deploy time may be this one
        if name == key:
            return item.get("Value")
    return DEFAULT


def _flag(value: Any) -> bool | None:
    return False if value is DEFAULT else as_bool(value)
