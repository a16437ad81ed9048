"""Terraform findings that rest on a value the resource's own code does not write (a variable's
default, a .tfvars file, a module argument, a local, a conditional, a for_each) say where it
comes from, in the words CloudFormation findings use; which findings there are does not change."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.findings import Finding, merge_callers
from resilint.model import Location, Resource
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.provenance import condition_text
from resilint.provenance import with_provenance

FIXTURE = "fixtures/database_without_multi_az/fail_tf_values_from_variables"


def scan(capsys: pytest.CaptureFixture[str], *argv: str, fmt: str = "json") -> str:
    code = main(["scan", *argv, "--select", "RES302", "--format", fmt, "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 1, err
    return out


def messages(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    return {f["resource"]: f["message"] for f in json.loads(scan(capsys, FIXTURE, *argv))["findings"]}


def test_each_source_of_a_value_is_named_with_its_file_and_line(capsys: pytest.CaptureFixture[str]) -> None:
    found = messages(capsys)
    at = f"{FIXTURE}/"
    assert found["aws_db_instance.orders"] == (
        f"aws_db_instance.orders runs in one availability zone (multi_az = false: variable orders_multi_az's default at {at}variables.tf:3)"
    )
    assert found["aws_db_instance.reports"].endswith(f"(multi_az = false: variable reports_multi_az from {at}terraform.tfvars:1)")
    # A .tfvars.json value has no line of its own: the file is named.
    assert found["aws_db_instance.audit"].endswith(f"(multi_az = false: variable audit_multi_az from {at}audit.auto.tfvars.json)")
    assert found["aws_db_instance.billing"].endswith(
        f'(multi_az = false: condition var.environment == "prod" (variable environment\'s default at {at}variables.tf:18))'
    )
    assert found['aws_db_instance.tenants["acme"]'].endswith(f"(multi_az = false: variable tenants's default at {at}variables.tf:23)")
    assert found["module.catalog.aws_db_instance.this"].endswith(f"(multi_az = false: argument multi_az of module.catalog at {at}main.tf:51)")
    # Rules that do not say the source themselves get it appended by the engine, as for CloudFormation.
    assert found["aws_elasticache_replication_group.sessions"].endswith(
        f"[rests on automatic_failover_enabled: local.sessions_failover at {at}main.tf:8]"
    )
    # Written on the resource: nothing more.
    assert found["aws_db_instance.ledger"] == "aws_db_instance.ledger runs in one availability zone (multi_az = false)"


def test_var_files_from_the_command_line_and_the_configuration(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = messages(capsys, "--var-file", f"{FIXTURE}/env/prod.tfvars")
    assert found["aws_db_instance.audit"].endswith(f"(multi_az = false: variable audit_multi_az from {FIXTURE}/env/prod.tfvars:4)")
    assert "aws_db_instance.billing" not in found and "aws_db_instance.orders" not in found, "prod's values decide them"
    assert messages(capsys, "--var", "audit_multi_az=false")["aws_db_instance.audit"].endswith(
        "(multi_az = false: variable audit_multi_az from the command line)"
    )

    shutil.copytree(FIXTURE, tmp_path / "infra")
    (tmp_path / ".resilint.toml").write_text('var-files = ["infra/env/prod.tfvars"]\n')
    monkeypatch.chdir(tmp_path)
    found = {f["resource"]: f["message"] for f in json.loads(scan(capsys, "infra"))["findings"]}
    assert found["aws_db_instance.audit"].endswith("(multi_az = false: variable audit_multi_az from infra/env/prod.tfvars:4)")


def test_text_and_sarif_carry_where_to_fix(capsys: pytest.CaptureFixture[str]) -> None:
    text = scan(capsys, FIXTURE, fmt="text")
    assert f"variable orders_multi_az's default at {FIXTURE}/variables.tf:3" in text
    sarif = json.loads(scan(capsys, FIXTURE, fmt="sarif"))
    texts = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(f"(multi_az = false: variable reports_multi_az from {FIXTURE}/terraform.tfvars:1). Fix: " in t for t in texts)


def test_the_bundled_example_says_where_its_multi_az_comes_from(capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", "fixtures/example", "--format", "json", "--no-cache"])
    found = {f["resource"]: f["message"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found["module.orders_db.aws_db_instance.this"] == (
        "module.orders_db.aws_db_instance.this runs in one availability zone "
        "(multi_az = false: variable multi_az's default at fixtures/example/terraform/modules/db/main.tf:11)"
    )


def test_how_many_instances_rests_on_count(capsys: pytest.CaptureFixture[str]) -> None:
    vms = "fixtures/standalone_vm_on_serving_path/fail_count_from_variable"
    main(["scan", vms, "--select", "RES313", "--format", "json", "--no-cache"])
    found = {f["resource"]: f["message"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert found["aws_instance.web[0]"].endswith(f"[rests on count: variable web_instances's default at {vms}/main.tf:9]")
    # `var.admin_enabled ? 1 : 0` says whether there is a machine, not how many: a guard.
    assert "rests on" not in found["aws_instance.admin[0]"]

    nat = "fixtures/single_nat_gateway/fail_via_module"
    main(["scan", nat, "--select", "RES303", "--format", "json", "--no-cache"])
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["message"].endswith(
        f"[rests on count: condition var.single_nat_gateway (argument single_nat_gateway of module.network at {nat}/main.tf:8); "
        f"local.nat_count at {nat}/network/main.tf:16]"
    )


def test_a_value_read_twice_rests_on_the_same_sources(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The second reader gets the value from the memo, with what it rests on."""
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        'variable "ha" {\n  default = false\n}\n'
        "locals {\n  multi_az = var.ha\n}\n"
        'resource "aws_db_instance" "a" {\n  engine   = "postgres"\n  multi_az = local.multi_az\n}\n'
        'resource "aws_db_instance" "b" {\n  engine   = "postgres"\n  multi_az = local.multi_az\n}\n'
    )
    monkeypatch.chdir(tmp_path)
    found = {f["resource"]: f["message"] for f in json.loads(scan(capsys, "."))["findings"]}
    why = "(multi_az = false: local.multi_az at main.tf:8; variable ha's default at main.tf:5)"
    assert found == {
        "aws_db_instance.a": f"aws_db_instance.a runs in one availability zone {why}",
        "aws_db_instance.b": f"aws_db_instance.b runs in one availability zone {why}",
    }


def _resource(provenance: dict[str, str]) -> Resource:
    return Resource(
        source="terraform",
        type="aws_db_instance",
        address="aws_db_instance.a",
        unit="infra",
        provider="aws",
        cloud="aws",
        provenance=provenance,
        location=Location(path="infra/main.tf", line=3, end_line=3),
    )


def test_a_plain_word_is_an_argument_only_where_written_as_code() -> None:
    db = _resource({"region": "variable region's default at variables.tf:2", "settings": "local.s at main.tf:1"})
    assert with_provenance("aws_db_instance.a has no replica in another region", db) == "aws_db_instance.a has no replica in another region"
    assert with_provenance('aws_db_instance.a (region = "eu-west-1")', db).endswith("[rests on region: variable region's default at variables.tf:2]")
    assert with_provenance("aws_db_instance.a (region is not set)", db).endswith("[rests on region: variable region's default at variables.tf:2]")
    assert with_provenance("a (settings.tier = 1)", db).endswith("[rests on settings: local.s at main.tf:1]")
    assert with_provenance("a: the settings end.", db) == "a: the settings end."


def test_a_nested_argument_rests_on_what_it_reads_not_on_its_whole_block(capsys: pytest.CaptureFixture[str]) -> None:
    sources = {"settings": "local.tier at main.tf:2; variable availability's default at main.tf:9", "settings.tier": "local.tier at main.tf:2"}
    sql = _resource(sources)
    assert with_provenance("a (settings.tier = 1)", sql) == "a (settings.tier = 1) [rests on settings.tier: local.tier at main.tf:2]"
    # Not set at all: its block's other arguments are not what the finding rests on.
    assert with_provenance("a (settings.availability_type is not set)", sql) == "a (settings.availability_type is not set)"
    assert with_provenance("a has one settings block (settings = [...])", sql).endswith(f"[rests on settings: {sources['settings']}]")
    # CloudFormation keeps top-level keys only: its dotted names rest on their property.
    bucket = _resource({"VersioningConfiguration": "parameter Versioning's default"})
    assert with_provenance("B (VersioningConfiguration.Status = Suspended)", bucket).endswith(
        "[rests on VersioningConfiguration: parameter Versioning's default]"
    )

    gcp = "fixtures/database_without_multi_az/fail_gcp_zonal"
    found = {f["resource"]: f["message"] for f in json.loads(scan(capsys, gcp))["findings"]}
    assert found["google_sql_database_instance.billing"].endswith(f"[rests on settings.availability_type: variable availability's default at {gcp}/main.tf:16]")


def _finding(unit: str, resource: str, source: str) -> Finding:
    message = f"{resource} runs in one availability zone (multi_az = false: {source})"
    return Finding(
        rule_id="RES302",
        rule_name="database-without-multi-az",
        severity="warning",  # type: ignore[arg-type]
        message=message,
        path="modules/db/main.tf",
        line=5,
        end_line=9,
        resource=resource,
        unit=unit,
        module_calls=({"path": f"{unit}/main.tf", "line": 1, "end_line": 4},),  # type: ignore[arg-type]
        rests_on=(("multi_az", source),),
    )


def test_module_instances_given_values_in_different_places_stay_one_finding() -> None:
    a = _finding("envs/a", "module.db.aws_db_instance.this", "argument multi_az of module.db at envs/a/main.tf:3")
    b = _finding("envs/b", "module.db.aws_db_instance.this", "variable multi_az's default at modules/db/variables.tf:2")
    (merged,) = merge_callers([a, b])
    assert merged.callers == ("envs/a", "envs/b")
    assert merged.message == (
        "module.db.aws_db_instance.this runs in one availability zone (multi_az = false) [rests on multi_az: "
        "argument multi_az of module.db at envs/a/main.tf:3; variable multi_az's default at modules/db/variables.tf:2]"
    )
    # The same source everywhere: the message as each instance says it.
    (same,) = merge_callers([a, a.model_copy(update={"unit": "envs/c"})])
    assert same.message == a.message
    assert "rests_on" not in same.model_dump()


def test_conditions_are_shown_as_written() -> None:
    expr = s.parse_expression('var.env == "prod" && !(var.a || var.b) ? 1 : 0')
    assert isinstance(expr, s.Conditional)
    assert condition_text(expr.cond) == 'var.env == "prod" && !(var.a || var.b)'
    assert condition_text(s.parse_expression("(a - b) - c + x[0] * (y + 1)")) == "a - b - c + x[0] * (y + 1)"
    assert condition_text(s.parse_expression("a - (b - c)")) == "a - (b - c)"
    long = s.parse_expression(" && ".join(f"var.flag_number_{i}" for i in range(10)))
    assert condition_text(long).endswith("...") and len(condition_text(long)) <= 100
