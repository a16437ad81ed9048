"""RES105 single-region-data: a store in one region used by compute in another, within a system."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "single_region_data"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES105",)), ParseOptions()).findings if f.rule_id == "RES105"]


def test_a_table_read_by_functions_in_two_regions() -> None:
    (finding,) = _findings(FIXTURES / "fail_lambda_two_regions_one_table")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_dynamodb_table.orders", 10, "warning")
    assert finding.message == (
        "aws_dynamodb_table.orders (DynamoDB table) keeps its only copy in us-east-1, but the system serves from "
        "us-east-1 and us-west-2, and compute in us-west-2 uses it (aws_lambda_function.api_west): an outage of "
        "us-east-1 takes the data away from every region"
    )
    assert finding.fix is not None and finding.fix.startswith("Replicate the DynamoDB table to us-west-2")


def test_the_standby_root_reads_the_primary_database_through_remote_state() -> None:
    (finding,) = _findings(FIXTURES / "fail_remote_state_dr_reads_primary_table")
    assert (finding.path, finding.resource, finding.line) == (
        "fixtures/single_region_data/fail_remote_state_dr_reads_primary_table/primary/main.tf",
        "aws_db_instance.orders",
        13,
    )
    assert "(aws_instance.web of fixtures/single_region_data/fail_remote_state_dr_reads_primary_table/dr)" in finding.message


@pytest.mark.parametrize(
    "case, resource, line",
    [
        ("fail_azure_web_apps_one_storage_account", "azurerm_storage_account.data", 10),
        ("fail_gcp_cloud_run_one_sql_instance", "google_sql_database_instance.main", 6),
    ],
)
def test_azure_and_google_cloud(case: str, resource: str, line: int) -> None:
    (finding,) = _findings(FIXTURES / case)
    assert (finding.resource, finding.line) == (resource, line)


@pytest.mark.parametrize(
    "case",
    [
        "pass_global_table",
        "pass_each_region_own_table",
        "pass_one_serving_region",
        "pass_cfn_stack_set_each_region_own_table",
        "pass_azure_geo_redundant_storage",
        "pass_gcp_cross_region_replica",
    ],
)
def test_no_finding(case: str) -> None:
    assert _findings(FIXTURES / case) == []
