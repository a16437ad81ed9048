"""RES106 empty-secondary-region: provider aliases and region siblings that could not take over."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "empty_secondary_region"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES106",)), ParseOptions()).findings if f.rule_id == "RES106"]


def test_an_alias_that_holds_only_global_resources_is_named_on_its_provider_block() -> None:
    (finding,) = _findings(FIXTURES / "fail_unused_alias")
    assert (finding.path, finding.line, finding.resource, finding.severity.value) == (
        "fixtures/empty_secondary_region/fail_unused_alias/main.tf", 5, None, "note"
    )
    assert finding.message == (
        'provider "aws.dr" configures eu-central-1, but it holds only global resources (aws_iam_role.api) while '
        "the workload serves from eu-west-1: eu-central-1 is a second region in name only"
    )


def test_an_unused_google_standby_alias() -> None:
    (finding,) = _findings(FIXTURES / "fail_gcp_unused_dr_alias")
    assert (finding.line, finding.resource) == (7, None)
    assert finding.message == (
        'provider "google.dr" configures europe-west4, but it holds nothing while the workload serves from '
        "europe-west1: europe-west4 is a second region in name only"
    )


def test_a_secondary_without_the_primary_web_tier() -> None:
    (finding,) = _findings(FIXTURES / "fail_secondary_lacks_load_balancer")
    assert finding.line == 5
    assert "none of the aws_autoscaling_group, aws_lb that serve from us-east-2" in finding.message


def test_a_region_folder_that_serves_nothing() -> None:
    (finding,) = _findings(FIXTURES / "fail_region_folder_serves_nothing")
    assert (finding.path, finding.line) == ("fixtures/empty_secondary_region/fail_region_folder_serves_nothing/live/eu-central-1/main.tf", 1)
    assert "(eu-central-1) serves nothing, while its region sibling" in finding.message


@pytest.mark.parametrize(
    "case",
    [
        "pass_us_east_1_alias",
        "pass_alias_for_lookups",
        "pass_alias_used_by_module",
        "pass_alias_other_account_same_region",
        "pass_registry_module",
        "pass_cfn_stack_set",
    ],
)
def test_no_finding(case: str) -> None:
    assert _findings(FIXTURES / case) == []
