"""What can fail: a region, an availability zone, a provider's global service, a control plane,
or a whole provider. `parse` reads a target as written on the command line (`aws:us-east-1`,
`aws:use1-az1`, `azure:westeurope-1`, `aws:route53`, `cloudflare`); `catalogue` lists the global
services and providers `--list-targets` prints.

Azure availability zones are written `azure:<region>-<zone number>` (`azure:westeurope-1`): Azure
numbers the zones of a region 1 to 3 in each subscription, which is how resources name them
(`zones = ["1", "2"]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

Kind = Literal["region", "zone", "service", "control-plane", "provider"]


@dataclass(frozen=True, order=True)
class Target:
    """One thing that fails. `cloud` is "aws", "azure", "gcp" or a provider name; `name` is the
    region, zone, service or provider; `region` is the region a zone or control plane is in;
    `zone_kind` says whether an AWS zone is written by name (`us-east-1a`) or by ID
    (`use1-az1`), which cannot be compared with each other (the mapping differs per account)."""

    text: str
    kind: Kind
    cloud: str
    name: str
    region: str | None = None
    zone_kind: str = "name"

    def __str__(self) -> str:
        return self.text


class TargetError(ValueError):
    """A target that names nothing resilint knows; the message says what is accepted."""


@dataclass(frozen=True)
class Service:
    """A provider's global service, or a control plane that one region hosts."""

    cloud: str
    name: str
    kind: Kind
    description: str
    types: tuple[str, ...] = ()  # resource type prefixes that stop serving when it fails
    dns_family: str | None = None  # the DNS provider family whose zones go dark
    homed_in: str | None = None  # the region a control plane lives in


SERVICES: tuple[Service, ...] = (
    Service("aws", "route53", "service", "Route 53 DNS (every hosted zone stops answering)", dns_family="route53"),
    Service(
        "aws",
        "route53-control-plane",
        "control-plane",
        "Route 53 record and health-check changes (answers go on)",
        homed_in="us-east-1",
    ),
    Service("aws", "cloudfront", "service", "CloudFront distributions", types=("aws_cloudfront_distribution", "AWS::CloudFront::Distribution")),
    Service("aws", "cloudfront-control-plane", "control-plane", "CloudFront configuration changes (distributions go on serving)", homed_in="us-east-1"),
    Service("aws", "acm-cloudfront-control-plane", "control-plane", "ACM certificates for CloudFront (issuing and renewal)", homed_in="us-east-1"),
    Service("aws", "iam-control-plane", "control-plane", "IAM changes (existing roles and policies go on working)", homed_in="us-east-1"),
    Service(
        "aws",
        "global-accelerator",
        "service",
        "Global Accelerator",
        types=("aws_globalaccelerator_", "AWS::GlobalAccelerator::"),
    ),
    Service(
        "azure",
        "front-door",
        "service",
        "Azure Front Door (Standard/Premium and classic)",
        types=("azurerm_cdn_frontdoor_", "azurerm_frontdoor", "Microsoft.Cdn/"),
    ),
    Service("azure", "cdn", "service", "Azure CDN (classic profiles and endpoints)", types=("azurerm_cdn_profile", "azurerm_cdn_endpoint")),
    Service("azure", "dns", "service", "Azure DNS (every public zone stops answering)", dns_family="azure"),
    Service("azure", "traffic-manager", "service", "Azure Traffic Manager", types=("azurerm_traffic_manager_",)),
    Service("gcp", "cloud-dns", "service", "Google Cloud DNS (every managed zone stops answering)", dns_family="clouddns"),
    Service(
        "gcp",
        "global-load-balancing",
        "service",
        "Google Cloud global external load balancing",
        types=("google_compute_global_forwarding_rule", "google_compute_target_https_proxy", "google_compute_url_map"),
    ),
)
SERVICE_BY_TEXT = {f"{s.cloud}:{s.name}": s for s in SERVICES}

# Whole providers: cloud or provider name -> the DNS family its zones belong to.
PROVIDERS: dict[str, str | None] = {
    "aws": "route53",
    "azure": "azure",
    "gcp": "clouddns",
    "cloudflare": "cloudflare",
    "ns1": "ns1",
    "akamai": "akamai",
    "dnsimple": "dnsimple",
    "digitalocean": "digitalocean",
    "ultradns": "ultradns",
    "fastly": None,
}

_AWS_REGION = re.compile(r"^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d+$")
_AWS_ZONE_NAME = re.compile(r"^([a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\d+)([a-z])$")
_AWS_ZONE_ID = re.compile(r"^([a-z]{3,5}\d+)-az(\d+)$")
_AZURE_REGION = re.compile(r"^[a-z]+[a-z0-9]*$")
_AZURE_ZONE = re.compile(r"^([a-z]+[a-z0-9]*)-([1-3])$")
_GCP_REGION = re.compile(r"^[a-z]+-[a-z]+\d+$")
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-([a-z])$")

# AWS zone ID prefixes name their region by an abbreviation (use1 = us-east-1): the part of the
# region name, its direction word's initials and its number.
_DIRECTIONS = {
    "e": "east",
    "w": "west",
    "n": "north",
    "s": "south",
    "c": "central",
    "ne": "northeast",
    "nw": "northwest",
    "se": "southeast",
    "sw": "southwest",
}


def zone_id_region(prefix: str) -> str | None:
    """`us-east-1` for the zone ID prefix `use1`; None when it reads as no region."""
    match = re.match(r"^([a-z]{2})([a-z]{1,2})(\d+)$", prefix)
    if not match:
        return None
    direction = _DIRECTIONS.get(match.group(2))
    return f"{match.group(1)}-{direction}-{match.group(3)}" if direction else None


def parse(text: str) -> Target:
    """A target as written on the command line."""
    written = text.strip().lower()
    if ":" not in written:
        if written in PROVIDERS:
            return Target(written, "provider", written, written)
        raise TargetError(f"unknown target {text!r}: a provider is one of {', '.join(sorted(PROVIDERS))} (see --list-targets)")
    cloud, _, name = written.partition(":")
    service = SERVICE_BY_TEXT.get(written)
    if service is not None:
        return Target(written, service.kind, cloud, name, service.homed_in)
    if cloud == "aws":
        if _AWS_REGION.match(name):
            return Target(written, "region", cloud, name, name)
        if (zone := _AWS_ZONE_NAME.match(name)) is not None:
            return Target(written, "zone", cloud, name, zone.group(1))
        if (zone := _AWS_ZONE_ID.match(name)) is not None:
            return Target(written, "zone", cloud, name, zone_id_region(zone.group(1)), zone_kind="id")
    elif cloud == "azure":
        if (zone := _AZURE_ZONE.match(name)) is not None:
            return Target(written, "zone", cloud, zone.group(2), zone.group(1))
        if _AZURE_REGION.match(name):
            return Target(written, "region", cloud, name, name)
    elif cloud == "gcp":
        if (zone := _GCP_ZONE.match(name)) is not None:
            return Target(written, "zone", cloud, name, zone.group(1))
        if _GCP_REGION.match(name):
            return Target(written, "region", cloud, name, name)
    else:
        raise TargetError(f"unknown target {text!r}: write aws:, azure: or gcp: before a region, zone or service, or a provider alone")
    raise TargetError(
        f"unknown target {text!r}: expected a region ({cloud}:{_EXAMPLES[cloud][0]}), a zone "
        f"({cloud}:{_EXAMPLES[cloud][1]}) or a service ({', '.join(k for k in SERVICE_BY_TEXT if k.startswith(cloud + ':'))})"
    )


_EXAMPLES = {"aws": ("us-east-1", "us-east-1a or use1-az1"), "azure": ("westeurope", "westeurope-1"), "gcp": ("us-central1", "us-central1-a")}


def catalogue() -> list[tuple[str, str]]:
    """(target, what it means) for --list-targets, sorted by kind then name."""
    rows = [
        ("aws:<region>", "an AWS region, e.g. aws:us-east-1 (its regional services; in us-east-1 also the control planes homed there)"),
        ("aws:<zone>", "an AWS availability zone by name (aws:us-east-1a) or by ID (aws:use1-az1)"),
        ("azure:<region>", "an Azure region, e.g. azure:westeurope"),
        ("azure:<region>-<n>", "an Azure availability zone: zone n (1-3) of the region, e.g. azure:westeurope-1"),
        ("gcp:<region>", "a Google Cloud region, e.g. gcp:us-central1"),
        ("gcp:<zone>", "a Google Cloud zone, e.g. gcp:us-central1-a"),
    ]
    rows.extend((key, service.description) for key, service in sorted(SERVICE_BY_TEXT.items()))
    for name in sorted(PROVIDERS):
        shown = _PROVIDER_NAMES.get(name, name)
        if name in ("aws", "azure", "gcp"):
            rows.append((name, f"all of {shown}: every region, zone and global service"))
        elif PROVIDERS[name] is not None:
            rows.append((name, f"all of {shown}: every resource there, and the DNS zones it serves go dark"))
        else:
            rows.append((name, f"all of {shown}: every resource there"))
    return rows


_PROVIDER_NAMES = {
    "aws": "AWS",
    "azure": "Azure",
    "gcp": "Google Cloud",
    "cloudflare": "Cloudflare",
    "ns1": "NS1",
    "akamai": "Akamai",
    "dnsimple": "DNSimple",
    "digitalocean": "DigitalOcean",
    "ultradns": "UltraDNS",
    "fastly": "Fastly",
}


def with_homed_control_planes(targets: list[Target]) -> list[Target]:
    """The targets plus the control planes homed in a failed region: a failure of us-east-1
    takes Route 53's, CloudFront's and IAM's control planes with it."""
    found = list(targets)
    for target in targets:
        if target.kind != "region":
            continue
        for service in SERVICES:
            if service.cloud == target.cloud and service.homed_in == target.region:
                implied = parse(f"{service.cloud}:{service.name}")
                if implied not in found:
                    found.append(implied)
    return found
