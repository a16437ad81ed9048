"""Hybrid connectivity: the links between a cloud network and the networks outside it, and the
DNS resolver endpoints that answer across them.

Kinds of `HYBRID_LINKS`:

- `vpn_connection` (AWS site-to-site VPN; roles `customer_gateway`, `vpn_gateway`,
  `transit_gateway`): one connection is two tunnels to one customer gateway device;
- `dx_connection`, `dx_lag` (Direct Connect; role `location`, the Direct Connect location);
- `dx_interface` (Direct Connect private and transit virtual interfaces; roles `connection`,
  `dx_gateway`, `vpn_gateway`): which connection carries traffic to which gateway;
- `azure_gateway` (`azurerm_virtual_network_gateway`; roles `type`, `active_active`, `sku`);
- `azure_gateway_connection` (`azurerm_virtual_network_gateway_connection`; roles `type`,
  `gateway`, `circuit`);
- `express_route_circuit` (role `location`, the peering location);
- `classic_vpn_gateway` (GCP Classic VPN, one interface), `ha_vpn_gateway` (GCP HA VPN, two
  interfaces), `vpn_tunnel` (roles `gateway`, `interface`), `external_vpn_gateway` (role
  `redundancy`), `interconnect_attachment` (roles `router`, `domain`, the edge availability
  domain).

Kinds of `RESOLVER_ENDPOINTS`: `resolver_endpoint` (Route 53 Resolver; roles `ip_addresses`, the
blocks of its IP addresses, `subnet` within each, and `outpost`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

HYBRID_LINKS = Family(
    "hybrid link",
    (
        terraform(
            "aws_vpn_connection",
            "vpn_connection",
            service="Site-to-Site VPN",
            customer_gateway="customer_gateway_id",
            vpn_gateway="vpn_gateway_id",
            transit_gateway="transit_gateway_id",
        ),
        cloudformation(
            "AWS::EC2::VPNConnection",
            "vpn_connection",
            service="Site-to-Site VPN",
            customer_gateway="CustomerGatewayId",
            vpn_gateway="VpnGatewayId",
            transit_gateway="TransitGatewayId",
        ),
        terraform("aws_dx_connection", "dx_connection", service="Direct Connect", location="location"),
        terraform("aws_dx_lag", "dx_lag", service="Direct Connect", location="location"),
        cloudformation(
            "AWS::DirectConnect::Connection", "dx_connection", service="Direct Connect", location="Location"
        ),
        cloudformation("AWS::DirectConnect::Lag", "dx_lag", service="Direct Connect", location="Location"),
        *(
            terraform(
                type_,
                "dx_interface",
                service="Direct Connect",
                connection="connection_id",
                dx_gateway="dx_gateway_id",
                vpn_gateway="vpn_gateway_id",
            )
            for type_ in ("aws_dx_private_virtual_interface", "aws_dx_transit_virtual_interface")
        ),
        terraform(
            "azurerm_virtual_network_gateway",
            "azure_gateway",
            service="VPN gateway",
            type="type",
            active_active="active_active",
            sku="sku",
        ),
        terraform(
            "azurerm_virtual_network_gateway_connection",
            "azure_gateway_connection",
            type="type",
            gateway="virtual_network_gateway_id",
            circuit="express_route_circuit_id",
        ),
        terraform(
            "azurerm_express_route_circuit",
            "express_route_circuit",
            service="ExpressRoute",
            location="peering_location",
        ),
        terraform("google_compute_vpn_gateway", "classic_vpn_gateway", service="Classic VPN"),
        terraform("google_compute_ha_vpn_gateway", "ha_vpn_gateway", service="HA VPN"),
        terraform("google_compute_vpn_tunnel", "vpn_tunnel", gateway="vpn_gateway", interface="vpn_gateway_interface"),
        terraform("google_compute_external_vpn_gateway", "external_vpn_gateway", redundancy="redundancy_type"),
        terraform(
            "google_compute_interconnect_attachment",
            "interconnect_attachment",
            service="Cloud Interconnect",
            router="router",
            domain="edge_availability_domain",
            type="type",
        ),
    ),
)

RESOLVER_ENDPOINTS = Family(
    "DNS resolver endpoint",
    (
        terraform(
            "aws_route53_resolver_endpoint",
            "resolver_endpoint",
            service="Route 53 Resolver",
            ip_addresses="ip_address",
            subnet="subnet_id",
            outpost="outpost_arn",
        ),
        cloudformation(
            "AWS::Route53Resolver::ResolverEndpoint",
            "resolver_endpoint",
            service="Route 53 Resolver",
            ip_addresses="IpAddresses",
            subnet="SubnetId",
            outpost="OutpostArn",
        ),
    ),
)
