"""Shared by the data-and-recovery rule tests (RES103 Azure, RES108-RES112): one fixture case's
findings of one rule, as (resource, file name, line)."""

from __future__ import annotations

from pathlib import Path

from resilint.findings import Finding
from resilint.testing import lint_case

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"


def findings(folder: str, case: str, rule_id: str) -> list[Finding]:
    return [f for f in lint_case(FIXTURES / folder / case, select=(rule_id,)) if f.rule_id == rule_id]


def where(found: list[Finding]) -> list[tuple[str | None, str, int]]:
    return [(f.resource, Path(f.path).name, f.line) for f in found]
