"""The pre-commit hook, through the real pre-commit client (`pre-commit try-repo`): changed files
are analysed with the rest of the repository, and only their own findings are reported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import write

REPO = Path(__file__).resolve().parent.parent


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def test_hook_definition() -> None:
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "resilint" and hook["language"] == "python" and hook["entry"] == "resilint scan --force-exclude"
    import re

    pattern = re.compile(hook["files"])
    # pre-commit matches the pattern (re.search) against paths relative to the repository's root.
    inputs = (
        "main.tf",
        "prod.tfvars",
        "x.tf.json",
        "stack.yaml",
        "t.yml",
        "t.json",
        "legacy.template",
        "main.tofu",
        "env/prod.tfvars.json",
        "live/prod/terragrunt.hcl",
        "live/root.hcl",  # read by Terragrunt's include
        "network/prod.s3.tfbackend",  # a partial backend block's values
        "Makefile",  # deploy commands give a template its regions
        "infra/GNUmakefile",
        "infra/makefile",
        "mk/deploy.mk",
        "scripts/deploy.sh",
        "app/samconfig.toml",
        "app/samconfig.yaml",
        "app/samconfig.yml",
        "cdk.out/manifest.json",
        "statemachine/report.asl.json",  # a SAM state machine's DefinitionUri
        ".resilint.toml",
        "pyproject.toml",
        "sub/pyproject.toml",
    )
    for name in inputs:
        assert pattern.search(name), name
    others = (
        "README.md",
        "app.py",
        "Makefile.bak",
        "docs/Makefile.md",
        "MyMakefile",
        "samconfig.toml.bak",
        "notsamconfig.toml",
        "setup.cfg",
        "Cargo.toml",
        "x.resilint.toml.orig",
        "Dockerfile",
        "script.bash",
    )
    for name in others:
        assert not pattern.search(name), name


@pytest.mark.slow
def test_try_repo_reports_only_the_changed_files_findings(tmp_path: Path) -> None:
    project = write(
        tmp_path / "project",
        {
            "live/main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n\nmodule "db" {\n  source = "../modules/db"\n}\n',
            "modules/db/main.tf": 'resource "aws_db_instance" "this" {\n  engine = "postgres"\n}\n',
            "other/main.tf": 'resource "aws_db_instance" "untouched" {\n  engine = "postgres"\n}\n',
            ".github/workflows/ci.yml": "on: push\n",
        },
    )
    git(project, "init", "-q")
    git(project, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "resilint", "--files", "modules/db/main.tf", ".github/workflows/ci.yml"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=280,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "Failed" in output
    # The module's finding, evaluated through the root that calls it (its address says so).
    assert "module.db.aws_db_instance.this" in output
    assert "RES302" in output
    assert "untouched" not in output and "RES101" not in output, "findings of other files are not reported"


def _try_repo(project: Path, home: Path, *files: str) -> subprocess.CompletedProcess[str]:
    """The hook run by pre-commit itself on the named files of `project`, as a commit would."""
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "resilint", "--verbose", "--files", *files],
        cwd=project,
        env={**os.environ, "PRE_COMMIT_HOME": str(home), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=280,
    )


@pytest.mark.slow
def test_try_repo_honours_excludes_for_the_files_it_is_given(tmp_path: Path) -> None:
    """pre-commit names files one by one: an excluded path must not block the commit (the hook
    runs with --force-exclude), and a file outside the exclude still fails it."""
    db = 'resource "aws_db_instance" "{name}" {{\n  engine = "postgres"\n}}\n'
    project = write(
        tmp_path / "project",
        {
            ".resilint.toml": 'exclude = ["infra/legacy/"]\n',
            "infra/legacy/main.tf": db.format(name="legacy"),
            "infra/app/main.tf": db.format(name="app"),
        },
    )
    git(project, "init", "-q")
    git(project, "add", ".")
    done = _try_repo(project, tmp_path / "pre-commit-home", "infra/legacy/main.tf")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output and "aws_db_instance.legacy" not in output
    done = _try_repo(project, tmp_path / "pre-commit-home", "infra/legacy/main.tf", "infra/app/main.tf")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "aws_db_instance.app" in output and "aws_db_instance.legacy" not in output


@pytest.mark.slow
def test_try_repo_reports_the_templates_a_changed_makefile_deploys(tmp_path: Path) -> None:
    """A Makefile is an input: the hook takes it (its files: pattern), and a commit that leaves
    a template deployed in one region fails with the template's RES101; a script that deploys
    nothing passes without a finding."""
    template = (REPO / "fixtures/single_region_deployment/pass_cfn_makefile_two_regions/stacks/app.yaml").read_text()
    two_regions = (REPO / "fixtures/single_region_deployment/pass_cfn_makefile_two_regions/Makefile").read_text()
    project = write(
        tmp_path / "project",
        {
            "Makefile": two_regions.replace("STANDBY_REGION = us-west-2", "STANDBY_REGION = us-east-1"),
            "stacks/app.yaml": template,
            "scripts/test.sh": "#!/bin/sh\npython -m pytest -q\n",
        },
    )
    git(project, "init", "-q")
    git(project, "add", ".")
    done = _try_repo(project, tmp_path / "pre-commit-home", "Makefile")
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert "stacks/app.yaml" in output and "RES101" in output
    done = _try_repo(project, tmp_path / "pre-commit-home", "scripts/test.sh")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output and "RES101" not in output
    (project / "Makefile").write_text(two_regions)
    done = _try_repo(project, tmp_path / "pre-commit-home", "Makefile")
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "Passed" in output and "RES101" not in output
