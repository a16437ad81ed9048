"""DNS relations: provider classification, names, record sets, delegation, the project index."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from resilint.config import Settings
from resilint.discover import discover
from resilint.engine import run
from resilint.model import Location, Project, Reference, Resource, Unit, Unknown
from resilint.parsers import ParseOptions, build_project
from resilint.registry import load_rules
from resilint.relations import dns
from resilint.relations.dns_providers import family_of_configured, family_of_hostname, is_reserved, normalize_domain
from resilint.rule import Severity
from tests.conftest import write


def _project(root: Path) -> Project:
    found = discover([root], (), 20 << 20)
    return build_project(found.files, found.problems, ParseOptions())


def _unit(tmp_path: Path, text: str) -> Unit:
    write(tmp_path, {"main.tf": text})
    (unit,) = _project(tmp_path).units
    return unit


@pytest.mark.parametrize(
    ("host", "family"),
    [
        ("ns-1536.awsdns-00.co.uk.", "route53"),
        ("NS-0.AWSDNS-63.COM", "route53"),
        ("ns1-07.azure-dns.info", "azure"),
        ("ns-cloud-b3.googledomains.com.", "clouddns"),
        ("kate.ns.cloudflare.com", "cloudflare"),
        ("dns4.p09.nsone.net", "ns1"),
        ("ns4.dnsimple-edge.org", "dnsimple"),
        ("a1-64.akam.net", "akamai"),
        ("ns2.digitalocean.com", "digitalocean"),
        ("pdns196.ultradns.co.uk", "ultradns"),
        ("ns1.example-shop.com", "other:example-shop.com"),
        ("ns2.registrar.co.uk", "other:registrar.co.uk"),
        ("192.0.2.53", None),
        ("", None),
    ],
)
def test_name_server_host_names_are_classified(host: str, family: str | None) -> None:
    assert family_of_hostname(host) == family


def test_domain_names_and_reserved_names() -> None:
    assert normalize_domain(" Example-Shop.COM. ") == "example-shop.com"
    assert normalize_domain(Unknown("x")) is None
    assert normalize_domain(".") is None
    assert is_reserved("api.example.com") and is_reserved("corp.internal") and is_reserved("test")
    assert not is_reserved("example-shop.com") and not is_reserved("mytest.com")


def test_configured_provider_names() -> None:
    assert family_of_configured("Amazon Route 53") == "route53"
    assert family_of_configured(" NS1 ") == "ns1"
    assert family_of_configured("Gandi") == "gandi"


def test_route53_names_are_expanded_to_the_zone(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
resource "aws_route53_zone" "z" {
  name = "Example-Shop.com."
}
resource "aws_route53_record" "relative" {
  zone_id = aws_route53_zone.z.zone_id
  name    = "WWW"
  type    = "a"
}
resource "aws_route53_record" "absolute" {
  zone_id = aws_route53_zone.z.zone_id
  name    = "www.example-shop.com."
  type    = "A"
}
resource "aws_route53_record" "apex" {
  zone_id = aws_route53_zone.z.zone_id
  name    = ""
  type    = "A"
}
resource "aws_route53_record" "literal_zone" {
  zone_id = "Z0123"
  name    = "www"
  type    = "A"
}
""",
    )
    by_address = {r.resource.address: r for r in dns.records(unit)}
    assert by_address["aws_route53_record.relative"].fqdn == "www.example-shop.com"
    assert by_address["aws_route53_record.relative"].rtype == "A"
    assert by_address["aws_route53_record.absolute"].fqdn == "www.example-shop.com"
    assert by_address["aws_route53_record.apex"].fqdn == "example-shop.com"
    literal = by_address["aws_route53_record.literal_zone"]
    assert literal.fqdn is None and (literal.zone.kind, literal.zone.value) == ("id", "Z0123")
    relative = by_address["aws_route53_record.relative"]
    assert relative.zone.kind == "resource" and relative.zone.zone is not None
    assert dns.may_be_same_set(relative, by_address["aws_route53_record.absolute"])
    # A literal zone id may be the same zone; "www" relative to an unknown zone may be the same name.
    assert dns.may_be_same_set(relative, literal)


def test_zone_identity() -> None:
    zone = dns.ZoneRef("resource", "aws_route53_zone.a", "u1", None, True)
    assert not dns.may_be_same_zone(zone, dns.ZoneRef("resource", "aws_route53_zone.b", "u1"))
    assert dns.may_be_same_zone(zone, dns.ZoneRef("resource", "aws_route53_zone.b", "u2"))  # another unit
    assert dns.may_be_same_zone(zone, dns.ZoneRef("unknown", "?", "u1"))
    assert dns.may_be_same_zone(zone, dns.ZoneRef("id", "Z1", "u1"))
    assert not dns.may_be_same_zone(dns.ZoneRef("id", "Z1", "u1"), dns.ZoneRef("id", "Z2", "u2"))
    assert not dns.may_be_same_zone(dns.ZoneRef("domain", "a.com", "u"), dns.ZoneRef("domain", "b.com", "u"))


def test_zones_public_private_and_partners(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
resource "aws_route53_zone" "private" {
  name = "a.com"
  vpc {
    vpc_id = "vpc-1"
  }
}
resource "google_dns_managed_zone" "public" {
  name     = "b"
  dns_name = "B.com."
}
resource "cloudflare_zone" "partial" {
  zone = "c.com"
  type = "partial"
}
resource "ns1_zone" "primary_with_secondaries" {
  zone = "d.com"
  secondaries {
    ip = "192.0.2.1"
  }
}
resource "akamai_dns_zone" "secondary" {
  zone    = "e.com"
  type    = "secondary"
  masters = ["192.0.2.2"]
}
""",
    )
    zones = {z.resource.address: z for z in dns.zones(unit)}
    assert zones["aws_route53_zone.private"].public is False
    public = zones["google_dns_managed_zone.public"]
    assert (public.domain, public.public) == ("b.com", True)
    assert zones["cloudflare_zone.partial"].authoritative is False
    assert zones["cloudflare_zone.partial"].domain == "c.com"  # v4 spelling
    assert zones["ns1_zone.primary_with_secondaries"].external_partner is True
    assert zones["akamai_dns_zone.secondary"].external_partner is True


def test_name_servers_from_anything_but_zones_are_unknown(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
resource "aws_instance" "ns" {
  ami = "ami-1"
}
resource "aws_route53_zone" "z" {
  name = "example-shop.com"
}
resource "aws_route53domains_registered_domain" "d" {
  domain_name = "example-shop.com"
  name_server {
    name = aws_route53_zone.z.name_servers[0]
  }
  name_server {
    name = aws_instance.ns.public_dns
  }
}
""",
    )
    (name_servers,) = dns.name_server_sets(unit)
    assert name_servers.kind == "registrar"
    assert name_servers.families == frozenset({"route53"})
    assert name_servers.complete is False


def test_parent_ns_record_is_delegation_and_apex_ns_is_not(tmp_path: Path) -> None:
    unit = _unit(
        tmp_path,
        """
resource "aws_route53_zone" "parent" {
  name = "example-shop.com"
}
resource "aws_route53_zone" "child" {
  name = "api.example-shop.com"
}
resource "aws_route53_record" "delegation" {
  zone_id = aws_route53_zone.parent.zone_id
  name    = "api"
  type    = "NS"
  ttl     = 300
  records = aws_route53_zone.child.name_servers
}
resource "aws_route53_record" "apex" {
  zone_id = aws_route53_zone.parent.zone_id
  name    = "example-shop.com"
  type    = "NS"
  ttl     = 300
  records = ["ns-1.awsdns-01.org", "dns1.p01.nsone.net"]
}
""",
    )
    sets = {s.domain: s for s in dns.name_server_sets(unit)}
    assert (sets["api.example-shop.com"].kind, sets["api.example-shop.com"].families) == (
        "delegation",
        frozenset({"route53"}),
    )
    assert (sets["example-shop.com"].kind, sets["example-shop.com"].families) == ("apex", frozenset({"route53", "ns1"}))


def test_project_index_is_built_once_per_project(tmp_path: Path) -> None:
    write(tmp_path, {"a/main.tf": 'resource "aws_route53_zone" "z" {\n  name = "a.com"\n}\n', "b/main.tf": ""})
    project = _project(tmp_path)
    first = dns.project_index(project)
    assert dns.project_index(project) is first
    assert set(first.zones_by_domain) == {"a.com"}
    # A project made of other units gets its own index, even when it shares the first unit.
    smaller = project.model_copy(update={"units": project.units[:1]})
    assert dns.project_index(smaller) is not first


# Unknown values never crash a rule and never produce a warning or an error -----------------

_KNOWN = {
    "failover": [None, "PRIMARY", "SECONDARY"],
    "health_check_id": [None, "hc-1"],
    "alias": [None, [], [{"name": "x.elb.amazonaws.com", "zone_id": "Z35", "evaluate_target_health": False}]],
    "ttl": [None, 30, 300, "3600"],
    "name": ["api", "api.example-shop.com."],
    "type": ["A", "CNAME"],
    "zone_id": ["Z0123"],
    "records": [None, ["192.0.2.1"]],
}


def _value(draw: Any, key: str) -> Any:
    options = _KNOWN[key]
    if draw(st.booleans()):
        return Unknown(f"{key} is unknown")
    return draw(st.sampled_from(options))


@st.composite
def _records(draw: Any) -> list[dict[str, Any]]:
    out = []
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        attributes: dict[str, Any] = {}
        for key in _KNOWN:
            value = _value(draw, key)
            if value is None:
                continue
            if key == "failover":
                attributes["failover_routing_policy"] = value if isinstance(value, Unknown) else [{"type": value}]
                attributes["set_identifier"] = "s"
            else:
                attributes[key] = value
        out.append(attributes)
    return out


def _resource(index: int, attributes: dict[str, Any]) -> Resource:
    return Resource(
        source="terraform",
        type="aws_route53_record",
        address=f"aws_route53_record.r{index}",
        unit=".",
        provider="aws",
        cloud="aws",
        attributes=attributes,
        references=(Reference(target="aws_route53_zone.z", path="zone_id"),),
        location=Location(path="main.tf", line=index + 1, end_line=index + 1),
    )


@settings(max_examples=150, deadline=None)
@given(_records())
def test_unknown_values_never_crash_or_fire(records: list[dict[str, Any]]) -> None:
    resources = tuple(_resource(i, a) for i, a in enumerate(records))
    unit = Unit(id=".", source="terraform", location=Location(path="main.tf", line=1, end_line=1), resources=resources)
    findings = run(Project(units=(unit,)), load_rules().rules, Settings(select=("RES2", "RES3")))
    assert not [f for f in findings if f.rule_id == "RES002"], findings
    for finding in findings:
        if finding.severity is Severity.NOTE:
            continue
        index = int(finding.resource.rsplit("r", 1)[1])
        attributes = records[index]
        # Whatever a warning or an error is about was known.
        if finding.rule_id in ("RES202", "RES301"):
            assert not isinstance(attributes.get("failover_routing_policy"), Unknown)
        if finding.rule_id == "RES202":
            assert not isinstance(attributes.get("health_check_id"), Unknown)
            assert not isinstance(attributes.get("alias"), Unknown)
        if finding.rule_id == "RES203":
            assert not isinstance(attributes.get("ttl"), Unknown)
            assert not isinstance(attributes.get("alias"), Unknown)
        if finding.rule_id == "RES301":
            # Every record here may share the zone and the name; one of the same (or an unknown)
            # type whose failover type is unknown may be the missing half.
            same_type = [
                a
                for i, a in enumerate(records)
                if i != index and (a["type"] == attributes["type"] or isinstance(a["type"], Unknown))
            ]
            assert not any(isinstance(a.get("failover_routing_policy"), Unknown) for a in same_type)
