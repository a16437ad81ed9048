"""Start-up stays light: heavy dependencies load only when a scan needs them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PROBE = """
import json, sys
from resilint.cli import main
try:
    main(json.loads(sys.argv[1]))
except SystemExit:
    pass
heavy = sorted(m for m in ("cfnlint", "lark", "hcl2", "pydantic", "rich") if m in sys.modules)
sys.stderr.write("LOADED:" + ",".join(heavy) + "\\n")
"""


def loaded(argv: list[str], cache: Path | None = None) -> set[str]:
    env = dict(os.environ)
    if cache is not None:
        env["RESILINT_CACHE_DIR"] = str(cache)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(argv)], capture_output=True, text=True, env=env
    )
    line = [ln for ln in done.stderr.splitlines() if ln.startswith("LOADED:")][-1]
    return set(filter(None, line[len("LOADED:"):].split(",")))


def test_version_imports_nothing_heavy() -> None:
    assert loaded(["--version"]) == set()


def test_terraform_scan_does_not_import_cfn_lint() -> None:
    modules = loaded(["scan", "fixtures/database_without_multi_az/fail_multi_az_absent", "--format", "json", "--no-cache"])
    assert "cfnlint" not in modules
    assert "lark" in modules


def test_warm_scan_needs_no_parser(tmp_path: Path) -> None:
    argv = ["scan", "fixtures/example", "--format", "json", "-o", str(tmp_path / "out.json")]
    assert {"cfnlint", "lark"} <= loaded(argv, tmp_path / "cache")
    assert not {"cfnlint", "lark"} & loaded(argv, tmp_path / "cache"), "a warm cache answers without Lark or cfn-lint"
