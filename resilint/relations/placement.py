"""Where resources sit: regions, multi-region locations and the availability zones of subnets.

Shared by the region rules (RES101-RES104). Everything here reads only the model, and answers
None where the code does not say: a subnet passed in as a literal ID or through a module output
has no zone we can know.
"""

from __future__ import annotations

import re
from typing import Any

from resilint.model import Resource, Unit, Unknown
from resilint.relations.network import SUBNET_TYPES, shorten, span

_GCP_REGION = re.compile(r"^[a-z]+-[a-z]+\d+$")
_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
# Region values that name no region at all ("global" locations of Azure and Google resources).
_NOT_A_REGION = frozenset({"global"})



# Google Cloud resources that are global although the model gives them the provider's region
# (they have no region or zone argument of their own, so the provider's is all it knows).
_GCP_GLOBAL_PREFIXES = (
    "google_compute_network",
    "google_compute_firewall",
    "google_compute_route",
    "google_compute_global_",
    "google_compute_backend_service",
    "google_compute_backend_bucket",
    "google_compute_url_map",
    "google_compute_target_http_proxy",
    "google_compute_target_https_proxy",
    "google_compute_target_ssl_proxy",
    "google_compute_target_tcp_proxy",
    "google_compute_health_check",
    "google_compute_http_health_check",
    "google_compute_https_health_check",
    "google_compute_ssl_certificate",
    "google_compute_managed_ssl_certificate",
    "google_compute_ssl_policy",
    "google_compute_security_policy",
    "google_compute_image",
    "google_compute_instance_template",
    "google_compute_project_",
    "google_compute_shared_vpc_",
    "google_project",
    "google_folder",
    "google_organization",
    "google_service_account",
    "google_billing_",
    "google_dns_",
    "google_monitoring_",
    "google_pubsub_",
    "google_service_networking_connection",
    "google_endpoints_service",
    "google_tags_",
)


def region_of(resource: Resource) -> Any:
    """The resource's region for the region rules: the model's, except for Google Cloud
    resources that are global whatever the provider's region."""
    if resource.cloud == "gcp" and (resource.type.startswith(_GCP_GLOBAL_PREFIXES) or "_iam_" in resource.type):
        return None
    return resource.region


def regional(resource: Resource) -> bool:
    """Whether a resource sits in a region: a known region name (not `global`) or unknown."""
    region = region_of(resource)
    if region is None:
        return False
    if isinstance(region, str):
        return region.strip().lower() not in _NOT_A_REGION and region.strip() != ""
    return isinstance(region, Unknown)


def is_multi_region_location(resource: Resource, region: Any) -> bool:
    """A Google Cloud location that spans regions: multi-regions (`US`, `EU`, `ASIA`) and
    dual-regions (`NAM4`, `EUR4`, custom dual-regions). Such a location holds data, never compute,
    so the region rules count it as multi-region for data only."""
    if resource.cloud != "gcp" or not isinstance(region, str):
        return False
    value = region.strip().lower()
    return bool(value) and value not in _NOT_A_REGION and not _GCP_REGION.match(value) and not _GCP_ZONE.match(value)


def gcp_zone_region(value: str) -> str | None:
    """`us-central1` for the zone `us-central1-a`; None when `value` is not a GCP zone."""
    match = _GCP_ZONE.match(value.strip().lower())
    return match.group(1) if match else None


def is_gcp_region(value: str) -> bool:
    return bool(_GCP_REGION.match(value.strip().lower()))


def aws_zone_region(zone: str) -> str | None:
    """`us-east-1` for the availability zone `us-east-1a` (and Local Zones such as
    `us-east-1-bos-1a`, whose parent region comes first); None for zone IDs (`use1-az1`)."""
    match = re.match(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$", zone) or re.match(
        r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)-[a-z0-9-]+$", zone
    )
    return match.group(1) if match else None


# Availability zones of subnets ------------------------------------------------------------------


def subnet_zones(unit: Unit, resource: Resource, attribute: str) -> tuple[tuple[Resource, ...], tuple[str, ...]] | None:
    """The subnets a resource lists in `attribute` and their distinct zones, when every entry
    is a subnet of the unit whose zone the code sets. None when anything is unknown: a literal
    subnet ID, a list from a variable or module output, a subnet whose zone AWS chooses, or zone
    names mixed with zone IDs (which cannot be compared). Built on `relations.network.span`."""
    found = span(unit, resource.attributes.get(attribute))
    if found is None:
        return None
    entries = found.distinct
    if any(e.zone is None or e.resource is None or e.resource.type not in SUBNET_TYPES for e in entries):
        return None
    if len({z.kind for z in found.zones}) > 1:
        return None
    subnets = tuple(e.resource for e in found.entries if e.resource is not None)
    return subnets, tuple(z.value for z in found.zones)


describe = shorten  # `a, b, c and 2 more`: a short list for messages
