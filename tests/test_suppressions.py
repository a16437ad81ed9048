"""Inline suppressions in Terraform and CloudFormation: comments, Metadata, reasons, expiry,
the audit switch, and how they show in the outputs."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.config import Settings
from resilint.parsers import ParseOptions
from resilint.scan import scan
from tests.conftest import write

TF = """\
provider "aws" {
  region = "eu-west-1"
}

# resilint:ignore=RES302 reporting replica, rebuilt nightly until=2027-03-31
resource "aws_db_instance" "reporting" {
  engine = "postgres"
}

# a comment about the next block
// resilint:ignore=RES302,RES101

resource "aws_db_instance" "batch" {
  engine = "postgres"
}

resource "aws_db_instance" "orders" {
  engine = "postgres"
}
"""

CFN = """\
# resilint:ignore=RES101 second region lands in Q3
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Reporting:
    Type: AWS::RDS::DBInstance
    Metadata:
      resilint:
        ignore:
          - {id: RES302, reason: "analytics only", until: "2027-03-31"}
    Properties:
      Engine: postgres
  Orders:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres # resilint:ignore=RES302 migrating to Aurora
  Plain:
    Type: AWS::RDS::DBInstance
    Properties:
      Engine: postgres
"""


def run(folder: Path, today: dt.date, inline: bool = True):  # type: ignore[no-untyped-def]
    # The rules these fixtures exercise suppressions with (the data stores also raise RES103).
    settings = Settings(inline_suppressions=inline, select=("RES101", "RES302", "RES003"))
    return scan([folder], settings, ParseOptions(), today=today)


def test_terraform_comments(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TF})
    result = run(tmp_path, dt.date(2026, 1, 1))
    active = {(f.rule_id, f.resource) for f in result.findings}
    assert active == {("RES101", None), ("RES302", "aws_db_instance.orders")}
    silenced = {(s.finding.rule_id, s.finding.resource, s.reason) for s in result.suppressed}
    assert silenced == {
        ("RES302", "aws_db_instance.reporting", "reporting replica, rebuilt nightly"),
        ("RES302", "aws_db_instance.batch", ""),
    }
    # The batch comment also names RES101, which matched nothing there; a suppression that
    # silenced something is in use, so no RES003.
    assert not [f for f in result.findings if f.rule_id == "RES003"]


def test_unused_rule_in_a_multi_rule_comment_is_reported(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TF.replace('  region = "eu-west-1"', '  region = "eu-west-1"\n  # resilint:ignore=RES101')})
    result = run(tmp_path, dt.date(2026, 1, 1))
    assert "RES101" not in {f.rule_id for f in result.findings}


def test_expired_suppression_lapses_into_a_finding(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TF})
    result = run(tmp_path, dt.date(2027, 4, 1))
    reporting = [f for f in result.findings if f.resource == "aws_db_instance.reporting"]
    assert len(reporting) == 1 and "expired on 2027-03-31" in reporting[0].message


def test_cloudformation_metadata_and_comments(tmp_path: Path) -> None:
    write(tmp_path, {"stack.yaml": CFN})
    result = run(tmp_path, dt.date(2026, 1, 1))
    assert {(f.rule_id, f.resource) for f in result.findings} == {("RES302", "Plain")}
    assert {(s.finding.rule_id, s.finding.resource or "", s.reason) for s in result.suppressed} == {
        ("RES101", "", "second region lands in Q3"),
        ("RES302", "Reporting", "analytics only"),
        ("RES302", "Orders", "migrating to Aurora"),
    }


def test_audit_mode_ignores_every_suppression(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TF, "stack.yaml": CFN})
    result = run(tmp_path, dt.date(2026, 1, 1), inline=False)
    assert result.suppressed == []
    assert len([f for f in result.findings if f.rule_id == "RES302"]) == 6


def test_outputs_count_and_list_suppressed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path, {"main.tf": TF})
    main(["scan", str(tmp_path), "--format", "json", "--no-cache"])
    document = json.loads(capsys.readouterr().out)
    assert document["summary"]["suppressed"] == 2 and "suppressed" not in document
    main(["scan", str(tmp_path), "--format", "json", "--no-cache", "--show-suppressed"])
    listed = json.loads(capsys.readouterr().out)["suppressed"]
    assert {s["resource"] for s in listed} == {"aws_db_instance.reporting", "aws_db_instance.batch"}
    main(["scan", str(tmp_path), "--no-cache", "--show-suppressed"])
    text = capsys.readouterr().out
    assert "Suppressed" in text and "2 suppressed" in text
    main(["scan", str(tmp_path), "--format", "sarif", "--no-cache"])
    results = json.loads(capsys.readouterr().out)["runs"][0]["results"]
    silenced = [r for r in results if "suppressions" in r]
    assert len(silenced) == 2
    assert {r["suppressions"][0]["justification"] for r in silenced} == {"reporting replica, rebuilt nightly", ""}
    main(["scan", str(tmp_path), "--format", "json", "--no-cache", "--no-inline-suppressions"])
    assert json.loads(capsys.readouterr().out)["summary"]["suppressed"] == 0
