"""Where resources sit: regions, multi-region locations and the availability zones of subnets.

Shared by the region rules (RES101-RES104). Everything here reads only the model, and answers
None where the code does not say: a subnet passed in as a literal ID or through a module output
has no zone we can know.
"""

from __future__ import annotations

from typing import Any

from resilint.model import Resource, Unit, Unknown
from resilint.placement import NOT_A_REGION, is_azure_global, is_gcp_global, is_multi_region_value
from resilint.relations.network import SUBNET_TYPES, shorten, span


def region_of(resource: Resource) -> Any:
    """The resource's region for the region rules: the model's, except for Google Cloud
    resources that are global whatever the provider's region (a model read from an older parse
    cache may still give them one)."""
    if (resource.cloud == "gcp" and is_gcp_global(resource.type)) or (
        resource.cloud == "azure" and is_azure_global(resource.type)
    ):
        return None
    return resource.region


def regional(resource: Resource) -> bool:
    """Whether a resource sits in a region: a known region name (not `global`) or unknown."""
    region = region_of(resource)
    if region is None:
        return False
    if isinstance(region, str):
        return region.strip().lower() not in NOT_A_REGION and region.strip() != ""
    return isinstance(region, Unknown)


def is_multi_region_location(resource: Resource, region: Any) -> bool:
    """A Google Cloud location that spans regions: multi-regions (`US`, `EU`, `ASIA`) and
    dual-regions (`NAM4`, `EUR4`, custom dual-regions). Such a location holds data, never compute,
    so the region rules count it as multi-region for data only."""
    return resource.cloud == "gcp" and isinstance(region, str) and is_multi_region_value(region)


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


def unit_name(unit_id: str) -> str:
    """A unit as a message names it: its id, except the root module of the folder scanned
    (`resilint scan .` at a root: id "."), which a message would otherwise start with a dot."""
    return "the root module" if unit_id == "." else unit_id
