"""RES401 single-edge-provider: names that answer only through one edge network."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "single_edge_provider"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES401",)), ParseOptions()).findings if f.rule_id == "RES401"]


def test_cloudfront_in_front_of_a_load_balancer_is_a_warning() -> None:
    (finding,) = _findings(FIXTURES / "fail_cloudfront_in_front_of_load_balancer")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_route53_record.www", 40, "warning")
    assert finding.message == (
        "www.example.com answers only through CloudFront (aws_route53_record.www -> aws_cloudfront_distribution.site), "
        "with no record that reaches the origin another way: when CloudFront fails (Azure Front Door failed worldwide "
        "on 29 October 2025), the application behind it cannot be reached"
    )
    assert finding.fix is not None and "SECONDARY a regional load balancer" in finding.fix


@pytest.mark.parametrize(
    "case, resource, line, severity",
    [
        ("fail_cloudfront_static_site", "aws_route53_record.apex", 35, "note"),
        ("fail_cfn_alias_to_distribution", "Www", 18, "note"),
        ("fail_azure_front_door_cname", "azurerm_dns_cname_record.www", 57, "warning"),
        ("fail_cloudflare_proxied", "cloudflare_dns_record.www", 6, "note"),
    ],
)
def test_each_vendor(case: str, resource: str, line: int, severity: str) -> None:
    (finding,) = _findings(FIXTURES / case)
    assert (finding.resource, finding.line, finding.severity.value) == (resource, line, severity)


def test_google_cloud_cdn_through_the_load_balancing_chain() -> None:
    findings = _findings(FIXTURES / "fail_gcp_cloud_cdn")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("google_dns_record_set.www", 16, "warning"),
        ("google_dns_record_set.site", 76, "note"),
    ]
    assert findings[0].message.startswith(
        "www.shop.example.com answers only through Google Cloud CDN (google_dns_record_set.www -> "
        "google_compute_backend_service.web), with no record that reaches the origin another way"
    )
    assert findings[0].fix is not None and "does not go through Cloud CDN" in findings[0].fix


def test_azure_fix_is_traffic_manager() -> None:
    (finding,) = _findings(FIXTURES / "fail_azure_front_door_cname")
    assert finding.fix is not None and finding.fix.startswith("Put Azure Traffic Manager in front")


@pytest.mark.parametrize(
    "case",
    [
        "pass_failover_to_load_balancer",
        "pass_azure_traffic_manager",
        "pass_static_assets_name",
        "pass_alias_not_known",
        "pass_gcp_load_balancer_without_cdn",
        "pass_cfn_failover_around_cloudfront",
        "pass_cloudflare_dns_only",
    ],
)
def test_no_finding(case: str) -> None:
    assert _findings(FIXTURES / case) == []
