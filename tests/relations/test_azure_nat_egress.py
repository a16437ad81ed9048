"""Azure NAT gateways (issue 13): the workloads of the subnets a NAT gateway serves, by zone."""

from __future__ import annotations

from pathlib import Path

from resilint.discover import discover
from resilint.families.network import NAT_GATEWAYS, nat_is_zonal
from resilint.model import Unit
from resilint.parsers import ParseOptions, build_project
from resilint.relations.network import NatEgress, nat_egress

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "single_nat_gateway"


def _unit(case: str) -> Unit:
    found = discover([FIXTURES / case], (), 20 << 20)
    (unit,) = build_project(found.files, found.problems, ParseOptions()).units
    return unit


def _egress(unit: Unit, address: str) -> NatEgress:
    (found,) = [e for e in nat_egress(unit) if e.gateway.address == address]
    return found


def test_workloads_of_the_subnets_a_zonal_nat_gateway_serves() -> None:
    unit = _unit("fail_azure_zonal_nat_gateway")
    egress = _egress(unit, "azurerm_nat_gateway.egress")
    assert egress.by_workload and egress.route_tables == ("azurerm_subnet.app",)
    assert egress.zone is not None and egress.zone.value == "1"
    assert [z.value for z in egress.subnets.zones] == ["1", "2", "3"]
    assert {e.label for e in egress.subnets.entries} == {
        "azurerm_linux_virtual_machine_scale_set.web",
        "azurerm_linux_virtual_machine.worker",
    }


def test_zonal_or_not() -> None:
    unit = _unit("pass_azure_nat_workloads_in_its_zone")
    zonal = {m.address: nat_is_zonal(m) for m in NAT_GATEWAYS.members(unit)}
    assert zonal == {"azurerm_nat_gateway.zone1": True, "azurerm_nat_gateway.shared": None, "azurerm_nat_gateway.batch": True}
    assert [z.value for z in _egress(unit, "azurerm_nat_gateway.zone1").subnets.zones] == ["1"]
    assert _egress(unit, "azurerm_nat_gateway.batch").subnets.entries == ()  # zones from a variable: not known
