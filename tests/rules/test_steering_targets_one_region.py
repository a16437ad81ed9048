"""RES308 steering-targets-one-region: exact findings, the region evidence each record gives,
and sets that are not judged."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "steering_targets_one_region"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES308",)), ParseOptions()).findings if f.rule_id == "RES308"]


def test_failover_pair_to_two_load_balancers_of_one_region() -> None:
    (finding,) = _findings(FIXTURES / "fail_failover_pair_one_region")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_route53_record.api_primary", 28, "warning")
    assert finding.message == (
        "api.orders-shop.io (A) is a failover set of 2 records (aws_route53_record.api_primary, "
        "aws_route53_record.api_secondary) whose targets all sit in us-east-1 (aws_lb.primary, aws_lb.standby): "
        "when us-east-1 fails, every answer of the set fails with it"
    )


def test_cloudformation_regions_from_host_names() -> None:
    (finding,) = _findings(FIXTURES / "fail_cfn_failover_to_bucket_same_region")
    assert (finding.resource, finding.line) == ("Api", 10)
    assert "s3-website-us-east-1.amazonaws.com" in finding.message
    assert "Api (RecordSets[0]), Api (RecordSets[1])" in finding.message


def test_latency_set_of_elastic_ips_in_one_region() -> None:
    (finding,) = _findings(FIXTURES / "fail_latency_one_region")
    assert (finding.resource, finding.line) == ("aws_route53_record.edge_a", 17)
    assert "latency set of 2 records" in finding.message and "(aws_eip.a, aws_eip.b)" in finding.message


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_latency_region_declared_by_the_policy_decides_when_the_target_is_a_literal(tmp_path: Path) -> None:
    record = (
        'resource "aws_route53_record" "%s" {\n  zone_id        = "Z0123456789ABCDEFGHIJ"\n  name           = "api.orders-shop.io"\n'
        '  type           = "A"\n  ttl            = 60\n  set_identifier = "%s"\n  records        = ["%s"]\n\n'
        '  latency_routing_policy {\n    region = "%s"\n  }\n}\n'
    )
    write(
        tmp_path,
        {"main.tf": record % ("a", "a", "192.0.2.10", "eu-west-1") + "\n" + record % ("b", "b", "192.0.2.20", "eu-west-1")},
    )
    (finding,) = _findings(tmp_path)
    assert "its latency region eu-west-1" in finding.message
    write(
        tmp_path,
        {"main.tf": record % ("a", "a", "192.0.2.10", "eu-west-1") + "\n" + record % ("b", "b", "192.0.2.20", "us-east-1")},
    )
    assert _findings(tmp_path) == []


def test_zone_level_pair_is_judged_when_the_latency_records_above_do_not_evaluate_it(tmp_path: Path) -> None:
    text = (FIXTURES / "pass_zone_level_pair_under_latency" / "main.tf").read_text(encoding="utf-8")
    above = text.index('resource "aws_route53_record" "www_eu"')
    write(tmp_path, {"main.tf": text[:above] + text[above:].replace("evaluate_target_health = true", "evaluate_target_health = false")})
    (finding,) = _findings(tmp_path)
    assert (finding.resource, finding.line) == ("aws_route53_record.regional_primary", 23)
    assert "eu-central-1.orders-shop.io (A) is a failover set of 2 records" in finding.message


def test_geoproximity_records_declare_their_aws_region(tmp_path: Path) -> None:
    record = (
        'resource "aws_route53_record" "%s" {\n  zone_id        = "Z0123456789ABCDEFGHIJ"\n  name           = "api.orders-shop.io"\n'
        '  type           = "A"\n  ttl            = 60\n  set_identifier = "%s"\n  records        = ["%s"]\n\n'
        '  geoproximity_routing_policy {\n    aws_region = "%s"\n  }\n}\n'
    )
    write(tmp_path, {"main.tf": record % ("a", "a", "192.0.2.10", "us-east-1") + "\n" + record % ("b", "b", "192.0.2.20", "us-east-1")})
    (finding,) = _findings(tmp_path)
    assert "geoproximity set of 2 records" in finding.message and "its geoproximity region us-east-1" in finding.message


def test_cloud_dns_primary_backup_and_health_checked_geo_policies_in_one_region() -> None:
    findings = _findings(FIXTURES / "fail_cloud_dns_primary_backup_one_region")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("google_dns_record_set.orders", 42, "warning"),
        ("google_dns_record_set.api", 84, "warning"),
    ]
    assert findings[0].message == (
        "orders.internal.acme.example (A) has a Cloud DNS primary-backup (failover) policy (google_dns_record_set.orders) "
        "whose primary and backup_geo targets all sit in us-central1 (google_compute_forwarding_rule.backup, "
        "google_compute_forwarding_rule.primary): when us-central1 fails, every answer of the policy fails with it"
    )
    assert findings[0].fix is not None and findings[0].fix.startswith("Point the backup_geo items at targets in a second region")
    assert "geolocation policy with health checks" in findings[1].message


def test_cloud_dns_targets_that_span_regions_or_are_not_known_keep_the_policy_silent(tmp_path: Path) -> None:
    text = (FIXTURES / "pass_cloud_dns_policies" / "main.tf").read_text(encoding="utf-8")
    # The standby load balancer moved into the primary's region: the failover stays in one region.
    write(tmp_path, {"main.tf": text.replace('region                = "us-east1"', 'region                = "us-central1"')})
    assert [f.resource for f in _findings(tmp_path)] == ["google_dns_record_set.orders"]
    # A regional internal load balancer instead of the cross-region one: one region again.
    regional = text.replace('load_balancer_type = "globalL7ilb"', 'load_balancer_type = "regionalL4ilb"\n          region             = "us-central1"')
    write(tmp_path, {"main.tf": regional})
    assert [f.resource for f in _findings(tmp_path)] == ["google_dns_record_set.search"]
