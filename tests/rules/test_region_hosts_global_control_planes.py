"""RES107 region-hosts-global-control-planes: judged per system, only on known regions."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "region_hosts_global_control_planes"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES107",)), ParseOptions()).findings if f.rule_id == "RES107"]


def test_a_us_east_1_workload_with_route53_and_iam_is_named_on_its_provider() -> None:
    (finding,) = _findings(FIXTURES / "fail_route53_and_iam")
    assert (finding.path, finding.line, finding.resource) == (
        "fixtures/region_hosts_global_control_planes/fail_route53_and_iam/main.tf", 1, None
    )
    assert finding.message == (
        "fixtures/region_hosts_global_control_planes/fail_route53_and_iam serves only from us-east-1, which also "
        "hosts the control planes of Route 53 (aws_route53_zone.main, aws_route53_record.api); IAM "
        "(aws_iam_role.api): an outage of us-east-1 takes the servers down and the means to fail over (record "
        "changes and role changes) with them"
    )


def test_a_sam_stack_deployed_to_us_east_1() -> None:
    (finding,) = _findings(FIXTURES / "fail_sam_us_east_1")
    assert (finding.line, finding.severity.value) == (1, "warning")
    assert "Route 53 (Record)" in finding.message


@pytest.mark.parametrize(
    "case", ["pass_us_east_2", "pass_second_region", "pass_iam_only", "pass_cfn_region_not_known", "pass_region_folders"]
)
def test_no_finding(case: str) -> None:
    assert _findings(FIXTURES / case) == []
