"""Azure storage accounts (replication type, object replication, diagnostics) and Cosmos DB accounts."""

from __future__ import annotations

from typing import Any

from resilint.arguments import block_instances, is_set_or_computed, nested
from resilint.model import Resource, Unknown
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.store import WEBSITE_PURPOSE, Copy, Store

_AZURE_GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})


def _is_azapi_flow_log(value: Any) -> bool:
    """`Microsoft.Network/networkWatchers/flowLogs@2023-09-01`: an azapi flow log."""
    return isinstance(value, str) and value.split("@", 1)[0].strip().lower() == "microsoft.network/networkwatchers/flowlogs"


def _azapi_storage_id(body: Any) -> Any:
    """The storage account a flow log written through azapi sends to: `body.properties.storageId`
    (an object in azapi 2, a `jsonencode` string in azapi 1: then the whole body, whose only
    storage account reference is that one)."""
    if isinstance(body, dict):
        return nested(body, "properties", "storageId")
    return body if isinstance(body, Unknown) else None


def build(builder: StoreBuilder) -> None:
    accounts: dict[str, Store] = {}
    for account in builder.unit.of_type("azurerm_storage_account"):
        store = accounts[account.address] = builder.add(account, "storage account")
        kind = account.attributes.get("account_replication_type")
        if isinstance(kind, Unknown):
            store.undecided = "its account_replication_type is not known"
        elif isinstance(kind, str) and kind.upper() in _AZURE_GEO_REDUNDANT:
            store.copies.append(Copy(region=None, via=f"account_replication_type = {kind} (the paired region)"))
    unattributed: list[str] = []
    for replication in builder.unit.of_type("azurerm_storage_object_replication"):
        source = builder.targets(replication.attributes.get("source_storage_account_id"), ("azurerm_storage_account",))
        target = builder.targets(replication.attributes.get("destination_storage_account_id"), ("azurerm_storage_account",))
        if not source:
            unattributed.append(replication.address)
            continue
        for account in source:
            store = accounts[account.address]
            if target:
                for destination in target:
                    accounts[destination.address].replica_of = account.address
                    builder.link(store, destination, replication.address)
            else:
                store.copies.append(Copy(region=None, via=replication.address))
    builder.undecide_unlinked(accounts.values(), unattributed, "object replication")
    azure_purposes(builder, accounts)
    for account in builder.unit.of_type("azurerm_cosmosdb_account"):
        store = builder.add(account, "Cosmos DB account")
        locations = block_instances(account.attributes.get("geo_location"))
        if isinstance(locations, Unknown):
            store.undecided = "its geo_location blocks are not known"
            continue
        names: set[str] = set()
        for location in locations:
            name = nested(location, "location")
            if not isinstance(name, str):
                store.undecided = "a geo_location is not known"
                break
            names.add(name.replace(" ", "").lower())
        own = store.region if isinstance(store.region, str) else None
        for name in sorted(names - ({own} if own else set())):
            store.copies.append(Copy(region=name, via="geo_location"))
        if own is None and len(names) >= 2:
            store.copies.append(Copy(region=None, via="geo_location"))

def azure_purposes(builder: StoreBuilder, accounts: dict[str, Store]) -> None:
    """Storage accounts that receive diagnostics or flow logs, run a function app, or stage
    Site Recovery's replication (its cache account)."""
    if not accounts:  # no storage account of the unit to give a purpose to (most units)
        return
    uses = {
        "azurerm_monitor_diagnostic_setting": ("storage_account_id", "receives the diagnostic logs of {}"),
        "azurerm_network_watcher_flow_log": ("storage_account_id", "receives the flow logs of {}"),
        "azurerm_linux_function_app": ("storage_account_name", "holds the runtime files of {}"),
        "azurerm_windows_function_app": ("storage_account_name", "holds the runtime files of {}"),
        "azurerm_function_app": ("storage_account_name", "holds the runtime files of {}"),
        # `"${azurerm_storage_account.x.primary_blob_endpoint}${azurerm_storage_container.y.name}"`
        "azurerm_function_app_flex_consumption": ("storage_container_endpoint", "holds the runtime files of {}"),
    }
    function_apps = ("azurerm_linux_function_app", "azurerm_windows_function_app", "azurerm_function_app")
    names = builder.by_name(("azurerm_storage_account",), lambda r: r.attributes.get("name"))

    def accounts_named(value: Any) -> list[Resource]:
        found = builder.targets(value, ("azurerm_storage_account",))
        if found is None and isinstance(value, str):
            found = names.get(value)  # storage_account_name = azurerm_storage_account.x.name
        return found or []

    def give(account: Resource, purpose: str) -> None:
        # Another unit's account (a diagnostic setting writing to a shared root's account
        # through a remote state): judged in its own unit, not here.
        store = accounts.get(account.address)
        if store is not None:
            store.purpose = store.purpose or purpose

    for resource in builder.unit.resources:
        address = resource.address
        if resource.type in uses:
            key, text = uses[resource.type]
            for account in accounts_named(resource.attributes.get(key)):
                give(account, text.format(address))
        if resource.type in function_apps:
            # The account's connection string kept in a Key Vault secret that the app reads.
            for secret in builder.targets(resource.attributes.get("storage_key_vault_secret_id"), ("azurerm_key_vault_secret",)) or []:
                for account in builder.targets(secret.attributes.get("value"), ("azurerm_storage_account",)) or []:
                    give(account, f"holds the runtime files of {address}")
        # FP-9: a static website is content deployed from source, like an S3 website bucket.
        if resource.type == "azurerm_storage_account" and is_set_or_computed(block_instances(resource.attributes.get("static_website"))) is True:
            give(resource, WEBSITE_PURPOSE)
        elif resource.type == "azurerm_storage_account_static_website":
            for account in builder.targets(resource.attributes.get("storage_account_id"), ("azurerm_storage_account",)) or []:
                give(account, f"{WEBSITE_PURPOSE} ({address})")
        elif resource.type == "azapi_resource" and _is_azapi_flow_log(resource.attributes.get("type")):
            for account in builder.targets(_azapi_storage_id(resource.attributes.get("body")), ("azurerm_storage_account",)) or []:
                give(account, f"receives the flow logs of {address}")
        if resource.type == "azurerm_site_recovery_replicated_vm":
            # The cache account Site Recovery stages a VM's disk changes in on their way to the
            # target region: the replication's plumbing, not data of its own.
            for reference in resource.references:
                if reference.path.endswith("staging_storage_account_id"):
                    for account in builder.unit.resolve(reference.target):
                        give(account, f"stages the Site Recovery replication of {address}")
        diagnostics = block_instances(resource.attributes.get("boot_diagnostics"))
        if isinstance(diagnostics, list):
            for block in diagnostics:
                uri = nested(block, "storage_account_uri")
                for account in builder.targets(uri, ("azurerm_storage_account",)) or []:
                    give(account, f"receives the boot diagnostics of {address}")
