"""The text report groups findings by system and unit (issue 12, output): a heading per unit,
naming its system when the system has other units, and one for a module several roots call."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.cli import main
from tests.conftest import write


def root(region: str, backend: str = "", extra: str = "") -> str:
    return f'{backend}provider "aws" {{\n  region = "{region}"\n}}\n\nresource "aws_db_instance" "db" {{\n  engine = "postgres"\n}}\n{extra}'


def s3_backend(key: str) -> str:
    return f'terraform {{\n  backend "s3" {{\n    bucket = "acme"\n    key    = "{key}"\n    region = "us-east-1"\n  }}\n}}\n\n'


READS = 'data "terraform_remote_state" "dr" {\n  backend = "s3"\n  config = {\n    bucket = "acme"\n    key    = "dr.tfstate"\n    region = "us-east-1"\n  }\n}\n'


def text(capsys: pytest.CaptureFixture[str], *paths: str) -> str:
    main(["scan", *paths, "--no-cache", "--select", "RES302", "--format", "text", "--quiet"])
    return capsys.readouterr().out


def test_headings_name_the_unit_and_its_system(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {
        "primary/main.tf": root("us-east-1", s3_backend("primary.tfstate"), READS),
        "dr/main.tf": root("us-west-2", s3_backend("dr.tfstate")),
        "tools/main.tf": root("eu-west-1"),
    })
    lines = [line for line in text(capsys, ".").splitlines() if line and not line.startswith(" ")]
    assert lines == [
        "unit dr (system dr + primary)",
        "dr/main.tf:13:1: RES302 [warning] aws_db_instance.db",
        "unit primary (system dr + primary)",
        "primary/main.tf:13:1: RES302 [warning] aws_db_instance.db",
        "unit tools",
        "tools/main.tf:5:1: RES302 [warning] aws_db_instance.db",
    ]


def test_one_unit_has_no_heading(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    write(tmp_path, {"main.tf": root("eu-west-1")})
    assert text(capsys, ".").splitlines()[0] == "main.tf:5:1: RES302 [warning] aws_db_instance.db"


def test_a_module_several_roots_call_is_a_group_of_its_own(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    call = 'provider "aws" {{\n  region = "{region}"\n}}\n\nmodule "db" {{\n  source = "../../modules/db"\n}}\n'
    write(tmp_path, {
        "modules/db/main.tf": 'resource "aws_db_instance" "this" {\n  engine = "postgres"\n}\n',
        "envs/a/main.tf": call.format(region="eu-west-1"),
        "envs/b/main.tf": call.format(region="us-east-1") + '\nresource "aws_db_instance" "own" {\n  engine = "postgres"\n}\n',
    })
    lines = [line for line in text(capsys, ".").splitlines() if line and not line.startswith(" ")]
    assert lines == [
        "in a module called from envs/a, envs/b",
        "modules/db/main.tf:1:1: RES302 [warning] module.db.aws_db_instance.this",
        "unit envs/b",
        "envs/b/main.tf:9:1: RES302 [warning] aws_db_instance.own",
    ]
