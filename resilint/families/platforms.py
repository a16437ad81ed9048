"""Application platforms that run code for you on servers of their own: Azure Container Apps
environments and App Service plans (web apps, function apps).

Kinds of `APP_PLATFORMS`: `container_app_environment` (roles: `zone_redundancy`, the switch that
spreads the environment's replicas over the region's zones; `subnet`, the infrastructure subnet
zone redundancy needs), `app_service_plan` (`zone_balancing`, the switch that spreads the
plan's instances over zones; `sku`, the plan's SKU name; `workers`, its instance count), also
the `azurerm_app_service_plan` azurerm deprecated in 3.x (`zone_redundant`, `sku.size`,
`sku.capacity`).

Facts: `zone_capable_plan_sku(sku)`: whether an App Service plan SKU can balance its instances
over zones (Premium v2, v3 and v4, Isolated v2, Elastic Premium), None when not known.
"""

from __future__ import annotations

import re
from typing import Any

from resilint.families.base import Family, terraform

APP_PLATFORMS = Family(
    "application platform",
    (
        terraform(
            "azurerm_container_app_environment",
            "container_app_environment",
            service="Container Apps",
            zone_redundancy="zone_redundancy_enabled",
            subnet="infrastructure_subnet_id",
        ),
        terraform(
            "azurerm_service_plan",
            "app_service_plan",
            service="App Service",
            zone_balancing="zone_balancing_enabled",
            sku="sku_name",
            workers="worker_count",
        ),
        # Deprecated in azurerm 3.x, removed in 4.0, still in much code: the same plan with the
        # SKU in a block (`sku { tier = "PremiumV3", size = "P1v3", capacity = 3 }`).
        terraform(
            "azurerm_app_service_plan",
            "app_service_plan",
            service="App Service",
            zone_balancing="zone_redundant",
            sku="sku.size",
            workers="sku.capacity",
        ),
    ),
)

# SKUs of the tiers that support zone redundancy: P1v2, P0v3, P1mv3, P1v4, I1v2, I1mv2, EP1.
# Free, Shared, Basic, Standard, Y1 (consumption) and the retired Premium (v1) and Isolated
# (v1) tiers cannot be zone-redundant: the fix there is another tier, not a switch.
_ZONE_CAPABLE_SKU = re.compile(r"(P\d+m?v[234]|I\d+m?v2|EP\d+)", re.IGNORECASE)


def zone_capable_plan_sku(sku: Any) -> bool | None:
    """Whether an App Service plan SKU can balance instances over zones; None when unknown."""
    if not isinstance(sku, str):
        return None
    return bool(_ZONE_CAPABLE_SKU.fullmatch(sku.strip()))
