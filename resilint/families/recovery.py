"""Backups: AWS Backup plans and vaults, Azure Recovery Services and Data Protection vaults.

Kinds of `BACKUPS`: `backup_plan` (roles: `rules`, the rule blocks; `copy_actions`, a rule's copy
blocks; `destination`, a copy block's destination vault ARN; `plan`, CloudFormation's wrapping
object), `backup_selection` (`plan`, the plan it applies; `selected`, the resources it names;
`tags` and `conditions`, what else it selects), `backup_vault`, `recovery_vault` (`storage_mode`, default `GeoRedundant`),
`data_protection_vault` (`redundancy`, required); Google Backup and DR's `gcp_backup_plan`
(`vault`, the backup vault it stores backups in), `gcp_backup_vault` (`location`) and
`gcp_backup_association` (`backup_plan`, `protected`: the workload it applies the plan to);
Backup for GKE's `gke_backup_plan` (`cluster`, `location`: where its backups are stored,
`deactivated`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

BACKUPS = Family(
    "backup",
    (
        terraform(
            "aws_backup_plan",
            "backup_plan",
            service="AWS Backup",
            words={"copy_fix": 'Add a copy_action { destination_vault_arn = <a vault in another region> } to each rule'},
            rules="rule",
            copy_actions="copy_action",
            destination="destination_vault_arn",
        ),
        cloudformation(
            "AWS::Backup::BackupPlan",
            "backup_plan",
            service="AWS Backup",
            words={"copy_fix": "Add CopyActions with a DestinationBackupVaultArn of a vault in another region to each BackupPlanRule"},
            plan="BackupPlan",
            rules="BackupPlanRule",
            copy_actions="CopyActions",
            destination="DestinationBackupVaultArn",
        ),
        terraform("aws_backup_selection", "backup_selection", plan="plan_id", selected="resources", tags="selection_tag", conditions="condition"),
        terraform("aws_backup_vault", "backup_vault"),
        cloudformation("AWS::Backup::BackupVault", "backup_vault"),
        terraform(
            "azurerm_recovery_services_vault",
            "recovery_vault",
            service="Recovery Services",
            words={"default": "GeoRedundant"},
            storage_mode="storage_mode_type",
            cross_region_restore="cross_region_restore_enabled",
        ),
        terraform(
            "google_backup_dr_backup_plan",
            "gcp_backup_plan",
            service="Backup and DR",
            words={
                "vault_fix": "Store the backups in a backup vault in another region (a google_backup_dr_backup_vault whose "
                "location is not the workloads' region) and point backup_vault at it"
            },
            vault="backup_vault",
        ),
        terraform("google_backup_dr_backup_vault", "gcp_backup_vault", location="location"),
        terraform(
            "google_backup_dr_backup_plan_association",
            "gcp_backup_association",
            backup_plan="backup_plan",
            protected="resource",
        ),
        terraform(
            "google_gke_backup_backup_plan",
            "gke_backup_plan",
            service="Backup for GKE",
            cluster="cluster",
            location="location",
            deactivated="deactivated",
        ),
        terraform(
            "azurerm_data_protection_backup_vault",
            "data_protection_vault",
            service="Data Protection backup",
            redundancy="redundancy",
            cross_region_restore="cross_region_restore_enabled",
        ),
    ),
)
