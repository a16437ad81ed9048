"""RES205 secondary-dns-not-effective: shadow zones and zones out of sync, with exact findings,
and the cases that are not judged."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "secondary_dns_not_effective"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES205",)), ParseOptions()).findings if f.rule_id == "RES205"]


def test_shadow_zone_is_named_with_the_delegation() -> None:
    (finding,) = _findings(FIXTURES / "fail_shadow_zone")
    assert (finding.resource, finding.line, finding.severity.value) == ("ns1_zone.shop", 6, "warning")
    assert finding.message == (
        "ns1_zone.shop hosts orders-shop.io at NS1, but the delegation (aws_route53domains_registered_domain.shop) "
        "lists only Route 53 name servers: resolvers never ask NS1, so this zone cannot answer when Route 53 is down"
    )
    assert finding.fix is not None and finding.fix.startswith("Add NS1's name servers for orders-shop.io")


def test_shadow_zones_at_azure_dns_and_cloud_dns() -> None:
    findings = _findings(FIXTURES / "fail_shadow_zones_at_azure_and_google")
    assert [(f.resource, f.line) for f in findings] == [("azurerm_dns_zone.shop", 15), ("google_dns_managed_zone.shop", 20)]
    assert findings[0].message.startswith("azurerm_dns_zone.shop hosts orders-shop.io at Azure DNS, but the delegation")
    assert "resolvers never ask Google Cloud DNS" in findings[1].message


def test_zone_out_of_sync_lists_the_missing_record_sets() -> None:
    (finding,) = _findings(FIXTURES / "fail_records_out_of_sync")
    assert (finding.resource, finding.line) == ("cloudflare_zone.shop", 5)
    assert finding.message == (
        "cloudflare_zone.shop hosts orders-shop.io at Cloudflare without 2 of the record sets Route 53 serves: "
        "api.orders-shop.io (A/AAAA/CNAME), orders-shop.io (MX): while Route 53 is down, Cloudflare answers alone, "
        "without them"
    )


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_zones_in_two_roots_are_compared(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "route53/main.tf": 'resource "aws_route53_zone" "shop" {\n  name = "orders-shop.io"\n}\n\n'
            'resource "aws_route53_record" "www" {\n  zone_id = aws_route53_zone.shop.zone_id\n  name    = "www"\n'
            '  type    = "A"\n  ttl     = 300\n  records = ["198.51.100.10"]\n}\n',
            "cloudflare/main.tf": 'resource "cloudflare_zone" "shop" {\n  name = "orders-shop.io"\n}\n\n'
            'resource "cloudflare_dns_record" "api" {\n  zone_id = cloudflare_zone.shop.id\n  name    = "api"\n'
            '  type    = "A"\n  content = "198.51.100.20"\n  ttl     = 300\n}\n',
        },
    )
    found = sorted((f.resource, f.message.split(": ")[1].split(":")[0]) for f in _findings(tmp_path))
    assert found == [
        ("aws_route53_zone.shop", "api.orders-shop.io (A/AAAA/CNAME)"),
        ("cloudflare_zone.shop", "www.orders-shop.io (A/AAAA/CNAME)"),
    ]
