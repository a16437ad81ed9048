"""Health-checked routing over endpoints in several regions: AWS Global Accelerator (listeners,
endpoint groups, endpoints) and Azure Traffic Manager (priority and other routing methods)."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, entry, simulated
from tests.simulate.test_semantics import SUBNETS, _lb

ACCELERATOR = """
resource "aws_globalaccelerator_accelerator" "web" {
  name = "web"
}

resource "aws_globalaccelerator_listener" "web" {
  accelerator_arn = aws_globalaccelerator_accelerator.web.id
  protocol        = "TCP"
  port_range {
    from_port = 443
    to_port   = 443
  }
}

resource "aws_globalaccelerator_endpoint_group" "east" {
  listener_arn          = aws_globalaccelerator_listener.web.id
  endpoint_group_region = "us-east-1"
  endpoint_configuration {
    endpoint_id = aws_lb.web.arn
  }
}

resource "aws_globalaccelerator_endpoint_group" "west" {
  listener_arn          = aws_globalaccelerator_listener.web.id
  endpoint_group_region = "us-west-2"
  endpoint_configuration {
    endpoint_id = aws_lb.standby.arn
  }
}
"""
GA = "aws_globalaccelerator_accelerator.web"


def test_global_accelerator_moves_traffic_to_the_surviving_region(tmp_path: Path) -> None:
    files = {"main.tf": EAST + SUBNETS + _lb("web") + _lb("standby", "west", '["subnet-1"]') + ACCELERATOR}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), GA)
    assert status.state == "degraded"
    assert status.because == (
        "aws_globalaccelerator_accelerator.web → aws_lb.standby (us-west-2) → degraded: traffic moves away from aws_lb.web "
        "(region us-east-1 failed) through Global Accelerator health checks"
    )
    assert entry(simulated(tmp_path, files, "aws:global-accelerator"), GA).state == "down"


def test_global_accelerator_with_one_region_goes_down_with_it(tmp_path: Path) -> None:
    one = ACCELERATOR[: ACCELERATOR.index('resource "aws_globalaccelerator_endpoint_group" "west"')]
    files = {"main.tf": EAST + SUBNETS + _lb("web") + one}
    assert entry(simulated(tmp_path, files, "aws:us-east-1"), GA).state == "down"


TRAFFIC_MANAGER = """
resource "azurerm_linux_web_app" "east" {
  name     = "east"
  location = "eastus"
}

resource "azurerm_linux_web_app" "west" {
  name     = "west"
  location = "westus"
}

resource "azurerm_traffic_manager_profile" "web" {
  name                   = "web"
  traffic_routing_method = "%s"
  monitor_config {
    protocol = "HTTPS"
    port     = 443
    path     = "/health"
  }
}

resource "azurerm_traffic_manager_azure_endpoint" "east" {
  name               = "east"
  profile_id         = azurerm_traffic_manager_profile.web.id
  target_resource_id = azurerm_linux_web_app.east.id
  priority           = 1
}

resource "azurerm_traffic_manager_azure_endpoint" "west" {
  name               = "west"
  profile_id         = azurerm_traffic_manager_profile.web.id
  target_resource_id = azurerm_linux_web_app.west.id
  priority           = 2
}
"""
TM = "azurerm_traffic_manager_profile.web"


def test_traffic_manager_priority_routing_fails_over(tmp_path: Path) -> None:
    files = {"main.tf": TRAFFIC_MANAGER % "Priority"}
    status = entry(simulated(tmp_path, files, "azure:eastus"), TM)
    assert status.state == "degraded"
    assert "fails over from azurerm_linux_web_app.east (region eastus failed) through Traffic Manager priorities" in status.because
    assert "its standby is down" in entry(simulated(tmp_path, files, "azure:westus"), TM).because


def test_traffic_manager_performance_routing_moves_traffic(tmp_path: Path) -> None:
    files = {"main.tf": TRAFFIC_MANAGER % "Performance"}
    status = entry(simulated(tmp_path, files, "azure:westus"), TM)
    assert status.state == "degraded"
    assert "traffic moves away from azurerm_linux_web_app.west (region westus failed) through Traffic Manager health checks" in status.because
    assert entry(simulated(tmp_path, files, "azure:traffic-manager"), TM).state == "down"
