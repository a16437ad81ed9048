"""Hybrid connectivity: the links between a cloud network and the networks outside it, and the
DNS resolver endpoints that answer across them.

Kinds of `HYBRID_LINKS`:

- `vpn_connection` (AWS site-to-site VPN; roles `customer_gateway`, `vpn_gateway`,
  `transit_gateway`): one connection is two tunnels to one customer gateway device;
- `dx_connection`, `dx_lag` (Direct Connect; role `location`, the Direct Connect location);
- `dx_interface` (Direct Connect private and transit virtual interfaces; roles `connection`,
  `dx_gateway`, `vpn_gateway`): which connection carries traffic to which gateway;
- `dx_association` (a Direct Connect gateway's association; roles `dx_gateway`,
  `associated_gateway`, the transit or virtual private gateway behind it);
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

_VPN_FIX_TF = (
    "Add a second aws_vpn_connection to the same gateway from a second aws_customer_gateway (another on-premises "
    "device, ideally on another line), or a Direct Connect link with this VPN as its backup"
)
_VPN_FIX_CFN = (
    "Add a second AWS::EC2::VPNConnection to the same gateway from a second AWS::EC2::CustomerGateway (another "
    "on-premises device, ideally on another line)"
)
_DX_FIX = (
    "Add a second Direct Connect connection at a second location (AWS's high resiliency: one connection at each of "
    "two locations; maximum resiliency: two at each) with a virtual interface to the same gateway"
)
_HA_VPN_FIX = (
    "Use HA VPN (google_compute_ha_vpn_gateway) with a tunnel on each of its two interfaces "
    "(vpn_gateway_interface = 0 and 1), to two peer interfaces"
)

HYBRID_LINKS = Family(
    "hybrid link",
    (
        terraform(
            "aws_vpn_connection",
            "vpn_connection",
            service="Site-to-Site VPN",
            words={"fix": _VPN_FIX_TF},
            customer_gateway="customer_gateway_id",
            vpn_gateway="vpn_gateway_id",
            transit_gateway="transit_gateway_id",
        ),
        cloudformation(
            "AWS::EC2::VPNConnection",
            "vpn_connection",
            service="Site-to-Site VPN",
            words={"fix": _VPN_FIX_CFN},
            customer_gateway="CustomerGatewayId",
            vpn_gateway="VpnGatewayId",
            transit_gateway="TransitGatewayId",
        ),
        terraform(
            "aws_dx_connection", "dx_connection", service="Direct Connect", words={"fix": _DX_FIX}, location="location"
        ),
        terraform("aws_dx_lag", "dx_lag", service="Direct Connect", words={"fix": _DX_FIX}, location="location"),
        cloudformation(
            "AWS::DirectConnect::Connection", "dx_connection", service="Direct Connect", location="Location"
        ),
        cloudformation("AWS::DirectConnect::Lag", "dx_lag", service="Direct Connect", location="Location"),
        *(
            terraform(
                type_,
                "dx_interface",
                service="Direct Connect",
                words={"fix": _DX_FIX},
                connection="connection_id",
                dx_gateway="dx_gateway_id",
                vpn_gateway="vpn_gateway_id",
            )
            for type_ in ("aws_dx_private_virtual_interface", "aws_dx_transit_virtual_interface")
        ),
        terraform(
            "aws_dx_gateway_association",
            "dx_association",
            dx_gateway="dx_gateway_id",
            associated_gateway=("associated_gateway_id", "vpn_gateway_id"),
        ),
        terraform(
            "azurerm_virtual_network_gateway",
            "azure_gateway",
            service="VPN gateway",
            words={
                "fix": (
                    "Set active_active = true (a VpnGw1 or larger SKU, ideally a zone-redundant AZ one) with a second "
                    "ip_configuration and public IP, and connect both instances to your on-premises devices"
                )
            },
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
            words={
                "fix": (
                    "Connect the gateway to a second ExpressRoute circuit at another peering location (or use both "
                    "connections of the circuit on two on-premises routers, and a VPN as backup)"
                )
            },
            location="peering_location",
        ),
        terraform(
            "google_compute_vpn_gateway", "classic_vpn_gateway", service="Classic VPN", words={"fix": _HA_VPN_FIX}
        ),
        terraform(
            "google_compute_ha_vpn_gateway",
            "ha_vpn_gateway",
            service="HA VPN",
            words={
                "fix": "Give the gateway a tunnel on each interface (vpn_gateway_interface = 0 and 1), to two peer interfaces"
            },
        ),
        terraform("google_compute_vpn_tunnel", "vpn_tunnel", gateway="vpn_gateway", interface="vpn_gateway_interface"),
        terraform(
            "google_compute_external_vpn_gateway",
            "external_vpn_gateway",
            words={
                "fix": (
                    'Use two peer devices (redundancy_type = "TWO_IPS_REDUNDANCY", or "FOUR_IPS_REDUNDANCY" with two '
                    "HA VPN gateways)"
                )
            },
            redundancy="redundancy_type",
        ),
        terraform(
            "google_compute_interconnect_attachment",
            "interconnect_attachment",
            service="Cloud Interconnect",
            words={
                "fix": (
                    "Add a VLAN attachment in the other edge availability domain (edge_availability_domain = "
                    '"AVAILABILITY_DOMAIN_1" and "AVAILABILITY_DOMAIN_2"), as in Google\'s 99.9% topology'
                )
            },
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
