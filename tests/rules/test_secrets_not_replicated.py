"""RES110 secrets-not-replicated: the workload's other regions come from its system."""

from __future__ import annotations

import pytest

from tests.rules.datarules_helpers import findings, where

FOLDER = "secrets_not_replicated"


def test_secret_without_replica_where_the_workload_also_runs() -> None:
    found = findings(FOLDER, "fail_alias_compute", "RES110")
    assert where(found) == [
        ("aws_secretsmanager_secret.db", "main.tf", 10),
        ("aws_secretsmanager_secret.api", "main.tf", 15),
    ]
    assert found[0].message == (
        "aws_secretsmanager_secret.db lives in us-east-1 with no replica in us-west-2 (aws_lambda_function.west), "
        "where the workload also runs: while us-east-1 is down, compute there cannot read it"
    )
    assert found[0].fix is not None and found[0].fix.startswith('Add a replica { region = "us-west-2" } block')


def test_other_roots_of_the_system_count() -> None:
    (remote,) = findings(FOLDER, "fail_remote_state_dr_root", "RES110")
    assert (remote.resource, remote.path.endswith("primary/main.tf"), remote.line) == ("aws_secretsmanager_secret.db", True, 13)
    assert "fail_remote_state_dr_root/dr: aws_ecs_service.orders)" in remote.message
    (cfn,) = findings(FOLDER, "fail_cfn_system", "RES110")
    assert (cfn.resource, cfn.line) == ("DbSecret", 3)
    assert "fail_cfn_system/standby.yaml: Function)" in cfn.message
    assert cfn.fix is not None and cfn.fix.startswith("Add ReplicaRegions: [{Region: us-west-2}]")


@pytest.mark.parametrize(
    "case",
    [
        "pass_replicated",
        "pass_single_region",
        "pass_region_folders",
        "pass_replicas_unknown",
        "pass_cfn_stack_set",
        "pass_edge_satellite_in_us_east_1",
    ],
)
def test_replicas_own_copies_one_region_and_unknowns_are_quiet(case: str) -> None:
    assert findings(FOLDER, case, "RES110") == []


def test_google_secrets_replicated_to_one_location_and_regional_secrets() -> None:
    found = findings(FOLDER, "fail_gcp_user_managed_one_location", "RES110")
    assert where(found) == [
        ("google_secret_manager_secret.db", "main.tf", 6),
        ("google_secret_manager_regional_secret.api", "main.tf", 18),
    ]
    assert found[0].message.startswith(
        "google_secret_manager_secret.db lives in us-central1 with no replica in us-east1 (google_cloud_run_v2_service.east)"
    )
    assert found[0].fix == 'Use replication { auto {} }, or add a replicas { location = "us-east1" } block to replication.user_managed'
    assert found[1].fix == "Create a regional secret in us-east1 too (a regional secret has no replicas)"
    assert findings(FOLDER, "pass_gcp_automatic_and_covering", "RES110") == []


def test_a_plan_that_leaves_the_replicas_out_says_nothing_about_them() -> None:
    (finding,) = findings(FOLDER, "fail_plan", "RES110")
    assert (finding.resource, finding.line) == ("aws_secretsmanager_secret.db", 1)
