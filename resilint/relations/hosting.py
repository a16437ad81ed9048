"""What lives inside a host resource: a Cloud SQL database or user in its instance, an Azure SQL
database in its server, a Cosmos DB container in its account, a storage container in its storage
account. Such a child runs where its host runs and fails with it; most have no placement of their
own in the code (no region, or the provider's region whatever the host's location).

The child is tied to its host through the reference it holds in one argument
(`instance = google_sql_database_instance.main.name`); a host the reference does not lead to (a
literal name, a variable) ties nothing.
"""

from __future__ import annotations

from resilint.model import Resource, Unit

# child type -> (the argument naming its host, the host's types)
HOSTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "google_sql_database": (("instance",), ("google_sql_database_instance",)),
    "google_sql_user": (("instance",), ("google_sql_database_instance",)),
    "google_sql_ssl_cert": (("instance",), ("google_sql_database_instance",)),
    "google_spanner_database": (("instance",), ("google_spanner_instance",)),
    "google_bigtable_table": (("instance_name",), ("google_bigtable_instance",)),
    "google_bigquery_table": (("dataset_id",), ("google_bigquery_dataset",)),
    "azurerm_mssql_database": (("server_id",), ("azurerm_mssql_server",)),
    "azurerm_sql_database": (("server_name",), ("azurerm_sql_server", "azurerm_mssql_server")),
    "azurerm_postgresql_flexible_server_database": (("server_id",), ("azurerm_postgresql_flexible_server",)),
    "azurerm_postgresql_database": (("server_name",), ("azurerm_postgresql_server",)),
    "azurerm_mysql_flexible_database": (("server_name",), ("azurerm_mysql_flexible_server",)),
    "azurerm_mysql_database": (("server_name",), ("azurerm_mysql_server",)),
    "azurerm_mariadb_database": (("server_name",), ("azurerm_mariadb_server",)),
    "azurerm_cosmosdb_sql_database": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_sql_container": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_mongo_database": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_mongo_collection": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_cassandra_keyspace": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_gremlin_database": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_cosmosdb_table": (("account_name",), ("azurerm_cosmosdb_account",)),
    "azurerm_storage_container": (("storage_account_name", "storage_account_id"), ("azurerm_storage_account",)),
    "azurerm_storage_queue": (("storage_account_name", "storage_account_id"), ("azurerm_storage_account",)),
    "azurerm_storage_table": (("storage_account_name", "storage_account_id"), ("azurerm_storage_account",)),
    "azurerm_storage_share": (("storage_account_name", "storage_account_id"), ("azurerm_storage_account",)),
    "azurerm_servicebus_queue": (("namespace_id", "namespace_name"), ("azurerm_servicebus_namespace",)),
    "azurerm_servicebus_topic": (("namespace_id", "namespace_name"), ("azurerm_servicebus_namespace",)),
    "azurerm_eventhub": (("namespace_id", "namespace_name"), ("azurerm_eventhub_namespace",)),
    "azurerm_key_vault_secret": (("key_vault_id",), ("azurerm_key_vault",)),
    "azurerm_key_vault_key": (("key_vault_id",), ("azurerm_key_vault",)),
    "azurerm_key_vault_certificate": (("key_vault_id",), ("azurerm_key_vault",)),
}


def host_of(unit: Unit, resource: Resource) -> Resource | None:
    """The resource of the unit the child lives inside, when its host argument references
    exactly one resource of a host type; None for any other resource, or when the reference does
    not lead to one host (a literal name, a variable, several candidates)."""
    entry = HOSTS.get(resource.type)
    if entry is None:
        return None
    arguments, types = entry
    found: list[Resource] = []
    for ref in resource.references:
        if ref.path.split(".", 1)[0].split("[", 1)[0] not in arguments:
            continue
        for target in unit.resolve(ref.target):
            if target.type in types and target is not resource and target not in found:
                found.append(target)
    return found[0] if len(found) == 1 else None
