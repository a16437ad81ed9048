"""Reading a source file: whole, bounded by the size limit, also when it grows while read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from resilint.model import Problem
from resilint.sources import read_text


def test_a_file_at_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text("a" * 100)
    assert read_text(path, "main.tf", 100) == "a" * 100


def test_a_file_one_byte_over_the_limit_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "main.tf"
    path.write_text("a" * 101)
    result = read_text(path, "main.tf", 100)
    assert isinstance(result, Problem)
    assert "above the 0 MiB limit" in result.message and result.location.path == "main.tf"


@pytest.mark.parametrize(("size", "limit", "whole"), [(60, 100, True), (100, 100, True), (150, 100, False)])
def test_a_file_that_grew_after_its_size_was_taken(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: int, limit: int, whole: bool) -> None:
    # fstat reports the size the file had before it grew: the read goes on past it, up to the limit.
    path = tmp_path / "main.tf"
    path.write_text("b" * size)
    real_fstat = os.fstat

    def fstat_before_growth(fd: int) -> os.stat_result:
        info = real_fstat(fd)
        return os.stat_result((info.st_mode, info.st_ino, info.st_dev, info.st_nlink, info.st_uid, info.st_gid, 10, info.st_atime, info.st_mtime, info.st_ctime))

    monkeypatch.setattr(os, "fstat", fstat_before_growth)
    result = read_text(path, "main.tf", limit)
    if whole:
        assert result == "b" * size
    else:
        assert isinstance(result, Problem) and "above the 0 MiB limit" in result.message
