"""JUnit XML validates against the schema CI servers read (tests/data/junit.xsd); parse errors are
<error>, findings <failure>."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema  # in the test extra: pip install -e '.[test]'

from resilint.cli import main
from tests.conftest import write

SCHEMA = xmlschema.XMLSchema(str(Path(__file__).resolve().parent.parent / "data" / "junit.xsd"))
BAD = 'resource "aws_db_instance" "db" {\n  multi_az =\n}\n'


def junit(capsys: pytest.CaptureFixture[str], *paths: str) -> tuple[int, str]:
    code = main(["scan", *paths, "--format", "junit", "--no-cache"])
    return code, capsys.readouterr().out


@pytest.mark.parametrize("paths", [("fixtures/example",), ("fixtures/parse_error",), ("fixtures/malformed_suppression",)])
def test_reports_validate_against_the_junit_schema(capsys: pytest.CaptureFixture[str], paths: tuple[str, ...]) -> None:
    _, out = junit(capsys, *paths)
    SCHEMA.validate(out)


def test_a_clean_scan_validates(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'resource "aws_iam_role" "r" {\n  name = "r"\n}\n'})
    code, out = junit(capsys, str(tmp_path))
    assert code == 0
    SCHEMA.validate(out)


def test_the_schema_rejects_what_ci_servers_reject() -> None:
    """The test is only as good as the schema: it must fail on what Jenkins' schema refuses."""
    valid = '<testsuites><testsuite name="a" tests="1" failures="1" errors="0"><testcase name="x"><failure message="m"/></testcase></testsuite></testsuites>'
    SCHEMA.validate(valid)
    for invalid in (
        valid.replace(' errors="0"', ""),  # a required count missing
        valid.replace('<testcase name="x">', '<testcase name="x" file="a.tf" line="3">'),  # attributes Jenkins refuses
        valid.replace('tests="1"', 'tests="one"'),
        valid.replace("<failure", "<failed").replace("</failure>", "</failed>"),
    ):
        assert not SCHEMA.is_valid(invalid), invalid


def test_parse_errors_are_errors_and_findings_are_failures(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, {"broken/main.tf": BAD, "db/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\nresource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'})
    code, out = junit(capsys, str(tmp_path))
    assert code == 2
    SCHEMA.validate(out)
    root = ET.fromstring(out.split("\n", 1)[1])
    broken = next(s for s in root.findall("testsuite") if s.get("name", "").endswith("broken/main.tf"))
    assert broken.get("errors") == "1" and broken.get("failures") == "0"
    (case,) = broken.findall("testcase")
    assert case.find("error") is not None and case.find("failure") is None
    assert "RES001" in case.get("name", "")
    assert root.get("errors") == "1" and int(root.get("failures", "0")) >= 1
    db = next(s for s in root.findall("testsuite") if s.get("name", "").endswith("db/main.tf"))
    assert all(c.find("failure") is not None for c in db.findall("testcase"))
