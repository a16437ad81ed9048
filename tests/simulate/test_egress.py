"""NAT egress in the graph: private compute reaches out through the NAT gateway its subnets'
route tables name, and goes down with that gateway's zone."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, entry, simulated

SUBNETS = """
resource "aws_subnet" "public_a" {
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "public_b" {
  availability_zone = "us-east-1b"
}

resource "aws_subnet" "a" {
  availability_zone = "us-east-1a"
}

resource "aws_subnet" "b" {
  availability_zone = "us-east-1b"
}

resource "aws_autoscaling_group" "web" {
  vpc_zone_identifier = [aws_subnet.a.id, aws_subnet.b.id]
}
"""


def _nat(name: str, subnet: str, extra: str = "") -> str:
    return f'resource "aws_nat_gateway" "{name}" {{\n  subnet_id = {subnet}\n{extra}}}\n\n'


def _routes(table: str, gateway: str, *subnets: str) -> str:
    text = f'resource "aws_route_table" "{table}" {{\n  route {{\n    cidr_block     = "0.0.0.0/0"\n    nat_gateway_id = {gateway}.id\n  }}\n}}\n\n'
    for subnet in subnets:
        text += (
            f'resource "aws_route_table_association" "{subnet}" {{\n  subnet_id      = aws_subnet.{subnet}.id\n'
            f"  route_table_id = aws_route_table.{table}.id\n}}\n\n"
        )
    return text


ONE_NAT = EAST + SUBNETS + _nat("a", "aws_subnet.public_a.id") + _routes("private", "aws_nat_gateway.a", "a", "b")
NAT_PER_ZONE = (
    EAST
    + SUBNETS
    + _nat("a", "aws_subnet.public_a.id")
    + _nat("b", "aws_subnet.public_b.id")
    + _routes("private_a", "aws_nat_gateway.a", "a")
    + _routes("private_b", "aws_nat_gateway.b", "b")
)
GROUP = "aws_autoscaling_group.web"


def test_one_nat_gateway_takes_the_other_zones_down_with_its_zone(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": ONE_NAT}, "aws:us-east-1a"), GROUP)
    assert status.state == "down"
    assert status.because == (
        "aws_autoscaling_group.web (us-east-1) → aws_subnet.b egress (us-east-1) → aws_nat_gateway.a (us-east-1) → "
        "down: zone us-east-1a failed"
    )
    # the zone without the gateway only takes its own share
    assert entry(simulated(tmp_path, {"main.tf": ONE_NAT}, "aws:us-east-1b"), GROUP).state == "degraded"
    assert entry(simulated(tmp_path, {"main.tf": ONE_NAT}, "aws:us-east-1c"), GROUP).state == "up"


def test_a_nat_gateway_per_zone_loses_one_zone_only(tmp_path: Path) -> None:
    status = entry(simulated(tmp_path, {"main.tf": NAT_PER_ZONE}, "aws:us-east-1a"), GROUP)
    assert status.state == "degraded"
    assert "it loses that zone's capacity and runs on in the others" in status.because


def test_a_regional_nat_gateway_survives_a_zone(tmp_path: Path) -> None:
    files = {"main.tf": ONE_NAT.replace("  subnet_id = aws_subnet.public_a.id\n", '  subnet_id = aws_subnet.public_a.id\n  availability_mode = "regional"\n')}
    assert entry(simulated(tmp_path, files, "aws:us-east-1a"), GROUP).state == "degraded"


def test_a_nat_gateway_in_an_unknown_zone_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": ONE_NAT.replace("subnet_id = aws_subnet.public_a.id", 'subnet_id = "subnet-0abc"')}
    status = entry(simulated(tmp_path, files, "aws:us-east-1b"), GROUP)
    assert status.state == "unknown"
    assert "the zone it is created in is not known" in status.because


def test_subnets_without_routes_in_the_code_need_no_gateway(tmp_path: Path) -> None:
    assert entry(simulated(tmp_path, {"main.tf": EAST + SUBNETS}, "aws:us-east-1a"), GROUP).state == "degraded"


def test_an_azure_nat_gateway_in_one_zone_takes_its_subnets_workloads_down(tmp_path: Path) -> None:
    files = {
        "main.tf": """
resource "azurerm_subnet" "app" {
  name = "app"
}

resource "azurerm_nat_gateway" "egress" {
  name     = "egress"
  location = "westeurope"
  zones    = ["1"]
}

resource "azurerm_subnet_nat_gateway_association" "app" {
  subnet_id      = azurerm_subnet.app.id
  nat_gateway_id = azurerm_nat_gateway.egress.id
}

resource "azurerm_linux_virtual_machine_scale_set" "web" {
  name     = "web"
  location = "westeurope"
  zones    = ["1", "2", "3"]
  network_interface {
    name = "nic"
    ip_configuration {
      name      = "internal"
      subnet_id = azurerm_subnet.app.id
    }
  }
}
"""
    }
    web = "azurerm_linux_virtual_machine_scale_set.web"
    status = entry(simulated(tmp_path, files, "azure:westeurope-1"), web)
    assert status.state == "down"
    assert status.because.endswith("azurerm_nat_gateway.egress (westeurope) → down: zone 1 failed")
    assert entry(simulated(tmp_path, files, "azure:westeurope-2"), web).state == "degraded"


def test_a_share_down_with_the_rest_unknown_is_unknown(tmp_path: Path) -> None:
    # subnets a and b send egress through the gateway in zone a; subnet c through a gateway whose
    # zone is not known: losing zone a takes a and b, and c may or may not go with them
    third = (
        'resource "aws_subnet" "c" {\n  availability_zone = "us-east-1c"\n}\n\n'
        + _nat("elsewhere", '"subnet-0abc"')
        + _routes("private_c", "aws_nat_gateway.elsewhere", "c")
    )
    files = {"main.tf": ONE_NAT.replace("[aws_subnet.a.id, aws_subnet.b.id]", "[aws_subnet.a.id, aws_subnet.b.id, aws_subnet.c.id]") + third}
    status = entry(simulated(tmp_path, files, "aws:us-east-1a"), GROUP)
    assert status.state == "unknown"
    assert status.because == (
        "aws_autoscaling_group.web (us-east-1) → aws_subnet.b egress (us-east-1) → aws_nat_gateway.a (us-east-1) → unknown: "
        "zone us-east-1a failed; whether aws_subnet.c egress carries on is not known "
        "(aws_nat_gateway.elsewhere (us-east-1): the zone it is created in is not known)"
    )
