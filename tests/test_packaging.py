"""Packaging: the wheel carries the built-in rules under their own import name, and every
package folder is listed in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

REPO = Path(__file__).resolve().parent.parent


def test_every_package_folder_is_declared() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    declared = set(config["tool"]["setuptools"]["packages"])
    on_disk = {
        ".".join(p.parent.relative_to(REPO).parts)
        for p in (REPO / "resilint").rglob("__init__.py")
    }
    assert on_disk <= declared
    assert config["tool"]["setuptools"]["package-dir"] == {"resilint_rules": "rules"}
    assert "rules" not in declared, "the rules folder must not claim the import name `rules`"


@pytest.mark.slow
def test_wheel_contains_the_builtin_rules(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--no-build-isolation", "-w", str(tmp_path), str(REPO)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("resilint-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    rule_modules = {p.name for p in (REPO / "rules").glob("*.py")}
    assert {f"resilint_rules/{m}" for m in rule_modules} <= set(names)
    assert not any(n.startswith("rules/") for n in names)
    assert "resilint/parsers/terraform/syntax.py" in names
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[resilint.rules]\nRES = resilint_rules:RULES" in text
    assert "resilint = resilint.cli:run" in text
