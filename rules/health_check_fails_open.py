"""RES311 health-check-fails-open."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT
from resilint.families.dns import HEALTH_CHECKS, health_check_setting
from resilint.model import Project, Resource, Unit, unknowns_in
from resilint.relations.dns import deployed_index, health_checks
from resilint.relations.record_targets import GLOBAL, record_region
from resilint.rule import Severity, Violation, in_each_copy, rule

# What Route 53 makes of a check whose alarm has no data: `LastKnownStatus` when left out
# ("By default, Route 53 uses the status of the health check from the last time CloudWatch had
# sufficient data", UpdateHealthCheck API reference), healthy for a check that never had data.
_FAILS_OPEN = frozenset({"healthy", "lastknownstatus"})


@rule(
    id="RES311",
    name="health-check-fails-open",
    severity=Severity.WARNING,
    summary="A health check reads an alarm in the region it is meant to see fail",
    fix="Check the endpoint itself (HTTPS or TCP), or make missing alarm data unhealthy",
    tags=("dns", "region", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Route 53 health check of type `CLOUDWATCH_METRIC` (`aws_route53_health_check`,
    `AWS::Route53::HealthCheck`) whose CloudWatch alarm lives in the same region as the endpoint
    of a record it guards, and which counts missing alarm data as healthy: its
    `insufficient_data_health_status` / `InsufficientDataHealthStatus` is `Healthy`,
    `LastKnownStatus`, or left out (Route 53 then uses the last known status). The guarded
    records are failover, latency, weighted and other steered records anywhere in the scan whose
    `health_check_id` / `HealthCheckId` references the check, or a `CALCULATED` check that lists
    it among its `child_healthchecks` / `ChildHealthChecks`; the endpoint's region is that of
    the resource the record answers with (or that its AWS host name spells).

    Not flagged: checks whose missing-data status is `Unhealthy` or not known, alarms in another
    region than the endpoint, checks no steered record uses, and records whose endpoint region is
    not known or spans regions.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: a check whose `AlarmRegion` is `!Ref AWS::Region` reads its alarm in the region
    of its copy, where that copy's records send clients. A finding is reported once at the
    template's line, ending with the copies it holds in (`(in the stack's copies in us-east-1
    and us-west-2)`).

    ## Why is this bad?
    When the region fails, its CloudWatch fails with it: the alarm stops receiving data points
    and goes to INSUFFICIENT_DATA. A check that treats missing data as healthy (or as the last
    status, which was healthy) then reports the dead endpoint as healthy, and Route 53 keeps
    answering with it: the failover is blind exactly during the outage it exists for.

    ## Example
    ```hcl
    resource "aws_route53_health_check" "api" {
      type                    = "CLOUDWATCH_METRIC"
      cloudwatch_alarm_name   = aws_cloudwatch_metric_alarm.api_errors.alarm_name
      cloudwatch_alarm_region = "us-east-1" # where the api runs
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_health_check" "api" {
      type                            = "CLOUDWATCH_METRIC"
      cloudwatch_alarm_name           = aws_cloudwatch_metric_alarm.api_errors.alarm_name
      cloudwatch_alarm_region         = "us-east-1"
      insufficient_data_health_status = "Unhealthy"
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/APIReference/API_UpdateHealthCheck.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-creating-values.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-determining-health-of-endpoints.html
    """
    # A stack deployed to several regions: each copy's check reads its alarm in the region the
    # copy decides (`AlarmRegion: !Ref AWS::Region`), for the records of that copy.
    yield from in_each_copy(unit, lambda judged: _fails_open(judged, project))


def _fails_open(unit: Unit, project: Project) -> Iterator[Violation]:
    for check_member in HEALTH_CHECKS.members(unit, "route53_health_check"):
        if check_member.resource.count_unknown:
            continue
        kind = health_check_setting(check_member, "type")
        region = health_check_setting(check_member, "alarm_region")
        if not isinstance(kind, str) or kind.strip().upper() != "CLOUDWATCH_METRIC" or not isinstance(region, str):
            continue
        status = health_check_setting(check_member, "insufficient_data")
        shown = "LastKnownStatus (the default)" if status is DEFAULT else status
        if status is DEFAULT:
            status = "LastKnownStatus"
        if not isinstance(status, str) or status.strip().lower() not in _FAILS_OPEN:
            continue
        guarded = _guarded_in(check_member.resource, project, region.strip())
        if guarded is None:
            continue
        record, target = guarded
        yield Violation(
            f"{check_member.address} reads a CloudWatch alarm in {region.strip()}, where {record} sends clients "
            f"({target}), and counts missing alarm data as {str(shown).strip()}: when {region.strip()} fails, the alarm "
            "gets no data and the check keeps reporting the failed endpoint healthy",
            at=check_member.resource,
            fix=(
                f"Set {check_member.word('unhealthy_without_data')}, or guard the record with an HTTPS or TCP check "
                "of the endpoint (Route 53's checkers run outside the region)"
            ),
        )


def _guarded_in(check_resource: Resource, project: Project, region: str) -> tuple[str, str] | None:
    """The first steered record guarded by the check (directly, or as a child of a CALCULATED
    check) whose endpoint sits in `region`, with its endpoint; None when there is none."""
    for unit, record in deployed_index(project).records:
        if not record.routing or record.health_check is None:
            continue
        if not any(_depends_on(unit, found, check_resource) for found in health_checks(unit, record)):
            continue
        target = record_region(unit, record)
        if target is None or target.region == GLOBAL or target.region != region:
            continue
        return record.label, target.evidence
    return None


def _depends_on(unit: Unit, found: Resource, check_resource: Resource) -> bool:
    """Whether a record's health check is `check_resource` or a CALCULATED check over it."""
    if found is check_resource:
        return True
    member = HEALTH_CHECKS.member(found)
    if member is None:
        return False
    kind = health_check_setting(member, "type")
    if not isinstance(kind, str) or kind.strip().upper() != "CALCULATED":
        return False
    return any(child is check_resource for child in referenced_all(unit, health_check_setting(member, "children")))


def referenced_all(unit: Unit, value: object) -> list[Resource]:
    """Every resource a value (a list of ids) is computed from."""
    found: list[Resource] = []
    for unknown in unknowns_in(value):
        for target in unknown.refs:
            found.extend(r for r in unit.resolve(target) if not any(r is f for f in found))
    return found
