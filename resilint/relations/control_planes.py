"""What a deployment unit needs from us-east-1 whatever region it runs in: the inventory of
RES402, the control planes RES107 names, and the dependencies `resilint simulate` lists for a
failure of us-east-1.

In the `aws` partition these are homed in us-east-1 (AWS Fault Isolation Boundaries, "Global
services"):

- CloudFront: every distribution's configuration changes go through its control plane there.
- ACM for CloudFront: CloudFront takes certificates only from ACM in us-east-1; a certificate a
  distribution uses is pinned there (the resource when the code creates it, else the ARN the
  distribution names). An IAM server certificate goes through IAM.
- WAF for CloudFront: WAFv2 resources with `scope = "CLOUDFRONT"` and AWS WAF Classic's global
  resources are created in us-east-1.
- Lambda@Edge: functions associated with a cache behaviour are created in us-east-1.
- Route 53: hosted zones, records and health checks are changed through the control plane in
  us-east-1 (answers and health checks go on; changes do not); query logging writes to a log
  group that must be in us-east-1.
- IAM: roles, policies, users and their changes.
- STS: a provider whose `sts_region` is us-east-1, or whose STS endpoint is the global one.

Resources of a unit deployed to another partition (GovCloud, China), whose global services are
homed elsewhere, are not listed; neither is anything whose partition is not known.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from resilint.families.base import Member
from resilint.families.compute import FUNCTIONS
from resilint.families.control_planes import (
    CERTIFICATES,
    CLOUDFRONT_SCOPE,
    EDGE_FIREWALLS,
    IDENTITY,
    LAMBDA_VERSIONS,
    QUERY_LOGS,
)
from resilint.families.dns import DNS_RECORDS, DNS_ZONES, HEALTH_CHECKS
from resilint.families.edge import CDN_DISTRIBUTIONS
from resilint.model import Location, ProviderConfig, Resource, Unit, Unknown
from resilint.relations.placement import describe

HOME = "us-east-1"

# Simulation targets (resilint.simulate.targets) of the control planes homed in us-east-1.
CLOUDFRONT_CONTROL = "aws:cloudfront-control-plane"
ACM_CLOUDFRONT_CONTROL = "aws:acm-cloudfront-control-plane"
ROUTE53_CONTROL = "aws:route53-control-plane"
IAM_CONTROL = "aws:iam-control-plane"

_OTHER_PARTITIONS = ("us-gov-", "cn-", "us-iso", "eu-isoe-")
_GLOBAL_STS = re.compile(r"^(?:https://)?sts\.amazonaws\.com/?$", re.IGNORECASE)


@dataclass(frozen=True)
class Dependency:
    """One thing the unit needs from us-east-1.

    `service` names it for people ("ACM certificate for CloudFront"); `resources` are the
    addresses it covers (the first is the anchor; empty for a provider setting); `needed_by` the
    resources that pin it there (the distributions that use a certificate, a web ACL or a
    Lambda@Edge function; a query logging configuration), when they are others; `control_plane`
    the simulation target whose failure stops changes to it (None when only the region's failure
    does); `effect` what stops while us-east-1 is impaired; `part` the same effect said of it
    as one part of what its distribution needs ("its web ACL aws_wafv2_web_acl.edge cannot be
    changed"), for a note that names a distribution with everything it pins."""

    service: str
    resources: tuple[str, ...]
    location: Location
    control_plane: str | None
    effect: str
    needed_by: tuple[str, ...] = ()
    setting: str | None = None  # a provider setting ("sts_region = \"us-east-1\"") instead of a resource
    part: str = ""
    clauses: tuple[str, ...] = ()  # `effect` in its parts ("a", "b" for "a and b"), to continue the list

    @property
    def anchor(self) -> str | None:
        return self.resources[0] if self.resources else None

    def what(self) -> str:
        """How a message names it: its resources (a few), or the setting."""
        if self.setting is not None:
            return self.setting
        return describe(self.resources, 3)


def us_east_1_dependencies(unit: Unit) -> tuple[Dependency, ...]:
    """The unit's dependencies on us-east-1 (module documentation), in a stable order: CloudFront
    and what it pins, then Route 53, IAM and STS."""
    return unit.derived("relations.control_planes.us_east_1", _build)


def in_aws_partition(unit: Unit) -> bool:
    """Whether the unit deploys to the commercial `aws` partition, whose global control planes
    are in us-east-1: no AWS region it names is one of another partition. A unit whose regions
    are not known (a template without deployment configuration, a region from a variable) is
    taken to be in the commercial partition, where nearly every deployment is; the inventory is
    a note, never a warning."""
    regions = [p.region for p in unit.providers if p.name == "aws"] + list(unit.deploy_regions)
    regions += [r.region for r in unit.resources if r.cloud == "aws"]
    return not any(isinstance(r, str) and r.startswith(_OTHER_PARTITIONS) for r in regions)


def _build(unit: Unit) -> tuple[Dependency, ...]:
    if not in_aws_partition(unit):
        return ()
    found: list[Dependency] = []
    distributions = [(member, _pins(unit, member)) for member in CDN_DISTRIBUTIONS.members(unit, "cloudfront")]
    users: dict[str, list[str]] = {}  # a pinned resource -> the distributions using it (one certificate may serve several)
    for member, pins in distributions:
        for resource in pins.resources():
            users.setdefault(resource.address, []).append(member.address)
    used_by = {address: tuple(dict.fromkeys(names)) for address, names in users.items()}
    pinned: set[str] = set()
    for member, pins in distributions:
        found.extend(_distribution(unit, member, pins, used_by, pinned))
    found.extend(_firewalls(unit, pinned))
    found.extend(_query_logs(unit))
    route53 = _route53(unit)
    if route53 is not None:
        found.append(route53)
    iam = _iam(unit)
    if iam is not None:
        found.append(iam)
    found.extend(_sts(unit))
    return tuple(found)


# CloudFront -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pinned:
    """What one distribution pins to us-east-1 by referencing resources of the unit."""

    certificates: tuple[Resource, ...]
    web_acls: tuple[Resource, ...]
    acl_parts: tuple[Resource, ...]  # rule groups and sets its web ACL uses
    functions: tuple[Resource, ...]

    def resources(self) -> tuple[Resource, ...]:
        return (*self.certificates, *self.web_acls, *self.acl_parts, *self.functions)


def _pins(unit: Unit, member: Member) -> _Pinned:
    web_acls = [r for r in _referenced(unit, member, "web_acl") if r in EDGE_FIREWALLS]
    return _Pinned(
        tuple(_certificates(unit, [r for r in _referenced(unit, member, "certificate") if r in CERTIFICATES])),
        tuple(web_acls),
        tuple(_firewall_parts(unit, web_acls)),
        tuple(_edge_functions(unit, member)),
    )


def _distribution(unit: Unit, member: Member, pins: _Pinned, users: dict[str, tuple[str, ...]], pinned: set[str]) -> Iterator[Dependency]:
    """The distribution itself (with what it pins by value: a certificate ARN, a web ACL id, a
    Lambda@Edge ARN that name no resource of the unit), then the resources it pins that no
    distribution before it pinned (each once, with every distribution that uses it)."""
    distribution = member.resource
    name = distribution.address
    effects = ["its configuration cannot be changed (it goes on serving)"]
    if not pins.certificates and _is_set(_value(member, "certificate")):
        effects.append("its ACM certificate (in us-east-1) cannot be issued, renewed or replaced")
    if _is_set(_value(member, "iam_certificate")):
        effects.append("its IAM server certificate cannot be replaced")
    if not pins.web_acls and _is_set(_value(member, "web_acl")):
        effects.append("its web ACL (a CLOUDFRONT-scope WAF in us-east-1) cannot be changed")
    if _literal_edge_function(member):
        effects.append("its Lambda@Edge functions (in us-east-1) cannot be updated")
    yield Dependency("CloudFront", (name,), distribution.location, CLOUDFRONT_CONTROL, _join(effects), clauses=tuple(effects))
    pinned_here: list[tuple[Resource, str, str | None, str, str]] = [
        (r, "ACM certificate for CloudFront", ACM_CLOUDFRONT_CONTROL, "it cannot be issued, renewed or replaced",
         f"its ACM certificate {r.address} cannot be issued, renewed or replaced")
        for r in pins.certificates
    ]
    pinned_here += [
        (r, "WAF for CloudFront", None, "its rules cannot be changed", f"its web ACL {r.address} cannot be changed")
        for r in pins.web_acls
    ]
    pinned_here += [
        (r, "WAF for CloudFront", None, "its rules cannot be changed", f"{r.address}, which its web ACL uses, cannot be changed")
        for r in pins.acl_parts
    ]
    pinned_here += [
        (r, "Lambda@Edge", None, "the function cannot be updated or redeployed (its replicas go on running)",
         f"its Lambda@Edge function {r.address} cannot be updated or redeployed (its replicas go on running)")
        for r in pins.functions
    ]
    for resource, service, control_plane, effect, part in pinned_here:
        if resource.address in pinned:
            continue
        pinned.add(resource.address)
        yield Dependency(
            service,
            (resource.address,),
            resource.location,
            control_plane,
            effect,
            needed_by=users[resource.address],
            part=part,
        )


def _firewall_parts(unit: Unit, web_acls: list[Resource]) -> list[Resource]:
    """The WAF resources the web ACLs use (rule groups, IP sets, pattern sets, and theirs)."""
    found: list[Resource] = []
    queue = list(web_acls)
    while queue:
        resource = queue.pop(0)
        for ref in resource.references:
            for target in unit.resolve(ref.target):
                if target in EDGE_FIREWALLS and target not in web_acls and target not in found:
                    found.append(target)
                    queue.append(target)
    return found


def _path(member: Member, role: str) -> str:
    prefix = f"{member.argument('config')}." if member.has("config") else ""
    return prefix + member.argument(role)


def _value(member: Member, role: str) -> Any:
    return member.resource.get(_path(member, role))


def _is_set(value: Any) -> bool:
    """A value the code sets: known and not empty, or unknown (a variable, an ARN from outside)."""
    if isinstance(value, Unknown):
        return True
    return isinstance(value, str) and value.strip() != ""


def _bare(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "", path)


def _referenced(unit: Unit, member: Member, role: str) -> list[Resource]:
    """Resources the distribution references at the role's argument."""
    wanted = member.argument(role)
    found: list[Resource] = []
    for ref in member.resource.references:
        if wanted in _bare(ref.path):
            found.extend(r for r in unit.resolve(ref.target) if r not in found)
    return found


def _certificates(unit: Unit, found: list[Resource]) -> list[Resource]:
    """Certificates, through Terraform's validation resource to the certificate it validates."""
    certificates: list[Resource] = []
    for resource in found:
        member = CERTIFICATES.member(resource)
        if member is None:
            continue
        if member.kind == "certificate_validation":
            for ref in resource.references:
                if ref.path.startswith(member.argument("certificate")):
                    certificates.extend(r for r in unit.resolve(ref.target) if r in CERTIFICATES and r not in certificates)
            continue
        if resource not in certificates:
            certificates.append(resource)
    return certificates


def _edge_functions(unit: Unit, member: Member) -> list[Resource]:
    """Lambda functions a cache behaviour associates (directly, or through a version or alias)."""
    functions: list[Resource] = []
    for resource in _referenced(unit, member, "edge_functions"):
        version = LAMBDA_VERSIONS.member(resource)
        if version is not None:
            for ref in resource.references:
                if ref.path.startswith(version.argument("function")):
                    functions.extend(r for r in unit.resolve(ref.target) if r in FUNCTIONS and r not in functions)
        elif resource in FUNCTIONS and resource not in functions:
            functions.append(resource)
    return functions


def _literal_edge_function(member: Member) -> bool:
    """A Lambda@Edge association whose function is not a resource of the unit (an ARN written
    out, or from a variable)."""
    referenced = {_bare(ref.path) for ref in member.resource.references}
    arn = member.argument("edge_function_arn")
    for path, value in _associations(member.resource.attributes, member.argument("edge_functions"), ""):
        if not isinstance(value, dict) or arn not in value:
            continue
        where = _bare(f"{path}.{arn}")
        if any(r.startswith(where) for r in referenced):
            continue
        if isinstance(value[arn], str) or (isinstance(value[arn], Unknown) and not value[arn].refs):
            return True
    return False


def _associations(value: Any, name: str, path: str) -> Iterator[tuple[str, Any]]:
    """Every element of a block or list called `name`, anywhere in the attributes."""
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key == name:
                items = item if isinstance(item, list) else [item]
                for index, element in enumerate(items):
                    yield f"{here}[{index}]", element
            else:
                yield from _associations(item, name, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _associations(item, name, f"{path}[{index}]")


# WAF, query logging ---------------------------------------------------------------------------


def _firewalls(unit: Unit, pinned: set[str]) -> Iterator[Dependency]:
    for member in EDGE_FIREWALLS.members(unit):
        if member.kind == "wafv2":
            scope = member.value("scope")
            if not isinstance(scope, str) or scope.upper() != CLOUDFRONT_SCOPE:
                continue
        if member.address in pinned:
            continue
        pinned.add(member.address)
        yield Dependency(
            "WAF for CloudFront",
            (member.address,),
            member.resource.location,
            None,
            "its rules cannot be changed",
        )


def _query_logs(unit: Unit) -> Iterator[Dependency]:
    for member in QUERY_LOGS.members(unit):
        groups: list[str] = []
        for ref in member.resource.references:
            if ref.path.startswith(member.argument("log_group")):
                groups.extend(r.address for r in unit.resolve(ref.target) if r.address not in groups)
        yield Dependency(
            "Route 53 query logging",
            tuple(groups) or (member.address,),
            (unit.resource(groups[0]) or member.resource).location if groups else member.resource.location,
            None,
            "the DNS query logs (written to CloudWatch Logs in us-east-1) stop arriving",
            needed_by=(member.address,),
        )


# Route 53, IAM, STS ---------------------------------------------------------------------------


def _route53(unit: Unit) -> Dependency | None:
    zones = [m.resource for m in DNS_ZONES.members(unit) if m.service == "route53"]
    records = [m.resource for m in DNS_RECORDS.members(unit)]
    checks = [m.resource for m in HEALTH_CHECKS.members(unit)]
    everything = [*zones, *records, *checks]
    if not everything:
        return None
    counts = [
        _count(len(zones), "hosted zone"),
        _count(len(records), "record set" if len(records) == 1 else "record sets"),
        _count(len(checks), "health check"),
    ]
    return Dependency(
        "Route 53",
        tuple(r.address for r in everything),
        everything[0].location,
        ROUTE53_CONTROL,
        f"its {_join([c for c in counts if c])} cannot be created or changed (answers and health checks go on)",
    )


def _iam(unit: Unit) -> Dependency | None:
    resources = [m.resource for m in IDENTITY.members(unit)]
    if not resources:
        return None
    noun = "IAM resource" if len(resources) == 1 else "IAM resources"
    return Dependency(
        "IAM",
        tuple(r.address for r in resources),
        resources[0].location,
        IAM_CONTROL,
        f"its {len(resources)} {noun} cannot be created or changed (existing roles and policies go on working)",
    )


def _sts(unit: Unit) -> Iterator[Dependency]:
    for config in unit.providers:
        if config.name != "aws" or config.location is None:
            continue
        setting = _sts_setting(config)
        if setting is None:
            continue
        yield Dependency(
            "STS",
            (),
            config.location,
            None,
            f'provider "{config.key}" cannot get credentials (every plan and apply starts with STS)',
            setting=setting,
        )


def _sts_setting(config: ProviderConfig) -> str | None:
    sts_region: Any = config.setting("sts_region")
    if isinstance(sts_region, str) and sts_region == HOME:
        return f'sts_region = "{HOME}"'
    endpoint: Any = config.setting("endpoints.sts")
    if isinstance(endpoint, str) and _GLOBAL_STS.match(endpoint.strip()):
        return f'endpoints {{ sts = "{endpoint}" }}'
    return None


def _count(number: int, noun: str) -> str:
    if number == 0:
        return ""
    if number == 1:
        return f"1 {noun}"
    plural = noun if noun.endswith("s") else noun + "s"
    return f"{number} {plural}"


def _join(parts: list[str]) -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]
