"""The dependency graph of a system: entry points → what serves them → what that depends on.

- Entry points: public DNS names (records of every provider, grouped by name and type, with
  their routing: simple, failover, or a pool such as weighted or latency), CDN distributions
  and front doors, public load balancers and API gateways that no DNS name or CDN of the system
  already leads to. A system with none of these is entered through its primary compute.
- Serving: CloudFront origins (an origin group is an ordered failover), Front Door routes to
  origin groups and their origins, load balancers to the target groups their listeners forward
  to and the groups, services and instances registered there, API gateways to their
  integrations' targets.
- Data: the stores, keys, secrets and queues that serving resources reference (through launch
  templates, task definitions, environment variables...), and the DNS providers a name's zone
  is served by.

Edges come from `Resource.references` and from the relations the rules share (`relations.dns`,
`relations.load_balancing`, `relations.footprint`). A target that cannot be resolved becomes an
`unresolved` node: its status is unknown, never up or down.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from resilint.arguments import blocks, first_block
from resilint.families.compute import COMPUTE_GROUPS, FUNCTIONS, INSTANCES
from resilint.families.edge import APIS, CDN_DISTRIBUTIONS, TRAFFIC_MANAGERS
from resilint.families.load_balancing import LOAD_BALANCERS
from resilint.families.network import NAT_GATEWAYS
from resilint.model import Project, Resource, Unit, Unknown
from resilint.relations import dns
from resilint.relations.dns_providers import family_of_configured, normalize_domain
from resilint.relations.footprint import role, satellites
from resilint.relations.hosting import host_of
from resilint.relations.load_balancing import CLASSIC_TYPES, ELBV2_TYPES, TARGET_GROUP_TYPES, forwarded_target_groups
from resilint.relations.network import nat_egress
from resilint.simulate.exposure import zone_placement
from resilint.simulate.systems import System
from resilint.values import as_bool

Layer = Literal["entry", "serving", "data", "dns"]
Mode = Literal["all", "failover", "pool", "part", "either"]


@dataclass(eq=False)
class Member:
    node: Node
    evaluated: bool | None = True  # whether the chooser (DNS, load balancer, CDN) checks its health
    role: str = ""  # "PRIMARY", "SECONDARY", "weighted"...


@dataclass(eq=False)
class Need:
    """What a node needs: every member (`all`), the first healthy member in order (`failover`),
    any healthy member (`pool`), or each member for a part of its work (`part`: the paths a CDN
    routes to other origins, the zones a group runs in, each with its own egress): some members
    down leave the node degraded, all of them down take it down. `either`: exactly one member
    serves and which is not known (the copies of a stack deployed to several regions, or several
    roots, each make the same simple record, and only one of them can)."""

    mode: Mode
    members: list[Member]
    via: str = ""  # how the choice is made, for explanations: "failover records", "origin group site"; for `part`, what the parts are ("subnets", "paths")


@dataclass(eq=False)
class Node:
    key: str
    label: str
    layer: Layer
    kind: str  # "name", "cdn", "front-door", "load-balancer", "target-group", "compute", "store", "dns", "unresolved"...
    unit: Unit | None = None
    resource: Resource | None = None
    needs: list[Need] = field(default_factory=list)
    reason: str = ""  # unresolved nodes: why
    dns_family: str | None = None  # records and zones: the DNS provider hosting them
    domain: str | None = None  # dns nodes: the zone's domain
    families: frozenset[str] = frozenset()  # dns nodes: every provider serving the domain
    families_complete: bool = True  # dns nodes: False when another provider may serve it too
    delegated_by: str = ""  # dns nodes: the registrar or parent-zone NS records that delegate it
    record_change_recovers: bool = False  # names: a record change would move traffic elsewhere
    near: Resource | None = None  # unresolved nodes: a resource in the same region (a load balancer's targets)
    # The region of the copy of a stack deployed to several regions the node belongs to (its
    # label says so); a name all of whose records one copy makes, that copy's region.
    copy: str | None = None
    # What the node's resource lives inside (a Cloud SQL database's instance, an Azure SQL
    # database's server): its placement is the host's, and it fails with it.
    host: Node | None = None

    def children(self) -> Iterator[Node]:
        if self.host is not None:
            yield self.host
        for need in self.needs:
            for member in need.members:
                yield member.node


@dataclass
class Graph:
    system: System
    entries: list[Node]
    data: list[Node]  # every data node of the system, sorted by unit and address
    nodes: dict[str, Node]

    def edges(self) -> list[tuple[Node, Node]]:
        seen: set[tuple[str, str]] = set()
        found = []
        for node in self.nodes.values():
            for child in node.children():
                if (node.key, child.key) not in seen:
                    seen.add((node.key, child.key))
                    found.append((node, child))
        return found


# Resource kinds -------------------------------------------------------------------------------

_CLOUDFRONT = CDN_DISTRIBUTIONS.types_of("cloudfront")
_API = (*APIS.types, "AWS::Serverless::Api", "AWS::Serverless::HttpApi")
_FRONT_DOOR = ("azurerm_cdn_frontdoor_endpoint", "azurerm_frontdoor", "azurerm_cdn_endpoint")
_OTHER_ENTRIES = (
    "aws_globalaccelerator_accelerator",
    *LOAD_BALANCERS.types_of("application_gateway"),
    *TRAFFIC_MANAGERS.types,
    *FUNCTIONS.types_of("function_url"),
)
# The parts of an API's own configuration (resources, methods, models, stages, permissions): an
# integration leads through them to what serves, they serve nothing themselves.
_API_PARTS = ("aws_api_gateway_", "aws_apigatewayv2_", "AWS::ApiGateway::", "AWS::ApiGatewayV2::", "aws_lambda_permission", "AWS::Lambda::Permission", *_API)
_ADDRESS_TYPES = {"A", "AAAA", "CNAME"}
_QUEUE_LIKE = ("aws_sqs_queue", "aws_sns_topic", "aws_kinesis_stream", "AWS::SQS::Queue", "AWS::SNS::Topic", "AWS::Kinesis::Stream", "google_pubsub_topic", "azurerm_servicebus_queue", "azurerm_servicebus_namespace")
_DEPENDENCY_DEPTH = 3
# What compute is started from (its launch template, its task definition): serving by role, but
# what they reference (a table named in user data, a secret in a container's environment) is
# what the compute started from them needs.
_CONFIGURATIONS = frozenset(
    (
        "aws_launch_template",
        "aws_launch_configuration",
        "aws_ecs_task_definition",
        "AWS::EC2::LaunchTemplate",
        "AWS::AutoScaling::LaunchConfiguration",
        "AWS::ECS::TaskDefinition",
    )
)
_API_DOMAINS = ("aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name", "AWS::ApiGateway::DomainName", "AWS::ApiGatewayV2::DomainName")
_API_MAPPINGS = ("aws_api_gateway_base_path_mapping", "aws_apigatewayv2_api_mapping", "AWS::ApiGateway::BasePathMapping", "AWS::ApiGatewayV2::ApiMapping")
_BUCKET_BACKENDS = ("google_storage_bucket", "aws_s3_bucket", "azurerm_storage_account")
_AZURE_SCALE_SETS = (
    "azurerm_linux_virtual_machine_scale_set",
    "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set",
    "azurerm_virtual_machine_scale_set",
)
_AZURE_MACHINES = ("azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine")


def _public_lb(resource: Resource) -> bool:
    if resource.type in ("aws_lb", "aws_alb", "aws_elb"):
        return as_bool(resource.attributes.get("internal")) is not True
    if resource.type in ("AWS::ElasticLoadBalancingV2::LoadBalancer", "AWS::ElasticLoadBalancing::LoadBalancer"):
        return resource.attributes.get("Scheme") != "internal"
    if resource.type == "google_compute_forwarding_rule":
        scheme = resource.attributes.get("load_balancing_scheme")
        return isinstance(scheme, str) and scheme.startswith("EXTERNAL")
    if resource.type == "azurerm_lb":
        frontends = blocks(resource.attributes.get("frontend_ip_configuration")) or []
        return any(f.get("public_ip_address_id") is not None or f.get("public_ip_prefix_id") is not None for f in frontends)
    if resource.type == "google_compute_global_forwarding_rule":
        # EXTERNAL by default; "" is a Private Service Connect endpoint, INTERNAL_* is private
        scheme = resource.attributes.get("load_balancing_scheme", "EXTERNAL")
        return not isinstance(scheme, str) or scheme.startswith("EXTERNAL")
    return False


def is_entry_type(resource: Resource) -> bool:
    kind = resource.type
    return kind in _CLOUDFRONT or kind in _API or kind in _FRONT_DOOR or kind in _OTHER_ENTRIES or _public_lb(resource)


# Parts and settings of a store (its policies, aliases, objects, items, versions, mount targets,
# role assignments): they live and fail with the store, and listing them as stores of their own
# would bury the stores in a report.
_STORE_PARTS = re.compile(
    r"(_policy|_policies|_alias|_item|_object|_version|_rotation|_association|_subscription|_rules|_public_access_block"
    r"|_mount_target|_attachment|_backups_replication|_blob|_proxy_target|_default_target_group|_proxy_endpoint"
    r"|_role_assignment|_role_definition|_stored_procedure|_trigger|_sql_function|_user_defined_function|_access_point"
    r"|_access_point_policy|_notification|_ownership_controls|_acl|_cors_configuration|_website_configuration"
    r"|_lifecycle_configuration|_logging|_versioning|_server_side_encryption_configuration|_replication_configuration"
    r"|_intelligent_tiering_configuration|_metric|_inventory|_analytics_configuration|_request_payment_configuration)$"
    r"|_iam_|::(Alias|BucketPolicy|\w*Policy|MountTarget|AccessPoint|SecretTargetAttachment|DBProxyTargetGroup|Object|"
    r"ResourcePolicy|RotationSchedule)$"
)


def is_data(resource: Resource) -> bool:
    if _STORE_PARTS.search(resource.type):
        return False
    return role(resource) == "data" or resource.type in _QUEUE_LIKE


# Building -----------------------------------------------------------------------------------


class _Builder:
    def __init__(self, project: Project, system: System) -> None:
        self.project = project
        self.system = system
        self.nodes: dict[str, Node] = {}
        self.index = dns.project_index(project)
        self.units = {unit.id: unit for unit in project.units}
        self.units.update((copy.id, copy) for unit in project.units for copy in unit.copies)

    # nodes

    def resource_node(self, unit: Unit, resource: Resource) -> Node:
        reader = unit
        unit = self.units.get(resource.unit, unit)  # a reference may lead into another unit of the system
        if unit.copies and unit is not reader:
            unit, resource = _in_region(reader, unit, resource)
        key = f"{unit.id}::{resource.address}"
        node = self.nodes.get(key)
        if node is not None:
            return node
        layer: Layer = "data" if is_data(resource) else "serving"
        label = self._label(unit, resource.address, resource)
        node = Node(key, label, layer, _kind(resource), unit, resource, copy=_copy_region(unit))
        self.nodes[key] = node  # before the children: references may loop
        host = host_of(unit, resource)
        if host is not None:
            node.host = self.resource_node(unit, host)
        node.needs = list(self._needs(unit, resource))
        return node

    def _label(self, unit: Unit, address: str, resource: Resource | None = None) -> str:
        """In a system of several units the same address may be in two of them (a primary root
        and its DR copy): the label says which (`aws_lb.web in dr`). In the copies of a stack
        deployed to several regions, it says which copy: `Web (us-east-1)` for a resource in the
        copy's region, `Cdn (us-east-1 copy)` for a global one or a part that is no resource."""
        home = unit.copy_of or unit.id
        label = f"{address} in {home}" if len(self.system.units) > 1 else address
        region = _copy_region(unit)
        if region is None:
            return label
        return f"{label} ({region})" if resource is not None and resource.region == region else f"{label} ({region} copy)"

    def unresolved(self, unit: Unit, label: str, reason: str, near: Resource | None = None) -> Node:
        key = f"{unit.id}::?{label}"
        node = self.nodes.get(key)
        if node is None:
            region = _copy_region(unit)
            shown = f"{label} ({region} copy)" if region is not None else label
            node = Node(key, shown, "serving", "unresolved", unit, reason=reason, near=near, copy=region)
            self.nodes[key] = node
        return node

    def _needs(self, unit: Unit, resource: Resource) -> Iterator[Need]:
        kind = resource.type
        if kind in _CLOUDFRONT:
            yield from self._cloudfront(unit, resource)
        elif kind == "azurerm_cdn_frontdoor_endpoint":
            yield from self._front_door(unit, resource)
        elif kind in ELBV2_TYPES:
            yield from self._load_balancer(unit, resource)
        elif kind in CLASSIC_TYPES:
            instances = self._refs_at(unit, resource, ("instances", "Instances"))
            if instances:
                yield Need("pool", [Member(self.resource_node(unit, r)) for r in instances], "load balancer health checks")
        elif kind in TARGET_GROUP_TYPES:
            yield from self._target_group(unit, resource)
        elif kind == "azurerm_cdn_frontdoor_origin_group":
            yield from self._origin_group_needs(unit, resource)
        elif kind in _API_DOMAINS:
            yield from self._api_domain(unit, resource)
        elif kind in _API:
            yield from self._api(unit, resource)
        elif kind.startswith("google_compute_"):
            yield from self._google(unit, resource)
        elif kind == "azurerm_lb":
            yield from self._azure_lb(unit, resource)
        elif kind == "azurerm_lb_backend_address_pool":
            yield from self._azure_lb_pool(unit, resource)
        elif kind == "azurerm_application_gateway":
            yield from self._application_gateway(unit, resource)
        elif kind == "azurerm_frontdoor":
            yield from self._classic_front_door(unit, resource)
        elif kind in ("aws_globalaccelerator_accelerator", "AWS::GlobalAccelerator::Accelerator"):
            yield from self._accelerator(unit, resource)
        elif kind == "azurerm_traffic_manager_profile":
            yield from self._traffic_manager(unit, resource)
        elif kind == "azurerm_cdn_endpoint":
            yield from self._forward(unit, resource, ("origin",), "origin", "its origin is not a resource in the code")
        elif kind in _OTHER_ENTRIES:
            served = [r for r in self._refs_at(unit, resource, ("",)) if role(r) == "serving" and not is_entry_type(r)]
            if served:
                yield Need("all", [Member(self.resource_node(unit, r)) for r in served], "references")
        if not is_data(resource):
            yield from self._egress(unit, resource)
            data = [self.resource_node(unit, r) for r in self._dependencies(unit, resource)]
            if data:
                yield Need("all", [Member(n) for n in data], "references")

    def _refs_at(self, unit: Unit, resource: Resource, prefixes: tuple[str, ...]) -> list[Resource]:
        found: list[Resource] = []
        for ref in resource.references:
            if ref.path.startswith(prefixes):
                found.extend(r for r in unit.resolve(ref.target) if r not in found and r is not resource)
        return found

    def _referrers(self, unit: Unit, resource: Resource) -> list[Resource]:
        """Resources of the unit that reference this one."""
        table: dict[str, list[Resource]] = unit.derived("simulate.referrers", _referrers_table)
        return table.get(resource.address, [])

    # CloudFront

    def _cloudfront(self, unit: Unit, distribution: Resource) -> Iterator[Need]:
        cdn = CDN_DISTRIBUTIONS.member(distribution)
        assert cdn is not None
        config = cdn.value("config") if cdn.has("config") else distribution.attributes
        base = f"{cdn.argument('config')}." if cdn.has("config") else ""
        names = tuple(cdn.argument(role) for role in ("origins", "origin_id", "domain", "groups", "default", "target"))
        if not isinstance(config, dict):
            yield Need("all", [Member(self.unresolved(unit, f"{distribution.address} origins", "its configuration is not known"))])
            return
        origins = blocks(config.get(names[0])) or []
        behaviour = first_block(config.get(names[4]))
        target = behaviour.get(names[5]) if behaviour else None
        if not isinstance(target, str):
            yield Need("all", [Member(self.unresolved(unit, f"{distribution.address} default origin", "its default cache behaviour's origin is not known"))])
            return
        groups = self._origin_groups(config.get(names[3]), cdn.source == "terraform")
        routed = self._ordered_behaviours(config, cdn.source == "terraform", target)
        if not routed:
            yield self._origin_need(unit, distribution, origins, groups, target, base, names)
            return
        # Ordered cache behaviours send some paths to other origins: the default behaviour is
        # needed whole, the others each carry their paths.
        default = self._route(unit, distribution, "default behaviour", [self._origin_need(unit, distribution, origins, groups, target, base, names)])
        parts = [Member(default)]
        for other, paths in routed.items():
            shown = ", ".join(paths)
            if other is None:
                route = self._route(unit, distribution, shown, [Need("all", [Member(self.unresolved(unit, f"{distribution.address} {shown} origin", "the origin of these paths is not known"))])])
            else:
                route = self._route(unit, distribution, shown, [self._origin_need(unit, distribution, origins, groups, other, base, names)])
            parts.append(Member(route))
        yield Need("all", [Member(default)], "default cache behaviour")
        yield Need("part", parts, "paths")

    def _origin_need(self, unit: Unit, distribution: Resource, origins: list[dict[str, Any]], groups: dict[str, list[str]], target: str, base: str, names: tuple[str, ...]) -> Need:
        if target in groups:
            members = [Member(self._origin(unit, distribution, origins, member, base, names), True, "primary" if i == 0 else "secondary") for i, member in enumerate(groups[target])]
            return Need("failover", members, f"origin group {target}")
        return Need("all", [Member(self._origin(unit, distribution, origins, target, base, names))], f"origin {target}")

    def _ordered_behaviours(self, config: dict[str, Any], terraform: bool, default: str) -> dict[str | None, list[str]]:
        """The path patterns ordered cache behaviours send to an origin other than the default's,
        by target origin (None: a target that is not known)."""
        found: dict[str | None, list[str]] = {}
        if terraform:
            behaviours = blocks(config.get("ordered_cache_behavior")) or []
            path_key, target_key = "path_pattern", "target_origin_id"
        else:
            items = config.get("CacheBehaviors")
            behaviours = [b for b in items if isinstance(b, dict)] if isinstance(items, list) else []
            path_key, target_key = "PathPattern", "TargetOriginId"
        for behaviour in behaviours:
            target = behaviour.get(target_key)
            key = target if isinstance(target, str) else None
            if key == default:
                continue
            path = behaviour.get(path_key)
            found.setdefault(key, []).append(path if isinstance(path, str) else "(a path not known)")
        return found

    def _route(self, unit: Unit, entry: Resource, what: str, needs: list[Need]) -> Node:
        """A part of an entry point's traffic (a CDN's paths, a front door's backend pool) that
        goes its own way."""
        key = f"{unit.id}::route:{entry.address}:{what}"
        node = self.nodes.get(key)
        if node is None:
            region = _copy_region(unit)
            label = f"{entry.address} {what}" + (f" ({region} copy)" if region is not None else "")
            node = Node(key, label, "serving", "route", unit, needs=needs, copy=region)
            self.nodes[key] = node
        return node

    def _origin_groups(self, value: Any, terraform: bool) -> dict[str, list[str]]:
        groups: dict[str, list[str]] = {}
        for group in blocks(value) or []:
            if terraform:
                group_id = group.get("origin_id")
                members = [m.get("origin_id") for m in blocks(group.get("member")) or []]
            else:
                group_id = group.get("Id")
                members = [m.get("OriginId") for m in blocks((group.get("Members") or {}).get("Items") if isinstance(group.get("Members"), dict) else None) or []]
            if isinstance(group_id, str):
                groups[group_id] = [m if isinstance(m, str) else "?" for m in members]
        return groups

    def _origin(self, unit: Unit, distribution: Resource, origins: list[dict[str, Any]], origin_id: str, base: str, names: tuple[str, ...]) -> Node:
        for index, origin in enumerate(origins):
            if origin.get(names[1]) == origin_id:
                targets = self._refs_at(unit, distribution, (f"{base}{names[0]}[{index}].{names[2]}",))
                if len(targets) == 1:
                    return self.resource_node(unit, targets[0])
                domain = origin.get(names[2])
                shown = domain if isinstance(domain, str) else origin_id
                return self.unresolved(unit, f"origin {shown}", "the origin is not a resource in the code")
        return self.unresolved(unit, f"origin {origin_id}", "no origin with that id is known")

    # Front Door

    def _front_door(self, unit: Unit, endpoint: Resource) -> Iterator[Need]:
        """The origin groups of the routes that match every path (`/*`) are needed whole;
        routes for narrower patterns carry their paths, as CloudFront's ordered behaviours do."""
        whole: list[Resource] = []
        narrow: list[Resource] = []
        for referrer in self._referrers(unit, endpoint):
            if referrer.type != "azurerm_cdn_frontdoor_route" or as_bool(referrer.attributes.get("enabled", True)) is False:
                continue
            patterns = referrer.attributes.get("patterns_to_match")
            into = whole if not isinstance(patterns, list) or "/*" in patterns else narrow
            into.extend(g for g in self._refs_at(unit, referrer, ("cdn_frontdoor_origin_group_id",)) if g not in into)
        narrow = [g for g in narrow if g not in whole]
        if not whole and not narrow:
            yield Need("all", [Member(self.unresolved(unit, f"{endpoint.address} routes", "no route of the code leads to an origin group"))])
            return
        for group in whole:
            yield Need("all", [Member(self.resource_node(unit, group))], "route")
        if narrow:
            yield Need("part", [Member(self.resource_node(unit, g)) for g in whole + narrow], "routes")

    # API custom domains: a DNS name often leads to a regional custom domain, which serves the
    # APIs its mappings name

    def _api_domain(self, unit: Unit, domain: Resource) -> Iterator[Need]:
        apis: list[Resource] = []
        for mapping in self._referrers(unit, domain):
            if mapping.type in _API_MAPPINGS:
                apis.extend(a for a in self._refs_at(unit, mapping, ("api_id", "rest_api_id", "ApiId", "RestApiId")) if a not in apis)
        if not apis:
            yield Need("all", [Member(self.unresolved(unit, f"{domain.address} mappings", "no API mapping of the code names an API"))])
        elif len(apis) == 1:
            yield Need("all", [Member(self.resource_node(unit, apis[0]))], "API mapping")
        else:
            yield Need("part", [Member(self.resource_node(unit, a)) for a in apis], "API mappings")

    def _origin_group_needs(self, unit: Unit, group: Resource) -> Iterator[Need]:
        probed = group.attributes.get("health_probe")
        evaluated: bool | None = None if isinstance(probed, Unknown) else bool(probed)
        members = []
        for origin in self._referrers(unit, group):
            if origin.type != "azurerm_cdn_frontdoor_origin" or as_bool(origin.attributes.get("enabled", True)) is False:
                continue
            hosts = self._refs_at(unit, origin, ("host_name",))
            node = self.resource_node(unit, hosts[0]) if len(hosts) == 1 else self.unresolved(unit, origin.address, "its host is not a resource in the code")
            members.append(Member(node, evaluated))
        if not members:
            members = [Member(self.unresolved(unit, f"{group.address} origins", "no origin of the code is in the group"))]
        yield Need("pool", members, "Front Door health probes")

    # Load balancers

    def _load_balancer(self, unit: Unit, lb: Resource) -> Iterator[Need]:
        groups = forwarded_target_groups(unit, lb)
        if groups is None:
            yield Need("all", [Member(self.unresolved(unit, f"{lb.address} targets", "its listeners' target groups are not known", lb))])
            return
        if groups:
            yield Need("all", [Member(self.resource_node(unit, g)) for g in groups], "listeners")

    def _target_group(self, unit: Unit, group: Resource) -> Iterator[Need]:
        members: list[Resource] = []
        for referrer in self._referrers(unit, group):
            if referrer.type in ("aws_lb_target_group_attachment", "aws_alb_target_group_attachment"):
                members.extend(t for t in self._refs_at(unit, referrer, ("target_id",)) if t not in members)
            elif referrer.type in ("aws_autoscaling_attachment", "aws_autoscaling_traffic_source_attachment"):
                members.extend(t for t in self._refs_at(unit, referrer, ("autoscaling_group_name",)) if t not in members)
            elif referrer.type in ("aws_autoscaling_group", "aws_ecs_service", "AWS::AutoScaling::AutoScalingGroup", "AWS::ECS::Service"):
                if referrer not in members:
                    members.append(referrer)
        members.extend(t for t in self._refs_at(unit, group, ("Targets",)) if t not in members)
        if not members:
            yield Need("all", [Member(self.unresolved(unit, f"{group.address} targets", "no target registered in the code", group))])
            return
        yield Need("pool", [Member(self.resource_node(unit, m)) for m in members], "load balancer health checks")

    # API gateways

    def _api(self, unit: Unit, api: Resource) -> Iterator[Need]:
        targets: list[Resource] = []
        for referrer in self._referrers(unit, api):
            if "integration" in referrer.type.lower() or referrer.type.startswith("aws_api_gateway_method"):
                for ref in referrer.references:
                    for found in unit.resolve(ref.target):
                        if found is not api and role(found) == "serving" and not found.type.startswith(_API_PARTS) and found not in targets:
                            targets.append(found)
        if targets:
            yield Need("all", [Member(self.resource_node(unit, t)) for t in targets], "integrations")

    # What forwards to one thing (a forwarding rule to its proxy, a proxy to its URL map)

    def _forward(self, unit: Unit, resource: Resource, paths: tuple[str, ...], via: str, unknown: str) -> Iterator[Need]:
        """`resource` needs what the arguments under `paths` reference; when one of them is set
        but names no resource of the code, what it leads to is not known."""
        targets = [t for t in self._refs_at(unit, resource, paths) if not is_data(t) or t.type.startswith(_BUCKET_BACKENDS)]
        if targets:
            yield Need("all", [Member(self.resource_node(unit, t)) for t in targets], via)
        elif any(resource.attributes.get(p) not in (None, [], "") for p in paths):
            yield Need("all", [Member(self.unresolved(unit, f"{resource.address} {via}", unknown))])

    # Google Cloud load balancing: forwarding rule → proxy → URL map → backend services →
    # instance groups and network endpoint groups, each in its region or zones

    def _google(self, unit: Unit, resource: Resource) -> Iterator[Need]:
        kind = resource.type
        if kind in ("google_compute_global_forwarding_rule", "google_compute_forwarding_rule"):
            yield from self._forward(unit, resource, ("target", "backend_service"), "target", "its target is not a resource in the code")
        elif kind.startswith(("google_compute_target_", "google_compute_region_target_")) and kind.endswith("_proxy"):
            yield from self._forward(unit, resource, ("url_map", "backend_service", "service"), "URL map", "its URL map is not a resource in the code")
        elif kind in ("google_compute_url_map", "google_compute_region_url_map"):
            yield from self._url_map(unit, resource)
        elif kind in ("google_compute_backend_service", "google_compute_region_backend_service"):
            yield from self._backend_service(unit, resource)
        elif kind == "google_compute_backend_bucket":
            yield from self._forward(unit, resource, ("bucket_name",), "bucket", "its bucket is not a resource in the code")
        elif kind == "google_compute_region_network_endpoint_group":
            yield from self._forward(unit, resource, ("cloud_run", "app_engine", "cloud_function", "serverless_deployment"), "serverless backend", "its service is not a resource in the code")
        elif kind == "google_compute_global_network_endpoint_group":
            yield Need("all", [Member(self.unresolved(unit, f"{resource.address} endpoints", "its endpoints are outside the code"))])

    def _url_map(self, unit: Unit, url_map: Resource) -> Iterator[Need]:
        """The default service is needed whole; services that path rules send to carry their
        paths."""
        default = self._refs_at(unit, url_map, ("default_service",))
        others = [r for r in self._refs_at(unit, url_map, ("path_matcher", "host_rule")) if r not in default]
        if not default and not others:
            if url_map.attributes.get("default_service") is not None:
                yield Need("all", [Member(self.unresolved(unit, f"{url_map.address} default service", "its default service is not a resource in the code"))])
            return
        nodes = [self.resource_node(unit, r) for r in default]
        if nodes:
            yield Need("all", [Member(n) for n in nodes], "default service")
        if others:
            yield Need("part", [Member(n) for n in nodes] + [Member(self.resource_node(unit, r)) for r in others], "paths")

    def _backend_service(self, unit: Unit, service: Resource) -> Iterator[Need]:
        """A backend service spreads traffic over its backends (instance groups and network
        endpoint groups in their regions), moving it away from a failed one when health checks
        (or outlier detection, for serverless backends) tell it."""
        backends = self._refs_at(unit, service, ("backend",))
        checks = service.attributes.get("health_checks")
        evaluated: bool | None
        if isinstance(checks, Unknown):
            evaluated = None
        else:
            evaluated = bool(checks) or service.attributes.get("outlier_detection") is not None
        if backends:
            yield Need("pool", [Member(self.resource_node(unit, b), evaluated) for b in backends], "backend service health checks")
        elif blocks(service.attributes.get("backend")):
            yield Need("all", [Member(self.unresolved(unit, f"{service.address} backends", "its backends are not resources in the code"))])

    # Azure load balancers, Application Gateways, classic Front Door

    def _azure_lb(self, unit: Unit, lb: Resource) -> Iterator[Need]:
        pools = [r for r in self._referrers(unit, lb) if r.type == "azurerm_lb_backend_address_pool"]
        if pools:
            yield Need("all", [Member(self.resource_node(unit, p)) for p in pools], "backend pools")
        else:
            yield Need("all", [Member(self.unresolved(unit, f"{lb.address} backends", "no backend pool of the code belongs to it", lb))])

    def _azure_lb_pool(self, unit: Unit, pool: Resource) -> Iterator[Need]:
        lbs = self._refs_at(unit, pool, ("loadbalancer_id",))
        probed: bool | None = any(r.type == "azurerm_lb_probe" for lb in lbs for r in self._referrers(unit, lb)) if lbs else None
        members: list[Node] = []
        for referrer in self._referrers(unit, pool):
            if referrer.type in _AZURE_SCALE_SETS:
                members.append(self.resource_node(unit, referrer))
            elif referrer.type == "azurerm_network_interface_backend_address_pool_association":
                members.extend(self._machines_of(unit, referrer))
            elif referrer.type == "azurerm_lb_backend_address_pool_address":
                members.append(self.unresolved(unit, f"{pool.address} addresses", "backends registered by address", pool))
        if not members:
            members = [self.unresolved(unit, f"{pool.address} targets", "no target registered in the code", pool)]
        yield Need("pool", [Member(m, probed) for m in _unique(members)], "load balancer health probes")

    def _machines_of(self, unit: Unit, association: Resource) -> list[Node]:
        """The virtual machines whose network interface an association puts in a pool."""
        found: list[Node] = []
        for interface in self._refs_at(unit, association, ("network_interface_id",)):
            machines = [r for r in self._referrers(unit, interface) if r.type in _AZURE_MACHINES]
            found.extend(self.resource_node(unit, m) for m in machines)
            if not machines:
                found.append(self.unresolved(unit, f"{interface.address} machine", "no virtual machine of the code uses the interface", interface))
        return found

    def _application_gateway(self, unit: Unit, gateway: Resource) -> Iterator[Need]:
        """An Application Gateway probes its backends (a default probe when none is written) and
        sends traffic to those that answer."""
        members: list[Node] = []
        for referrer in self._referrers(unit, gateway):
            if referrer.type in _AZURE_SCALE_SETS:
                members.append(self.resource_node(unit, referrer))
            elif referrer.type == "azurerm_network_interface_application_gateway_backend_address_pool_association":
                members.extend(self._machines_of(unit, referrer))
        members.extend(self.resource_node(unit, r) for r in self._refs_at(unit, gateway, ("backend_address_pool",)) if not is_data(r))
        for index, pool in enumerate(blocks(gateway.attributes.get("backend_address_pool")) or []):
            listed = [*(pool.get("fqdns") or []), *(pool.get("ip_addresses") or [])] if isinstance(pool.get("fqdns") or [], list) and isinstance(pool.get("ip_addresses") or [], list) else []
            if any(isinstance(v, str) for v in listed):
                members.append(self.unresolved(unit, f"{gateway.address} backend_address_pool[{index}] addresses", "backends named by address", gateway))
        if not members:
            if blocks(gateway.attributes.get("backend_address_pool")):
                members = [self.unresolved(unit, f"{gateway.address} backends", "no backend registered in the code", gateway)]
            else:
                return
        yield Need("pool", [Member(m) for m in _unique(members)], "Application Gateway health probes")

    def _classic_front_door(self, unit: Unit, door: Resource) -> Iterator[Need]:
        """Each backend pool is a pool of backends Front Door probes (unless its probe is
        disabled); with several pools, each carries the routes that use it."""
        probes: dict[str, Any] = {}
        for probe in blocks(door.attributes.get("backend_pool_health_probe")) or []:
            if isinstance(probe.get("name"), str):
                probes[probe["name"]] = probe.get("enabled", True)
        pools: list[Node] = []
        for index, pool in enumerate(blocks(door.attributes.get("backend_pool")) or []):
            name = pool.get("name") if isinstance(pool.get("name"), str) else str(index)
            probe_name = pool.get("health_probe_name")
            enabled = probes.get(probe_name, True) if isinstance(probe_name, str) else None
            evaluated: bool | None = None if isinstance(enabled, Unknown) or enabled is None else as_bool(enabled) is not False
            members: list[Node] = []
            for backend_index, backend in enumerate(blocks(pool.get("backend")) or []):
                if as_bool(backend.get("enabled", True)) is False:
                    continue
                hosts = self._refs_at(unit, door, (f"backend_pool[{index}].backend[{backend_index}].address",))
                if len(hosts) == 1:
                    members.append(self.resource_node(unit, hosts[0]))
                else:
                    shown = backend.get("address") if isinstance(backend.get("address"), str) else f"backend {backend_index}"
                    members.append(self.unresolved(unit, f"backend {shown}", "the backend is not a resource in the code"))
            if not members:
                members = [self.unresolved(unit, f"{door.address} pool {name} backends", "no backend of the code is in the pool")]
            need = Need("pool", [Member(m, evaluated) for m in _unique(members)], "Front Door health probes")
            pools.append(self._route(unit, door, f"pool {name}", [need]))
        if len(pools) == 1:
            yield from pools[0].needs
        elif pools:
            yield Need("part", [Member(p) for p in pools], "backend pools")

    # AWS Global Accelerator, Azure Traffic Manager: health-checked routing over endpoints in
    # several regions

    def _accelerator(self, unit: Unit, accelerator: Resource) -> Iterator[Need]:
        """An accelerator sends each client to the nearest endpoint group and its endpoints, and
        away from those its health checks find down (Global Accelerator always checks health)."""
        endpoints: list[Node] = []
        groups = 0
        for listener in self._referrers(unit, accelerator):
            if listener.type not in ("aws_globalaccelerator_listener", "AWS::GlobalAccelerator::Listener"):
                continue
            for group in self._referrers(unit, listener):
                if group.type not in ("aws_globalaccelerator_endpoint_group", "AWS::GlobalAccelerator::EndpointGroup"):
                    continue
                groups += 1
                found = self._refs_at(unit, group, ("endpoint_configuration", "EndpointConfigurations"))
                if found:
                    endpoints.extend(self.resource_node(unit, r) for r in found)
                else:
                    endpoints.append(self.unresolved(unit, f"{group.address} endpoints", "its endpoints are not resources in the code"))
        if not groups:
            endpoints = [self.unresolved(unit, f"{accelerator.address} endpoints", "no endpoint group of the code belongs to it")]
        yield Need("pool", [Member(n) for n in _unique(endpoints)], "Global Accelerator health checks")

    def _traffic_manager(self, unit: Unit, profile: Resource) -> Iterator[Need]:
        """Traffic Manager answers with the endpoints its monitor finds healthy: in priority
        order (`Priority`), or any of them (weighted, performance, geographic...)."""
        endpoints: list[tuple[Any, Node]] = []
        for endpoint in self._referrers(unit, profile):
            if not endpoint.type.startswith("azurerm_traffic_manager_") or not endpoint.type.endswith("_endpoint"):
                continue
            if as_bool(endpoint.attributes.get("enabled", True)) is False:
                continue
            targets = self._refs_at(unit, endpoint, ("target_resource_id",))
            if len(targets) == 1:
                node = self.resource_node(unit, targets[0])
            else:
                target = endpoint.attributes.get("target")
                shown = target if isinstance(target, str) else endpoint.address
                node = self.unresolved(unit, f"endpoint {shown}", "the endpoint is not a resource in the code")
            endpoints.append((endpoint.attributes.get("priority"), node))
        if not endpoints:
            yield Need("all", [Member(self.unresolved(unit, f"{profile.address} endpoints", "no endpoint of the code belongs to it"))])
            return
        method = profile.attributes.get("traffic_routing_method")
        if method == "Priority" and all(isinstance(p, int) for p, _ in endpoints):
            ordered = [n for _, n in sorted(endpoints, key=lambda pair: pair[0])]
            yield Need("failover", [Member(n, True, "priority") for n in ordered], "Traffic Manager priorities")
        elif isinstance(method, str):
            yield Need("pool", [Member(n) for _, n in endpoints], "Traffic Manager health checks")
        else:
            yield Need("all", [Member(self.unresolved(unit, f"{profile.address} routing", "its routing method is not known"))])

    # NAT egress

    def _egress(self, unit: Unit, resource: Resource) -> Iterator[Need]:
        """Compute in private subnets reaches the internet (and the regional endpoints outside its
        VPC) through the NAT gateways its subnets' route tables name: the instances of each
        subnet need that subnet's gateway. AWS: by subnet; Azure: by the workload placed in a
        subnet associated with a NAT gateway. Subnets whose routes are not in the code add no
        need (nothing is guessed)."""
        if not (resource in COMPUTE_GROUPS or resource in INSTANCES or resource in FUNCTIONS):
            return
        egress = nat_egress(unit)
        if not egress:
            return
        azure = [e.gateway for e in egress if e.by_workload and any(entry.resource is resource for entry in e.subnets.entries)]
        if azure:
            yield Need("all", [Member(self.resource_node(unit, g)) for g in azure], "NAT egress")
            return
        placement = zone_placement(unit, resource)
        if placement.span is None:
            return
        gateways: dict[str, list[Resource]] = {}
        for found in egress:
            if found.by_workload:
                continue
            for entry in found.subnets.distinct:
                if entry.resource is not None and found.gateway not in gateways.setdefault(entry.resource.address, []):
                    gateways[entry.resource.address].append(found.gateway)
        subnets = [e.resource for e in placement.span.distinct if e.resource is not None]
        if not any(s.address in gateways for s in subnets):
            return
        members = [Member(self._subnet_egress(unit, s, gateways.get(s.address, []))) for s in subnets]
        yield Need("part", members, "subnets")

    def _subnet_egress(self, unit: Unit, subnet: Resource, gateways: list[Resource]) -> Node:
        key = f"{unit.id}::egress:{subnet.address}"
        node = self.nodes.get(key)
        if node is None:
            node = Node(key, f"{self._label(unit, subnet.address, subnet)} egress", "serving", "egress", unit, subnet, copy=_copy_region(unit))
            self.nodes[key] = node
            if gateways:
                node.needs = [Need("all", [Member(self.resource_node(unit, g)) for g in gateways], "NAT gateway")]
        return node

    # Data dependencies

    def _dependencies(self, unit: Unit, start: Resource) -> list[Resource]:
        """Data a serving resource references, directly or through configuration resources
        (launch templates, task definitions, roles' policies are not followed)."""
        skip = satellites(unit)
        found: list[Resource] = []
        frontier = [start]
        seen = {start.address}
        for _ in range(_DEPENDENCY_DEPTH):
            following: list[Resource] = []
            for resource in frontier:
                for ref in resource.references:
                    for target in unit.resolve(ref.target):
                        if target.address in seen or target.address in skip:
                            continue
                        seen.add(target.address)
                        if is_data(target):
                            found.append(target)
                        elif (role(target) == "other" or target.type in _CONFIGURATIONS) and not is_entry_type(target):
                            following.append(target)
            frontier = following
        return found

    # DNS names

    def names(self, units: list[Unit]) -> list[Node]:
        """The public DNS names the records of a system's units make (each copy of a stack
        deployed to several regions a unit of its own): the records every unit makes for one name
        are that name's (a PRIMARY record in one root, the SECONDARY in its DR root; a latency
        record in each copy of a stack)."""
        groups: dict[tuple[str, str, str], list[tuple[Unit, dns.Record]]] = {}
        for unit in units:
            for record in dns.records(unit):
                if record.zone.public is False or (record.zone.zone is not None and record.zone.zone.public is False):
                    continue
                if record.rtype is not None and record.rtype not in _ADDRESS_TYPES:
                    continue
                # Records whose names are not known are never grouped together: each is its own name.
                if record.fqdn is not None or isinstance(record.name, str):
                    name, alone = record.shown_name, ""
                else:
                    # Its address, with its unit in a system of several: one module's record in
                    # three roots is three entry points, which would otherwise read the same.
                    region = _copy_region(unit)
                    label = f"{record.label} in {unit.copy_of or unit.id}" if len(self.system.units) > 1 else record.label
                    name = f"{label} ({region} copy, name not known)" if region is not None else f"{label} (name not known)"
                    alone = unit.id
                groups.setdefault((name, record.rtype or "?", alone), []).append((unit, record))
        nodes = []
        for (name, rtype, _), found in sorted(groups.items()):
            nodes.append(self._name(name, rtype, found))
        return nodes

    def _name(self, name: str, rtype: str, found: list[tuple[Unit, dns.Record]]) -> Node:
        records = [r for _, r in found]
        first, record = found[0]
        # A name the records of several copies of one stack make belongs to the stack, not to one
        # copy; one that several units make is shown with the first.
        stacks = {u.copy_of for u, _ in found}
        several = len({u.id for u, _ in found}) > 1
        unit = self.units.get(first.copy_of, first) if first.copy_of and several and len(stacks) == 1 else first
        resource = unit.resource(record.resource.address) or record.resource
        home = unit.copy_of or unit.id
        label = name if rtype in ("A", "?") else f"{name} {rtype}"
        node = Node(f"{home}::name:{name}:{rtype}", label, "entry", "name", unit, resource, dns_family=record.family, copy=_copy_region(unit))
        self.nodes[node.key] = node
        node.needs.append(Need("all", [Member(self._dns(first, record))], "DNS"))
        failover = [r for r in records if r.failover is not None]
        routed = [r for r in records if r.routing]
        clash = _clash(found)
        if any(r.routing is None for r in records) or any(isinstance(r.failover, Unknown) for r in records):
            node.needs.append(Need("all", [Member(self.unresolved(unit, f"{name} routing", "its routing policy is not known"))]))
        elif clash is not None:
            node.needs.append(Need("either", [Member(self._answers(u, r)) for u, r in found], clash))
        elif failover and len(failover) == len(records):
            ordered = sorted(found, key=lambda pair: 0 if pair[1].failover == "PRIMARY" else 1)
            node.needs.append(Need("failover", [Member(self._answers(u, r), _evaluated(u, r), str(r.failover)) for u, r in ordered], "failover records"))
            node.record_change_recovers = True
        elif routed or len(records) > 1:
            policy = ", ".join(sorted({p for r in records for p in (r.routing or ())}))
            via = f"{policy} routing" if policy else "several records"
            node.needs.append(Need("pool", [Member(self._answers(u, r), _evaluated(u, r), policy or "several records") for u, r in found], via))
            node.record_change_recovers = True
        else:
            node.needs.append(Need("all", [Member(self._answers(first, record))], "record"))
        return node

    def _answers(self, unit: Unit, record: dns.Record) -> Node:
        targets = dns.answer_targets(unit, record)
        if targets is None:
            return self.unresolved(unit, f"answers of {record.label}", "they are not resources in the code")
        if len(targets) == 1:
            return self.resource_node(unit, targets[0])
        node = self.unresolved(unit, f"answers of {record.label}", "")
        node.kind = "answers"
        node.needs = [Need("pool", [Member(self.resource_node(unit, t), False) for t in targets], "several answers")]
        return node

    def _dns(self, unit: Unit, record: dns.Record) -> Node:
        domain = record.zone.domain
        if domain is None and record.fqdn is not None:
            domain = _zone_domain(record.fqdn, self.index)
        key = f"dns:{domain or record.zone.value}:{record.family}"
        node = self.nodes.get(key)
        if node is not None:
            return node
        serving = self._serving(record.family, domain)
        label = f"DNS {domain}" if domain else "DNS (zone not known)" if record.zone.kind == "unknown" else f"DNS {dns.zone_label(record.zone)}"
        node = Node(
            key,
            label,
            "dns",
            "dns",
            unit,
            record.zone.zone.resource if record.zone.zone else None,
            dns_family=record.family,
            domain=domain,
            families=serving.families,
            families_complete=serving.complete,
            delegated_by=serving.delegated_by,
        )
        self.nodes[key] = node
        return node

    def _serving(self, family: str, domain: str | None) -> _Serving:
        """The DNS providers that answer for a domain, as RES201 reads them: when the code holds
        the delegation (a registrar's name servers, a parent zone's NS records for the domain),
        the providers named there, and those configuration declares; otherwise every provider
        hosting a public zone of that name, and those configuration declares. A zone's own apex
        NS set adds its providers. An entry that names no provider resilint knows, or a zone at
        another provider whose name is not known, leaves the list incomplete."""
        if domain is None:
            return _Serving(frozenset({family}), True)
        configured = {family_of_configured(str(p)) for p in self._configured.get(domain, ())}
        hosted = {family}
        complete = True
        for zone in self.index.zones_by_domain.get(domain, []):
            if zone.public is not False and zone.authoritative is not False:
                hosted.add(zone.family)
        for other in self.index.zones_without_domain:
            if other.family != family and other.public is not False:
                complete = False  # it may host this very domain
        sets = self.index.name_servers_by_domain.get(domain, [])
        delegations = [s for s in sets if s.kind in ("registrar", "delegation")]
        families = set(configured).union(*(s.families for s in delegations)) if delegations else hosted | configured
        for found in sets:
            if found.kind == "apex":
                families |= found.families
            if not found.complete:
                complete = False
        by = ", ".join(sorted(s.resource.address for s in delegations))
        return _Serving(frozenset(families or {family}), complete, by)

    @property
    def _configured(self) -> dict[str, tuple[str, ...]]:
        found: dict[str, tuple[str, ...]] = {}
        for domain, providers in self.project.external_dns.items():
            key = normalize_domain(domain)
            if key is not None:
                names = (providers,) if isinstance(providers, str) else tuple(providers)
                found[key] = found.get(key, ()) + tuple(str(p) for p in names)
        return found


@dataclass(frozen=True)
class _Serving:
    families: frozenset[str]
    complete: bool
    delegated_by: str = ""


def _in_region(reader: Unit, owner: Unit, resource: Resource) -> tuple[Unit, Resource]:
    """What a stack in one region (or one region's copy of a stack deployed to several) reads
    from a stack deployed to several regions: that stack's copy in the same region (exports and
    imports are regional). Without a copy there, or from a reader whose region is not one known
    region, the stack's own resource, whose region is not known."""
    if len(reader.deploy_regions) != 1:
        return owner, resource
    copy = next((c for c in owner.copies if c.deploy_regions == reader.deploy_regions), None)
    same = copy.resource(resource.address) if copy is not None else None
    return (copy, same) if copy is not None and same is not None else (owner, resource)


def _copy_region(unit: Unit) -> str | None:
    """The region of a copy of a stack deployed to several regions; None for any other unit."""
    return unit.deploy_regions[0] if unit.copy_of is not None and unit.deploy_regions else None


def _clash(found: list[tuple[Unit, dns.Record]]) -> str | None:
    """Why the records several units (or copies of a stack) make for one name cannot all exist
    (the one deployed second fails to make its record, or overwrites the first), or None when
    they can or come from one unit."""
    if len({unit.id for unit, _ in found}) < 2:
        return None
    homes = sorted({unit.copy_of or unit.id for unit, _ in found})
    if len(homes) == 1 and all(unit.copy_of for unit, _ in found):
        makers = "the copies of the stack"
    else:
        makers = ", ".join(homes[:-1]) + " and " + homes[-1]
    records = [r for _, r in found]
    if any(r.routing == frozenset() for r in records):
        return f"a name has one simple record, and {makers} each make it"
    roles = [r.failover for r in records if isinstance(r.failover, str)]
    for failover in ("PRIMARY", "SECONDARY"):
        if roles.count(failover) > 1:
            return f"a name has one {failover} failover record, and {makers} each make one"
    identifiers = [r.set_identifier for r in records if isinstance(r.set_identifier, str)]
    repeated = sorted({i for i in identifiers if identifiers.count(i) > 1})
    if repeated:
        return f"{makers} give their records of the name one set identifier, {repeated[0]}"
    return None


def _zone_domain(fqdn: str, index: dns.DnsIndex) -> str | None:
    labels = fqdn.split(".")
    for start in range(len(labels) - 1):
        candidate = ".".join(labels[start:])
        if candidate in index.zones_by_domain:
            return candidate
    return None


def _evaluated(unit: Unit, record: dns.Record) -> bool | None:
    """Whether the DNS provider checks the health of a record's answer: a health check, or an
    alias that evaluates its target's health."""
    if isinstance(record.health_check, Unknown):
        return True if dns.health_checks(unit, record) else None
    if record.health_check is not None:
        return True
    if isinstance(record.alias, Unknown):
        return None
    if isinstance(record.alias, dns.Alias):
        return record.alias.evaluate_target_health
    return False


def _unique(nodes: list[Node]) -> list[Node]:
    return list({n.key: n for n in nodes}.values())


def _referrers_table(unit: Unit) -> dict[str, list[Resource]]:
    table: dict[str, list[Resource]] = {}
    for resource in unit.resources:
        for ref in resource.references:
            for target in unit.resolve(ref.target):
                listed = table.setdefault(target.address, [])
                if resource not in listed:
                    listed.append(resource)
    return table


def _kind(resource: Resource) -> str:
    kind = resource.type
    if kind in _CLOUDFRONT or kind == "azurerm_cdn_endpoint":
        return "cdn"
    if kind in _FRONT_DOOR or kind.startswith("azurerm_cdn_frontdoor"):
        return "front-door"
    if kind in ELBV2_TYPES or kind in CLASSIC_TYPES or kind == "azurerm_application_gateway":
        return "load-balancer"
    if kind in TARGET_GROUP_TYPES:
        return "target-group"
    if kind in NAT_GATEWAYS.types:
        return "nat"
    if kind in _API:
        return "api"
    if is_data(resource):
        return "store"
    return "compute"


def build(project: Project, system: System) -> Graph:
    """The system's graph. A stack deployed to several regions is judged as its copies, one per
    region: each copy's resources are nodes of their own. A name is one entry point whichever
    units (or copies) make its records."""
    builder = _Builder(project, system)
    members = [copy for unit in system.units for copy in (unit.copies or (unit,))]
    entries = builder.names(members)
    reached = _reachable(entries)
    candidates: list[Node] = []
    for unit in members:
        for resource in unit.resources:
            if is_entry_type(resource) and f"{unit.id}::{resource.address}" not in reached:
                candidates.append(builder.resource_node(unit, resource))
    behind = _reachable(candidates, include_roots=False)
    entries.extend(n for n in candidates if n.key not in behind)
    if not entries:
        from resilint.relations.footprint import is_primary_serving

        serving = [builder.resource_node(u, r) for u in members for r in u.resources if is_primary_serving(r)]
        behind = _reachable(serving, include_roots=False)
        entries.extend(n for n in serving if n.key not in behind)
    for node in entries:
        node.layer = "entry"
    for unit in members:
        skip = satellites(unit)
        for resource in unit.resources:
            if is_data(resource) and resource.address not in skip:
                builder.resource_node(unit, resource)
    data = sorted((n for n in builder.nodes.values() if n.layer == "data"), key=lambda n: n.key)
    return Graph(system, entries, data, builder.nodes)


def _reachable(roots: list[Node], include_roots: bool = True) -> set[str]:
    seen: set[str] = set()
    stack = [c for r in roots for c in r.children()] + (list(roots) if include_roots else [])
    while stack:
        node = stack.pop()
        if node.key in seen:
            continue
        seen.add(node.key)
        stack.extend(node.children())
    return seen
