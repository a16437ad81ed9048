"""RDS instances and Aurora clusters: read replicas, backup replication, global clusters."""

from __future__ import annotations

from typing import Any

from resilint.arguments import is_set_or_computed
from resilint.model import Resource, Unknown
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import arn_part
from resilint.relations.replication.store import Copy, Store


def _is_aurora(cluster: Resource) -> bool:
    engine = cluster.attributes.get("engine" if cluster.type == "aws_rds_cluster" else "Engine")
    return not isinstance(engine, str) or engine.startswith("aurora")


def _identity(value: Any) -> str:
    """A key under which values naming the same global cluster compare equal."""
    if isinstance(value, Unknown):
        return "ref:" + ",".join(value.refs) if value.refs else f"unknown:{id(value)}"
    return f"value:{value}"


def _describe_identity(store: Store, key: str) -> str:
    if key.startswith("ref:"):
        return key[4:]
    if key.startswith("value:"):
        return key[6:]
    return "(identifier not known)"


def build(builder: StoreBuilder) -> None:
    instance_types = ("aws_db_instance", "AWS::RDS::DBInstance")
    cluster_types = ("aws_rds_cluster", "AWS::RDS::DBCluster")
    instances: dict[str, Store] = {}
    for instance in builder.unit.of_type(*instance_types):
        if instance.type == "AWS::RDS::DBInstance" and is_set_or_computed(instance.attributes.get("DBClusterIdentifier")) is not False:
            continue  # an Aurora (or Multi-AZ cluster) member: the cluster is the store
        instances[instance.address] = builder.add(instance, "RDS DB instance")
    identifiers = builder.by_name(("aws_db_instance",), lambda r: r.attributes.get("identifier"))
    unattributed: list[str] = []
    for store in instances.values():
        attrs = store.resource.attributes
        source_key = "replicate_source_db" if store.resource.type == "aws_db_instance" else "SourceDBInstanceIdentifier"
        source_value = attrs.get(source_key)
        if is_set_or_computed(source_value) is not False:
            found = builder.targets(source_value, instance_types)
            if found is None and isinstance(source_value, str):
                parsed = arn_part(source_value, "rds")
                name = parsed[1].split(":", 1)[-1] if parsed else source_value
                found = identifiers.get(name)
            store.replica_of = found[0].address if found else str(source_value) if isinstance(source_value, str) else "a source database"
            for primary in found or []:
                if primary.address in instances and primary.address != store.address:
                    builder.link(instances[primary.address], store.resource, store.address)
            if not found:
                unattributed.append(store.address)
        if store.resource.type == "AWS::RDS::DBInstance":
            backup_region = attrs.get("AutomaticBackupReplicationRegion")
            if is_set_or_computed(backup_region) is not False:
                builder.copy_to_region(store, backup_region, "AutomaticBackupReplicationRegion", kind="backup")
    for replication in builder.unit.of_type("aws_db_instance_automated_backups_replication"):
        arn = replication.attributes.get("source_db_instance_arn")
        found = builder.targets(arn, ("aws_db_instance",))
        if found is None and isinstance(arn, str):
            parsed = arn_part(arn, "rds")
            found = identifiers.get(parsed[1].split(":", 1)[-1]) if parsed else None
        if not found:
            unattributed.append(replication.address)
            continue
        for primary in found:
            if primary.address in instances:
                builder.link(instances[primary.address], replication, replication.address, kind="backup")
    builder.undecide_unlinked(instances.values(), unattributed, "RDS replication")

    clusters: dict[str, Store] = {}
    for cluster in builder.unit.of_type(*cluster_types):
        clusters[cluster.address] = builder.add(cluster, "Aurora cluster" if _is_aurora(cluster) else "RDS DB cluster")
    cluster_ids = builder.by_name(("aws_rds_cluster",), lambda r: r.attributes.get("cluster_identifier"))
    unattributed = []
    members: dict[str, list[Store]] = {}  # global cluster -> member clusters
    for store in clusters.values():
        attrs = store.resource.attributes
        terraform = store.resource.type == "aws_rds_cluster"
        global_id = attrs.get("global_cluster_identifier" if terraform else "GlobalClusterIdentifier")
        source = attrs.get("replication_source_identifier" if terraform else "ReplicationSourceIdentifier")
        if is_set_or_computed(source) is not False:
            found = builder.targets(source, cluster_types)
            if found is None and isinstance(source, str):
                parsed = arn_part(source, "rds")
                found = cluster_ids.get(parsed[1].split(":", 1)[-1] if parsed else source)
            store.replica_of = found[0].address if found else "a source cluster"
            for primary in found or []:
                if primary.address in clusters and primary.address != store.address:
                    builder.link(clusters[primary.address], store.resource, store.address)
            if not found:
                unattributed.append(store.address)
        state = is_set_or_computed(global_id)
        if state is None:
            store.undecided = store.undecided or "its global_cluster_identifier is not known"
        elif state:
            key = _identity(global_id)
            members.setdefault(key, []).append(store)
    for key, group in members.items():
        for store in group:
            others = [o for o in group if o is not store]
            for other in others:
                builder.link(store, other.resource, other.address)
            if not others:
                # The global cluster's other members are not in this unit (a secondary
                # region is usually its own root module): a global database either way.
                store.copies.append(Copy(region=None, via=f"global cluster {_describe_identity(group[0], key)}"))
    for global_cluster in builder.unit.of_type("aws_rds_global_cluster", "AWS::RDS::GlobalCluster"):
        key = "source_db_cluster_identifier" if global_cluster.type == "aws_rds_global_cluster" else "SourceDBClusterIdentifier"
        source = global_cluster.attributes.get(key)
        found = builder.targets(source, cluster_types)
        for cluster in found or []:
            store = clusters[cluster.address]
            if not store.copies:
                store.copies.append(Copy(region=None, via=global_cluster.address))
    builder.undecide_unlinked(clusters.values(), unattributed, "Aurora replication")
