"""RES316 managed-service-single-az: which managed services are flagged, with which message,
on which line and at which severity; the multi-zone forms, development tiers and unknown values
that never fire."""

from __future__ import annotations

from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "managed_service_single_az"


def _findings(path: Path) -> list[Finding]:
    return [f for f in scan([path], Settings(select=("RES316",)), ParseOptions()).findings if f.rule_id == "RES316"]


def test_managed_services_in_one_zone_are_named_terraform() -> None:
    findings = _findings(FIXTURES / "fail_single_az_services")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("aws_opensearch_domain.search", 5, "warning"),
        ("aws_elasticsearch_domain.logs", 15, "warning"),
        ("aws_mq_broker.orders", 19, "warning"),
        ("aws_redshift_cluster.warehouse", 26, "note"),
    ]
    assert "(cluster_config.zone_awareness_enabled is not set; the default is false)" in findings[0].message
    assert "(deployment_mode is not set; the default is SINGLE_INSTANCE)" in findings[2].message
    assert "CLUSTER_MULTI_AZ" in (findings[2].fix or "")


def test_managed_services_in_one_zone_are_named_cloudformation() -> None:
    findings = _findings(FIXTURES / "fail_cloudformation")
    assert [(f.resource, f.line) for f in findings] == [("Search", 3), ("Orders", 11), ("Warehouse", 22)]
    assert "(ClusterConfig.ZoneAwarenessEnabled = false)" in findings[0].message
    assert "(DeploymentMode: SINGLE_INSTANCE)" in findings[1].message


def test_multi_az_managed_services_and_unknown_modes_are_quiet() -> None:
    for case in (
        "pass_multi_az_services",
        "pass_unknown_values",
        "pass_msk_replicated",
        "pass_gcp_regional_services",
        "pass_azure_services",
        "pass_dev_tiers",
    ):
        assert _findings(FIXTURES / case) == [], case


def test_msk_cluster_with_one_replica_per_partition_names_its_configuration() -> None:
    (tf,) = _findings(FIXTURES / "fail_msk_replication_factor_one")
    assert (tf.resource, tf.line, tf.severity.value) == ("aws_msk_cluster.events", 16, "warning")
    assert tf.message.startswith(
        "aws_msk_cluster.events uses aws_msk_configuration.events, which sets default.replication.factor=1"
    )
    assert tf.fix is not None and "server_properties" in tf.fix and "default.replication.factor=3" in tf.fix
    (cfn,) = _findings(FIXTURES / "fail_cfn_msk_replication_factor_one")
    assert (cfn.resource, cfn.line) == ("Events", 10)
    assert cfn.fix is not None and "EventsConfiguration's ServerProperties" in cfn.fix


def test_zonal_filestore_tiers_and_single_cluster_bigtable_are_named() -> None:
    findings = _findings(FIXTURES / "fail_gcp_zonal_services")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("google_filestore_instance.media", 6, "warning"),
        ("google_filestore_instance.scratch", 22, "warning"),
        ("google_bigtable_instance.events", 38, "warning"),
    ]
    assert '(tier = "BASIC_SSD", location = "europe-west1-b")' in findings[0].message
    assert findings[0].fix is not None and 'tier = "REGIONAL"' in findings[0].fix
    assert findings[2].message.startswith("google_bigtable_instance.events has one cluster block in europe-west1-b")


def test_azure_tiers_without_zones_warn_and_messaging_namespaces_are_notes() -> None:
    findings = _findings(FIXTURES / "fail_azure_services")
    assert [(f.resource, f.line, f.severity.value) for f in findings] == [
        ("azurerm_api_management.standard", 10, "warning"),
        ("azurerm_api_management.pinned", 19, "warning"),
        ("azurerm_servicebus_namespace.orders", 29, "note"),
        ("azurerm_eventhub_namespace.clicks", 36, "note"),
    ]
    assert 'in the Standard tier (sku_name = "Standard_1")' in findings[0].message
    assert '(zones = ["1"])' in findings[1].message
    assert "Premium feature" in findings[2].message
    assert findings[3].fix is not None and findings[3].fix.startswith("Remove zone_redundant = false")


def test_a_broker_of_a_production_size_is_judged_where_a_micro_one_is_not(tmp_path: Path) -> None:
    broker = 'resource "aws_mq_broker" "b" {{\n  broker_name = "b"\n  engine_type = "ActiveMQ"\n  host_instance_type = "{size}"\n}}\n'
    write(tmp_path / "micro", {"main.tf": broker.format(size="mq.t3.micro")})
    write(tmp_path / "large", {"main.tf": broker.format(size="mq.m5.large")})
    assert _findings(tmp_path / "micro") == []
    assert [f.resource for f in _findings(tmp_path / "large")] == ["aws_mq_broker.b"]
