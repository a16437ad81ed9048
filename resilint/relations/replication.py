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

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from resilint.arguments import as_bool, block_instances, is_set_or_computed, nested
from resilint.families.storage import is_lock_table
from resilint.model import FOREIGN, Project, Resource, Unit, Unknown, foreign_ref, split_foreign_ref
from resilint.placement import aws_zone_region, gcp_zone_region, is_gcp_region

CopyKind = Literal["replica", "backup"]


@dataclass(frozen=True)
class Copy:
    """A copy of a store's data in another region."""

    region: str | None  # the copy's region; None when the code does not name it
    via: str  # what makes the copy, for messages: "replica block", "aws_db_instance.west"
    kind: CopyKind = "replica"  # "backup": restorable only, not a live replica


@dataclass(eq=False)
class Store:
    """A stateful resource and what the code says about copies of its data."""

    resource: Resource
    kind: str  # "DynamoDB table", "S3 bucket"...
    # The store's own region: a name, or Unknown. CloudFormation stores in one template share
    # one region even when it is not known (`same_stack` below).
    region: Any
    replica_of: str | None = None  # a copy itself: what it copies ("aws_s3_bucket.source")
    copies: list[Copy] = field(default_factory=list)  # in other regions
    same_region: list[str] = field(default_factory=list)  # copies in its own region, for messages
    undecided: str | None = None  # why cross-region replication cannot be decided
    purpose: str | None = None  # secondary data: "receives the access logs of aws_s3_bucket.app"
    multi_region: str | None = None  # the store itself spans regions: "multi-region location US"
    # Stores of other units this one copies to (`foreign_ref`s: a replication destination that a
    # remote state's output names).
    foreign_copies: list[str] = field(default_factory=list)

    @property
    def address(self) -> str:
        return self.resource.address

    @property
    def replicated(self) -> bool:
        return bool(self.copies) or self.multi_region is not None

    @property
    def replica_regions(self) -> tuple[str, ...]:
        """Known regions of live replicas (not backups), sorted."""
        return tuple(sorted({c.region for c in self.copies if c.region and c.kind == "replica"}))


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


# Names in ARNs and URLs ------------------------------------------------------------------------


def s3_bucket_name(value: str) -> str | None:
    """The bucket an S3 ARN, URL or host name names; the value itself when it is a bare name."""
    text = value.strip()
    for pattern in (
        r"^arn:aws[a-z-]*:s3:::([^/]+)",
        r"^s3://([^/]+)",
        r"^([a-z0-9][a-z0-9.-]*[a-z0-9])\.s3(?:[.-][a-z0-9-]+)*\.amazonaws\.com(?:\.cn)?$",
    ):
        match = re.match(pattern, text)
        if match:
            return match.group(1)
    if re.match(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", text):
        return text
    return None


def _arn_part(value: str, service: str) -> tuple[str | None, str] | None:
    """(region, resource) of an ARN of `service`; None when `value` is not such an ARN."""
    match = re.match(rf"^arn:aws[a-z-]*:{service}:([a-z0-9-]*):[0-9]*:(.+)$", value.strip())
    if not match:
        return None
    return (match.group(1) or None), match.group(2)


def gcs_bucket_name(value: str) -> str | None:
    text = value.strip()
    for pattern in (r"^gs://([^/]+)", r"^storage\.googleapis\.com/([^/]+)", r"^([a-z0-9][a-z0-9._-]*[a-z0-9])$"):
        match = re.match(pattern, text)
        if match:
            return match.group(1)
    return None


# Building ------------------------------------------------------------------------------------


def _build(unit: Unit) -> tuple[Store, ...]:
    builder = _Builder(unit)
    builder.dynamodb()
    builder.s3()
    builder.rds()
    builder.efs()
    builder.azure()
    builder.google()
    order = {r.address: i for i, r in enumerate(unit.resources)}
    return tuple(sorted(builder.stores.values(), key=lambda s: order.get(s.address, 0)))





class _Builder:
    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.stores: dict[str, Store] = {}
        self.cloudformation = unit.source == "cloudformation"

    # Shared helpers --------------------------------------------------------------------------

    def add(self, resource: Resource, kind: str) -> Store:
        store = Store(resource=resource, kind=kind, region=resource.region)
        self.stores[resource.address] = store
        return store

    def targets(self, value: Any, types: tuple[str, ...]) -> list[Resource] | None:
        """The unit's resources of `types` a value refers to (`aws_s3_bucket.b.arn`, `!Ref B`,
        `!GetAtt B.Arn`); None when the value is not such a reference."""
        if not isinstance(value, Unknown) or not value.refs:
            return None
        found: list[Resource] = []
        for ref in value.refs:
            for target in self.unit.resolve(ref):
                if target.type not in types:
                    continue
                if target.unit != self.unit.id:
                    # Another unit's resource (through a remote state): named so that it can never
                    # be taken for a resource of this unit with the same address.
                    target = target.model_copy(update={"address": foreign_ref(target.unit, target.address)})
                found.append(target)
        return found or None

    def by_name(self, types: tuple[str, ...], name_of: Callable[[Resource], Any]) -> dict[str, list[Resource]]:
        index: dict[str, list[Resource]] = {}
        for resource in self.unit.of_type(*types):
            name = name_of(resource)
            if isinstance(name, str) and name:
                index.setdefault(name, []).append(resource)
        return index

    def same_region(self, a: Resource, b: Resource) -> bool | None:
        """Whether two resources sit in the same region: True/False when the code says, None
        when it cannot tell. Resources of one CloudFormation stack share its region."""
        if self.cloudformation and a.unit == b.unit:
            return True
        if isinstance(a.region, str) and isinstance(b.region, str):
            return a.region == b.region
        return None

    def link(self, source: Store, target: Resource, via: str, kind: CopyKind = "replica") -> None:
        """Record that `target` (a resource of this unit) holds a copy of `source`."""
        if target.address.startswith(FOREIGN):
            source.foreign_copies.append(target.address)
        same = self.same_region(source.resource, target)
        if same is True:
            source.same_region.append(target.address)
        elif same is False:
            source.copies.append(Copy(region=str(target.region), via=via, kind=kind))
        else:
            source.undecided = source.undecided or (
                f"the region of {target.address}, which holds its copy, is not known"
            )

    def copy_to_region(self, source: Store, region: Any, via: str, kind: CopyKind = "replica") -> None:
        """Record a copy in a named region (a `replica { region_name }` block). With the
        store's own region unknown, a named region still counts as another one: that is how
        the code sends a copy elsewhere, and DynamoDB and RDS refuse a copy in the same region."""
        if not isinstance(region, str) or not region:
            source.undecided = source.undecided or f"the region of its copy ({via}) is not known"
            return
        if isinstance(source.region, str) and source.region == region:
            source.same_region.append(via)
        else:
            source.copies.append(Copy(region=region, via=via, kind=kind))

    # DynamoDB ------------------------------------------------------------------------------

    def dynamodb(self) -> None:
        tables = {r.address: self.add(r, "DynamoDB table") for r in self.unit.of_type("aws_dynamodb_table")}
        for store in tables.values():
            if is_lock_table(store.resource):
                store.purpose = _LOCK_TABLE
            replicas = block_instances(store.resource.attributes.get("replica"))
            if isinstance(replicas, Unknown):
                store.undecided = "its replica blocks are not known"
                continue
            for index, replica in enumerate(replicas):
                self.copy_to_region(store, nested(replica, "region_name"), f"replica[{index}]")
        names = self.by_name(("aws_dynamodb_table",), lambda r: r.attributes.get("name"))
        unattributed: list[str] = []
        for replica in self.unit.of_type("aws_dynamodb_table_replica"):
            arn = replica.attributes.get("global_table_arn")
            found = self.targets(arn, ("aws_dynamodb_table",))
            if found is None and isinstance(arn, str):
                parsed = _arn_part(arn, "dynamodb")
                name = parsed[1].split("/", 1)[-1] if parsed else None
                found = names.get(name or "")
            if not found:
                unattributed.append(replica.address)
                continue
            for table in found:
                self.link(tables[table.address], replica, replica.address)
        legacy_names: dict[str, Resource] = {}
        for global_table in self.unit.of_type("aws_dynamodb_global_table"):
            store = self.add(global_table, "DynamoDB global table (2017 version)")
            regions = self.legacy_regions(global_table)
            if regions is None:
                store.undecided = "its replica regions are not known"
                unattributed.append(global_table.address)
                continue
            own = global_table.region
            for region in sorted(regions - ({own} if isinstance(own, str) else set())):
                store.copies.append(Copy(region=region, via="replica block"))
            name = global_table.attributes.get("name")
            if isinstance(name, str):
                legacy_names[name] = global_table
            else:
                unattributed.append(global_table.address)
        for store in tables.values():
            name = store.resource.attributes.get("name")
            joined = legacy_names.get(name) if isinstance(name, str) else None
            if joined is not None:
                regions = self.legacy_regions(joined) or set()
                own = store.region
                for region in sorted(regions - ({own} if isinstance(own, str) else set())):
                    store.copies.append(Copy(region=region, via=joined.address))
        self.undecide_unlinked(tables.values(), unattributed, "DynamoDB replicas")
        for table in self.unit.of_type("AWS::DynamoDB::Table"):
            store = self.add(table, "DynamoDB table")
            if is_lock_table(table):
                store.purpose = _LOCK_TABLE
        for table in self.unit.of_type("AWS::DynamoDB::GlobalTable"):
            store = self.add(table, "DynamoDB global table")
            specifications = table.attributes.get("Replicas")
            if not isinstance(specifications, list):
                store.undecided = "its Replicas are not known"
                continue
            if len(specifications) >= 2:
                # Replica regions are unique in a global table: two entries are two regions.
                for index, specification in enumerate(specifications):
                    named = specification.get("Region") if isinstance(specification, dict) else None
                    if isinstance(named, str) and named == store.region:
                        continue
                    store.copies.append(Copy(region=named if isinstance(named, str) else None, via=f"Replicas[{index}]"))
                if isinstance(store.region, str):
                    store.copies = [c for c in store.copies if c.region != store.region]

    def legacy_regions(self, global_table: Resource) -> set[str] | None:
        replicas = block_instances(global_table.attributes.get("replica"))
        if isinstance(replicas, Unknown):
            return None
        regions = set()
        for replica in replicas:
            region = nested(replica, "region_name")
            if not isinstance(region, str):
                return None
            regions.add(region)
        return regions

    def undecide_unlinked(self, candidates: Iterable[Store], unattributed: list[str], what: str) -> None:
        """Copies the code declares but that could not be tied to a store may belong to any
        store without evidence of its own: those become undecided."""
        if not unattributed:
            return
        for store in candidates:
            if not store.copies and store.undecided is None and store.replica_of is None:
                store.undecided = f"{what} declared in {unattributed[0]} may copy it"

    # S3 ------------------------------------------------------------------------------------

    def s3(self) -> None:
        buckets: dict[str, Store] = {}
        for bucket in self.unit.of_type("aws_s3_bucket"):
            buckets[bucket.address] = self.add(bucket, "S3 bucket")
        for bucket in self.unit.of_type("AWS::S3::Bucket"):
            buckets[bucket.address] = self.add(bucket, "S3 bucket")
        names = self.by_name(
            ("aws_s3_bucket", "AWS::S3::Bucket"),
            lambda r: r.attributes.get("bucket") if r.type == "aws_s3_bucket" else r.attributes.get("BucketName"),
        )
        unattributed: list[str] = []

        def bucket_targets(value: Any) -> list[Resource] | None | Literal["outside"]:
            found = self.targets(value, ("aws_s3_bucket", "AWS::S3::Bucket"))
            if found is not None:
                return found
            if isinstance(value, str):
                name = s3_bucket_name(value)
                if name is None:
                    return None
                return names.get(name) or "outside"
            return None

        def rules(source: Store, rule_blocks: Any, via: Resource, rule_key: str) -> None:
            blocks = block_instances(rule_blocks)
            if isinstance(blocks, Unknown):
                source.undecided = source.undecided or f"the replication rules of {via.address} are not known"
                return
            for index, rule in enumerate(blocks):
                destination = nested(rule, "destination", "bucket") if not self.cloudformation else nested(rule, "Destination", "Bucket")
                found = bucket_targets(destination)
                for target in found if isinstance(found, list) else []:
                    # A destination holds a copy even while the rule is paused: not primary data.
                    if target.address in buckets and target.address != source.address:
                        buckets[target.address].replica_of = source.address
                status = nested(rule, "status" if not self.cloudformation else "Status")
                if isinstance(status, Unknown):
                    source.undecided = source.undecided or f"the status of {via.address} {rule_key}[{index}] is not known"
                    continue
                if isinstance(status, str) and status.lower() != "enabled":
                    continue
                label = f"{via.address} {rule_key}[{index}]" if via is not source.resource else f"{rule_key}[{index}]"
                if found == "outside":
                    # A bucket of another deployment: ARNs carry no region, so where is unknown.
                    source.copies.append(Copy(region=None, via=f"{label} (bucket {s3_bucket_name(str(destination))})"))
                    continue
                if not found:
                    # The source is known and the destination refers to no bucket of this unit
                    # (a variable, a literal ARN of no bucket here): only the source's copy is
                    # undecided, the unit's other buckets are not its destination.
                    source.undecided = source.undecided or f"the destination of {label} is not known"
                    continue
                for target in found:
                    self.link(source, target, label)

        for store in list(buckets.values()):
            bucket = store.resource
            if bucket.type == "aws_s3_bucket":
                configuration = block_instances(bucket.attributes.get("replication_configuration"))
                if isinstance(configuration, Unknown):
                    store.undecided = "its replication_configuration is not known"
                    unattributed.append(bucket.address)
                    continue
                for block in configuration:
                    rules(store, nested(block, "rules") if isinstance(block, dict) else block, bucket, "replication_configuration.rules")
            else:
                declared = bucket.attributes.get("ReplicationConfiguration")
                if isinstance(declared, Unknown):
                    store.undecided = "its ReplicationConfiguration is not known"
                    unattributed.append(bucket.address)
                elif isinstance(declared, dict):
                    rules(store, declared.get("Rules"), bucket, "ReplicationConfiguration.Rules")
        for replication in self.unit.of_type("aws_s3_bucket_replication_configuration"):
            sources = bucket_targets(replication.attributes.get("bucket"))
            if not sources or sources == "outside":
                if sources != "outside":
                    unattributed.append(replication.address)
                continue
            for source_bucket in sources:
                rules(buckets[source_bucket.address], replication.attributes.get("rule"), replication, "rule")
        for access_point in self.unit.of_type("aws_s3control_multi_region_access_point", "AWS::S3::MultiRegionAccessPoint"):
            if access_point.type.startswith("AWS::"):
                entries = access_point.attributes.get("Regions")
                values = [e.get("Bucket") if isinstance(e, dict) else e for e in entries] if isinstance(entries, list) else entries
            else:
                regions = block_instances(nested(access_point.attributes.get("details"), "region"))
                values = regions if isinstance(regions, Unknown) else [nested(r, "bucket") for r in regions]
            if not isinstance(values, list):
                unattributed.append(access_point.address)
                continue
            members: list[Resource] = []
            for value in values:
                found = bucket_targets(value)
                if isinstance(found, list):
                    members.extend(found)
            for member in members:
                for other in members:
                    if other is not member:
                        self.link(buckets[member.address], other, access_point.address)
        self.s3_purposes(buckets, bucket_targets)
        for store in buckets.values():
            if store.purpose == _REPLICA_BY_POLICY:
                store.purpose = None
                store.replica_of = store.replica_of or "a bucket replicated to it (its policy allows s3:ReplicateObject)"
        self.undecide_unlinked(buckets.values(), unattributed, "S3 replication")

    def s3_purposes(self, buckets: dict[str, Store], bucket_targets: Callable[[Any], Any]) -> None:
        """Buckets that hold logs, static websites or build artifacts (secondary data)."""

        def mark(value: Any, purpose: str) -> None:
            for candidate in value if isinstance(value, list) else [value]:
                found = bucket_targets(candidate)
                if isinstance(found, list):
                    for bucket in found:
                        store = buckets[bucket.address]
                        store.purpose = store.purpose or purpose

        for resource in self.unit.resources:
            kind, attrs, address = resource.type, resource.attributes, resource.address
            if kind == "aws_s3_bucket":
                mark(nested(attrs.get("logging"), "target_bucket"), f"receives the access logs of {address}")
                if attrs.get("acl") == "log-delivery-write":
                    buckets[address].purpose = buckets[address].purpose or "has the log-delivery-write ACL"
                if is_set_or_computed(block_instances(attrs.get("website"))) is True:
                    buckets[address].purpose = buckets[address].purpose or "hosts a static website"
                if _grants_log_delivery(attrs.get("grant")):
                    buckets[address].purpose = buckets[address].purpose or "grants the S3 log delivery group write access"
                if _grants_cloudfront_log_delivery(attrs.get("grant")):
                    buckets[address].purpose = buckets[address].purpose or _CLOUDFRONT_LOGS
            elif kind == "aws_s3_bucket_logging":
                mark(attrs.get("target_bucket"), f"receives the access logs of a bucket ({address})")
            elif kind == "aws_s3_bucket_acl" and attrs.get("acl") == "log-delivery-write":
                mark(attrs.get("bucket"), f"has the log-delivery-write ACL ({address})")
            elif kind == "aws_s3_bucket_website_configuration":
                mark(attrs.get("bucket"), f"hosts a static website ({address})")
            elif kind in ("aws_lb", "aws_alb", "aws_elb"):
                mark(nested(attrs.get("access_logs"), "bucket"), f"receives the access logs of {address}")
                mark(nested(attrs.get("connection_logs"), "bucket"), f"receives the connection logs of {address}")
            elif kind == "aws_cloudfront_distribution":
                mark(nested(attrs.get("logging_config"), "bucket"), f"receives the access logs of {address}")
            elif kind == "aws_cloudtrail":
                mark(attrs.get("s3_bucket_name"), f"receives the CloudTrail logs of {address}")
            elif kind == "aws_config_delivery_channel":
                mark(attrs.get("s3_bucket_name"), f"receives the AWS Config history of {address}")
            elif kind == "aws_flow_log":
                mark(attrs.get("log_destination"), f"receives the flow logs of {address}")
            elif kind == "aws_cloudwatch_log_delivery_destination":
                target = nested(attrs.get("delivery_destination_configuration"), "destination_resource_arn")
                mark(target, f"receives the logs delivered through {address}")
            elif kind == "aws_codepipeline":
                artifact_stores = block_instances(attrs.get("artifact_store"))
                for entry in artifact_stores if isinstance(artifact_stores, list) else []:
                    mark(nested(entry, "location"), f"holds the build artifacts of {address}")
            elif kind == "aws_lambda_function":
                mark(attrs.get("s3_bucket"), f"holds the deployment package of {address}")
            elif kind == "aws_athena_workgroup":
                mark(nested(attrs.get("configuration"), "result_configuration", "output_location"), f"holds the query results of {address}")
            elif kind == "aws_s3_bucket_analytics_configuration":
                export = nested(attrs.get("storage_class_analysis"), "data_export", "destination", "s3_bucket_destination")
                mark(nested(export, "bucket_arn"), f"receives the analytics exports of {address}")
            elif kind == "aws_s3_bucket_acl":
                if _grants_log_delivery(nested(attrs.get("access_control_policy"), "grant")):
                    mark(attrs.get("bucket"), f"grants the S3 log delivery group write access ({address})")
                if _grants_cloudfront_log_delivery(nested(attrs.get("access_control_policy"), "grant")):
                    mark(attrs.get("bucket"), f"{_CLOUDFRONT_LOGS} ({address})")
            elif kind == "aws_s3_bucket_inventory":
                mark(nested(attrs.get("destination"), "bucket", "bucket_arn"), f"receives the inventory reports of {address}")
            elif kind == "aws_s3_bucket_policy":
                self.policy_purpose(attrs.get("policy"), attrs.get("bucket"), mark)
            elif kind == "AWS::S3::Bucket":
                mark(nested(attrs.get("LoggingConfiguration"), "DestinationBucketName"), f"receives the access logs of {address}")
                if attrs.get("AccessControl") == "LogDeliveryWrite":
                    buckets[address].purpose = buckets[address].purpose or "has the LogDeliveryWrite ACL"
                if is_set_or_computed(attrs.get("WebsiteConfiguration")) is True:
                    buckets[address].purpose = buckets[address].purpose or "hosts a static website"
            elif kind == "AWS::S3::BucketPolicy":
                self.policy_purpose(attrs.get("PolicyDocument"), attrs.get("Bucket"), mark)
            elif kind == "AWS::ElasticLoadBalancingV2::LoadBalancer":
                lb_attributes = attrs.get("LoadBalancerAttributes")
                for attribute in lb_attributes if isinstance(lb_attributes, list) else []:
                    if isinstance(attribute, dict) and attribute.get("Key") == "access_logs.s3.bucket":
                        mark(attribute.get("Value"), f"receives the access logs of {address}")
            elif kind == "AWS::ElasticLoadBalancing::LoadBalancer":
                mark(nested(attrs.get("AccessLoggingPolicy"), "S3BucketName"), f"receives the access logs of {address}")
            elif kind == "AWS::CloudFront::Distribution":
                mark(nested(attrs.get("DistributionConfig"), "Logging", "Bucket"), f"receives the access logs of {address}")
            elif kind == "AWS::CloudTrail::Trail":
                mark(attrs.get("S3BucketName"), f"receives the CloudTrail logs of {address}")
            elif kind == "AWS::Config::DeliveryChannel":
                mark(attrs.get("S3BucketName"), f"receives the AWS Config history of {address}")
            elif kind == "AWS::EC2::FlowLog":
                mark(attrs.get("LogDestination"), f"receives the flow logs of {address}")
            elif kind == "AWS::Logs::DeliveryDestination":
                mark(attrs.get("DestinationResourceArn"), f"receives the logs delivered through {address}")
            elif kind == "AWS::CodePipeline::Pipeline":
                mark(nested(attrs.get("ArtifactStore"), "Location"), f"holds the build artifacts of {address}")
                stores_ = attrs.get("ArtifactStores")
                for entry in stores_ if isinstance(stores_, list) else []:
                    mark(nested(entry, "ArtifactStore", "Location"), f"holds the build artifacts of {address}")
            elif kind == "AWS::Lambda::Function":
                mark(nested(attrs.get("Code"), "S3Bucket"), f"holds the deployment package of {address}")
            elif kind == "AWS::Serverless::Function":
                # SAM: CodeUri is "s3://bucket/key" or {Bucket, Key, Version}.
                code = attrs.get("CodeUri")
                mark(code.get("Bucket") if isinstance(code, dict) else code, f"holds the deployment package of {address}")

    def policy_purpose(self, policy: Any, bucket: Any, mark: Callable[[Any, str], None]) -> None:
        """A bucket policy that lets a log-delivery service write makes the bucket a log sink;
        one that lets another account's replication role write (`s3:ReplicateObject`) makes it
        the destination of a replication configured elsewhere."""
        if isinstance(policy, str):
            try:
                policy = json.loads(policy)
            except ValueError:
                return
        services = set(_service_principals(policy))
        delivering = sorted(services & _LOG_DELIVERY_SERVICES)
        if delivering:
            mark(bucket, f"receives logs from {delivering[0]} (bucket policy)")
        if _allows_action(policy, "s3:ReplicateObject"):
            mark(bucket, _REPLICA_BY_POLICY)

    # RDS and Aurora ------------------------------------------------------------------------

    def rds(self) -> None:
        instance_types = ("aws_db_instance", "AWS::RDS::DBInstance")
        cluster_types = ("aws_rds_cluster", "AWS::RDS::DBCluster")
        instances: dict[str, Store] = {}
        for instance in self.unit.of_type(*instance_types):
            if instance.type == "AWS::RDS::DBInstance" and is_set_or_computed(instance.attributes.get("DBClusterIdentifier")) is not False:
                continue  # an Aurora (or Multi-AZ cluster) member: the cluster is the store
            instances[instance.address] = self.add(instance, "RDS DB instance")
        identifiers = self.by_name(("aws_db_instance",), lambda r: r.attributes.get("identifier"))
        unattributed: list[str] = []
        for store in instances.values():
            attrs = store.resource.attributes
            source_key = "replicate_source_db" if store.resource.type == "aws_db_instance" else "SourceDBInstanceIdentifier"
            source_value = attrs.get(source_key)
            if is_set_or_computed(source_value) is not False:
                found = self.targets(source_value, instance_types)
                if found is None and isinstance(source_value, str):
                    parsed = _arn_part(source_value, "rds")
                    name = parsed[1].split(":", 1)[-1] if parsed else source_value
                    found = identifiers.get(name)
                store.replica_of = found[0].address if found else str(source_value) if isinstance(source_value, str) else "a source database"
                for primary in found or []:
                    if primary.address in instances and primary.address != store.address:
                        self.link(instances[primary.address], store.resource, store.address)
                if not found:
                    unattributed.append(store.address)
            if store.resource.type == "AWS::RDS::DBInstance":
                backup_region = attrs.get("AutomaticBackupReplicationRegion")
                if is_set_or_computed(backup_region) is not False:
                    self.copy_to_region(store, backup_region, "AutomaticBackupReplicationRegion", kind="backup")
        for replication in self.unit.of_type("aws_db_instance_automated_backups_replication"):
            arn = replication.attributes.get("source_db_instance_arn")
            found = self.targets(arn, ("aws_db_instance",))
            if found is None and isinstance(arn, str):
                parsed = _arn_part(arn, "rds")
                found = identifiers.get(parsed[1].split(":", 1)[-1]) if parsed else None
            if not found:
                unattributed.append(replication.address)
                continue
            for primary in found:
                if primary.address in instances:
                    self.link(instances[primary.address], replication, replication.address, kind="backup")
        self.undecide_unlinked(instances.values(), unattributed, "RDS replication")

        clusters: dict[str, Store] = {}
        for cluster in self.unit.of_type(*cluster_types):
            clusters[cluster.address] = self.add(cluster, "Aurora cluster" if _is_aurora(cluster) else "RDS DB cluster")
        cluster_ids = self.by_name(("aws_rds_cluster",), lambda r: r.attributes.get("cluster_identifier"))
        unattributed = []
        members: dict[str, list[Store]] = {}  # global cluster -> member clusters
        for store in clusters.values():
            attrs = store.resource.attributes
            terraform = store.resource.type == "aws_rds_cluster"
            global_id = attrs.get("global_cluster_identifier" if terraform else "GlobalClusterIdentifier")
            source = attrs.get("replication_source_identifier" if terraform else "ReplicationSourceIdentifier")
            if is_set_or_computed(source) is not False:
                found = self.targets(source, cluster_types)
                if found is None and isinstance(source, str):
                    parsed = _arn_part(source, "rds")
                    found = cluster_ids.get(parsed[1].split(":", 1)[-1] if parsed else source)
                store.replica_of = found[0].address if found else "a source cluster"
                for primary in found or []:
                    if primary.address in clusters and primary.address != store.address:
                        self.link(clusters[primary.address], store.resource, store.address)
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
                    self.link(store, other.resource, other.address)
                if not others:
                    # The global cluster's other members are not in this unit (a secondary
                    # region is usually its own root module): a global database either way.
                    store.copies.append(Copy(region=None, via=f"global cluster {_describe_identity(group[0], key)}"))
        for global_cluster in self.unit.of_type("aws_rds_global_cluster", "AWS::RDS::GlobalCluster"):
            key = "source_db_cluster_identifier" if global_cluster.type == "aws_rds_global_cluster" else "SourceDBClusterIdentifier"
            source = global_cluster.attributes.get(key)
            found = self.targets(source, cluster_types)
            for cluster in found or []:
                store = clusters[cluster.address]
                if not store.copies:
                    store.copies.append(Copy(region=None, via=global_cluster.address))
        self.undecide_unlinked(clusters.values(), unattributed, "Aurora replication")

    # EFS -----------------------------------------------------------------------------------

    def efs(self) -> None:
        systems: dict[str, Store] = {}
        for system in self.unit.of_type("aws_efs_file_system", "AWS::EFS::FileSystem"):
            systems[system.address] = self.add(system, "EFS file system")
        unattributed: list[str] = []
        for replication in self.unit.of_type("aws_efs_replication_configuration"):
            source = replication.attributes.get("source_file_system_id")
            found = self.targets(source, ("aws_efs_file_system",))
            if not found:
                unattributed.append(replication.address)
                continue
            destination = replication.attributes.get("destination")
            target_fs = self.targets(nested(destination, "file_system_id"), ("aws_efs_file_system",))
            for system in found:
                store = systems[system.address]
                if target_fs:
                    for target in target_fs:
                        systems[target.address].replica_of = system.address
                        self.link(store, target, replication.address)
                    continue
                region = nested(destination, "region")
                if not isinstance(region, str) or not region:
                    zone = nested(destination, "availability_zone_name")
                    region = _zone_region(zone) if isinstance(zone, str) else region
                if isinstance(region, str) and region:
                    self.copy_to_region(store, region, replication.address)
                elif is_set_or_computed(region) is False and isinstance(replication.region, str):
                    # No destination region: the replica is created where the configuration is.
                    self.copy_to_region(store, replication.region, replication.address)
                else:
                    store.undecided = store.undecided or f"the destination region of {replication.address} is not known"
        self.undecide_unlinked(systems.values(), unattributed, "EFS replication")
        for store in systems.values():
            if store.resource.type != "AWS::EFS::FileSystem":
                continue
            configuration = store.resource.attributes.get("ReplicationConfiguration")
            if isinstance(configuration, Unknown):
                store.undecided = "its ReplicationConfiguration is not known"
                continue
            destinations = configuration.get("Destinations") if isinstance(configuration, dict) else None
            if isinstance(destinations, Unknown):
                store.undecided = "its replication destinations are not known"
                continue
            for index, destination in enumerate(destinations if isinstance(destinations, list) else []):
                region = nested(destination, "Region")
                if not isinstance(region, str):
                    zone = nested(destination, "AvailabilityZoneName")
                    region = _zone_region(zone) if isinstance(zone, str) else region
                if isinstance(region, str):
                    self.copy_to_region(store, region, f"ReplicationConfiguration.Destinations[{index}]")
                else:
                    store.undecided = store.undecided or "the region of its replication destination is not known"

    # Azure ---------------------------------------------------------------------------------

    def azure(self) -> None:
        accounts: dict[str, Store] = {}
        for account in self.unit.of_type("azurerm_storage_account"):
            store = accounts[account.address] = self.add(account, "storage account")
            kind = account.attributes.get("account_replication_type")
            if isinstance(kind, Unknown):
                store.undecided = "its account_replication_type is not known"
            elif isinstance(kind, str) and kind.upper() in _AZURE_GEO_REDUNDANT:
                store.copies.append(Copy(region=None, via=f"account_replication_type = {kind} (the paired region)"))
        unattributed: list[str] = []
        for replication in self.unit.of_type("azurerm_storage_object_replication"):
            source = self.targets(replication.attributes.get("source_storage_account_id"), ("azurerm_storage_account",))
            target = self.targets(replication.attributes.get("destination_storage_account_id"), ("azurerm_storage_account",))
            if not source:
                unattributed.append(replication.address)
                continue
            for account in source:
                store = accounts[account.address]
                if target:
                    for destination in target:
                        accounts[destination.address].replica_of = account.address
                        self.link(store, destination, replication.address)
                else:
                    store.copies.append(Copy(region=None, via=replication.address))
        self.undecide_unlinked(accounts.values(), unattributed, "object replication")
        self.azure_purposes(accounts)
        for account in self.unit.of_type("azurerm_cosmosdb_account"):
            store = self.add(account, "Cosmos DB account")
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

    def azure_purposes(self, accounts: dict[str, Store]) -> None:
        """Storage accounts that receive diagnostics or flow logs, or run a function app."""
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
        names = self.by_name(("azurerm_storage_account",), lambda r: r.attributes.get("name"))

        def accounts_named(value: Any) -> list[Resource]:
            found = self.targets(value, ("azurerm_storage_account",))
            if found is None and isinstance(value, str):
                found = names.get(value)  # storage_account_name = azurerm_storage_account.x.name
            return found or []

        for resource in self.unit.resources:
            if resource.type in uses:
                key, text = uses[resource.type]
                for account in accounts_named(resource.attributes.get(key)):
                    store = accounts[account.address]
                    store.purpose = store.purpose or text.format(resource.address)
            if resource.type in function_apps:
                # The account's connection string kept in a Key Vault secret that the app reads.
                for secret in self.targets(resource.attributes.get("storage_key_vault_secret_id"), ("azurerm_key_vault_secret",)) or []:
                    for account in self.targets(secret.attributes.get("value"), ("azurerm_storage_account",)) or []:
                        store = accounts[account.address]
                        store.purpose = store.purpose or f"holds the runtime files of {resource.address}"
            # FP-9: a static website is content deployed from source, like an S3 website bucket.
            if resource.type == "azurerm_storage_account" and is_set_or_computed(block_instances(resource.attributes.get("static_website"))) is True:
                store = accounts[resource.address]
                store.purpose = store.purpose or "hosts a static website"
            elif resource.type == "azurerm_storage_account_static_website":
                for account in self.targets(resource.attributes.get("storage_account_id"), ("azurerm_storage_account",)) or []:
                    store = accounts[account.address]
                    store.purpose = store.purpose or f"hosts a static website ({resource.address})"
            elif resource.type == "azapi_resource" and _is_azapi_flow_log(resource.attributes.get("type")):
                for account in self.targets(_azapi_storage_id(resource.attributes.get("body")), ("azurerm_storage_account",)) or []:
                    store = accounts[account.address]
                    store.purpose = store.purpose or f"receives the flow logs of {resource.address}"
            diagnostics = block_instances(resource.attributes.get("boot_diagnostics"))
            if isinstance(diagnostics, list):
                for block in diagnostics:
                    uri = nested(block, "storage_account_uri")
                    for account in self.targets(uri, ("azurerm_storage_account",)) or []:
                        store = accounts[account.address]
                        store.purpose = store.purpose or f"receives the boot diagnostics of {resource.address}"

    # Google Cloud --------------------------------------------------------------------------

    def google(self) -> None:
        buckets: dict[str, Store] = {}
        for bucket in self.unit.of_type("google_storage_bucket"):
            store = buckets[bucket.address] = self.add(bucket, "Cloud Storage bucket")
            location = bucket.attributes.get("location")
            data_locations = nested(bucket.attributes.get("custom_placement_config"), "data_locations")
            if isinstance(location, Unknown) or location is None:
                store.undecided = "its location is not known"
            elif isinstance(data_locations, Unknown):
                store.undecided = "its custom_placement_config is not known"
            elif isinstance(data_locations, list) and len(data_locations) >= 2:
                store.multi_region = f"dual-region {', '.join(str(d) for d in data_locations)}"
            elif isinstance(location, str) and not is_gcp_region(location):
                store.multi_region = f"{'multi' if location.upper() in ('US', 'EU', 'ASIA') else 'dual'}-region location {location}"
        names = self.by_name(("google_storage_bucket",), lambda r: r.attributes.get("name"))

        def mark(value: Any, purpose: str) -> None:
            found = self.targets(value, ("google_storage_bucket",))
            if found is None and isinstance(value, str):
                name = gcs_bucket_name(value)
                found = names.get(name or "")
            for bucket in found or []:
                buckets[bucket.address].purpose = buckets[bucket.address].purpose or purpose

        for resource in self.unit.resources:
            attrs = resource.attributes
            if resource.type == "google_storage_bucket":
                mark(nested(attrs.get("logging"), "log_bucket"), f"receives the access logs of {resource.address}")
                if is_set_or_computed(block_instances(attrs.get("website"))) is True:
                    buckets[resource.address].purpose = buckets[resource.address].purpose or "hosts a static website"
            elif resource.type.startswith("google_logging_") and resource.type.endswith("_sink"):
                mark(attrs.get("destination"), f"receives the logs of {resource.address}")
            elif resource.type == "google_cloudfunctions_function":
                mark(attrs.get("source_archive_bucket"), f"holds the source of {resource.address}")

        instances: dict[str, Store] = {}
        for instance in self.unit.of_type("google_sql_database_instance"):
            store = instances[instance.address] = self.add(instance, "Cloud SQL instance")
            backups = nested(instance.attributes.get("settings"), "backup_configuration")
            backup_location = nested(backups, "location")
            enabled = nested(backups, "enabled")
            if isinstance(backups, Unknown) or isinstance(backup_location, Unknown):
                store.undecided = store.undecided or "its backup_configuration is not known"
            elif not backup_location and as_bool(enabled) is True:
                # Without a location, Cloud SQL keeps backups in the multi-region nearest to the
                # instance: a copy outside its region.
                store.copies.append(Copy(region=None, via="backup_configuration (backups in the nearest multi-region)", kind="backup"))
            elif not backup_location and isinstance(enabled, Unknown):
                store.undecided = store.undecided or "whether its backups are enabled is not known"
            if isinstance(backup_location, str) and backup_location:
                own = store.region if isinstance(store.region, str) else None
                if not is_gcp_region(backup_location) or (own is not None and backup_location.lower() != own):
                    store.copies.append(Copy(region=backup_location.lower(), via="backup_configuration.location", kind="backup"))
        sql_names = self.by_name(("google_sql_database_instance",), lambda r: r.attributes.get("name"))
        unattributed: list[str] = []
        for store in instances.values():
            master = store.resource.attributes.get("master_instance_name")
            if is_set_or_computed(master) is False:
                continue
            found = self.targets(master, ("google_sql_database_instance",))
            if found is None and isinstance(master, str):
                found = sql_names.get(master.rsplit(":", 1)[-1])
            store.replica_of = found[0].address if found else "a primary instance"
            if not found:
                unattributed.append(store.address)
                continue
            for primary in found:
                if primary.address in instances:
                    self.link(instances[primary.address], store.resource, store.address)
        self.undecide_unlinked(instances.values(), unattributed, "Cloud SQL replicas")


_AZURE_GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})
_LOG_DELIVERY_SERVICES = frozenset(
    {
        "logging.s3.amazonaws.com",
        "delivery.logs.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "config.amazonaws.com",
        "logdelivery.elasticloadbalancing.amazonaws.com",
    }
)


_REPLICA_BY_POLICY = "\0replica"  # a marker, turned into Store.replica_of
_LOCK_TABLE = "holds Terraform state locks (its hash key is LockID): nothing to replicate"


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
_LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery"


def _grants_log_delivery(grants: Any) -> bool:
    """Whether ACL grants give the S3 log delivery group access (server access logging)."""
    blocks = block_instances(grants)
    if isinstance(blocks, Unknown):
        return False
    for grant in blocks:
        uri = nested(grant, "uri")
        if not isinstance(uri, str):
            uri = nested(grant, "grantee", "uri")
        if isinstance(uri, str) and uri.rstrip("/") == _LOG_DELIVERY_GROUP:
            return True
    return False


# The canonical user of the `awslogsdelivery` account that writes CloudFront standard logs: a
# bucket that grants it access is a CloudFront log bucket (the loader gives
# `data.aws_cloudfront_log_delivery_canonical_user_id` this value when the region is known).
_CLOUDFRONT_LOG_DELIVERY_IDS = frozenset(
    {
        "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0",
        "a52cb28745c0c06e84ec548334e44bfa7fc2a85c54af20cd59e4969344b7af56",  # the China partition
    }
)
_CLOUDFRONT_LOGS = "grants CloudFront's log delivery account access: it receives CloudFront logs"


def _grants_cloudfront_log_delivery(grants: Any) -> bool:
    """Whether ACL grants give CloudFront's log delivery account access (`grant { id }` of the
    provider v3 bucket, `access_control_policy.grant.grantee.id` of `aws_s3_bucket_acl`)."""
    found = block_instances(grants)
    if isinstance(found, Unknown):
        return False
    for grant in found:
        grantee = nested(grant, "id")
        if grantee is None:
            grantee = nested(grant, "grantee", "id")
        if isinstance(grantee, str) and grantee.strip().lower() in _CLOUDFRONT_LOG_DELIVERY_IDS:
            return True
    return False


def _allows_action(policy: Any, action: str) -> bool:
    if not isinstance(policy, dict):
        return False
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action")
        for value in actions if isinstance(actions, list) else [actions]:
            if isinstance(value, str) and value.lower() == action.lower():
                return True
    return False


def _service_principals(policy: Any) -> Iterator[str]:
    if not isinstance(policy, dict):
        return
    statements = policy.get("Statement")
    for statement in statements if isinstance(statements, list) else [statements]:
        if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
            continue
        principal = statement.get("Principal")
        service = principal.get("Service") if isinstance(principal, dict) else None
        for value in service if isinstance(service, list) else [service]:
            if isinstance(value, str):
                yield value


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


def _zone_region(zone: str) -> str | None:
    return aws_zone_region(zone) or gcp_zone_region(zone)
