"""Findings that rest on a value the code alone does not fix (a parameter's default, a value given
from outside, a condition) say so, for every rule, through the engine (resilint.provenance)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.model import Location, Resource
from resilint.provenance import with_provenance

FIXTURE = "fixtures/database_without_multi_az/fail_cfn_values_from_defaults_and_conditions"


def messages(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, str]:
    code = main(["scan", FIXTURE, "--select", "RES302", "--format", "json", "--no-cache", *argv])
    out, err = capsys.readouterr()
    assert code == 1, err
    return {f["resource"]: f["message"] for f in json.loads(out)["findings"]}


def test_findings_name_the_default_or_condition_they_rest_on(capsys: pytest.CaptureFixture[str]) -> None:
    found = messages(capsys)
    condition = "condition IsProd (parameter Environment's default)"
    assert found["Sessions"].endswith(
        "down until someone promotes a replica [rests on AutomaticFailoverEnabled: parameter CacheFailover's default]"
    )
    assert found["Reports"].endswith(f"promotes a replica [rests on Condition: {condition}]"), "it exists only under the condition"
    # RES302 says the value's source itself, here the same condition: nothing said twice.
    assert found["Orders"] == f"Orders runs in one availability zone (MultiAZ = false: {condition})"


def test_a_given_value_is_named_as_given(capsys: pytest.CaptureFixture[str]) -> None:
    found = messages(capsys, "--parameter", "CacheFailover=false", "--parameter", "Environment=prod")
    assert found["Sessions"].endswith("[rests on AutomaticFailoverEnabled: parameter CacheFailover from the command line]")
    assert found["Reports"].endswith("[rests on Condition: condition IsProd (parameter Environment from the command line)]")


def test_values_written_in_the_code_add_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", "fixtures/database_without_multi_az/fail_cfn_elasticache", "--format", "json", "--no-cache"])
    assert code == 1
    assert not any("rests on" in f["message"] for f in json.loads(capsys.readouterr().out)["findings"])


def _resource(provenance: dict[str, str]) -> Resource:
    return Resource(
        source="cloudformation",
        type="AWS::EC2::Instance",
        address="Web",
        unit="t.yaml",
        provider="aws",
        cloud="aws",
        provenance=provenance,
        location=Location(path="t.yaml", line=3, end_line=3),
    )


def test_attributes_a_rule_lists_and_attributes_the_message_names() -> None:
    web = _resource({"SubnetId": "parameter Subnet's default", "ImageId": "parameter Ami's default", "Tags": "condition X"})
    assert with_provenance("Web runs in one zone", web) == "Web runs in one zone"
    assert with_provenance("Web runs in one zone", web, rests_on=("SubnetId",)) == "Web runs in one zone [rests on SubnetId: parameter Subnet's default]"
    # A name only counts as a whole word: "SubnetIds" is not "SubnetId".
    assert with_provenance("Web has SubnetIds = []", web) == "Web has SubnetIds = []"
    assert with_provenance("Web (SubnetId = x, ImageId = y)", web) == (
        "Web (SubnetId = x, ImageId = y) [rests on ImageId: parameter Ami's default; SubnetId: parameter Subnet's default]"
    )
    assert with_provenance("x", _resource({})) == "x"


def test_the_bundled_example_is_unchanged(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["scan", "fixtures/example", "--format", "json", "--no-cache"])
    assert not any("rests on" in f["message"] for f in json.loads(capsys.readouterr().out)["findings"])
