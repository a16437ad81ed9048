"""RES203 failover-ttl-too-long."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import as_int
from resilint.families.edge import TRAFFIC_MANAGERS
from resilint.model import Project, Resource, Unit, Unknown
from resilint.relations.dns import Record, health_checks, records
from resilint.rule import Severity, Violation, in_each_copy, rule

DEFAULT_TTL_WARNING = 120
DEFAULT_TTL_NOTE = 60

_SERVICE = {"route53": "Route 53", "clouddns": "Cloud DNS"}
_POLICY_WORDS = {
    "failover": "failover routing",
    "weighted": "weighted routing",
    "latency": "latency routing",
    "geolocation": "geolocation routing",
    "geoproximity": "geoproximity routing",
    "cidr": "IP-based (CIDR) routing",
    "multivalue": "multivalue answer routing",
    "routing_policy": "a routing_policy",
}


@rule(
    id="RES203",
    name="failover-ttl-too-long",
    severity=Severity.WARNING,
    summary="A DNS record that takes part in failover has a long TTL",
    fix="Lower the TTL of records that change during a failover to 60 seconds",
    tags=("dns", "failover"),
    options={"ttl_warning": int, "ttl_note": int},
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a DNS record whose answer changes when something fails, and whose TTL keeps the old
    answer in resolvers' caches for long: above 120 seconds is a warning, above 60 seconds a
    note. The records checked:

    - Route 53 records (`aws_route53_record`, `AWS::Route53::RecordSet`, every element of
      `AWS::Route53::RecordSetGroup.RecordSets`) with a failover, weighted, latency,
      geolocation, geoproximity, IP-based (CIDR) or multivalue answer routing policy, or a
      health check. CloudFormation's `TTL` is a string; it is read as a number.
    - Google Cloud DNS `google_dns_record_set` with a `routing_policy`.
    - Azure Traffic Manager profiles (`azurerm_traffic_manager_profile`, `dns_config.ttl`).

    Alias records are exempt: Route 53 answers them with the target's TTL (60 seconds for load
    balancers), and their TTL cannot be set. A TTL or routing policy that is unknown is not
    judged.

    Both thresholds are configurable: `ttl_warning` (default 120) and `ttl_note` (default 60)
    in the rule options of RES203.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: a TTL or routing policy that a mapping by region or a region
    condition decides is judged in each copy. A finding is reported once at the template's line, ending with the
    copies it holds in (`(in the stack's copy in us-east-1)`).

    ## Why is this bad?
    Failover happens in DNS answers, and resolvers keep serving a cached answer until its TTL
    runs out. With a TTL of 300 seconds, clients keep connecting to a failed endpoint for up to
    five minutes after Route 53 has switched to the healthy one (and longer behind resolvers
    that stretch TTLs). "Setting a TTL of 60 or 120 seconds is a common choice" for records
    that take part in failover.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "api"
      type            = "CNAME"
      ttl             = 300
      records         = ["api-east.example-shop.com"]
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.east.id

      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id         = aws_route53_zone.main.zone_id
      name            = "api"
      type            = "CNAME"
      ttl             = 60
      records         = ["api-east.example-shop.com"]
      set_identifier  = "primary"
      health_check_id = aws_route53_health_check.east.id

      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/r53recovery/latest/dg/route53-arc-best-practices.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-complex-configs.html
    - https://learn.microsoft.com/en-us/azure/traffic-manager/traffic-manager-how-it-works
    """
    warning, note = thresholds(project)
    # A stack deployed to several regions: each copy decides its records' routing.
    yield from in_each_copy(unit, lambda judged: _records(judged, warning, note))
    for manager in TRAFFIC_MANAGERS.members(unit):
        profile = manager.resource
        if profile.count_unknown:
            continue
        subject = f"{profile.address} answers with {manager.argument('ttl')}"
        ttl = manager.value("ttl")
        violation = _judge_ttl(profile, ttl, warning, note, subject, "Traffic Manager", None)
        if violation is not None:
            yield violation


def _records(unit: Unit, warning: int, note: int) -> Iterator[Violation]:
    for record in records(unit):
        if record.resource.count_unknown:
            continue
        reasons = _participation(unit, record)
        if reasons is None:
            continue
        subject = _record_subject(record, reasons)
        service = _SERVICE.get(record.family, "the DNS provider")
        violation = _judge_ttl(record.resource, record.ttl, warning, note, subject, service, record)
        if violation is not None:
            yield violation


def thresholds(project: Project) -> tuple[int, int]:
    """(warning, note) TTL thresholds in seconds, from the rule options of RES203."""
    options = project.rule_options.get("RES203", {})
    warning = as_int(options.get("ttl_warning"))
    note = as_int(options.get("ttl_note"))
    return (
        warning if warning is not None and warning >= 0 else DEFAULT_TTL_WARNING,
        note if note is not None and note >= 0 else DEFAULT_TTL_NOTE,
    )


def _participation(unit: Unit, record: Record) -> list[str] | None:
    """Why the record's answer changes on failure, or None when it does not (or it is unknown)."""
    if record.family == "clouddns":
        return ["a routing_policy"] if record.routing and "routing_policy" in record.routing else None
    if record.family != "route53" or record.alias is not None or record.routing is None:
        return None  # alias (or unknown alias): the TTL is not the record's own
    reasons = [_POLICY_WORDS[p] for p in sorted(record.routing)]
    check = record.health_check
    if isinstance(check, str) and check.strip():
        reasons.append("a health check")
    elif isinstance(check, Unknown) and health_checks(unit, record):
        reasons.append("a health check")
    return reasons or None


def _record_subject(record: Record, reasons: list[str]) -> str:
    what = record.shown_name + (f" {record.rtype}" if record.rtype else "")
    return f"{record.label} for {what} uses {' and '.join(reasons)} with {record.ttl_argument}"


def _judge_ttl(
    resource: Resource,
    value: Any,
    warning: int,
    note: int,
    subject: str,
    service: str,
    record: Record | None,
) -> Violation | None:
    ttl = as_int(value)
    if ttl is None:
        return None
    if ttl > warning:
        severity, limit = Severity.WARNING, warning
    elif ttl > note:
        severity, limit = Severity.NOTE, note
    else:
        return None
    message = (
        f"{subject} = {ttl} s, above {limit} s: resolvers keep serving the previous answer for up to "
        f"{_duration(ttl)} after {service} changes it, so clients keep reaching a failed endpoint"
    )
    return Violation(message, at=resource, fix=_fix(resource, record, min(limit, DEFAULT_TTL_NOTE)), severity=severity)


def _fix(resource: Resource, record: Record | None, target: int) -> str:
    if record is None:
        return f"Set dns_config {{ ttl = {target} }} so that clients follow a failover within a minute"
    if record.ttl_argument == "TTL":
        return f"Set TTL: '{target}' so that resolvers follow a failover within a minute"
    return f"Set ttl = {target} so that resolvers follow a failover within a minute"


def _duration(seconds: int) -> str:
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds % 60 == 0 and seconds >= 120:
        return f"{seconds // 60} minutes"
    return f"{seconds} seconds"
