"""Roles of resources that only support a workload (issue 13 corpus false positives FP-6, FP-11)."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.discover import discover
from resilint.model import Location, Resource, Unit
from resilint.parsers import ParseOptions, build_project
from resilint.relations.footprint import footprint, role


def _resource(type_: str) -> Resource:
    return Resource(
        source="terraform", type=type_, address=f"{type_}.x", unit="u", provider="p", cloud="azure",
        location=Location(path="main.tf", line=1, end_line=1),
    )


@pytest.mark.parametrize(
    "type_",
    [
        "azurerm_express_route_circuit",
        "azurerm_express_route_circuit_peering",
        "azurerm_private_dns_resolver",
        "azurerm_private_dns_resolver_inbound_endpoint",
        "azurerm_ip_group",
        "azurerm_firewall_policy",
        "azurerm_firewall_policy_rule_collection_group",
        "Custom::GetFromJson",
        "AWS::CloudFormation::CustomResource",
        "google_kms_autokey_config",  # a folder's setting: no location, no key material
    ],
)
def test_networking_and_deploy_time_plumbing_is_support(type_: str) -> None:
    assert role(_resource(type_)) == "support"


def test_a_cloud_kms_key_ring_holds_data() -> None:
    assert role(_resource("google_kms_key_ring")) == "data"


def test_a_workload_is_not_support() -> None:
    assert role(_resource("azurerm_linux_web_app")) != "support"


# One classification of a unit for Terraform, plans and CloudFormation (issue 12, item 3) -----

_TF_DATA = (
    'provider "aws" {\n  region = "eu-north-1"\n}\n'
    'resource "aws_db_instance" "orders" {\n  engine = "postgres"\n}\n'
    'resource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n}\n'
)
_PLAN_DATA = (
    '{"format_version":"1.2","planned_values":{"root_module":{"resources":['
    '{"address":"aws_db_instance.orders","mode":"managed","type":"aws_db_instance","name":"orders",'
    '"provider_name":"registry.terraform.io/hashicorp/aws","values":{"engine":"postgres"}},'
    '{"address":"aws_sqs_queue.jobs","mode":"managed","type":"aws_sqs_queue","name":"jobs",'
    '"provider_name":"registry.terraform.io/hashicorp/aws","values":{"name":"jobs"}}]}},'
    '"configuration":{"provider_config":{"aws":{"name":"aws","expressions":{"region":{"constant_value":"eu-north-1"}}}}}}'
)
_CFN_DATA = (
    'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
    "  Orders:\n    Type: AWS::RDS::DBInstance\n    Properties: {Engine: postgres}\n"
    "  Jobs:\n    Type: AWS::SQS::Queue\n"
)
_SERVING: dict[str, str] = {
    "main.tf": 'resource "aws_lambda_function" "api" {\n  function_name = "api"\n}\n',
    "template.yaml": "  Api:\n    Type: AWS::Lambda::Function\n    Properties: {Runtime: python3.12, Handler: a.b}\n",
}


def _unit(tmp_path: Path, name: str, text: str) -> Unit:
    (tmp_path / name).write_text(text)
    files = discover([tmp_path])
    (unit,) = build_project(files.files, files.problems, ParseOptions()).units
    return unit


@pytest.mark.parametrize(("name", "text"), [("main.tf", _TF_DATA), ("plan.json", _PLAN_DATA), ("template.yaml", _CFN_DATA)])
def test_a_unit_of_data_has_no_serving_footprint_in_every_source(tmp_path: Path, name: str, text: str) -> None:
    found = footprint(_unit(tmp_path, name, text))
    assert found.kind == "data" and found.serving == ()
    assert {r.address.split(".")[-1].lower() for r in found.having("data")} == {"orders"}
    assert {r.address.split(".")[-1].lower() for r in found.having("other")} == {"jobs"}


@pytest.mark.parametrize(("name", "text"), [("main.tf", _TF_DATA), ("template.yaml", _CFN_DATA)])
def test_compute_beside_the_data_is_the_serving_footprint(tmp_path: Path, name: str, text: str) -> None:
    found = footprint(_unit(tmp_path, name, text + _SERVING[name]))
    assert found.kind == "serving"
    assert [r.address.lower().split(".")[-1] for r in found.serving] == ["api"]


@pytest.mark.parametrize(
    "type_",
    [
        "azurerm_kubernetes_automatic_cluster",
        "azurerm_machine_learning_compute_cluster",
        "azurerm_dev_test_windows_virtual_machine",
        "azurerm_stream_analytics_job",
        "azurerm_search_service",
        "azurerm_cognitive_account",
        "azurerm_iothub",
        "azurerm_synapse_workspace",
        "aws_glue_job",
        "AWS::Glue::Job",
        "AWS::KinesisAnalyticsV2::Application",
        "google_dataproc_cluster",
        "google_dataflow_job",
    ],
)
def test_compute_and_entry_points_of_managed_services_serve(type_: str) -> None:
    """Compute and request endpoints outside the usual instance/container/function types (seen on
    the corpus: AKS Automatic, Azure ML compute, DevTest VMs, Stream Analytics, search and AI
    endpoints, Glue jobs): without them a unit would have no serving footprint, and no RES101."""
    assert role(_resource(type_)) == "serving"


@pytest.mark.parametrize("type_", ["azurerm_app_configuration", "azurerm_eventhub_namespace", "azurerm_kubernetes_fleet_manager", "aws_sqs_queue"])
def test_stores_queues_and_management_planes_do_not_serve(type_: str) -> None:
    assert role(_resource(type_)) != "serving"


@pytest.mark.parametrize(
    ("azure_type", "expected"),
    [
        ("Microsoft.ContainerService/managedClusters@2026-02-01", "serving"),
        ("Microsoft.ContainerService/ManagedClusters@2024-05-01", "serving"),
        ("Microsoft.Web/sites@2023-12-01", "serving"),
        ("Microsoft.ContainerRegistry/registries@2020-11-01-preview", "other"),
        ("Microsoft.StorageActions/storageTasks@2023-01-01", "other"),
    ],
)
def test_an_azapi_resource_serves_by_the_azure_type_it_names(azure_type: str, expected: str) -> None:
    resource = _resource("azapi_resource").model_copy(update={"attributes": {"type": azure_type}})
    assert role(resource) == expected
