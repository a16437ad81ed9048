"""Parallel and one-process scans give the same bytes: parsing and building roots in worker
processes changes nothing a user can see."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.parsers import parallel

REPO = Path(__file__).resolve().parents[1]


def _output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workers: int, *argv: str) -> str:
    monkeypatch.setenv("RESILINT_WORKERS", str(workers))
    try:
        main(["scan", *argv])
    except SystemExit:
        pass
    return capsys.readouterr().out


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate(tmp_path / "repo", 1)
    shutil.copytree(REPO / "fixtures", tmp_path / "repo" / "fixtures")  # every kind of input, broken ones too
    return tmp_path / "repo"


def test_parallel_and_serial_scans_give_identical_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every fixture (broken inputs too) in one scan, forked at every chance."""
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    monkeypatch.setattr(parallel, "MIN_ROOTS", 1)
    monkeypatch.chdir(REPO)
    for fmt in ("json", "sarif"):
        serial = _output(capsys, monkeypatch, 1, "fixtures", "--format", fmt, "--no-cache")
        assert "RES001" in serial, "broken inputs are part of the comparison"
        assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt, "--no-cache") == serial
    # With a cold parse cache (the workers write it), then warm (the cache answers).
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt) == serial
    assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt) == serial


def test_workers_are_used_for_a_large_cold_scan(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parallel path really runs (else the test above compares one process with itself)."""
    from resilint.discover import discover
    from resilint.parsers import ParseOptions, build_project

    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    monkeypatch.setattr(parallel, "MIN_ROOTS", 1)
    monkeypatch.setenv("RESILINT_WORKERS", "2")
    calls: list[int] = []
    forked = parallel.map_forked

    def counting(count: int, work, minimum: int = 1):  # type: ignore[no-untyped-def]
        result = forked(count, work, minimum)
        calls.append(-1 if result is None else count)
        return result

    monkeypatch.setattr("resilint.parsers.terraform.loader.map_forked", counting)
    found = discover([monorepo])
    cache = parallel.prefetch(found.files, 20 << 20, lambda display: (), None)
    assert isinstance(cache, parallel.Prefetched) and cache.values
    project = build_project(found.files, found.problems, ParseOptions())
    assert calls and all(c > 0 for c in calls), calls
    assert len(project.units) > 90


def test_small_scans_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from resilint.discover import discover

    monkeypatch.setenv("RESILINT_WORKERS", "2")
    found = discover([REPO / "fixtures" / "example"])
    assert parallel.prefetch(found.files, 20 << 20, lambda display: (), None) is None
    assert parallel.map_forked(3, lambda i: i) is None
