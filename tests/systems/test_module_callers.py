"""A finding inside a module several roots call: once per location, naming the calling roots, in
every output format; a suppression on a module call covers what is found through that call."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write
from tests.reporters.test_sarif import VALIDATOR

MODULE = 'variable "multi_az" {\n  default = false\n}\n\nresource "aws_db_instance" "this" {\n  engine   = "postgres"\n  multi_az = var.multi_az\n}\n'


def root(region: str, ignore: str = "") -> str:
    return f'provider "aws" {{\n  region = "{region}"\n}}\n\n{ignore}module "db" {{\n  source = "../../modules/db"\n}}\n'


def scan(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    main(["scan", ".", "--no-cache", "--select", "RES302", *argv])
    return capsys.readouterr().out


@pytest.fixture
def shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"modules/db/main.tf": MODULE, "envs/a/main.tf": root("eu-west-1"), "envs/b/main.tf": root("us-east-1")})
    return tmp_path


def test_json_names_the_callers_once(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = json.loads(scan(capsys, "--format", "json"))["findings"]
    assert (finding["path"], finding["line"], finding["resource"]) == ("modules/db/main.tf", 5, "module.db.aws_db_instance.this")
    assert finding["callers"] == ["envs/a", "envs/b"]
    assert finding["module_calls"] == [
        {"path": "envs/a/main.tf", "line": 5, "end_line": 7},
        {"path": "envs/b/main.tf", "line": 5, "end_line": 7},
    ]
    assert finding["system"] == "envs/a" and finding["unit"] == "envs/a"


def test_sarif_has_the_module_calls_as_related_locations(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (result,) = json.loads(scan(capsys, "--format", "sarif"))["runs"][0]["results"]
    assert result["properties"]["callers"] == ["envs/a", "envs/b"]
    related = [(r["physicalLocation"]["artifactLocation"]["uri"], r["physicalLocation"]["region"]["startLine"]) for r in result["relatedLocations"]]
    assert related == [("envs/a/main.tf", 5), ("envs/b/main.tf", 5)]


@pytest.mark.parametrize("fmt", ["text", "concise", "github", "junit", "markdown"])
def test_every_other_format_names_the_callers(fmt: str, shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = scan(capsys, "--format", fmt)
    assert out.count("in a module called from envs/a, envs/b") == 1, out


def test_a_suppression_on_a_module_call_covers_that_call_only(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    ignore = "# resilint:ignore=RES302 the standby database is single-AZ by design\n"
    write(tmp_path, {"modules/db/main.tf": MODULE, "envs/a/main.tf": root("eu-west-1", ignore), "envs/b/main.tf": root("us-east-1")})
    document = json.loads(scan(capsys, "--format", "json", "--show-suppressed"))
    (finding,) = document["findings"]
    assert (finding["unit"], finding["callers"]) == ("envs/b", ["envs/b"])
    (suppressed,) = document["suppressed"]
    assert (suppressed["unit"], suppressed["suppressed_at_line"]) == ("envs/a", 5)
    # and the suppression is used: no RES003 for it
    assert json.loads(scan(capsys, "--format", "json", "--select", "RES302,RES003"))["summary"]["by_rule"] == {"RES302": 1}


def test_a_finding_for_several_module_instances_names_them_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Module calls of different names (one root, or several) reach one location: the finding
    stands for every instance, names them all, and its resource is the address inside the
    module, which is true of each (naming one instance would claim it alone)."""
    monkeypatch.chdir(tmp_path)
    twice = root("eu-west-1") + 'module "reporting" {\n  source = "../../modules/db"\n}\n'
    write(tmp_path, {"modules/db/main.tf": MODULE, "envs/a/main.tf": twice, "envs/b/main.tf": root("eu-west-1")})
    (finding,) = json.loads(scan(capsys, "--format", "json"))["findings"]
    assert (finding["path"], finding["line"], finding["resource"]) == ("modules/db/main.tf", 5, "aws_db_instance.this")
    assert finding["instances"] == [
        "envs/a: module.db.aws_db_instance.this",
        "envs/a: module.reporting.aws_db_instance.this",
        "envs/b: module.db.aws_db_instance.this",
    ]
    assert finding["callers"] == ["envs/a", "envs/b"]
    assert finding["message"].startswith("aws_db_instance.this runs in one availability zone")
    assert finding["message"].endswith(
        "(in 3 module instances: envs/a: module.db.aws_db_instance.this, envs/a: module.reporting.aws_db_instance.this, "
        "envs/b: module.db.aws_db_instance.this)"
    )
    assert len(finding["module_calls"]) == 3
    # SARIF carries them in the result's properties bag, and still validates
    sarif = json.loads(scan(capsys, "--format", "sarif"))
    VALIDATOR.validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    assert result["properties"]["instances"] == finding["instances"]
    assert len(result["relatedLocations"]) == 3


def test_one_instance_in_several_roots_keeps_its_address(shared: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (finding,) = json.loads(scan(capsys, "--format", "json"))["findings"]
    assert finding["instances"] == [] and finding["resource"] == "module.db.aws_db_instance.this"
    (result,) = json.loads(scan(capsys, "--format", "sarif"))["runs"][0]["results"]
    assert "instances" not in result["properties"]
