"""Database relations for RES302: which DB instances belong to which cluster.

An Aurora, DocumentDB or Neptune cluster holds no compute of its own: its instances are
separate resources that name the cluster (`aws_rds_cluster_instance.cluster_identifier`,
`AWS::RDS::DBInstance.DBClusterIdentifier`), by reference (`aws_rds_cluster.main.id`,
`!Ref Cluster`) or by the cluster's literal identifier. `cluster_members(unit)` gives, for each
cluster, the instances known to belong to it (count and for_each expanded) and whether that
list is complete: an instance whose cluster is not known, or whose number of instances is not
known, may belong to any cluster, and then no cluster's count is known.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resilint.families.databases import DATABASES, SCALABLE_TARGETS, cluster_spellings
from resilint.model import Resource, Unit
from resilint.relations.network import referenced

# cluster type -> (instance type, the argument of both that holds the cluster identifier), from
# the relational database family.
CLUSTER_INSTANCES = {cluster: (instance, key) for cluster, instance, key in cluster_spellings()}


@dataclass(frozen=True)
class Membership:
    cluster: Resource
    members: tuple[Resource, ...]
    complete: bool  # False when an instance of the unit may belong to it without our knowing


def cluster_members(unit: Unit) -> dict[str, Membership]:
    return unit.derived("relations.databases.cluster_members", _build)


def _build(unit: Unit) -> dict[str, Membership]:
    result: dict[str, Membership] = {}
    for cluster_type, (instance_type, key) in CLUSTER_INSTANCES.items():
        clusters = list(unit.of_type(cluster_type))
        if not clusters:
            continue
        by_identifier = {
            c.attributes[key].strip().lower(): c for c in clusters if isinstance(c.attributes.get(key), str)
        }
        members: dict[str, list[Resource]] = {c.address: [] for c in clusters}
        uncertain: set[str] = set()  # clusters that may have instances we cannot count
        anonymous = any(not isinstance(c.attributes.get(key), str) for c in clusters)
        for instance in unit.of_type(instance_type):
            value: Any = instance.attributes.get(key)
            if value is None:
                continue  # a standalone instance (a CloudFormation DBInstance outside any cluster)
            owner = _owner(unit, value, by_identifier, cluster_type)
            if owner is not None:
                if instance.count_unknown:
                    uncertain.add(owner.address)
                else:
                    members[owner.address].append(instance)
            elif not isinstance(value, str) or anonymous:
                # Not known which cluster it joins (or a literal identifier that may be the one
                # of a cluster whose identifier is not known): it may join any of them.
                uncertain.update(members)
        for cluster in clusters:
            result[cluster.address] = Membership(
                cluster, tuple(members[cluster.address]), complete=cluster.address not in uncertain
            )
    return result


def _owner(unit: Unit, value: Any, by_identifier: dict[str, Resource], cluster_type: str) -> Resource | None:
    if isinstance(value, str):
        return by_identifier.get(value.strip().lower())
    target = referenced(unit, value)
    if target is not None and target.type == cluster_type:
        return target
    return None


@dataclass(frozen=True)
class ReaderScaling:
    """Aurora reader auto scaling (Application Auto Scaling targets on
    `rds:cluster:ReadReplicaCount`): the minimum number of readers per cluster address, and
    whether some target's cluster is not known (it may be any cluster's)."""

    minimum: dict[str, Any]
    unknown: bool


def reader_scaling(unit: Unit) -> ReaderScaling:
    return unit.derived("relations.databases.reader_scaling", _build_reader_scaling)


def _build_reader_scaling(unit: Unit) -> ReaderScaling:
    minimum: dict[str, Any] = {}
    unknown = False
    clusters = [member.resource for member in DATABASES.members(unit, "aurora_cluster")]
    for target in SCALABLE_TARGETS.members(unit):
        dimension = target.value("dimension")
        if isinstance(dimension, str) and dimension != "rds:cluster:ReadReplicaCount":
            continue
        cluster = _scaled_cluster(unit, target.value("resource_id"), clusters)
        if cluster is None or not isinstance(dimension, str) or target.resource.count_unknown:
            unknown = True
            continue
        minimum[cluster.address] = target.value("min_capacity")
    return ReaderScaling(minimum, unknown)


def _scaled_cluster(unit: Unit, resource_id: Any, clusters: list[Resource]) -> Resource | None:
    """The cluster an Application Auto Scaling `resource_id` ("cluster:orders") names."""
    if isinstance(resource_id, str):
        name = resource_id.strip().removeprefix("cluster:").lower()
        for cluster in clusters:
            member = DATABASES.member(cluster)
            identifier = member.value("identifier") if member is not None else None
            if isinstance(identifier, str) and identifier.strip().lower() == name:
                return cluster
        return None
    target = referenced(unit, resource_id)
    return target if target is not None and target in clusters else None
