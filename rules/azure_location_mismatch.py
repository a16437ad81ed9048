"""RES404 azure-location-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.deployment import RESOURCE_GROUP_ARGUMENT, RESOURCE_GROUPS
from resilint.model import Project, Resource, Unit
from resilint.relations.placement import region_of
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES404",
    name="azure-location-mismatch",
    severity=Severity.NOTE,
    summary="An Azure resource sits in another region than its resource group",
    fix="Keep one resource group per region: put the resource in a resource group located in its own region",
    tags=("region", "azure"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags an Azure resource whose `location` differs from the `location` of the resource group
    it names in `resource_group_name` (an `azurerm_resource_group` of the same configuration).
    Resources without a region of their own (DNS zones, Front Door, Traffic Manager), resource
    groups known only through a data source or a variable, and locations resilint cannot
    resolve are not judged. `West Europe` and `westeurope` are the same region.

    ## Why is this bad?
    Azure Resource Manager keeps the metadata of a resource group's resources in the group's
    region. When that region is unavailable, updates to the resources' data can fail, so a
    resource in a healthy region becomes effectively read-only: a disaster-recovery resource
    placed in a resource group of the primary region cannot be scaled, reconfigured or failed
    over during the very outage it exists for.

    ## Example
    ```hcl
    resource "azurerm_resource_group" "app" {
      name     = "app"
      location = "westeurope"
    }

    resource "azurerm_linux_web_app" "dr" {
      resource_group_name = azurerm_resource_group.app.name
      location            = "northeurope"
    }
    ```

    Use instead:
    ```hcl
    resource "azurerm_resource_group" "app_dr" {
      name     = "app-dr"
      location = "northeurope"
    }

    resource "azurerm_linux_web_app" "dr" {
      resource_group_name = azurerm_resource_group.app_dr.name
      location            = "northeurope"
    }
    ```

    ## References
    - https://azure.github.io/Azure-Proactive-Resiliency-Library/services/management/resource-group
    - https://learn.microsoft.com/en-us/azure/azure-resource-manager/management/overview#resource-group-location-alignment
    """
    for resource in unit.resources:
        if resource.cloud != "azure" or resource in RESOURCE_GROUPS:
            continue
        region = region_of(resource)
        if not isinstance(region, str) or region == "global":
            continue
        group = _resource_group(unit, resource)
        if group is None:
            continue
        group_region = region_of(group)
        if not isinstance(group_region, str) or group_region in ("global", region):
            continue
        yield Violation(
            f"{resource.address} is in {region}, but its resource group {group.address} is in {group_region}: "
            f"while {group_region} is down, Azure Resource Manager may not accept changes to it",
            at=resource,
            fix=(
                f"Create a resource group located in {region} for {resource.address} "
                f"(resource groups are free; one per region keeps each region manageable on its own)"
            ),
        )


def _resource_group(unit: Unit, resource: Resource) -> Resource | None:
    """The one resource group `resource_group_name` refers to, when the configuration creates it."""
    groups = {
        group.address: group
        for reference in resource.references
        if reference.path == RESOURCE_GROUP_ARGUMENT
        for group in unit.resolve(reference.target)
        if group in RESOURCE_GROUPS
    }
    return next(iter(groups.values())) if len(groups) == 1 else None
