"""RES314 hybrid-link-without-redundancy: single VPN connections and customer gateways, Direct
Connect over one connection or location, active-standby Azure VPN gateways, ExpressRoute over one
circuit, Google Classic VPN, HA VPN on one interface, single-IP peers and VLAN attachments in one
edge domain; the redundant forms and unknown links that never fire."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "hybrid_link_without_redundancy"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES314",)), ParseOptions()).findings if f.rule_id == "RES314"]


def test_one_vpn_connection_names_the_gateway_and_the_customer_gateway() -> None:
    (finding,) = _findings(FIXTURES / "fail_one_vpn_connection")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_vpn_connection.office", 15, "warning")
    assert finding.message == (
        "aws_vpn_connection.office is the only Site-to-Site VPN connection to aws_vpn_gateway.main (vpn_gateway_id), "
        "from one customer gateway (aws_customer_gateway.office): its two tunnels protect only the AWS side, so when "
        "that customer device or its line fails, the link to the data centre is down"
    )
    assert finding.fix is not None and finding.fix.startswith("Add a second aws_vpn_connection")


def test_two_connections_from_one_customer_gateway_are_one_link() -> None:
    (finding,) = _findings(FIXTURES / "fail_two_connections_one_customer_gateway")
    assert (finding.resource, finding.line) == ("aws_vpn_connection.office_a", 14)
    assert finding.message.startswith(
        "aws_vpn_connection.office_a and aws_vpn_connection.office_b connect aws_ec2_transit_gateway.hub "
        "(transit_gateway_id), from one customer gateway (aws_customer_gateway.office)"
    )


def test_cloudformation_vpn_connection() -> None:
    (finding,) = _findings(FIXTURES / "fail_cfn_one_vpn_connection")
    assert (finding.resource, finding.line) == ("OfficeVpn", 13)
    assert "to Gateway (VpnGatewayId), from one customer gateway (Office)" in finding.message
    assert finding.fix is not None and "AWS::EC2::CustomerGateway" in finding.fix


def test_direct_connect_at_one_location_warns_and_with_a_vpn_backup_is_a_note() -> None:
    findings = _findings(FIXTURES / "fail_direct_connect_one_location")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_dx_connection.primary", 10, "warning"),
        ("aws_dx_connection.legacy", 46, "note"),
    ]
    assert findings[0].message.startswith(
        "aws_dx_gateway.main reaches the data centre through Direct Connect only over connections at one location "
        '(aws_dx_connection.primary, aws_dx_connection.secondary, location = "EqLD5")'
    )
    assert findings[1].message.endswith("traffic falls back to the VPN, at VPN bandwidth")


def test_azure_active_standby_gateway_and_single_express_route_circuit() -> None:
    findings = _findings(FIXTURES / "fail_azure_gateways")
    assert [(f.resource, f.line) for f in findings] == [
        ("azurerm_virtual_network_gateway.vpn", 5),
        ("azurerm_express_route_circuit.london", 32),
    ]
    assert "(active_active is not set; the default is false)" in findings[0].message
    assert findings[1].message.startswith(
        "azurerm_virtual_network_gateway.er reaches the data centre over ExpressRoute through one circuit "
        "(azurerm_express_route_circuit.london)"
    )


def test_the_only_classic_vpn_gateway_is_one_interface() -> None:
    (finding,) = _findings(FIXTURES / "fail_gcp_classic_vpn")
    assert (finding.resource, finding.line) == ("google_compute_vpn_gateway.classic", 11)
    assert finding.message.startswith("google_compute_vpn_gateway.classic is a Classic VPN gateway: one interface")
    assert finding.fix is not None and "google_compute_ha_vpn_gateway" in finding.fix


def test_google_classic_vpn_one_interface_single_ip_peer_and_one_edge_domain() -> None:
    findings = _findings(FIXTURES / "fail_gcp_links")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("google_compute_ha_vpn_gateway.ha", 6, "warning"),
        ("google_compute_external_vpn_gateway.office", 11, "note"),
        ("google_compute_interconnect_attachment.one", 42, "warning"),
    ]
    assert "every tunnel uses interface 0" in findings[0].message
    assert findings[2].message.startswith(
        "google_compute_interconnect_attachment.one and google_compute_interconnect_attachment.two, the Cloud "
        "Interconnect VLAN attachments in europe-west2, are all in one edge availability domain "
        '(edge_availability_domain = "AVAILABILITY_DOMAIN_1")'
    )


def test_redundant_links_and_unknown_ones_are_quiet() -> None:
    for case in (
        "pass_two_customer_gateways",
        "pass_vpn_backs_up_direct_connect",
        "pass_cfn_two_customer_gateways",
        "pass_azure_redundant",
        "pass_gcp_redundant",
        "pass_unknown_links",
        "pass_two_classic_vpn_gateways",
    ):
        assert _findings(FIXTURES / case) == [], case


def test_a_connection_counted_from_a_variable_may_be_several_links(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "n" {\n  type = number\n}\n\nresource "aws_vpn_gateway" "g" {\n  vpc_id = "vpc-1"\n}\n\n'
            'resource "aws_vpn_connection" "c" {\n  count = var.n\n  vpn_gateway_id = aws_vpn_gateway.g.id\n'
            '  customer_gateway_id = "cgw-1"\n  type = "ipsec.1"\n}\n'
        },
    )
    assert _findings(tmp_path) == []


def test_the_only_connection_of_a_unit_is_judged_whatever_its_gateway() -> None:
    (finding,) = _findings(FIXTURES / "fail_only_connection_gateway_unknown")
    assert (finding.resource, finding.line) == ("aws_vpn_connection.office", 14)
    assert finding.message.startswith(
        "aws_vpn_connection.office is the only Site-to-Site VPN connection to its gateway (vpn_gateway_id), "
        "from one customer gateway: its two tunnels protect only the AWS side"
    )
