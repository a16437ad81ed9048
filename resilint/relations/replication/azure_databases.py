"""Azure databases: PostgreSQL and MySQL flexible servers and their read replicas, SQL databases
in failover groups or copied by active geo-replicas."""

from __future__ import annotations

from typing import Any

from resilint.arguments import is_set_or_computed
from resilint.families.databases import DATABASES
from resilint.model import Resource, Unknown
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.store import Copy, Store

_SQL_SERVERS = ("azurerm_mssql_server", "azurerm_sql_server")


def build(builder: StoreBuilder) -> None:
    """Flexible servers and their replicas (`create_mode = "Replica"`, `source_server_id`);
    SQL databases in failover groups (`databases`), and active geo-replicas
    (`create_mode = "Secondary"`, `creation_source_database_id`). Geo-redundant backups of a
    flexible server restore into the paired region only as a new server: they are not a
    copy here (RES108 judges them)."""
    servers: dict[str, Store] = {}
    for server in builder.unit.of_type(*DATABASES.types_of("flexible_server")):
        member = DATABASES.member(server)
        assert member is not None
        servers[server.address] = builder.add(server, member.service)
    unattributed: list[str] = []
    for store in servers.values():
        member = DATABASES.member(store.resource)
        assert member is not None
        mode = member.value("create_mode")
        if isinstance(mode, str) and mode.lower() != "replica":
            continue
        if mode is None or (isinstance(mode, Unknown) and is_set_or_computed(member.value("source_server")) is not True):
            continue  # a primary (or possibly one: a create mode unknown without a source)
        source = member.value("source_server")
        found = builder.targets(source, DATABASES.types_of("flexible_server"))
        if isinstance(mode, Unknown):
            # Maybe a replica: never judged as a primary, never counted as a copy.
            store.replica_of = found[0].address if found else "a source server"
            continue
        store.replica_of = found[0].address if found else "a source server"
        for primary in found or []:
            if primary.address in servers and primary.address != store.address:
                builder.link(servers[primary.address], store.resource, store.address)
        if not found:
            unattributed.append(store.address)
    builder.undecide_unlinked(servers.values(), unattributed, "a flexible server replica")

    database_kinds = ("sql_database", "legacy_sql_database")
    databases: dict[str, Store] = {}
    for database in builder.unit.of_type(*DATABASES.types_of(*database_kinds)):
        store = databases[database.address] = builder.add(database, "SQL database")
        store.region = _sql_region(builder, database)
    unattributed = []
    for store in databases.values():
        member = DATABASES.member(store.resource)
        assert member is not None
        mode = member.value("create_mode")
        if not isinstance(mode, (str, Unknown)) or not member.has("source_database"):
            continue
        if isinstance(mode, str) and mode.lower() not in ("secondary", "onlinesecondary"):
            continue
        source = member.value("source_database")
        if isinstance(mode, Unknown) and is_set_or_computed(source) is not True:
            continue
        found = builder.targets(source, DATABASES.types_of(*database_kinds))
        store.replica_of = found[0].address if found else "a primary database"
        if isinstance(mode, Unknown):
            continue
        for primary in found or []:
            source_store = databases.get(primary.address)
            if source_store is None or source_store is store:
                continue
            if isinstance(source_store.region, str) and isinstance(store.region, str):
                if source_store.region == store.region:
                    source_store.same_region.append(store.address)
                else:
                    source_store.copies.append(Copy(region=store.region, via=store.address))
            else:
                source_store.undecided = source_store.undecided or f"the region of {store.address}, its geo-replica, is not known"
        if not found:
            unattributed.append(store.address)
    for group in builder.unit.of_type(*DATABASES.types_of("sql_failover_group", "legacy_sql_failover_group")):
        member = DATABASES.member(group)
        assert member is not None
        listed = member.value("databases")
        entries = listed if isinstance(listed, list) else [listed] if listed is not None else []
        for entry in entries:
            found = builder.targets(entry, DATABASES.types_of(*database_kinds))
            if not found:
                unattributed.append(group.address)
                continue
            for database in found:
                grouped = databases.get(database.address)
                if grouped is not None:
                    grouped.copies.append(Copy(region=None, via=f"failover group {group.address}"))
    builder.undecide_unlinked(databases.values(), unattributed, "a failover group or geo-replica")

def _sql_region(builder: StoreBuilder, database: Resource) -> Any:
    """A SQL database's region: its own `location` (the older resource), else its server's."""
    if isinstance(database.region, str):
        return database.region
    member = DATABASES.member(database)
    if member is None or not member.has("server"):
        return database.region
    servers = builder.targets(member.value("server"), tuple(t for t in _SQL_SERVERS))
    regions = {s.region for s in servers or [] if isinstance(s.region, str)}
    return regions.pop() if len(regions) == 1 and len(servers or []) == 1 else database.region
