"""RES316 managed-service-single-az."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import DEFAULT, first_block
from resilint.families.base import CLOUDFORMATION, Member
from resilint.families.managed_services import MANAGED_SERVICES
from resilint.model import Project, Unit
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool, as_str

_MULTI_AZ_BROKER_MODES = ("ACTIVE_STANDBY_MULTI_AZ", "CLUSTER_MULTI_AZ")


@rule(
    id="RES316",
    name="managed-service-single-az",
    severity=Severity.WARNING,
    summary="Search domain, message broker or data warehouse running in one availability zone",
    fix="Turn on the service's multi-AZ mode (zone awareness, an active/standby or cluster broker, Redshift Multi-AZ)",
    tags=("az", "aws"),
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
      note: relocation can move a cluster after a zone fails, but not without downtime.

    Values resilint cannot resolve (a variable without a default, a value computed at apply)
    never fire.

    ## Why is this bad?
    When the zone of a single-AZ domain or broker fails, the service is down until AWS restores
    the zone: search stops answering, producers and consumers of the broker stall, and
    everything in front of them fails with them, however many zones the application's own
    compute spans. The multi-AZ modes keep replicas (or a standby broker) in other zones and
    fail over to them.

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
    """
    for member in MANAGED_SERVICES.members(unit):
        if member.kind == "search_domain":
            yield from _search_domain(member)
        elif member.kind == "message_broker":
            yield from _broker(member)
        elif member.kind == "warehouse":
            yield from _warehouse(member)


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
