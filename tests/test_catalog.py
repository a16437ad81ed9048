"""The rule catalog keeps its shape: metadata, documentation, fixtures, docs pages, README."""

from __future__ import annotations

from pathlib import Path

import pytest

from resilint.docs import rule_index, rule_page
from resilint.registry import load_rules
from resilint.rule import metadata_problems

REPO = Path(__file__).resolve().parent.parent
BUILTIN = [r for r in load_rules().rules if r.origin.startswith(("resilint.", "resilint_rules."))]
# A copy of the project catalog (rule ids and names are stable: a shipped id never changes meaning).
CATALOG = REPO / "tests" / "data" / "rules-catalog.md"


def test_builtin_rules_load_without_errors() -> None:
    registry = load_rules()
    assert registry.errors == []
    assert {"RES001", "RES002", "RES003", "RES101", "RES302"} <= {r.id for r in registry.rules}


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_metadata_is_well_formed(rule) -> None:
    assert metadata_problems(rule) == []
    assert rule.references, "a rule needs at least one reference"
    assert all(ref.startswith("https://") for ref in rule.references)
    assert rule.rationale


# RES002 reports crashing rules: no source file can make a built-in rule crash on purpose, so it
# is tested with broken plugins in test_registry.py instead of fixtures.
WITHOUT_SOURCE_FIXTURES = {"RES002"}


@pytest.mark.parametrize("rule", [r for r in BUILTIN if r.id not in WITHOUT_SOURCE_FIXTURES], ids=lambda r: r.id)
def test_rule_has_pass_and_fail_fixtures(rule) -> None:
    folder = REPO / "fixtures" / rule.name.replace("-", "_")
    names = [p.name for p in folder.iterdir() if p.is_dir()] if folder.is_dir() else []
    assert any(n.startswith("fail_") for n in names), f"{folder} needs a fail_ case"
    assert any(n.startswith("pass_") for n in names), f"{folder} needs a pass_ case"


@pytest.mark.parametrize("rule", BUILTIN, ids=lambda r: r.id)
def test_docs_page_matches_metadata(rule) -> None:
    page = REPO / "docs" / "rules" / f"{rule.id}.md"
    assert page.read_text(encoding="utf-8") == rule_page(rule), (
        f"{page} is out of date: run `python -m resilint.docs docs/rules`"
    )


def test_docs_index_and_readme_list_every_rule() -> None:
    assert (REPO / "docs" / "rules" / "README.md").read_text(encoding="utf-8") == rule_index(BUILTIN)
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for rule in BUILTIN:
        assert rule.id in readme and rule.name in readme, f"README does not list {rule.id}"


def test_rule_names_and_ids_agree_with_the_catalog() -> None:
    text = CATALOG.read_text(encoding="utf-8")
    for rule in BUILTIN:
        assert f"| {rule.id} | {rule.name} |" in text, f"{rule.id} {rule.name} is not in rules.md"
