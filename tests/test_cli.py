"""The command line: JSON contract, exit codes, selection, output files, rules and explain."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from resilint import __version__
from resilint.cli import main
from resilint.reporters.console import is_interactive
from tests.conftest import write

GOOD = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nresource "aws_db_instance" "db" {\n  engine = "postgres"\n}\n\n' + 'resource "aws_instance" "app" {\n  ami = "ami-12345678"\n}\n'
BAD = 'resource "aws_db_instance" "db" {\n  multi_az =\n}\n'


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", "fixtures/example", "--format", "json")
    assert code == 1
    document = json.loads(out)
    assert document["version"] == "1"
    assert document["tool"] == {"name": "resilint", "version": __version__}
    assert document["summary"]["files_scanned"] == 5
    assert document["summary"]["findings"] == len(document["findings"]) == 11
    required = {"rule_id", "severity", "message", "path", "line", "end_line", "resource", "unit"}
    for finding in document["findings"]:
        assert required <= set(finding)
        assert finding["severity"] in ("error", "warning", "note")
        assert "\\" not in finding["path"] and not finding["path"].startswith("/")
    db = next(f for f in document["findings"] if f["rule_id"] == "RES302" and f["path"].endswith(".tf"))
    assert db == {
        **db,
        "path": "fixtures/example/terraform/modules/db/main.tf",
        "line": 14,
        "end_line": 20,
        "resource": "module.orders_db.aws_db_instance.this",
        "unit": "fixtures/example/terraform",
    }
    keys = [(f["path"], f["line"], f["rule_id"]) for f in document["findings"]]
    assert keys == sorted(keys)


def test_same_input_same_bytes(capsys: pytest.CaptureFixture[str]) -> None:
    first = run(capsys, "scan", "fixtures", "--format", "json")[1]
    second = run(capsys, "scan", "fixtures", "--format", "json")[1]
    assert first == second


def test_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    clean = write(tmp_path / "clean", {"main.tf": 'resource "aws_iam_role" "r" {\n  name = "r"\n}\n'})
    assert run(capsys, "scan", str(clean))[0] == 0
    findings = write(tmp_path / "findings", {"main.tf": GOOD})
    assert run(capsys, "scan", str(findings))[0] == 1
    assert run(capsys, "scan", str(findings), "--fail-on", "error")[0] == 0
    broken = write(tmp_path / "broken", {"main.tf": BAD})
    assert run(capsys, "scan", str(broken), "--fail-on", "error")[0] == 2
    assert run(capsys, "scan", str(tmp_path / "missing"))[0] == 2
    assert run(capsys, "scan", str(clean), "--select", "RES999")[0] == 2
    with pytest.raises(SystemExit) as usage:
        main(["scan", "--format", "xml"])
    assert usage.value.code == 2


def test_parse_error_beside_a_good_file_reports_both(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, {"good/main.tf": GOOD, "bad/main.tf": BAD, "bad/template.yaml": "AWSTemplateFormatVersion: x\nResources: [\n"})
    code, out, _ = run(capsys, "scan", str(tmp_path), "--format", "json")
    assert code == 2
    found = {(Path(f["path"]).parent.name, Path(f["path"]).name, f["line"], f["rule_id"]) for f in json.loads(out)["findings"]}
    assert found == {
        ("bad", "main.tf", 2, "RES001"),
        ("bad", "template.yaml", 3, "RES001"),
        ("good", "main.tf", 1, "RES101"),
        ("good", "main.tf", 5, "RES103"),
        ("good", "main.tf", 5, "RES302"),
    }


def test_select_and_ignore(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": GOOD})
    ids = lambda out: {f["rule_id"] for f in json.loads(out)["findings"]}  # noqa: E731
    assert ids(run(capsys, "scan", str(tmp_path), "--format", "json", "--select", "RES3")[1]) == {"RES302"}
    assert ids(run(capsys, "scan", str(tmp_path), "--format", "json", "--ignore", "res302")[1]) == {"RES101", "RES103"}


def test_output_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.json"
    code, out, _ = run(capsys, "scan", "fixtures/example", "--format", "json", "--output", str(target))
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["summary"]["findings"] == 11


def test_text_output_is_plain_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "scan", "fixtures/example")
    assert code == 1
    assert "\x1b[" not in out, "no colour codes"
    assert not any(ch in out for ch in "─│┌┐└┘━"), "no box drawing"
    assert "fixtures/example/terraform/modules/db/main.tf" in out
    assert "RES302" in out and "module.orders_db.aws_db_instance.this" in out
    assert "fix: set multi_az = true" in out
    assert "5 files scanned, 2 deployment units, 11 findings (2 errors, 9 warnings, 0 notes)" in out


def test_forced_colour_into_a_pipe_wraps_at_columns_when_given(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """FORCE_COLOR=1 COLUMNS=60 (a CI log) wrapped at 100 whatever COLUMNS said."""
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    for columns, widest in (("60", 60), ("", 100)):
        monkeypatch.setenv("COLUMNS", columns)
        out = run(capsys, "scan", "fixtures/example", "--no-cache", "--select", "RES101,RES201")[1]
        wrapped = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in out.splitlines() if line.startswith("    ")]
        assert max(len(line) for line in wrapped) in range(widest - 15, widest + 1), columns


def test_interactive_only_for_a_person_at_a_terminal() -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert is_interactive(Tty(), {}) is True
    assert is_interactive(Tty(), {"NO_COLOR": "1"}) is False
    assert is_interactive(Tty(), {"CI": "true"}) is False
    assert is_interactive(Tty(), {"GITHUB_ACTIONS": "true"}) is False
    assert is_interactive(io.StringIO(), {}) is False


def test_rules_and_explain(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "rules")
    assert code == 0 and "RES302  database-without-multi-az" in out
    code, out, _ = run(capsys, "rules", "--format", "json")
    assert {"id": "RES101"}.items() <= next(r for r in json.loads(out) if r["id"] == "RES101").items()
    code, out, _ = run(capsys, "explain", "RES302")
    assert code == 0 and out.startswith("# RES302 database-without-multi-az")
    assert "## Why it matters" in out and "## Fix" in out and "## References" in out
    assert run(capsys, "explain", "single-region-deployment")[1].startswith("# RES101")
    assert run(capsys, "explain", "RES999")[0] == 2


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"resilint {__version__}"


MODULE_DB = 'resource "aws_db_instance" "db" {\n  engine   = "postgres"\n  multi_az = var.multi_az\n}\n\nvariable "multi_az" {\n  default = false\n}\n'
ROOT_CALL = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "db" {\n  source   = "../../modules/db"\n  multi_az = true\n}\n'


def _file_scan(capsys: pytest.CaptureFixture[str], target: Path) -> dict:  # type: ignore[type-arg]
    code, out, _ = run(capsys, "scan", str(target), "--format", "json", "--no-cache", "--select", "RES302")
    assert code in (0, 1)
    return json.loads(out)  # type: ignore[no-any-return]


def test_a_named_file_is_read_in_its_repository(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The module file alone has multi_az = false; the root that calls it sets true. Named from
    outside the repository, the file is still evaluated in the repository's root module."""
    repo = tmp_path / "repo"
    write(repo, {".git/HEAD": "ref: refs/heads/main\n", "modules/db/main.tf": MODULE_DB, "envs/prod/main.tf": ROOT_CALL})
    document = _file_scan(capsys, repo / "modules" / "db" / "main.tf")
    assert document["findings"] == []
    assert document["summary"]["files_scanned"] == 1, "the named file, not the files read for context"


def test_a_named_file_outside_a_repository_is_read_in_its_own_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """No repository and no configuration: the file's folder is its context, not everything under
    the working directory (or the folder above it). The module configures a provider, so alone it
    is a root judged on its default (a module library without one would not be judged at all)."""
    module = 'provider "aws" {\n  region = "eu-west-1"\n}\n\n' + MODULE_DB
    write(tmp_path, {"modules/db/main.tf": module, "envs/prod/main.tf": ROOT_CALL, "elsewhere/x.tf": GOOD})
    document = _file_scan(capsys, tmp_path / "modules" / "db" / "main.tf")
    assert [(f["rule_id"], f["resource"]) for f in document["findings"]] == [("RES302", "aws_db_instance.db")]
    assert document["summary"]["files_scanned"] == 1
    (tmp_path / ".resilint.toml").write_text("")
    document = _file_scan(capsys, tmp_path / "modules" / "db" / "main.tf")
    assert document["findings"] == [] and document["summary"]["files_scanned"] == 1


def _crashing_reporter(report: object) -> str:
    raise KeyError("summary")


def test_a_crash_outside_the_rules_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A broken reporter is a bug in resilint: exit 2 (never 1, which CI reads as "findings").
    monkeypatch.setattr("resilint.reporters.json.render", _crashing_reporter)
    code, out, err = run(capsys, "scan", "fixtures/example", "--format", "json", "--no-cache")
    assert code == 2
    assert out == ""
    assert err.strip().splitlines() == [
        "resilint: internal error: KeyError: 'summary'; run again with --debug for the traceback, and please report it"
    ]


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    monkeypatch.setattr("resilint.reporters.json.render", _crashing_reporter)
    args = ["scan", "fixtures/example", "--format", "json", "--no-cache"]
    args = ["--debug", *args] if where == "before" else [*args, "--debug"]
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "Traceback (most recent call last)" in err and "KeyError: 'summary'" in err
