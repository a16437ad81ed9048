"""RES304 and RES305 on Azure platforms: App Service plans that do not balance over zones
(notes), Application Gateways with one instance and no zones."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def _findings(path: Path, rule_id: str) -> list[Finding]:
    return [f for f in scan([path], Settings(select=(rule_id,)), ParseOptions()).findings if f.rule_id == rule_id]


def test_zone_capable_app_service_plans_without_zone_balancing_are_notes() -> None:
    findings = _findings(FIXTURES / "single_az_compute" / "fail_app_service_plan_not_zone_balanced", "RES304")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("azurerm_service_plan.web", 5, "note"),
        ("azurerm_service_plan.functions", 14, "note"),
        ("azurerm_app_service_plan.legacy", 24, "note"),
    ]
    assert findings[0].message.startswith(
        "azurerm_service_plan.web (P1v3) does not spread its instances over availability zones "
        "(zone_balancing_enabled is not set; the default is false)"
    )
    assert findings[1].fix == (
        "Set zone_balancing_enabled = true with worker_count of at least 2 (a multiple of the region's zones "
        "spreads them evenly)"
    )
    assert findings[2].message.startswith(
        "azurerm_app_service_plan.legacy (P1v2) does not spread its instances over availability zones "
        "(zone_redundant is not set; the default is false)"
    )
    assert findings[2].fix == (
        "Set zone_redundant = true with sku.capacity of at least 2 (a multiple of the region's zones spreads them evenly)"
    )
    assert _findings(FIXTURES / "single_az_compute" / "pass_app_service_plan_zone_balanced", "RES304") == []


def test_application_gateways_with_one_instance_and_no_zones() -> None:
    findings = _findings(FIXTURES / "single_az_load_balancer" / "fail_application_gateway_one_instance", "RES305")
    assert [(f.resource, f.line) for f in findings] == [
        ("azurerm_application_gateway.v2_one", 5),
        ("azurerm_application_gateway.v1_one", 60),
        ("azurerm_application_gateway.autoscale_one", 115),
    ]
    assert "with one instance (sku.capacity = 1) and no zones" in findings[0].message
    assert findings[1].message.startswith(
        "azurerm_application_gateway.v1_one is a v1 application gateway (Standard_Small) with one instance"
    )
    assert "(autoscale_configuration.max_capacity = 1)" in findings[2].message
    passing = FIXTURES / "single_az_load_balancer" / "pass_application_gateway_instances"
    assert _findings(passing, "RES305") == []
