"""What puts single machines behind a load balancer: listener rules (which forward to target
groups besides a listener's default action), Azure backend pool memberships, Google instance
groups and target pools (the backend services that use them are `load_balancing.BACKEND_SERVICES`).

Kinds of `LISTENER_RULES`: `listener_rule` (roles: `actions`).
Kinds of `POOL_MEMBERSHIPS`: `interface_membership` (a network interface in a load balancer's
or an application gateway's backend pool; roles `network_interface`, `pool`; `service` names
the balancer), `address_membership` (an IP address added to a load balancer pool; `pool`).
Kinds of `INSTANCE_POOLS`: `unmanaged_instance_group`, `target_pool` (roles: `instances`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

LISTENER_RULES = Family(
    "listener rule",
    (
        *(terraform(t, "listener_rule", actions="action") for t in ("aws_lb_listener_rule", "aws_alb_listener_rule")),
        cloudformation("AWS::ElasticLoadBalancingV2::ListenerRule", "listener_rule", actions="Actions"),
    ),
)

POOL_MEMBERSHIPS = Family(
    "backend pool membership",
    (
        terraform(
            "azurerm_network_interface_backend_address_pool_association",
            "interface_membership",
            service="load balancer",
            network_interface="network_interface_id",
            pool="backend_address_pool_id",
        ),
        terraform(
            "azurerm_network_interface_application_gateway_backend_address_pool_association",
            "interface_membership",
            service="application gateway",
            network_interface="network_interface_id",
            pool="backend_address_pool_id",
        ),
        terraform("azurerm_lb_backend_address_pool_address", "address_membership", pool="backend_address_pool_id"),
    ),
)

INSTANCE_POOLS = Family(
    "instance pool",
    (
        terraform("google_compute_instance_group", "unmanaged_instance_group", service="instance group", instances="instances"),
        terraform("google_compute_target_pool", "target_pool", service="target pool", instances="instances"),
    ),
)
