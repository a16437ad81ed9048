"""RES107 region-hosts-global-control-planes."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from resilint.families.deployment import is_stack
from resilint.model import Location, Project, Unit
from resilint.relations.control_planes import (
    ACM_CLOUDFRONT_CONTROL,
    CLOUDFRONT_CONTROL,
    HOME,
    ROUTE53_CONTROL,
    Dependency,
    us_east_1_dependencies,
)
from resilint.relations.placement import describe, unit_name
from resilint.relations.serving import serving_footprint
from resilint.rule import Severity, Violation, rule

# Control planes on the way in: moving traffic elsewhere needs them (a record change, a
# distribution's origin). IAM is named in the message when used, but alone it makes no finding.
_ENTRY_PATH = frozenset({ROUTE53_CONTROL, CLOUDFRONT_CONTROL, ACM_CLOUDFRONT_CONTROL})


@rule(
    id="RES107",
    name="region-hosts-global-control-planes",
    severity=Severity.WARNING,
    summary="The sole serving region is us-east-1, home of the global control planes used",
    fix=(
        "Serve from a second region that does not host those control planes, and pre-provision what recovery "
        "needs (failover records and health checks, roles, certificates) so that failing over needs no "
        "control-plane change"
    ),
    tags=("region", "control-plane"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a system (a unit, or the units deployed together: see `resilint systems`) that
    serves only from us-east-1 and manages resources of the global services whose control
    planes are homed there and that stand on the way in: Route 53 zones, records and health
    checks, CloudFront distributions and what they pin (ACM certificates for CloudFront). IAM
    resources are named too when the system has them, but IAM alone makes no finding: every
    deployment has roles, and without an entry point to move there is nothing RES101 does not
    already say.

    The serving footprint is the one RES101 counts (compute and entry points, without pinned
    satellites, custom-resource functions or log buckets). A system is judged once, at its
    first unit that serves, and only when the region of everything that may serve is known:
    a unit with an unknown region, a template without deployment regions, a queue or an
    unclassified resource in another region, or regions declared in configuration
    (`[[systems]] regions`) keep it from being judged.

    ## Why is this bad?
    On 20 October 2025 us-east-1 failed for about 15 hours, and with it went the control
    planes homed there. A workload that serves only from us-east-1 loses its servers and, at
    the same moment, the means to route around the loss: Route 53 record changes, new IAM
    roles, CloudFront configuration. AWS's fault-isolation guidance names exactly this case:
    an application running in the same region as a global service control plane it depends
    on during failover and recovery.

    ## Example
    ```hcl
    provider "aws" {
      region = "us-east-1"
    }

    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.main.zone_id
      name    = "www"
      type    = "A"

      alias {
        name                   = aws_lb.web.dns_name
        zone_id                = aws_lb.web.zone_id
        evaluate_target_health = true
      }
    }
    ```

    Use instead: serve from a second region (us-east-2, us-west-2) with health-checked
    failover records created ahead of time, so that traffic moves without a record change.

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
    - https://aws.amazon.com/message/101925/
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/accelerated-recovery.html
    """
    system = project.system_of(unit)
    members = [project.unit(u) for u in system.units] if system is not None else [unit]
    units = [m for m in members if m is not None]
    if system is not None and (system.library or len(system.declared_regions) >= 2):
        return
    footprints = [(u, serving_footprint(u)) for u in units]
    if any(not f.known for _, f in footprints):
        return
    serving = [u for u, f in footprints if f.serving]
    if not serving or serving[0].id != unit.id:
        return
    regions = frozenset().union(*(f.regions for _, f in footprints))
    if regions != {HOME}:
        return
    dependencies = [d for u in units for d in us_east_1_dependencies(u) if d.control_plane is not None]
    if not any(d.control_plane in _ENTRY_PATH for d in dependencies):
        return  # IAM alone: RES101 says all there is to say
    yield Violation(_message(unit, units, dependencies), at=_anchor(unit))


def _message(unit: Unit, units: Sequence[Unit], dependencies: Sequence[Dependency]) -> str:
    services: dict[str, list[str]] = {}
    for dependency in dependencies:
        services.setdefault(dependency.service, []).extend(dependency.resources)
    named = "; ".join(f"{service} ({describe(list(dict.fromkeys(found)), 2)})" for service, found in services.items())
    who = unit_name(unit.id) if len(units) == 1 else f"system {', '.join(unit_name(u.id) for u in units)}"
    changes = list(dict.fromkeys(_CHANGES.get(service, "distribution changes") for service in services))
    means = ", ".join(changes[:-1]) + " and " + changes[-1] if len(changes) > 1 else changes[0]
    return (
        f"{who} serves only from {HOME}, which also hosts the control planes of {named}: an outage of "
        f"{HOME} takes the servers down and the means to fail over ({means}) with them"
    )


# What a recovery cannot do while each service's control plane is down.
_CHANGES = {"Route 53": "record changes", "IAM": "role changes"}


def _anchor(unit: Unit) -> Location:
    """The provider configuration that puts the unit in us-east-1; a template's first line."""
    if not is_stack(unit):
        for provider in unit.providers:
            if provider.region == HOME and provider.location is not None:
                return provider.location
    return unit.location
