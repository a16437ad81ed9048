"""Inputs found by bench/fuzz.py that broke resilint, minimised: each gives plain words (a RES001
with path and line, or a configuration error naming the file), never a traceback or a RES002."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from resilint.cli import main

REPO = Path(__file__).resolve().parents[2]
GOOD = 'resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n'


def test_configuration_file_not_utf8_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".resilint.toml").write_bytes(b'fail_on = "error"\nselect = ["RES\xff"]\n')
    (tmp_path / "main.tf").write_text(GOOD)
    assert main(["scan", str(tmp_path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert ".resilint.toml: not valid TOML: not UTF-8 (byte 0xff" in err
    assert "internal error" not in err


def scan_json(folder: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict[str, object]]]:
    code = main(["scan", str(folder), "--no-cache", "--format", "json", "--severity", "error,warning,note"])
    out = capsys.readouterr().out
    return code, json.loads(out)["findings"]


def test_bare_root_names_are_unknown_in_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # `local`, `data.TYPE`, `var["x"]` with no attribute: Terraform refuses them. They were read as
    # the name of a sentinel object, whose address (`local.<object object at 0x7f...>`) made the
    # output differ from run to run.
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = local\n}\n'
        'resource "aws_db_instance" "db" {\n  engine = "mysql"\n  multi_az = data.aws_region\n'
        '  storage_type = var["x"]\n}\n'
    )
    code, findings = scan_json(tmp_path, capsys)
    assert code != 2  # no input left unread
    messages = " ".join(str(f["message"]) for f in findings)
    assert "object at 0x" not in messages
    assert "local cannot be read by itself: name one of its attributes (local.NAME)" in messages
    assert {f["rule_id"] for f in findings} <= {"RES102", "RES103"}  # unknown is never a warning of its own


def test_terragrunt_source_too_long_for_a_path_is_not_an_internal_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A path component over the system's limit (255 bytes): stat() raises ENAMETOOLONG, which
    # Path.is_dir() lets through; the unit became a RES001 "internal error".
    (tmp_path / "live").mkdir()
    (tmp_path / "live" / "terragrunt.hcl").write_text('terraform {\n  source = "' + "a" * 5000 + '"\n}\n')
    (tmp_path / "main.tf").write_text('module "m" {\n  source = "./' + "b" * 5000 + '"\n}\n' + GOOD)
    code, findings = scan_json(tmp_path, capsys)
    assert not [f for f in findings if f["rule_id"] in ("RES001", "RES002")], findings
    assert code != 2  # no input left unread


def test_provider_setting_of_the_wrong_shape_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A provider configuration is hashed; a list where one value belongs made it unhashable and the
    # whole root (or plan) a RES001 "internal error".
    (tmp_path / "tf").mkdir()
    (tmp_path / "tf" / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n  sts_region = formatlist("%s", ["us-east-1"])\n}\n'
        'resource "aws_iam_role" "r" {\n  name = "r"\n}\n' + GOOD
    )
    plan = json.loads((REPO / "fixtures" / "sts_pinned_to_us_east_1" / "fail_plan" / "plan.json").read_text())
    plan["configuration"]["provider_config"]["aws"]["expressions"]["region"] = {"constant_value": [1]}
    plan["configuration"]["provider_config"]["aws"]["expressions"]["sts_region"] = {"constant_value": {"a": 1}}
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "plan.json").write_text(json.dumps(plan))
    code, findings = scan_json(tmp_path, capsys)
    assert not [f for f in findings if f["rule_id"] in ("RES001", "RES002")], findings
    assert {f["path"].rsplit("/", 2)[-2] for f in findings} == {"tf", "plan"}  # both analysed
    assert code != 2


@pytest.mark.parametrize("count", ["1e400", "-1e400", "1.5"])
def test_count_that_is_not_a_whole_number_is_unknown(tmp_path: Path, capsys: pytest.CaptureFixture[str], count: str) -> None:
    # int(float("inf")) raised OverflowError: the root became a RES001 internal error.
    (tmp_path / "main.tf").write_text(
        'provider "aws" {\n  region = "eu-west-1"\n}\n'
        f'resource "aws_db_instance" "db" {{\n  count = {count}\n  engine = "mysql"\n  multi_az = false\n}}\n'
    )
    code, findings = scan_json(tmp_path, capsys)
    # Terraform refuses such a count: how many databases there are is unknown, so nothing is
    # claimed about them (not one single-AZ database, as int(1.5) made it)
    assert (code, findings) == (0, [])
