"""Terraform folders to units: roots, modules, providers, instances, variables, references."""

from __future__ import annotations

from pathlib import Path

from resilint.discover import discover
from resilint.model import Project, Unknown
from resilint.parsers import ParseOptions, build_project
from tests.conftest import write


def project(root: Path, **options: object) -> Project:
    found = discover([root])
    return build_project(found.files, found.problems, ParseOptions(**options))  # type: ignore[arg-type]


def test_roots_and_modules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "live/main.tf": 'provider "aws" { region = "eu-west-1" }\nmodule "db" {\n  source = "../modules/db"\n}\n',
            "modules/db/main.tf": 'resource "aws_db_instance" "this" {\n  engine = "postgres"\n}\n',
            "other/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
        },
    )
    units = {Path(u.id).name: u for u in project(tmp_path).units}
    assert set(units) == {"live", "other"}, "a folder called as a module is not a unit of its own"
    (db,) = units["live"].resources
    assert db.address == "module.db.aws_db_instance.this"
    assert db.region == "eu-west-1"
    assert db.location.path.endswith("modules/db/main.tf") and db.location.line == 1


def test_provider_aliases_and_provider_maps(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "us-east-1" }\n'
                'provider "aws" {\n  alias  = "west"\n  region = "us-west-2"\n}\n'
                'resource "aws_s3_bucket" "logs" {\n  provider = aws.west\n}\n'
                'module "app_west" {\n  source    = "./app"\n  providers = { aws = aws.west }\n}\n'
                'module "app" {\n  source = "./app"\n}\n'
                'resource "aws_sqs_queue" "q" {\n  region = "eu-central-1"\n}\n'
                'resource "aws_iam_role" "r" {\n  name = "r"\n}\n'
            ),
            "app/main.tf": 'resource "aws_autoscaling_group" "this" {\n  max_size = 2\n  min_size = 1\n}\n',
        },
    )
    (unit,) = project(tmp_path).units
    regions = {r.address: r.region for r in unit.resources}
    assert regions == {
        "aws_s3_bucket.logs": "us-west-2",
        "aws_sqs_queue.q": "eu-central-1",
        "aws_iam_role.r": None,
        "module.app.aws_autoscaling_group.this": "us-east-1",
        "module.app_west.aws_autoscaling_group.this": "us-west-2",
    }


def test_variables_precedence(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'variable "a" { default = "default" }\nvariable "b" { default = "default" }\n'
                'variable "c" { default = "default" }\nvariable "d" { default = "default" }\n'
                'variable "e" {}\n'
                'provider "aws" { region = "eu-west-1" }\n'
                'resource "aws_sqs_queue" "q" {\n  tags = { a = var.a, b = var.b, c = var.c, d = var.d, e = var.e }\n}\n'
            ),
            "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\n',
            "x.auto.tfvars": 'b = "auto"\nc = "auto"\n',
            "cli.tfvars": 'c = "var-file"\n',
        },
    )
    unit = project(
        tmp_path,
        var_files=(tmp_path / "cli.tfvars",),
        variables=(("d", "cli"),),
        environment={"TF_VAR_a": "env", "TF_VAR_e": "env"},
    ).units[0]
    assert unit.resources[0].attributes["tags"] == {"a": "tfvars", "b": "auto", "c": "var-file", "d": "cli", "e": "env"}


def test_count_and_for_each_expand_into_instances(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'variable "names" { default = ["b", "a"] }\n'
                'resource "aws_sqs_queue" "counted" {\n  count = 2\n  name  = "q-${count.index}"\n}\n'
                'resource "aws_sqs_queue" "each" {\n  for_each = toset(var.names)\n  name = each.value\n}\n'
                'resource "aws_sqs_queue" "unknown" {\n  count = length(data.aws_availability_zones.all.names)\n}\n'
            ),
        },
    )
    (unit,) = project(tmp_path).units
    assert [r.address for r in unit.resources] == [
        "aws_sqs_queue.counted[0]",
        "aws_sqs_queue.counted[1]",
        'aws_sqs_queue.each["a"]',
        'aws_sqs_queue.each["b"]',
        "aws_sqs_queue.unknown",
    ]
    assert unit.resources[1].attributes["name"] == "q-1"
    assert unit.resources[-1].count_unknown


def test_unresolved_values_are_unknown_not_guessed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = var.region }\nvariable "region" {}\n'
                'resource "aws_db_instance" "db" {\n  multi_az = data.aws_ssm_parameter.ha.value\n}\n'
            ),
        },
    )
    (unit,) = project(tmp_path).units
    (db,) = unit.resources
    assert isinstance(db.region, Unknown) and "var.region" in db.region.reason
    assert isinstance(db.attributes["multi_az"], Unknown)


def test_references_between_resources_and_through_modules(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'module "net" {\n  source = "./net"\n}\n'
                'resource "aws_lb" "web" {\n  subnets = module.net.subnet_ids\n}\n'
                'resource "aws_route53_record" "www" {\n  alias {\n    name = aws_lb.web.dns_name\n  }\n}\n'
            ),
            "net/main.tf": (
                'resource "aws_subnet" "a" {\n  count = 2\n  availability_zone = "eu-west-1${["a", "b"][count.index]}"\n}\n'
                'output "subnet_ids" {\n  value = aws_subnet.a[*].id\n}\n'
            ),
        },
    )
    (unit,) = project(tmp_path).units
    lb = unit.resource("aws_lb.web")
    assert lb is not None
    assert {(r.target, r.path) for r in lb.references} == {
        ("module.net.aws_subnet.a[0]", "subnets[0]"),
        ("module.net.aws_subnet.a[1]", "subnets[1]"),
    }
    subnets = [unit.resolve(ref.target)[0] for ref in lb.references]
    assert [s.zones for s in subnets] == [("eu-west-1a",), ("eu-west-1b",)]
    record = unit.resource("aws_route53_record.www")
    assert record is not None
    assert [(r.target, r.attribute, r.path) for r in record.references] == [("aws_lb.web", "dns_name", "alias[0].name")]


def test_registry_modules_are_noted_not_guessed(tmp_path: Path) -> None:
    write(
        tmp_path,
        {"main.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "~> 5.0"\n}\n'},
    )
    (unit,) = project(tmp_path).units
    assert unit.resources == ()
    (note,) = unit.notes
    assert "module.vpc" in note.message and note.location.line == 1


def test_tf_json_is_read(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf.json": (
                '{\n  "provider": {"aws": {"region": "eu-west-1"}},\n'
                '  "resource": {\n    "aws_db_instance": {\n      "db": {\n        "multi_az": false\n      }\n    }\n  }\n}\n'
            )
        },
    )
    (unit,) = project(tmp_path).units
    (db,) = unit.resources
    assert db.region == "eu-west-1" and db.attributes["multi_az"] is False
    assert (db.location.line, db.location.end_line) == (5, 7)


def test_syntax_error_is_a_problem_and_other_files_still_load(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "good/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
            "bad/main.tf": 'resource "aws_sqs_queue" "q" {\n  name =\n}\n',
        },
    )
    result = project(tmp_path)
    assert [Path(u.id).name for u in result.units] == ["good"]
    (problem,) = result.problems
    assert problem.location.path.endswith("bad/main.tf") and problem.location.line == 2
