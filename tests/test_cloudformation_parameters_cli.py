"""CloudFormation parameter values from outside the templates, end to end through the command
line: `--parameter`, `--parameter-file` in the forms users have, configuration, their order, and
what a finding says about where its value came from."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

TEMPLATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  DBMultiAZ:
    Type: String
    Default: "false"
  Engine:
    Type: String
    Default: postgres
Resources:
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: !Ref Engine
      DBInstanceClass: db.r6g.large
      MultiAZ: !Ref DBMultiAZ
"""


def res302(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The RES302 messages of a scan (exit 0 or 1)."""
    code = main(["scan", *argv, "--select", "RES302", "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    assert code in (0, 1), err
    return [f["message"] for f in json.loads(out)["findings"]]


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert code == 2, err
    return err


@pytest.fixture()
def stack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"stacks/db.yaml": TEMPLATE})
    return tmp_path


def test_without_values_the_finding_names_the_default(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert res302(capsys, "stacks") == ["Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ's default)"]


@pytest.mark.parametrize(
    "name, text",
    [
        ("create-stack.json", json.dumps([{"ParameterKey": "DBMultiAZ", "ParameterValue": "true"}])),
        ("pipeline.json", json.dumps({"Parameters": {"DBMultiAZ": "true"}, "Tags": {"team": "a"}})),
        ("plain.json", json.dumps({"DBMultiAZ": True})),
        ("overrides.json", json.dumps(["DBMultiAZ=true"])),
        ("prod.env", "# production\n\nexport Engine=postgres\nDBMultiAZ = \"true\"\n"),
    ],
)
def test_every_file_form_gives_values(stack: Path, capsys: pytest.CaptureFixture[str], name: str, text: str) -> None:
    write(stack, {name: text})
    assert res302(capsys, "stacks", "--parameter-file", name) == []


@pytest.mark.parametrize("entry", [{"ParameterKey": "DBMultiAZ", "UsePreviousValue": True}, {"ParameterKey": "DBMultiAZ"}])
def test_a_parameter_named_without_a_value_is_not_known(stack: Path, capsys: pytest.CaptureFixture[str], entry: dict[str, object]) -> None:
    # The stack keeps its current value, which the code does not show: not the template's default.
    write(stack, {"update.json": json.dumps([entry])})
    assert res302(capsys, "stacks", "--parameter-file", "update.json") == []
    assert res302(capsys, "stacks", "--parameter-file", "update.json", "--parameter", "DBMultiAZ=false") != []


def test_a_given_value_is_named_in_the_finding(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(stack, {"params/prod.json": json.dumps({"Parameters": {"DBMultiAZ": "false"}})})
    assert res302(capsys, "stacks", "--parameter-file", "params/prod.json") == [
        "Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ from params/prod.json)"
    ]
    assert res302(capsys, "stacks", "--parameter", "DBMultiAZ=false") == [
        "Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ from the command line)"
    ]


def test_command_line_values_apply_in_order_after_configuration(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        stack,
        {
            "on.json": json.dumps({"DBMultiAZ": "true"}),
            "off.env": "DBMultiAZ=false\n",
            ".resilint.toml": '[cloudformation]\nparameters = { DBMultiAZ = true }\n',
        },
    )
    assert res302(capsys, "stacks") == [], "configuration gives true"
    off = ["Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ from off.env)"]
    assert res302(capsys, "stacks", "--parameter-file", "off.env") == off, "a file on the command line wins over configuration"
    assert res302(capsys, "stacks", "--parameter-file", "off.env", "--parameter-file", "on.json") == [], "the later file wins"
    assert res302(capsys, "stacks", "--parameter", "DBMultiAZ=true", "--parameter-file", "off.env") == off, "a file after a flag wins"
    assert res302(capsys, "stacks", "--parameter-file", "off.env", "--parameter", "DBMultiAZ=true") == []


def test_configuration_files_values_and_stacks(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        stack,
        {
            "stacks/other.yaml": TEMPLATE,
            "ci/on.json": json.dumps([{"ParameterKey": "DBMultiAZ", "ParameterValue": "true"}]),
            "ci/off.env": "DBMultiAZ=false\n",
            ".resilint.toml": (
                "[cloudformation]\n"
                'parameter-files = ["ci/on.json"]\n'  # relative to the configuration file
                "[[cloudformation.stacks]]\n"
                'path = "stacks/other.yaml"\n'
                'parameter-files = ["ci/off.env"]\n'
                "[[cloudformation.stacks]]\n"
                'path = "stacks/*.yaml"\n'
                'parameters = { DBMultiAZ = "false" }\n'  # other.yaml matched the entry above first
            ),
        },
    )
    code = main(["scan", "stacks", "--select", "RES302", "--format", "json", "--no-cache"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert sorted((Path(f["path"]).name, f["message"]) for f in findings) == [
        ("db.yaml", "Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ from .resilint.toml)"),
        ("other.yaml", "Database runs in one availability zone (MultiAZ = false: parameter DBMultiAZ from ci/off.env)"),
    ]
    assert main(["scan", "stacks", "--show-config"]) == 0
    shown = tomllib.loads(capsys.readouterr().out)["cloudformation"]
    assert shown == {
        "parameter-files": ["ci/on.json"],
        "stacks": [
            {"path": "stacks/other.yaml", "parameter-files": ["ci/off.env"]},
            {"path": "stacks/*.yaml", "parameters": {"DBMultiAZ": "false"}},
        ],
    }


def test_a_parameter_file_named_reports_the_templates_it_gives_values(
    stack: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """File mode (pre-commit): a parameter file of the configuration is an input of the templates
    it applies to; named, it reports their findings, from the file index as without it."""
    (stack / ".git").mkdir()
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(stack / ".cache"))
    write(
        stack,
        {
            "stacks/other.yaml": TEMPLATE,
            "ci/all.env": "DBMultiAZ=false\n",
            "ci/other.env": "DBMultiAZ=false\n",
            "ci/unused.env": "DBMultiAZ=true\n",
            ".resilint.toml": (
                '[cloudformation]\nparameter-files = ["ci/all.env"]\n'
                '[[cloudformation.stacks]]\npath = "stacks/other.yaml"\nparameter-files = ["ci/other.env"]\n'
            ),
        },
    )

    def named(name: str, *cache: str) -> list[str]:
        main(["scan", name, "--select", "RES302", "--format", "json", *cache])
        return sorted(f"{f['path']}: {f['message']}" for f in json.loads(capsys.readouterr().out)["findings"])

    both = named("stacks", "--no-cache")
    assert [f.split(":")[0] for f in both] == ["stacks/db.yaml", "stacks/other.yaml"]
    for cache in (["--no-cache"], [], []):  # without the cache; writing the index; from it
        assert named("ci/all.env", *cache) == both
        assert named("ci/other.env", *cache) == [f for f in both if f.startswith("stacks/other.yaml")]
        assert named("ci/unused.env", *cache) == []


def test_parameters_in_pyproject(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(stack, {"pyproject.toml": '[tool.resilint.cloudformation]\nparameters = { DBMultiAZ = "true" }\n'})
    assert res302(capsys, "stacks") == []


def test_bad_values_and_files_are_usage_errors(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(stack, {"bad.json": '{"DBMultiAZ": \n', "bad.env": "DBMultiAZ=true\nnot a pair\n", "nested.json": '{"DBMultiAZ": {"a": 1}}'})
    assert "--parameter 'DBMultiAZ': expected NAME=VALUE" in usage_error(capsys, "scan", "stacks", "--parameter", "DBMultiAZ")
    assert "parameter file missing.json: cannot be read" in usage_error(capsys, "scan", "stacks", "--parameter-file", "missing.json")
    assert "bad.json:2: not a JSON parameter file" in usage_error(capsys, "scan", "stacks", "--parameter-file", "bad.json")
    assert "bad.env:2: expected NAME=VALUE" in usage_error(capsys, "scan", "stacks", "--parameter-file", "bad.env")
    assert "the value of DBMultiAZ is not a string" in usage_error(capsys, "scan", "stacks", "--parameter-file", "nested.json")
    write(stack, {".resilint.toml": '[cloudformation]\nparameter-files = ["missing.env"]\n'})
    assert "missing.env: cannot be read" in usage_error(capsys, "scan", "stacks")
    assert "missing.env: cannot be read" in usage_error(capsys, "systems", "stacks")


def test_systems_and_simulate_take_the_same_options(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(stack, {"off.env": "DBMultiAZ=false\n"})
    assert main(["systems", "stacks", "--parameter-file", "off.env", "--parameter", "Engine=mysql", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)
    assert "--parameter 'x': expected NAME=VALUE" in usage_error(capsys, "systems", "stacks", "--parameter", "x")
    code = main(["simulate", "stacks", "--fail", "aws", "--parameter-file", "off.env", "--parameter", "Engine=mysql"])
    assert code in (0, 1), capsys.readouterr().err
    assert "off.json: cannot be read" in usage_error(capsys, "simulate", "stacks", "--fail", "aws", "--parameter-file", "off.json")


def test_a_parameter_no_scanned_template_declares_is_a_warning(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A misspelt --parameter (or one in a parameter file) would change nothing, silently: the
    user is told on stderr, with the name meant; the findings and the exit code stay as they are."""
    write(stack, {"params.json": json.dumps([{"ParameterKey": "Tier", "ParameterValue": "gold"}]), "dev.env": "DBMultiAZ=false\n"})
    code = main([
        "scan", "stacks", "--select", "RES302", "--format", "json", "--no-cache",
        "--parameter", "DBMultiAz=true", "--parameter-file", "params.json", "--parameter-file", "dev.env",
        "--parameter", "DBMultiAz=false",
    ])
    out, err = capsys.readouterr()
    assert code == 1 and len(json.loads(out)["findings"]) == 1
    assert err.splitlines() == [
        "resilint: warning: --parameter DBMultiAz: no scanned template declares it, so its value is not used; did you mean DBMultiAZ?",
        "resilint: warning: parameter Tier (in params.json): no scanned template declares it, so its value is not used",
    ]


def test_declared_parameters_and_named_files_give_no_warning(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(stack, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
    assert main(["scan", "stacks", "--no-cache", "--select", "RES302", "--parameter", "DBMultiAZ=true", "--format", "json"]) == 0
    assert capsys.readouterr().err == ""
    # Named files build only the units they need: a template elsewhere may declare it.
    main(["scan", "main.tf", "--no-cache", "--parameter", "Other=1", "--format", "json"])
    assert capsys.readouterr().err == ""
    main(["scan", ".", "--no-cache", "--select", "RES302", "--parameter", "Other=1", "--format", "json", "--exclude", "stacks"])
    assert capsys.readouterr().err.splitlines() == [
        "resilint: warning: --parameter Other: no CloudFormation template was scanned, so its value is not used"
    ]


def test_systems_and_simulate_warn_about_undeclared_parameters_too(stack: Path, capsys: pytest.CaptureFixture[str]) -> None:
    warning = "resilint: warning: --parameter Tier: no scanned template declares it, so its value is not used\n"
    assert main(["systems", "stacks", "--no-cache", "--parameter", "Tier=gold"]) == 0
    assert capsys.readouterr().err == warning
    main(["simulate", "stacks", "--no-cache", "--parameter", "Tier=gold", "--fail", "aws:us-east-1"])
    assert capsys.readouterr().err == warning
