"""RES112 messaging-without-geo-dr."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.messaging import MESSAGING
from resilint.model import Project, Unit
from resilint.relations.protection import paired_namespaces
from resilint.rule import Severity, Violation, rule
from resilint.values import as_str


@rule(
    id="RES112",
    name="messaging-without-geo-dr",
    severity=Severity.NOTE,
    summary="Messaging namespace without geo-disaster recovery",
    fix="Pair the namespace with one in another region (geo-disaster recovery alias)",
    tags=("region", "messaging", "azure"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes Azure Service Bus and Event Hubs namespaces (`azurerm_servicebus_namespace`,
    `azurerm_eventhub_namespace`) that are in no geo-disaster-recovery pairing: neither the
    primary nor the partner of an `azurerm_servicebus_namespace_disaster_recovery_config`
    (`primary_namespace_id`, `partner_namespace_id`) or an
    `azurerm_eventhub_namespace_disaster_recovery_config` (`namespace_name`,
    `partner_namespace_id`).

    Pairings count across the units of a system (see `resilint systems`): a DR root that
    creates the partner namespace and the pairing, naming the primary root's namespace through
    its remote state (or either namespace by its ARM id), pairs the namespaces of both roots.
    A pairing whose primary cannot be resolved may concern any namespace of its kind in the
    system: none of them is noted. Namespaces whose `count` or `for_each` is not known are
    skipped.

    It is a note: many queues carry work that can be retried or rebuilt, and a pairing
    replicates metadata (queues, topics, subscriptions), not the messages themselves. AWS
    queues and topics (SQS, SNS, EventBridge) have no built-in cross-region replication at
    all; RES105 judges them when a multi-region workload keeps them in one region. Google
    Cloud Pub/Sub is a global service.

    ## Why is this bad?
    A namespace is regional. When its region fails, producers cannot send and consumers
    cannot receive until it comes back. With a geo-DR pairing, the alias's connection string
    can be failed over to the secondary namespace in another region, and clients keep working
    without changing configuration.

    ## Example
    ```hcl
    resource "azurerm_servicebus_namespace" "orders" {
      name                = "orders-bus"
      location            = "westeurope"
      resource_group_name = "shop"
      sku                 = "Premium"
      capacity            = 1
    }
    ```

    Use instead:
    ```hcl
    resource "azurerm_servicebus_namespace" "orders_dr" {
      name                = "orders-bus-dr"
      location            = "northeurope"
      resource_group_name = "shop-dr"
      sku                 = "Premium"
      capacity            = 1
    }

    resource "azurerm_servicebus_namespace_disaster_recovery_config" "orders" {
      name                 = "orders-bus-alias"
      primary_namespace_id = azurerm_servicebus_namespace.orders.id
      partner_namespace_id = azurerm_servicebus_namespace.orders_dr.id
    }
    ```

    ## References
    - https://learn.microsoft.com/en-us/azure/service-bus-messaging/service-bus-geo-dr
    - https://learn.microsoft.com/en-us/azure/event-hubs/event-hubs-geo-dr
    """
    pairings = paired_namespaces(unit, project)
    for namespace in MESSAGING.members(unit, "servicebus_namespace", "eventhub_namespace"):
        if namespace.resource.count_unknown or pairings.covers(namespace):
            continue
        region = namespace.resource.region
        where = region if isinstance(region, str) else "its region"
        tier = namespace.word("tier")
        sku = as_str(namespace.value("sku"))
        below_tier = sku is not None and (sku.lower() == "basic" or (tier == "Premium" and sku.lower() != "premium"))
        above = "" if tier == "Premium" else " or above"
        needs_tier = f" (geo-disaster recovery needs the {tier} tier{above}; this one is {sku})" if below_tier else ""
        yield Violation(
            f"{namespace.address} ({namespace.service} namespace in {where}) has no geo-disaster-recovery pairing: "
            f"when {where} fails, producers and consumers have no namespace to fail over to{needs_tier}",
            at=namespace.resource,
            fix=f"Create a namespace in another region and pair the two with an {namespace.word('pairing_type')}; "
            "clients connect through the alias",
        )
