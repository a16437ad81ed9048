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
word `add_region`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

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
        *(terraform(t, "target_group", cross_zone="load_balancing_cross_zone_enabled") for t in ("aws_lb_target_group", "aws_alb_target_group")),
        cloudformation(
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            "target_group",
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
    ),
)
