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
from resilint.suppressions import from_comments
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

resource "aws_instance" "app" {
  ami = "ami-12345678"
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
  Api:
    Type: AWS::Lambda::Function
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


def test_show_suppressed_lists_them_in_every_format_for_people(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--show-suppressed did nothing with --format concise or markdown, nor with --quiet."""
    write(tmp_path, {"main.tf": TF})
    main(["scan", str(tmp_path), "--format", "concise", "--no-cache", "--show-suppressed", "--select", "RES302"])
    lines = capsys.readouterr().out.splitlines()
    silenced = [line for line in lines if "[suppressed]" in line]
    assert [line.split(": ", 1)[1].split(" [")[0] for line in silenced] == ["RES302", "RES302"]
    assert silenced[0].endswith("(suppressed: reporting replica, rebuilt nightly)")
    assert "aws_db_instance.batch" in silenced[1] and "(suppressed" not in silenced[1]
    main(["scan", str(tmp_path), "--format", "concise", "--no-cache", "--select", "RES302"])
    assert "[suppressed]" not in capsys.readouterr().out
    main(["scan", str(tmp_path), "--no-cache", "--show-suppressed", "--quiet", "--select", "RES302"])
    quiet = capsys.readouterr().out
    assert "Suppressed" in quiet and "reporting replica, rebuilt nightly" in quiet and "scanned" not in quiet
    main(["scan", str(tmp_path), "--format", "markdown", "--no-cache", "--show-suppressed", "--select", "RES302"])
    markdown = capsys.readouterr().out
    assert "### Suppressed" in markdown and "| reporting replica, rebuilt nightly |" in markdown
    assert "Not shown: 2 suppressed" not in markdown


# Malformed suppressions (RES005) -----------------------------------------------------------------

MALFORMED = Path("fixtures/malformed_suppression")


def _scan_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict:
    main(["scan", "--format", "json", "--no-cache", *argv])
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(
    ("case", "line", "says"),
    [
        ("fail_bare_ignore/main.tf", 5, "names no rule"),
        ("fail_space_after_colon/main.tf", 5, "a colon and no spaces"),
        ("fail_space_after_colon/main.tf", 11, "a colon and no spaces"),
        ("fail_space_after_colon/main.tf", 16, "lower case"),
        ("fail_block_comment/main.tf", 5, "block comment is not read"),
        ("fail_misspelt_word/main.tf", 5, "'ignroe' is not ignore"),
        ("fail_rule_id_malformed/main.tf", 5, "'RES30' is not a rule id"),
        ("fail_unknown_rule_id/main.tf", 2, "names RES999, which is not a rule"),
        ("fail_bad_until_date/main.tf", 5, "until=next-year is not a date"),
        ("fail_cfn_misspelt_metadata/template.yaml", 1, "a colon and no spaces"),
        ("fail_cfn_misspelt_metadata/template.yaml", 4, "Metadata key 'Resilint' is not read"),
        ("fail_cfn_misspelt_metadata/template.yaml", 11, "'ignroe' is not read (did you mean ignore?)"),
        ("fail_cfn_misspelt_metadata/template.yaml", 18, "'reasn' is not read (did you mean reason?)"),
        ("fail_cfn_misspelt_metadata/template.yaml", 26, "until 'next year' is not a date"),
        ("fail_cfn_misspelt_metadata/template.yaml", 34, "names RES999, which is not a rule"),
        ("fail_cfn_json_misspelt_metadata/template.json", 2, "Metadata key 'resilint-ignore' is not read"),
        ("fail_cfn_json_misspelt_metadata/template.json", 7, "ignore entry key 'expires' is not read"),
    ],
)
def test_every_malformed_form_is_res005_and_silences_nothing(capsys: pytest.CaptureFixture[str], case: str, line: int, says: str) -> None:
    path = MALFORMED / case
    document = _scan_json(capsys, str(path.parent))
    malformed = [f for f in document["findings"] if f["rule_id"] == "RES005" and f["line"] == line]
    assert len(malformed) == 1, document["findings"]
    assert malformed[0]["severity"] == "warning" and says in malformed[0]["message"]
    assert malformed[0]["path"] == path.as_posix()
    assert document["summary"]["suppressed"] == 0 or "fail_cfn" not in case
    if "unknown_rule_id" not in case:  # that case's queue has no finding to silence
        assert any(f["rule_id"] == "RES302" for f in document["findings"]), "the finding it meant to silence stays"


def test_res005_fails_the_run_and_can_be_deselected(capsys: pytest.CaptureFixture[str]) -> None:
    case = str(MALFORMED / "fail_bare_ignore")
    assert main(["scan", case, "--select", "RES005"]) == 1
    capsys.readouterr()
    assert main(["scan", case, "--select", "RES005", "--ignore", "malformed-suppression"]) == 0


def test_prose_about_resilint_is_not_a_suppression() -> None:
    text = (
        "# resilint ignores values it cannot resolve\n"
        "# see the resilint docs\n"
        "// resilint: a resilience linter\n"
        "# resilint:ignore=RES302 fine\n"
    )
    found = from_comments("main.tf", text)
    assert [(s.line, s.rules, s.problem) for s in found] == [(4, ("RES302",), None)]


@pytest.mark.parametrize("case", ["pass_cfn_every_form/template.yaml", "pass_cfn_json_every_form/template.json"])
def test_every_form_the_readme_shows_works_in_yaml_and_json(capsys: pytest.CaptureFixture[str], case: str) -> None:
    """The template-level form silences RES101 (a JSON template has no comments), the resource
    forms a bare id and {id, reason, until}."""
    path = MALFORMED / case
    document = _scan_json(capsys, str(path), "--show-suppressed")
    assert [f["rule_id"] for f in document["findings"]] == []
    assert sorted((s["rule_id"], s["reason"]) for s in document["suppressed"]) == [
        ("RES101", "the second region is planned for Q3"),
        ("RES103", "analytics only"),
        ("RES302", ""),
    ]
    unsuppressed = _scan_json(capsys, str(path), "--no-inline-suppressions")
    assert {f["rule_id"] for f in unsuppressed["findings"]} == {"RES101", "RES103", "RES302"}
