"""Messaging namespaces and their geo-disaster-recovery pairings: Azure Service Bus and Event
Hubs.

Kinds of `MESSAGING`: `servicebus_namespace`, `eventhub_namespace` (roles `sku`, `name`),
`servicebus_pairing` (roles `primary`, the primary namespace's ID, and `partner`),
`eventhub_pairing` (roles `primary_name`, the primary namespace's name, and `partner`).
"""

from __future__ import annotations

from resilint.families.base import Family, terraform

MESSAGING = Family(
    "messaging namespace",
    (
        terraform(
            "azurerm_servicebus_namespace",
            "servicebus_namespace",
            service="Service Bus",
            words={
                "pairing_type": "azurerm_servicebus_namespace_disaster_recovery_config",
                "tier": "Premium",
            },
            sku="sku",
            name="name",
        ),
        terraform(
            "azurerm_eventhub_namespace",
            "eventhub_namespace",
            service="Event Hubs",
            words={
                "pairing_type": "azurerm_eventhub_namespace_disaster_recovery_config",
                "tier": "Standard",
            },
            sku="sku",
            name="name",
        ),
        terraform(
            "azurerm_servicebus_namespace_disaster_recovery_config",
            "servicebus_pairing",
            primary="primary_namespace_id",
            partner="partner_namespace_id",
        ),
        terraform(
            "azurerm_eventhub_namespace_disaster_recovery_config",
            "eventhub_pairing",
            primary_name="namespace_name",
            partner="partner_namespace_id",
        ),
    ),
)
