"""RES112 messaging-without-geo-dr: Service Bus and Event Hubs namespaces without a pairing."""

from __future__ import annotations

import pytest

from tests.rules.datarules_helpers import findings, where


def test_unpaired_namespaces_are_notes() -> None:
    found = findings("messaging_without_geo_dr", "fail_namespaces_without_pairing", "RES112")
    assert where(found) == [
        ("azurerm_servicebus_namespace.orders", "main.tf", 5),
        ("azurerm_eventhub_namespace.telemetry", "main.tf", 12),
    ]
    assert {f.severity.value for f in found} == {"note"}
    assert found[0].message == (
        "azurerm_servicebus_namespace.orders (Service Bus namespace in westeurope) has no geo-disaster-recovery "
        "pairing: when westeurope fails, producers and consumers have no namespace to fail over to (geo-disaster "
        "recovery needs the Premium tier; this one is Standard)"
    )
    assert found[1].fix is not None and "azurerm_eventhub_namespace_disaster_recovery_config" in found[1].fix


@pytest.mark.parametrize("case", ["pass_paired_namespaces", "pass_pairing_unknown"])
def test_pairings_and_unknown_pairings_are_quiet(case: str) -> None:
    assert findings("messaging_without_geo_dr", case, "RES112") == []


def test_a_pairing_in_another_unit_of_the_system_counts() -> None:
    # The DR root pairs the primary root's namespace (through remote state) and names a
    # namespace of the primary root by its ARM id: neither root has an unpaired namespace.
    assert findings("messaging_without_geo_dr", "pass_pairing_in_dr_root", "RES112") == []
    found = findings("messaging_without_geo_dr", "fail_other_system_pairing", "RES112")
    assert where(found) == [("azurerm_servicebus_namespace.orders", "main.tf", 13)]
    assert found[0].unit.endswith("fail_other_system_pairing/primary")
