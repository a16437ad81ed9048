"""The GitHub Action: what it runs is a valid resilint command, and its inputs are used safely."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
import yaml

from resilint.cli import build_parser

REPO = Path(__file__).resolve().parent.parent


def test_action_scan_step_is_a_valid_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    action = yaml.safe_load((REPO / "action.yml").read_text())
    steps = {step.get("id") or step.get("name"): step for step in action["runs"]["steps"]}
    script = steps["scan"]["run"]
    for step in action["runs"]["steps"]:
        assert "${{ inputs." not in step.get("run", ""), "inputs reach scripts through env, never inline"
    command = " ".join(line.rstrip("\\").strip() for line in script.splitlines() if line.strip().startswith(("resilint", "--")))
    env = {
        "$SCAN_PATHS": "fixtures/example",
        "$SCAN_ARGS": "--ignore RES307",
        '"$SCAN_FAIL_ON"': "warning",
        "$SCAN_SARIF": str(tmp_path / "r.sarif"),
        "$GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    for name, value in env.items():
        command = command.replace(name, value)
    argv = shlex.split(command)
    assert argv[:2] == ["resilint", "scan"]
    args = build_parser().parse_args(argv[1:])
    assert args.format == ["text", "sarif", "markdown"]
    from resilint.cli import main

    # The step's environment reaches resilint too: names it reads as settings (RESILINT_*)
    # printed "RESILINT_PATHS is not a resilint setting" on every run.
    for name, value in steps["scan"]["env"].items():
        monkeypatch.setenv(name, value)
    assert main(argv[1:]) == 1
    assert "resilint: warning" not in capsys.readouterr().err
    assert (tmp_path / "r.sarif").is_file() and (tmp_path / "summary.md").read_text().startswith("## resilint")
    assert "upload-sarif" in steps["Upload SARIF"]["uses"]
