"""Every rule against its fixtures: the findings of each case are exactly its markers."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.registry import load_rules
from resilint.testing import fixture_cases, found, lint_case, markers

REPO = Path(__file__).resolve().parents[2]
RULES = [r for r in load_rules().rules if r.origin.startswith(("resilint.", "resilint_rules."))]


def _cases() -> list[tuple[str, object]]:
    params = []
    for rule in RULES:
        folder = REPO / "fixtures" / rule.name.replace("-", "_")
        if not folder.is_dir():
            continue
        for case in fixture_cases(folder.name, REPO / "fixtures"):
            params.append(pytest.param(rule.id, case, id=f"{rule.id}-{case.name}"))
    return params


@pytest.mark.parametrize("rule_id, case", _cases())
def test_findings_match_markers(rule_id: str, case) -> None:
    # Every rule runs (suppressions and RES003 need the rules they name); the rule under test
    # and parse or internal errors must match the markers exactly.
    checked = {rule_id, "RES001", "RES002"}
    expected = {m for m in markers(case) if m[2] in checked}
    actual = {f for f in found(case, lint_case(case)) if f[2] in checked}
    assert actual == expected
    if case.should_pass:
        assert not {e for e in expected if e[2] == rule_id}, "a pass_ case must not expect the rule under test"
    else:
        assert any(e[2] == rule_id for e in expected), "a fail_ case must expect the rule under test"
