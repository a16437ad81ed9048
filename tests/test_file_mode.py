"""Files named one by one (the pre-commit hook) report exactly what a scan of their repository
reports in them: checking only the units that touch the named files loses nothing."""

from __future__ import annotations

import json
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from resilint.cli import main

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
# Fixture folders with several files or units: where a finding could be located in a file other
# than the one its unit starts in (modules, stacks paired across files, tfvars).
CASES = sorted(
    p.relative_to(FIXTURES).as_posix()
    for p in FIXTURES.glob("*/*")
    if p.is_dir() and sum(1 for f in p.rglob("*") if f.is_file()) > 1
)


def _scan(capsys: pytest.CaptureFixture[str], *paths: str) -> list[tuple[str, int, str, str | None, str]]:
    main(["scan", *paths, "--format", "json", "--no-cache", "--fail-on", "error"])
    document = json.loads(capsys.readouterr().out)
    return sorted((f["path"], f["line"], f["rule_id"], f["resource"], f["message"]) for f in document["findings"])


@pytest.mark.parametrize("case", CASES)
def test_named_files_report_what_the_repository_scan_reports_in_them(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(FIXTURES / case, tmp_path / "repo")
    (tmp_path / "repo" / ".git").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    whole = _scan(capsys, ".")
    by_file: dict[str, list[tuple[str, int, str, str | None, str]]] = defaultdict(list)
    for finding in whole:
        by_file[finding[0]].append(finding)
    files = sorted(p.relative_to(tmp_path / "repo").as_posix() for p in (tmp_path / "repo").rglob("*") if p.is_file() and not {".git", ".terraform"} & set(p.parts))
    for name in files:
        assert _scan(capsys, name) == by_file.get(name, []), name
