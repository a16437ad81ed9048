"""Networks: subnets, NAT gateways, route tables and routes, subnet groups of managed
services, public IP addresses, network interfaces and firewalls.

Kinds: `SUBNETS` `subnet` (zonal: AWS), `azure_subnet` (regional); `NAT_GATEWAYS` `nat_gateway`
(AWS), `azure_nat_gateway`; `NAT_ASSOCIATIONS` `subnet_association`, `public_ip_association`; `ROUTE_TABLES` `route_table`;
`ROUTES` `route`; `ROUTE_TABLE_ASSOCIATIONS` `association`; `SUBNET_GROUPS` `subnet_group`
(its `service` names what it places); `PUBLIC_IPS` `public_ip`; `EIP_ASSOCIATIONS`
`eip_association` (roles `address`, the Elastic IP's allocation, and `instance`); `NETWORK_INTERFACES`
`network_interface`; `FIREWALLS` `firewall`.

Roles: a subnet's `zone` (a zone name) and `zone_id`; a NAT gateway's `subnet` and
`availability_mode` (zonal or regional); a route's `route_table`, `nat_gateway` (every argument
that may hold a NAT gateway's ID) and an inline route table's `routes`; an association's
`route_table` and `subnet`; a subnet group's `subnets`; a resource's `zones` list; an Elastic
IP's `instance`; a network interface's `ip_configurations` (with `subnet` and `public_ip`
inside one).

Facts: `nat_is_zonal(member)`: a NAT gateway that lives in one zone (AWS: the default
`availability_mode`; Azure: `zones` lists one zone), False for a regional or zone-redundant one,
None when not known.
"""

from __future__ import annotations

from resilint.arguments import DEFAULT
from resilint.families.base import Family, Member, cloudformation, terraform

SUBNETS = Family(
    "subnet",
    (
        terraform("aws_subnet", "subnet", zone="availability_zone", zone_id="availability_zone_id"),
        cloudformation("AWS::EC2::Subnet", "subnet", zone="AvailabilityZone", zone_id="AvailabilityZoneId"),
        # An Azure subnet spans every zone of its region: it has no zone of its own.
        terraform("azurerm_subnet", "azure_subnet"),
    ),
)

NAT_GATEWAYS = Family(
    "NAT gateway",
    (
        terraform(
            "aws_nat_gateway",
            "nat_gateway",
            words={"regional": 'availability_mode = "regional"'},
            subnet="subnet_id",
            availability_mode="availability_mode",
        ),
        cloudformation(
            "AWS::EC2::NatGateway",
            "nat_gateway",
            words={"regional": "AvailabilityMode: regional"},
            subnet="SubnetId",
            availability_mode="AvailabilityMode",
        ),
        terraform(
            "azurerm_nat_gateway",
            "azure_nat_gateway",
            words={
                "fix": (
                    'Give each availability zone its own NAT gateway (zones = ["<zone>"]) and its own subnet for '
                    "that zone's workloads (an Azure subnet spans every zone), so that losing a zone takes only "
                    "its own egress"
                )
            },
            zones="zones",
        ),
    ),
)

NAT_ASSOCIATIONS = Family(
    "NAT gateway association",
    (
        terraform("azurerm_subnet_nat_gateway_association", "subnet_association", subnet="subnet_id", nat_gateway="nat_gateway_id"),
        terraform(
            "azurerm_nat_gateway_public_ip_association",
            "public_ip_association",
            nat_gateway="nat_gateway_id",
            public_ip="public_ip_address_id",
        ),
    ),
)

ROUTE_TABLES = Family(
    "route table",
    (
        # A NAT gateway ID also works as `gateway_id` / `GatewayId` (the API takes it there too).
        terraform("aws_route_table", "route_table", routes="route", nat_gateway=("nat_gateway_id", "gateway_id")),
        cloudformation("AWS::EC2::RouteTable", "route_table"),
    ),
)

ROUTES = Family(
    "route",
    (
        terraform("aws_route", "route", route_table="route_table_id", nat_gateway=("nat_gateway_id", "gateway_id")),
        cloudformation("AWS::EC2::Route", "route", route_table="RouteTableId", nat_gateway=("NatGatewayId", "GatewayId")),
    ),
)

ROUTE_TABLE_ASSOCIATIONS = Family(
    "route table association",
    (
        terraform("aws_route_table_association", "association", route_table="route_table_id", subnet="subnet_id"),
        cloudformation(
            "AWS::EC2::SubnetRouteTableAssociation", "association", route_table="RouteTableId", subnet="SubnetId"
        ),
    ),
)

SUBNET_GROUPS = Family(
    "subnet group",
    tuple(
        spelling
        for tf_type, cfn_type, service in (
            ("aws_db_subnet_group", "AWS::RDS::DBSubnetGroup", "RDS"),
            ("aws_elasticache_subnet_group", "AWS::ElastiCache::SubnetGroup", "ElastiCache"),
            ("aws_memorydb_subnet_group", "AWS::MemoryDB::SubnetGroup", "MemoryDB"),
            ("aws_redshift_subnet_group", "AWS::Redshift::ClusterSubnetGroup", "Redshift"),
            ("aws_docdb_subnet_group", "AWS::DocDB::DBSubnetGroup", "DocumentDB"),
            ("aws_neptune_subnet_group", "AWS::Neptune::DBSubnetGroup", "Neptune"),
            ("aws_dax_subnet_group", "AWS::DAX::SubnetGroup", "DAX"),
            ("aws_dms_replication_subnet_group", "AWS::DMS::ReplicationSubnetGroup", "DMS"),
        )
        for spelling in (
            terraform(tf_type, "subnet_group", service=service, subnets="subnet_ids"),
            cloudformation(cfn_type, "subnet_group", service=service, subnets="SubnetIds"),
        )
    ),
)

PUBLIC_IPS = Family(
    "public IP address",
    (
        terraform("aws_eip", "elastic_ip", instance="instance"),
        cloudformation("AWS::EC2::EIP", "elastic_ip", instance="InstanceId"),
        terraform("azurerm_public_ip", "public_ip", zones="zones", tier="sku_tier"),
        terraform("google_compute_address", "regional_address"),
    ),
)

# An Elastic IP attached by a resource of its own rather than by the address's `instance`.
EIP_ASSOCIATIONS = Family(
    "Elastic IP association",
    (
        terraform("aws_eip_association", "eip_association", address=("allocation_id", "public_ip"), instance="instance_id"),
        cloudformation("AWS::EC2::EIPAssociation", "eip_association", address=("AllocationId", "EIP"), instance="InstanceId"),
    ),
)

NETWORK_INTERFACES = Family(
    "network interface",
    (
        terraform(
            "azurerm_network_interface",
            "network_interface",
            ip_configurations="ip_configuration",
            subnet="subnet_id",
            public_ip="public_ip_address_id",
        ),
    ),
)

FIREWALLS = Family("firewall", (terraform("azurerm_firewall", "firewall", zones="zones"),))


def nat_is_zonal(gateway: Member) -> bool | None:
    """True for a NAT gateway that lives in one zone, False for a regional one, None if unknown."""
    if gateway.has("availability_mode"):
        name, mode = gateway.setting("availability_mode")
        if mode is DEFAULT:
            return True  # zonal is the default
        return mode.strip().lower() == "zonal" if isinstance(mode, str) else None
    zones = gateway.value("zones")
    if isinstance(zones, list) and zones and all(isinstance(z, (str, int)) for z in zones):
        return len(zones) == 1
    return None  # no zones: Azure picks one, which the code does not say; or not known
