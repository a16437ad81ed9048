"""RES108 backups-not-copied-cross-region: AWS Backup plans, Azure vaults, flexible servers, Google Backup and DR and Backup for GKE plans."""

from __future__ import annotations

import pytest

from tests.rules.datarules_helpers import findings, where

FOLDER = "backups_not_copied_cross_region"


def test_plan_without_copy_actions() -> None:
    (finding,) = findings(FOLDER, "fail_backup_plan_without_copy", "RES108")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_backup_plan.daily", 9, "warning")
    assert finding.message == (
        "aws_backup_plan.daily keeps every AWS Backup recovery point in us-east-1: no rule has a copy action "
        "(copy_action); a regional outage leaves nothing to restore from elsewhere"
    )
    assert finding.fix is not None and "copy_action { destination_vault_arn" in finding.fix


def test_copies_to_the_same_region_name_their_vaults() -> None:
    (finding,) = findings(FOLDER, "fail_backup_plan_copy_same_region", "RES108")
    assert (finding.resource, finding.line) == ("aws_backup_plan.daily", 14)
    assert (
        "its copy actions send them to the same region (aws_backup_vault.second, "
        "arn:aws:backup:us-east-1:111122223333:backup-vault:central)"
    ) in finding.message


def test_cloudformation_plans() -> None:
    found = findings(FOLDER, "fail_cfn_backup_plan", "RES108")
    assert where(found) == [("Plan", "template.yaml", 7), ("CopiesInTheStack", "template.yaml", 16)]
    assert "in the stack's region: no rule has a copy action (CopyActions)" in found[0].message
    assert found[0].fix is not None and "DestinationBackupVaultArn" in found[0].fix


def test_geo_redundant_vaults_without_cross_region_restore_are_notes() -> None:
    found = findings(FOLDER, "fail_azure_vaults_without_cross_region_restore", "RES108")
    assert where(found) == [
        ("azurerm_recovery_services_vault.vms", "main.tf", 7),
        ("azurerm_recovery_services_vault.files", "main.tf", 14),
        ("azurerm_data_protection_backup_vault.disks", "main.tf", 23),
    ]
    assert {f.severity.value for f in found} == {"note"}
    assert found[0].message == (
        "azurerm_recovery_services_vault.vms copies its backups to the paired region (storage_mode_type is not set: "
        "GeoRedundant by default), but cross_region_restore_enabled is not set (its default is false): the copies "
        "can be restored there only once Microsoft declares a disaster in westeurope, not when you decide to"
    )
    assert "(redundancy = GeoRedundant), but cross_region_restore_enabled is not set" in found[2].message
    assert found[1].fix is not None and found[1].fix.startswith("Set cross_region_restore_enabled = true")


def test_azure_vaults_and_servers() -> None:
    vaults = findings(FOLDER, "fail_azure_vaults", "RES108")
    assert where(vaults) == [
        ("azurerm_recovery_services_vault.vms", "main.tf", 5),
        ("azurerm_data_protection_backup_vault.disks", "main.tf", 13),
    ]
    assert "(storage_mode_type = LocallyRedundant)" in vaults[0].message
    assert "(redundancy = ZoneRedundant)" in vaults[1].message
    servers = findings(FOLDER, "fail_azure_flexible_server_backups", "RES108")
    assert where(servers) == [
        ("azurerm_postgresql_flexible_server.orders", "main.tf", 5),
        ("azurerm_mysql_flexible_server.catalog", "main.tf", 13),
    ]
    assert "(geo_redundant_backup_enabled is not set; the default is false)" in servers[0].message


def test_cloud_sql_backups_pinned_to_the_instances_region() -> None:
    (finding,) = findings(FOLDER, "fail_cloud_sql_backups_in_own_region", "RES108")
    assert (finding.resource, finding.line) == ("google_sql_database_instance.orders", 7)
    assert finding.message == (
        'google_sql_database_instance.orders keeps its backups in europe-west1 only (settings.backup_configuration.location = '
        '"europe-west1", its own region): when europe-west1 fails, the instance cannot be restored elsewhere'
    )


@pytest.mark.parametrize(
    "case",
    [
        "pass_backup_plan_cross_region_copy",
        "pass_backup_plan_unknown_destination",
        "pass_cfn_backup_plan_cross_region",
        "pass_azure_vaults",
        "pass_azure_flexible_server_backups",
        "pass_cloud_sql_backups_elsewhere",
        "pass_google_backup_dr_elsewhere",
        "pass_gke_backup_plan_elsewhere",
        "pass_google_backup_dr_other_plan_may_apply",
    ],
)
def test_cross_region_copies_defaults_and_unknowns_are_quiet(case: str) -> None:
    assert findings(FOLDER, case, "RES108") == []


def test_sql_database_with_backups_in_its_region_only() -> None:
    (finding,) = findings(FOLDER, "fail_azure_sql_local_backups", "RES108")
    assert (finding.resource, finding.line) == ("azurerm_mssql_database.orders", 14)
    assert finding.message == (
        "azurerm_mssql_database.orders keeps its backups in westeurope only (storage_account_type = Zone): when the "
        "region fails, the database cannot be geo-restored elsewhere"
    )
    assert findings(FOLDER, "pass_azure_sql_geo_backups", "RES108") == []


def test_backup_dr_plans_with_a_vault_in_the_region_of_what_they_protect() -> None:
    found = findings(FOLDER, "fail_google_backup_dr_same_region", "RES108")
    assert where(found) == [
        ("google_backup_dr_backup_plan.vms", "main.tf", 45),
        ("google_backup_dr_backup_plan.files", "main.tf", 77),
    ]
    assert found[0].message == (
        "google_backup_dr_backup_plan.vms keeps the Backup and DR backups of google_compute_instance.app in us-central1, "
        "the region they run in: its backup vault (backup_vault = google_backup_dr_backup_vault.vault.id) is in "
        "us-central1; a regional outage takes the backups with the workloads and leaves nothing to restore from elsewhere"
    )
    assert 'backup_vault = "projects/shop/locations/us-central1/backupVaults/files") is in us-central1' in found[1].message
    assert found[0].fix is not None and "backup vault in another region" in found[0].fix


def test_gke_backup_plans_in_the_clusters_region() -> None:
    found = findings(FOLDER, "fail_gke_backup_plan_same_region", "RES108")
    assert where(found) == [
        ("google_gke_backup_backup_plan.primary", "main.tf", 25),
        ("google_gke_backup_backup_plan.zonal", "main.tf", 46),
        ("google_gke_backup_backup_plan.by_id", "main.tf", 57),
    ]
    assert found[0].message == (
        "google_gke_backup_backup_plan.primary stores the backups of google_container_cluster.primary in europe-west1, "
        'the cluster\'s own region (location = "europe-west1"): a regional outage takes the backups with the cluster '
        "and leaves nothing to restore it from in another region"
    )
    assert "the zonal" not in found[1].message and "google_container_cluster.zonal in europe-west1" in found[1].message
    assert '"projects/shop/locations/europe-west1/clusters/legacy" in europe-west1' in found[2].message
