"""RES402 us-east-1-dependencies: the inventory, its resources and lines, and the relation the
outage simulation reads."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.discover import discover
from resilint.findings import Finding
from resilint.parsers import ParseOptions, build_project
from resilint.relations.control_planes import us_east_1_dependencies
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_east_1_dependencies"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES402",)), ParseOptions()).findings if f.rule_id == "RES402"]


def test_cloudfront_and_what_it_pins_are_listed_one_by_one() -> None:
    findings = _findings(FIXTURES / "fail_cloudfront_satellites")
    assert [(f.resource, f.line) for f in findings] == [
        ("aws_acm_certificate.site", 10),
        ("aws_wafv2_web_acl.edge", 21),
        ("aws_lambda_function.headers", 52),
        ("aws_cloudfront_distribution.site", 66),
    ]
    assert findings[0].message == (
        "aws_acm_certificate.site (ACM certificate for CloudFront, used by aws_cloudfront_distribution.site) "
        "depends on us-east-1 whatever region the workload runs in: while us-east-1 is impaired, it cannot be "
        "issued, renewed or replaced"
    )
    assert all(f.severity.value == "note" for f in findings)


def test_values_that_name_no_resource_are_told_on_the_distribution() -> None:
    findings = _findings(FIXTURES / "fail_route53_iam_sts")
    assert [(f.resource, f.line) for f in findings] == [
        (None, 5),
        ("aws_route53_zone.main", 10),
        ("aws_iam_role.app", 22),
        ("aws_cloudwatch_log_group.queries", 32),
        ("aws_cloudfront_distribution.cdn", 41),
    ]
    assert findings[0].message.startswith('sts_region = "us-east-1" (STS) depends on us-east-1')
    assert "its 1 hosted zone and 1 record set cannot be created or changed" in findings[1].message
    assert findings[4].message.endswith(
        "its configuration cannot be changed (it goes on serving), its ACM certificate (in us-east-1) cannot be "
        "issued, renewed or replaced and its Lambda@Edge functions (in us-east-1) cannot be updated"
    )


def test_cloudformation_lambda_at_edge_through_its_version() -> None:
    findings = _findings(FIXTURES / "fail_cfn_distribution")
    assert [(f.resource, f.line) for f in findings] == [
        ("EdgeAcl", 3),
        ("HeadersFunction", 13),
        ("Certificate", 25),
        ("Distribution", 30),
        ("DeployRole", 52),
        ("WwwRecord", 56),
    ]


def test_regional_certificates_and_firewalls_are_not_listed() -> None:
    findings = _findings(FIXTURES / "fail_regional_resources_not_listed")
    assert [f.resource for f in findings] == ["aws_cloudfront_distribution.cdn"]


def test_another_partition_has_no_us_east_1_dependencies() -> None:
    assert _findings(FIXTURES / "pass_govcloud") == []


def test_the_relation_names_the_simulation_targets(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
            'resource "aws_iam_role" "a" {\n  name = "a"\n  assume_role_policy = "{}"\n}\n\n'
            'resource "aws_route53_health_check" "h" {\n  fqdn = "example.com"\n  type = "HTTPS"\n}\n'
        },
    )
    found_files = discover([tmp_path], (), 20 << 20)
    (unit,) = build_project(found_files.files, found_files.problems, ParseOptions()).units
    found = us_east_1_dependencies(unit)
    assert [(d.service, d.control_plane, d.resources) for d in found] == [
        ("Route 53", "aws:route53-control-plane", ("aws_route53_health_check.h",)),
        ("IAM", "aws:iam-control-plane", ("aws_iam_role.a",)),
    ]
