"""RES302 database-without-multi-az."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

from resilint.arguments import DEFAULT, as_bool, as_int, blocks, first_block, is_set
from resilint.families.base import Member
from resilint.families.databases import CACHES, DATABASES, may_be_replica
from resilint.model import Project, Resource, Unit
from resilint.relations.databases import cluster_members, reader_scaling
from resilint.rule import Severity, Violation, in_each_copy, rule
from resilint.values import provenance


@rule(
    id="RES302",
    name="database-without-multi-az",
    severity=Severity.WARNING,
    summary="A primary database runs without a standby in another zone",
    fix="Run a standby in a second availability zone (multi_az = true / MultiAZ: true)",
    tags=("az", "database"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a primary database or cache that has no standby in another availability zone:

    - AWS RDS: an `aws_db_instance` / `AWS::RDS::DBInstance` whose `multi_az` / `MultiAZ` is
      false or not set.
    - Aurora, DocumentDB and Neptune: a cluster (`aws_rds_cluster`, `aws_docdb_cluster`,
      `aws_neptune_cluster`, `AWS::RDS::DBCluster`...) with a single instance
      (`aws_rds_cluster_instance` and the others, or `DBInstance`s, that name the cluster in
      `cluster_identifier` / `DBClusterIdentifier`; `count` and `for_each` expanded). When all
      of a cluster's instances are pinned to the same `availability_zone`, a note.
    - ElastiCache: a replication group (`aws_elasticache_replication_group`,
      `AWS::ElastiCache::ReplicationGroup`) with automatic failover disabled (the default) or
      without replicas (`replicas_per_node_group = 0`), and a standalone Redis or Valkey cache
      cluster (`aws_elasticache_cluster` without `replication_group_id`,
      `AWS::ElastiCache::CacheCluster`). MemoryDB clusters with `num_replicas_per_shard = 0`.
    - Azure: a PostgreSQL or MySQL flexible server without a `high_availability` block (with
      `mode = "SameZone"`, a note: the standby shares the zone); an Azure SQL database
      (`azurerm_mssql_database`, or the older `azurerm_sql_database`) or elastic pool whose
      service tier supports zone redundancy (Premium, General Purpose, Business Critical,
      Hyperscale) but `zone_redundant` is not true; a Basic tier Azure Cache for Redis.
    - Google Cloud: a Cloud SQL instance whose `settings.availability_type` is not `REGIONAL`
      (the default is `ZONAL`), an AlloyDB primary with `availability_type = "ZONAL"`, a
      Memorystore Redis instance in the `BASIC` tier (the default).

    Exempt: read replicas (`replicate_source_db`, `SourceDBInstanceIdentifier`, a Cloud SQL
    `master_instance_name`, a flexible server with `create_mode = "Replica"`, SQL secondaries),
    secondary clusters of a global database and cross-region replica clusters, members of an
    elastic pool (the pool is judged), Multi-AZ DB clusters (`aws_rds_cluster` with a MySQL or
    PostgreSQL engine: three instances by design), Aurora Serverless v1 (`engine_mode =
    "serverless"`: it has no instances to add and AWS recreates its capacity in another zone by
    itself; it is retired) and Aurora Limitless. Aurora Serverless v2 instances
    (`db.serverless`) count like any other instance. A cluster whose instances the unit does
    not all show (created elsewhere, a count that is not known) is not judged, nor is a value
    that cannot be resolved.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: `MultiAZ: !If [IsPrimary, true, false]` leaves the database of every other
    copy without a standby, unless the condition makes it a read replica there
    (`SourceDBInstanceIdentifier`). A finding is reported once at the template's line, ending
    with the copies it holds in (`(in the stack's copy in us-west-2)`).

    ## Why is this bad?
    A single-AZ database is down for as long as its zone is, and a zone outage or even a host
    failure means a restore from backup: minutes to hours of downtime and lost writes since the
    last backup. With a standby (RDS Multi-AZ, an Aurora reader, an ElastiCache replica with
    automatic failover, zone-redundant HA), the service fails over automatically, usually
    within a minute or two.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Concepts.AuroraHighAvailability.html
    - https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html
    - https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-high-availability
    - https://learn.microsoft.com/en-us/azure/azure-sql/database/high-availability-sla-local-zone-redundancy
    - https://cloud.google.com/sql/docs/postgres/high-availability
    - https://cloud.google.com/memorystore/docs/redis/redis-tiers
    """
    # A stack deployed to several regions: a copy's region may decide a setting
    # (`MultiAZ: !If [IsPrimary, true, false]`) or whether the database is a replica.
    yield from in_each_copy(unit, _databases)


def _databases(unit: Unit) -> Iterator[Violation]:
    members = cluster_members(unit)
    for resource in unit.resources:
        if resource.count_unknown:
            continue
        member = DATABASES.member(resource) or CACHES.member(resource)
        if member is None:
            continue
        check_one = _CHECKS.get(member.kind)
        if check_one is not None:
            yield from check_one(unit, member)
        elif resource.address in members:
            yield from _cluster(unit, member, members[resource.address].members, members[resource.address].complete)


def _off(name: str, value: Any, default: str) -> str | None:
    """How a message shows a setting that is known to be off: "multi_az = false", or "multi_az
    is not set; the default is false"; None when it is on or not known."""
    if value is DEFAULT:
        return f"{name} is not set; the default is {default}"
    if as_bool(value) is False:
        return f"{name} = false"
    return None


# RDS instances --------------------------------------------------------------------------------


def _db_instance(unit: Unit, instance: Member) -> Iterator[Violation]:
    if may_be_replica(instance):
        return  # a read replica or a cluster member (or maybe one)
    name, value = instance.setting("multi_az")
    why = _off(name, value, "false")
    if why is None:
        return
    if (source := provenance(instance.resource, name)) is not None:
        why += f": {source}"  # the value rests on a default, a value given from outside or a condition
    engine = instance.value("engine")
    multi_az = instance.assignment("multi_az", "true")
    if isinstance(engine, str) and engine.strip().lower() in ("sqlserver-ex", "sqlserver-web"):
        standard = instance.assignment("engine", '"sqlserver-se" or "sqlserver-ee"')
        fix = f"Move to SQL Server Standard or Enterprise ({standard}) and set {multi_az}: {engine} does not support Multi-AZ"
    else:
        fix = f"set {multi_az} so that RDS keeps a standby in a second availability zone"
    yield Violation(f"{instance.address} runs in one availability zone ({why})", at=instance.resource, fix=fix)


# Aurora, DocumentDB and Neptune clusters ----------------------------------------------------


def _cluster(unit: Unit, cluster: Member, members: tuple[Resource, ...], complete: bool) -> Iterator[Violation]:
    if not complete or not members or not _needs_instances(cluster):
        return
    scaling = reader_scaling(unit)
    if scaling.unknown or (cluster.address in scaling.minimum and as_int(scaling.minimum[cluster.address]) != 0):
        return  # Aurora Auto Scaling keeps readers (at least its minimum), or may
    if len(members) == 1:
        (only,) = members
        yield Violation(
            f"{cluster.address} has one instance ({only.address}): when its availability zone fails, the "
            "cluster has no reader to promote and is down until a new instance is created",
            at=cluster.resource,
            fix=cluster.word("add_reader"),
        )
        return
    placed = [DATABASES.member(m) for m in members]
    keys = {p.argument("zone") for p in placed if p is not None}
    zones = {p.value("zone") if p is not None else None for p in placed}
    if len(zones) == 1 and len(keys) == 1:
        (zone,) = zones
        (key,) = keys
        if isinstance(zone, str) and zone:
            yield Violation(
                f'{cluster.address} has {len(members)} instances, all pinned to {zone} ({key} = "{zone}"): '
                "the reader it fails over to is in the same zone",
                at=cluster.resource,
                fix=f"Put at least one instance in another availability zone (or leave {key} unset)",
                severity=Severity.NOTE,
            )


def _or(value: Any, default: str) -> Any:
    return default if value is DEFAULT else value


def _needs_instances(cluster: Member) -> bool:
    """Whether the cluster's availability depends on the instances it has: true for a
    primary provisioned or Serverless v2 cluster; false for Aurora Serverless v1 and Limitless,
    Multi-AZ DB clusters (non-Aurora engines), and replica or global secondary clusters."""
    if cluster.kind == "aurora_cluster":
        engine = _or(cluster.setting("engine")[1], "aurora")
        if not isinstance(engine, str) or not engine.strip().lower().startswith("aurora"):
            return False  # a Multi-AZ DB cluster (mysql/postgres), or not known
        mode = _or(cluster.setting("engine_mode")[1], "provisioned")
        if not isinstance(mode, str) or mode.strip().lower() == "serverless":
            return False
        scalability = _or(cluster.setting("scalability")[1], "standard")
        if not isinstance(scalability, str) or scalability.strip().lower() == "limitless":
            return False
    if may_be_replica(cluster):
        return False  # a cross-region read replica cluster
    if cluster.may_be_set("global_cluster") and is_set(cluster.value("master_username")) is not True:
        return False  # a secondary cluster of a global database (it has no master user)
    return True


# ElastiCache and MemoryDB -------------------------------------------------------------------


def _replication_group(unit: Unit, group: Member) -> Iterator[Violation]:
    if group.may_be_set("global_group"):
        return  # a secondary of a global datastore, or maybe one
    failover_name, failover = group.setting("automatic_failover")
    why = _off(failover_name, failover, "false")
    nodes_name, nodes = group.setting("nodes")
    if why is not None:
        if as_int(nodes) == 1:
            why = f"{nodes_name} = 1: one node, no replica"
        yield Violation(
            f"{group.address} has no automatic failover ({why}): when the primary's zone fails, the cache "
            "is down until someone promotes a replica",
            at=group.resource,
            fix=(
                f"Run at least two nodes in different zones ({nodes_name} = 2 or more) and set "
                f"{failover_name} = true (and {group.assignment('multi_az', 'true')})"
            ),
        )
        return
    replicas = _replicas_per_shard(group)
    if replicas is not None:
        yield Violation(
            f"{group.address} has no replicas ({replicas}): a shard whose node fails has nothing to fail over to",
            at=group.resource,
            fix="Give every shard at least one replica in another availability zone",
        )


def _replicas_per_shard(group: Member) -> str | None:
    """How the group says it has no replicas, or None."""
    if as_int(group.value("replicas_per_shard")) == 0:
        return group.assignment("replicas_per_shard", "0")
    if group.has("legacy_shards"):
        mode = first_block(group.value("legacy_shards"))
        if mode is not None and as_int(group.value("replicas_per_shard", within=mode)) == 0:
            return f"{group.argument('legacy_shards')}.{group.argument('replicas_per_shard')} = 0"
    if group.has("shards"):
        shards = blocks(group.value("shards"))
        if shards and all(as_int(group.value("shard_replicas", within=s)) == 0 for s in shards):
            return f"every {group.argument('shards')} has {group.argument('shard_replicas')}: 0"
    return None


def _cache_node(unit: Unit, cluster: Member) -> Iterator[Violation]:
    if cluster.has("group") and cluster.may_be_set("group"):
        return  # a member of a replication group
    engine = cluster.value("engine")
    if not isinstance(engine, str) or engine.strip().lower() not in ("redis", "valkey"):
        return  # Memcached has no replicas to fail over to by design
    yield Violation(
        f"{cluster.address} is a single {engine} node with no replica: when its zone or node fails, the cache is down",
        at=cluster.resource,
        fix=f"Use an {cluster.word('group_type')} with a replica in another availability zone and automatic failover",
    )


def _memorydb_cluster(unit: Unit, cluster: Member) -> Iterator[Violation]:
    name = cluster.argument("replicas_per_shard")
    if as_int(cluster.value("replicas_per_shard")) == 0:
        yield Violation(
            f"{cluster.address} has no replicas ({name} = 0): a shard whose node fails has nothing to fail over to",
            at=cluster.resource,
            fix=f"Set {name} to 1 or more so that every shard has a replica in another availability zone",
        )


# Azure ----------------------------------------------------------------------------------------


def _flexible_server(unit: Unit, server: Member) -> Iterator[Violation]:
    mode = server.value("create_mode")
    if not (mode is None or isinstance(mode, str)) or (isinstance(mode, str) and mode.strip().lower() == "replica"):
        return  # a read replica, or maybe one
    name, value = server.setting("high_availability")
    found = [] if value is DEFAULT else blocks(value)
    sku = server.value("sku")
    tier = ""
    if isinstance(sku, str) and sku.upper().startswith("B_"):
        tier = " (high availability needs the General Purpose or Memory Optimized tier, not Burstable)"
    fix = f'Add high_availability {{ mode = "ZoneRedundant" }}{tier}'
    if found is None:
        return
    if not found:
        yield Violation(
            f"{server.address} has no standby (no high_availability block): when its zone fails, the server is down",
            at=server.resource,
            fix=fix,
        )
        return
    ha_mode = found[0].get("mode")
    if isinstance(ha_mode, str) and ha_mode.strip().lower() == "samezone":
        yield Violation(
            f'{server.address} keeps its standby in the same zone (high_availability.mode = "SameZone"): a zone '
            "outage takes both down",
            at=server.resource,
            fix='Set high_availability.mode = "ZoneRedundant" where the region has availability zones',
            severity=Severity.NOTE,
        )


_ZONE_REDUNDANT_SKU = re.compile(r"^(P\d+|GP_.+|BC_.+|HS_.+)$", re.IGNORECASE)
_ZONE_REDUNDANT_TIERS = ("premium", "generalpurpose", "businesscritical", "hyperscale")


def _mssql_database(unit: Unit, database: Member) -> Iterator[Violation]:
    if database.may_be_set("elastic_pool"):
        return  # the pool decides (its own zone_redundant)
    mode = database.value("create_mode")
    if not (mode is None or isinstance(mode, str)) or (
        isinstance(mode, str) and mode.strip().lower() in ("secondary", "onlinesecondary")
    ):
        return  # a geo-replica or a named replica
    tier = database.value("tier")
    if not isinstance(tier, str):
        return
    if database.kind == "legacy_sql_database":
        if tier.replace(" ", "").lower() not in _ZONE_REDUNDANT_TIERS:
            return
    elif not _ZONE_REDUNDANT_SKU.match(tier.strip()):
        return  # a tier without zone redundancy (Basic, Standard), or not known
    tier_text = f'{database.argument("tier")} = "{tier}"'
    why = _off(*database.setting("zone_redundant"), "false")
    if why is None:
        return
    yield Violation(
        f"{database.address} keeps its replicas in one availability zone ({why}), although its tier "
        f"({tier_text}) supports zone redundancy",
        at=database.resource,
        fix="Set zone_redundant = true so that the database's replicas spread over the region's zones",
    )


def _mssql_elastic_pool(unit: Unit, pool: Member) -> Iterator[Violation]:
    sku = first_block(pool.value("sku"))
    tier = sku.get("tier") if sku else None
    if not isinstance(tier, str) or tier.replace(" ", "").lower() not in _ZONE_REDUNDANT_TIERS:
        return
    why = _off(*pool.setting("zone_redundant"), "false")
    if why is None:
        return
    yield Violation(
        f"{pool.address} keeps the replicas of its databases in one availability zone ({why}), although its "
        f'tier ("{tier}") supports zone redundancy',
        at=pool.resource,
        fix="Set zone_redundant = true so that the pool's databases spread over the region's zones",
    )


def _redis_cache(unit: Unit, cache: Member) -> Iterator[Violation]:
    sku = cache.value("sku")
    if isinstance(sku, str) and sku.strip().lower() == "basic":
        yield Violation(
            f'{cache.address} is a single-node cache (sku_name = "{sku}"): it has no replica to fail over to',
            at=cache.resource,
            fix='Use sku_name = "Standard" or "Premium" (a replicated cache), with zones on Premium',
        )


# Google Cloud ---------------------------------------------------------------------------------


def _cloud_sql(unit: Unit, instance: Member) -> Iterator[Violation]:
    if may_be_replica(instance):
        return  # a read replica, or maybe one
    kind = instance.value("instance_type")
    if kind is not None and kind != "CLOUD_SQL_INSTANCE":
        return  # a read replica, an on-premises source, or not known
    settings = blocks(instance.value("settings"))
    if not settings:
        return
    name, value = instance.setting("availability", within=settings[0])
    if value is DEFAULT:
        why = "settings.availability_type is not set; the default is ZONAL"
    elif isinstance(value, str) and value.strip().upper() == "ZONAL":
        why = 'settings.availability_type = "ZONAL"'
    else:
        return
    yield Violation(
        f"{instance.address} runs in one zone ({why}): it has no standby to fail over to",
        at=instance.resource,
        fix='Set settings.availability_type = "REGIONAL" so that Cloud SQL keeps a standby in another zone',
    )


def _alloydb_instance(unit: Unit, instance: Member) -> Iterator[Violation]:
    if instance.value("instance_type") != "PRIMARY":
        return
    value = instance.value("availability")
    if isinstance(value, str) and value.strip().upper() == "ZONAL":
        yield Violation(
            f'{instance.address} runs in one zone (availability_type = "ZONAL"): it has no standby to fail over to',
            at=instance.resource,
            fix='Set availability_type = "REGIONAL" (the default) so that AlloyDB keeps a standby in another zone',
        )


def _memorystore(unit: Unit, instance: Member) -> Iterator[Violation]:
    name, value = instance.setting("tier")
    if value is DEFAULT:
        why = "tier is not set; the default is BASIC"
    elif isinstance(value, str) and value.strip().upper() == "BASIC":
        why = 'tier = "BASIC"'
    else:
        return
    yield Violation(
        f"{instance.address} is a standalone Redis instance ({why}): it has no replica to fail over to",
        at=instance.resource,
        fix='Set tier = "STANDARD_HA" so that Memorystore keeps a replica in another zone',
    )


_CHECKS: dict[str, Callable[[Unit, Member], Iterator[Violation]]] = {
    "db_instance": _db_instance,
    "replication_group": _replication_group,
    "cache_node": _cache_node,
    "memorydb_cluster": _memorydb_cluster,
    "flexible_server": _flexible_server,
    "sql_database": _mssql_database,
    "legacy_sql_database": _mssql_database,
    "sql_elastic_pool": _mssql_elastic_pool,
    "redis_cache": _redis_cache,
    "cloud_sql_instance": _cloud_sql,
    "alloydb_instance": _alloydb_instance,
    "memorystore_instance": _memorystore,
}
