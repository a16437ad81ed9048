"""RES313 standalone-vm-on-serving-path: one machine behind a target group, a backend pool, an
instance group or a public name, in AWS (Terraform, CloudFormation), Azure and Google Cloud;
groups, several targets, private or failover names and unknown registrations never fire."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "standalone_vm_on_serving_path"


def _findings(case: str) -> list[Finding]:
    found = scan([FIXTURES / case], Settings(select=("RES313",)), ParseOptions()).findings
    return [f for f in found if f.rule_id == "RES313"]


def test_aws_single_target_and_single_answer() -> None:
    findings = _findings("fail_aws_single_target")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_instance.web", 39, "warning"),
        ("aws_instance.app", 55, "warning"),
    ]
    assert findings[0].message == (
        "aws_instance.web is the only target the code registers with aws_lb_target_group.web: one virtual "
        "machine in one zone serves this traffic, and nothing replaces it when it, its host or its zone fails"
    )
    assert findings[1].message.startswith("aws_instance.app is the only answer of app.example.com (aws_route53_record.app)")
    assert findings[0].fix is not None and findings[0].fix.startswith("Run it in an Auto Scaling group (aws_autoscaling_group")


def test_cloudformation_targets_and_records() -> None:
    findings = _findings("fail_cloudformation")
    assert [(f.resource, f.line) for f in findings] == [("Web", 3), ("Api", 34)]
    assert findings[0].fix is not None and "AWS::AutoScaling::AutoScalingGroup with TargetGroupARNs" in findings[0].fix


def test_azure_pool_member_and_public_ip_answer() -> None:
    findings = _findings("fail_azure_pool_and_record")
    assert [(f.resource, f.line) for f in findings] == [
        ("azurerm_linux_virtual_machine.web", 17),
        ("azurerm_windows_virtual_machine.jump", 88),
    ]
    assert "the only member of azurerm_lb_backend_address_pool.web's backend pool (load balancer)" in findings[0].message
    assert "the only answer of www.example.com (azurerm_dns_a_record.www)" in findings[1].message


def test_gcp_instance_group_and_target_pool() -> None:
    findings = _findings("fail_gcp_instance_group")
    assert [(f.resource, f.line) for f in findings] == [
        ("google_compute_instance.web", 6),
        ("google_compute_instance.legacy", 50),
    ]
    assert "instance group google_compute_instance_group.web" in findings[0].message
    assert findings[1].fix is not None and "regional managed instance group" in findings[1].fix


def test_elastic_ip_attached_by_an_association() -> None:
    (finding,) = _findings("fail_eip_association")
    assert (finding.resource, finding.line) == ("aws_instance.app", 9)
    assert finding.message.startswith("aws_instance.app is the only answer of app.example.com (aws_route53_record.app)")
    (finding,) = _findings("fail_cloudformation_eip_association")
    assert (finding.resource, finding.line) == ("Api", 7)
    assert finding.message.startswith("Api is the only answer of api.example.com (ApiRecord)")


def test_gcp_public_record_answering_with_a_static_address_one_vm_attaches() -> None:
    (finding,) = _findings("fail_gcp_record_to_static_address")
    assert (finding.resource, finding.line, finding.severity.value) == ("google_compute_instance.web", 16, "warning")
    assert finding.message == (
        "google_compute_instance.web is the only answer of www.shop.example.com (google_dns_record_set.www): one "
        "virtual machine in one zone serves this traffic, and nothing replaces it when it, its host or its zone fails"
    )


@pytest.mark.parametrize(
    "case", ["pass_aws_groups_and_unknowns", "pass_azure_pools", "pass_cloudformation_groups", "pass_gcp_groups"]
)
def test_groups_pairs_and_unknowns_are_not_reported(case: str) -> None:
    assert _findings(case) == []
