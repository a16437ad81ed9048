"""Where a resource runs, for every source: its cloud, its region (a name, None for a global
resource, or unknown) and the zones it is pinned to. The one home of these facts: the Terraform
loader, the plan reader and the CloudFormation parser place resources with it, and the relations
(`relations.placement`) read regions through it.

- cloud and provider: `cloud_of`, `provider_of_type`, `provider_type_of_source`,
  `REGION_ARGUMENTS` (the provider arguments that set a region);
- global-ness: `is_aws_global` (Terraform types, from the AWS provider), `cloudformation_is_global`,
  `is_gcp_global` (Google types that are global, `gcp.py`), a Google location that defaults to
  `global` (`gcp.LOCATION_DEFAULTS_TO_GLOBAL`), Azure's `global` location;
- regions and zones: `resource_region`, `resource_zones`, `gcp_region_of`, `gcp_zone_region`,
  `is_gcp_region`, `is_multi_region_value`, `aws_zone_region`, `normalize_azure_location`.
"""

from __future__ import annotations

import re
from typing import Any

from resilint.model import Unknown
from resilint.placement.aws_global import AWS_GLOBAL_RESOURCE_TYPES, CLOUDFORMATION_GLOBAL_TYPE_PREFIXES
from resilint.placement.gcp import GLOBAL_PREFIXES as _GCP_GLOBAL_PREFIXES
from resilint.placement.gcp import GLOBAL_TYPES as _GCP_GLOBAL_TYPES
from resilint.placement.gcp import LOCATION_DEFAULTS_TO_GLOBAL, ZONE_FROM_PROVIDER

CLOUD_OF_PROVIDER = {
    "aws": "aws",
    "awscc": "aws",
    "azurerm": "azure",
    "azapi": "azure",
    "google": "gcp",
    "google-beta": "gcp",
}

_GCP_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")
_GCP_REGION = re.compile(r"^[a-z]+-[a-z]+\d+$")


def provider_of_type(resource_type: str) -> str:
    """The provider local name implied by a resource type: `aws_s3_bucket` -> `aws`."""
    return resource_type.split("_", 1)[0]


def cloud_of(provider: str) -> str:
    return CLOUD_OF_PROVIDER.get(provider, provider)


# Provider arguments that set the region of the resources a configuration manages. Other
# providers have no region (Azure resources carry their own location; DNS and SaaS providers
# such as Cloudflare or NS1 are global).
REGION_ARGUMENTS = {
    "aws": ("region",),
    "awscc": ("region",),
    "google": ("region", "zone"),
    "google-beta": ("region", "zone"),
}

# Provider arguments rules read beside the region (`ProviderConfig.settings`), by provider type.
# Only these are kept: a provider block also holds credentials, which never enter the model.
# A nested block's argument is written `block.argument`.
PROVIDER_SETTINGS = {
    "aws": ("sts_region", "endpoints.sts"),
}


def provider_type_of_source(source: str) -> str:
    """`hashicorp/aws` and `registry.terraform.io/hashicorp/aws` -> `aws`."""
    return source.strip().rstrip("/").rsplit("/", 1)[-1].lower()


def normalize_azure_location(value: str) -> str:
    """`"West Europe"` and `westeurope` are the same Azure region."""
    return value.replace(" ", "").lower()


def gcp_region_of(value: str) -> str | None:
    """The region of a GCP zone or region name; None for multi-regions such as `US`."""
    zone = _GCP_ZONE.match(value)
    if zone:
        return zone.group(1)
    if _GCP_REGION.match(value):
        return value
    return None


def resource_region(
    cloud: str,
    resource_type: str,
    attributes: dict[str, Any],
    provider_region: Any,
    provider_type: str | None = None,
) -> Any:
    """The resource's region (str), None for a global resource, or Unknown."""
    if cloud == "aws":
        if is_aws_global(resource_type):
            return None
        if (provider_type or provider_of_type(resource_type)) == "aws":
            own = attributes.get("region")  # AWS provider v6 per-resource region
            if isinstance(own, (str, Unknown)):
                return own
        return provider_region
    if cloud == "azure":
        if is_azure_global(resource_type):
            return None
        location = attributes.get("location")
        if isinstance(location, str):
            return normalize_azure_location(location)
        return location if isinstance(location, Unknown) else None
    if cloud == "gcp":
        if is_gcp_global(resource_type):
            return None
        for key in ("region", "zone", "location"):
            value = attributes.get(key)
            if isinstance(value, Unknown):
                return value
            if isinstance(value, str) and value:
                # A multi-region or dual-region (`US`, `EU`, `NAM4`) or `global` is no single
                # region: like a global resource, it does not concentrate the unit in one.
                return gcp_region_of(value.lower())
        if resource_type in LOCATION_DEFAULTS_TO_GLOBAL:
            return None  # `location` left out is "global", not the provider's region
        return provider_region
    return None


def cloudformation_is_global(resource_type: str, properties: dict[str, Any]) -> bool:
    """A CloudFormation type with no region of its own: a global service, or template plumbing
    that deploys nothing (a web ACL for CloudFront is global too)."""
    return resource_type.startswith(CLOUDFORMATION_GLOBAL_TYPE_PREFIXES) or (
        resource_type == "AWS::WAFv2::WebACL" and properties.get("Scope") == "CLOUDFRONT"
    )


# Azure services that are global although they carry a `location` (which is metadata there): CDN
# and Front Door profiles, endpoints and origins, and Traffic Manager.
AZURE_GLOBAL_PREFIXES = ("azurerm_cdn_", "azurerm_frontdoor", "azurerm_traffic_manager_")


def is_azure_global(resource_type: str) -> bool:
    return resource_type.startswith(AZURE_GLOBAL_PREFIXES)


def is_aws_global(resource_type: str) -> bool:
    if resource_type.startswith("awscc_"):  # Cloud Control names mirror the classic ones
        return "aws_" + resource_type[6:] in AWS_GLOBAL_RESOURCE_TYPES or resource_type.startswith(
            ("awscc_iam_", "awscc_organizations_", "awscc_cloudfront_", "awscc_globalaccelerator_")
        )
    return resource_type in AWS_GLOBAL_RESOURCE_TYPES


def is_gcp_global(resource_type: str) -> bool:
    return (
        resource_type in _GCP_GLOBAL_TYPES
        or resource_type.startswith(_GCP_GLOBAL_PREFIXES)
        or "_iam_" in resource_type  # access bindings on a resource, not a placement
    )


def resource_zones(cloud: str, attributes: dict[str, Any], resource_type: str = "", provider_zone: Any = None) -> Any:
    """Availability zones the resource is pinned to by its own arguments (may be empty), or by
    the provider's zone for the Google Cloud resources that default to it."""
    keys = {
        "aws": ("availability_zone", "availability_zones"),
        "azure": ("zone", "zones"),
        "gcp": ("zone",),
    }.get(cloud, ())
    zones: list[str] = []
    for key in keys:
        value = attributes.get(key)
        if isinstance(value, Unknown):
            return value
        if isinstance(value, str):
            zones.append(value)
        elif isinstance(value, list):
            for item in value:
                if isinstance(item, Unknown):
                    return item
                if isinstance(item, (str, int)):
                    zones.append(str(item))
    if not zones and resource_type in ZONE_FROM_PROVIDER and provider_zone is not None:
        return provider_zone if isinstance(provider_zone, Unknown) else (provider_zone,)
    return tuple(sorted(set(zones)))


def gcp_zone_region(value: str) -> str | None:
    """`us-central1` for the zone `us-central1-a`; None when `value` is not a GCP zone."""
    match = _GCP_ZONE.match(value.strip().lower())
    return match.group(1) if match else None


def is_gcp_region(value: str) -> bool:
    return bool(_GCP_REGION.match(value.strip().lower()))


# Region values that name no region at all ("global" locations of Azure and Google resources).
NOT_A_REGION = frozenset({"global"})


def is_multi_region_value(value: str) -> bool:
    """A Google Cloud location that spans regions: multi-regions (`US`, `EU`, `ASIA`) and
    dual-regions (`NAM4`, `EUR4`, custom dual-regions)."""
    text = value.strip().lower()
    return bool(text) and text not in NOT_A_REGION and not _GCP_REGION.match(text) and not _GCP_ZONE.match(text)


def aws_zone_region(zone: str) -> str | None:
    """`us-east-1` for the availability zone `us-east-1a` (and Local Zones such as
    `us-east-1-bos-1a`, whose parent region comes first); None for zone IDs (`use1-az1`)."""
    match = re.match(r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)[a-z]$", zone) or re.match(
        r"^([a-z]{2}(?:-gov)?-[a-z]+-\d+)-[a-z0-9-]+$", zone
    )
    return match.group(1) if match else None
