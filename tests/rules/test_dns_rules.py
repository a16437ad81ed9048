"""The DNS rules where fixtures alone cannot say enough: messages, severities, thresholds and
configuration (external DNS providers, rule options)."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.discover import discover
from resilint.engine import run
from resilint.findings import Finding
from resilint.model import Project
from resilint.parsers import ParseOptions, build_project
from resilint.registry import load_rules
from resilint.rule import Severity
from tests.conftest import REPO, write

FIXTURES = REPO / "fixtures"


def _project(*paths: Path) -> Project:
    found = discover(list(paths), (), 20 << 20)
    return build_project(found.files, found.problems, ParseOptions())


def _run(project: Project, rule_id: str) -> list[Finding]:
    registry = load_rules()
    return run(project, registry.rules, Settings(select=(rule_id,)))


def _lint(rule_id: str, *paths: Path, **facts: object) -> list[Finding]:
    project = _project(*paths)
    if facts:
        project = project.model_copy(update=facts)
    return _run(project, rule_id)


# RES201 --------------------------------------------------------------------------------------


def test_res201_message_names_the_domain_provider_and_zone() -> None:
    (finding,) = _lint("RES201", FIXTURES / "single_provider_dns" / "fail_route53_only")
    assert finding.severity is Severity.WARNING
    assert finding.resource == "aws_route53_zone.shop"
    assert finding.message == (
        "example-shop.com is hosted only at Route 53 (aws_route53_zone.shop); no zone for it at another "
        "DNS provider is in the scanned code or in configuration: an outage of Route 53 makes every "
        "name under example-shop.com unresolvable"
    )
    assert "second DNS provider" in finding.fix


def test_res201_is_silenced_by_a_secondary_provider_declared_in_configuration() -> None:
    case = FIXTURES / "single_provider_dns" / "fail_route53_only"
    # Configuration may spell the domain and the provider its own way.
    assert _lint("RES201", case, external_dns={"Example-Shop.com.": ("NS1",)}) == []


def test_res201_configured_provider_that_is_the_same_one_does_not_count() -> None:
    case = FIXTURES / "single_provider_dns" / "fail_route53_only"
    assert len(_lint("RES201", case, external_dns={"example-shop.com": ("route53", "Amazon Route 53")})) == 1
    assert len(_lint("RES201", case, external_dns={"other-shop.com": ("ns1",)})) == 1


def test_res201_delegation_message_says_the_other_zone_is_not_delegated_to() -> None:
    findings = _lint("RES201", FIXTURES / "single_provider_dns" / "fail_delegation_names_one_provider")
    by_resource = {f.resource: f.message for f in findings}
    assert by_resource["aws_route53_zone.shop"] == (
        "example-shop.com is delegated to Route 53 name servers only (registrar "
        "aws_route53domains_registered_domain.shop): an outage of Route 53 makes every name under "
        "example-shop.com unresolvable"
    )
    assert "this Cloudflare zone is not in the delegation" in by_resource["cloudflare_zone.shop"]


def test_res201_cloudformation_fix_points_to_configuration() -> None:
    (finding,) = _lint("RES201", FIXTURES / "single_provider_dns" / "fail_cfn_hosted_zone")
    assert finding.fix.startswith("CloudFormation manages Route 53 only")


def test_res201_looks_across_every_unit_of_the_scan(tmp_path: Path) -> None:
    write(tmp_path, {
        "aws/main.tf": 'resource "aws_route53_zone" "z" {\n  name = "example-shop.com"\n}\n',
        "azure/main.tf": (
            'resource "azurerm_dns_zone" "z" {\n  name = "EXAMPLE-SHOP.COM"\n  resource_group_name = "dns"\n}\n'
        ),
    })
    assert _lint("RES201", tmp_path / "aws", tmp_path / "azure") == []
    assert len(_lint("RES201", tmp_path / "aws")) == 1


# RES202 --------------------------------------------------------------------------------------


def test_res202_disabled_health_check_message_and_fix() -> None:
    (finding,) = _lint("RES202", FIXTURES / "failover_without_health_check" / "fail_disabled_health_check")
    assert finding.severity is Severity.ERROR
    assert finding.message == (
        "aws_route53_record.api_primary is the PRIMARY failover record for api.example-shop.com CNAME, but "
        "its only health check, aws_route53_health_check.east, is disabled (disabled = true): Route 53 "
        "treats it as always healthy, so it keeps answering with the primary when that endpoint fails "
        "and never fails over to the SECONDARY"
    )
    assert finding.fix == (
        "Enable aws_route53_health_check.east (remove disabled = true), or attach a health check that is enabled"
    )


def test_res202_names_the_record_set_group_element() -> None:
    (finding,) = _lint("RES202", FIXTURES / "failover_without_health_check" / "fail_cfn_record_set_group")
    assert finding.message.startswith(
        "Records (RecordSets[0]) is the PRIMARY failover record for api.example-shop.com CNAME, "
        "but it has no health check"
    )
    assert "HealthCheckId" in finding.fix


# RES203 --------------------------------------------------------------------------------------


def _ttl_findings(case: str, **facts: object) -> list[tuple[str | None, Severity]]:
    findings = _lint("RES203", FIXTURES / "failover_ttl_too_long" / case, **facts)
    return sorted((f.resource, f.severity) for f in findings)


def test_res203_two_levels() -> None:
    assert _ttl_findings("fail_weighted_ttl_90_is_a_note") == [("aws_route53_record.blue", Severity.NOTE)]
    assert _ttl_findings("fail_failover_ttl_300") == [
        ("aws_route53_record.api_primary", Severity.WARNING),
        ("aws_route53_record.api_secondary", Severity.WARNING),
    ]


def test_res203_message_states_ttl_threshold_and_consequence() -> None:
    (finding,) = _lint("RES203", FIXTURES / "failover_ttl_too_long" / "fail_cfn_ttl_string")
    assert finding.message == (
        "Primary for api.example-shop.com A uses failover routing and a health check with TTL = 300 s, "
        "above 120 s: resolvers keep serving the previous answer for up to 5 minutes after Route 53 "
        "changes it, so clients keep reaching a failed endpoint"
    )
    assert finding.fix == "Set TTL: '60' so that resolvers follow a failover within a minute"


def test_res203_thresholds_come_from_rule_options() -> None:
    options = {"RES203": {"ttl_warning": 600, "ttl_note": "299"}}
    # 300 s is above the note threshold only; the 90 s record is below both.
    assert _ttl_findings("fail_failover_ttl_300", rule_options=options) == [
        ("aws_route53_record.api_primary", Severity.NOTE),
        ("aws_route53_record.api_secondary", Severity.NOTE),
    ]
    assert _ttl_findings("fail_weighted_ttl_90_is_a_note", rule_options=options) == []
    assert _ttl_findings("fail_health_check_only", rule_options=options) == [
        ("aws_route53_record.web", Severity.WARNING)
    ]


def test_res203_invalid_thresholds_fall_back_to_the_defaults() -> None:
    options = {"RES203": {"ttl_warning": "two minutes", "ttl_note": -5}}
    assert _ttl_findings("fail_weighted_ttl_90_is_a_note", rule_options=options) == [
        ("aws_route53_record.blue", Severity.NOTE)
    ]


def test_res203_severity_override_applies_to_both_levels() -> None:
    project = _project(FIXTURES / "failover_ttl_too_long" / "fail_weighted_ttl_90_is_a_note")
    findings = run(project, load_rules().rules, Settings(select=("RES203",), severity={"RES203": Severity.ERROR}))
    assert [f.severity for f in findings] == [Severity.ERROR]


# RES204 --------------------------------------------------------------------------------------


def test_res204_message_lists_the_evidence() -> None:
    (finding,) = _lint("RES204", FIXTURES / "single_provider_nameservers" / "fail_dynamic_blocks_from_route53_zone")
    assert finding.message == (
        "aws_route53domains_registered_domain.shop delegates example-shop.com to Route 53 name servers "
        "only (aws_route53_zone.shop name servers): if Route 53 fails, example-shop.com stops resolving, "
        "and a delegation change made during the outage takes up to the parent zone's NS TTL to reach "
        "resolvers"
    )
    assert finding.fix.startswith("Add name_server blocks for the name servers of a DNS provider other than Route 53")


def test_res204_white_label_name_servers_are_named_by_their_domain() -> None:
    # Host names under a domain no provider is known by: say whose they are, not "the name servers
    # of example-dns.net name servers".
    (finding,) = _lint("RES204", FIXTURES / "single_provider_nameservers" / "fail_white_label_hosts")
    assert finding.message.startswith(
        "aws_route53domains_registered_domain.shop delegates example-shop.com to name servers under "
        "example-dns.net only (ns1.example-dns.net, ns2.example-dns.net): if the operator of "
        "example-dns.net fails, example-shop.com stops resolving"
    )
    assert "other than the operator of example-dns.net" in finding.fix


# RES301 --------------------------------------------------------------------------------------


def test_res301_message_names_the_zone_and_the_missing_half() -> None:
    findings = _lint("RES301", FIXTURES / "incomplete_dns_failover" / "fail_different_zones")
    assert [f.severity for f in findings] == [Severity.ERROR, Severity.ERROR]
    assert findings[0].message == (
        "aws_route53_record.api_primary is a PRIMARY failover record for api.example-shop.com A, but the "
        "scanned code has no SECONDARY record for the same name and type in aws_route53_zone.public: "
        "there is no standby to fail over to when its health check fails"
    )


def test_res301_counterpart_in_another_template_of_the_scan(tmp_path: Path) -> None:
    record = (
        "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  R:\n    Type: AWS::Route53::RecordSet\n"
        "    Properties:\n      HostedZoneName: example-shop.com.\n      Name: api.example-shop.com.\n"
        "      Type: A\n      TTL: '60'\n      SetIdentifier: {role}\n      Failover: {role}\n"
        "      ResourceRecords: ['192.0.2.10']\n"
    )
    write(tmp_path, {"east.yaml": record.format(role="PRIMARY"), "west.yaml": record.format(role="SECONDARY")})
    assert _lint("RES301", tmp_path / "east.yaml", tmp_path / "west.yaml") == []
    assert len(_lint("RES301", tmp_path / "east.yaml")) == 1


# RES307 --------------------------------------------------------------------------------------


def test_res307_is_a_note_with_the_endpoint_and_region() -> None:
    (finding,) = _lint("RES307", FIXTURES / "single_endpoint_dns" / "fail_alias_to_one_load_balancer")
    assert finding.severity is Severity.NOTE
    assert finding.message == (
        "www.example-shop.com (aws_route53_record.www) answers only with one load balancer, aws_lb.web in "
        "eu-west-1, with no routing policy or health check: if that endpoint or its region fails, the "
        "name has nothing else to answer with"
    )


def test_res201_configured_provider_may_be_a_single_name() -> None:
    case = FIXTURES / "single_provider_dns" / "fail_route53_only"
    assert _lint("RES201", case, external_dns={"example-shop.com": "cloudflare"}) == []
