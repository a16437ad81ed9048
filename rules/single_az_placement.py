"""RES104 single-az-placement."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.families.base import Family, Member
from resilint.families.compute import CONTAINER_CLUSTERS
from resilint.families.databases import CACHES
from resilint.families.network import FIREWALLS, NAT_ASSOCIATIONS, NETWORK_INTERFACES, PUBLIC_IPS, SUBNET_GROUPS
from resilint.families.storage import FILE_SYSTEMS
from resilint.model import Project, Unit
from resilint.placement import gcp_zone_region
from resilint.relations.network import referenced
from resilint.relations.placement import describe, subnet_zones
from resilint.rule import Severity, Violation, rule

# Resources whose `zones` list may hold several zones (zone-redundant) or one (zonal), with what
# a message calls them. Scale sets and AKS node pools are compute groups (RES304); load
# balancers and application gateways are RES305's.
_ZONED: tuple[tuple[Family, str, str], ...] = (
    (CACHES, "redis_cache", "Redis cache"),
    (FIREWALLS, "firewall", "firewall"),
    (PUBLIC_IPS, "public_ip", "public IP address"),
)


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
      (`us-central1-a`) has one control plane in that zone. (RES318, which judges Kubernetes
      control planes, leaves zonal GKE clusters to this rule, so one cluster is reported once.)
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
        if (member := FILE_SYSTEMS.member(resource)) is not None and member.kind == "efs":
            yield from _one_zone_efs(member)
        elif (member := SUBNET_GROUPS.member(resource)) is not None:
            yield from _subnet_group(unit, member)
        elif (member := CONTAINER_CLUSTERS.member(resource)) is not None and member.kind == "gke_cluster":
            yield from _zonal_gke(member)
        else:
            for family, kind, what in _ZONED:
                member = family.member(resource)
                if member is not None and member.kind == kind:
                    yield from _azure_zones(unit, member, what)


def _one_zone_efs(resource: Member) -> Iterator[Violation]:
    argument = resource.argument("one_zone")
    zone = resource.value("one_zone")
    if not isinstance(zone, str) or not zone:
        return
    yield Violation(
        f"{resource.address} is an EFS One Zone file system: {argument} = {zone} keeps its data in "
        "one availability zone, and it is unavailable (or lost) with that zone",
        at=resource.resource,
        fix=(
            f"Remove {argument} to create a Regional file system, which stores data across "
            "availability zones (a One Zone file system cannot be converted: create a Regional one "
            "and copy or replicate the data to it)"
        ),
    )


def _subnet_group(unit: Unit, group: Member) -> Iterator[Violation]:
    argument = group.argument("subnets")
    found = subnet_zones(unit, group.resource, argument)
    if found is None:
        return
    subnets, zones = found
    if len(zones) != 1:
        return
    service = group.service
    (zone,) = zones
    yield Violation(
        f"{group.address} places {service} in one availability zone: its subnets "
        f"({describe(s.address for s in subnets)}) are all in {zone}",
        at=group.resource,
        fix=f"Add a subnet in a second availability zone to {argument}, so that {service} can place "
        "nodes and standbys outside the first zone",
    )


def _zonal_gke(cluster: Member) -> Iterator[Violation]:
    location = cluster.value("location")
    if not isinstance(location, str):
        return
    region = gcp_zone_region(location)
    if region is None:
        return
    nodes = cluster.value("zones")
    spread = ""
    if isinstance(nodes, list) and len({n for n in nodes if isinstance(n, str)} | {location}) > 1:
        spread = " (its nodes span several zones, its control plane does not)"
    yield Violation(
        f"{cluster.address} is a zonal GKE cluster: location = {location} puts its only control "
        f"plane in one zone{spread}",
        at=cluster.resource,
        fix=f'Set location = "{region}" for a regional cluster, with control-plane replicas in three zones',
    )


def _azure_zones(unit: Unit, resource: Member, what: str) -> Iterator[Violation]:
    zones: Any = resource.value("zones")
    if not isinstance(zones, list) or len(zones) != 1 or not isinstance(zones[0], (str, int)):
        return
    if resource.kind == "public_ip" and (_attached_to_nic(unit, resource) or _of_nat_gateway(unit, resource)):
        return
    zone = str(zones[0])
    yield Violation(
        f"{resource.address} is a zonal {what}: zones = [\"{zone}\"] pins it to availability zone {zone}",
        at=resource.resource,
        fix='List two or more zones (zones = ["1", "2", "3"]) for the zone-redundant form',
    )


def _of_nat_gateway(unit: Unit, public_ip: Member) -> bool:
    """A NAT gateway's public IP is in the gateway's zone by design: the gateway's zonality is what
    to judge (RES303), not its address's."""
    for association in NAT_ASSOCIATIONS.members(unit, "public_ip_association"):
        target = referenced(unit, association.value("public_ip"))
        if target is not None and target.address == public_ip.address:
            return True
    return False


def _attached_to_nic(unit: Unit, public_ip: Member) -> bool:
    for interface in NETWORK_INTERFACES.members(unit):
        for ref in interface.resource.references:
            if any(t.address == public_ip.address for t in unit.resolve(ref.target)):
                return True
    return False
