"""RES111 registry-not-replicated: ECR repositories and Azure registries of a workload that also
runs in other regions."""

from __future__ import annotations

import pytest

from tests.rules.datarules_helpers import findings, where

FOLDER = "registry_not_replicated"


def test_ecr_repositories_no_rule_copies_to_the_other_region() -> None:
    found = findings(FOLDER, "fail_ecr_repository", "RES111")
    assert where(found) == [("aws_ecr_repository.orders", "main.tf", 10), ("aws_ecr_repository.billing", "main.tf", 15)]
    assert found[0].message == (
        "aws_ecr_repository.orders keeps its images in us-east-1 and is not replicated to us-west-2 "
        "(aws_ecs_service.west), where the workload also runs: while us-east-1 is down, nothing there can pull an "
        "image to start or replace a container"
    )
    assert found[0].fix is not None and found[0].fix.startswith(
        "Add a replication rule (aws_ecr_replication_configuration) with a destination in us-west-2"
    )


def test_azure_registry_without_geo_replica() -> None:
    (finding,) = findings(FOLDER, "fail_acr_without_georeplication", "RES111")
    assert (finding.resource, finding.line) == ("azurerm_container_registry.apps", 5)
    assert "northeurope (azurerm_kubernetes_cluster.neu)" in finding.message
    assert finding.fix == 'Set sku = "Premium" (geo-replication needs it) and add georeplications { location = "northeurope" }'


def test_cloudformation_stacks_of_one_system() -> None:
    (finding,) = findings(FOLDER, "fail_cfn_system", "RES111")
    assert (finding.resource, finding.line) == ("Repository", 3)
    assert finding.fix is not None and "AWS::ECR::ReplicationConfiguration" in finding.fix


@pytest.mark.parametrize(
    "case",
    [
        "pass_ecr_replicated",
        "pass_ecr_filter_other_prefix_unknown",
        "pass_acr_georeplicated",
        "pass_cfn_replication_configuration",
        "pass_region_folders",
        "pass_replication_in_account_baseline_root",
    ],
)
def test_replicated_per_region_and_unknown_registries_are_quiet(case: str) -> None:
    assert findings(FOLDER, case, "RES111") == []


def test_google_docker_repository_in_one_region() -> None:
    (finding,) = findings(FOLDER, "fail_gcp_regional_repository", "RES111")
    assert (finding.resource, finding.line) == ("google_artifact_registry_repository.apps", 6)
    assert "us-east1 (google_container_cluster.east)" in finding.message
    assert finding.fix is not None and finding.fix.startswith('Use a multi-region location for the repository ("us"')
    assert findings(FOLDER, "pass_gcp_multi_region_repository", "RES111") == []
