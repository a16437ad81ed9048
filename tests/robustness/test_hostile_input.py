"""Broken and hostile input: every case gives a clear RES001 (or is correctly ignored), nothing
crashes or hangs, and the findings of good files beside it are all kept."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

from resilint.cli import main

GOOD = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nresource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n'
CFN_HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n'


def billion_laughs() -> str:
    lines = ["      L0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        lines.append(f"      L{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]")
    return CFN_HEAD + "\n".join(lines) + "\n"


CASES: dict[str, tuple[bytes, int | None, str]] = {
    # name: (content, expected RES001 line or None for "no finding", words the message contains)
    "syntax.tf": (b'resource "aws_sqs_queue" "q" {\n  name =\n}\n', 2, "expected an expression after '='"),
    "truncated.tf": (b'resource "aws_sqs_queue" "q" {\n  name = "q"\n\n\n', 2, "end of file"),  # at the last line with text
    "syntax.tfvars": (b'region = \n', 1, "expected an expression"),
    "syntax.yaml": (CFN_HEAD.encode() + b"      X: [unclosed\n", 7, "expected ',' or ']'"),
    "syntax.json": (b'{\n  "AWSTemplateFormatVersion": "2010-09-09",\n  "Resources": {"Q": {"Type" "AWS::SQS::Queue"}}\n}\n', 3, "expected ',' or '}'"),
    "truncated.template": (b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Ty', 1, "ends before the template is complete"),
    "binary.tf": (b"\x00\x01\x02\x03ELF", 1, "binary file"),
    "latin1.tf": ('resource "a" "b" {\n  name = "caf\xe9"\n}\n'.encode("latin-1"), 2, "not valid UTF-8"),
    "control.tf": (b"\x01\x02\n", 1, "control character (U+0001)"),
    "empty.tf": (b"", None, ""),
    "empty.yaml": (b"", None, ""),
    "crlf.tf": (b'resource "aws_iam_policy" "p" {\r\n  policy = <<EOT\r\n{}\r\nEOT\r\n}\r\nresource "a" "b" {\r\n  x = \r\n}\r\n', 7, "expected an expression"),
    "bomb.yaml": (billion_laughs().encode(), 11, "aliases expand this document"),
    "deep.json": (b'{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"X": ' + b"[" * 5000 + b"]" * 5000 + b"}}}}", 1, "nested too deeply"),
    # PyYAML (>= 6.0.4) stops at its own depth limit, on the line where the nesting is
    "deep.yaml": (CFN_HEAD.encode() + b"      X: " + b"[" * 5000 + b"]" * 5000 + b"\n", CFN_HEAD.count("\n") + 1, "nested too deeply"),
    "deep.tf": (b"locals {\n  x = " + b"[" * 5000 + b"]" * 5000 + b"\n}\n", 2, "nested too deeply"),
    "deep_blocks.tf": (b'resource "a" "b" {\n' + b"x {\n" * 3000 + b"}\n" * 3000 + b"}\n", None, "nested too deeply"),
    "not_mapping.yaml": (b'AWSTemplateFormatVersion: "2010-09-09"\nResources: [1, 2]\n', 2, "mapping"),
    "unknown_tag.yaml": (CFN_HEAD.encode() + b"      X: !NotAFunction value\n", None, ""),
    "plan_version.json": (b'{"format_version": "9.1", "planned_values": {"root_module": {}}}', 1, "format_version"),
    "plan_truncated.json": (b'{"format_version": "1.2", "planned_values": {"root_module": {"resources": [', 1, "invalid plan JSON: the file ends before the JSON is complete"),
    # Terraform JSON syntax and variable files
    "syntax.tf.json": (b'{"resource": {"aws_sqs_queue": {"q": {"name": "q",}}}}', 1, "expected a key in double quotes"),
    "truncated.tf.json": (b'{"resource": {"aws_sqs_queue": {"q": {\n', 1, "ends before the JSON is complete"),
    "syntax.tfvars.json": (b'{\n  "region": eu-west-1\n}\n', 2, "expected a value"),
    "deep.tf.json": (b'{"locals": {"x": ' + b"[" * 200 + b"]" * 200 + b"}}", 1, "more than 128 levels"),
    "deep.tfvars.json": (b'{"x": ' + b"[" * 900 + b"]" * 900 + b"}", 1, "more than 128 levels"),
    # numbers Python will not convert (over 4300 digits)
    "digits.tf": (b"locals {\n  x = " + b"9" * 5000 + b"\n}\n", 2, "a number of 5,000 digits is too long"),
    "digits.tf.json": (b'{"locals": {"x": ' + b"9" * 5000 + b"}}", 1, "a number of 5,000 digits is too long"),
    "digits_plan.json": (b'{"format_version": "1.2", "terraform_version": "1.9.0", "planned_values": {"x": ' + b"9" * 5000 + b"}}", 1, "5,000 digits"),
    # heredocs: an unclosed one is named; 200,000 blank lines inside one parse in linear time
    "open_heredoc.tf": (b"locals {\n  x = <<EOT\n  hello\n}\n", 2, "heredoc <<EOT is never closed"),
    "blank_heredoc.tf": (b"locals {\n  x = <<EOT\n" + b" \n" * 200_000 + b"EOT\n}\n", None, ""),
    # templates in other encodings, with tabs, duplicate keys, truncated
    "utf16.yaml": (CFN_HEAD.encode("utf-16"), 1, "encoded as UTF-16"),
    "latin1.yaml": ((CFN_HEAD + "      Description: caf\xe9\n").encode("latin-1"), 6, "not valid UTF-8"),
    "tabs.yaml": (CFN_HEAD.encode() + b"\tX: 1\n", 6, "tab character"),
    "duplicate.yaml": (b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n  Q:\n    Type: AWS::SQS::Queue\n', None, "duplicate key 'Q'"),
    "truncated.yaml": (CFN_HEAD.encode() + b'      X: "unclosed', None, "ends before the template is complete"),
    "resources_text.yaml": (b'AWSTemplateFormatVersion: "2010-09-09"\nResources: none\n', 2, "must be a mapping"),
    "unknown_tag_db.yaml": (b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Db:\n    Type: AWS::RDS::DBInstance\n    Properties:\n      Engine: mysql\n      MultiAZ: !Bogus false\n', None, ""),
}


@pytest.fixture(scope="module")
def hostile_scan(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, dict[str, list[dict]], float]:
    root = tmp_path_factory.mktemp("hostile")
    for name, (content, _, _) in CASES.items():
        folder = root / name.replace(".", "_")
        folder.mkdir()
        (folder / name).write_bytes(content)
    (root / "good").mkdir()
    (root / "good" / "main.tf").write_text(GOOD)
    os.mkfifo(root / "good" / "pipe.tf")  # must be skipped, never read (reading would block)
    os.symlink(root / "good", root / "good" / "loop")  # folder links are not followed
    os.symlink(root / "good" / "self.tf", root / "good" / "self.tf")  # a link to itself
    outside = tmp_path_factory.mktemp("outside") / "secret.tf"
    outside.write_text("not terraform at all {{{")
    os.symlink(outside, root / "good" / "outside.tf")  # out of the scanned tree: skipped
    started = time.perf_counter()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        import io
        from contextlib import redirect_stdout

        out = io.StringIO()
        with redirect_stdout(out):
            code = main(["scan", ".", "--format", "json", "--no-cache"])
    finally:
        os.chdir(cwd)
    elapsed = time.perf_counter() - started
    by_file: dict[str, list[dict]] = {}
    for finding in json.loads(out.getvalue())["findings"]:
        by_file.setdefault(Path(finding["path"]).name, []).append(finding)
    return code, by_file, elapsed


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_is_reported_clearly(hostile_scan, name: str) -> None:  # type: ignore[no-untyped-def]
    _, by_file, _ = hostile_scan
    _, line, words = CASES[name]
    parse_errors = [f for f in by_file.get(name, []) if f["rule_id"] == "RES001"]
    if line is None and not words:
        assert parse_errors == []
        return
    (finding,) = parse_errors
    if line is not None:
        assert finding["line"] == line
    assert words.lower() in finding["message"].lower()
    for noise in ("Traceback", "Token(", "Error:", "exception", "<class"):
        assert noise not in finding["message"]


def test_good_file_findings_are_kept_and_exit_is_2(hostile_scan) -> None:  # type: ignore[no-untyped-def]
    code, by_file, _ = hostile_scan
    assert code == 2
    assert {f["rule_id"] for f in by_file["main.tf"]} == {"RES103", "RES302"}
    assert "self.tf" in by_file and by_file["self.tf"][0]["message"] == "symbolic link loop or dangling link"
    assert "pipe.tf" not in by_file and "outside.tf" not in by_file and "secret.tf" not in by_file


def test_hostile_scan_is_fast(hostile_scan) -> None:  # type: ignore[no-untyped-def]
    # A generous bound: the point is "no blow-up", not a benchmark (bench/run.py measures speed).
    assert hostile_scan[2] < 30


def test_size_cap_is_configurable(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    big = tmp_path / "big.tf"
    big.write_text('locals {\n  x = "' + "a" * (2 << 20) + '"\n}\n')
    assert main(["scan", str(big), "--format", "json", "--max-file-size", "1", "--no-cache"]) == 2
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert "above the 1 MiB limit" in finding["message"] and "--max-file-size" in finding["message"]
    assert main(["scan", str(big), "--format", "json", "--max-file-size", "3", "--no-cache"]) == 0


def test_a_folder_named_like_a_file_given_explicitly(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    fifo = tmp_path / "named.tf"
    os.mkfifo(fifo)
    assert main(["scan", str(fifo), "--format", "json", "--no-cache"]) == 2
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding["message"] == "not a regular file"


def test_runaway_terraform_is_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "m").mkdir()
    (tmp_path / "m2").mkdir()
    (tmp_path / "main.tf").write_text(
        'provider "aws" { region = "eu-west-1" }\n'
        'resource "aws_sqs_queue" "many" { count = 1000000 }\n'
        "locals {\n"
        "  cube = [for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]\n"
        '  wide = format("%0999999999d", 1)\n'
        "}\n"
        'resource "aws_sqs_queue" "x" {\n  name = jsonencode(local.cube)\n  tags = { w = local.wide }\n}\n'
        'module "m" {\n  source = "./m"\n  count  = 1000\n}\n'
    )
    (tmp_path / "m" / "main.tf").write_text('module "n" {\n  source = "../m2"\n  count  = 1000\n}\n')
    (tmp_path / "m2" / "main.tf").write_text('resource "aws_sqs_queue" "q" { count = 1000 }\n')
    started = time.perf_counter()
    main(["scan", str(tmp_path), "--format", "json", "--no-cache"])
    assert time.perf_counter() - started < 60
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert not [f for f in findings if f["rule_id"] in ("RES001", "RES002")]
