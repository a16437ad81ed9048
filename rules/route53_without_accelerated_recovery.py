"""RES207 route53-without-accelerated-recovery."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import DEFAULT
from resilint.families.base import Member
from resilint.families.dns import DNS_ZONES
from resilint.model import Project, Unit
from resilint.relations.dns import Zone, records, zones
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool

# Routing that Route 53 changes by itself only while records can be managed or health evaluated:
# a zone that uses it relies on Route 53 during an incident.
_FAILOVER_ROUTING = frozenset({"failover", "latency", "weighted", "geolocation", "geoproximity", "multivalue"})


@rule(
    id="RES207",
    name="route53-without-accelerated-recovery",
    severity=Severity.NOTE,
    summary="A public Route 53 zone can only be changed while us-east-1 is healthy",
    fix="Enable Route 53 accelerated recovery on the public hosted zone (before an incident: it cannot be turned on during one)",
    tags=("dns", "control-plane"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a public Route 53 hosted zone without accelerated recovery:
    `aws_route53_zone` (no `vpc` block) whose `enable_accelerated_recovery` is not true,
    `AWS::Route53::HostedZone` (no `VPCs`) whose `HostedZoneFeatures.EnableAcceleratedRecovery`
    is not true. A note; a warning when the zone holds failover, latency, weighted or other
    health-steered records, or records with health checks, because then the failover design
    itself may need a record change. Private zones (accelerated recovery is for public zones
    only) and values resilint cannot resolve are not judged.

    ## Why is this bad?
    Route 53's control plane (record changes, health-check changes, new zones) runs in
    us-east-1. DNS answers keep flowing when us-east-1 is impaired, but no record can be
    changed: on 20 October 2025 teams could not move traffic away from the failed region by
    editing DNS. With accelerated recovery, Route 53 keeps a copy of the zone's control plane
    in us-west-2 and fails over to it within about an hour when us-east-1 is impaired, so
    record changes work again. It has to be enabled before the incident.

    ## Example
    ```hcl
    resource "aws_route53_zone" "public" {
      name = "orders-shop.io"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_zone" "public" {
      name                        = "orders-shop.io"
      enable_accelerated_recovery = true
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html
    - https://aws.amazon.com/blogs/networking-and-content-delivery/announcing-amazon-route-53-accelerated-recovery-for-managing-public-dns-records
    - https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
    """
    for zone in zones(unit):
        if zone.family != "route53" or zone.public is not True:
            continue
        member = DNS_ZONES.member(zone.resource)
        if member is None or not member.has("accelerated_recovery") or _enabled(member) is not False:
            continue
        steering = _steers_traffic(unit, zone)
        what = zone.domain or member.address
        message = (
            f"{member.address} ({what}) is a public Route 53 zone without accelerated recovery: while us-east-1 is "
            "impaired its records cannot be changed"
        )
        if steering:
            message += f", so its {steering} cannot be re-pointed or failed over by hand then"
        yield Violation(
            message,
            at=member.resource,
            fix=f"Set {member.word('enable_recovery')} (before an incident: it cannot be enabled during one)",
            severity=Severity.WARNING if steering else None,
        )


def _enabled(member: Member) -> bool | None:
    """Whether accelerated recovery is on: False when absent or false, None when unknown."""
    within: dict[str, Any] | None = None
    if member.has("features"):
        container = member.value("features")
        if container is None:
            within = {}
        elif isinstance(container, dict):
            within = container
        else:
            return None  # an unresolved block
    _, value = member.setting("accelerated_recovery", within=within)
    if value is DEFAULT:
        return False
    return as_bool(value)


def _steers_traffic(unit: Unit, zone: Zone) -> str | None:
    """What in the zone relies on Route 53 moving traffic ("failover records"), or None."""
    policies: set[str] = set()
    checked = False
    for record in records(unit):
        if record.zone.zone is not zone:
            continue
        policies |= set(record.routing or ()) & _FAILOVER_ROUTING
        checked = checked or record.health_check is not None
    if policies:
        return " and ".join(sorted(policies)) + " records"
    return "health-checked records" if checked else None
