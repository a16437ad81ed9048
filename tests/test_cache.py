"""The parse cache: same findings with and without it, safe against corruption, and every
parse result fits in it."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from resilint.cache import ParseCache
from resilint.cli import main
from resilint.discover import discover
from resilint.parsers import ParseOptions, build_project


def scan_json(capsys: pytest.CaptureFixture[str], *extra: str) -> str:
    main(["scan", "fixtures", "--format", "json", *extra])
    return capsys.readouterr().out


def test_cached_and_uncached_scans_agree(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    uncached = scan_json(capsys, "--no-cache")
    assert not (tmp_path / "cache").exists(), "--no-cache writes nothing"
    cold = scan_json(capsys)
    entries = [p for p in (tmp_path / "cache").rglob("*") if p.is_file()]
    assert entries, "a cold scan fills the cache"
    warm = scan_json(capsys)
    assert uncached == cold == warm


def test_corrupt_and_truncated_entries_are_misses(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    assert cache.get_or_compute("ns", "text", lambda: {"v": 1}) == {"v": 1}
    (entry,) = [p for p in tmp_path.rglob("*") if p.is_file()]
    for damage in (b"", b"garbage", entry.read_bytes()[:5]):
        entry.write_bytes(damage)
        fresh = ParseCache(tmp_path)
        assert fresh.get_or_compute("ns", "text", lambda: {"v": 2}) == {"v": 2}
        assert fresh.misses == 1
    again = ParseCache(tmp_path)
    assert again.get_or_compute("ns", "text", lambda: {"v": 3}) == {"v": 2}
    assert again.hits == 1


def test_unwritable_cache_folder_falls_back_to_parsing(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ParseCache(blocker / "cache")
    assert cache.get_or_compute("ns", "x", lambda: 42) == 42
    assert cache.get_or_compute("ns", "x", lambda: 43) == 43


def test_key_depends_on_namespace_and_content(tmp_path: Path) -> None:
    cache = ParseCache(tmp_path)
    assert cache.get_or_compute("a", "x", lambda: 1) == 1
    assert cache.get_or_compute("b", "x", lambda: 2) == 2
    assert cache.get_or_compute("a", "y", lambda: 3) == 3
    assert cache.get_or_compute("a", "x", lambda: 4) == 1


def test_every_fixture_parses_to_something_the_cache_can_store(tmp_path: Path) -> None:
    found = discover([Path("fixtures")])
    project = build_project(found.files, found.problems, ParseOptions(cache=ParseCache(tmp_path)))
    for unit in project.units:
        pickle.dumps(unit)
    cache = ParseCache(tmp_path)
    again = build_project(found.files, found.problems, ParseOptions(cache=cache))
    assert cache.misses == 0 and cache.hits > 0
    assert again == project


def test_an_entry_read_during_a_scan_is_left_out_of_the_collectors_walks(tmp_path: Path) -> None:
    """A loaded entry holds no garbage and lives as long as the scan: frozen at once, the
    collector never walks it; outside a scan nothing is frozen."""
    import gc

    from resilint.parsers.guards import sparse_gc

    ParseCache(tmp_path).get_or_compute("ns", "text", lambda: [{"node": i} for i in range(100)])

    def loaded_is_walked() -> bool:
        value = ParseCache(tmp_path).get_or_compute("ns", "text", lambda: pytest.fail("a hit"))
        return any(obj is value for obj in gc.get_objects())

    assert loaded_is_walked()
    with sparse_gc():
        assert not loaded_is_walked()
    assert gc.get_freeze_count() == 0, "the scan's end unfreezes"
