"""Which data stores keep a copy of their data in another region, and which are copies.

Built once per unit (`Unit.derived`) for the region rules: RES103 judges each primary store,
RES101 counts the regions the unit's data is replicated to. One `Store` per stateful resource:

- DynamoDB: `aws_dynamodb_table` `replica` blocks, `aws_dynamodb_table_replica` (its
  `global_table_arn` names the table), the legacy `aws_dynamodb_global_table` (tables joined by
  name); CloudFormation `AWS::DynamoDB::Table` (one region by construction) and
  `AWS::DynamoDB::GlobalTable` `Replicas`.
- S3: the inline `replication_configuration` of `aws_s3_bucket` (deprecated, `rules` blocks)
  and `aws_s3_bucket_replication_configuration` (`rule` blocks); `destination.bucket` is an
  ARN, which carries no region, so the destination's region is the referenced bucket's.
  `aws_s3control_multi_region_access_point`; CloudFormation `ReplicationConfiguration.Rules`
  and `AWS::S3::MultiRegionAccessPoint`.
- RDS: `aws_db_instance.replicate_source_db` (a read replica; across regions it is the
  source's ARN), `aws_db_instance_automated_backups_replication`; Aurora `aws_rds_cluster`
  with `global_cluster_identifier` or `replication_source_identifier`, `aws_rds_global_cluster`
  `source_db_cluster_identifier`; CloudFormation `SourceDBInstanceIdentifier`,
  `AutomaticBackupReplicationRegion`, `GlobalClusterIdentifier`, `ReplicationSourceIdentifier`,
  `AWS::RDS::GlobalCluster.SourceDBClusterIdentifier`.
- EFS: `aws_efs_replication_configuration` (`source_file_system_id`, `destination.region`),
  CloudFormation `ReplicationConfiguration.Destinations[*].Region`.
- Azure: `azurerm_storage_account.account_replication_type` (GRS, RA-GRS, GZRS, RA-GZRS copy to
  the paired region), `azurerm_storage_object_replication`; `azurerm_cosmosdb_account`
  `geo_location` blocks.
- Azure databases: flexible servers (`create_mode = "Replica"` with `source_server_id`), SQL
  databases in a failover group (`databases`) or copied by an active geo-replica
  (`create_mode = "Secondary"` with `creation_source_database_id`).
- Google Cloud: `google_storage_bucket.location` (multi- and dual-regions hold copies in
  several regions); `google_sql_database_instance` replicas (`master_instance_name`) and a
  backup `location` in another region.

Besides replication, a store may have a *purpose* that makes it secondary data: an S3 bucket
that receives access logs, CloudTrail or flow logs, hosts a static website, or holds build
artifacts; a storage account that receives diagnostics. Rules decide what to do with it.

Nothing is guessed: a replication whose source or destination cannot be resolved makes the
stores it may concern *undecided*, never unreplicated.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.model import Project, Unit, split_foreign_ref
from resilint.relations.replication import azure, azure_databases, dynamodb, efs, google, rds, s3
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import gcs_bucket_name, s3_bucket_name
from resilint.relations.replication.store import Copy, CopyKind, Store

__all__ = [
    "AcrossUnits",
    "Copy",
    "CopyKind",
    "Store",
    "across_units",
    "gcs_bucket_name",
    "replica_addresses",
    "replica_regions",
    "s3_bucket_name",
    "store_of",
    "stores",
]


def stores(unit: Unit) -> tuple[Store, ...]:
    """Every data store of the unit, in source order."""
    return unit.derived("relations.replication.stores", _build)


def store_of(unit: Unit, address: str) -> Store | None:
    return {s.address: s for s in stores(unit)}.get(address)


def replica_regions(unit: Unit) -> dict[str, tuple[str, ...]]:
    """Known regions holding live copies of the unit's data, with the stores copied there."""
    found: dict[str, list[str]] = {}
    for store in stores(unit):
        for region in store.replica_regions:
            found.setdefault(region, []).append(store.address)
    return {region: tuple(sorted(set(addresses))) for region, addresses in sorted(found.items())}


@dataclass(frozen=True)
class AcrossUnits:
    """What the other units of a unit's system say about its stores."""

    replicas: dict[str, str]  # this unit's stores that a store elsewhere copies to -> that store
    replicated: dict[str, list[Store]]  # this unit's stores that stores elsewhere replicate


def across_units(unit: Unit, project: Project) -> AcrossUnits:
    """Replication between the units of one system: a bucket of the DR root that the primary
    root's replication rule names (through a remote state's output) is a replica; a database
    of the primary root that a DR root's replica reads from is replicated there."""
    replicas: dict[str, str] = {}
    replicated: dict[str, list[Store]] = {}
    system = project.system_of(unit)
    for other_id in system.units if system is not None else ():
        other = project.unit(other_id) if other_id != unit.id else None
        for store in stores(other) if other is not None else ():
            for ref in store.foreign_copies:
                found = split_foreign_ref(ref)
                if found is not None and found[0] == unit.id:
                    replicas.setdefault(found[1], f"{store.address} in {other_id}")
            source = split_foreign_ref(store.replica_of) if store.replica_of else None
            if source is not None and source[0] == unit.id:
                replicated.setdefault(source[1], []).append(store)
    return AcrossUnits(replicas, replicated)


def replica_addresses(unit: Unit) -> frozenset[str]:
    """Stores that are themselves copies of another store (destination buckets, read
    replicas, secondary clusters, table replicas)."""
    return frozenset(s.address for s in stores(unit) if s.replica_of is not None)



def _build(unit: Unit) -> tuple[Store, ...]:
    builder = StoreBuilder(unit)
    for service in (dynamodb, s3, rds, efs, azure, azure_databases, google):
        service.build(builder)
    order = {r.address: i for i, r in enumerate(unit.resources)}
    return tuple(sorted(builder.stores.values(), key=lambda s: order.get(s.address, 0)))
