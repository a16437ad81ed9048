"""RES405 azure-front-door-classic."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.edge import CDN_DISTRIBUTIONS
from resilint.model import Project, Unit
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES405",
    name="azure-front-door-classic",
    severity=Severity.WARNING,
    summary="Azure Front Door (classic) is being retired and cannot be created again",
    fix="Migrate to Azure Front Door Standard or Premium",
    tags=("edge", "azure"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags every Azure Front Door (classic) profile: an `azurerm_frontdoor` resource. Front Door
    Standard and Premium (`azurerm_cdn_frontdoor_profile` and its `azurerm_cdn_frontdoor_*`
    companions) are not flagged.

    ## Why is this bad?
    Microsoft stopped new Front Door (classic) creation on 1 April 2025 and retires the service on
    31 March 2027. A resource that cannot be created again is a recovery hazard: if the profile is
    deleted, its subscription is moved or it must be rebuilt in a disaster, `terraform apply`
    fails, and the entry point of the application stays down until a migration that nobody
    rehearsed is done under pressure. The 29 October 2025 Front Door incident also showed that
    the edge itself needs a bypass path (RES401), which is easier to build on the current tiers.

    ## Example
    ```hcl
    resource "azurerm_frontdoor" "web" {
      name                = "web"
      resource_group_name = "edge"
      # routing_rule, backend_pool, frontend_endpoint ...
    }
    ```

    Use instead:
    ```hcl
    resource "azurerm_cdn_frontdoor_profile" "web" {
      name                = "web"
      resource_group_name = "edge"
      sku_name            = "Standard_AzureFrontDoor"
    }
    # azurerm_cdn_frontdoor_endpoint, _origin_group, _origin and _route
    ```

    ## References
    - https://learn.microsoft.com/en-us/azure/frontdoor/classic-retirement-faq
    - https://learn.microsoft.com/en-us/azure/frontdoor/tier-migration
    - https://registry.terraform.io/providers/hashicorp/azurerm/latest/docs/resources/frontdoor
    """
    for front_door in CDN_DISTRIBUTIONS.members(unit, "classic_front_door"):
        yield Violation(
            f"{front_door.address} is an Azure Front Door (classic) profile: new classic profiles cannot be "
            "created since 1 April 2025 and the service is retired on 31 March 2027, so this entry point "
            "cannot be rebuilt if it is lost",
            at=front_door.resource,
            fix=front_door.says("migrate"),
        )
