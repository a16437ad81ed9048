"""Resource families: the provider-neutral layer between the model and the rules.

Each module holds the families of one area, each family one spelling per resource type of every
source (Terraform and plans, CloudFormation, azurerm, google...), and the facts rules read:

- `databases`: `DATABASES` (instances, clusters, flexible servers, SQL, Cloud SQL, AlloyDB),
  `CACHES` (ElastiCache, MemoryDB, Azure Cache for Redis, Memorystore);
- `storage`: `BUCKETS`, `FILE_SYSTEMS`, `TABLES`;
- `network`: `SUBNETS`, `NAT_GATEWAYS`, `ROUTE_TABLES`, `ROUTES`, `ROUTE_TABLE_ASSOCIATIONS`,
  `SUBNET_GROUPS`, `PUBLIC_IPS`, `EIP_ASSOCIATIONS`, `NETWORK_INTERFACES`, `FIREWALLS`;
- `backends`: `LISTENER_RULES`, `POOL_MEMBERSHIPS`, `INSTANCE_POOLS` (what puts
  single machines behind a load balancer);
- `load_balancing`: `LOAD_BALANCERS`, `LISTENERS`, `TARGET_GROUPS`, `TARGET_ATTACHMENTS`,
  `SCALING_ATTACHMENTS`, `BACKEND_SERVICES`;
- `compute`: `COMPUTE_GROUPS`, `CONTAINER_CLUSTERS`, `INSTANCES`, `FUNCTIONS`;
- `edge`: `CDN_DISTRIBUTIONS`, `FRONT_DOOR_ORIGINS`, `APIS`, `TRAFFIC_MANAGERS`, `EDGE_ENDPOINTS`,
  `TRAFFIC_MANAGER_ENDPOINTS`, `ACCELERATORS`, `GOOGLE_EDGE`;
- `managed_services`: `MANAGED_SERVICES` (search domains, message brokers, warehouses);
- `hybrid`: `HYBRID_LINKS` (VPN, Direct Connect, ExpressRoute, Interconnect), `RESOLVER_ENDPOINTS`;
- `control_planes`: `CERTIFICATES`, `EDGE_FIREWALLS`, `IDENTITY`, `QUERY_LOGS`, `LAMBDA_VERSIONS`
  (what the control planes homed in us-east-1 manage);
- `platforms`: `APP_PLATFORMS` (Container Apps environments, App Service plans);
- `recovery`: `BACKUPS` (backup plans and vaults); `security`: `KEYS`, `SECRETS`;
- `registries`: `REGISTRIES` (container registries); `messaging`: `MESSAGING` (Service Bus and
  Event Hubs namespaces and their geo-DR pairings);
- `dns`: `DNS_ZONES`, `DNS_RECORDS`, `HEALTH_CHECKS`, `DOMAIN_REGISTRATIONS`, `RECOVERY_CONTROLS`,
  `DNS_STEERING`;
- `deployment`: `STACK_SETS`, `RESOURCE_GROUPS`, and what kind of unit a unit is (`is_stack`, `is_called_module`).

The API is in `families.base`: `Family.members(unit, *kinds)` and `Family.member(resource)` give
`Member`s; a member's `kind` says what it is whatever the source, and `setting(role)`,
`value(role)`, `may_be_set(role)`, `argument(role)`, `assignment(role, value)` and `word(role)`
read and name its arguments in its own source's terms. Relations (`resilint.relations`) read the
same tables for what spans several resources (subnet zones, NAT egress, replication, DNS).
"""

from __future__ import annotations

from resilint.families.backends import INSTANCE_POOLS, LISTENER_RULES, POOL_MEMBERSHIPS
from resilint.families.base import Family
from resilint.families.compute import COMPUTE_GROUPS, CONTAINER_CLUSTERS, FUNCTIONS, INSTANCES
from resilint.families.control_planes import CERTIFICATES, EDGE_FIREWALLS, IDENTITY, LAMBDA_VERSIONS, QUERY_LOGS
from resilint.families.databases import CACHES, DATABASES
from resilint.families.deployment import RESOURCE_GROUPS, STACK_SETS
from resilint.families.dns import (
    DNS_RECORDS,
    DNS_STEERING,
    DNS_ZONES,
    DOMAIN_REGISTRATIONS,
    HEALTH_CHECKS,
    RECOVERY_CONTROLS,
)
from resilint.families.edge import (
    ACCELERATORS,
    APIS,
    CDN_DISTRIBUTIONS,
    EDGE_ENDPOINTS,
    FRONT_DOOR_ORIGINS,
    GOOGLE_EDGE,
    TRAFFIC_MANAGER_ENDPOINTS,
    TRAFFIC_MANAGERS,
)
from resilint.families.hybrid import HYBRID_LINKS, RESOLVER_ENDPOINTS
from resilint.families.load_balancing import (
    BACKEND_SERVICES,
    LISTENERS,
    LOAD_BALANCERS,
    SCALING_ATTACHMENTS,
    TARGET_ATTACHMENTS,
    TARGET_GROUPS,
)
from resilint.families.managed_services import MANAGED_SERVICES
from resilint.families.messaging import MESSAGING
from resilint.families.network import (
    EIP_ASSOCIATIONS,
    FIREWALLS,
    NAT_GATEWAYS,
    NETWORK_INTERFACES,
    PUBLIC_IPS,
    ROUTE_TABLE_ASSOCIATIONS,
    ROUTE_TABLES,
    ROUTES,
    SUBNET_GROUPS,
    SUBNETS,
)
from resilint.families.platforms import APP_PLATFORMS
from resilint.families.recovery import BACKUPS
from resilint.families.registries import REGISTRIES
from resilint.families.security import KEYS, SECRETS
from resilint.families.storage import BUCKETS, FILE_SYSTEMS, TABLES

# Every family, for tests and documentation: a new family is added here too.
FAMILIES: tuple[Family, ...] = (
    DATABASES,
    CACHES,
    BUCKETS,
    FILE_SYSTEMS,
    TABLES,
    SUBNETS,
    NAT_GATEWAYS,
    ROUTE_TABLES,
    ROUTES,
    ROUTE_TABLE_ASSOCIATIONS,
    SUBNET_GROUPS,
    PUBLIC_IPS,
    EIP_ASSOCIATIONS,
    NETWORK_INTERFACES,
    FIREWALLS,
    LOAD_BALANCERS,
    LISTENERS,
    TARGET_GROUPS,
    TARGET_ATTACHMENTS,
    SCALING_ATTACHMENTS,
    COMPUTE_GROUPS,
    CONTAINER_CLUSTERS,
    INSTANCES,
    FUNCTIONS,
    CDN_DISTRIBUTIONS,
    FRONT_DOOR_ORIGINS,
    APIS,
    TRAFFIC_MANAGERS,
    EDGE_ENDPOINTS,
    GOOGLE_EDGE,
    CERTIFICATES,
    EDGE_FIREWALLS,
    IDENTITY,
    QUERY_LOGS,
    LAMBDA_VERSIONS,
    TRAFFIC_MANAGER_ENDPOINTS,
    ACCELERATORS,
    BACKEND_SERVICES,
    DNS_ZONES,
    DNS_RECORDS,
    HEALTH_CHECKS,
    DOMAIN_REGISTRATIONS,
    RECOVERY_CONTROLS,
    DNS_STEERING,
    STACK_SETS,
    RESOURCE_GROUPS,
    MANAGED_SERVICES,
    HYBRID_LINKS,
    RESOLVER_ENDPOINTS,
    APP_PLATFORMS,
    BACKUPS,
    KEYS,
    SECRETS,
    REGISTRIES,
    MESSAGING,
    LISTENER_RULES,
    POOL_MEMBERSHIPS,
    INSTANCE_POOLS,
)
