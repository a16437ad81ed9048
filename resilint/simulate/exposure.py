"""How one resource, by where it runs, is touched by the failures: its own placement (cloud,
region, zones, provider, global service), not what it depends on (`semantics` adds that).

Zones come from the resource itself (`zones`), from the subnets it is attached to
(`relations.network.span`), or from what the resource is: a regional managed service (S3,
DynamoDB, SQS, Lambda outside a VPC...) runs across the region's zones; a database with a
standby (`multi_az`, a regional Cloud SQL instance, a zone-redundant Azure service) survives one
zone with its standby. Anything else has zones that are not known, and a zone failure in its
region leaves it unknown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resilint.arguments import blocks, first_block
from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS, FUNCTIONS, INSTANCES
from resilint.families.databases import CACHES, CLUSTER_KINDS, DATABASES
from resilint.families.edge import APIS
from resilint.families.load_balancing import LOAD_BALANCERS, TARGET_GROUPS
from resilint.families.network import NAT_GATEWAYS, nat_is_zonal
from resilint.families.storage import BUCKETS, TABLES
from resilint.model import Resource, Unit, Unknown
from resilint.relations.load_balancing import load_balancer_span
from resilint.relations.network import Span, Zone, nat_egress, span, zone_span
from resilint.relations.placement import is_multi_region_location, region_of
from resilint.simulate.status import UP, Status, brief
from resilint.simulate.targets import PROVIDERS, SERVICE_BY_TEXT, Target, with_homed_control_planes
from resilint.values import as_bool


@dataclass
class Failures:
    """The targets of one simulation, compiled for lookups."""

    targets: tuple[Target, ...]
    regions: set[tuple[str, str]] = field(default_factory=set)
    zones: list[Target] = field(default_factory=list)
    providers: set[str] = field(default_factory=set)
    service_types: list[tuple[str, str]] = field(default_factory=list)  # (type prefix, target text)
    dns_families: dict[str, str] = field(default_factory=dict)  # family -> target text
    control_planes: dict[str, Target] = field(default_factory=dict)  # "aws:route53-control-plane" -> target

    @classmethod
    def of(cls, targets: list[Target]) -> Failures:
        every = with_homed_control_planes(targets)
        failures = cls(tuple(targets))
        for target in every:
            if target.kind == "region" and target.region is not None:
                failures.regions.add((target.cloud, target.region))
            elif target.kind == "zone":
                failures.zones.append(target)
            elif target.kind == "provider":
                failures.providers.add(target.cloud)
                family = PROVIDERS.get(target.cloud)
                if family is not None:
                    failures.dns_families[family] = target.text
            elif target.kind == "control-plane":
                failures.control_planes[target.text] = target
            else:
                service = SERVICE_BY_TEXT[target.text]
                failures.service_types.extend((prefix, target.text) for prefix in service.types)
                if service.dns_family is not None:
                    failures.dns_families[service.dns_family] = target.text
        return failures

    def reaches_serving(self, near: Resource | None = None) -> bool:
        """Whether the failures can stop something that is not in the code from serving (an
        unresolved origin, a literal address): any failure but a DNS service's or a control
        plane's. What is known to sit in the region of `near` (a load balancer's targets) is
        reached only by failures of that region, its zones or its provider."""
        if near is None:
            return bool(self.regions or self.zones or self.providers or self.service_types)
        region = region_of(near)
        if near.cloud in self.providers or isinstance(region, Unknown):
            return True
        return (near.cloud, region) in self.regions or any(z.cloud == near.cloud and z.region == region for z in self.zones)

    def control_plane_down(self, text: str) -> bool:
        return text in self.control_planes


def own_status(unit: Unit, resource: Resource, failures: Failures) -> Status:
    """The resource's status from its own placement alone."""
    if resource.cloud in failures.providers:
        return Status("down", f"provider {resource.cloud} failed")
    for prefix, text in failures.service_types:
        if resource.type.startswith(prefix):
            return Status("down", f"{text} failed")
    region = region_of(resource)
    clouds_failing = {cloud for cloud, _ in failures.regions} | {z.cloud for z in failures.zones}
    if resource.cloud not in clouds_failing or region is None or is_multi_region_location(resource, region):
        return UP
    if isinstance(region, Unknown):
        return Status("unknown", brief(f"its region is not known ({region.reason})"))
    if not isinstance(region, str):
        return UP
    if (resource.cloud, region) in failures.regions:
        return Status("down", f"region {region} failed")
    found = UP
    for zone in failures.zones:
        if zone.cloud == resource.cloud and zone.region == region:
            status = _zone_status(unit, resource, zone)
            if status.state != "up":
                found = status
    return found


# Zones --------------------------------------------------------------------------------------

# Regional managed services that run across the zones of their region by design, beyond the
# families (buckets, tables, APIs, target groups) that say so.
_REGIONAL = (
    "aws_s3_bucket",
    "aws_dynamodb_table",
    "aws_sqs_queue",
    "aws_sns_topic",
    "aws_kms_key",
    "aws_secretsmanager_secret",
    "aws_api_gateway_",
    "aws_apigatewayv2_",
    "aws_kinesis_",
    "aws_ecr_repository",
    "aws_ssm_parameter",
    "aws_cloudwatch_event_bus",
    "aws_sfn_state_machine",
    "aws_lambda_function_url",
    "aws_apprunner_service",
    "AWS::S3::Bucket",
    "AWS::DynamoDB::",
    "AWS::SQS::Queue",
    "AWS::SNS::Topic",
    "AWS::KMS::Key",
    "AWS::SecretsManager::Secret",
    "AWS::ApiGateway::",
    "AWS::ApiGatewayV2::",
    "AWS::Kinesis::",
    "AWS::ECR::Repository",
    "AWS::SSM::Parameter",
    "AWS::StepFunctions::StateMachine",
    "google_storage_bucket",
    "google_pubsub_",
    "google_cloud_run",
    "google_cloudfunctions",
    "google_compute_region_instance_group_manager",
    "google_secret_manager_secret",
    "google_kms_",
    "google_firestore_",
    "google_spanner_",
    "azurerm_key_vault",
    "azurerm_servicebus_",
    "azurerm_eventhub",
    "azurerm_cosmosdb_account",
)


@dataclass(frozen=True)
class ZonePlacement:
    """Where a resource runs among a region's zones: `span` (the zones of its subnets or its
    own zone list), `redundant` (spread over the region's zones by the service, or a standby in
    another zone: `standby` says which), or neither with `unknown` saying why."""

    span: Span | None = None
    redundant: str | None = None
    standby: bool = False
    unknown: str = "its availability zones are not known"


def zone_placement(unit: Unit, resource: Resource) -> ZonePlacement:
    return unit.derived(f"simulate.zones.{resource.address}", lambda u: _placement(u, resource))


def _placement(unit: Unit, resource: Resource) -> ZonePlacement:
    zones = resource.zones
    if isinstance(zones, Unknown):
        return ZonePlacement(unknown=brief(f"its zones are not known ({zones.reason})"))
    if zones:
        return ZonePlacement(span=Span(tuple(_zone_entry(str(z), i) for i, z in enumerate(zones))))
    if resource.type == "azurerm_lb":
        return _azure_lb_placement(unit, resource)
    if resource in LOAD_BALANCERS:
        found = load_balancer_span(unit, resource)
        if found is not None:
            return ZonePlacement(span=found[1])
        return ZonePlacement(unknown="the subnets it is enabled in are not known")
    group = COMPUTE_GROUPS.member(resource)
    if group is not None:
        return _group_placement(unit, group)
    instance = INSTANCES.member(resource)
    if instance is not None:
        own = instance.value("zone")
        if isinstance(own, str) and own:
            return ZonePlacement(span=Span((_zone_entry(own, 0),)))
        if instance.has("subnet"):
            subnets = span(unit, [instance.value("subnet")])
            if subnets is not None and subnets.entries[0].zone is not None:
                return ZonePlacement(span=subnets)
        return ZonePlacement(unknown="the zone its cloud places it in is not known")
    function = FUNCTIONS.member(resource)
    if function is not None and function.kind == "function":
        subnet_ids = resource.get("vpc_config.subnet_ids") if function.source == "terraform" else resource.get("VpcConfig.SubnetIds")
        if subnet_ids is None:
            return ZonePlacement(redundant="the function runs across the region's zones")
        subnets = span(unit, subnet_ids)
        return ZonePlacement(span=subnets) if subnets is not None else ZonePlacement(unknown="its subnets are not known")
    nat = NAT_GATEWAYS.member(resource)
    if nat is not None:
        return _nat_placement(unit, nat)
    standby = _standby(resource)
    if standby is not None:
        return standby
    if resource.type.startswith(_REGIONAL) or resource in TARGET_GROUPS or resource in APIS or resource in BUCKETS or resource in TABLES:
        return ZonePlacement(redundant="a regional service spread over the region's zones")
    return ZonePlacement()


def _group_placement(unit: Unit, group: Member) -> ZonePlacement:
    """An Auto Scaling group, ECS service, node group, managed instance group or scale set: the
    zones of its subnets, or of its zone list."""
    if group.has("subnets"):
        within = None
        if group.has("network"):
            network = first_block(group.value("network"))
            within = network if network is not None else {}
        subnets = span(unit, group.value("subnets", within))
        if subnets is not None:
            return ZonePlacement(span=subnets)
    for role, ids in (("zones", False), ("zone_ids", True)):
        if group.has(role):
            listed = zone_span(group.value(role), ids=ids)
            if listed is not None:
                return ZonePlacement(span=listed)
    if group.kind == "regional_instance_group":
        return ZonePlacement(redundant="a regional instance group spreads over the region's zones")
    if group.has("zone"):
        zone = group.value("zone")
        if isinstance(zone, str) and zone:
            return ZonePlacement(span=Span((_zone_entry(zone, 0),)))
    return ZonePlacement(unknown="the zones it runs in are not known")


def _azure_lb_placement(unit: Unit, lb: Resource) -> ZonePlacement:
    """An Azure load balancer's frontends: an internal frontend's own `zones`, a public one's
    public IP's. Frontends in several zones are zone-redundant (the frontend survives a zone);
    in one zone, they fail with it."""
    zones: set[str] = set()
    frontends = blocks(lb.attributes.get("frontend_ip_configuration")) or []
    for index, frontend in enumerate(frontends):
        listed = frontend.get("zones")
        if listed is None:
            prefix = f"frontend_ip_configuration[{index}].public_ip_address_id"
            addresses = [r for ref in lb.references if ref.path.startswith(prefix) for r in unit.resolve(ref.target)]
            listed = addresses[0].attributes.get("zones") if len(addresses) == 1 else None
        if not isinstance(listed, list) or not listed or not all(isinstance(z, (str, int)) for z in listed):
            return ZonePlacement(unknown="the zones of its frontends are not known")
        zones.update(str(z) for z in listed)
    if not zones:
        return ZonePlacement(unknown="the zones of its frontends are not known")
    if len(zones) > 1:
        return ZonePlacement(redundant="its frontends are zone-redundant")
    return ZonePlacement(span=Span(tuple(_zone_entry(z, i) for i, z in enumerate(sorted(zones)))))


def _nat_placement(unit: Unit, gateway: Member) -> ZonePlacement:
    """A NAT gateway lives in the zone of its subnet (AWS) or of its one zone (Azure, whose
    `zones` are read above); a regional NAT gateway spans the region."""
    if nat_is_zonal(gateway) is False:
        return ZonePlacement(redundant="a regional NAT gateway spans the region's zones")
    for egress in nat_egress(unit):
        if egress.gateway is gateway.resource and egress.zone is not None:
            return ZonePlacement(span=Span((_zone_entry(egress.zone.value, 0),)))
    return ZonePlacement(unknown="the zone it is created in is not known")


def _standby(resource: Resource) -> ZonePlacement | None:
    """Databases and caches: a standby in another zone, a known zone, or unknown."""
    flag: Any = None
    zone: Any = None
    database = DATABASES.member(resource) or CACHES.member(resource)
    if database is None:
        return None
    if database.kind in CLUSTER_KINDS:
        return ZonePlacement(redundant="its storage spans three zones and an instance in another zone takes over", standby=True)
    if database.has("multi_az"):
        flag = database.value("multi_az")
        if flag is None and database.has("automatic_failover"):
            flag = database.value("automatic_failover")
    elif database.has("availability"):
        tier = database.value("availability")
        flag = tier if isinstance(tier, Unknown) else (isinstance(tier, str) and tier.upper() == "REGIONAL")
    elif database.has("zone_redundant"):
        flag = database.value("zone_redundant")
    elif database.has("high_availability"):
        flag = database.value("high_availability")
        flag = flag if isinstance(flag, Unknown) else flag is not None
    if database.has("zone"):
        zone = database.value("zone")
    if isinstance(flag, Unknown):
        return ZonePlacement(unknown=brief(f"whether it has a standby in another zone is not known ({flag.reason})"))
    if flag is not None and as_bool(flag) is True:
        return ZonePlacement(redundant="its standby in another zone takes over", standby=True)
    if isinstance(zone, str) and zone:
        return ZonePlacement(span=Span((_zone_entry(zone, 0),)))
    return ZonePlacement(unknown="it has no standby and the zone it runs in is not known")


def _zone_entry(value: str, position: int) -> Any:
    from resilint.relations.network import Entry

    kind = "id" if "-az" in value else "name"
    return Entry(identity=f"zone:{kind}:{value}", label=value, zone=Zone(kind, value))


def _hits(zone: Zone | None, failed: Target) -> bool | None:
    """Whether a zone is the failed one; None when it cannot be told."""
    if zone is None:
        return None
    if failed.cloud == "azure":
        return zone.value == failed.name
    if zone.kind != failed.zone_kind:
        return None  # names and IDs map differently in every account
    return zone.value == failed.name


def _zone_status(unit: Unit, resource: Resource, failed: Target) -> Status:
    placement = zone_placement(unit, resource)
    if placement.redundant is not None:
        if placement.standby:
            return Status("degraded", f"zone {failed.name} failed; {placement.redundant}")
        return UP
    if placement.span is None:
        return Status("unknown", f"zone {failed.name} failed; {placement.unknown}")
    entries = placement.span.distinct
    hits = [_hits(e.zone, failed) for e in entries]
    survivors = {e.zone for e, hit in zip(entries, hits, strict=True) if hit is False and e.zone is not None}
    if all(hit is True for hit in hits):
        return Status("down", f"zone {failed.name} failed")
    if all(hit is False for hit in hits):
        return UP
    if survivors or placement.span.zone_count() >= 2:
        lost = "loses" if any(hits) else "may lose"
        return Status("degraded", f"zone {failed.name} failed; it {lost} that zone's capacity and runs on in the others")
    return Status("unknown", f"zone {failed.name} failed; the zones of {placement.span.describe()} are not known")
