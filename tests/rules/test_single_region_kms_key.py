"""RES109 single-region-kms-key: keys that encrypt data of a workload that also runs elsewhere."""

from __future__ import annotations

import pytest

from tests.rules.datarules_helpers import findings, where

FOLDER = "single_region_kms_key"


def test_single_region_key_of_a_table_in_a_two_region_workload() -> None:
    (finding,) = findings(FOLDER, "fail_key_used_across_regions", "RES109")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_kms_key.orders", 10, "warning")
    assert finding.message == (
        "aws_kms_key.orders is a single-Region key in us-east-1 (multi_region is not set; the default is false) that "
        "encrypts aws_dynamodb_table.orders and has no replica in us-west-2 (aws_ecs_service.west), where the workload "
        "also runs: while us-east-1 is down, nothing there can decrypt that data"
    )
    assert finding.fix == (
        "Create the key with multi_region = true (a new key: an existing key cannot be made multi-Region) and add an "
        "aws_kms_replica_key in us-west-2"
    )


def test_cloudformation_stacks_of_one_system() -> None:
    found = findings(FOLDER, "fail_cfn_system", "RES109")
    assert where(found) == [("DataKey", "primary.yaml", 3)]
    assert "(MultiRegion is not set; the default is false) that encrypts Table" in found[0].message
    assert found[0].fix is not None and "MultiRegion: true" in found[0].fix and "AWS::KMS::ReplicaKey" in found[0].fix


def test_cloud_kms_key_in_a_regional_key_ring_of_a_two_region_workload() -> None:
    (finding,) = findings(FOLDER, "fail_gcp_regional_key_ring", "RES109")
    assert (finding.resource, finding.line) == ("google_kms_crypto_key.orders", 11)
    assert finding.message == (
        'google_kms_crypto_key.orders is a Cloud KMS key in google_kms_key_ring.orders, a key ring in us-central1 only '
        '(location = "us-central1"), that encrypts google_sql_database_instance.orders; the workload also runs in '
        "us-east1 (google_cloud_run_v2_service.east), where it has no key ring of its own: while us-central1 is down, "
        "nothing there can decrypt that data"
    )
    assert finding.fix is not None and finding.fix.startswith("Create a key ring and key in us-east1")


@pytest.mark.parametrize(
    "case",
    [
        "pass_multi_region_key",
        "pass_per_region_keys",
        "pass_single_region",
        "pass_key_unused",
        "pass_multi_region_unknown",
        "pass_gcp_key_ring_per_region",
        "pass_gcp_global_and_unknown_key_rings",
        "pass_cfn_multi_region_key",
    ],
)
def test_multi_region_per_region_unused_and_unknown_keys_are_quiet(case: str) -> None:
    assert findings(FOLDER, case, "RES109") == []
