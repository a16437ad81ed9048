"""Where a Terraform resource runs: cloud, region and zones from its provider and arguments."""

from __future__ import annotations

import re
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform.aws_global import AWS_GLOBAL_RESOURCE_TYPES

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
    cloud: str, resource_type: str, attributes: dict[str, Any], provider_region: Any
) -> Any:
    """The resource's region (str), None for a global resource, or Unknown."""
    if cloud == "aws":
        if resource_type in AWS_GLOBAL_RESOURCE_TYPES:
            return None
        own = attributes.get("region")  # AWS provider v6 per-resource region
        if isinstance(own, (str, Unknown)):
            return own
        return provider_region
    if cloud == "azure":
        location = attributes.get("location")
        if isinstance(location, str):
            return normalize_azure_location(location)
        return location if isinstance(location, Unknown) else None
    if cloud == "gcp":
        for key in ("region", "zone", "location"):
            value = attributes.get(key)
            if isinstance(value, Unknown):
                return value
            if isinstance(value, str) and value:
                return gcp_region_of(value) or value.lower()
        return provider_region
    return None


def resource_zones(cloud: str, attributes: dict[str, Any]) -> Any:
    """Availability zones the resource is pinned to by its own arguments (may be empty)."""
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
    return tuple(sorted(set(zones)))
