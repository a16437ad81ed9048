"""RES202 failover-without-health-check."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import absence_is_known, as_bool
from resilint.families.base import Member
from resilint.families.dns import DNS_RECORDS, HEALTH_CHECKS
from resilint.model import Project, Resource, Unit, Unknown
from resilint.relations.dns import Alias, Record, health_checks, records
from resilint.rule import Severity, Violation, in_each_copy, rule


@rule(
    id="RES202",
    name="failover-without-health-check",
    severity=Severity.ERROR,
    summary="A PRIMARY failover record has no health check, so it never fails over",
    fix="Attach a health check to the PRIMARY record, or let its alias evaluate the target's health",
    tags=("dns", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Route 53 failover record of type PRIMARY (`failover_routing_policy { type =
    "PRIMARY" }` on `aws_route53_record`, `Failover: PRIMARY` on `AWS::Route53::RecordSet` or
    an element of `AWS::Route53::RecordSetGroup.RecordSets`) that Route 53 cannot see fail:

    - it has no health check (`health_check_id` / `HealthCheckId`), or only one that is
      disabled (`aws_route53_health_check` with `disabled = true`), and
    - it is not an alias that evaluates its target's health (`evaluate_target_health = true` /
      `AliasTarget.EvaluateTargetHealth: true`). An alias to a CloudFront distribution does not
      count: Route 53 cannot evaluate a distribution's health.

    A SECONDARY without a health check is normal (it is the last resort) and is not flagged. A
    record whose failover type, health check or alias is unknown is not judged; in a
    `terraform show -json` plan a missing `health_check_id` may be one computed at apply, so it
    is not taken as missing.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: `Failover: !If [IsPrimary, PRIMARY, SECONDARY]` is PRIMARY in the
    copy whose region the condition names. A finding is reported once at the template's line, ending with the
    copies it holds in (`(in the stack's copy in us-east-1)`).

    ## Why is this bad?
    "If a record in a group of records that have the same name and type doesn't have an
    associated health check, Route 53 always considers it healthy." A PRIMARY that is always
    healthy is always the answer: when its endpoint or region goes down, Route 53 keeps sending
    every client there and the SECONDARY is never used. A disabled health check behaves the
    same way: Route 53 considers it healthy.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "api"
      type           = "A"
      set_identifier = "primary"

      failover_routing_policy {
        type = "PRIMARY"
      }

      alias {
        name                   = aws_lb.east.dns_name
        zone_id                = aws_lb.east.zone_id
        evaluate_target_health = false
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id        = aws_route53_zone.main.zone_id
      name           = "api"
      type           = "A"
      set_identifier = "primary"

      failover_routing_policy {
        type = "PRIMARY"
      }

      alias {
        name                   = aws_lb.east.dns_name
        zone_id                = aws_lb.east.zone_id
        evaluate_target_health = true
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/health-checks-how-route-53-chooses-records.html
    - https://docs.aws.amazon.com/Route53/latest/APIReference/API_AliasTarget.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/route53_health_check
    """
    # A stack deployed to several regions: each copy decides its records' failover role.
    yield from in_each_copy(unit, _primaries_without_check)


def _primaries_without_check(unit: Unit) -> Iterator[Violation]:
    for record in records(unit):
        if record.family != "route53" or record.failover != "PRIMARY" or record.resource.count_unknown:
            continue
        violation = _judge(unit, record)
        if violation is not None:
            yield violation


def _judge(unit: Unit, record: Record) -> Violation | None:
    check_state = _health_check_state(unit, record)
    if check_state == "enabled" or check_state == "unknown":
        return None
    alias = record.alias
    if isinstance(alias, Unknown):
        return None
    if isinstance(alias, Alias):
        if alias.evaluate_target_health is None:
            return None
        if alias.evaluate_target_health and not alias.is_cloudfront:
            return None
    subject = _subject(record)
    spelling = DNS_RECORDS.member(record.resource)
    if spelling is None:
        return None
    if check_state == "disabled":
        names = ", ".join(c.address for c in health_checks(unit, record))
        why = f"its only health check, {names}, is disabled (disabled = true)"
        fix = f"Enable {names} (remove disabled = true), or attach a health check that is enabled"
    else:
        why = "it has no health check"
        if isinstance(alias, Alias) and alias.evaluate_target_health:
            why += " and its alias points at a CloudFront distribution, whose health Route 53 cannot evaluate"
        elif isinstance(alias, Alias):
            flag = spelling.word("target_health_off")
            why += f" and its alias does not evaluate the target's health ({flag})"
        fix = _fix(spelling, alias)
    return Violation(
        f"{subject} {why}: Route 53 treats it as always healthy, so it keeps answering with the "
        "primary when that endpoint fails and never fails over to the SECONDARY",
        at=record.resource,
        fix=fix,
    )


def _health_check_state(unit: Unit, record: Record) -> str:
    """"none", "disabled" (every health check it names is known to be disabled), "enabled",
    or "unknown"."""
    value = record.health_check
    if value is None and not absence_is_known(record.resource):
        return "unknown"  # a plan leaves out a health check id that is computed at apply
    if value is None or (isinstance(value, str) and not value.strip()):
        return "none"
    if isinstance(value, Unknown):
        checks = health_checks(unit, record)
        if checks and all(_disabled(c) is True for c in checks):
            return "disabled"
        return "enabled" if checks else "unknown"
    return "enabled"


def _disabled(check: Resource) -> bool | None:
    member = HEALTH_CHECKS.member(check)
    return as_bool(member.value("disabled")) if member is not None and member.has("disabled") else None


def _subject(record: Record) -> str:
    what = record.shown_name + (f" {record.rtype}" if record.rtype else "")
    return f"{record.label} is the PRIMARY failover record for {what}, but"


def _fix(record: Member, alias: Alias | None) -> str:
    if isinstance(alias, Alias) and alias.evaluate_target_health:
        return f"Attach a health check that probes the distribution: {record.word('probe_distribution')}"
    how = record.word("attach_check")
    if isinstance(alias, Alias):
        return f"{record.word('evaluate_target_health')}, or set {how}"
    return f"Attach a health check: {how}"
