"""RES104 single-az-placement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.model import Project, Resource, Unit
from resilint.relations.placement import describe, gcp_zone_region, subnet_zones
from resilint.rule import Severity, Violation, rule

# Subnet groups: which service each places, by type. Every one lists its subnets in
# `subnet_ids` (Terraform) / `SubnetIds` (CloudFormation).
_SUBNET_GROUPS = {
    "aws_db_subnet_group": "RDS",
    "aws_elasticache_subnet_group": "ElastiCache",
    "aws_memorydb_subnet_group": "MemoryDB",
    "aws_redshift_subnet_group": "Redshift",
    "aws_docdb_subnet_group": "DocumentDB",
    "aws_neptune_subnet_group": "Neptune",
    "aws_dax_subnet_group": "DAX",
    "aws_dms_replication_subnet_group": "DMS",
    "AWS::RDS::DBSubnetGroup": "RDS",
    "AWS::ElastiCache::SubnetGroup": "ElastiCache",
    "AWS::MemoryDB::SubnetGroup": "MemoryDB",
    "AWS::Redshift::ClusterSubnetGroup": "Redshift",
    "AWS::DocDB::DBSubnetGroup": "DocumentDB",
    "AWS::Neptune::DBSubnetGroup": "Neptune",
    "AWS::DAX::SubnetGroup": "DAX",
    "AWS::DMS::ReplicationSubnetGroup": "DMS",
}

# Azure resources whose `zones` list may hold several zones (zone-redundant) or one (zonal).
# Scale sets and AKS node pools are compute groups (RES304); load balancers and application
# gateways are RES305's.
_AZURE_ZONED = {
    "azurerm_redis_cache": "Redis cache",
    "azurerm_firewall": "firewall",
    "azurerm_public_ip": "public IP address",
}


@rule(
    id="RES104",
    name="single-az-placement",
    severity=Severity.WARNING,
    summary="A resource is pinned to one availability zone where a multi-zone form exists",
    fix="Use the multi-zone form: spread the resource over two or more availability zones",
    tags=("az",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags data and placement resources confined to one availability zone when the service
    offers a form that spans zones:

    - EFS One Zone file systems: `aws_efs_file_system` with `availability_zone_name`,
      `AWS::EFS::FileSystem` with `AvailabilityZoneName`.
    - Subnet groups whose subnets all sit in one availability zone: RDS
      (`aws_db_subnet_group`, `AWS::RDS::DBSubnetGroup`), ElastiCache, MemoryDB, Redshift,
      DocumentDB, Neptune, DAX and DMS subnet groups. The subnets are followed through
      references (`aws_subnet.a.id`, `!Ref SubnetA`) to their `availability_zone` /
      `AvailabilityZone` (or zone ID).
    - Zonal GKE clusters: a `google_container_cluster` whose `location` is a zone
      (`us-central1-a`) has one control plane in that zone.
    - Azure resources with a single entry in `zones` where zone redundancy is offered:
      `azurerm_redis_cache`, `azurerm_firewall`, and `azurerm_public_ip` (a public IP of a
      network interface is exempt: it serves one zonal VM anyway).

    Compute groups confined to one zone (Auto Scaling groups, scale sets, node pools, zonal
    managed instance groups) are RES304's, load balancers RES305's, databases without a
    standby RES302's. A subnet passed as a literal ID, through a variable or a module output,
    or created without an `availability_zone` (AWS picks one) has no zone resilint can know:
    the group is not judged. A zone picked by its position in the region's zone list (`!Select [0, !GetAZs '']`,
    `data.aws_availability_zones.available.names[0]`) is compared by position: the same position of
    the same list is the same zone, two positions are two zones, whichever zones they turn out to be.

    ## Why is this bad?
    An availability zone fails on its own more often than a region does (power, cooling,
    networking events): a resource pinned to one zone goes down with it, and so does whatever
    depends on it, even when the rest of the workload spans three zones. An EFS One Zone file
    system can also lose its data with the zone.

    ## Example
    ```hcl
    resource "aws_efs_file_system" "shared" {
      availability_zone_name = "eu-west-1a"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_efs_file_system" "shared" {
      # Regional (multi-AZ) storage: no availability_zone_name
    }
    ```

    ## References
    - https://docs.aws.amazon.com/efs/latest/ug/availability-durability.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_VPC.WorkingWithRDSInstanceinaVPC.html
    - https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters
    - https://learn.microsoft.com/en-us/azure/reliability/availability-zones-overview
    """
    for resource in unit.resources:
        if resource.count_unknown:
            continue
        kind = resource.type
        if kind in ("aws_efs_file_system", "AWS::EFS::FileSystem"):
            yield from _one_zone_efs(resource)
        elif kind in _SUBNET_GROUPS:
            yield from _subnet_group(unit, resource)
        elif kind == "google_container_cluster":
            yield from _zonal_gke(resource)
        elif kind in _AZURE_ZONED:
            yield from _azure_zones(unit, resource)


def _one_zone_efs(resource: Resource) -> Iterator[Violation]:
    argument = "availability_zone_name" if resource.type == "aws_efs_file_system" else "AvailabilityZoneName"
    zone = resource.attributes.get(argument)
    if not isinstance(zone, str) or not zone:
        return
    yield Violation(
        f"{resource.address} is an EFS One Zone file system: {argument} = {zone} keeps its data in "
        "one availability zone, and it is unavailable (or lost) with that zone",
        at=resource,
        fix=(
            f"Remove {argument} to create a Regional file system, which stores data across "
            "availability zones (a One Zone file system cannot be converted: create a Regional one "
            "and copy or replicate the data to it)"
        ),
    )


def _subnet_group(unit: Unit, resource: Resource) -> Iterator[Violation]:
    argument = "subnet_ids" if not resource.type.startswith("AWS::") else "SubnetIds"
    found = subnet_zones(unit, resource, argument)
    if found is None:
        return
    subnets, zones = found
    if len(zones) != 1:
        return
    service = _SUBNET_GROUPS[resource.type]
    (zone,) = zones
    yield Violation(
        f"{resource.address} places {service} in one availability zone: its subnets "
        f"({describe(s.address for s in subnets)}) are all in {zone}",
        at=resource,
        fix=f"Add a subnet in a second availability zone to {argument}, so that {service} can place "
        "nodes and standbys outside the first zone",
    )


def _zonal_gke(resource: Resource) -> Iterator[Violation]:
    location = resource.attributes.get("location")
    if not isinstance(location, str):
        return
    region = gcp_zone_region(location)
    if region is None:
        return
    nodes = resource.attributes.get("node_locations")
    spread = ""
    if isinstance(nodes, list) and len({n for n in nodes if isinstance(n, str)} | {location}) > 1:
        spread = " (its nodes span several zones, its control plane does not)"
    yield Violation(
        f"{resource.address} is a zonal GKE cluster: location = {location} puts its only control "
        f"plane in one zone{spread}",
        at=resource,
        fix=f'Set location = "{region}" for a regional cluster, with control-plane replicas in three zones',
    )


def _azure_zones(unit: Unit, resource: Resource) -> Iterator[Violation]:
    zones: Any = resource.attributes.get("zones")
    if not isinstance(zones, list) or len(zones) != 1 or not isinstance(zones[0], (str, int)):
        return
    if resource.type == "azurerm_public_ip" and _attached_to_nic(unit, resource):
        return
    what = _AZURE_ZONED[resource.type]
    zone = str(zones[0])
    yield Violation(
        f"{resource.address} is a zonal {what}: zones = [\"{zone}\"] pins it to availability zone {zone}",
        at=resource,
        fix='List two or more zones (zones = ["1", "2", "3"]) for the zone-redundant form',
    )


def _attached_to_nic(unit: Unit, public_ip: Resource) -> bool:
    for interface in unit.of_type("azurerm_network_interface"):
        for ref in interface.references:
            if any(t.address == public_ip.address for t in unit.resolve(ref.target)):
                return True
    return False
