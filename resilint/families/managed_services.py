"""Managed services that run in one availability zone unless told otherwise: search domains,
message brokers, data warehouses, Kafka clusters, file shares, Bigtable instances, Azure
messaging namespaces and API gateways.

Kinds of `MANAGED_SERVICES`: `search_domain` (roles: `cluster`, the block holding the rest;
`zone_awareness`, `standby`, `instance_count`), `message_broker` (`deployment_mode`,
`instance_type`; words `default_mode` where the source has a default), `warehouse`
(`multi_az`), `kafka_cluster` (`configuration`, the block naming its configuration, and
`configuration_arn` within it), `kafka_configuration` (`server_properties`), `file_share`
(`tier`, `location`), `bigtable_instance` (`clusters`, the cluster blocks, `zone` within each,
`instance_type`), `service_bus` and `event_hubs` (`sku`, `zone_redundant`), `api_management`
(`sku`, `zones`).

Facts: `is_dev_tier(member)`: the member runs in a tier its provider offers for development
only, one that cannot be made multi-zone (an `mq.t3.micro` broker, a Bigtable `DEVELOPMENT`
instance, an API Management `Developer` instance); `zonal_file_share_tier(tier)`;
`kafka_properties(text)`: the settings of a Kafka `server.properties` text.
"""

from __future__ import annotations

from resilint.arguments import as_str
from resilint.families.base import Family, Member, cloudformation, terraform

MANAGED_SERVICES = Family(
    "managed service",
    (
        *(
            terraform(
                type_,
                "search_domain",
                service=service,
                words={
                    "fix": (
                        "Set cluster_config.zone_awareness_enabled = true with zone_awareness_config "
                        "{ availability_zone_count = 3 } (or 2) and an instance_count that is a multiple of it, "
                        "or multi_az_with_standby_enabled = true"
                    ),
                },
                cluster="cluster_config",
                zone_awareness="zone_awareness_enabled",
                standby="multi_az_with_standby_enabled",
                instance_count="instance_count",
            )
            for type_, service in (("aws_opensearch_domain", "OpenSearch"), ("aws_elasticsearch_domain", "Elasticsearch"))
        ),
        cloudformation(
            "AWS::OpenSearchService::Domain",
            "search_domain",
            service="OpenSearch",
            words={
                "fix": (
                    "Set ClusterConfig.ZoneAwarenessEnabled: true with ZoneAwarenessConfig.AvailabilityZoneCount: 3 "
                    "(or 2) and an InstanceCount that is a multiple of it, or MultiAZWithStandbyEnabled: true"
                ),
            },
            cluster="ClusterConfig",
            zone_awareness="ZoneAwarenessEnabled",
            standby="MultiAZWithStandbyEnabled",
            instance_count="InstanceCount",
        ),
        terraform(
            "aws_mq_broker",
            "message_broker",
            service="Amazon MQ",
            words={"default_mode": "SINGLE_INSTANCE"},
            deployment_mode="deployment_mode",
            instance_type="host_instance_type",
        ),
        cloudformation(
            "AWS::AmazonMQ::Broker",
            "message_broker",
            service="Amazon MQ",
            deployment_mode="DeploymentMode",
            instance_type="HostInstanceType",
        ),
        terraform("aws_redshift_cluster", "warehouse", service="Redshift", multi_az="multi_az"),
        cloudformation("AWS::Redshift::Cluster", "warehouse", service="Redshift", multi_az="MultiAZ"),
        terraform(
            "aws_msk_cluster",
            "kafka_cluster",
            service="MSK",
            configuration="configuration_info",
            configuration_arn="arn",
        ),
        cloudformation(
            "AWS::MSK::Cluster",
            "kafka_cluster",
            service="MSK",
            configuration="ConfigurationInfo",
            configuration_arn="Arn",
        ),
        terraform("aws_msk_configuration", "kafka_configuration", server_properties="server_properties"),
        cloudformation("AWS::MSK::Configuration", "kafka_configuration", server_properties="ServerProperties"),
        terraform("google_filestore_instance", "file_share", service="Filestore", tier="tier", location=("location", "zone")),
        terraform(
            "google_bigtable_instance",
            "bigtable_instance",
            service="Bigtable",
            clusters="cluster",
            zone="zone",
            instance_type="instance_type",
        ),
        terraform(
            "azurerm_servicebus_namespace",
            "service_bus",
            service="Service Bus",
            sku="sku",
            zone_redundant="zone_redundant",
        ),
        terraform(
            "azurerm_eventhub_namespace",
            "event_hubs",
            service="Event Hubs",
            sku="sku",
            zone_redundant="zone_redundant",
        ),
        terraform("azurerm_api_management", "api_management", service="API Management", sku="sku_name", zones="zones"),
    ),
)

# Filestore tiers that keep an instance in one zone (BASIC_HDD and BASIC_SSD were STANDARD and
# PREMIUM, ZONAL was HIGH_SCALE_SSD); REGIONAL and ENTERPRISE instances span the region's zones.
ZONAL_FILE_SHARE_TIERS = ("BASIC_HDD", "BASIC_SSD", "STANDARD", "PREMIUM", "HIGH_SCALE_SSD", "ZONAL")

# Amazon MQ's micro instance types run single-instance brokers only and are offered for
# evaluation and development.
_DEV_BROKER_TYPES = ("mq.t2.micro", "mq.t3.micro")


def zonal_file_share_tier(tier: object) -> str | None:
    """The tier, upper-cased, when it is known to keep a Filestore instance in one zone."""
    name = as_str(tier)
    if name is None:
        return None
    name = name.strip().upper()
    return name if name in ZONAL_FILE_SHARE_TIERS else None


def api_management_tier(sku: object) -> str | None:
    """The tier of an API Management `sku_name` (`Premium_2` -> `Premium`), None when not known."""
    name = as_str(sku)
    if name is None or not name.strip():
        return None
    return name.strip().split("_", 1)[0]


def is_dev_tier(member: Member) -> bool:
    """Whether the member runs in a tier its provider offers for development only, which
    cannot be made multi-zone: judging its zones would only say that it is a development
    tier."""
    if member.kind == "message_broker":
        size = as_str(member.value("instance_type"))
        return size is not None and size.strip().lower() in _DEV_BROKER_TYPES
    if member.kind == "bigtable_instance":
        kind = as_str(member.value("instance_type"))
        return kind is not None and kind.strip().upper() == "DEVELOPMENT"
    if member.kind == "api_management":
        return api_management_tier(member.value("sku")) == "Developer"
    return False


def kafka_properties(text: object) -> dict[str, str] | None:
    """The `key=value` settings of a Kafka `server.properties` text (comments and blank lines
    skipped), None when the text is not known."""
    if not isinstance(text, str):
        return None
    found: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", "!")):
            continue
        key, sep, value = line.partition("=")
        if not sep:
            key, sep, value = line.partition(":")
        if sep:
            found[key.strip()] = value.strip()
    return found
