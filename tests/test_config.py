"""Configuration files: discovery, precedence, strictness, and what each key does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.config import tomllib
from tests.conftest import write

DB = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nresource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n\n' + 'resource "aws_instance" "app" {\n  ami = "ami-12345678"\n}\n'
STACK = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::Lambda::Function\n'


def scan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict, str]:
    code = main(["scan", *argv, "--format", "json", "--no-cache"])
    out, err = capsys.readouterr()
    return code, (json.loads(out) if out.strip().startswith("{") else {}), err


def ids(document: dict) -> list[str]:
    return sorted(f["rule_id"] for f in document["findings"])


def test_pyproject_found_upwards_and_command_line_wins(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.resilint]\nignore = ["RES101"]\nfail-on = "error"\n', "infra/app/main.tf": DB})
    code, document, _ = scan(capsys, str(tmp_path / "infra" / "app"))
    assert ids(document) == ["RES103", "RES302"] and code == 0, "ignore and fail-on come from the file"
    code, document, _ = scan(capsys, str(tmp_path / "infra" / "app"), "--ignore", "RES302", "--fail-on", "warning")
    assert ids(document) == ["RES101", "RES103"] and code == 1, "the command line wins"


def test_dot_resilint_toml_wins_over_pyproject_in_the_same_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.resilint]\nignore = ["RES101"]\n', ".resilint.toml": 'ignore = ["RES302"]\n', "main.tf": DB})
    assert ids(scan(capsys, str(tmp_path))[1]) == ["RES101", "RES103"]


def test_pyproject_without_the_table_is_not_a_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.black]\nline-length = 100\n', "a/pyproject.toml": "[project]\nname='x'\n", "a/main.tf": DB})
    assert ids(scan(capsys, str(tmp_path / "a"))[1]) == ["RES101", "RES103", "RES302"]


@pytest.mark.parametrize(
    "config, words",
    [
        ('[tool.resilint]\nselcet = ["RES1"]\n', "selcet: unknown key"),
        ('[tool.resilint]\nfail-on = "fatal"\n', "fail-on"),
        ('[tool.resilint]\nmax-file-size = -1\n', "max-file-size"),
        ('[tool.resilint.severity]\nRES101 = "loud"\n', "severity.RES101"),
        ('[tool.resilint.severity]\nRES999 = "error"\n', "severity.RES999: no such rule"),
        ('[tool.resilint.rules.RES203]\nttl-warnin = 90\n', "rules.RES203.ttl-warnin: unknown option"),
        ('[tool.resilint.rules.RES203]\nttl-warning = "ninety"\n', "expected int"),
        ('[tool.resilint.cloudformation]\nregion = ["us-east-1"]\n', "cloudformation.region: unknown key"),
        ("[tool.resilint\n", "not valid TOML"),
    ],
)
def test_bad_configuration_is_an_error_naming_file_and_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: str, words: str
) -> None:
    write(tmp_path, {"pyproject.toml": config, "main.tf": DB})
    code, _, err = scan(capsys, str(tmp_path))
    assert code == 2
    assert "pyproject.toml" in err and words in err


@pytest.mark.parametrize(
    "name, config, message",
    [
        # the key meant, at the level it is written (a table's own keys, an array of tables')
        ("pyproject.toml", '[tool.resilint]\nslect = ["RES1"]\n', "slect: unknown key; did you mean select?"),
        ("pyproject.toml", '[tool.resilint.cloudformation]\nregion = ["us-east-1"]\n', "cloudformation.region: unknown key; did you mean regions?"),
        (".resilint.toml", '[[cloudformation.stacks]]\npath = "a.yaml"\nregion = ["us-east-1"]\n', "cloudformation.stacks.0.region: unknown key; did you mean regions?"),
        (".resilint.toml", '[dns]\nsecondry = {}\n', "dns.secondry: unknown key; did you mean secondary?"),
        # one sentence for a choice, not pydantic's one per member of the union
        (".resilint.toml", 'fail-on = "warnings"\n', "fail-on: 'warnings' is not one of 'error', 'warning', 'note', 'never'; did you mean warning?"),
        (".resilint.toml", '[tool.resilint]\nselect = ["RES1"]\n', "tool: unknown key (in .resilint.toml the settings are at the top level, without [tool.resilint]: that table is pyproject.toml's)"),
        # a rule name from the file names the file and the key
        (".resilint.toml", 'ignore = ["single-endpoint-dn"]\n', "ignore: unknown rule 'single-endpoint-dn'; did you mean single-endpoint-dns?"),
        # a validator's words without pydantic's "Value error, "
        (".resilint.toml", '[[objectives]]\nsystems = ["*"]\nsurvive = ["any-regio"]\n', "objectives.0.survive: unknown word 'any-regio'; did you mean any-region?"),
    ],
)
def test_bad_configuration_says_what_was_meant(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, config: str, message: str
) -> None:
    write(tmp_path, {name: config, "main.tf": DB})
    code, _, err = scan(capsys, str(tmp_path))
    assert code == 2
    assert err.startswith(f"resilint: error: {tmp_path / name}: {message}")


def test_severity_overrides_rule_options_and_excludes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path,
        {
            ".resilint.toml": 'exclude = ["legacy"]\n[severity]\nRES302 = "note"\n',
            "main.tf": DB,
            "legacy/main.tf": DB,
        },
    )
    code, document, _ = scan(capsys, str(tmp_path))
    assert {(f["rule_id"], f["severity"]) for f in document["findings"]} == {("RES101", "warning"), ("RES103", "warning"), ("RES302", "note")}
    assert all("legacy" not in f["path"] for f in document["findings"])


def test_cloudformation_regions_global_and_per_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path,
        {
            ".resilint.toml": (
                '[cloudformation]\nregions = ["us-east-1"]\n'
                '[[cloudformation.stacks]]\npath = "global/*.yaml"\nregions = ["us-east-1", "eu-west-1"]\n'
            ),
            "global/app.yaml": STACK,
            "local/app.yaml": STACK,
        },
    )
    findings = scan(capsys, str(tmp_path))[1]["findings"]
    assert [(Path(f["path"]).parent.name, f["rule_id"]) for f in findings] == [("local", "RES101")]
    assert "(us-east-1)" in findings[0]["message"]


def test_secondary_dns_declared_in_configuration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    zone = 'resource "aws_route53_zone" "main" {\n  name = "shop.io"\n}\n'
    write(tmp_path, {"main.tf": zone})
    assert "RES201" in ids(scan(capsys, str(tmp_path))[1])
    write(tmp_path, {".resilint.toml": '[dns.secondary]\n"shop.io" = ["NS1"]\n'})
    assert "RES201" not in ids(scan(capsys, str(tmp_path))[1])


def test_rule_options_reach_the_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    record = (
        'resource "aws_route53_zone" "z" {\n  name = "shop.io"\n}\n'
        'resource "aws_route53_health_check" "h" {\n  fqdn = "a.shop.io"\n  type = "HTTPS"\n}\n'
        'resource "aws_route53_record" "r" {\n  zone_id = aws_route53_zone.z.zone_id\n  name = "api"\n  type = "A"\n'
        '  ttl = 90\n  records = ["192.0.2.1"]\n  set_identifier = "a"\n  health_check_id = aws_route53_health_check.h.id\n'
        '  weighted_routing_policy {\n    weight = 1\n  }\n}\n'
    )
    write(tmp_path, {"main.tf": record})
    severities = {f["severity"] for f in scan(capsys, str(tmp_path), "--select", "RES203")[1]["findings"]}
    assert severities == {"note"}
    write(tmp_path, {".resilint.toml": "[rules.RES203]\nttl-warning = 80\n"})
    severities = {f["severity"] for f in scan(capsys, str(tmp_path), "--select", "RES203")[1]["findings"]}
    assert severities == {"warning"}


def test_explicit_config_and_show_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"ci/resilint.toml": 'select = ["RES3"]\nvar-files = ["prod.tfvars"]\n', "ci/prod.tfvars": "", "main.tf": DB})
    code = main(["scan", str(tmp_path), "--config", str(tmp_path / "ci" / "resilint.toml"), "--show-config"])
    text = capsys.readouterr().out
    shown = tomllib.loads(text)
    assert code == 0
    assert text.startswith("# resilint ") and "resilint.toml" in text.splitlines()[0]
    assert shown["select"] == ["RES3"]
    assert shown["var-files"] == ["prod.tfvars"], "relative to the configuration file, as written"
    assert main(["scan", str(tmp_path), "--config", str(tmp_path / "missing.toml")]) == 2


MISSPELT = "{path}: [tool.{name}] is not read (resilint reads [tool.resilint]); did you mean [tool.resilint]?"


@pytest.mark.parametrize("name", ["resilnt", "resilint-x", "reslint"])
def test_a_misspelt_pyproject_table_is_a_warning_naming_file_and_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write(tmp_path, {"pyproject.toml": f'[tool.{name}]\nfail-on = "never"\n\n[tool.ruff]\nline-length = 100\n', "infra/main.tf": DB})
    monkeypatch.chdir(tmp_path)
    code, document, err = scan(capsys, "infra")
    assert err.splitlines() == ["resilint: warning: " + MISSPELT.format(path="pyproject.toml", name=name)]
    assert code == 1 and ids(document) == ["RES101", "RES103", "RES302"], "a warning, never an error: the table is not read"
    main(["simulate", "infra", "--fail", "aws:eu-west-1", "--no-cache"])
    assert capsys.readouterr().err.splitlines()[0] == "resilint: warning: " + MISSPELT.format(path="pyproject.toml", name=name)


def test_no_warning_beside_the_table_or_for_another_tool(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"pyproject.toml": '[tool.resilint]\nfail-on = "never"\n\n[tool.resilnt]\nx = 1\n', "a/pyproject.toml": "[tool.resilience]\nx = 1\n", "a/main.tf": DB})
    monkeypatch.chdir(tmp_path)
    code, _, err = scan(capsys, "a")
    assert (code, err) == (0, "")


def test_config_naming_a_pyproject_without_the_table_warns_that_nothing_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.ruff]\nline-length = 100\n", "tool/pyproject.toml": "[tool.resilnt]\nx = 1\n", "main.tf": DB})
    monkeypatch.chdir(tmp_path)
    code, document, err = scan(capsys, ".", "--config", "pyproject.toml")
    assert err.splitlines() == ["resilint: warning: pyproject.toml: no [tool.resilint] table: nothing was read from it"]
    assert code == 1 and ids(document) == ["RES101", "RES103", "RES302"]
    _, _, err = scan(capsys, ".", "--config", "tool/pyproject.toml")
    assert err.splitlines() == [
        "resilint: warning: tool/pyproject.toml: no [tool.resilint] table: nothing was read from it",
        "resilint: warning: " + MISSPELT.format(path="tool/pyproject.toml", name="resilnt"),
    ]
