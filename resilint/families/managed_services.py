"""Managed services that run in one availability zone unless told otherwise: search domains,
message brokers and data warehouses.

Kinds of `MANAGED_SERVICES`: `search_domain` (roles: `cluster`, the block holding the rest;
`zone_awareness`, `standby`, `instance_count`), `message_broker` (`deployment_mode`; words
`default_mode` where the source has a default, `multi_az_modes`), `warehouse` (`multi_az`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

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
        ),
        cloudformation("AWS::AmazonMQ::Broker", "message_broker", service="Amazon MQ", deployment_mode="DeploymentMode"),
        terraform("aws_redshift_cluster", "warehouse", service="Redshift", multi_az="multi_az"),
        cloudformation("AWS::Redshift::Cluster", "warehouse", service="Redshift", multi_az="MultiAZ"),
    ),
)
