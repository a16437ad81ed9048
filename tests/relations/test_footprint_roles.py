"""Roles of resources that only support a workload (issue 13 corpus false positives FP-6, FP-11)."""

from __future__ import annotations

import pytest

from resilint.model import Location, Resource
from resilint.relations.footprint import role


def _resource(type_: str) -> Resource:
    return Resource(
        source="terraform", type=type_, address=f"{type_}.x", unit="u", provider="p", cloud="azure",
        location=Location(path="main.tf", line=1, end_line=1),
    )


@pytest.mark.parametrize(
    "type_",
    [
        "azurerm_express_route_circuit",
        "azurerm_express_route_circuit_peering",
        "azurerm_private_dns_resolver",
        "azurerm_private_dns_resolver_inbound_endpoint",
        "azurerm_ip_group",
        "azurerm_firewall_policy",
        "azurerm_firewall_policy_rule_collection_group",
        "Custom::GetFromJson",
        "AWS::CloudFormation::CustomResource",
    ],
)
def test_networking_and_deploy_time_plumbing_is_support(type_: str) -> None:
    assert role(_resource(type_)) == "support"


def test_a_workload_is_not_support() -> None:
    assert role(_resource("azurerm_linux_web_app")) != "support"
