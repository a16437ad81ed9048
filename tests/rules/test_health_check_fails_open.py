"""RES311 health-check-fails-open: metric health checks whose alarm sits in the region of the
endpoint they guard and that count missing data as healthy."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "health_check_fails_open"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES311",)), ParseOptions()).findings if f.rule_id == "RES311"]


def test_default_missing_data_status_fails_open() -> None:
    (finding,) = _findings(FIXTURES / "fail_alarm_in_endpoint_region")
    assert (finding.resource, finding.line, finding.severity.value) == ("aws_route53_health_check.api", 26, "warning")
    assert finding.message == (
        "aws_route53_health_check.api reads a CloudWatch alarm in us-east-1, where aws_route53_record.api_primary "
        "sends clients (aws_lb.east), and counts missing alarm data as LastKnownStatus (the default): when us-east-1 "
        "fails, the alarm gets no data and the check keeps reporting the failed endpoint healthy"
    )
    assert finding.fix is not None and finding.fix.startswith('Set insufficient_data_health_status = "Unhealthy"')


def test_cloudformation_reads_inside_health_check_config() -> None:
    (finding,) = _findings(FIXTURES / "fail_cfn_last_known_status")
    assert (finding.resource, finding.line) == ("ApiCheck", 3)
    assert "alarm in eu-west-1, where ApiPrimary sends clients" in finding.message
    assert finding.fix is not None and "HealthCheckConfig.InsufficientDataHealthStatus: Unhealthy" in finding.fix


def test_every_pass_case_is_silent() -> None:
    for case in sorted(FIXTURES.glob("pass_*")):
        assert _findings(case) == [], case.name


def test_children_of_a_calculated_check_guard_its_records() -> None:
    findings = _findings(FIXTURES / "fail_child_of_calculated_check")
    assert [(f.resource, f.line) for f in findings] == [
        ("aws_route53_health_check.errors", 10),
        ("aws_route53_health_check.latency", 17),
    ]
    assert "counts missing alarm data as Healthy" in findings[0].message
