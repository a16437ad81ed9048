"""Terraform semantics on the fixtures under fixtures/parsers/terraform/: where every resource
runs, through aliases, modules with provider maps, tfvars, count/for_each, downloaded modules,
override files, OpenTofu provider for_each, and a plan."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resilint.discover import discover
from resilint.model import Project, Reference, Unit, Unknown
from resilint.parsers import ParseOptions, build_project

FIXTURES = Path("fixtures/parsers/terraform")


def load(case: str, **options: Any) -> Project:
    found = discover([FIXTURES / case])
    return build_project(found.files, found.problems, ParseOptions(**options))


def only_unit(case: str, **options: Any) -> Unit:
    project = load(case, **options)
    assert project.problems == ()
    (unit,) = project.units
    return unit


def regions(unit: Unit) -> dict[str, Any]:
    return {r.address: r.region for r in unit.resources}


def edges(unit: Unit, address: str) -> set[tuple[str, str | None, str]]:
    resource = unit.resource(address)
    assert resource is not None, address
    return {(r.target, r.attribute, r.path) for r in resource.references}


def test_aliases_local_names_and_clouds() -> None:
    unit = only_unit("aliases")
    assert regions(unit) == {
        "aws_lb.web": "eu-west-1",
        "aws_acm_certificate.cdn": "us-east-1",
        "aws_sqs_queue.frankfurt": "eu-central-1",  # AWS provider v6 per-resource region
        "aws_sqs_queue.tokyo": "ap-northeast-1",  # provider "tokyo" is an aws provider
        "aws_iam_role.app": None,
        "aws_ssm_parameter.regions": "eu-west-1",
        "aws_dynamodb_table.orders": "eu-west-1",
        "cloudflare_zone.example": None,
        "ns1_zone.example": None,
        "google_compute_instance.vm": "europe-west4",  # from the provider's zone
        "google_storage_bucket.assets": None,  # a multi-region is no single region
        "google_pubsub_topic.events": None,
        "azurerm_resource_group.rg": "westeurope",
        "azurerm_storage_account.data": "westeurope",
    }
    by_address = {r.address: r for r in unit.resources}
    assert (by_address["aws_sqs_queue.tokyo"].provider, by_address["aws_sqs_queue.tokyo"].cloud) == ("aws", "aws")
    assert by_address["aws_sqs_queue.tokyo"].provider_config == "tokyo"
    assert by_address["aws_acm_certificate.cdn"].provider_config == "aws.use1"
    assert (by_address["cloudflare_zone.example"].provider, by_address["cloudflare_zone.example"].cloud) == ("cloudflare", "cloudflare")
    assert by_address["ns1_zone.example"].cloud == "ns1"
    assert by_address["google_compute_instance.vm"].zones == ("europe-west4-b",)
    assert by_address["azurerm_storage_account.data"].zones == ("1", "2")
    assert by_address["aws_ssm_parameter.regions"].attributes["value"] == "eu-west-1,us-east-1"
    assert by_address["aws_dynamodb_table.orders"].get("replica.region_name") == "us-west-2"
    providers = {p.key: p.region for p in unit.providers}
    assert providers["cloudflare"] is None and providers["azurerm"] is None, "DNS and Azure providers have no region"
    assert providers["google"] == "europe-west4"
    assert ("azurerm_resource_group.rg", "location", "location") in edges(unit, "azurerm_storage_account.data")


def test_module_provider_maps_inheritance_and_instances() -> None:
    unit = only_unit("module_provider_maps")
    found = regions(unit)
    assert found["module.app.aws_lb.this"] == "eu-west-1"
    assert found["module.app.module.cache.aws_elasticache_replication_group.this"] == "eu-west-1"
    assert found["module.app_west.aws_lb.this"] == "us-west-2"
    # A nested module without a providers map inherits its caller's default: here aws.west.
    assert found["module.app_west.module.cache.aws_elasticache_replication_group.this"] == "us-west-2"
    assert found['module.regional["blue"].aws_lb.this'] == "eu-west-1"
    assert found["module.counted[1].module.cache.aws_elasticache_replication_group.this"] == "eu-west-1"
    assert found["module.replicated.aws_s3_bucket.source"] == "eu-west-1"
    assert found["module.replicated.aws_s3_bucket.destination"] == "us-west-2"
    lb = unit.resource("module.counted[1].aws_lb.this")
    assert lb is not None and lb.attributes["name"] == "canary-1"
    assert lb.location.path.endswith("modules/app/main.tf") and lb.location.line == 5


def test_references_cross_module_boundaries() -> None:
    unit = only_unit("module_provider_maps")
    assert ("module.app.aws_lb.this", "dns_name", "alias[0].name") in edges(unit, "aws_route53_record.www")
    assert ("module.app.aws_lb.this", "zone_id", "alias[0].zone_id") in edges(unit, "aws_route53_record.www")
    assert ('module.regional["blue"].aws_lb.this', "dns_name", "records[0]") in edges(unit, "aws_route53_record.blue")
    assert ("module.counted[1].aws_lb.this", "dns_name", "records[0]") in edges(unit, "aws_route53_record.canary")
    replication = "module.replicated.aws_s3_bucket_replication_configuration.this"
    assert edges(unit, replication) == {
        ("module.replicated.aws_s3_bucket.source", "id", "bucket"),
        ("module.replicated.aws_s3_bucket.destination", "arn", "rule[0].destination[0].bucket"),
    }


def test_tfvars_precedence_and_type_conversion() -> None:
    unit = only_unit("tfvars_overrides")
    main = unit.resource("aws_db_instance.main")
    assert main is not None
    assert main.region == "eu-central-1", "terraform.tfvars overrides the default"
    assert main.attributes["multi_az"] is True, '"true" in a .tfvars file is a bool for a bool variable'
    assert main.attributes["instance_class"] == "db.r6g.large", "optional() default"
    assert main.attributes["backup_window"] is None, "optional() without a default is null"
    assert isinstance(main.attributes["tags"]["env"], Unknown), "var.env has no value anywhere"
    # b.auto.tfvars.json comes after a.auto.tfvars in name order, so it wins.
    assert [r.region for r in unit.resources if r.type == "aws_db_instance" and r.address != "aws_db_instance.main"] == ["eu-west-2"]


def test_cli_var_file_var_and_environment() -> None:
    unit = only_unit(
        "tfvars_overrides",
        var_files=(FIXTURES / "tfvars_overrides/env/prod.tfvars",),
        variables=(("region", "us-east-2"), ("replicas", "3")),
        environment={"TF_VAR_env": "prod", "TF_VAR_region": "ignored: --var wins"},
    )
    main = unit.resource("aws_db_instance.main")
    assert main is not None
    assert main.region == "us-east-2"
    assert main.attributes["instance_class"] == "db.m6g.large"
    assert main.attributes["tags"] == {"team": "payments", "env": "prod"}
    assert [r.address for r in unit.resources][1:] == [f"aws_db_instance.replica[{i}]" for i in range(3)], "--var beats --var-file"


def test_count_and_for_each() -> None:
    unit = only_unit("count_for_each")
    by_address = {r.address: r for r in unit.resources}
    assert by_address['aws_subnet.this["b"]'].attributes["cidr_block"] == "10.0.1.0/24"
    assert by_address['aws_subnet.this["b"]'].zones == ("eu-west-1b",)
    assert by_address['aws_sqs_queue.regional["us-east-1"]'].region == "us-east-1"
    assert by_address['module.queues["us-east-1"].aws_sqs_queue.this'].region == "us-east-1"
    assert by_address['module.queues["eu-west-1"].aws_sqs_queue.this'].region == "eu-west-1"
    # Unknown multiplicity: one resource, marked, for a resource and for everything in a module.
    assert by_address["aws_subnet.per_zone"].count_unknown
    assert by_address["module.maybe.aws_sqs_queue.this"].count_unknown
    assert not by_address['module.queues["us-east-1"].aws_sqs_queue.this'].count_unknown
    # slice(unknown list, 0, 3) has three elements whose values are unknown.
    first_three = [r for r in unit.resources if r.address.startswith("aws_subnet.first_three")]
    assert len(first_three) == 3 and all(isinstance(r.zones, Unknown) for r in first_three)
    assert by_address["aws_dynamodb_table.orders"].attributes["replica"] == [
        {"region_name": "us-east-1"},
        {"region_name": "eu-west-1"},
    ]
    assert edges(unit, "aws_instance.web[1]") == {('aws_subnet.this["b"]', "id", "subnet_id")}
    assert edges(unit, "aws_lb.web") == {
        ('aws_subnet.this["a"]', "id", "subnets[0]"),
        ('aws_subnet.this["b"]', "id", "subnets[1]"),
    }


def test_downloaded_modules_are_read_and_located_at_the_call() -> None:
    project = load("modules_json")
    assert project.problems == (), "a broken file under .terraform is not the user's: a note, not RES001"
    (unit,) = project.units
    vpc = [r for r in unit.resources if r.address.startswith("module.vpc.")]
    assert [r.address for r in vpc] == [
        "module.vpc.aws_vpc.this",
        "module.vpc.aws_subnet.public[0]",
        "module.vpc.aws_subnet.public[1]",
        "module.vpc.module.flow_log.aws_flow_log.this",
    ]
    for resource in vpc:
        assert (resource.location.path, resource.location.line) == (f"{FIXTURES}/modules_json/main.tf", 7)
        assert resource.attribute_lines == {} and resource.line_of("cidr_block") == 7
        assert resource.region == "eu-west-1"
    assert vpc[2].zones == ("eu-west-1b",)
    assert edges(unit, "aws_lb.web") == {
        ("module.vpc.aws_subnet.public[0]", "id", "subnets[0]"),
        ("module.vpc.aws_subnet.public[1]", "id", "subnets[1]"),
    }
    assert ("module.vpc.aws_vpc.this", "id", "vpc_id") in edges(unit, "module.vpc.module.flow_log.aws_flow_log.this")
    broken, remote = sorted(unit.notes, key=lambda n: n.location.line)
    assert broken.location.line == 7 and "broken.tf:2" in broken.message and "does not parse" in broken.message
    assert remote.location.line == 15
    assert "module.database (git::https://example.com/modules.git//database?ref=v1.2.0)" in remote.message
    assert "terraform init` again" in remote.message
    assert unit.files == (f"{FIXTURES}/modules_json/main.tf",)


def test_override_files_merge_into_the_blocks_they_override() -> None:
    unit = only_unit("override_files")
    (db,) = unit.resources
    assert db.region == "us-east-1", "override.tf replaces the provider's region"
    assert db.attributes["engine"] == "postgres", "and the local"
    assert (db.attributes["multi_az"], db.attributes["instance_class"]) == (True, "db.t3.micro")
    assert "multi_az" not in db.attribute_lines, "its line is in another file"
    assert db.attribute_lines["instance_class"] == 11 and db.location.path.endswith("override_files/main.tf")
    assert f"{FIXTURES}/override_files/db_override.tf" in unit.files


def test_opentofu_provider_for_each() -> None:
    unit = only_unit("provider_for_each")
    assert regions(unit) == {
        'aws_sqs_queue.jobs["primary"]': "eu-west-1",
        'aws_sqs_queue.jobs["secondary"]': "eu-central-1",
        'module.app["primary"].aws_lb.this': "eu-west-1",
        'module.app["secondary"].aws_lb.this': "eu-central-1",
    }
    jobs = unit.resource('aws_sqs_queue.jobs["secondary"]')
    assert jobs is not None and jobs.provider_config == 'aws.by_region["secondary"]'


def test_plan_maps_to_the_same_model() -> None:
    unit = only_unit("plan")
    assert unit.source == "terraform-plan"
    assert regions(unit) == {
        "aws_iam_role.deployer": None,
        "aws_s3_bucket.primary": "eu-west-1",
        "aws_s3_bucket.replica": "us-west-2",  # aws.west's region is var.west_region, from the plan's variables
        "aws_s3_bucket_replication_configuration.orders": "eu-west-1",
        "aws_sqs_queue.jobs": "us-east-2",  # per-resource region in the values
        "cloudflare_zone.example": None,  # only in resource_changes
        'module.app["blue"].aws_autoscaling_group.this': "eu-west-1",
        "module.app_west.aws_autoscaling_group.this": "us-west-2",  # provider key normalised to aws.west
        "module.legacy.aws_sqs_queue.this": "ap-southeast-2",  # module provider, region from the call
    }
    assert "aws_sqs_queue.retired" not in regions(unit), "a resource being deleted is not deployed"
    config = unit.resource("aws_s3_bucket_replication_configuration.orders")
    assert config is not None
    bucket = config.get("rule.destination.bucket")
    assert isinstance(bucket, Unknown) and bucket.refs == ("aws_s3_bucket.replica",)
    assert Reference(target="aws_s3_bucket.replica", attribute="arn", path="rule[0].destination[0].bucket") in config.references
    assert (config.location.line, config.location.column) == (53, 11), "located at its address in the plan"
    asg = unit.resource('module.app["blue"].aws_autoscaling_group.this')
    assert asg is not None and asg.zones == ("eu-west-1a", "eu-west-1b") and asg.location.line == 94
    zone = unit.resource("cloudflare_zone.example")
    assert zone is not None and zone.cloud == "cloudflare" and isinstance(zone.attributes["name_servers"], Unknown)
    assert {p.key for p in unit.providers} == {"aws", "aws.west", "cloudflare"}


@pytest.mark.parametrize("case", ["aliases", "module_provider_maps", "count_for_each", "provider_for_each", "override_files"])
def test_fixture_units_have_no_notes(case: str) -> None:
    assert only_unit(case).notes == ()
