"""RES316 managed-service-single-az."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import DEFAULT, as_int, blocks, first_block
from resilint.families.base import CLOUDFORMATION, Member
from resilint.families.managed_services import (
    MANAGED_SERVICES,
    api_management_tier,
    is_dev_tier,
    kafka_properties,
    zonal_file_share_tier,
)
from resilint.model import Project, Unit
from resilint.relations.network import referenced
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool, as_str

_MULTI_AZ_BROKER_MODES = ("ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ")


@rule(
    id="RES316",
    name="managed-service-single-az",
    severity=Severity.WARNING,
    summary="A managed search, messaging, file, Bigtable or API service in one zone",
    fix="Turn on the service's multi-zone mode, or move it to a tier that spans zones",
    tags=("az", "aws", "azure", "gcp"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags managed services that keep all their nodes in one availability zone:

    - OpenSearch and Elasticsearch domains (`aws_opensearch_domain`, `aws_elasticsearch_domain`,
      `AWS::OpenSearchService::Domain`) whose `cluster_config.zone_awareness_enabled` is false or
      not set (the default), unless Multi-AZ with Standby is on;
    - Amazon MQ brokers (`aws_mq_broker`, `AWS::AmazonMQ::Broker`) in `SINGLE_INSTANCE` mode
      (Terraform's default);
    - Redshift clusters (`aws_redshift_cluster`, `AWS::Redshift::Cluster`) without Multi-AZ, as a
      note: relocation can move a cluster after a zone fails, but not without downtime;
    - MSK clusters (`aws_msk_cluster`, `AWS::MSK::Cluster`) whose configuration
      (`aws_msk_configuration`, `AWS::MSK::Configuration` of the same code, named in
      `configuration_info.arn` / `ConfigurationInfo.Arn`) sets `default.replication.factor=1`:
      MSK itself always spreads brokers over two or three zones, but a topic with one replica
      lives on one broker in one zone;
    - Filestore instances (`google_filestore_instance`) in a zonal tier: `BASIC_HDD`,
      `BASIC_SSD` (formerly `STANDARD`, `PREMIUM`) and `ZONAL` (formerly `HIGH_SCALE_SSD`);
    - Bigtable instances (`google_bigtable_instance`) with one `cluster` block: a cluster lives in
      one zone;
    - API Management instances (`azurerm_api_management`) in the `Basic`, `Standard` or `BasicV2`
      tier, which have no availability-zone support, and `Premium` instances pinned to one zone
      (`zones = ["1"]`); a Premium instance without `zones` is spread over the zones by Azure,
      and the `StandardV2` and `PremiumV2` tiers (zone redundancy chosen at creation) and
      `Consumption` are not judged;
    - Service Bus namespaces (`azurerm_servicebus_namespace`) in the `Basic` or `Standard` tier,
      as a note: availability zones are a Premium feature;
    - Event Hubs namespaces (`azurerm_eventhub_namespace`) that set `zone_redundant = false`, as a
      note. Azure now makes Event Hubs and Premium Service Bus namespaces zone-redundant by
      itself in regions with zones, and the azurerm provider 4 deprecates `zone_redundant`, so
      leaving it out is never flagged, and neither is `zone_redundant = false` on a Premium
      Service Bus namespace.

    Development tiers: a resource in a tier that its provider offers for development only and
    that cannot be made multi-zone (an Amazon MQ broker on `mq.t2.micro` / `mq.t3.micro`, a
    Bigtable instance with `instance_type = "DEVELOPMENT"`, an API Management `Developer_1`
    instance) is not judged: the fix there is a production tier, not a zone setting. resilint
    does not guess environments from names or tags (a `dev` folder, an `environment = "dev"`
    tag), so a single-node OpenSearch domain or a `SINGLE_INSTANCE` broker of a production size
    is flagged wherever it is; silence one you keep on purpose with
    `# resilint:ignore=RES316 <reason>`.

    Values resilint cannot resolve (a variable without a default, a value computed at apply, a
    configuration made outside the code) never fire.

    ## Why is this bad?
    When the zone of a single-zone service fails, the service is down until the provider
    restores the zone: search stops answering, producers and consumers of a broker stall, file
    shares hang, the API gateway stops routing, and everything in front of them fails with
    them, however many zones the application's own compute spans. The multi-zone modes keep
    replicas (or a standby) in other zones and fail over to them.

    ## Example
    ```hcl
    resource "aws_mq_broker" "orders" {
      broker_name        = "orders"
      engine_type        = "RabbitMQ"
      host_instance_type = "mq.m5.large"
      # deployment_mode defaults to SINGLE_INSTANCE
    }
    ```

    Use instead:
    ```hcl
    resource "aws_mq_broker" "orders" {
      broker_name        = "orders"
      engine_type        = "RabbitMQ"
      host_instance_type = "mq.m5.large"
      deployment_mode    = "CLUSTER_MULTI_AZ"
    }
    ```

    ## References
    - https://docs.aws.amazon.com/opensearch-service/latest/developerguide/managedomains-multiaz.html
    - https://docs.aws.amazon.com/amazon-mq/latest/developer-guide/amazon-mq-broker-architecture.html
    - https://docs.aws.amazon.com/redshift/latest/mgmt/managing-cluster-multi-az.html
    - https://docs.aws.amazon.com/msk/latest/developerguide/bestpractices.html
    - https://cloud.google.com/filestore/docs/service-tiers
    - https://cloud.google.com/bigtable/docs/replication-overview
    - https://learn.microsoft.com/en-us/azure/api-management/zone-redundancy
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-service-bus
    """
    for member in MANAGED_SERVICES.members(unit):
        if is_dev_tier(member):
            continue  # a development-only tier: it cannot be made multi-zone, only replaced
        if member.kind == "search_domain":
            yield from _search_domain(member)
        elif member.kind == "message_broker":
            yield from _broker(member)
        elif member.kind == "warehouse":
            yield from _warehouse(member)
        elif member.kind == "kafka_cluster":
            yield from _kafka_cluster(unit, member)
        elif member.kind == "file_share":
            yield from _file_share(member)
        elif member.kind == "bigtable_instance":
            yield from _bigtable_instance(member)
        elif member.kind == "service_bus":
            yield from _service_bus(member)
        elif member.kind == "event_hubs":
            yield from _event_hubs(member)
        elif member.kind == "api_management":
            yield from _api_management(member)


def _off(name: str, value: Any) -> str | None:
    """How a message shows a switch known to be off; None when on or unknown."""
    if value is DEFAULT:
        return f"{name} is not set; the default is false"
    if as_bool(value) is False:
        return f"{name} = false"
    return None


def _search_domain(domain: Member) -> Iterator[Violation]:
    block_name, block_value = domain.setting("cluster")
    if block_value is DEFAULT:
        cluster: dict[str, Any] = {}
    else:
        found = first_block(block_value)
        if found is None:
            return  # the block itself is unknown
        cluster = found
    standby_name, standby = domain.setting("standby", within=cluster)
    if standby is not DEFAULT and as_bool(standby) is not False:
        return  # Multi-AZ with Standby is on, or may be
    awareness_name, awareness = domain.setting("zone_awareness", within=cluster)
    why = _off(f"{block_name}.{awareness_name}", awareness)
    if why is None:
        return
    yield Violation(
        f"{domain.address} keeps every {domain.service} node in one availability zone ({why}): when that zone "
        "fails, the domain stops answering",
        at=domain.resource,
        fix=domain.word("fix"),
    )


def _broker(broker: Member) -> Iterator[Violation]:
    name, mode = broker.setting("deployment_mode")
    if mode is DEFAULT:
        default = broker.says("default_mode")
        if default is None:
            return  # no default in this source: nothing to judge
        why = f"{name} is not set; the default is {default}"
    elif as_str(mode) == "SINGLE_INSTANCE":
        why = broker.assignment("deployment_mode", "SINGLE_INSTANCE" if broker.source == CLOUDFORMATION else '"SINGLE_INSTANCE"')
    else:
        return
    yield Violation(
        f"{broker.address} is a single {broker.service} broker in one availability zone ({why}): when that zone "
        "fails, producers and consumers have no broker",
        at=broker.resource,
        fix=(
            f"Set {broker.argument('deployment_mode')} to ACTIVE_STANDBY_MULTI_AZ (ActiveMQ) or "
            "CLUSTER_MULTI_AZ (RabbitMQ)"
        ),
    )


def _warehouse(cluster: Member) -> Iterator[Violation]:
    name, value = cluster.setting("multi_az")
    why = _off(name, value)
    if why is None:
        return
    yield Violation(
        f"{cluster.address} runs in one availability zone ({why}): when that zone fails, the warehouse is down "
        "until it is relocated or restored in another zone",
        at=cluster.resource,
        fix=f"Set {cluster.assignment('multi_az', 'true')} (RA3 node types) so that Redshift keeps compute in a second zone",
        severity=Severity.NOTE,
    )


def _kafka_cluster(unit: Unit, cluster: Member) -> Iterator[Violation]:
    block = first_block(cluster.value("configuration"))
    if block is None:
        return  # MSK's default configuration: replication follows the cluster's zones
    configuration = referenced(unit, cluster.value("configuration_arn", within=block))
    member = MANAGED_SERVICES.member(configuration) if configuration is not None else None
    if member is None or member.kind != "kafka_configuration":
        return  # a configuration made elsewhere: not known
    settings = kafka_properties(member.value("server_properties"))
    factor = as_int(settings.get("default.replication.factor")) if settings is not None else None
    if factor != 1:
        return
    yield Violation(
        f"{cluster.address} uses {member.address}, which sets default.replication.factor=1: every topic "
        "created with the default keeps its partitions on one broker, in one availability zone, and they "
        "stop answering when that zone fails",
        at=cluster.resource,
        fix=(
            f"Set default.replication.factor=3 (2 on a two-zone cluster) and min.insync.replicas=2 in "
            f"{member.address}'s {member.argument('server_properties')}"
        ),
    )


def _file_share(share: Member) -> Iterator[Violation]:
    name, value = share.setting("tier")
    tier = zonal_file_share_tier(value)
    if tier is None:
        return
    location = share.value("location")
    where = f', {share.argument("location")} = "{location}"' if isinstance(location, str) else ""
    yield Violation(
        f'{share.address} is a {share.service} instance in a zonal tier ({name} = "{tier}"{where}): it lives in '
        "one zone, and its file shares are unreachable while that zone is down",
        at=share.resource,
        fix=f'Use {name} = "REGIONAL" (or "ENTERPRISE"), which keeps the instance available across the region\'s zones',
    )


def _bigtable_instance(instance: Member) -> Iterator[Violation]:
    if instance.resource.count_unknown:
        return
    clusters = blocks(instance.value("clusters"))
    if clusters is None or len(clusters) != 1:
        return  # unknown (dynamic blocks), none written, or replicated across clusters
    zone = clusters[0].get(instance.argument("zone"))
    where = f' in {zone}' if isinstance(zone, str) else ""
    yield Violation(
        f"{instance.address} has one {instance.argument('clusters')} block{where}: a Bigtable cluster lives in "
        "one zone, so the instance stops serving when that zone fails",
        at=instance.resource,
        fix=(
            f"Add a second {instance.argument('clusters')} block in another zone (or region) and an app profile "
            "with multi-cluster routing, so that Bigtable fails over between them"
        ),
    )


def _service_bus(namespace: Member) -> Iterator[Violation]:
    name, sku = namespace.setting("sku")
    tier = as_str(sku)
    if tier is None or tier.strip().lower() not in ("basic", "standard"):
        return
    yield Violation(
        f'{namespace.address} is a {tier.strip()} {namespace.service} namespace ({name} = "{tier}"): availability '
        "zones are a Premium feature, so a zone outage can take the namespace and its queues down",
        at=namespace.resource,
        fix=f'Use {name} = "Premium" in a region with availability zones (Premium namespaces there are zone-redundant)',
        severity=Severity.NOTE,
    )


def _event_hubs(namespace: Member) -> Iterator[Violation]:
    name, value = namespace.setting("zone_redundant")
    if value is DEFAULT or as_bool(value) is not False:
        return
    yield Violation(
        f"{namespace.address} asks for an {namespace.service} namespace that is not zone-redundant ({name} = false): "
        "where Azure honours it, the namespace keeps its events in one zone",
        at=namespace.resource,
        fix=(
            f"Remove {name} = false (the provider deprecates it; Azure makes namespaces zone-redundant in regions "
            "with availability zones)"
        ),
        severity=Severity.NOTE,
    )


def _api_management(service: Member) -> Iterator[Violation]:
    sku_name, sku = service.setting("sku")
    tier = api_management_tier(sku)
    zones_name, zones = service.setting("zones")
    if tier in ("Basic", "Standard", "BasicV2"):
        yield Violation(
            f'{service.address} is an {service.service} instance in the {tier} tier ({sku_name} = "{sku}"), which '
            "has no availability-zone support: a zone outage can take its gateway down",
            at=service.resource,
            fix=(
                f'Use the Premium tier ({sku_name} = "Premium_2" or more units); it spreads the units over the '
                "region's zones"
            ),
        )
    elif tier == "Premium" and isinstance(zones, list) and len(zones) == 1 and isinstance(zones[0], (str, int)):
        yield Violation(
            f'{service.address} pins its {service.service} units to one availability zone ({zones_name} = ["{zones[0]}"]): '
            "when that zone fails, the gateway is down",
            at=service.resource,
            fix=(
                f"List two or more zones in {zones_name} with at least as many units, or leave it out so that "
                "Azure spreads the units over the zones itself"
            ),
        )
