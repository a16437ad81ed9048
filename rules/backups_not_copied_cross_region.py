"""RES108 backups-not-copied-cross-region."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT, first_block, nested
from resilint.families.base import Member
from resilint.families.databases import DATABASES
from resilint.families.deployment import is_stack
from resilint.families.recovery import BACKUPS
from resilint.model import Project, Resource, Unit, spelled
from resilint.placement import gcp_region_of, is_multi_region_value
from resilint.relations.placement import describe, region_of
from resilint.relations.protection import (
    ANY_WORKLOAD,
    backed_up_clusters,
    backup_dr_protection,
    backup_vault_location,
    plan_copies,
    selected_resources,
)
from resilint.relations.replication import store_of
from resilint.rule import Severity, Violation, in_each_copy, rule
from resilint.values import as_bool, as_str

_LOCAL_MODES = ("LocallyRedundant", "ZoneRedundant")
_GEO_MODE = "GeoRedundant"
# Backup storage of an Azure SQL database that stays in its region (provider 3.x+, and 2.x's names).
_LOCAL_BACKUP_STORAGE = ("local", "zone", "lrs", "zrs")


@rule(
    id="RES108",
    name="backups-not-copied-cross-region",
    severity=Severity.WARNING,
    summary="Backups kept only in the region of the data they protect",
    fix="Copy backups to another region (a cross-region copy action, a geo-redundant vault or backup storage)",
    tags=("region", "data", "backup"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags backups that stay in the region of the data they protect:

    - AWS Backup plans (`aws_backup_plan`, `AWS::Backup::BackupPlan`) none of whose rules has a
      copy action (`rule.copy_action.destination_vault_arn`,
      `BackupPlanRule[*].CopyActions[*].DestinationBackupVaultArn`) to a vault in another region.
      The destination's region is the region field of its ARN, or the region of the
      `aws_backup_vault` it refers to; a vault of the same CloudFormation template is in the
      stack's region. A plan whose backup selections (`aws_backup_selection` `resources`) name
      only data stores of the code that have a live replica in another region (the clusters of
      an Aurora global database, each with its own plan in its region) is not judged: that
      region holds the data (RES103 judges replicas).
    - Azure Recovery Services vaults (`azurerm_recovery_services_vault`) whose
      `storage_mode_type` is `LocallyRedundant` or `ZoneRedundant` (the default,
      `GeoRedundant`, copies to the paired region), and Data Protection backup vaults
      (`azurerm_data_protection_backup_vault`) whose `redundancy` is one of those. A
      geo-redundant vault without cross-region restore (`cross_region_restore_enabled` false
      or not set, its default) is a note: its copies in the paired region can be restored
      only after Microsoft declares a disaster in the primary region.
    - Azure SQL databases (`azurerm_mssql_database`) whose backup storage
      (`storage_account_type`) is `Local` or `Zone` (the default, `Geo`, and `GeoZone` copy to
      the paired region), unless a failover group or a geo-replica copies the database.
    - Google Cloud SQL instances (`google_sql_database_instance`) whose backups are on
      (`settings.backup_configuration.enabled = true`) and kept in the instance's own region
      (`backup_configuration.location` set to it; left out, Cloud SQL keeps them in the
      multi-region nearest the instance), unless a replica in another region copies the
      instance.
    - Azure PostgreSQL and MySQL flexible servers (`azurerm_postgresql_flexible_server`,
      `azurerm_mysql_flexible_server`) whose `geo_redundant_backup_enabled` is false or not set
      (the default is false), unless a read replica in another region copies the server (it
      is then not the only copy; RES103 judges replicas). Replicas themselves keep no backups
      of their own and are not judged.
    - Google Backup and DR plans (`google_backup_dr_backup_plan`) whose backup vault
      (`backup_vault`: a `google_backup_dr_backup_vault` of the code, or the vault's resource
      name `projects/P/locations/L/backupVaults/V`) is in the region of a workload a plan
      association (`google_backup_dr_backup_plan_association`, its `resource` and
      `backup_plan`) applies it to, when no other plan keeps that workload's backups
      elsewhere (an association whose workload is a resource name, or whose count is not
      known, may apply its plan to any workload). A multi-region vault, a vault whose location is not known and a plan that no
      association of the code applies to a workload are not judged.
    - Backup for GKE plans (`google_gke_backup_backup_plan`) whose `location`, the region
      where Backup for GKE stores the plan's backups, is the region of the cluster they back
      up (`cluster`: a `google_container_cluster` of the code, zonal or regional, or the
      cluster's resource name). A deactivated plan (`deactivated = true`) takes no backups
      and is not judged.

    A destination, rule list, storage mode or switch whose value resilint cannot resolve
    never fires; neither does a plan whose region is not known while its copies go somewhere
    named.

    Known limitations: Azure regions without a paired region offer no geo-redundant vault or
    backup storage; there the fix is a copy in another region by other means, or a
    suppression with the reason.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: a copy action whose destination a mapping by region names
    (`!FindInMap [CopyTo, !Ref AWS::Region, Vault]`) is judged in each copy. A finding is
    reported once at the template's line, ending with the copies it holds in.

    ## Why is this bad?
    Backups are the last line of defence when the data itself is gone or corrupt. Kept in the
    same region, they are unavailable during a regional outage (exactly when a restore in
    another region is needed) and share the region's fate in a disaster or a regional
    service failure (the us-east-1 outage of 20 October 2025 lasted about 15 hours). A copy in a
    second region (ideally in a second account too) lets you
    restore there.

    ## Example
    ```hcl
    resource "aws_backup_plan" "daily" {
      name = "daily"

      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_backup_plan" "daily" {
      name = "daily"

      rule {
        rule_name         = "daily"
        target_vault_name = aws_backup_vault.main.name
        schedule          = "cron(0 5 * * ? *)"

        copy_action {
          destination_vault_arn = aws_backup_vault.dr.arn # a vault in another region
        }
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/aws-backup/latest/devguide/cross-region-backup.html
    - https://learn.microsoft.com/en-us/azure/backup/backup-create-recovery-services-vault#set-storage-redundancy
    - https://learn.microsoft.com/en-us/azure/backup/backup-create-recovery-services-vault#set-cross-region-restore
    - https://learn.microsoft.com/en-us/azure/postgresql/flexible-server/concepts-backup-restore
    - https://learn.microsoft.com/en-us/azure/azure-sql/database/automated-backups-overview
    - https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#backup-locations
    - https://cloud.google.com/backup-disaster-recovery/docs/concepts/backup-vault
    - https://cloud.google.com/kubernetes-engine/docs/add-on/backup-for-gke/concepts/about-locations
    """
    # A stack deployed to several regions: a copy's region decides where its plan's copy
    # actions go (`!FindInMap [CopyTo, !Ref AWS::Region, Vault]`) and where its vault is.
    yield from in_each_copy(unit, _backups)


def _backups(unit: Unit) -> Iterator[Violation]:
    for member in BACKUPS.members(unit, "backup_plan"):
        yield from _plan(unit, member)
    for member in BACKUPS.members(unit, "recovery_vault", "data_protection_vault"):
        yield from _vault(member)
    for member in DATABASES.members(unit, "flexible_server"):
        yield from _flexible_server(unit, member)
    for member in DATABASES.members(unit, "sql_database"):
        yield from _sql_database(unit, member)
    for member in DATABASES.members(unit, "cloud_sql_instance"):
        yield from _cloud_sql(unit, member)
    for member in BACKUPS.members(unit, "gcp_backup_plan"):
        yield from _backup_dr_plan(unit, member)
    for member in BACKUPS.members(unit, "gke_backup_plan"):
        yield from _gke_backup_plan(unit, member)


def _where(member: Member) -> str:
    region = member.resource.region
    if isinstance(region, str):
        return region
    return "the stack's region" if is_stack(member.resource) else "its region"


def _plan(unit: Unit, plan: Member) -> Iterator[Violation]:
    if plan.resource.count_unknown:
        return
    copies = plan_copies(unit, plan)
    if copies.undecided is not None or copies.other_regions:
        return
    selected = selected_resources(unit, plan)
    if selected and all(_live_copy_elsewhere(unit, resource) for resource in selected):
        return  # what it backs up has a live copy in another region (RES103 judges the copies)
    if copies.copies == 0:
        why = f"no rule has a copy action ({plan.argument('copy_actions')})"
    else:
        why = f"its copy actions send them to the same region ({describe(copies.same_region, 2)})"
    yield Violation(
        f"{plan.address} keeps every {plan.service} recovery point in {_where(plan)}: {why}; a regional outage "
        "leaves nothing to restore from elsewhere",
        at=plan.resource,
        fix=plan.word("copy_fix"),
    )


def _live_copy_elsewhere(unit: Unit, resource: Resource) -> bool:
    """A data store with a live replica in a known other region (each cluster of an Aurora
    global database, a replicated table or bucket): that region holds the data too."""
    store = store_of(unit, resource.address)
    return store is not None and bool(store.replica_regions)


def _vault(vault: Member) -> Iterator[Violation]:
    if vault.resource.count_unknown:
        return
    role = "storage_mode" if vault.has("storage_mode") else "redundancy"
    name, value = vault.setting(role)
    mode = as_str(value) if value is not DEFAULT else vault.says("default")
    if mode is None:
        return  # not known (or a required redundancy left out: the provider refuses it)
    if mode in _LOCAL_MODES:
        yield Violation(
            f"{vault.address} keeps its backups in {_where(vault)} only ({name} = {mode}): a regional outage or "
            "disaster takes the backups with the data",
            at=vault.resource,
            fix=f'Set {name} = "GeoRedundant" (with cross_region_restore_enabled = true) so that backups are copied to the paired region; '
            "the redundancy of a vault that already holds backups cannot be changed, so this means a new vault",
        )
    elif mode == _GEO_MODE:
        yield from _cross_region_restore(vault, name, value)


def _cross_region_restore(vault: Member, name: str, mode: object) -> Iterator[Violation]:
    """A geo-redundant vault whose copies in the paired region can be restored only after
    Microsoft declares a disaster in the primary region (no cross-region restore): a note."""
    switch, value = vault.setting("cross_region_restore")
    if value is DEFAULT:
        why = f"{switch} is not set (its default is false)"
    elif as_bool(value) is False:
        why = f"{switch} = false"
    else:
        return  # on, or not known
    redundancy = f"{name} is not set: GeoRedundant by default" if mode is DEFAULT else f"{name} = GeoRedundant"
    yield Violation(
        f"{vault.address} copies its backups to the paired region ({redundancy}), but {why}: the copies can "
        f"be restored there only once Microsoft declares a disaster in {_where(vault)}, not when you decide to",
        at=vault.resource,
        fix=f"Set {switch} = true, so that backups can be restored in the paired region whenever you need them "
        "(a regional outage Microsoft does not declare a disaster, a drill)",
        severity=Severity.NOTE,
    )


def _flexible_server(unit: Unit, server: Member) -> Iterator[Violation]:
    if server.resource.count_unknown:
        return
    store = store_of(unit, server.address)
    if store is None or store.replica_of is not None or store.replica_regions or store.undecided:
        return  # a replica, a server with a replica in another region, or not known
    mode = server.value("create_mode")
    if mode is not None and not isinstance(mode, str):
        return  # may be a replica
    name, value = server.setting("geo_backup")
    if value is DEFAULT:
        why = f"{name} is not set; the default is false"
    elif as_bool(value) is False:
        why = f"{name} = false"
    else:
        return
    yield Violation(
        f"{server.address} keeps its backups in {_where(server)} only ({why}): when the region fails, the "
        f"{server.service} cannot be restored elsewhere",
        at=server.resource,
        fix=f"Set {name} = true (it can only be set when the server is created), or add a read replica in another region",
    )


def _sql_database(unit: Unit, database: Member) -> Iterator[Violation]:
    if database.resource.count_unknown:
        return
    store = store_of(unit, database.address)
    if store is None or store.replica_of is not None or store.copies or store.undecided:
        return  # a secondary, a database in a failover group or geo-replicated, or not known
    name, value = database.setting("backup_storage")
    storage = as_str(value) if value is not DEFAULT else None
    if storage is None or storage.lower() not in _LOCAL_BACKUP_STORAGE:
        return  # Geo (the default), GeoZone, or not known
    yield Violation(
        f"{database.address} keeps its backups in {store.region if isinstance(store.region, str) else 'its region'} only "
        f"({name} = {storage}): when the region fails, the database cannot be geo-restored elsewhere",
        at=database.resource,
        fix=f'Set {name} = "GeoZone" (or "Geo"), the default, so that backups are copied to the paired region',
    )


def _cloud_sql(unit: Unit, instance: Member) -> Iterator[Violation]:
    if instance.resource.count_unknown:
        return
    store = store_of(unit, instance.address)
    if store is None or store.replica_of is not None or store.replica_regions or store.undecided:
        return  # a replica, an instance with a replica in another region, or not known
    region = store.region
    backups = first_block(nested(instance.value("settings"), "backup_configuration"))
    if backups is None or as_bool(backups.get("enabled")) is not True:
        return  # no backups at all: RES103 says so
    location = backups.get("location")
    if not isinstance(location, str) or not isinstance(region, str) or location.lower() != region:
        return  # the nearest multi-region (left out), another region, or not known
    yield Violation(
        f"{instance.address} keeps its backups in {region} only (settings.backup_configuration.location = "
        f'"{location}", its own region): when {region} fails, the instance cannot be restored elsewhere',
        at=instance.resource,
        fix="Remove backup_configuration.location (Cloud SQL then keeps backups in the multi-region nearest the "
        'instance) or set a multi-region ("us", "eu", "asia"), or add a cross-region read replica',
    )


def _backup_dr_plan(unit: Unit, plan: Member) -> Iterator[Violation]:
    """A Backup and DR plan whose backup vault is in the region of workloads it protects (by
    the plan associations of the unit), and nothing else keeps their backups elsewhere."""
    if plan.resource.count_unknown:
        return
    location = backup_vault_location(unit, plan)
    region = gcp_region_of(location) if location is not None and not is_multi_region_value(location) else None
    if region is None:
        return  # a multi-region vault, or its location is not known
    protection = backup_dr_protection(unit)
    anywhere = protection.get(ANY_WORKLOAD, ())  # plans that may protect any workload
    same: list[str] = []
    for workload, applied in protection.items():
        if workload == ANY_WORKLOAD or not any(address == plan.address for address, _ in applied):
            continue
        resource = unit.resource(workload)
        own = region_of(resource) if resource is not None and not resource.count_unknown else None
        if own == region and all(where == location for _, where in (*applied, *anywhere)):
            same.append(workload)
    if not same:
        return
    vault_name, vault = plan.setting("vault")
    vault_text = spelled(vault) or "its backup vault"
    yield Violation(
        f"{plan.address} keeps the {plan.service} backups of {describe(same, 3)} in {region}, the region they run in: "
        f"its backup vault ({vault_name} = {vault_text}) is in {location}; a regional outage takes the backups with "
        "the workloads and leaves nothing to restore from elsewhere",
        at=plan.resource,
        fix=plan.word("vault_fix"),
    )


def _gke_backup_plan(unit: Unit, plan: Member) -> Iterator[Violation]:
    """A Backup for GKE plan in the region of the cluster it backs up: the plan's region is
    where its backups are stored."""
    if plan.resource.count_unknown:
        return
    _, deactivated = plan.setting("deactivated")
    if deactivated is not DEFAULT and as_bool(deactivated) is not False:
        return  # deactivated (it takes no backups), or maybe
    location = plan.value("location")
    region = gcp_region_of(location.strip().lower()) if isinstance(location, str) else None
    clusters = backed_up_clusters(unit, plan)
    if region is None or clusters is None or clusters[1] != {region}:
        return  # backups kept in another region, or not known
    yield Violation(
        f"{plan.address} stores the backups of {describe(list(clusters[0]), 3)} in {region}, the cluster's own "
        f'region (location = "{location}"): a regional outage takes the backups with the cluster and leaves '
        "nothing to restore it from in another region",
        at=plan.resource,
        fix="Create the backup plan in another region (location): Backup for GKE stores a plan's backups in the "
        "plan's region, and a restore plan there restores them into a cluster of that region",
    )
