"""Compute groups: what replaces lost capacity (Auto Scaling groups, ECS services, EKS node
groups, managed instance groups, GKE node pools, AKS node pools, scale sets), and single
machines.

Kinds of `COMPUTE_GROUPS`: `autoscaling_group`, `container_service`, `node_group`,
`zonal_instance_group`, `regional_instance_group`, `gke_node_pool`, `aks_cluster` (its
`default_node_pool`), `aks_node_pool`, `scale_set`.
Kinds of `INSTANCES`: `ec2_instance`, `vm_instance` (Google), `azure_vm`.

Roles: `max_size` (a size of zero parks the group), `subnets`, `zones`, `zone_ids`, `network`
(the block that holds an ECS service's subnets), `scaling` (the block that holds an EKS node
group's `max_size`), `default_pool`, `zone_rebalancing` (an ECS service's Availability Zone
rebalancing); what registers a group with load balancers: an Auto Scaling
group's `target_groups` and `traffic_sources` (with the `traffic_source_id` inside one), an ECS
service's `load_balancers` (with the `target_group` inside one); an ECS service's
`desired_count`, `service_name` and `scheduling` (REPLICA or DAEMON), and the word
`scaling_floor` (how to keep two tasks with Application Auto Scaling) and `desired_default`
(the desired count of a service that does not set one, where it is not zero).
Roles of `CONTAINER_CLUSTERS`: `location` and `zones` (GKE), `tier` (AKS's pricing tier),
`zonal_shift` and `zonal_shift_enabled` (EKS's ARC zonal shift block and switch).
Roles of `INSTANCES`: `zone`, `subnet` (AWS), `network_interfaces` (Azure: the interfaces'
IDs), `interfaces`, `access_configs` and `nat_ip` (Google: the external address a network
interface's access config attaches).
Words of `INSTANCES`: `group_fix` (how to serve from a group instead of one machine).
Roles of `FUNCTIONS`: `vpc` (the VPC block of a function) and `subnets` (inside it).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

COMPUTE_GROUPS = Family(
    "compute group",
    (
        terraform(
            "aws_autoscaling_group",
            "autoscaling_group",
            max_size="max_size",
            subnets="vpc_zone_identifier",
            zones="availability_zones",
            target_groups="target_group_arns",
            traffic_sources="traffic_source",
            traffic_source_id="identifier",
        ),
        cloudformation(
            "AWS::AutoScaling::AutoScalingGroup",
            "autoscaling_group",
            max_size="MaxSize",
            subnets="VPCZoneIdentifier",
            zones="AvailabilityZones",
            zone_ids="AvailabilityZoneIds",
            target_groups="TargetGroupARNs",
            traffic_sources="TrafficSources",
            traffic_source_id="Identifier",
        ),
        terraform(
            "aws_ecs_service",
            "container_service",
            words={
                "rebalancing_disabled": '"DISABLED"',
                "rebalancing_enabled": '"ENABLED"',
                "scaling_floor": "an aws_appautoscaling_target for it with min_capacity = 2",
            },
            max_size="desired_count",
            desired_count="desired_count",
            service_name="name",
            scheduling="scheduling_strategy",
            network="network_configuration",
            subnets="subnets",
            load_balancers="load_balancer",
            target_group="target_group_arn",
            zone_rebalancing="availability_zone_rebalancing",
        ),
        cloudformation(
            "AWS::ECS::Service",
            "container_service",
            words={
                "rebalancing_disabled": "DISABLED",
                "rebalancing_enabled": "ENABLED",
                "scaling_floor": "an AWS::ApplicationAutoScaling::ScalableTarget for it with MinCapacity: 2",
                # CloudFormation starts a new service with one task when DesiredCount is left
                # out; Terraform's default is 0 (the count is then set by a deployment).
                "desired_default": "1",
            },
            max_size="DesiredCount",
            desired_count="DesiredCount",
            service_name="ServiceName",
            scheduling="SchedulingStrategy",
            network="NetworkConfiguration.AwsvpcConfiguration",
            subnets="Subnets",
            load_balancers="LoadBalancers",
            target_group="TargetGroupArn",
            zone_rebalancing="AvailabilityZoneRebalancing",
        ),
        terraform("aws_eks_node_group", "node_group", scaling="scaling_config", max_size="max_size", subnets="subnet_ids"),
        cloudformation("AWS::EKS::Nodegroup", "node_group", scaling="ScalingConfig", max_size="MaxSize", subnets="Subnets"),
        terraform("google_compute_instance_group_manager", "zonal_instance_group", max_size="target_size", zone="zone"),
        terraform(
            "google_compute_region_instance_group_manager",
            "regional_instance_group",
            max_size="target_size",
            zones="distribution_policy_zones",
        ),
        terraform("google_container_node_pool", "gke_node_pool", zones="node_locations", cluster="cluster"),
        terraform(
            "azurerm_kubernetes_cluster",
            "aks_cluster",
            default_pool="default_node_pool",
            zones=("zones", "availability_zones"),
            subnet="vnet_subnet_id",
        ),
        terraform("azurerm_kubernetes_cluster_node_pool", "aks_node_pool", zones=("zones", "availability_zones"), subnet="vnet_subnet_id"),
        *(
            terraform(
                t,
                "scale_set",
                zones="zones",
                network_interfaces="network_interface",
                ip_configurations="ip_configuration",
                subnet="subnet_id",
            )
            for t in (
                "azurerm_linux_virtual_machine_scale_set",
                "azurerm_windows_virtual_machine_scale_set",
                "azurerm_orchestrated_virtual_machine_scale_set",
            )
        ),
        terraform(
            "azurerm_virtual_machine_scale_set",
            "scale_set",
            zones="zones",
            network_interfaces="network_profile",
            ip_configurations="ip_configuration",
            subnet="subnet_id",
        ),
    ),
)

CONTAINER_CLUSTERS = Family(
    "Kubernetes cluster",
    (
        terraform("google_container_cluster", "gke_cluster", location="location", zones="node_locations"),
        terraform(
            "azurerm_kubernetes_cluster",
            "aks_cluster",
            default_pool="default_node_pool",
            tier="sku_tier",
        ),
        terraform(
            "aws_eks_cluster",
            "eks_cluster",
            words={"zonal_shift_on": "zonal_shift_config { enabled = true }"},
            zonal_shift="zonal_shift_config",
            zonal_shift_enabled="enabled",
        ),
        cloudformation(
            "AWS::EKS::Cluster",
            "eks_cluster",
            words={"zonal_shift_on": "ZonalShiftConfig: {Enabled: true}"},
            zonal_shift="ZonalShiftConfig",
            zonal_shift_enabled="Enabled",
        ),
    ),
)

_EC2_GROUP_FIX = (
    "Run it in an Auto Scaling group (aws_autoscaling_group with target_group_arns) over subnets in two or more "
    "availability zones, so that a lost instance or zone is replaced"
)
_AZURE_GROUP_FIX = (
    'Run it as a virtual machine scale set over zones ["1", "2", "3"] in the backend pool, or add a second VM '
    "in another zone"
)

INSTANCES = Family(
    "virtual machine",
    (
        terraform("aws_instance", "ec2_instance", words={"group_fix": _EC2_GROUP_FIX}, zone="availability_zone", subnet="subnet_id"),
        cloudformation(
            "AWS::EC2::Instance",
            "ec2_instance",
            words={
                "group_fix": (
                    "Run it in an Auto Scaling group (AWS::AutoScaling::AutoScalingGroup with TargetGroupARNs) over "
                    "subnets in two or more availability zones, so that a lost instance or zone is replaced"
                )
            },
            zone="AvailabilityZone",
            subnet="SubnetId",
        ),
        terraform(
            "google_compute_instance",
            "vm_instance",
            words={
                "group_fix": (
                    "Serve from a regional managed instance group (google_compute_region_instance_group_manager) "
                    "that spreads VMs over the region's zones and recreates them"
                )
            },
            zone="zone",
            # where a static external address attaches: network_interface.access_config.nat_ip
            interfaces="network_interface",
            access_configs="access_config",
            nat_ip="nat_ip",
        ),
        *(
            terraform(t, "azure_vm", words={"group_fix": _AZURE_GROUP_FIX}, zone="zone", network_interfaces="network_interface_ids")
            for t in ("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine")
        ),
        terraform(
            "azurerm_virtual_machine",
            "azure_vm",
            words={"group_fix": _AZURE_GROUP_FIX},
            zone="zones",
            network_interfaces="network_interface_ids",
        ),
    ),
)

FUNCTIONS = Family(
    "function",
    (
        terraform("aws_lambda_function", "function", vpc="vpc_config", subnets="subnet_ids"),
        cloudformation("AWS::Lambda::Function", "function", vpc="VpcConfig", subnets="SubnetIds"),
        terraform("aws_lambda_function_url", "function_url"),
        cloudformation("AWS::Lambda::Url", "function_url"),
    ),
)
