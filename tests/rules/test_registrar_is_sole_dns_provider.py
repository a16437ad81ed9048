"""RES208 registrar-is-sole-dns-provider: the registration is noted when its vendor is the only
DNS provider the delegation (or the hosted zones, or configuration) names."""

from __future__ import annotations

from pathlib import Path

from resilint.findings import Finding
from resilint.testing import lint_case

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "registrar_is_sole_dns_provider"


def _findings(path: Path) -> list[Finding]:
    return [f for f in lint_case(path, select=("RES208",)) if f.rule_id == "RES208"]


def test_route53_domains_delegating_to_its_route53_zone() -> None:
    (finding,) = _findings(FIXTURES / "fail_route53_domains_and_zone")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_route53domains_registered_domain.shop", 5, "note")
    assert finding.message == (
        "aws_route53domains_registered_domain.shop registers orders-shop.io with Route 53 Domains, and Route 53 is "
        "also the only DNS provider serving it: one vendor's incident or account problem can take both the domain's "
        "answers and the means to move them"
    )


def test_cloud_domains_delegating_to_its_cloud_dns_zone() -> None:
    (finding,) = _findings(FIXTURES / "fail_cloud_domains_and_cloud_dns")
    assert (finding.resource, finding.line, finding.severity.value) == ("google_clouddomains_registration.shop", 12, "note")
    assert finding.message.startswith(
        "google_clouddomains_registration.shop registers orders-shop.io with Google Cloud Domains, and Google Cloud "
        "DNS is also the only DNS provider serving it"
    )


def test_registration_that_creates_its_hosted_zone() -> None:
    (finding,) = _findings(FIXTURES / "fail_registration_creates_zone")
    assert (finding.resource, finding.line) == ("aws_route53domains_domain.shop", 2)


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_a_provider_declared_in_configuration_is_a_second_provider() -> None:
    case = FIXTURES / "pass_configured_external_provider"
    assert (case / ".resilint.toml").read_text(encoding="utf-8") == '[dns.secondary]\n"orders-shop.io" = ["NS1"]\n'
    assert [f.resource for f in lint_case(case, select=("RES201",))] == []
