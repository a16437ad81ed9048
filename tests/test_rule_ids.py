"""The engine rules' ids are spelt once, in resilint/rule_ids.py: every other module imports
them (a literal "RES00x" elsewhere in the code is how they drifted apart before)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from resilint.engine_rules import ENGINE_RULES
from resilint.rule_ids import ENGINE_RULE_IDS

PACKAGE = Path(__file__).resolve().parents[1] / "resilint"
ENGINE_ID = re.compile(r"^RES00\d$")


def test_engine_rule_ids_are_literals_only_in_rule_ids() -> None:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "rule_ids.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and ENGINE_ID.match(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value}")
    assert found == []


def test_every_engine_rule_has_its_id_there() -> None:
    assert {r.id for r in ENGINE_RULES} == ENGINE_RULE_IDS
