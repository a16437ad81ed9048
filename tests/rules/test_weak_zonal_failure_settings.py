"""RES312 weak-zonal-failure-settings: load balancers without cross-zone or zonal shift, target
groups that turn cross-zone off, EKS clusters without zonal shift, ECS services without zone
rebalancing (notes); zonal shift left at its opt-in default and what RES305 reports is not noted again, and unknown settings never fire."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "weak_zonal_failure_settings"


def _findings(case: str, *rule_ids: str) -> list[Finding]:
    wanted = rule_ids or ("RES312",)
    found = scan([FIXTURES / case], Settings(select=wanted), ParseOptions()).findings
    return [f for f in found if f.rule_id in wanted]


def test_terraform_settings_are_notes_naming_every_weak_setting() -> None:
    findings = _findings("fail_terraform")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_lb.nlb", 17, "note"),
        ("aws_lb.alb", 23, "note"),
        ("aws_lb_target_group.sticky_zone", 29, "note"),
        ("aws_eks_cluster.main", 47, "note"),
        ("aws_ecs_service.api", 60, "note"),
    ]
    assert findings[0].message.startswith(
        "aws_lb.nlb is a network load balancer whose cross-zone load balancing is off "
        "(enable_cross_zone_load_balancing is not set; the default for network load balancers is false): each "
        "zone's node sends only to its own zone's targets"
    )
    assert findings[0].fix == "Set enable_cross_zone_load_balancing = true"
    assert "whose ARC zonal shift is off (enable_zonal_shift = false)" in findings[1].message
    assert findings[1].fix == "Set enable_zonal_shift = true"
    assert '(load_balancing_cross_zone_enabled = "false")' in findings[2].message
    assert findings[3].fix == "Set zonal_shift_config { enabled = true }"
    assert findings[4].fix == 'Set availability_zone_rebalancing = "ENABLED" (the default)'


def test_cloudformation_attributes_and_properties() -> None:
    findings = _findings("fail_cloudformation")
    assert [(f.resource, f.line) for f in findings] == [
        ("Nlb", 3),
        ("Alb", 11),
        ("ZoneBound", 18),
        ("Cluster", 27),
        ("Service", 35),
    ]
    assert '(load_balancing.cross_zone.enabled = "false")' in findings[0].message
    assert findings[1].fix == 'Set LoadBalancerAttributes zonal_shift.config.enabled = "true"'
    assert "(ZonalShiftConfig.Enabled = false)" in findings[3].message


def test_what_res305_reports_is_not_noted_again() -> None:
    findings = _findings("pass_terraform", "RES305", "RES312")
    assert [(f.rule_id, f.resource) for f in findings] == [
        ("RES305", "aws_lb.one_zone"),
        ("RES305", "aws_lb.nlb_one_zone_targets"),
    ]


def test_settings_on_default_zonal_shift_or_unknown_are_not_noted() -> None:
    assert _findings("pass_cloudformation") == []
