"""The region rules RES101-RES104: messages, fixes, CloudFormation deploy regions, notes, and
the promise that an unknown value never raises a warning."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write


def _scan(root: Path, files: dict[str, str], rules: tuple[str, ...], options: ParseOptions | None = None) -> list[Finding]:
    write(root, files)
    return scan([root], Settings(select=rules), options or ParseOptions()).findings


def _only(findings: list[Finding], rule_id: str) -> Finding:
    matching = [f for f in findings if f.rule_id == rule_id]
    assert len(matching) == 1, [f.message for f in findings]
    return matching[0]


APP = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_ecs_service" "api" {
  name = "api"
}

resource "aws_dynamodb_table" "orders" {
  name = "orders"

  replica {
    region_name = "eu-central-1"
  }
}
"""


def test_res101_names_the_region_the_provider_and_where_the_data_is(tmp_path: Path) -> None:
    finding = _only(_scan(tmp_path, {"main.tf": APP}, ("RES101",)), "RES101")
    assert finding.line == 2 and finding.path.endswith("main.tf")
    assert "serves only from eu-west-1" in finding.message
    assert "aws_ecs_service.api" in finding.message
    assert "; eu-central-1 has nothing that can serve (only a replica of aws_dynamodb_table.orders)" in finding.message
    assert finding.severity.value == "warning"



def test_a_root_module_scanned_as_the_folder_itself_is_named_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # `resilint scan .` at a root: its id is ".", which a message would otherwise start with.
    write(tmp_path, {"app/main.tf": APP})
    monkeypatch.chdir(tmp_path / "app")
    finding = _only(scan([Path(".")], Settings(select=("RES101",)), ParseOptions()).findings, "RES101")
    assert finding.message.startswith("the root module serves only from eu-west-1: ")
    monkeypatch.chdir(tmp_path)
    finding = _only(scan([Path(".")], Settings(select=("RES101",)), ParseOptions()).findings, "RES101")
    assert finding.message.startswith("app serves only from eu-west-1: ")


WEBSITE = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "site" {
  bucket = "www.example-shop.com"
}

resource "aws_s3_bucket_website_configuration" "site" {
  bucket = aws_s3_bucket.site.id
  index_document {
    suffix = "index.html"
  }
}

resource "aws_s3_bucket" "archive" {
  bucket = "orders-archive"
}
"""


def test_res101_counts_a_static_website_as_what_the_unit_serves(tmp_path: Path) -> None:
    findings = _scan(tmp_path, {"main.tf": WEBSITE}, ("RES101", "RES103"))
    finding = _only(findings, "RES101")
    assert finding.line == 2 and "serves only from eu-west-1" in finding.message
    assert "aws_s3_bucket.site" in finding.message and "archive" not in finding.message
    # The website's content is rebuilt from source, so RES103 judges only the archive.
    assert [(f.rule_id, f.resource) for f in findings if f.rule_id == "RES103"] == [("RES103", "aws_s3_bucket.archive")]


def test_res101_is_silent_on_a_bucket_that_hosts_no_website(tmp_path: Path) -> None:
    files = {"main.tf": WEBSITE.split('resource "aws_s3_bucket_website_configuration"')[0]}
    assert [f.rule_id for f in _scan(tmp_path, files, ("RES101",))] == []


def test_res101_cloudformation_deploy_regions(tmp_path: Path) -> None:
    template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src/}\n'
    one = ParseOptions(cloudformation_regions=lambda display: ("eu-west-1",))
    finding = _only(_scan(tmp_path, {"stack.yaml": template}, ("RES101",), one), "RES101")
    assert "is deployed to one region (eu-west-1)" in finding.message
    assert "[cloudformation] regions" in finding.fix and "[[cloudformation.stacks]]" in finding.fix
    two = ParseOptions(cloudformation_regions=lambda display: ("eu-west-1", "eu-central-1"))
    assert _scan(tmp_path, {"stack.yaml": template}, ("RES101",), two) == []
    unknown = _only(_scan(tmp_path, {"stack.yaml": template}, ("RES101",)), "RES101")
    assert "is one stack in one region" in unknown.message and unknown.line == 1


def test_res101_stays_silent_and_res102_speaks_when_a_region_is_unknown(tmp_path: Path) -> None:
    text = APP.replace('region = "eu-west-1"', "region = var.region") + '\nvariable "region" {\n  type = string\n}\n'
    findings = _scan(tmp_path, {"main.tf": text}, ("RES101", "RES102"))
    assert [f.rule_id for f in findings] == ["RES102"]
    note = findings[0]
    assert note.severity.value == "note" and note.line == 2
    assert "aws_dynamodb_table.orders" in note.message and "aws_ecs_service.api" in note.message
    assert "var.region has no value" in note.message
    assert "--var region=" in note.fix and "--var-file" in note.fix and "terraform show -json" in note.fix
    with_value = scan([tmp_path], Settings(select=("RES101", "RES102")), ParseOptions(variables=(("region", "eu-west-1"),)))
    assert [f.rule_id for f in with_value.findings] == ["RES101"]


def test_res102_reports_each_parser_note_where_it_happened(tmp_path: Path) -> None:
    text = """
provider "aws" {
  region = "eu-west-1"
}

module "vpc" {
  source = "terraform-aws-modules/vpc/aws"
}

module "missing" {
  source = "./missing"
}
"""
    findings = _scan(tmp_path, {"main.tf": text}, ("RES102",))
    assert [(f.line, f.rule_id) for f in findings] == [(6, "RES102"), (10, "RES102")]
    registry, missing = findings
    assert "terraform-aws-modules/vpc/aws" in registry.message and "plan" in registry.fix
    assert "module.missing" in missing.message and missing.severity.value == "note"


def test_res102_says_once_which_provider_configuration_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    # The reason named each resource, so RES102 grouped nothing: one note per resource (874 notes
    # on a Terragrunt tree whose generate blocks write the providers).
    root = Path(__file__).parents[2] / "fixtures" / "unresolved_region" / "fail_missing_provider_configurations"
    monkeypatch.chdir(root)
    findings = scan([Path(".")], Settings(select=("RES102",)), ParseOptions()).findings
    assert [(f.path, f.line, f.resource) for f in findings] == [
        ("alarms/main.tf", 1, "module.alarms.aws_cloudwatch_metric_alarm.errors"),
        ("main.tf", 3, "aws_sqs_queue.jobs"),
        ("main.tf", 11, "aws_sns_topic.alerts"),
    ]
    alarms, default, alias = findings
    assert alarms.message == (
        "the region of 2 resources of the root module (module.alarms.aws_cloudwatch_metric_alarm.errors, "
        'module.alarms.aws_cloudwatch_metric_alarm.latency) is not known: no provider "aws" configuration reaches '
        "module.alarms: its region comes from the environment at run time (configure the provider in the root module)"
    )
    assert 'no provider "aws" block is declared' in default.message and "aws_sqs_queue.jobs_dead_letter" in default.message
    assert alias.message.endswith('no provider "aws.core_services" configuration is declared (a provider "aws" block with alias = "core_services")')
    assert default.fix.startswith('Declare provider "aws" { region = ... } in the root module (module calls inherit')
    assert alias.fix.startswith('Declare provider "aws" { alias = "core_services", region = ... } in the root module;')
    assert "Terragrunt generate block" in alias.fix


def test_res102_is_quiet_for_cloudformation_stacks(tmp_path: Path) -> None:
    template = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n'
    assert _scan(tmp_path, {"stack.yaml": template}, ("RES102",)) == []


def test_res103_message_and_fix_speak_of_the_store(tmp_path: Path) -> None:
    text = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_s3_bucket" "invoices" {
  bucket = "invoices"
}

resource "aws_s3_bucket" "copy" {
  bucket = "invoices-copy"
}

resource "aws_s3_bucket_replication_configuration" "invoices" {
  bucket = aws_s3_bucket.invoices.id
  role   = "arn:aws:iam::123456789012:role/r"
  rule {
    status = "Enabled"
    destination {
      bucket = aws_s3_bucket.copy.arn
    }
  }
}
"""
    finding = _only(_scan(tmp_path, {"main.tf": text}, ("RES103",)), "RES103")
    assert finding.resource == "aws_s3_bucket.invoices" and finding.line == 6
    assert finding.message == (
        "aws_s3_bucket.invoices keeps its data in eu-west-1 only: no replication rule copies it to a "
        "bucket in another region (its copy in the same region, aws_s3_bucket.copy, would go down with it)"
    )
    assert "aws_s3_bucket_replication_configuration" in finding.fix and "versioning" in finding.fix


def test_res103_premium_storage_accounts_get_a_fix_they_can_apply(tmp_path: Path) -> None:
    text = """
provider "azurerm" {
  features {}
}

resource "azurerm_storage_account" "files" {
  location                 = "westeurope"
  account_tier             = "Premium"
  account_kind             = "FileStorage"
  account_replication_type = "ZRS"
}
"""
    finding = _only(_scan(tmp_path, {"main.tf": text}, ("RES103",)), "RES103")
    assert "Premium accounts offer no geo-redundant type" in finding.fix


def test_res104_names_the_subnets_and_the_zone(tmp_path: Path) -> None:
    text = """
provider "aws" {
  region = "eu-west-1"
}

resource "aws_subnet" "a" {
  availability_zone = "eu-west-1a"
}

resource "aws_subnet" "b" {
  availability_zone = "eu-west-1a"
}

resource "aws_db_subnet_group" "orders" {
  subnet_ids = [aws_subnet.a.id, aws_subnet.b.id]
}
"""
    finding = _only(_scan(tmp_path, {"main.tf": text}, ("RES104",)), "RES104")
    assert finding.message == (
        "aws_db_subnet_group.orders places RDS in one availability zone: its subnets "
        "(aws_subnet.a, aws_subnet.b) are all in eu-west-1a"
    )
    assert "subnet_ids" in finding.fix


# Unknown never warns: every way of writing the judged value, for each kind of resource ----------------------------------------------------------------------------

# Each case: a resource whose judged argument is written as SLOT, the value that makes it a
# finding, a value that does not, and the rule.
CASES = {
    "dynamodb": (
        'resource "aws_dynamodb_table" "t" {\n  name = "t"\n  replica {\n    region_name = SLOT\n  }\n}\n',
        '"eu-west-1"',
        '"us-west-2"',
        "RES103",
    ),
    "storage": (
        'resource "azurerm_storage_account" "s" {\n  location = "westeurope"\n'
        "  account_replication_type = SLOT\n}\n",
        '"LRS"',
        '"GZRS"',
        "RES103",
    ),
    "bucket": (
        'resource "google_storage_bucket" "b" {\n  name = "b"\n  location = SLOT\n}\n',
        '"us-east1"',
        '"US"',
        "RES103",
    ),
    "efs": (
        'resource "aws_efs_file_system" "f" {\n  availability_zone_name = SLOT\n}\n',
        '"eu-west-1a"',
        "null",
        "RES104",
    ),
    "gke": (
        'resource "google_container_cluster" "c" {\n  name = "c"\n  location = SLOT\n}\n',
        '"us-central1-a"',
        '"us-central1"',
        "RES104",
    ),
    "redis": (
        'resource "azurerm_redis_cache" "r" {\n  location = "westeurope"\n  zones = SLOT\n}\n',
        '["1"]',
        '["1", "2"]',
        "RES104",
    ),
}
PROVIDERS = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nprovider "azurerm" {\n  features {}\n}\n\nprovider "google" {\n  region = "us-central1"\n}\n\n'


@pytest.mark.parametrize("how", ["bad", "good", "unknown variable", "unknown data source", "bad through a local"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_unknown_values_never_raise_warnings(tmp_path: Path, case: str, how: str) -> None:
    template, bad, good, rule_id = CASES[case]
    extra = ""
    if how == "bad":
        value = bad
    elif how == "good":
        value = good
    elif how == "unknown variable":
        value, extra = "var.value", 'variable "value" {}\n'
    elif how == "unknown data source":
        value, extra = "data.external.value.result", 'data "external" "value" {\n  program = ["x"]\n}\n'
    else:
        value, extra = "local.value", f"locals {{\n  value = {bad}\n}}\n"
    findings = _scan(tmp_path, {"main.tf": PROVIDERS + extra + template.replace("SLOT", value)}, (rule_id,))
    warned = [f for f in findings if f.rule_id == rule_id]
    if how in ("bad", "bad through a local"):
        assert len(warned) == 1, findings
    else:
        assert warned == [], [f.message for f in warned]
