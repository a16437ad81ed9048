"""GitHub annotations, JUnit XML, Markdown, and several outputs in one run."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from resilint.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["scan", "fixtures/example", "--no-cache", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_github_annotations(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "github")
    lines = out.splitlines()
    assert code == 1 and len(lines) == 11
    assert all(
        line.startswith(("::warning file=fixtures/example/", "::error file=fixtures/example/", "::notice file=fixtures/example/"))
        for line in lines
    )
    assert sum(line.startswith("::error") for line in lines) == 2
    db = next(line for line in lines if "modules/db/main.tf" in line and "RES302" in line)
    assert ",line=14,endLine=20," in db and "title=RES302 database-without-multi-az" in db
    assert "%0AFix: set multi_az = true" in db, "newlines are escaped, the fix is included"


def test_junit_xml(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "junit")
    root = ET.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites" and root.get("failures") == "11"
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 11 and all(case.find("failure") is not None for case in cases)


def test_junit_clean_scan_is_one_passing_case(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    main(["scan", str(tmp_path), "--format", "junit"])
    root = ET.fromstring(capsys.readouterr().out.split("\n", 1)[1])
    assert root.get("failures") == "0" and len(root.findall("./testsuite/testcase")) == 1


def test_markdown_summary(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "--format", "markdown")
    assert out.startswith("## resilint ")
    assert "**11 findings** (2 errors, 9 warnings, 0 notes)" in out
    assert "| RES302 | [database-without-multi-az](" in out
    assert "`fixtures/example/terraform/modules/db/main.tf:14`" in out


def test_markdown_counts_one_of_each_in_the_singular(capsys: pytest.CaptureFixture[str]) -> None:
    """It wrote "**1 findings** (1 errors, ...) in 1 files (1 deployment units)"."""
    main(["scan", "fixtures/example/terraform/dns.tf", "--no-cache", "--format", "markdown", "--select", "RES202"])
    out = capsys.readouterr().out
    assert "**1 finding** (1 error, 0 warnings, 0 notes) in 1 file (1 deployment unit)." in out


def test_several_outputs_in_one_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    sarif, md = tmp_path / "out" / "results.sarif", tmp_path / "summary.md"
    code, out, _ = run(capsys, "--format", "text", "--format", "sarif", "--format", "markdown",
                       "--output", f"sarif={sarif}", "--output", f"markdown={md}")
    assert code == 1
    assert "RES302" in out and "fix:" in out, "text went to standard output"
    assert json.loads(sarif.read_text())["version"] == "2.1.0"
    assert md.read_text().startswith("## resilint")


def test_output_routing_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "--format", "json", "--format", "sarif")[0] == 2
    code, _, err = run(capsys, "--format", "json", "--format", "sarif", "--output", str(tmp_path / "x"))
    assert code == 2 and "name the format" in err
    code, out, _ = run(capsys, "--output", f"sarif={tmp_path / 'only.sarif'}")
    assert code == 1 and "RES302" in out and (tmp_path / "only.sarif").is_file(), "sarif= alone adds SARIF to the default text"


def test_output_mistakes_are_named_before_anything_is_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`json=` failed as "cannot write .: Is a directory"; `jsn=x.json` wrote a file named so;
    simulate's advice named sarif, which it does not write."""
    monkeypatch.chdir(tmp_path)
    example = str(Path(__file__).parents[2] / "fixtures" / "example")
    for argv, message in (
        (("--output", "json="), "--output json=: name the file after '=' (--output json=FILE)"),
        (("--output", "jsn=x.json"), "--output jsn=x.json: no format 'jsn'; did you mean json=x.json?"),
        (("--output", ""), "--output: name a file (or FORMAT=FILE)"),
        # a second file for one format was kept and the first silently dropped
        (("--output", "a.json", "--output", "b.json"), "--output b.json: json already goes to a.json; one file per format"),
        (("--output", "json=a.json", "--output", "json=b.json"), "--output b.json: json already goes to a.json; one file per format"),
    ):
        assert main(["scan", example, "--no-cache", "--format", "json", *argv]) == 2
        assert capsys.readouterr().err == f"resilint: error: {message}\n"
    assert main(["simulate", example, "--fail", "aws", "--format", "text", "--format", "html", "--output", "x.html"]) == 2
    assert capsys.readouterr().err == "resilint: error: --output x.html: with several formats, name the format (--output html=x.html)\n"
    assert list(tmp_path.iterdir()) == []
