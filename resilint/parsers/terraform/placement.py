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
        return provider_region
    return None


def is_aws_global(resource_type: str) -> bool:
    if resource_type.startswith("awscc_"):  # Cloud Control names mirror the classic ones
        return "aws_" + resource_type[6:] in AWS_GLOBAL_RESOURCE_TYPES or resource_type.startswith(
            ("awscc_iam_", "awscc_organizations_", "awscc_cloudfront_", "awscc_globalaccelerator_")
        )
    return resource_type in AWS_GLOBAL_RESOURCE_TYPES


# Google Cloud resources that have no region: global services (IAM, DNS, global load balancing,
# Pub/Sub, monitoring), and child resources that live wherever their parent is (a SQL database in
# its instance, an object in its bucket). Regional resources carry region/zone/location or take
# the provider's region.
_GCP_GLOBAL_PREFIXES = (
    "google_project",
    "google_folder",
    "google_organization",
    "google_billing",
    "google_service_account",
    "google_dns_",
    "google_compute_global_",
    "google_compute_firewall",
    "google_compute_network_firewall_policy",
    "google_compute_security_policy",
    "google_compute_shared_vpc_",
    "google_compute_project_",
    "google_compute_network_peering",
    "google_compute_backend_bucket",
    "google_service_networking_",
    "google_monitoring_",
    "google_logging_",
    "google_pubsub_",
    "google_secret_manager_secret",
    "google_iap_",
    "google_access_context_manager_",
    "google_identity_platform_",
    "google_tags_",
    "google_org_policy_",
    "google_essential_contacts_",
    "google_os_login_",
    "google_apikeys_",
    "google_resource_manager_",
    "google_storage_bucket_object",
    "google_storage_bucket_acl",
    "google_storage_default_object_",
    "google_storage_object_",
    "google_storage_notification",
    "google_storage_hmac_key",
    "google_kms_crypto_key",
)
_GCP_GLOBAL_TYPES = frozenset(
    {
        "google_compute_network",
        "google_compute_route",
        "google_compute_backend_service",
        "google_compute_url_map",
        "google_compute_target_http_proxy",
        "google_compute_target_https_proxy",
        "google_compute_target_ssl_proxy",
        "google_compute_target_tcp_proxy",
        "google_compute_target_grpc_proxy",
        "google_compute_health_check",
        "google_compute_http_health_check",
        "google_compute_https_health_check",
        "google_compute_ssl_certificate",
        "google_compute_managed_ssl_certificate",
        "google_compute_ssl_policy",
        "google_compute_image",
        "google_compute_instance_template",
        "google_compute_snapshot",
        "google_endpoints_service",
        "google_sql_database",
        "google_sql_user",
        "google_sql_ssl_cert",
    }
)


def is_gcp_global(resource_type: str) -> bool:
    return (
        resource_type in _GCP_GLOBAL_TYPES
        or resource_type.startswith(_GCP_GLOBAL_PREFIXES)
        or "_iam_" in resource_type  # access bindings on a resource, not a placement
    )


# Google Cloud resources whose `zone` defaults to the provider's zone when left out.
GCP_ZONE_FROM_PROVIDER = frozenset(
    {
        "google_compute_instance",
        "google_compute_instance_from_template",
        "google_compute_disk",
        "google_compute_instance_group",
        "google_compute_instance_group_manager",
        "google_compute_network_endpoint_group",
        "google_compute_node_group",
        "google_compute_reservation",
    }
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
    if not zones and resource_type in GCP_ZONE_FROM_PROVIDER and provider_zone is not None:
        return provider_zone if isinstance(provider_zone, Unknown) else (provider_zone,)
    return tuple(sorted(set(zones)))
