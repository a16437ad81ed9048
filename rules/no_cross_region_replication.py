"""RES103 no-cross-region-replication."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from resilint.arguments import first_block
from resilint.families.base import CLOUDFORMATION, TERRAFORM, Member
from resilint.families.databases import DATABASES
from resilint.families.deployment import is_stack
from resilint.families.storage import BUCKETS, FILE_SYSTEMS, TABLES
from resilint.model import Project, Resource, Unit
from resilint.relations.placement import describe
from resilint.relations.replication import Store, across_units, stores
from resilint.relations.state_buckets import beside_lock_table, bucket_key, state_buckets
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool


@rule(
    id="RES103",
    name="no-cross-region-replication",
    severity=Severity.WARNING,
    summary="A data store keeps its only copy in one region",
    fix="Replicate the data to a second region (global table, replica, geo-redundant storage)",
    tags=("region", "data"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a primary data store whose data the code copies to no other region:

    - DynamoDB: an `aws_dynamodb_table` without `replica` blocks, not joined by an
      `aws_dynamodb_table_replica` or a legacy `aws_dynamodb_global_table`; an
      `AWS::DynamoDB::Table`; an `AWS::DynamoDB::GlobalTable` with one entry in `Replicas`.
    - S3: a bucket that is not the source of an enabled replication rule (inline
      `replication_configuration`, `aws_s3_bucket_replication_configuration`, CloudFormation
      `ReplicationConfiguration`) to a bucket in another region, nor in a multi-region access
      point. Replication within the region (SRR) is named in the message but does not count.
    - RDS: an `aws_db_instance` / `AWS::RDS::DBInstance` without a read replica in another
      region and without automated backups replicated to another region
      (`aws_db_instance_automated_backups_replication`, `AutomaticBackupReplicationRegion`);
      an Aurora (or Multi-AZ DB) cluster that is in no global cluster and has no cross-region
      replica cluster (`replication_source_identifier`).
    - EFS: a file system without a replication configuration to another region.
    - Azure: a storage account whose `account_replication_type` is `LRS` or `ZRS` (not
      `GRS`, `RAGRS`, `GZRS`, `RAGZRS`) and that is not the source of an object replication; a
      Cosmos DB account with a single `geo_location`.
    - Azure databases: a PostgreSQL or MySQL flexible server
      (`azurerm_postgresql_flexible_server`, `azurerm_mysql_flexible_server`) without a read
      replica in another region (a server with `create_mode = "Replica"` whose
      `source_server_id` is this one); geo-redundant backups do not count here, because they
      restore into the paired region only as a new server, hours later (RES108 judges the
      backups). An Azure SQL database (`azurerm_mssql_database`, the older
      `azurerm_sql_database`) that no failover group lists in its `databases`
      (`azurerm_mssql_failover_group`, `azurerm_sql_failover_group`) and that no active
      geo-replica (`create_mode = "Secondary"` with `creation_source_database_id`) copies. A
      failover group whose `databases` cannot be resolved may list any database of the unit.
      A failover group whose read-write endpoint fails over only by hand
      (`read_write_endpoint_failover_policy { mode = "Manual" }`) is a note: the copy exists,
      but writes stop until someone fails the group over.
    - Google Cloud: a Cloud Storage bucket in a single region (not a multi-region such as `US`,
      a dual-region such as `NAM4`, or `custom_placement_config`); a Cloud SQL instance
      without a replica in another region and without backups kept in another location.

    Copies themselves (destination buckets, read replicas, secondary clusters) are never
    flagged.

    ## Scope
    Only primary data is judged, because a warning on every bucket of every repository would
    be noise. Not flagged:

    - buckets and storage accounts that hold data the platform regenerates or that has its
      own retention story: targets of S3 server access logs, load balancer and CloudFront
      logs, CloudTrail, AWS Config and VPC flow logs (found through the resources that write
      to them, a `log-delivery-write` ACL, or a bucket policy, `aws_s3_bucket_policy` or the
      bucket's inline `policy`, that lets a log-delivery service or the Elastic Load Balancing
      account, `data.aws_elb_service_account`, write; a heredoc policy whose account is looked
      up from values without one, `${var.elb_account_ids[var.region]}`, still says who writes),
      static website buckets (a website configuration, or the origin of the
      default cache behavior of a CloudFront distribution with a default root object: the
      site CloudFront serves; RES101 counts them as entry points), CodePipeline artifact stores, Lambda
      deployment-package buckets, Athena query results (a workgroup's output location, or the OutputLocation of a
      Step Functions task that starts a query, with its DefinitionSubstitutions; a SAM state
      machine's definition in a local DefinitionUri file too), the execution reports of an
      ARC Region switch plan (`AWS::ARCRegionSwitch::Plan` `ReportConfiguration`), S3
      inventory and storage class analysis destinations, the
      buckets a Firehose stream delivers (or backs up) CloudWatch metric streams and log
      subscription filters into, when nothing else of the code writes to that stream; storage
      accounts that receive diagnostic settings, flow logs or boot diagnostics, hold a
      function app's runtime files, or stage Site Recovery's replication (a replicated VM's
      cache account, `staging_storage_account_id`); Cloud Storage buckets that receive access logs or log
      sinks, host a website, or hold Cloud Functions sources (1st gen `source_archive_bucket`,
      2nd gen `build_config.source.storage_source.bucket`); Terraform state buckets: an S3
      or Cloud Storage bucket whose name the `backend "s3"` / `backend "gcs"` block of a root
      of the scan names, or an Azure storage account whose name a `backend "azurerm"` block
      names (`storage_account_name`; the bootstrap root that creates it is judged with the
      roots that keep their state there), or the only S3 bucket of a module instance (or
      template) that declares the S3 backend's `LockID` lock table beside it (a state
      bootstrap module, whose bucket name no backend names literally), as that lock table.
      What writes to a bucket or serves from it may be in another unit of the system: a root
      reading this root's state (`terraform_remote_state`), a Terragrunt unit depending on it,
      a stack importing its exports (a CloudFront distribution in an edge root serving a site
      from the shared root's bucket, a load balancer in the app root logging into it, a log sink
      of the app root writing into the shared root's Cloud Storage bucket).
    - stores whose replication cannot be decided from the code: a replication rule whose
      source, destination or status comes from a value resilint cannot resolve (the rule
      then may concern any store of that kind in the unit), a destination whose region is not
      known, a `location` or `account_replication_type` from a variable without a value.
    - resources whose `count` / `for_each` / `Condition` is unknown (they may not exist).

    Replication across the units of a system counts (see `resilint systems`): a bucket of the
    DR root that the primary root's replication rule names through a remote state's output is a
    replica, not flagged, and the primary's bucket is replicated to the DR root's region; a
    database of the primary root that a read replica in the DR root copies is replicated.

    Known limitations: a replica in a unit that nothing links to the primary's (no remote state,
    no `[[systems]]`) is not visible from the primary's unit; suppress the finding there with a
    reason (`# resilint:ignore=RES103 replicated by infra/dr`). A bucket holding only derived
    data that is none of the kinds above is flagged; suppress it the same way.

    ## Why is this bad?
    A region-wide outage makes a single-region store unavailable for as long as the outage
    lasts, and a regional disaster can lose it: compute can be redeployed elsewhere in minutes,
    data cannot. During the us-east-1 outage of October 2025, DynamoDB global tables kept
    serving reads and writes from their other regions while single-region tables were
    unreachable.

    ## Example
    ```hcl
    resource "aws_dynamodb_table" "orders" {
      name         = "orders"
      billing_mode = "PAY_PER_REQUEST"
      hash_key     = "id"

      attribute {
        name = "id"
        type = "S"
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_dynamodb_table" "orders" {
      name             = "orders"
      billing_mode     = "PAY_PER_REQUEST"
      hash_key         = "id"
      stream_enabled   = true
      stream_view_type = "NEW_AND_OLD_IMAGES"

      attribute {
        name = "id"
        type = "S"
      }

      replica {
        region_name = "us-west-2"
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_ReadRepl.XRgn.html
    - https://docs.aws.amazon.com/efs/latest/ug/efs-replication.html
    - https://learn.microsoft.com/en-us/azure/storage/common/storage-redundancy
    - https://learn.microsoft.com/en-us/azure/cosmos-db/distribute-data-globally
    - https://learn.microsoft.com/en-us/azure/azure-sql/database/failover-group-sql-db
    - https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-read-replicas
    - https://cloud.google.com/storage/docs/locations
    - https://cloud.google.com/sql/docs/mysql/replication/cross-region-replicas
    """
    elsewhere = across_units(unit, project)
    for store in stores(unit):
        if store.replica_of is not None or store.replicated or store.undecided or store.purpose:
            continue
        if store.address in elsewhere.replicas or _replicated_elsewhere(store, elsewhere.replicated.get(store.address, ())):
            continue  # a copy another unit of the system makes, or the source of one
        if store.resource.count_unknown:
            continue
        if bucket_key(store.resource) in state_buckets(project) or beside_lock_table(unit, store.resource):
            continue  # Terraform's state: the backend of a root of the project keeps it there, or its lock table is beside it
        verdict = _verdict(store)
        if verdict is not None:
            message, fix = verdict
            yield Violation(message, at=store.resource, fix=fix)
    for group in DATABASES.members(unit, "sql_failover_group", "legacy_sql_failover_group"):
        yield from _manual_failover(unit, group)


def _server_region(unit: Unit, group: Member, prefixes: tuple[str, ...]) -> str | None:
    """The region of the server a failover group names at arguments starting with `prefixes`."""
    regions = {
        r.region for ref in group.resource.references if ref.path.startswith(prefixes) for r in unit.resolve(ref.target)
    }
    return next(iter(regions)) if len(regions) == 1 and isinstance(next(iter(regions)), str) else None


def _manual_failover(unit: Unit, group: Member) -> Iterator[Violation]:
    """A failover group whose read-write endpoint fails over only when someone triggers it: the
    copy exists, but nothing moves the writes to it by itself (a note)."""
    if group.resource.count_unknown:
        return
    policy = first_block(group.value("policy"))
    mode = group.value("mode", within=policy) if policy is not None else None
    if not isinstance(mode, str) or mode.lower() != "manual":
        return  # Automatic, or not known
    where = _server_region(unit, group, ("server_id", "server_name")) or "the primary server's region"
    partner = _server_region(unit, group, (group.argument("partner"),))
    to = f" to {partner}" if partner is not None else ""
    yield Violation(
        f"{group.address} fails over only when someone triggers it ({group.argument('policy')} "
        f'{{ {group.argument("mode")} = "{mode}" }}): when {where} fails, its databases accept no writes until a '
        f"person (or automation of yours) fails the group over{to}",
        at=group.resource,
        fix='Automate the failover (an alert that runs a tested runbook calling the failover API), or set mode = '
        '"Automatic" with grace_minutes (Microsoft then fails the group over after a region-wide outage of at least '
        "an hour)",
        severity=Severity.NOTE,
    )


def _replicated_elsewhere(store: Store, replicas: Sequence[Store]) -> bool:
    """A store that a store of another unit of the system replicates: replicated unless every
    such replica is known to sit in the store's own region."""
    return any(not (isinstance(r.region, str) and r.region == store.region) for r in replicas)


def _where(store: Store) -> str:
    if isinstance(store.region, str):
        return store.region
    return "the stack's region" if is_stack(store.resource) else "its region"


def _verdict(store: Store) -> tuple[str, str] | None:
    member = _member(store.resource)
    if member is None:
        return None
    kind, source = member.kind, member.source
    head = f"{store.address} keeps its data in {_where(store)} only"
    within = ""
    if store.same_region:
        copies = "copy" if len(store.same_region) == 1 else "copies"
        within = f" (its {copies} in the same region, {describe(store.same_region, 2)}, would go down with it)"
    if kind == "dynamodb_table" and source == TERRAFORM:
        return (
            f"{head}: the table has no replica block{within}",
            'Add a replica { region_name = "<another region>" } block (a DynamoDB global table; '
            "it needs stream_enabled = true) so the table stays writable in a second region",
        )
    if kind == "legacy_global_table":
        return (
            f"{head}: the global table lists replicas in one region only",
            "Add a replica block for a second region, or move to replica blocks on "
            f"{TABLES.type_of('dynamodb_table', TERRAFORM)} (the current version of global tables)",
        )
    if kind == "dynamodb_table":
        return (
            f"{head}: an {member.resource.type} cannot have replicas",
            f"Declare the table as {TABLES.type_of('global_table', source)} with Replicas in two regions "
            "(StreamSpecification is required)",
        )
    if kind == "global_table":
        return (
            f"{head}: its Replicas list one region",
            "Add a second entry to Replicas with another Region",
        )
    if kind == "s3_bucket" and source == TERRAFORM:
        return (
            f"{head}: no replication rule copies it to a bucket in another region{within}",
            f"Add an {BUCKETS.type_of('s3_replication', source)} whose rule sends the objects to a bucket "
            "in another region (versioning must be enabled on both buckets)",
        )
    if kind == "s3_bucket":
        return (
            f"{head}: no ReplicationConfiguration rule copies it to a bucket in another region{within}",
            "Add ReplicationConfiguration.Rules with a Destination bucket in another region "
            "(VersioningConfiguration Status: Enabled on both buckets)",
        )
    if kind == "db_instance" and source == TERRAFORM:
        return (
            f"{head}: it has no read replica in another region and its automated backups are not "
            f"replicated to another region{within}",
            f"Create a cross-region read replica (an {member.resource.type} in another region with "
            f"{member.argument('replica_source')} = this instance's arn) or an "
            f"{DATABASES.type_of('backup_replication', source)} in another region",
        )
    if kind == "db_instance":
        return (
            f"{head}: AutomaticBackupReplicationRegion is not set and no read replica in another "
            f"region is declared{within}",
            "Set AutomaticBackupReplicationRegion, or create a read replica in another region "
            "(a DBInstance with SourceDBInstanceIdentifier = this instance's ARN, deployed there)",
        )
    if kind == "aurora_cluster":
        return (
            f"{head}: the {store.kind} is in no global cluster ({member.argument('global_cluster')} is not set) and "
            f"has no replica cluster in another region{within}",
            f"Make it the primary of a global database ({DATABASES.type_of('global_cluster', TERRAFORM)} / "
            f"{DATABASES.type_of('global_cluster', CLOUDFORMATION)}) with a secondary cluster in another region",
        )
    if kind == "efs" and source == TERRAFORM:
        replication = FILE_SYSTEMS.type_of("efs_replication", source)
        return (
            f"{head}: no {replication} replicates it to another region{within}",
            f'Add an {replication} with destination {{ region = "<another region>" }}',
        )
    if kind == "efs":
        return (
            f"{head}: no ReplicationConfiguration replicates it to another region{within}",
            "Add ReplicationConfiguration.Destinations with a Region other than the stack's",
        )
    if kind == "storage_account":
        replication = member.value("replication")
        if not isinstance(replication, str):
            return None
        premium = str(member.value("tier") or "").lower() == "premium"
        fix = (
            "Premium accounts offer no geo-redundant type: replicate the data to an account in another "
            f"region ({BUCKETS.type_of('object_replication', source)} for block blobs, or the application)"
            if premium
            else f'Use {member.argument("replication")} = "GZRS" (or "RAGZRS"; "GRS"/"RAGRS" without zones), '
            "which keeps a copy in the paired region"
        )
        return (
            f"{head}: {member.argument('replication')} = {replication} keeps every copy in one region{within}",
            fix,
        )
    if kind == "cosmosdb_account":
        return (
            f"{head}: the account has a single geo_location",
            "Add a geo_location block for a second region (failover_priority = 1) and set "
            "automatic_failover_enabled = true",
        )
    if kind == "flexible_server":
        geo = " (its geo-redundant backups restore into the paired region only as a new server)" if as_bool(member.value("geo_backup")) else ""
        replica_mode = member.assignment("create_mode", '"Replica"')
        return (
            f"{head}: it has no read replica in another region{geo}{within}",
            f"Create a read replica in another region (an {member.resource.type} with "
            f"{replica_mode}, {member.argument('source_server')} = this "
            "server's id and a location in another region), which can be promoted when this region fails",
        )
    if kind in ("sql_database", "legacy_sql_database"):
        group = DATABASES.type_of("sql_failover_group" if kind == "sql_database" else "legacy_sql_failover_group", source)
        return (
            f"{head}: it is in no failover group ({group}) and no geo-replica copies it to another region{within}",
            f"List the database in the databases of an {group} whose partner server is in another region "
            "(read_write_endpoint_failover_policy mode = \"Automatic\"), and connect through the group's listener",
        )
    if kind == "gcs_bucket":
        return (
            f"{head}: location {member.value('location')} is a single region",
            'Use a dual-region or multi-region location ("NAM4", "EUR4", "US", "EU"), or '
            "custom_placement_config with two regions",
        )
    if kind == "cloud_sql_instance":
        return (
            f"{head}: it has no replica in another region and keeps no backups in another "
            f"location{within}",
            f"Add a cross-region read replica (a {member.resource.type} in another region with "
            f"{member.argument('replica_source')} = this instance's name), usable for failover",
        )
    return None


def _member(resource: Resource) -> Member | None:
    for family in (TABLES, BUCKETS, DATABASES, FILE_SYSTEMS):
        member = family.member(resource)
        if member is not None:
            return member
    return None
