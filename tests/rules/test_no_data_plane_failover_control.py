"""RES309 no-data-plane-failover-control: noted once per system, on its first PRIMARY record."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "no_data_plane_failover_control"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES309",)), ParseOptions()).findings if f.rule_id == "RES309"]


def test_failover_between_two_regions_without_control() -> None:
    (finding,) = _findings(FIXTURES / "fail_failover_between_two_regions")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_route53_record.api_primary", 33, "note")
    assert finding.message == (
        "aws_route53_record.api_primary fails api.orders-shop.io over between us-east-1 and us-west-2 on health "
        "checks alone: no ARC routing control or Region switch plan in this unit lets anyone force the failover "
        "without Route 53's control plane, which runs in us-east-1"
    )


def test_cloudformation_regions_from_alias_host_names() -> None:
    (finding,) = _findings(FIXTURES / "fail_cfn_failover_between_regions")
    assert (finding.resource, finding.line) == ("Failover", 3)


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_a_routing_control_in_another_unit_of_the_system_counts(tmp_path: Path) -> None:
    # Two region folders of one system (us-east-1/, us-west-2/): the control in one covers both.
    record = (
        'provider "aws" {\n  region = "%s"\n}\n\nresource "aws_lb" "api" {\n  name    = "api"\n'
        '  subnets = ["subnet-0a1b2c3d", "subnet-0e1f2a3b"]\n}\n\nresource "aws_route53_record" "api" {\n'
        '  zone_id        = "Z0123456789ABCDEFGHIJ"\n  name           = "api.orders-shop.io"\n  type           = "A"\n'
        '  set_identifier = "%s"\n\n  failover_routing_policy {\n    type = "%s"\n  }\n\n  alias {\n'
        "    name                   = aws_lb.api.dns_name\n    zone_id                = aws_lb.api.zone_id\n"
        "    evaluate_target_health = true\n  }\n}\n"
    )
    write(
        tmp_path,
        {
            "live/us-east-1/main.tf": record % ("us-east-1", "east", "PRIMARY"),
            "live/us-west-2/main.tf": record % ("us-west-2", "west", "SECONDARY"),
        },
    )
    (finding,) = _findings(tmp_path)
    assert finding.resource == "aws_route53_record.api" and finding.path.endswith("us-east-1/main.tf")
    assert "in its system" in finding.message
    control = (
        '\n\nresource "aws_route53_health_check" "control" {\n  type                = "RECOVERY_CONTROL"\n'
        '  routing_control_arn = "arn:aws:route53-recovery-control::123456789012:controlpanel/a/routingcontrol/b"\n}\n'
    )
    write(tmp_path, {"live/us-west-2/main.tf": record % ("us-west-2", "west", "SECONDARY") + control})
    assert _findings(tmp_path) == []
