"""Who answers for a name: the providers its zone is delegated to (a registrar's name servers, a
parent zone's NS records), as RES201 reads them, applied to every name under the zone."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, entry, simulated
from tests.simulate.test_semantics import SUBNETS, ZONE, _lb, _record

WWW = "www.orders-shop.io"
BASE = EAST + SUBNETS + ZONE + _lb("web") + _record("www", "aws_lb.web")


def _registrar(*servers: str) -> str:
    blocks = "".join(f"\n  name_server {{\n    name = {server}\n  }}\n" for server in servers)
    return f'\nresource "aws_route53domains_registered_domain" "shop" {{\n  domain_name = "orders-shop.io"\n{blocks}}}\n'


def test_a_zone_delegated_to_two_providers_survives_one(tmp_path: Path) -> None:
    # the registrar lists Route 53's name servers and NS1's: NS1's zone is not in this code
    files = {"main.tf": BASE + _registrar('"ns-1.awsdns-01.org"', '"dns1.p01.nsone.net"')}
    status = entry(simulated(tmp_path, files, "aws:route53"), WWW)
    assert status.state == "degraded"
    assert status.because == (
        "www.orders-shop.io → DNS orders-shop.io → degraded: Route 53 failed; the zone is still served by NS1 "
        "(delegated by aws_route53domains_registered_domain.shop)"
    )


def test_a_zone_delegated_to_one_provider_goes_dark_with_it(tmp_path: Path) -> None:
    # an NS1 zone of the same name is in the code, but the registrar delegates to Route 53 only
    files = {"main.tf": BASE + 'resource "ns1_zone" "public" {\n  zone = "orders-shop.io"\n}\n' + _registrar("aws_route53_zone.public.name_servers[0]")}
    status = entry(simulated(tmp_path, files, "aws:route53"), WWW)
    assert status.state == "down"
    assert "served only by Route 53 (delegated by aws_route53domains_registered_domain.shop), which failed" in status.because


def test_a_parent_zones_delegation_applies_to_the_child_zones_names(tmp_path: Path) -> None:
    child = """
resource "aws_route53_zone" "api" {
  name = "api.orders-shop.io"
}

resource "aws_route53_record" "delegation" {
  zone_id = aws_route53_zone.public.zone_id
  name    = "api"
  type    = "NS"
  ttl     = 172800
  records = concat(aws_route53_zone.api.name_servers, ["dns1.p01.nsone.net", "dns2.p02.nsone.net"])
}

resource "aws_route53_record" "api" {
  zone_id = aws_route53_zone.api.zone_id
  name    = "v1"
  type    = "A"
  alias {
    name                   = aws_lb.web.dns_name
    zone_id                = aws_lb.web.zone_id
    evaluate_target_health = true
  }
}
"""
    simulation = simulated(tmp_path, {"main.tf": BASE + child}, "aws:route53")
    assert entry(simulation, "v1.api.orders-shop.io").state == "degraded"
    assert "the zone is still served by NS1 (delegated by aws_route53_record.delegation)" in entry(simulation, "v1.api.orders-shop.io").because
    # the parent zone itself is delegated nowhere in the code: Route 53 alone
    assert entry(simulation, WWW).state == "down"


def test_a_name_server_that_is_not_known_leaves_it_unknown(tmp_path: Path) -> None:
    files = {"main.tf": 'variable "second" {}\n' + BASE + _registrar('"ns-1.awsdns-01.org"', "var.second")}
    status = entry(simulated(tmp_path, files, "aws:route53"), WWW)
    assert status.state == "unknown"
    assert "whether another provider serves the zone is not known" in status.because
