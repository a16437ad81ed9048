"""Concurrent runs: a report or baseline file is replaced whole, never seen truncated, and a
working directory removed under resilint is a usage error, not an internal error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.output_files import write_whole

FIXTURE = "fixtures/database_without_multi_az/fail_multi_az_absent"


def test_a_report_is_replaced_whole_under_a_reader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A reader that opened the previous report (another run comparing outputs, a CI step) reads
    it to its end: the new one is renamed over it, not written into it."""
    report = tmp_path / "out" / "report.json"
    report.parent.mkdir()
    report.write_text("the previous report\n")
    with open(report, encoding="utf-8") as held:
        assert main(["scan", FIXTURE, "--format", "json", "--no-cache", "-o", str(report)]) == 1
        assert held.read() == "the previous report\n"
    assert json.loads(report.read_text())["findings"]
    assert sorted(p.name for p in report.parent.iterdir()) == ["report.json"], "no temporary file left"


def test_a_baseline_is_replaced_whole(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text("{}\n")
    with open(baseline, encoding="utf-8") as held:
        main(["scan", FIXTURE, "--no-cache", "--format", "json", "--write-baseline", str(baseline)])
        assert held.read() == "{}\n"
    assert json.loads(baseline.read_text())["findings"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json"]


def test_a_link_or_a_device_is_written_in_place(tmp_path: Path) -> None:
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    write_whole(link, "new")
    assert link.is_symlink() and real.read_text() == "new"
    write_whole(Path(os.devnull), "nothing")  # /dev/null stays a device
    assert Path(os.devnull).is_char_device()


def test_new_files_get_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        write_whole(tmp_path / "a" / "report.txt", "text")
    finally:
        os.umask(umask)
    assert (tmp_path / "a" / "report.txt").stat().st_mode & 0o777 == 0o644


def test_a_removed_working_directory_is_a_usage_error(tmp_path: Path) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    code = (
        "import os, sys\n"
        "os.rmdir(os.getcwd())\n"
        "from resilint.cli import main\n"
        f"sys.exit(main(['scan', {os.path.abspath(FIXTURE)!r}, '--no-cache', '--format', 'json']))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([os.getcwd(), os.environ.get("PYTHONPATH", "")])}
    done = subprocess.run([sys.executable, "-c", code], cwd=gone, capture_output=True, text=True, env=env)
    assert done.returncode == 2
    assert "the working directory no longer exists" in done.stderr
    assert "internal error" not in done.stderr
