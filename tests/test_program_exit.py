"""The program (`python -m resilint`, the `resilint` command) leaves without the interpreter's
teardown: with main's exit code and every byte of its output."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from resilint.cli import main

REPO = Path(__file__).resolve().parents[1]


def _program(*argv: str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "RESILINT_WORKERS": "1"}
    return subprocess.run([sys.executable, "-m", "resilint", *argv], cwd=REPO, env=env, capture_output=True, text=True, check=False, **kwargs)  # type: ignore[call-overload, no-any-return]


def test_the_program_exits_with_mains_code_and_output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(REPO)
    argv = ("scan", "fixtures/example", "--format", "json", "--no-cache")
    code = main(list(argv))
    expected = capsys.readouterr().out
    done = _program(*argv)
    assert (done.returncode, done.stdout, done.stderr) == (code, expected, "") and code == 1
    # a report written to a file, and a usage error
    report = tmp_path / "report.sarif"
    assert _program("scan", "fixtures/example", "--no-cache", "--format", "sarif", "--output", str(report)).returncode == 1
    assert report.read_text().startswith("{")
    wrong = _program("scan", "fixtures/example", "--format", "yaml")
    assert wrong.returncode == 2 and "invalid choice" in wrong.stderr


def test_a_reader_that_goes_away_leaves_no_traceback() -> None:
    """Output to a pipe whose reader stops early (`| head`): the program ends quietly."""
    env = {**os.environ, "RESILINT_WORKERS": "1"}
    argv = [sys.executable, "-m", "resilint", "scan", "fixtures", "--format", "json", "--no-cache", "--severity", "error,warning,note"]
    process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stdout is not None and process.stderr is not None
    assert process.stdout.read(10)
    process.stdout.close()
    error = process.stderr.read().decode()
    process.wait(timeout=300)
    assert "Traceback" not in error and "Exception ignored" not in error, error


def test_the_program_skips_the_interpreters_teardown() -> None:
    """Nothing runs after the output is complete: an exit handler registered before is never
    called (the teardown would free every object of the scan, one by one)."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('teardown ran', file=sys.stderr))\n"
        "sys.argv = ['resilint', 'scan', 'fixtures/example', '--no-cache', '--format', 'concise']\n"
        "from resilint.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 1 and "RES302" in done.stdout
    assert "teardown ran" not in done.stderr


def test_the_program_collects_young_objects_sparsely_from_the_start() -> None:
    """The young generation's threshold is raised before the scan's imports, not only once the
    scan starts (the imports allocate many objects and no garbage)."""
    code = (
        "import gc, sys\n"
        "import resilint.cli as cli\n"
        "cli.main = lambda: print(gc.get_threshold()[0]) or 0\n"
        "cli.run()\n"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.strip() == "50000", done.stderr
