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


def test_cli_and_environment_values_are_parsed_by_declared_type(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'variable "regions" { type = list(string) }\nvariable "count_a" { type = number }\n'
                'variable "name" {}\nvariable "flag" { type = bool }\n'
                'provider "aws" { region = var.regions[1] }\n'
                'resource "aws_sqs_queue" "q" {\n  count = var.count_a\n  name = var.name\n  fifo_queue = var.flag\n}\n'
            ),
        },
    )
    (unit,) = project(
        tmp_path,
        variables=(("regions", '["eu-west-1", "us-east-1"]'), ("name", "[not, hcl]")),
        environment={"TF_VAR_count_a": "2", "TF_VAR_flag": "true"},
    ).units
    assert [r.region for r in unit.resources] == ["us-east-1", "us-east-1"]
    assert unit.resources[0].attributes == {"name": "[not, hcl]", "fifo_queue": True}


def test_nullable_false_and_null_inputs(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'provider "aws" { region = "eu-west-1" }\nmodule "m" {\n  source = "./m"\n  a = null\n  b = null\n}\n',
            "m/main.tf": (
                'variable "a" {\n  default  = "from-default"\n  nullable = false\n}\n'
                'variable "b" { default = "from-default" }\n'
                'resource "aws_sqs_queue" "q" {\n  tags = { a = var.a, b = var.b }\n}\n'
            ),
        },
    )
    (unit,) = project(tmp_path).units
    assert unit.resources[0].attributes["tags"] == {"a": "from-default", "b": None}


def test_local_files_are_read_inside_the_scanned_tree_only(tmp_path: Path) -> None:
    outside = tmp_path / "secret.txt"
    outside.write_text("s3cr3t")
    write(
        tmp_path,
        {
            "repo/live/main.tf": (
                'locals {\n  config = yamldecode(file("${path.module}/../config/regions.yaml"))\n}\n'
                'provider "aws" { region = local.config.primary }\n'
                'resource "aws_sqs_queue" "q" {\n'
                '  name   = templatefile("${path.module}/name.tftpl", { env = "prod" })\n'
                '  policy = file("../../secret.txt")\n'
                '  tags   = { exists = fileexists("name.tftpl"), missing = try(file("nope.txt"), "none") }\n'
                "}\n"
            ),
            "repo/live/name.tftpl": "jobs-${env}%{ if env == \"prod\" }-critical%{ endif }",
            "repo/config/regions.yaml": "primary: eu-central-1\n",
            "repo/config/main.tf": "",
        },
    )
    units = {Path(u.id).name: u for u in project(tmp_path / "repo").units}
    (queue,) = units["live"].resources
    assert queue.region == "eu-central-1"
    assert queue.attributes["name"] == "jobs-prod-critical"
    assert isinstance(queue.attributes["policy"], Unknown) and "outside the scanned folders" in queue.attributes["policy"].reason
    assert queue.attributes["tags"] == {"exists": True, "missing": "none"}


def test_workspace_comes_from_tf_workspace(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = terraform.workspace == "prod" ? "eu-west-1" : "eu-west-2" }\n'
                'resource "aws_sqs_queue" "q" {}\n'
            )
        },
    )
    assert isinstance(project(tmp_path).units[0].resources[0].region, Unknown)
    assert project(tmp_path, environment={"TF_WORKSPACE": "prod"}).units[0].resources[0].region == "eu-west-1"


def test_tf_json_interpolations_keep_their_type(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf.json": (
                '{"variable": {"n": {"default": 2}, "regions": {"default": ["eu-west-1"]}},\n'
                ' "provider": {"aws": [{"region": "${var.regions[0]}"}, {"alias": "west", "region": "us-west-2"}]},\n'
                ' "resource": {"aws_sqs_queue": {"q": {"count": "${var.n}", "provider": "aws.west", "name": "q-${count.index}"}}}}\n'
            )
        },
    )
    (unit,) = project(tmp_path).units
    assert [(r.address, r.region, r.attributes["name"]) for r in unit.resources] == [
        ("aws_sqs_queue.q[0]", "us-west-2", "q-0"),
        ("aws_sqs_queue.q[1]", "us-west-2", "q-1"),
    ]


def test_references_are_direct_and_follow_the_branch_taken(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\nvariable "use_b" { default = false }\n'
                'resource "aws_s3_bucket" "source" { bucket = "src" }\n'
                'resource "aws_s3_bucket" "a" { bucket = "${aws_s3_bucket.source.id}-a" }\n'
                'resource "aws_s3_bucket" "b" { bucket = "b" }\n'
                'locals { target = var.use_b ? aws_s3_bucket.b.arn : aws_s3_bucket.a.arn }\n'
                'resource "aws_s3_bucket_replication_configuration" "r" {\n'
                '  bucket = aws_s3_bucket.source.id\n'
                '  rule {\n    destination {\n      bucket = local.target\n    }\n  }\n'
                '  tags = { copy = aws_s3_bucket.a.bucket }\n'
                '  depends_on = [aws_s3_bucket.b]\n'
                "}\n"
            )
        },
    )
    (unit,) = project(tmp_path).units
    replication = unit.resource("aws_s3_bucket_replication_configuration.r")
    assert replication is not None
    assert [(r.target, r.attribute, r.path) for r in replication.references] == [
        ("aws_s3_bucket.source", "id", "bucket"),
        ("aws_s3_bucket.b", None, "depends_on"),
        ("aws_s3_bucket.a", "arn", "rule[0].destination[0].bucket"),
        ("aws_s3_bucket.a", "bucket", "tags.copy"),
    ]
    # aws_s3_bucket.a's bucket is computed from source's id: unknown because of a, not source.
    copy = replication.attributes["tags"]["copy"]
    assert isinstance(copy, Unknown) and copy.refs == ("aws_s3_bucket.a",)


def test_missing_provider_configurations_say_what_to_do(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_sqs_queue" "q" {}\n'
                'provider "google" { project = "p" }\n'
                'resource "google_sql_database_instance" "db" {}\n'
                'resource "cloudflare_record" "www" { name = "www" }\n'
                'module "m" {\n  source = "./m"\n}\n'
            ),
            "m/main.tf": 'resource "aws_sqs_queue" "aliased" {\n  provider = aws.west\n}\n',
        },
    )
    (unit,) = project(tmp_path).units
    by_address = {r.address: r.region for r in unit.resources}
    assert 'add a provider "aws" block with a region' in by_address["aws_sqs_queue.q"].reason
    assert "sets no region" in by_address["google_sql_database_instance.db"].reason
    assert by_address["cloudflare_record.www"] is None
    assert "pass it with providers" in by_address["module.m.aws_sqs_queue.aliased"].reason


def test_remote_modules_make_one_note_per_unit(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
                'module "sg" {\n  source = "terraform-aws-modules/security-group/aws"\n}\n'
                'module "local" {\n  source = "./local"\n  count  = 2\n}\n'
            ),
            "local/main.tf": 'module "kms" {\n  source = "git::https://example.com/kms.git"\n}\n',
        },
    )
    (unit,) = project(tmp_path).units
    (note,) = unit.notes
    assert note.location.line == 1
    assert note.message.startswith("3 module calls use a registry or git source")
    assert "module.vpc (terraform-aws-modules/vpc/aws), module.sg" in note.message
    assert "module.local.module.kms (git::https://example.com/kms.git)" in note.message
    assert "run `terraform init` in" in note.message


def test_module_cycles_are_noted(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'module "a" {\n  source = "./a"\n}\n',
            "a/main.tf": 'module "again" {\n  source = "../a"\n}\nresource "aws_sqs_queue" "q" {}\n',
        },
    )
    (unit,) = project(tmp_path).units
    assert [r.address for r in unit.resources] == ["module.a.aws_sqs_queue.q"]
    (note,) = unit.notes
    assert "module.a.module.again" in note.message and "cycle" in note.message


def test_data_aws_region_follows_provider_and_v6_region(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'data "aws_region" "here" {}\ndata "aws_region" "there" { region = "ap-south-1" }\n'
                'resource "aws_sqs_queue" "q" {\n  name = "${data.aws_region.here.name}/${data.aws_region.there.id}"\n}\n'
            )
        },
    )
    (unit,) = project(tmp_path).units
    assert unit.resources[0].attributes["name"] == "eu-west-1/ap-south-1"


def test_unit_per_root_and_modules_are_not_units(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "examples/a/main.tf": 'module "m" {\n  source = "../../"\n}\n',
            "examples/b/main.tf": 'module "m" {\n  source = "../../"\n}\n',
            "main.tf": 'resource "aws_sqs_queue" "q" {}\nmodule "inner" {\n  source = "./modules/inner"\n}\n',
            "modules/inner/main.tf": 'resource "aws_sqs_queue" "i" {}\n',
        },
    )
    units = project(tmp_path).units
    assert [Path(u.id).name for u in units] == ["a", "b"]
    assert [r.address for r in units[0].resources] == ["module.m.aws_sqs_queue.q", "module.m.module.inner.aws_sqs_queue.i"]


def test_examples_calling_their_own_repository_through_the_registry(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "terraform-aws-queue/main.tf": 'variable "name" {}\nresource "aws_sqs_queue" "this" {\n  name = var.name\n}\n',
            "terraform-aws-queue/modules/fifo/main.tf": 'resource "aws_sqs_queue" "fifo" {\n  fifo_queue = true\n}\n',
            "terraform-aws-queue/examples/basic/main.tf": (
                'provider "aws" { region = "eu-west-1" }\n'
                'module "queue" {\n  source  = "acme/queue/aws"\n  version = "~> 1.0"\n  name = "jobs"\n}\n'
                'module "fifo" {\n  source = "git::https://github.com/acme/terraform-aws-queue.git//modules/fifo?ref=v1.0.0"\n}\n'
                'module "other" {\n  source = "acme/other/aws"\n}\n'
            ),
        },
    )
    units = project(tmp_path / "terraform-aws-queue").units
    assert [Path(u.id).name for u in units] == ["basic"], "the repository's own modules are called, so not units"
    (unit,) = units
    assert [(r.address, r.region) for r in unit.resources] == [
        ("module.fifo.aws_sqs_queue.fifo", "eu-west-1"),
        ("module.queue.aws_sqs_queue.this", "eu-west-1"),
    ]
    assert unit.resources[1].location.path.endswith("terraform-aws-queue/main.tf"), "the checkout is the user's code"
    (note,) = unit.notes
    assert "module.other (acme/other/aws)" in note.message


SQL_MODULE = {
    "main.tf": 'variable "name" {}\nresource "azurerm_mssql_server" "this" {\n  name = var.name\n}\n',
    "examples/main/main.tf": (
        'provider "azurerm" {\n  features {}\n}\n'
        'module "sql" {\n  source  = "claranet/db-sql/azurerm"\n  version = "~> 8.0"\n  name = "orders"\n}\n'
    ),
}


def _example_resources(folder: Path) -> tuple[list[str], list[str]]:
    """The example unit's resources and the module calls its note says were not read (when the
    module is not found, the repository's top is a root of its own)."""
    (unit,) = [u for u in project(folder).units if u.id.endswith("examples/main")]
    return [r.address for r in unit.resources], [n.message for n in unit.notes]


def test_examples_find_their_repository_in_a_folder_named_owner_plus_name(tmp_path: Path) -> None:
    write(tmp_path / "claranet+terraform-azurerm-db-sql", SQL_MODULE)
    resources, notes = _example_resources(tmp_path / "claranet+terraform-azurerm-db-sql")
    assert (resources, notes) == (["module.sql.azurerm_mssql_server.this"], [])


def test_another_owners_folder_of_that_name_is_not_the_module(tmp_path: Path) -> None:
    write(tmp_path / "someone+terraform-azurerm-db-sql", SQL_MODULE)
    resources, notes = _example_resources(tmp_path / "someone+terraform-azurerm-db-sql")
    assert resources == []
    assert ["module.sql (claranet/db-sql/azurerm)" in n for n in notes] == [True]


def test_examples_find_their_repository_by_the_checkouts_git_remote(tmp_path: Path) -> None:
    write(
        tmp_path / "src",
        {**SQL_MODULE, ".git/config": '[remote "origin"]\n\turl = git@github.com:claranet/terraform-azurerm-db-sql.git\n'},
    )
    resources, _ = _example_resources(tmp_path / "src")
    assert resources == ["module.sql.azurerm_mssql_server.this"]


def test_a_worktrees_git_file_leads_to_the_remote(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "clone/.git/config": '[remote "origin"]\n\turl = https://gitlab.com/claranet-pcp/terraform/azure/terraform-azurerm-db-sql\n',
            "clone/.git/worktrees/wt/commondir": "../..\n",
            "wt/.git": f"gitdir: {tmp_path}/clone/.git/worktrees/wt\n",
            **{f"wt/{name}": text for name, text in SQL_MODULE.items()},
        },
    )
    resources, _ = _example_resources(tmp_path / "wt")
    assert resources == ["module.sql.azurerm_mssql_server.this"]


def test_a_checkout_of_another_repository_is_not_taken_for_the_module(tmp_path: Path) -> None:
    write(tmp_path / "src", {**SQL_MODULE, ".git/config": '[remote "origin"]\n\turl = https://github.com/acme/platform.git\n'})
    resources, notes = _example_resources(tmp_path / "src")
    assert resources == []
    assert ["module.sql (claranet/db-sql/azurerm)" in n for n in notes] == [True]


def test_attributes_computed_inside_blocks_are_unknown_with_their_origin(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'resource "azurerm_disk_encryption_set" "des" {\n  location = "westeurope"\n  identity {\n    type = "SystemAssigned"\n  }\n}\n'
                'resource "azurerm_key_vault_access_policy" "des" {\n'
                '  object_id = azurerm_disk_encryption_set.des.identity[0].principal_id\n'
                '  type_seen = azurerm_disk_encryption_set.des.identity[0].type\n'
                "}\n"
            )
        },
    )
    (unit,) = project(tmp_path).units
    policy = unit.resource("azurerm_key_vault_access_policy.des")
    assert policy is not None
    assert policy.attributes["type_seen"] == "SystemAssigned"
    object_id = policy.attributes["object_id"]
    assert isinstance(object_id, Unknown) and object_id.refs == ("azurerm_disk_encryption_set.des",)
    assert ("azurerm_disk_encryption_set.des", "identity", "object_id") in {(r.target, r.attribute, r.path) for r in policy.references}


def test_cached_units_follow_every_file_they_read(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from resilint.cache import ParseCache
    from resilint.parsers.terraform import loader

    write(
        tmp_path / "repo",
        {
            "main.tf": (
                'locals { config = jsondecode(file("config.json")) }\n'
                'provider "aws" { region = local.config.region }\n'
                'module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"\n}\n'
            ),
            "config.json": '{"region": "eu-west-1"}',
            ".terraform/modules/modules.json": '{"Modules": [{"Key": "vpc", "Dir": ".terraform/modules/vpc"}]}',
            ".terraform/modules/vpc/main.tf": 'resource "aws_vpc" "this" { cidr_block = "10.0.0.0/16" }\n',
        },
    )
    builds: list[str] = []
    build = loader._build_unit
    monkeypatch.setattr(loader, "_build_unit", lambda root, *rest: builds.append(root.display) or build(root, *rest))
    cache = ParseCache(tmp_path / "cache")

    def scan() -> list[tuple[str, object]]:
        (unit,) = project(tmp_path / "repo", cache=cache).units
        return [(r.address, r.region) for r in unit.resources]

    assert scan() == [("module.vpc.aws_vpc.this", "eu-west-1")]
    assert scan() == [("module.vpc.aws_vpc.this", "eu-west-1")] and len(builds) == 1, "unchanged: not evaluated again"
    (tmp_path / "repo/config.json").write_text('{"region": "us-east-1"}')
    assert scan() == [("module.vpc.aws_vpc.this", "us-east-1")], "a file read by file() changed"
    (tmp_path / "repo/.terraform/modules/vpc/main.tf").write_text('resource "aws_subnet" "a" {}\n')
    assert scan() == [("module.vpc.aws_subnet.a", "us-east-1")], "a downloaded module changed"
    assert len(builds) == 3


def test_provider_for_each_with_unknown_instances(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'variable "regions" {}\n'
                'provider "aws" {\n  alias    = "by_region"\n  for_each = var.regions\n  region   = each.value\n}\n'
                'resource "aws_sqs_queue" "q" {\n  for_each = var.regions\n  provider = aws.by_region[each.key]\n}\n'
                'module "m" {\n  source    = "./m"\n  providers = { aws = aws.by_region["eu"] }\n}\n'
            ),
            "m/main.tf": 'resource "aws_sqs_queue" "q" {}\n',
        },
    )
    (unit,) = project(tmp_path).units
    for resource in unit.resources:
        assert isinstance(resource.region, Unknown), resource.address
        assert "var.regions" in resource.region.reason
    assert [r.count_unknown for r in unit.resources] == [True, False]


def test_downloaded_module_folders_stay_inside_the_root(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "outside/main.tf": 'resource "aws_sqs_queue" "secret" {}\n',
            "root/main.tf": 'module "m" {\n  source = "acme/m/aws"\n}\n',
            "root/.terraform/modules/modules.json": '{"Modules": [{"Key": "m", "Dir": "../outside"}]}',
        },
    )
    units = project(tmp_path / "root").units
    assert [r.address for r in units[0].resources] == []


def test_var_file_and_var_apply_in_command_line_order(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from resilint.cli import main

    write(
        tmp_path,
        {
            "main.tf": 'variable "region" {}\nprovider "aws" {\n  region = var.region\n}\nresource "aws_instance" "app" {}\n',
            "a.tfvars": 'region = "eu-west-1"\n',
        },
    )
    def region(*assignments: str) -> str:
        main(["scan", str(tmp_path), "--format", "json", "--no-cache", "--select", "RES101", *assignments])
        (finding,) = json.loads(capsys.readouterr().out)["findings"]
        return finding["message"]

    assert "us-east-2" in region("--var-file", str(tmp_path / "a.tfvars"), "--var", "region=us-east-2")
    assert "eu-west-1" in region("--var", "region=us-east-2", "--var-file", str(tmp_path / "a.tfvars"))


def test_values_from_outside_the_unit_decide_data_sources(tmp_path: Path) -> None:
    """The seam for values another unit decides: a source of outside values answers for the
    data sources it knows (a remote state's outputs), and every other one stays unknown."""
    from resilint.parsers.terraform.evaluate import MISSING
    from resilint.parsers.terraform.loader import TerraformOptions, load_units
    from resilint.parsers.terraform.outside import DataSourceRead

    write(
        tmp_path,
        {
            "main.tf": (
                'data "terraform_remote_state" "net" {\n  backend = "s3"\n  config = { key = "net/${var.env}" }\n}\n'
                'data "aws_vpc" "other" {}\n'
                'variable "env" { default = "prod" }\n'
                'provider "aws" { region = data.terraform_remote_state.net.outputs.region }\n'
                'resource "aws_db_instance" "a" {\n  multi_az = data.terraform_remote_state.net.outputs.multi_az\n'
                "  vpc = data.aws_vpc.other.id\n}\n"
            ),
        },
    )
    asked: list[tuple[str, dict[str, object]]] = []

    class RemoteStates:
        def data_source(self, read: DataSourceRead) -> object:
            asked.append((read.address, read.arguments()))
            if read.type != "terraform_remote_state":
                return MISSING
            return {"outputs": {"region": "eu-west-1", "multi_az": False}}

    loaded = load_units({tmp_path: [tmp_path / "main.tf"]}, TerraformOptions(outside=RemoteStates()))
    (unit,), problems = loaded.units, loaded.problems
    assert problems == []
    (db,) = unit.resources
    assert db.region == "eu-west-1"
    assert db.attributes["multi_az"] is False
    assert isinstance(db.attributes["vpc"], Unknown)
    assert ("data.terraform_remote_state.net", {"backend": "s3", "config": {"key": "net/prod"}}) in asked


def test_object_keys_that_are_expressions_evaluate(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": (
                'variable "team" { default = "orders" }\n'
                'locals { k = "cost" }\n'
                'resource "aws_sqs_queue" "q" {\n  tags = {\n    upper("team") = var.team\n    (local.k) = 1\n'
                '    "${var.team}-tier" = "data"\n    name = "n"\n    (var.missing) = 2\n  }\n}\n'
                'resource "aws_sqs_queue" "r" {\n  tags = { upper("a") = 1, (var.unset) = 2 }\n}\n'
                'variable "missing" { default = "m" }\nvariable "unset" {}\n'
            ),
        },
    )
    (unit,) = project(tmp_path).units
    q = unit.resource("aws_sqs_queue.q")
    assert q is not None and q.attributes["tags"] == {"TEAM": "orders", "cost": 1, "orders-tier": "data", "name": "n", "m": 2}
    r = unit.resource("aws_sqs_queue.r")
    assert r is not None and isinstance(r.attributes["tags"], Unknown), "an unknown key: the object is unknown"


def test_tofu_files_take_the_place_of_tf_files(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "main.tf": 'provider "aws" { region = "us-east-1" }\nresource "aws_sqs_queue" "old" {}\n',
            "main.tofu": 'provider "aws" { region = "eu-west-1" }\nresource "aws_sqs_queue" "new" {}\n',
            "db.tf.json": '{"resource": {"aws_sqs_queue": {"json_old": {}}}}',
            "db.tofu.json": '{"resource": {"aws_sqs_queue": {"json_new": {}}}}',
            "other.tf": 'module "m" {\n  source = "./m"\n}\n',
            "queues_override.tofu": 'resource "aws_sqs_queue" "new" {\n  name = "overridden"\n}\n',
            "m/main.tf": 'resource "aws_sqs_queue" "in_module_old" {}\n',
            "m/main.tofu": 'resource "aws_sqs_queue" "in_module_new" {}\n',
            "m/extra.tofu": 'resource "aws_sqs_queue" "extra" {}\n',
            "m/broken.tf": 'resource "aws_sqs_queue" {\n',
            "m/broken.tofu": "",
        },
    )
    project_ = project(tmp_path)
    assert project_.problems == ()
    (unit,) = project_.units
    assert {r.address: r.region for r in unit.resources} == {
        "aws_sqs_queue.new": "eu-west-1",
        "aws_sqs_queue.json_new": "eu-west-1",
        "module.m.aws_sqs_queue.in_module_new": "eu-west-1",
        "module.m.aws_sqs_queue.extra": "eu-west-1",
    }
    new = unit.resource("aws_sqs_queue.new")
    assert new is not None and new.attributes["name"] == "overridden"
    assert new.location.path.endswith("main.tofu")


def test_one_attribute_of_one_resource_is_one_value_through_modules(tmp_path: Path) -> None:
    from resilint.model import same_value

    write(
        tmp_path,
        {
            "main.tf": (
                'resource "aws_s3_bucket" "site" {\n  bucket = var.name\n}\n'
                'variable "name" {}\n'
                'module "m" {\n  source = "./m"\n  id = aws_s3_bucket.site.id\n}\n'
                'resource "aws_sqs_queue" "q" {\n  tags = {\n    a = aws_s3_bucket.site.id\n    b = module.m.id\n'
                '    c = "${aws_s3_bucket.site.id}-x"\n    d = aws_s3_bucket.site.bucket\n    e = aws_s3_bucket.site.bucket\n'
                '    f = var.name\n  }\n}\n'
            ),
            "m/main.tf": 'variable "id" {}\noutput "id" { value = var.id }\n',
        },
    )
    (unit,) = project(tmp_path).units
    queue = unit.resource("aws_sqs_queue.q")
    assert queue is not None
    tags = queue.attributes["tags"]
    assert same_value(tags["a"], tags["b"]), "a module passes the value on"
    assert not same_value(tags["a"], tags["c"]), "a value computed from it is another value"
    assert same_value(tags["d"], tags["e"]) and not same_value(tags["a"], tags["d"])
    assert same_value(tags["f"], tags["f"]), "an input without a value is one value in the unit"
    assert not same_value(tags["f"], tags["d"]), "nothing shows the attribute is the input"
    assert same_value("x", "x") and not same_value(1, True)


def test_texts_built_from_the_same_unknown_parts_are_the_same_text(tmp_path: Path) -> None:
    from resilint.model import UnknownText, same_value, spelled

    main = """
variable "env" {}
resource "random_pet" "p" {}
resource "random_pet" "other" {}
locals {
  name = "replica-${random_pet.p.id}"
}
module "m" {
  source = "./m"
  name   = local.name
}
resource "aws_sqs_queue" "q" {
  tags = {
    a = local.name
    b = "replica-${random_pet.p.id}"
    c = module.m.arn
    d = "arn:aws:s3:::${local.name}"
    e = format("arn:aws:s3:::%s", local.name)
    f = "replica-${random_pet.other.id}"
    g = "replica-${upper(random_pet.p.id)}"
    h = "${var.env}-${random_pet.p.id}"
    i = format("%s-%s", var.env, random_pet.p.id)
    j = "${var.env}${random_pet.p.id}"
    k = format("%5s-%s", var.env, random_pet.p.id)
    l = "${var.env}-${random_pet.p.id}"
    m = join("-", [var.env, random_pet.p.id])
    n = join("", ["replica-", random_pet.p.id])
    o = join("-", concat([var.env], [random_pet.p.id]))
    p = "replica-${upper(random_pet.p.id)}"
    q = lower("${var.env}-${random_pet.p.id}")
    r = lower(format("%s-%s", var.env, random_pet.p.id))
    s = lower(var.env)
    t = upper(var.env)
    u = coalesce(var.env, "dev")
    v = coalesce("", var.env, "dev")
    w = coalesce(var.env, "prod")
    x = coalesce(null, var.env)
    y = lower(random_pet.other.id)
    z = lower(module.m.arn)
    env = var.env
  }
}
"""
    module = 'variable "name" {}\noutput "arn" { value = "arn:aws:s3:::${var.name}" }\n'
    write(tmp_path, {"main.tf": main, "m/main.tf": module})
    (unit,) = project(tmp_path).units
    queue = unit.resource("aws_sqs_queue.q")
    assert queue is not None
    tags = queue.attributes["tags"]
    assert isinstance(tags["a"], UnknownText)
    assert same_value(tags["a"], tags["b"]), "the same parts in the same order"
    assert same_value(tags["c"], tags["d"]) and same_value(tags["d"], tags["e"]), "through a module and format()"
    assert not same_value(tags["a"], tags["d"])
    assert not same_value(tags["a"], tags["f"]), "another resource's id"
    assert not same_value(tags["a"], tags["g"]), "a function of it is another value"
    assert same_value(tags["g"], tags["p"]), "the same function of the same value"
    assert same_value(tags["q"], tags["r"]), "lower() of the same text, however it was built"
    assert not same_value(tags["s"], tags["t"]) and not same_value(tags["s"], tags["q"])
    assert not same_value(tags["s"], tags["y"]) and not same_value(tags["q"], tags["z"]), "other arguments"
    assert same_value(tags["u"], tags["v"]), "coalesce() of the same candidates (known empty ones skipped)"
    assert not same_value(tags["u"], tags["w"]), "another fallback"
    assert same_value(tags["x"], tags["env"]), "coalesce() whose one candidate left is unknown gives that value"
    assert (spelled(tags["s"]), spelled(tags["u"]), spelled(tags["q"])) == (
        "lower(var.env)",
        'coalesce(var.env, "dev")',
        'lower("${var.env}-${random_pet.p.id}")',
    )
    assert same_value(tags["h"], tags["i"]) and same_value(tags["h"], tags["l"]), "an input without a value"
    assert not same_value(tags["h"], tags["j"]), "other known text between the parts"
    assert not same_value(tags["h"], tags["k"]), "a padded %5s is not the value itself"
    assert same_value(tags["h"], tags["m"]) and same_value(tags["a"], tags["n"]) and same_value(tags["h"], tags["o"]), "join()"


def test_trims_replace_substr_and_format_of_values_with_an_identity(tmp_path: Path) -> None:
    """trim(), trimprefix(), trimsuffix(), replace(), substr() and format() of values with an
    identity are the same value when given the same arguments; a trim that only the known text
    decides gives the text itself; anything that depends on the unknown part stays unknown."""
    from resilint.model import Unknown, UnknownCall, UnknownInput, UnknownText, same_value, spelled

    main = """
variable "domain" {}
variable "env" {}
resource "random_pet" "p" {}
resource "aws_sqs_queue" "q" {
  tags = {
    domain      = var.domain
    dot         = trimsuffix("${var.domain}.", ".")
    dot2        = trimsuffix(format("%s.", var.domain), ".")
    keep        = trimsuffix("${var.domain}.com", ".")
    maybe       = trimsuffix("${var.domain}.", "x.")
    suffix      = trimsuffix(var.domain, ".")
    suffix2     = trimsuffix(var.domain, ".")
    suffix3     = trimsuffix(var.domain, "-")
    prefix      = trimprefix("www.${var.domain}", "www.")
    prefix_keep = trimprefix("api.${var.domain}", "www.")
    prefix_part = trimprefix("w${var.domain}", "www.")
    trim        = trim("-a-${var.env}-x-", "-")
    trim_all    = trim("--${var.env}--", "-")
    trim2       = trim("--${var.env}--", "-")
    space       = trimspace(" a${var.env}b ")
    replace     = replace(var.domain, ".", "-")
    replace2    = replace(var.domain, ".", "-")
    replace3    = replace(var.domain, ".", "_")
    regex       = replace(var.domain, "/[.]+/", "-")
    substr      = substr(random_pet.p.id, 0, 8)
    substr2     = substr(random_pet.p.id, "0", "8")
    substr3     = substr(random_pet.p.id, 1, 8)
    quoted      = format("%q", var.env)
    quoted2     = format("%q", var.env)
    number      = format("%#v-%d", var.env, 1)
    unknown_arg = trimsuffix(var.domain, var.env)
    unknown_arg2 = trimsuffix(var.domain, var.env)
  }
}
"""
    write(tmp_path, {"main.tf": main})
    (unit,) = project(tmp_path).units
    queue = unit.resource("aws_sqs_queue.q")
    assert queue is not None
    tags = queue.attributes["tags"]
    assert isinstance(tags["dot"], UnknownInput) and same_value(tags["dot"], tags["domain"]), "the known suffix cut"
    assert same_value(tags["dot"], tags["dot2"])
    assert isinstance(tags["keep"], UnknownText) and spelled(tags["keep"]) == '"${var.domain}.com"', "the known text rules the suffix out"
    assert isinstance(tags["maybe"], UnknownCall), "whether var.domain ends in x decides"
    assert not same_value(tags["maybe"], tags["domain"]) and not same_value(tags["maybe"], tags["dot"])
    assert same_value(tags["suffix"], tags["suffix2"]) and not same_value(tags["suffix"], tags["suffix3"])
    assert not same_value(tags["suffix"], tags["domain"]), "a function of the value is another value"
    assert same_value(tags["prefix"], tags["domain"])
    assert spelled(tags["prefix_keep"]) == '"api.${var.domain}"'
    assert isinstance(tags["prefix_part"], UnknownCall), "w could begin www."
    assert spelled(tags["trim"]) == '"a-${var.env}-x"', "the strip stops inside the known text"
    assert isinstance(tags["trim_all"], UnknownCall) and same_value(tags["trim_all"], tags["trim2"]), "it would go on into var.env"
    assert spelled(tags["space"]) == '"a${var.env}b"'
    assert same_value(tags["replace"], tags["replace2"]) and not same_value(tags["replace"], tags["replace3"])
    assert not same_value(tags["replace"], tags["regex"]) and isinstance(tags["regex"], UnknownCall)
    assert same_value(tags["substr"], tags["substr2"]), "Terraform converts the numbers"
    assert not same_value(tags["substr"], tags["substr3"])
    assert spelled(tags["substr"]) == 'substr(random_pet.p.id, "0", "8")'
    assert same_value(tags["quoted"], tags["quoted2"]) and isinstance(tags["quoted"], UnknownCall)
    assert type(tags["number"]) is Unknown, "a number argument of format() has no identity"
    assert same_value(tags["unknown_arg"], tags["unknown_arg2"]) and isinstance(tags["unknown_arg"], UnknownCall)
    assert not same_value(tags["unknown_arg"], tags["suffix"])


def test_a_lookup_by_a_resources_name_reads_that_resource(tmp_path: Path) -> None:
    """`data "aws_db_instance"` looked up by a database's `identifier` gives values that come
    from that database (a read replica's source); a name computed from it is another name."""
    main = """
variable "name" {}
resource "aws_db_instance" "primary" {
  identifier = var.name
}
data "aws_db_instance" "same" {
  db_instance_identifier = aws_db_instance.primary.identifier
}
data "aws_db_instance" "other" {
  db_instance_identifier = "${aws_db_instance.primary.identifier}-replica"
}
data "aws_db_instance" "counted" {
  count                  = 1
  db_instance_identifier = aws_db_instance.primary.identifier
}
resource "aws_sqs_queue" "q" {
  tags = {
    same    = data.aws_db_instance.same.db_instance_arn
    other   = data.aws_db_instance.other.db_instance_arn
    counted = data.aws_db_instance.counted[0].db_instance_arn
  }
}
"""
    write(tmp_path, {"main.tf": main})
    (unit,) = project(tmp_path).units
    queue = unit.resource("aws_sqs_queue.q")
    assert queue is not None
    tags = queue.attributes["tags"]
    assert tags["same"].refs == ("aws_db_instance.primary",)
    assert tags["other"].refs == () and tags["counted"].refs == ()
