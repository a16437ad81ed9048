"""RES317 resolver-endpoint-one-az: endpoints whose IP addresses share one zone, by subnet, by
zone name and by position in the zone list; subnets and blocks that are not known never fire."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "resolver_endpoint_one_az"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES317",)), ParseOptions()).findings if f.rule_id == "RES317"]


def test_the_same_subnet_twice_is_one_zone() -> None:
    (finding,) = _findings(FIXTURES / "fail_same_subnet_twice")
    assert (finding.resource, finding.line, finding.severity.value) == (
        "aws_route53_resolver_endpoint.outbound",
        12,
        "warning",
    )
    assert finding.message == (
        "aws_route53_resolver_endpoint.outbound has both of its IP addresses in one subnet "
        "(ip_address.subnet_id = aws_subnet.dns_a), in eu-west-1a: when that zone fails, DNS resolution "
        "through the endpoint stops for every zone"
    )
    assert finding.fix == "Give the ip_address entries subnets in two or more availability zones"


def test_subnets_of_one_zone_name_the_zone() -> None:
    (finding,) = _findings(FIXTURES / "fail_subnets_of_one_zone")
    assert (finding.resource, finding.line) == ("aws_route53_resolver_endpoint.inbound", 17)
    assert (
        "subnets of one availability zone, eu-west-1b (ip_address.subnet_id = aws_subnet.dns_1, aws_subnet.dns_2)"
        in (finding.message)
    )


def test_cloudformation_subnets_at_the_same_position_of_the_zone_list() -> None:
    (finding,) = _findings(FIXTURES / "fail_cfn_one_zone")
    assert (finding.resource, finding.line) == ("Outbound", 15)
    assert "(IpAddresses.SubnetId = DnsSubnetA, DnsSubnetB)" in finding.message
    assert finding.fix == "Give the IpAddresses entries subnets in two or more availability zones"


def test_two_zones_outposts_and_unknown_subnets_are_quiet() -> None:
    for case in ("pass_two_zones", "pass_unknown_subnets", "pass_cfn_two_zones"):
        assert _findings(FIXTURES / case) == [], case


def test_an_endpoint_whose_count_is_not_known_is_not_judged(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'variable "n" {\n  type = number\n}\n\nresource "aws_subnet" "a" {\n  vpc_id = "vpc-1"\n'
            '  cidr_block = "10.0.0.0/24"\n  availability_zone = "eu-west-1a"\n}\n\n'
            'resource "aws_route53_resolver_endpoint" "e" {\n  count = var.n\n  direction = "INBOUND"\n'
            '  security_group_ids = ["sg-1"]\n\n  ip_address {\n    subnet_id = aws_subnet.a.id\n  }\n\n'
            "  ip_address {\n    subnet_id = aws_subnet.a.id\n  }\n}\n"
        },
    )
    assert _findings(tmp_path) == []
