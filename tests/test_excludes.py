"""Excludes as people write them, relative to where they are written, holding for named files
(pre-commit) and for findings in excluded modules; patterns that match nothing are warned."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.excludes import Exclude, excludes_from
from tests.conftest import write

DB = 'resource "aws_db_instance" "{name}" {{\n  engine = "postgres"\n}}\n'
ROOT = 'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "db" {\n  source = "../modules/db"\n}\n\n' + 'resource "aws_instance" "app" {\n  ami = "ami-12345678"\n}\n'


def scan(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[tuple[str, str]], str]:
    code = main(["scan", "--format", "json", "--select", "RES302", *argv])
    out, err = capsys.readouterr()
    findings = [(f["path"], f["resource"]) for f in json.loads(out)["findings"]] if out else []
    return code, findings, err


@pytest.fixture
def estate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write(
        tmp_path,
        {
            "terraform/prod/main.tf": DB.format(name="prod"),
            "terraform/dev/main.tf": DB.format(name="dev"),
            "terraform/legacy/old/main.tf": DB.format(name="old"),
        },
    )
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "pattern",
    ["terraform/prod", "terraform/prod/", "./terraform/prod", "terraform/prod/**", "terraform/prod/*", "ABS", "prod"],
)
def test_every_form_people_write_excludes_the_folder(capsys: pytest.CaptureFixture[str], estate: Path, pattern: str) -> None:
    if pattern == "ABS":
        pattern = str(estate / "terraform" / "prod")
    code, findings, err = scan(capsys, "terraform", "--exclude", pattern)
    assert sorted(r for _, r in findings) == ["aws_db_instance.dev", "aws_db_instance.old"], pattern
    assert "matched nothing" not in err


def test_command_line_globs_are_relative_to_the_working_directory(capsys: pytest.CaptureFixture[str], estate: Path) -> None:
    """`scan terraform --exclude terraform/prod` excludes terraform/prod (it used to be read as
    relative to the scanned folder, and silently exclude nothing)."""
    _, findings, _ = scan(capsys, "terraform", "--exclude", "terraform/legacy")
    assert sorted(r for _, r in findings) == ["aws_db_instance.dev", "aws_db_instance.prod"]
    os.chdir(estate / "terraform")
    _, findings, _ = scan(capsys, ".", "--exclude", "./legacy/")
    assert sorted(r for _, r in findings) == ["aws_db_instance.dev", "aws_db_instance.prod"]


def test_configuration_globs_are_relative_to_the_configuration_file(capsys: pytest.CaptureFixture[str], estate: Path) -> None:
    (estate / ".resilint.toml").write_text('exclude = ["terraform/legacy/", "dev"]\n')
    os.chdir(estate / "terraform" / "prod")  # scanned from somewhere else: same meaning
    _, findings, err = scan(capsys, str(estate / "terraform"))
    assert [r for _, r in findings] == ["aws_db_instance.prod"]
    assert err == ""


def test_an_exclude_that_matches_nothing_is_a_warning(capsys: pytest.CaptureFixture[str], estate: Path) -> None:
    code, findings, err = scan(capsys, "terraform", "--exclude", "terraform/prd")
    assert len(findings) == 3 and code == 1
    assert "resilint: warning: exclude 'terraform/prd' matched nothing (relative to .)" in err
    (estate / ".resilint.toml").write_text('exclude = ["legacyy"]\n')
    _, _, err = scan(capsys, "terraform")
    assert "exclude 'legacyy' matched nothing" in err


def test_findings_inside_an_excluded_module_are_dropped_even_when_called_from_outside(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, {"live/main.tf": ROOT, "modules/db/main.tf": DB.format(name="this")})
    monkeypatch.chdir(tmp_path)
    _, findings, _ = scan(capsys, ".")
    assert findings == [("modules/db/main.tf", "module.db.aws_db_instance.this")]
    _, findings, err = scan(capsys, ".", "--exclude", "modules/")
    assert findings == [] and err == ""
    # the caller is still evaluated with the module: its region and resources are known
    code = main(["scan", ".", "--format", "json", "--exclude", "modules/", "--select", "RES101"])
    document = json.loads(capsys.readouterr().out)
    assert code == 1 and [f["path"] for f in document["findings"]] == ["live/main.tf"]


def test_named_files_honour_excludes_with_force_exclude(capsys: pytest.CaptureFixture[str], estate: Path) -> None:
    (estate / ".git").mkdir()
    (estate / ".resilint.toml").write_text('exclude = ["terraform/legacy"]\n')
    named = "terraform/legacy/old/main.tf"
    code, findings, _ = scan(capsys, named)
    assert code == 1 and findings == [(named, "aws_db_instance.old")], "named explicitly, it is scanned (as ruff does)"
    code, findings, err = scan(capsys, named, "--force-exclude")
    assert code == 0 and findings == [] and err == ""
    code, findings, _ = scan(capsys, named, "terraform/dev/main.tf", "--force-exclude")
    assert code == 1 and findings == [("terraform/dev/main.tf", "aws_db_instance.dev")]


def test_scanning_nothing_is_a_warning(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"docs/README.md": "# hello\n", "ci/workflow.yml": "on: push\n"})
    monkeypatch.chdir(tmp_path)
    code = main(["scan", "docs"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "resilint: warning: no Terraform or CloudFormation files under docs" in err
    assert "0 files scanned" in out
    main(["scan"])
    assert "no Terraform or CloudFormation files under ." in capsys.readouterr().err


def test_patterns() -> None:
    base = Path("/repo")

    def hit(pattern: str, path: str) -> bool:
        return excludes_from([pattern], base)[0].matches(Path(path))

    assert hit("infra/legacy", "/repo/infra/legacy/a/main.tf")
    assert hit("infra/legacy/", "/repo/infra/legacy")
    assert not hit("infra/legacy", "/repo/infra/legacy-2/main.tf")
    assert not hit("infra/legacy", "/repo/other/infra/legacy/main.tf"), "anchored at its base"
    assert hit("*.tf.json", "/repo/a/b/x.tf.json")
    assert hit("build", "/repo/a/build/main.tf")
    assert not excludes_from(["build"], Path("/home/build/repo"))[0].matches(Path("/home/build/repo/main.tf")), (
        "a name never matches a folder above the base"
    )
    assert hit("/elsewhere/x", "/elsewhere/x/y.tf") and not hit("/elsewhere/x", "/repo/elsewhere/x/y.tf")
    assert Exclude(pattern="./a/b/**", base=base).normalised == "a/b"
