"""RES309 no-data-plane-failover-control."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.dns import HEALTH_CHECKS, RECOVERY_CONTROLS, health_check_setting
from resilint.model import Project, Unit, Unknown
from resilint.relations.dns import Record, records
from resilint.relations.front_doors import system_units
from resilint.relations.record_targets import GLOBAL, record_region
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES309",
    name="no-data-plane-failover-control",
    severity=Severity.NOTE,
    summary="A multi-region system fails over in DNS with no data-plane control to force it",
    fix="Add Route 53 ARC routing controls (RECOVERY_CONTROL health checks) or an ARC Region switch plan",
    tags=("dns", "region", "failover", "control-plane"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes a system that fails over between regions with Route 53 failover records (the records'
    endpoints sit in two or more regions), when nothing in the system lets an operator force that failover through
    a data plane: no Route 53 health check of type `RECOVERY_CONTROL` (a health check bound to
    an Application Recovery Controller routing control), no ARC routing control
    (`aws_route53recoverycontrolconfig_routing_control`,
    `AWS::Route53RecoveryControl::RoutingControl`) and no ARC Region switch plan
    (`aws_arcregionswitch_plan`, `AWS::ARCRegionSwitch::Plan`). The system is the unit with the
    units linked to it (remote state, region folders, configuration). Noted once per system, on
    its first PRIMARY failover record.

    Not noted: systems whose failover records' endpoints are not known to span two regions,
    systems without failover records (latency or weighted sets with health checks fail over by
    themselves), and systems where a health check's type is not known (it may be a routing
    control).

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) fails over between its copies: the records each copy makes (a
    `Failover: !If [IsPrimary, PRIMARY, SECONDARY]` record answering with the copy's own load
    balancer) are the system's failover records, each in its copy's region.

    ## Why is this bad?
    Health checks fail over on what they can see. When a region is impaired in a way they do
    not see (a gray failure, a dependency, a decision to evacuate), the only way left to move
    traffic is to edit DNS records or health checks: Route 53 control-plane calls served from
    us-east-1, the very thing that may be failing (20 October 2025). ARC routing controls are
    flipped through a data plane spread over five regions, so a failover can be forced when the
    control plane is unavailable.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_primary" {
      zone_id         = aws_route53_zone.public.zone_id
      name            = "api"
      type            = "A"
      set_identifier  = "us-east-1"
      health_check_id = aws_route53_health_check.api_east.id # HTTPS only

      failover_routing_policy {
        type = "PRIMARY"
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_health_check" "api_east_control" {
      type                = "RECOVERY_CONTROL"
      routing_control_arn = aws_route53recoverycontrolconfig_routing_control.east.arn
    }
    ```

    ## References
    - https://docs.aws.amazon.com/r53recovery/latest/dg/routing-control.html
    - https://docs.aws.amazon.com/r53recovery/latest/dg/region-switch-plans.html
    - https://aws.amazon.com/blogs/networking-and-content-delivery/announcing-amazon-route-53-accelerated-recovery-for-managing-public-dns-records
    """
    system = project.system_of(unit)
    if system is not None and system.library:
        return
    units = system_units(unit, project)
    # A stack deployed to several regions fails over between its copies: their records, each
    # answering from its copy's region, stand for the template's (whose region is not known).
    deployed = tuple(copy for member in units for copy in (member.copies or (member,)))
    failover = _failover_records(deployed)
    if not failover or (failover[0][0].copy_of or failover[0][0].id) != unit.id:
        return
    regions = sorted({t.region for u, r in failover if (t := record_region(u, r)) is not None and t.region != GLOBAL})
    if len(regions) < 2 or _has_control(units):
        return
    _, record = failover[0]
    where = "its system" if system is not None and len(system.units) > 1 else "this unit"
    yield Violation(
        f"{record.label} fails {record.shown_name} over between {_and(regions)} "
        f"on health checks alone: no ARC routing control or Region switch plan in {where} lets anyone force "
        "the failover without Route 53's control plane, which runs in us-east-1",
        at=record.resource,
    )


def _failover_records(units: tuple[Unit, ...]) -> list[tuple[Unit, Record]]:
    """The failover records of the system, in unit id and source order, its first PRIMARY first."""
    found = [
        (unit, record)
        for unit in sorted(units, key=lambda u: u.id)
        for record in records(unit)
        if record.routing is not None and "failover" in record.routing and not record.resource.count_unknown
    ]
    primaries = [pair for pair in found if pair[1].failover == "PRIMARY"]
    if not primaries:
        return []
    return [primaries[0], *(pair for pair in found if pair is not primaries[0])]


def _has_control(units: tuple[Unit, ...]) -> bool:
    """Whether the system holds (or may hold) a data-plane failover control."""
    for unit in units:
        if any(True for _ in RECOVERY_CONTROLS.members(unit)):
            return True
        for member in HEALTH_CHECKS.members(unit, "route53_health_check"):
            kind = health_check_setting(member, "type")
            if isinstance(kind, Unknown) or (isinstance(kind, str) and kind.strip().upper() == "RECOVERY_CONTROL"):
                return True
    return False


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
