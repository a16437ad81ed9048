"""resilint.placement: one home for regions, zones and global-ness."""

from __future__ import annotations

import pytest

from resilint.model import Location, Resource
from resilint.placement import cloudformation_is_global, is_gcp_global, resource_region
from resilint.relations.placement import region_of


@pytest.mark.parametrize(
    "type_",
    ["google_compute_network_endpoint_group", "google_compute_router", "google_compute_router_nat", "google_compute_region_backend_service"],
)
def test_regional_google_types_are_not_global(type_: str) -> None:
    assert not is_gcp_global(type_)
    assert resource_region("gcp", type_, {}, "europe-west1") == "europe-west1"


@pytest.mark.parametrize("type_", ["google_compute_network", "google_compute_route", "google_dns_managed_zone", "google_compute_global_address"])
def test_global_google_types_have_no_region(type_: str) -> None:
    assert resource_region("gcp", type_, {}, "europe-west1") is None


def test_the_relations_read_the_same_list_as_the_parser() -> None:
    """A model from an older cache that still gives a global type the provider's region is read
    as global; a zonal network endpoint group keeps its region (the two lists used to disagree)."""
    at = Location(path="main.tf", line=1, end_line=1)

    def placed(type_: str) -> Resource:
        return Resource(source="terraform", type=type_, address=f"{type_}.x", unit="u", provider="google", cloud="gcp", region="us-east1", location=at)

    assert region_of(placed("google_compute_network")) is None
    assert region_of(placed("google_compute_network_endpoint_group")) == "us-east1"


def test_location_that_defaults_to_global() -> None:
    assert resource_region("gcp", "google_gke_hub_membership", {}, "europe-west1") is None
    assert resource_region("gcp", "google_gke_hub_membership", {"location": "europe-west1"}, None) == "europe-west1"


def test_cloudformation_global_types() -> None:
    assert cloudformation_is_global("AWS::IAM::Role", {})
    assert cloudformation_is_global("AWS::WAFv2::WebACL", {"Scope": "CLOUDFRONT"})
    assert not cloudformation_is_global("AWS::WAFv2::WebACL", {"Scope": "REGIONAL"})
    assert not cloudformation_is_global("AWS::RDS::DBInstance", {})


@pytest.mark.parametrize("type_", ["azurerm_cdn_profile", "azurerm_cdn_endpoint", "azurerm_cdn_frontdoor_profile", "azurerm_frontdoor", "azurerm_traffic_manager_profile"])
def test_azure_global_services_have_no_region_whatever_their_location(type_: str) -> None:
    assert resource_region("azure", type_, {"location": "westeurope"}, None) is None


def test_azure_regional_resources_keep_their_location() -> None:
    assert resource_region("azure", "azurerm_storage_account", {"location": "West Europe"}, None) == "westeurope"
