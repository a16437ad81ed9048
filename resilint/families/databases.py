"""Relational databases and caches: instances, clusters and the instances that join them,
flexible servers, SQL databases and pools, Cloud SQL, AlloyDB, ElastiCache, MemoryDB,
Memorystore and Azure Cache for Redis.

Kinds of `DATABASES`: `db_instance` (a standalone instance, or in CloudFormation possibly a
cluster member), `aurora_cluster` (RDS clusters: Aurora or a Multi-AZ DB cluster),
`docdb_cluster`, `neptune_cluster`, `cluster_instance`, `flexible_server` (with `geo_backup`, and
`source_server`, the server a replica or restore is made from), `sql_database` (with
`source_database`, the primary of an active geo-replica, and `backup_storage`), `legacy_sql_database`,
`sql_elastic_pool`, `sql_failover_group` and `legacy_sql_failover_group` (`databases`, `partner`,
`policy`, the read-write endpoint's failover policy block, and its `mode`),
`cloud_sql_instance`, `alloydb_instance`.
Kinds of `CACHES`: `replication_group`, `cache_node`, `memorydb_cluster`, `redis_cache`
(Azure), `memorystore_instance`.

Facts: `may_be_replica(member)`: the member is, or may be, a read replica or a secondary
(never judged as a primary).
"""

from __future__ import annotations

from resilint.families.base import Family, Member, cloudformation, terraform

CLUSTER_KINDS = ("aurora_cluster", "docdb_cluster", "neptune_cluster")

DATABASES = Family(
    "relational database",
    (
        terraform(
            "aws_db_instance",
            "db_instance",
            service="RDS",
            replica_source="replicate_source_db",
            multi_az="multi_az",
            engine="engine",
            zone="availability_zone",
        ),
        cloudformation(
            "AWS::RDS::DBInstance",
            "db_instance",
            service="RDS",
            replica_source=("SourceDBInstanceIdentifier", "SourceDBClusterIdentifier", "DBClusterIdentifier"),
            multi_az="MultiAZ",
            engine="Engine",
            zone="AvailabilityZone",
            cluster="DBClusterIdentifier",
        ),
        *(
            spelling
            for tf_cluster, tf_instance, cfn_cluster, cfn_instance, kind in (
                ("aws_rds_cluster", "aws_rds_cluster_instance", "AWS::RDS::DBCluster", "AWS::RDS::DBInstance", "aurora_cluster"),
                ("aws_docdb_cluster", "aws_docdb_cluster_instance", "AWS::DocDB::DBCluster", "AWS::DocDB::DBInstance", "docdb_cluster"),
                ("aws_neptune_cluster", "aws_neptune_cluster_instance", "AWS::Neptune::DBCluster", "AWS::Neptune::DBInstance", "neptune_cluster"),
            )
            for spelling in (
                terraform(
                    tf_cluster,
                    kind,
                    words={
                        "instance_type": tf_instance,
                        "add_reader": f"Add a second {tf_instance} (a reader in another availability zone) that the cluster can promote",
                    },
                    identifier="cluster_identifier",
                    engine="engine",
                    engine_mode="engine_mode",
                    scalability="cluster_scalability_type",
                    replica_source="replication_source_identifier",
                    global_cluster="global_cluster_identifier",
                    master_username="master_username",
                ),
                cloudformation(
                    cfn_cluster,
                    kind,
                    words={
                        "instance_type": cfn_instance,
                        "add_reader": f"Add a second {cfn_instance} with DBClusterIdentifier set to this cluster (a reader in another zone)",
                    },
                    identifier="DBClusterIdentifier",
                    engine="Engine",
                    engine_mode="EngineMode",
                    scalability="ClusterScalabilityType",
                    replica_source="ReplicationSourceIdentifier",
                    global_cluster="GlobalClusterIdentifier",
                    master_username="MasterUsername",
                ),
                terraform(tf_instance, "cluster_instance", cluster="cluster_identifier", zone="availability_zone"),
            )
        ),
        cloudformation("AWS::DocDB::DBInstance", "cluster_instance", cluster="DBClusterIdentifier", zone="AvailabilityZone"),
        cloudformation("AWS::Neptune::DBInstance", "cluster_instance", cluster="DBClusterIdentifier", zone="AvailabilityZone"),
        *(
            terraform(
                t,
                "flexible_server",
                service=service,
                create_mode="create_mode",
                high_availability="high_availability",
                sku="sku_name",
                geo_backup="geo_redundant_backup_enabled",
                source_server="source_server_id",
            )
            for t, service in (
                ("azurerm_postgresql_flexible_server", "PostgreSQL flexible server"),
                ("azurerm_mysql_flexible_server", "MySQL flexible server"),
            )
        ),
        terraform(
            "azurerm_mssql_database",
            "sql_database",
            elastic_pool="elastic_pool_id",
            create_mode="create_mode",
            tier="sku_name",
            zone_redundant="zone_redundant",
            source_database="creation_source_database_id",
            server="server_id",
            backup_storage="storage_account_type",
        ),
        terraform(
            "azurerm_sql_database",
            "legacy_sql_database",
            elastic_pool="elastic_pool_name",
            create_mode="create_mode",
            tier="edition",
            zone_redundant="zone_redundant",
        ),
        terraform("azurerm_mssql_elasticpool", "sql_elastic_pool", sku="sku", zone_redundant="zone_redundant"),
        terraform(
            "azurerm_mssql_failover_group",
            "sql_failover_group",
            words={"group_type": "azurerm_mssql_failover_group"},
            databases="databases",
            partner="partner_server",
            policy="read_write_endpoint_failover_policy",
            mode="mode",
        ),
        terraform(
            "azurerm_sql_failover_group",
            "legacy_sql_failover_group",
            words={"group_type": "azurerm_sql_failover_group"},
            databases="databases",
            partner="partner_servers",
            policy="read_write_endpoint_failover_policy",
            mode="mode",
        ),
        terraform(
            "google_sql_database_instance",
            "cloud_sql_instance",
            replica_source="master_instance_name",
            instance_type="instance_type",
            settings="settings",
            availability="availability_type",
        ),
        terraform("aws_rds_global_cluster", "global_cluster"),
        cloudformation("AWS::RDS::GlobalCluster", "global_cluster"),
        terraform("aws_db_instance_automated_backups_replication", "backup_replication"),
        terraform("google_alloydb_instance", "alloydb_instance", instance_type="instance_type", availability="availability_type"),
    ),
)

# Application Auto Scaling targets: Aurora reader auto scaling is one on the dimension
# `rds:cluster:ReadReplicaCount`, naming its cluster in `resource_id` ("cluster:orders").
SCALABLE_TARGETS = Family(
    "scalable target",
    (
        terraform(
            "aws_appautoscaling_target",
            "scalable_target",
            dimension="scalable_dimension",
            resource_id="resource_id",
            min_capacity="min_capacity",
        ),
        cloudformation(
            "AWS::ApplicationAutoScaling::ScalableTarget",
            "scalable_target",
            dimension="ScalableDimension",
            resource_id="ResourceId",
            min_capacity="MinCapacity",
        ),
    ),
)


CACHES = Family(
    "cache",
    (
        terraform(
            "aws_elasticache_replication_group",
            "replication_group",
            global_group="global_replication_group_id",
            automatic_failover="automatic_failover_enabled",
            nodes=("num_cache_clusters", "number_cache_clusters"),
            multi_az="multi_az_enabled",
            replicas_per_shard="replicas_per_node_group",
            legacy_shards="cluster_mode",  # provider v4 and older: one block with the same arguments
        ),
        cloudformation(
            "AWS::ElastiCache::ReplicationGroup",
            "replication_group",
            global_group="GlobalReplicationGroupId",
            automatic_failover="AutomaticFailoverEnabled",
            nodes="NumCacheClusters",
            multi_az="MultiAZEnabled",
            replicas_per_shard="ReplicasPerNodeGroup",
            shards="NodeGroupConfiguration",
            shard_replicas="ReplicaCount",
        ),
        terraform(
            "aws_elasticache_cluster",
            "cache_node",
            words={"group_type": "aws_elasticache_replication_group"},
            group="replication_group_id",
            engine="engine",
        ),
        cloudformation(
            "AWS::ElastiCache::CacheCluster",
            "cache_node",
            words={"group_type": "AWS::ElastiCache::ReplicationGroup"},
            engine="Engine",
        ),
        terraform("aws_memorydb_cluster", "memorydb_cluster", replicas_per_shard="num_replicas_per_shard"),
        cloudformation("AWS::MemoryDB::Cluster", "memorydb_cluster", replicas_per_shard="NumReplicasPerShard"),
        terraform("azurerm_redis_cache", "redis_cache", sku="sku_name", zones="zones"),
        terraform("google_redis_instance", "memorystore_instance", tier="tier"),
    ),
)


def may_be_replica(member: Member) -> bool:
    """Whether the member is, or may be, a read replica (or a CloudFormation instance that joins
    a cluster): it copies a primary and is not judged as one."""
    return member.has("replica_source") and member.may_be_set("replica_source")


def cluster_spellings() -> list[tuple[str, str, str]]:
    """(cluster type, instance type, the argument of both that holds the cluster identifier),
    for every source."""
    found = []
    for spelling in DATABASES.spellings:
        if spelling.kind in CLUSTER_KINDS:
            found.append((spelling.type, spelling.words["instance_type"], spelling.arguments["identifier"][0]))
    return found
