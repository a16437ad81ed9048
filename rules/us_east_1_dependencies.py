"""RES402 us-east-1-dependencies."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.deployment import is_called_module
from resilint.model import Location, Project, Resource, Unit
from resilint.relations.control_planes import HOME, Dependency, us_east_1_dependencies
from resilint.relations.placement import describe
from resilint.relations.protection import system_units
from resilint.relations.serving import serving_footprint
from resilint.rule import Severity, Violation, rule

# What to do about each kind of dependency, by the service the inventory names.
_FIXES = {
    "CloudFront": (
        "Keep recovery free of CloudFront changes: pre-provision origin failover (an origin group) and a "
        "health-checked path that bypasses CloudFront, so no configuration change is needed during an outage"
    ),
    "ACM certificate for CloudFront": (
        "Keep the certificate valid well ahead of need (ACM renews DNS-validated certificates early) and never "
        "plan a certificate change as a recovery step"
    ),
    "IAM server certificate for CloudFront": (
        "Move the certificate to ACM in us-east-1, and keep it valid well ahead of need"
    ),
    "WAF for CloudFront": (
        "Put the rules a recovery needs (allow-lists for a standby origin) in place beforehand: WAF for "
        "CloudFront is changed only through us-east-1"
    ),
    "Lambda@Edge": "Ship Lambda@Edge changes outside incidents; recovery must not need a function update",
    "Route 53": (
        "Pre-provision failover records with health checks so that failover needs no record change, and "
        "enable accelerated recovery on public hosted zones (RES207)"
    ),
    "Route 53 query logging": (
        "Accept the gap in query logs during a us-east-1 outage, or log queries in the workload's region "
        "(Route 53 Resolver query logging)"
    ),
    "IAM": (
        "Create every role and policy a standby region needs ahead of time: a recovery must not create or "
        "change IAM"
    ),
    "STS": "Remove sts_region (and an endpoints { sts } override): STS is then called in the provider's own region",
}


@rule(
    id="RES402",
    name="us-east-1-dependencies",
    severity=Severity.NOTE,
    summary="A dependency on us-east-1 that holds whatever region the workload runs in",
    fix="Keep the recovery path free of changes that need us-east-1: pre-provision what failover needs",
    tags=("region", "control-plane"),
    options={"accept": list},
    option_choices={"accept": tuple(_FIXES)},
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Lists what a deployment unit needs from us-east-1 whatever region it runs in: one note per
    CloudFront distribution, naming the certificate, web ACL and Lambda@Edge functions it uses
    with it, and one per other dependency:

    - every CloudFront distribution (its configuration changes go through us-east-1);
    - the ACM certificate a distribution uses (CloudFront takes certificates only from ACM in
      us-east-1): the certificate resource, through its validation resource, or the
      distribution itself when it names the certificate by ARN or variable; an IAM server
      certificate goes through IAM;
    - WAF for CloudFront: a distribution's web ACL and the rule groups and sets it uses, other
      WAFv2 resources with `scope = "CLOUDFRONT"` (`Scope: CLOUDFRONT`) and WAF Classic's
      global resources (a note of their own), and a distribution's `web_acl_id` that names no
      resource of the code;
    - Lambda@Edge functions associated with a cache behaviour (directly, or through a
      version or alias);
    - the log group Route 53 query logging writes to (it must be in us-east-1);
    - Route 53 hosted zones, records and health checks (one note per unit): they are changed
      through the control plane in us-east-1, while answers and health checks go on;
    - IAM roles, policies, users and profiles (one note per unit), when the unit's system
      serves from two or more known regions: a failover to another region must not need a new
      role or policy. Every AWS workload has IAM resources, and noting them on every
      single-region unit would say nothing about its design; `resilint simulate` still lists
      them as changes a us-east-1 outage blocks;
    - an AWS provider that calls STS in us-east-1 (`sts_region = "us-east-1"`, or the global
      endpoint `https://sts.amazonaws.com`).

    Units deployed to another partition (GovCloud, China), whose global services are homed
    elsewhere, are not listed, nor are Terraform folders that configure no provider (modules,
    listed where they are called), nor units that run only in us-east-1: their dependency on
    us-east-1 is not hidden, and RES107 judges a workload whose sole region it is. A unit whose
    regions are not known (a template without deployment configuration) is listed. It is an inventory: the notes say what a us-east-1 outage stops,
    so that the recovery path can be planned without it. `resilint simulate --scenario
    aws-us-east-1-2025-10-20` lists the same dependencies for each system (accepted ones too).

    A dependency you have planned for can be accepted in configuration, by the service the
    note names; its notes are then not reported:

    ```toml
    [tool.resilint.rules.RES402]
    accept = ["IAM", "Route 53"]   # also "CloudFront", "ACM certificate for CloudFront",
                                   # "IAM server certificate for CloudFront", "WAF for CloudFront",
                                   # "Lambda@Edge", "Route 53 query logging", "STS"
    ```

    One dependency can be accepted where it is, with an inline suppression on the resource the
    note is anchored at (`# resilint:ignore=RES402 recovery needs no record change`). What an
    accepted distribution uses keeps notes of its own (unless its service is accepted too).

    ## Why is this bad?
    On 20 October 2025 a DNS automation failure for DynamoDB in us-east-1 cascaded through the
    services built on it there, and the control planes homed in us-east-1 (IAM, Route 53
    changes, CloudFront configuration, ACM for CloudFront) could not be relied on to make
    changes. A workload in eu-west-1 kept serving, but any recovery that needed a new IAM role,
    a DNS record change or a CloudFront update waited for us-east-1. AWS's guidance is to keep
    global control planes out of the recovery path.

    ## Example
    ```hcl
    provider "aws" {
      region = "eu-west-1"
    }

    provider "aws" {
      alias  = "us_east_1"
      region = "us-east-1"
    }

    resource "aws_acm_certificate" "site" {
      provider          = aws.us_east_1
      domain_name       = "www.example.com"
      validation_method = "DNS"
    }

    resource "aws_cloudfront_distribution" "site" {
      # ...
      viewer_certificate {
        acm_certificate_arn = aws_acm_certificate.site.arn
        ssl_support_method  = "sni-only"
      }
    }
    ```

    Use instead: the same resources, with a recovery path that needs no change to them
    (origin failover inside the distribution, failover records that health checks drive,
    roles created ahead of time), and the notes read as the list of what must not change
    during an outage.

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
    - https://docs.aws.amazon.com/acm/latest/userguide/acm-regions.html
    - https://docs.aws.amazon.com/waf/latest/developerguide/how-aws-waf-works-resources.html
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/edge-functions-restrictions.html
    - https://aws.amazon.com/message/101925/
    """
    system = project.system_of(unit)
    if is_called_module(unit) or (system is not None and system.library):
        return  # a module meant to be called: its dependencies are listed where it is called
    if system is not None and system.unit_regions.get(unit.id) == (HOME,):
        return  # it runs in us-east-1 anyway: nothing hidden (RES107 judges a sole us-east-1)
    accepted = set(project.rule_options.get("RES402", {}).get("accept", ()))
    dependencies = [d for d in us_east_1_dependencies(unit) if d.service not in accepted]
    parts = _parts_by_distribution(dependencies)
    told = {id(d) for found in parts.values() for d in found}
    for dependency in dependencies:
        if id(dependency) in told:
            continue  # named in the note of the distribution that uses it
        fix = _FIXES.get(dependency.service)
        if dependency.service == "IAM":
            regions = _serving_regions(unit, project)
            if len(regions) < 2:
                continue  # every AWS workload has roles: noted where a failover to another region may need them
            message = _iam_message(dependency, regions)
        elif dependency.service == "CloudFront" and parts.get(dependency.resources[0]):
            pinned = parts[dependency.resources[0]]
            message = _distribution_message(dependency, pinned)
            fix = _fixes([dependency, *pinned])
        else:
            message = _message(dependency)
        yield Violation(message, at=_anchor(unit, dependency), fix=fix)


def _parts_by_distribution(dependencies: list[Dependency]) -> dict[str, list[Dependency]]:
    """What each noted distribution pins (its certificate, web ACL, Lambda@Edge functions), to be
    told in the distribution's one note; a resource several distributions use is told in each.
    Pinned resources whose distributions are all accepted keep notes of their own."""
    noted = {d.resources[0] for d in dependencies if d.service == "CloudFront"}
    parts: dict[str, list[Dependency]] = {}
    for dependency in dependencies:
        if dependency.part:
            for distribution in dependency.needed_by:
                if distribution in noted:
                    parts.setdefault(distribution, []).append(dependency)
    return parts


def _distribution_message(distribution: Dependency, pinned: list[Dependency]) -> str:
    """The distribution's note, naming what it pins among what stops ("its web ACL X cannot be
    changed"), so that one note says everything the distribution needs from us-east-1."""
    effects = [*(distribution.clauses or (distribution.effect,)), *(d.part for d in pinned)]
    return (
        f"{distribution.service}: {distribution.what()} depends on us-east-1 whatever region the workload runs in: "
        f"while us-east-1 is impaired, {_and(tuple(effects))}"
    )


def _fixes(dependencies: list[Dependency]) -> str | None:
    texts = list(dict.fromkeys(_FIXES[d.service] for d in dependencies if d.service in _FIXES))
    if not texts:
        return None
    return "; ".join([texts[0], *(text[0].lower() + text[1:] for text in texts[1:])])


def _serving_regions(unit: Unit, project: Project) -> tuple[str, ...]:
    """Known regions the unit's system serves from (its compute and entry points); () when any
    unit's footprint is not known."""
    found: set[str] = set()
    for member in system_units(unit, project):
        footprint = serving_footprint(member)
        if not footprint.known:
            return ()
        found.update(footprint.serving)
    return tuple(sorted(found))


def _iam_message(dependency: Dependency, regions: tuple[str, ...]) -> str:
    count = len(dependency.resources)
    noun = "IAM resource" if count == 1 else "IAM resources"
    verb = "is" if count == 1 else "are"
    return (
        f"IAM: {count} {noun} ({describe(dependency.resources, 3)}) {verb} created and changed only through IAM's "
        f"control plane in us-east-1, while the workload serves from {_and(regions)}: while us-east-1 is "
        "impaired, none can be created or changed (existing roles and policies go on working), so a failover that "
        "needs a new role or policy waits"
    )


def _message(dependency: Dependency) -> str:
    used = ""
    users = [name for name in dependency.needed_by if name not in dependency.resources]
    if users:
        used = f" (used by {describe(users, 3)})"
    verb = "depend" if len(dependency.resources) > 1 else "depends"
    return (
        f"{dependency.service}: {dependency.what()}{used} {verb} on us-east-1 whatever region the workload runs in: "
        f"while us-east-1 is impaired, {dependency.effect}"
    )


def _and(items: tuple[str, ...]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _anchor(unit: Unit, dependency: Dependency) -> Resource | Location:
    if dependency.anchor is not None:
        resource = unit.resource(dependency.anchor)
        if resource is not None:
            return resource
    return dependency.location
