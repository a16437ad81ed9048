"""RES206 health-checked-routing-at-one-provider: a static record at one provider for a name the
other provider steers."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "health_checked_routing_at_one_provider"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES206",)), ParseOptions()).findings if f.rule_id == "RES206"]


def test_static_cloudflare_record_beside_route53_failover() -> None:
    (finding,) = _findings(FIXTURES / "fail_failover_at_route53_static_at_cloudflare")
    assert (finding.resource, finding.line, finding.severity.value) == ("cloudflare_dns_record.api", 47, "note")
    assert finding.message == (
        "api.orders-shop.io (A) has failover routing at Route 53, but cloudflare_dns_record.api answers it at "
        "Cloudflare with fixed records: resolvers that ask Cloudflare (all of them while Route 53 is down) keep "
        "getting the same answer when its endpoint fails"
    )


def test_static_cloudflare_record_beside_a_cloud_dns_routing_policy() -> None:
    (finding,) = _findings(FIXTURES / "fail_cloud_dns_policy_static_at_cloudflare")
    assert (finding.resource, finding.line, finding.severity.value) == ("cloudflare_dns_record.api", 38, "note")
    assert finding.message.startswith(
        "api.orders-shop.io (A) has routing_policy routing at Google Cloud DNS, but cloudflare_dns_record.api answers "
        "it at Cloudflare with fixed records"
    )


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name
