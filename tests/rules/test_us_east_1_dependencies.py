"""RES402 us-east-1-dependencies: the inventory, its resources and lines, and the relation the
outage simulation reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import CommandLine, ConfigError, Settings, resolve
from resilint.discover import discover
from resilint.findings import Finding
from resilint.parsers import ParseOptions, build_project
from resilint.registry import load_rules
from resilint.relations.control_planes import us_east_1_dependencies
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "us_east_1_dependencies"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES402",)), ParseOptions()).findings if f.rule_id == "RES402"]


def test_a_distribution_and_what_it_pins_are_one_note() -> None:
    (finding,) = _findings(FIXTURES / "fail_cloudfront_satellites")
    assert (finding.resource, finding.line) == ("aws_cloudfront_distribution.site", 66)
    assert finding.message == (
        "CloudFront: aws_cloudfront_distribution.site depends on us-east-1 whatever region the workload runs in: "
        "while us-east-1 is impaired, its configuration cannot be changed (it goes on serving), its ACM certificate "
        "aws_acm_certificate.site cannot be issued, renewed or replaced, its web ACL aws_wafv2_web_acl.edge cannot "
        "be changed and its Lambda@Edge function aws_lambda_function.headers cannot be updated or redeployed (its "
        "replicas go on running)"
    )
    assert finding.fix is not None
    assert finding.fix.startswith("Keep recovery free of CloudFront changes")
    assert "; keep the certificate valid well ahead of need" in finding.fix
    assert "; ship Lambda@Edge changes outside incidents" in finding.fix
    assert finding.severity.value == "note"


def test_the_inventory_simulate_reads_still_lists_what_a_distribution_pins() -> None:
    found_files = discover([FIXTURES / "fail_cloudfront_satellites"], (), 20 << 20)
    (unit,) = build_project(found_files.files, found_files.problems, ParseOptions()).units
    assert [(d.service, d.resources, d.needed_by) for d in us_east_1_dependencies(unit)] == [
        ("CloudFront", ("aws_cloudfront_distribution.site",), ()),
        ("ACM certificate for CloudFront", ("aws_acm_certificate.site",), ("aws_cloudfront_distribution.site",)),
        ("WAF for CloudFront", ("aws_wafv2_web_acl.edge",), ("aws_cloudfront_distribution.site",)),
        ("Lambda@Edge", ("aws_lambda_function.headers",), ("aws_cloudfront_distribution.site",)),
    ]


def test_a_certificate_two_distributions_share_is_named_in_both_notes() -> None:
    findings = _findings(FIXTURES / "fail_distributions_sharing_a_certificate")
    assert [(f.resource, f.line) for f in findings] == [
        ("aws_wafv2_web_acl.unused", 65),
        ("aws_cloudfront_distribution.www", 85),
        ("aws_cloudfront_distribution.static", 113),
    ]
    assert findings[0].message.startswith("WAF for CloudFront: aws_wafv2_web_acl.unused depends on us-east-1")
    assert findings[1].message.endswith(
        "its configuration cannot be changed (it goes on serving), its ACM certificate aws_acm_certificate.shared "
        "cannot be issued, renewed or replaced, its web ACL aws_wafv2_web_acl.www cannot be changed and "
        "aws_wafv2_ip_set.office, which its web ACL uses, cannot be changed"
    )
    assert findings[2].message.endswith(
        "its configuration cannot be changed (it goes on serving) and its ACM certificate "
        "aws_acm_certificate.shared cannot be issued, renewed or replaced"
    )


def test_what_an_accepted_distribution_pins_keeps_notes_of_its_own() -> None:
    accepted = Settings(select=("RES402",), rule_options={"RES402": {"accept": ["CloudFront", "WAF for CloudFront"]}})
    findings = [
        f for f in scan([FIXTURES / "fail_cloudfront_satellites"], accepted, ParseOptions()).findings if f.rule_id == "RES402"
    ]
    assert [(f.resource, f.message.split(":")[0]) for f in findings] == [
        ("aws_acm_certificate.site", "ACM certificate for CloudFront"),
        ("aws_lambda_function.headers", "Lambda@Edge"),
    ]
    assert findings[0].message == (
        "ACM certificate for CloudFront: aws_acm_certificate.site (used by aws_cloudfront_distribution.site) "
        "depends on us-east-1 whatever region the workload runs in: while us-east-1 is impaired, it cannot be "
        "issued, renewed or replaced"
    )


def test_values_that_name_no_resource_are_told_on_the_distribution() -> None:
    findings = _findings(FIXTURES / "fail_route53_iam_sts")
    assert [(f.resource, f.line) for f in findings] == [
        (None, 5),
        ("aws_route53_zone.main", 10),
        ("aws_cloudwatch_log_group.queries", 33),
        ("aws_cloudfront_distribution.cdn", 42),
    ]
    assert findings[0].message.startswith('STS: sts_region = "us-east-1" depends on us-east-1')
    assert findings[1].message.startswith("Route 53: aws_route53_zone.main, aws_route53_record.www depend on us-east-1")
    assert "its 1 hosted zone and 1 record set cannot be created or changed" in findings[1].message
    assert findings[3].message.endswith(
        "its configuration cannot be changed (it goes on serving), its ACM certificate (in us-east-1) cannot be "
        "issued, renewed or replaced and its Lambda@Edge functions (in us-east-1) cannot be updated"
    )


def test_cloudformation_lambda_at_edge_through_its_version() -> None:
    findings = _findings(FIXTURES / "fail_cfn_distribution")
    assert [(f.resource, f.line) for f in findings] == [("Distribution", 30), ("WwwRecord", 56)]
    assert findings[0].message.endswith(
        "its ACM certificate Certificate cannot be issued, renewed or replaced, its web ACL EdgeAcl cannot be "
        "changed and its Lambda@Edge function HeadersFunction cannot be updated or redeployed (its replicas go on running)"
    )


def test_regional_certificates_and_firewalls_are_not_listed() -> None:
    findings = _findings(FIXTURES / "fail_regional_resources_not_listed")
    assert [f.resource for f in findings] == ["aws_cloudfront_distribution.cdn"]


def test_iam_is_noted_where_the_system_serves_from_several_regions() -> None:
    (finding,) = _findings(FIXTURES / "fail_iam_multi_region_system")
    assert (finding.resource, finding.line) == ("aws_iam_role.app", 11)
    assert finding.message == (
        "IAM: 2 IAM resources (aws_iam_role.app, aws_iam_role_policy.app) are created and changed only through "
        "IAM's control plane in us-east-1, while the workload serves from eu-west-1 and eu-west-2: while us-east-1 "
        "is impaired, none can be created or changed (existing roles and policies go on working), so a failover "
        "that needs a new role or policy waits"
    )
    assert _findings(FIXTURES / "pass_iam_single_region") == []
    assert _findings(FIXTURES / "pass_cfn_iam_only") == []


def test_a_single_region_units_iam_stays_in_the_inventory_simulate_reads() -> None:
    found_files = discover([FIXTURES / "pass_iam_single_region"], (), 20 << 20)
    (unit,) = build_project(found_files.files, found_files.problems, ParseOptions()).units
    assert [(d.service, d.resources) for d in us_east_1_dependencies(unit)] == [("IAM", ("aws_iam_role.app",))]


def test_accepted_dependencies_are_not_noted(tmp_path: Path) -> None:
    source = (FIXTURES / "pass_accepted_in_configuration" / "main.tf").read_text()
    write(tmp_path, {"main.tf": source})
    assert [f.message.split(":")[0] for f in _findings(tmp_path)] == ["Route 53", "IAM"]
    accepted = Settings(select=("RES402",), rule_options={"RES402": {"accept": ["IAM"]}})
    findings = scan([tmp_path], accepted, ParseOptions()).findings
    assert [f.message.split(":")[0] for f in findings if f.rule_id == "RES402"] == ["Route 53"]


def test_an_accepted_service_that_is_no_service_is_a_configuration_error(tmp_path: Path) -> None:
    write(tmp_path, {".resilint.toml": '[rules.RES402]\naccept = ["Route53"]\n', "main.tf": ""})
    with pytest.raises(ConfigError, match=r"rules\.RES402\.accept: 'Route53' is not one of .*; did you mean Route 53\?"):
        resolve(CommandLine(), tmp_path / ".resilint.toml", tmp_path, load_rules)


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
