"""Inputs found by bench/fuzz.py that broke resilint, minimised: each gives plain words (a RES001
with path and line, or a configuration error naming the file), never a traceback or a RES002."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.cli import main

GOOD = 'resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n'


def test_configuration_file_not_utf8_is_a_configuration_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".resilint.toml").write_bytes(b'fail_on = "error"\nselect = ["RES\xff"]\n')
    (tmp_path / "main.tf").write_text(GOOD)
    assert main(["scan", str(tmp_path), "--no-cache"]) == 2
    err = capsys.readouterr().err
    assert ".resilint.toml: not valid TOML: not UTF-8 (byte 0xff" in err
    assert "internal error" not in err
